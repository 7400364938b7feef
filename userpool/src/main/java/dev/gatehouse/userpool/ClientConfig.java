package dev.gatehouse.userpool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsJson;
import dev.gatehouse.protocol.Input;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An app client: the {@code UserPoolClientType} document DescribeUserPoolClient returns, and the settings sign-in
 * reads from it (secret, enabled flows, token validity, PreventUserExistenceErrors).
 */
final class ClientConfig {

    static final List<String> FLOWS = List.of(
            "ADMIN_NO_SRP_AUTH",
            "CUSTOM_AUTH_FLOW_ONLY",
            "USER_PASSWORD_AUTH",
            "ALLOW_ADMIN_USER_PASSWORD_AUTH",
            "ALLOW_CUSTOM_AUTH",
            "ALLOW_USER_PASSWORD_AUTH",
            "ALLOW_USER_SRP_AUTH",
            "ALLOW_REFRESH_TOKEN_AUTH",
            "ALLOW_USER_AUTH");
    /** What the service model documents when ExplicitAuthFlows is omitted. */
    static final List<String> DEFAULT_FLOWS =
            List.of("ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH");

    private static final Pattern CLIENT_NAME = Pattern.compile("[\\w\\s+=,.@-]+");
    private static final Pattern SECRET = Pattern.compile("[\\w+]+");
    private static final List<String> UNITS = List.of("seconds", "minutes", "hours", "days");

    private final ObjectNode doc;

    ClientConfig(ObjectNode doc) {
        this.doc = Objects.requireNonNull(doc, "doc cannot be null");
    }

    String userPoolId() {
        return doc.path("UserPoolId").asText();
    }

    String clientId() {
        return doc.path("ClientId").asText();
    }

    ObjectNode document() {
        return doc.deepCopy();
    }

    Optional<String> secret() {
        JsonNode secret = doc.get("ClientSecret");
        return secret == null ? Optional.empty() : Optional.of(secret.asText());
    }

    /** The flow is enabled, by its {@code ALLOW_} name or its legacy name. */
    boolean allows(String flow) {
        Set<String> flows = new LinkedHashSet<>();
        doc.path("ExplicitAuthFlows").forEach(f -> flows.add(f.asText()));
        return switch (flow) {
            case "USER_PASSWORD_AUTH" -> flows.contains("ALLOW_USER_PASSWORD_AUTH")
                    || flows.contains("USER_PASSWORD_AUTH");
            case "ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH" -> flows.contains("ALLOW_ADMIN_USER_PASSWORD_AUTH")
                    || flows.contains("ADMIN_NO_SRP_AUTH");
            case "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN" -> flows.contains("ALLOW_REFRESH_TOKEN_AUTH")
                    || flows.stream().noneMatch(f -> f.startsWith("ALLOW_"));
                // a client of legacy values always allows SRP, unless it is limited to custom authentication
            case "USER_SRP_AUTH" -> flows.contains("ALLOW_USER_SRP_AUTH")
                    || !flows.isEmpty()
                            && flows.stream().noneMatch(f -> f.startsWith("ALLOW_"))
                            && !flows.contains("CUSTOM_AUTH_FLOW_ONLY");
            case "CUSTOM_AUTH" -> flows.contains("ALLOW_CUSTOM_AUTH") || flows.contains("CUSTOM_AUTH_FLOW_ONLY");
            case "USER_AUTH" -> flows.contains("ALLOW_USER_AUTH");
            default -> false;
        };
    }

    boolean preventUserExistenceErrors() {
        return "ENABLED".equals(doc.path("PreventUserExistenceErrors").asText());
    }

    boolean tokenRevocationEnabled() {
        return doc.path("EnableTokenRevocation").asBoolean(true);
    }

    Duration authSessionValidity() {
        return Duration.ofMinutes(doc.path("AuthSessionValidity").asInt(3));
    }

    TokenClient tokenClient() {
        JsonNode units = doc.path("TokenValidityUnits");
        return new TokenClient(
                clientId(),
                duration(
                        doc.path("IdTokenValidity").asLong(60),
                        units.path("IdToken").asText("minutes")),
                duration(
                        doc.path("AccessTokenValidity").asLong(60),
                        units.path("AccessToken").asText("minutes")),
                duration(
                        doc.path("RefreshTokenValidity").asLong(30),
                        units.path("RefreshToken").asText("days")));
    }

