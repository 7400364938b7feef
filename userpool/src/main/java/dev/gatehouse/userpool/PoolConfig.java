package dev.gatehouse.userpool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsJson;
import dev.gatehouse.protocol.Input;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A user pool's settings: the {@code UserPoolType} document DescribeUserPool returns, and the parts of it the rules
 * read. Built from a CreateUserPool request with Cognito's defaults (aws-wire.md C.1) for what it omits.
 */
final class PoolConfig {

    static final String DEFAULT_EMAIL_MESSAGE = "Your verification code is {####}. ";
    static final String DEFAULT_EMAIL_SUBJECT = "Your verification code";
    static final String DEFAULT_INVITE_MESSAGE = "Your username is {username} and temporary password is {####}. ";
    static final String DEFAULT_INVITE_SUBJECT = "Your temporary password";

    private static final Pattern POOL_NAME = Pattern.compile("[\\w\\s+=,.@-]+");
    private static final List<String> USERNAME_ATTRIBUTES = List.of("phone_number", "email");
    private static final List<String> ALIAS_ATTRIBUTES = List.of("phone_number", "email", "preferred_username");
    private static final List<String> VERIFIED_ATTRIBUTES = List.of("phone_number", "email");
    private static final List<String> STANDARD = List.of(
            "sub",
            "name",
            "given_name",
            "family_name",
            "middle_name",
            "nickname",
            "preferred_username",
            "profile",
            "picture",
            "website",
            "email",
            "email_verified",
            "gender",
            "birthdate",
            "zoneinfo",
            "locale",
            "phone_number",
            "phone_number_verified",
            "address",
            "updated_at");

    private final ObjectNode doc;
    private final Map<String, JsonNode> schema = new LinkedHashMap<>();

    PoolConfig(ObjectNode doc) {
        this.doc = Objects.requireNonNull(doc, "doc cannot be null");
        for (JsonNode attribute : doc.path("SchemaAttributes")) {
            schema.put(attribute.path("Name").asText(), attribute);
        }
    }

    String id() {
        return doc.path("Id").asText();
    }

    String name() {
        return doc.path("Name").asText();
    }

    ObjectNode document() {
        return doc.deepCopy();
    }

    List<String> usernameAttributes() {
        return strings(doc.path("UsernameAttributes"));
    }

    List<String> aliasAttributes() {
        return strings(doc.path("AliasAttributes"));
    }

    List<String> autoVerifiedAttributes() {
        return strings(doc.path("AutoVerifiedAttributes"));
    }

    /** Email or phone is the username: Cognito makes the username a UUID (the {@code sub}). */
    boolean signsInByAttribute() {
        return !usernameAttributes().isEmpty();
    }

    boolean caseSensitive() {
        return doc.path("UsernameConfiguration").path("CaseSensitive").asBoolean(true);
    }

    /** The form under which usernames and aliases are unique and looked up. */
    String normalize(String value) {
        return caseSensitive() ? value : value.toLowerCase(Locale.ROOT);
    }

    PasswordPolicy passwordPolicy() {
        return PasswordPolicy.fromJson(doc.path("Policies").path("PasswordPolicy"));
    }

    String emailMessage() {
        return doc.path("VerificationMessageTemplate").path("EmailMessage").asText(DEFAULT_EMAIL_MESSAGE);
    }

    String emailSubject() {
        return doc.path("VerificationMessageTemplate").path("EmailSubject").asText(DEFAULT_EMAIL_SUBJECT);
    }

    String inviteMessage() {
        return doc.path("AdminCreateUserConfig")
                .path("InviteMessageTemplate")
                .path("EmailMessage")
                .asText(DEFAULT_INVITE_MESSAGE);
    }

    String inviteSubject() {
        return doc.path("AdminCreateUserConfig")
                .path("InviteMessageTemplate")
                .path("EmailSubject")
                .asText(DEFAULT_INVITE_SUBJECT);
    }

    boolean adminCreateUserOnly() {
        return doc.path("AdminCreateUserConfig")
                .path("AllowAdminCreateUserOnly")
                .asBoolean(false);
    }

    boolean hasAttribute(String name) {
        return schema.containsKey(name);
    }

    boolean isMutable(String name) {
        return schema.containsKey(name) && schema.get(name).path("Mutable").asBoolean(true);
    }

    List<String> requiredAttributes() {
        List<String> required = new ArrayList<>();
        schema.forEach((name, attribute) -> {
            if (attribute.path("Required").asBoolean(false) && !"sub".equals(name)) {
                required.add(name);
            }
        });
        return required;
    }

    /** Builds a new pool's document from a CreateUserPool request; throws InvalidParameterException for bad input. */
    static PoolConfig create(ObjectNode request, String id, String arn, Instant now) {
        Input in = Input.of(request);
        String name = in.requiredString("PoolName", 1, 128);
        in.checkPattern("PoolName", java.util.Optional.of(name), POOL_NAME);
        List<String> usernameAttributes = in.stringList("UsernameAttributes");
        List<String> aliasAttributes = in.stringList("AliasAttributes");
        List<String> autoVerified = in.stringList("AutoVerifiedAttributes");
        usernameAttributes.forEach(
                a -> in.checkEnum("UsernameAttributes", java.util.Optional.of(a), USERNAME_ATTRIBUTES));
        aliasAttributes.forEach(a -> in.checkEnum("AliasAttributes", java.util.Optional.of(a), ALIAS_ATTRIBUTES));
        autoVerified.forEach(
                a -> in.checkEnum("AutoVerifiedAttributes", java.util.Optional.of(a), VERIFIED_ATTRIBUTES));
        ObjectNode policies =
                in.optionalObject("Policies").orElseGet(() -> AwsJson.mapper().createObjectNode());
        JsonNode passwordNode = policies.path("PasswordPolicy");
        if (passwordNode.isObject()) {
            Input policy = Input.of((ObjectNode) passwordNode);
            policy.optionalLong("MinimumLength", 6, 99);
            policy.optionalLong("TemporaryPasswordValidityDays", 0, 365);
            policy.optionalBoolean("RequireUppercase");
            policy.optionalBoolean("RequireLowercase");
            policy.optionalBoolean("RequireNumbers");
            policy.optionalBoolean("RequireSymbols");
            policy.validate();
        }
        java.util.Optional<ObjectNode> usernameConfig = in.optionalObject("UsernameConfiguration");
        usernameConfig.ifPresent(c -> Input.of(c).optionalBoolean("CaseSensitive"));
        in.validate();
        ModelInput.validate("CreateUserPool", request);
        if (!usernameAttributes.isEmpty() && !aliasAttributes.isEmpty()) {
            throw UserPoolErrors.invalidParameter(
                    "Only one of the alias attributes or username attributes can be set in a User Pool.");
        }
        ObjectNode doc = AwsJson.mapper().createObjectNode();
        doc.put("Id", id);
        doc.put("Name", name);
        ObjectNode outPolicies = doc.putObject("Policies");
        outPolicies.set("PasswordPolicy", PasswordPolicy.fromJson(passwordNode).toJson());
        outPolicies
                .putObject("SignInPolicy")
                .putArray("AllowedFirstAuthFactors")
                .add("PASSWORD");
        doc.put(
                "DeletionProtection",
                in.optionalString("DeletionProtection", 0, 16).orElse("INACTIVE"));
        doc.set(
                "LambdaConfig",
                Triggers.lambdaConfig(in.optionalObject("LambdaConfig")
                        .orElseGet(() -> AwsJson.mapper().createObjectNode())));
        doc.put("LastModifiedDate", epoch(now));
        doc.put("CreationDate", epoch(now));
        doc.set("SchemaAttributes", schema(in.objectList("Schema")));
        putList(doc, "AutoVerifiedAttributes", autoVerified);
        putList(doc, "AliasAttributes", aliasAttributes);
        putList(doc, "UsernameAttributes", usernameAttributes);
        ObjectNode template = doc.putObject("VerificationMessageTemplate");
        JsonNode givenTemplate = request.path("VerificationMessageTemplate");
        template.put(
                "EmailMessage",
                givenTemplate
                        .path("EmailMessage")
                        .asText(request.path("EmailVerificationMessage").asText(DEFAULT_EMAIL_MESSAGE)));
        template.put(
                "EmailSubject",
                givenTemplate
                        .path("EmailSubject")
                        .asText(request.path("EmailVerificationSubject").asText(DEFAULT_EMAIL_SUBJECT)));
        template.put("DefaultEmailOption", "CONFIRM_WITH_CODE");
        if (!template.path("EmailMessage").asText().contains("{####}")) {
            throw UserPoolErrors.invalidParameter(
                    "The email verification message must contain the code placeholder {####}.");
        }
        doc.put("EmailVerificationMessage", template.path("EmailMessage").asText());
        doc.put("EmailVerificationSubject", template.path("EmailSubject").asText());
        doc.put("MfaConfiguration", "OFF");
        doc.put("EstimatedNumberOfUsers", 0);
        doc.putObject("EmailConfiguration").put("EmailSendingAccount", "COGNITO_DEFAULT");
        JsonNode adminGiven = request.path("AdminCreateUserConfig");
        ObjectNode admin = doc.putObject("AdminCreateUserConfig");
        admin.put(
                "AllowAdminCreateUserOnly",
                adminGiven.path("AllowAdminCreateUserOnly").asBoolean(false));
        admin.put(
                "UnusedAccountValidityDays",
                adminGiven.path("UnusedAccountValidityDays").asInt(7));
        ObjectNode invite = admin.putObject("InviteMessageTemplate");
        invite.put(
                "EmailMessage",
                adminGiven.path("InviteMessageTemplate").path("EmailMessage").asText(DEFAULT_INVITE_MESSAGE));
        invite.put(
                "EmailSubject",
                adminGiven.path("InviteMessageTemplate").path("EmailSubject").asText(DEFAULT_INVITE_SUBJECT));
        usernameConfig.ifPresent(c -> doc.putObject("UsernameConfiguration")
                .put("CaseSensitive", c.path("CaseSensitive").asBoolean(true)));
        in.optionalObject("UserPoolTags").ifPresent(tags -> doc.set("UserPoolTags", tags));
        in.optionalObject("AccountRecoverySetting").ifPresent(s -> doc.set("AccountRecoverySetting", s));
        doc.put("Arn", arn);
        doc.put("UserPoolTier", in.optionalString("UserPoolTier", 0, 16).orElse("ESSENTIALS"));
        return new PoolConfig(doc);
    }