    /** Builds a new client's document from a CreateUserPoolClient request. */
    static ClientConfig create(ObjectNode request, String clientId, Optional<String> generatedSecret, Instant now) {
        Input in = Input.of(request);
        String poolId = in.requiredString("UserPoolId", 1, 55);
        in.checkPattern("UserPoolId", Optional.of(poolId), Fields.POOL_ID);
        String name = in.requiredString("ClientName", 1, 128);
        in.checkPattern("ClientName", Optional.of(name), CLIENT_NAME);
        boolean generate = in.optionalBoolean("GenerateSecret").orElse(false);
        Optional<String> givenSecret = in.optionalString("ClientSecret", 24, 64);
        in.checkPattern("ClientSecret", givenSecret, SECRET);
        Optional<Long> refresh = in.optionalLong("RefreshTokenValidity", 0, 315_360_000);
        Optional<Long> access = in.optionalLong("AccessTokenValidity", 1, 86_400);
        Optional<Long> id = in.optionalLong("IdTokenValidity", 1, 86_400);
        Optional<ObjectNode> units = in.optionalObject("TokenValidityUnits");
        Input unitsIn = Input.of(units.orElseGet(() -> AwsJson.mapper().createObjectNode()));
        for (String kind : List.of("AccessToken", "IdToken", "RefreshToken")) {
            unitsIn.checkEnum(kind, unitsIn.optionalString(kind, 0, 16), UNITS);
        }
        unitsIn.validate();
        List<String> flows = in.stringList("ExplicitAuthFlows");
        flows.forEach(f -> in.checkEnum("ExplicitAuthFlows", Optional.of(f), FLOWS));
        Optional<String> prevent = in.optionalString("PreventUserExistenceErrors", 0, 16);
        in.checkEnum("PreventUserExistenceErrors", prevent, List.of("LEGACY", "ENABLED"));
        Optional<Boolean> revocation = in.optionalBoolean("EnableTokenRevocation");
        Optional<Long> session = in.optionalLong("AuthSessionValidity", 3, 15);
        List<String> read = in.stringList("ReadAttributes");
        List<String> write = in.stringList("WriteAttributes");
        in.validate();
        ModelInput.validate("CreateUserPoolClient", request);
        if (generate && givenSecret.isPresent()) {
            throw UserPoolErrors.invalidParameter("ClientSecret cannot be given when GenerateSecret is true.");
        }
        boolean legacy = flows.stream().anyMatch(f -> !f.startsWith("ALLOW_"));
        boolean modern = flows.stream().anyMatch(f -> f.startsWith("ALLOW_"));
        if (legacy && modern) {
            throw UserPoolErrors.invalidParameter(
                    "ExplicitAuthFlow combination of legacy and new values is not allowed.");
        }
        if (modern && !flows.contains("ALLOW_REFRESH_TOKEN_AUTH")) {
            throw UserPoolErrors.invalidParameter("REFRESH_TOKEN_AUTH should always be allowed.");
        }
        JsonNode u = units.isPresent() ? units.get() : AwsJson.mapper().createObjectNode();
        String accessUnit = u.path("AccessToken").asText("hours");
        String idUnit = u.path("IdToken").asText("hours");
        String refreshUnit = u.path("RefreshToken").asText("days");
        long accessValue = access.orElse(defaultFor(accessUnit, 60));
        long idValue = id.orElse(defaultFor(idUnit, 60));
        long refreshValue = refresh.filter(r -> r > 0).orElse(defaultFor(refreshUnit, 30 * 24 * 60));
        checkRange("AccessToken", duration(accessValue, accessUnit), Duration.ofMinutes(5), Duration.ofDays(1));
        checkRange("IdToken", duration(idValue, idUnit), Duration.ofMinutes(5), Duration.ofDays(1));
        checkRange("RefreshToken", duration(refreshValue, refreshUnit), Duration.ofHours(1), Duration.ofDays(3650));

        ObjectNode doc = AwsJson.mapper().createObjectNode();
        doc.put("UserPoolId", poolId);
        doc.put("ClientName", name);
        doc.put("ClientId", clientId);
        if (generate) {
            doc.put("ClientSecret", generatedSecret.orElseThrow());
        } else {
            givenSecret.ifPresent(s -> doc.put("ClientSecret", s));
        }
        doc.put("LastModifiedDate", PoolConfig.epoch(now));
        doc.put("CreationDate", PoolConfig.epoch(now));
        doc.put("RefreshTokenValidity", refreshValue);
        doc.put("AccessTokenValidity", accessValue);
        doc.put("IdTokenValidity", idValue);
        ObjectNode outUnits = doc.putObject("TokenValidityUnits");
        outUnits.put("AccessToken", accessUnit);
        outUnits.put("IdToken", idUnit);
        outUnits.put("RefreshToken", refreshUnit);
        putList(doc, "ReadAttributes", read);
        putList(doc, "WriteAttributes", write);
        putList(doc, "ExplicitAuthFlows", flows.isEmpty() ? DEFAULT_FLOWS : flows);
        ClientOAuth.copy(request, doc);
        doc.put("PreventUserExistenceErrors", prevent.orElse("LEGACY"));
        doc.put("EnableTokenRevocation", revocation.orElse(true));
        doc.put("EnablePropagateAdditionalUserContextData", false);
        doc.put("AuthSessionValidity", session.orElse(3L));
        return new ClientConfig(doc);
    }

    private static long defaultFor(String unit, long minutes) {
        return switch (unit) {
            case "seconds" -> minutes * 60;
            case "minutes" -> minutes;
            case "hours" -> Math.max(1, minutes / 60);
            default -> Math.max(1, minutes / (24 * 60));
        };
    }

    private static void checkRange(String kind, Duration value, Duration min, Duration max) {
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw UserPoolErrors.invalidParameter("Invalid range for token validity: " + kind);
        }
    }

    static Duration duration(long value, String unit) {
        return switch (unit) {
            case "seconds" -> Duration.of(value, ChronoUnit.SECONDS);
            case "minutes" -> Duration.ofMinutes(value);
            case "hours" -> Duration.ofHours(value);
            default -> Duration.ofDays(value);
        };
    }

    private static void putList(ObjectNode doc, String name, List<String> values) {
        if (!values.isEmpty()) {
            ArrayNode array = doc.putArray(name);
            new ArrayList<>(new LinkedHashSet<>(values)).forEach(array::add);
        }
    }
}