    private static ArrayNode schema(List<ObjectNode> given) {
        Map<String, ObjectNode> byName = new LinkedHashMap<>();
        for (String name : STANDARD) {
            byName.put(name, standardAttribute(name));
        }
        for (ObjectNode attribute : given) {
            String name = attribute.path("Name").asText("");
            if (byName.containsKey(name) && STANDARD.contains(name)) {
                SchemaRules.overrideStandard(byName.get(name), attribute);
            } else {
                ObjectNode custom = SchemaRules.custom(attribute);
                SchemaRules.checkNew(byName, custom);
                byName.put(custom.path("Name").asText(), custom);
            }
        }
        ArrayNode array = AwsJson.mapper().createArrayNode();
        byName.values().forEach(array::add);
        return array;
    }

    /** The pool's schema with {@code added} custom attributes; the caller stores the returned document. */
    PoolConfig withCustomAttributes(List<ObjectNode> added, Instant now) {
        Map<String, ObjectNode> byName = new LinkedHashMap<>();
        doc.path("SchemaAttributes").forEach(a -> byName.put(a.path("Name").asText(), (ObjectNode) a.deepCopy()));
        for (ObjectNode attribute : added) {
            ObjectNode custom = SchemaRules.custom(attribute);
            SchemaRules.checkNew(byName, custom);
            byName.put(custom.path("Name").asText(), custom);
        }
        if (byName.keySet().stream().filter(n -> n.contains("custom:")).count() > SchemaRules.MAX_CUSTOM) {
            throw UserPoolErrors.invalidParameter(
                    "A user pool can have at most " + SchemaRules.MAX_CUSTOM + " custom attributes.");
        }
        ObjectNode updated = doc.deepCopy();
        ArrayNode array = updated.putArray("SchemaAttributes");
        byName.values().forEach(array::add);
        updated.put("LastModifiedDate", epoch(now));
        return new PoolConfig(updated);
    }

    /** AccountRecoverySetting {@code admin_only}: users cannot reset their own password. */
    boolean adminOnlyRecovery() {
        for (JsonNode mechanism : doc.path("AccountRecoverySetting").path("RecoveryMechanisms")) {
            if ("admin_only".equals(mechanism.path("Name").asText())) {
                return true;
            }
        }
        return false;
    }

    private static ObjectNode standardAttribute(String name) {
        ObjectNode node = AwsJson.mapper().createObjectNode();
        node.put("Name", name);
        boolean bool = Set.of("email_verified", "phone_number_verified").contains(name);
        node.put("AttributeDataType", bool ? "Boolean" : "updated_at".equals(name) ? "Number" : "String");
        node.put("DeveloperOnlyAttribute", false);
        node.put("Mutable", !"sub".equals(name));
        node.put("Required", "sub".equals(name));
        if ("updated_at".equals(name)) {
            node.putObject("NumberAttributeConstraints").put("MinValue", "0");
        } else if (!bool) {
            ObjectNode constraints = node.putObject("StringAttributeConstraints");
            constraints.put("MinLength", "sub".equals(name) ? "1" : "birthdate".equals(name) ? "10" : "0");
            constraints.put("MaxLength", "birthdate".equals(name) ? "10" : "2048");
        }
        return node;
    }

    private static void putList(ObjectNode doc, String name, List<String> values) {
        if (!values.isEmpty()) {
            ArrayNode array = doc.putArray(name);
            values.forEach(array::add);
        }
    }

    static double epoch(Instant instant) {
        return instant.toEpochMilli() / 1000.0;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
