package dev.gatehouse.userpool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsJson;
import dev.gatehouse.protocol.AwsJsonService;
import dev.gatehouse.protocol.Operation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Multi-factor authentication settings: the pool's MFA configuration (SetUserPoolMfaConfig, GetUserPoolMfaConfig:
 * SMS, software token and email factors), a user's software token (AssociateSoftwareToken, VerifySoftwareToken, by
 * access token or by the session of an {@code MFA_SETUP} challenge) and MFA preferences (SetUserMFAPreference,
 * AdminSetUserMFAPreference, the legacy SetUserSettings and AdminSetUserSettings). TOTP secrets are sealed at rest.
 */
final class MfaApi {

    private static final Operation.Auth NONE = Operation.Auth.NONE;
    private static final Operation.Auth SIGV4 = Operation.Auth.SIGV4;
    static final String SOFTWARE_TOKEN = "SoftwareTokenMfaConfiguration";
    private static final String NO_OPTIONS =
            "Invalid MFA configuration given, can't turn on MFA and have no enabled MFA options.";

    private final PoolContext ctx;
    private final Accounts accounts;
    private final MfaStep step;

    MfaApi(PoolContext ctx, Accounts accounts) {
        this.ctx = Objects.requireNonNull(ctx, "ctx cannot be null");
        this.accounts = Objects.requireNonNull(accounts, "accounts cannot be null");
        this.step = new MfaStep(ctx);
    }

    void registerOn(AwsJsonService service) {
        service.register(
                "SetUserPoolMfaConfig",
                SIGV4,
                (body, c) -> setPoolConfig(ModelInput.validate("SetUserPoolMfaConfig", body)));
        service.register("GetUserPoolMfaConfig", SIGV4, (body, c) -> {
            ModelInput in = ModelInput.validate("GetUserPoolMfaConfig", body);
            return poolConfig(ctx.directory.pool(in.string("UserPoolId")));
        });
        service.register(
                "AssociateSoftwareToken",
                NONE,
                (body, c) -> associate(ModelInput.validate("AssociateSoftwareToken", body)));
        service.register(
                "VerifySoftwareToken", NONE, (body, c) -> verify(ModelInput.validate("VerifySoftwareToken", body)));
        service.register("SetUserMFAPreference", NONE, (body, c) -> {
            ModelInput in = ModelInput.validate("SetUserMFAPreference", body);
            Accounts.Signed signed = accounts.signedIn(in.string("AccessToken"));
            setPreference(signed.pool(), signed.user(), in.body());
            return UserPoolApi.empty();
        });
        service.register("AdminSetUserMFAPreference", SIGV4, (body, c) -> {
            ModelInput in = ModelInput.validate("AdminSetUserMFAPreference", body);
            Accounts.Signed found = accounts.adminFind(in.string("UserPoolId"), in.string("Username"));
            setPreference(found.pool(), found.user(), in.body());
            return UserPoolApi.empty();
        });
        service.register("SetUserSettings", NONE, (body, c) -> {
            ModelInput in = ModelInput.validate("SetUserSettings", body);
            Accounts.Signed signed = accounts.signedIn(in.string("AccessToken"));
            setLegacySettings(signed.pool(), signed.user(), in.body());
            return UserPoolApi.empty();
        });
        service.register("AdminSetUserSettings", SIGV4, (body, c) -> {
            ModelInput in = ModelInput.validate("AdminSetUserSettings", body);
            Accounts.Signed found = accounts.adminFind(in.string("UserPoolId"), in.string("Username"));
            setLegacySettings(found.pool(), found.user(), in.body());
            return UserPoolApi.empty();
        });
    }

    /**
     * {@code UserMFASettingList}, {@code PreferredMfaSetting} and the legacy {@code MFAOptions} (SMS only), as GetUser
     * and AdminGetUser add them; each left out when empty.
     */
    static void addSettings(ObjectNode response, User user) {
        if (user.smsMfaEnabled) {
            response.putArray("MFAOptions")
                    .addObject()
                    .put("DeliveryMedium", "SMS")
                    .put("AttributeName", "phone_number");
        }
        List<String> enabled = MfaFactors.enabled(user);
        if (!enabled.isEmpty()) {
            ArrayNode list = response.putArray("UserMFASettingList");
            enabled.forEach(list::add);
        }
        if (user.preferredMfa != null) {
            response.put("PreferredMfaSetting", user.preferredMfa);
        }
    }

    /**
     * SetUserPoolMfaConfig. A software-token block left out keeps the pool's; an SMS or email block given turns that
     * factor on with its message template (and the SMS block's SmsConfiguration becomes the pool's), one left out turns
     * it off. MFA ON or OPTIONAL needs at least one factor on.
     */
    private ObjectNode setPoolConfig(ModelInput in) {
        PoolConfig pool = ctx.directory.pool(in.string("UserPoolId"));
        ObjectNode body = in.body();
        ObjectNode doc = pool.document();
        if (body.hasNonNull(SOFTWARE_TOKEN)) {
            doc.putObject(SOFTWARE_TOKEN)
                    .put("Enabled", body.get(SOFTWARE_TOKEN).path("Enabled").asBoolean(false));
        }
        for (String factor : new String[] {MfaFactors.SMS_CONFIG, MfaFactors.EMAIL_CONFIG}) {
            if (body.path(factor).isObject()) {
                doc.set(factor, body.get(factor).deepCopy());
            } else {
                doc.remove(factor);
            }
        }
        JsonNode sms = body.path(MfaFactors.SMS_CONFIG);
        if (sms.path("SmsConfiguration").isObject()) {
            doc.set("SmsConfiguration", sms.get("SmsConfiguration").deepCopy());
        }
        if (sms.hasNonNull("SmsAuthenticationMessage")) {
            doc.put(
                    "SmsAuthenticationMessage",
                    sms.get("SmsAuthenticationMessage").asText());
        }
        String mode = in.optionalString("MfaConfiguration").orElse(MfaStep.poolMode(pool));
        doc.put("MfaConfiguration", mode);
        doc.put("LastModifiedDate", PoolConfig.epoch(ctx.now()));
        PoolConfig updated = new PoolConfig(doc);
        requireFactor(updated, mode);
        ctx.directory.updatePool(updated);
        return poolConfig(updated);
    }

    /**
     * CreateUserPool's and UpdateUserPool's MFA members into the pool document {@code doc}: {@code SmsConfiguration},
     * {@code SmsAuthenticationMessage}, {@code SmsVerificationMessage} are kept, and {@code MfaConfiguration} ON or
     * OPTIONAL with an {@code SmsConfiguration} turns SMS MFA on (these operations cannot turn TOTP or email on). A
     * pool created with MFA but without SMS is refused with Cognito's message.
     */
    static void applyPoolMembers(ObjectNode doc, JsonNode request, boolean creating) {
        for (String member : new String[] {"SmsConfiguration", "SmsAuthenticationMessage", "SmsVerificationMessage"}) {
            if (request.hasNonNull(member)) {
                doc.set(member, request.get(member).deepCopy());
            }
        }
        String mode = request.path("MfaConfiguration")
                .asText(doc.path("MfaConfiguration").asText("OFF"));
        if (!"OFF".equals(mode) && request.path("SmsConfiguration").isObject()) {
            ObjectNode sms = doc.putObject(MfaFactors.SMS_CONFIG);
            if (doc.hasNonNull("SmsAuthenticationMessage")) {
                sms.put(
                        "SmsAuthenticationMessage",
                        doc.get("SmsAuthenticationMessage").asText());
            }
            sms.set("SmsConfiguration", request.get("SmsConfiguration").deepCopy());
        }
        doc.put("MfaConfiguration", mode);
        if (creating
                && !"OFF".equals(mode)
                && MfaFactors.offered(new PoolConfig(doc)).isEmpty()) {
            throw UserPoolErrors.invalidParameter(
                    "SMS configuration and Auto verification for phone_number are required when MFA is "
                            + "required/optional");
        }
        requireFactor(new PoolConfig(doc), mode);
    }

    /**
     * Takes a template's {@code EnabledMfas}, {@code EmailAuthenticationMessage}, {@code EmailAuthenticationSubject}
     * (and, with {@code EnabledMfas}, {@code MfaConfiguration}) out of a CreateUserPool request: the
     * SetUserPoolMfaConfig-like settings to apply once the pool exists, empty without {@code EnabledMfas}.
     */
    static Optional<ObjectNode> templateMfa(ObjectNode request) {
        JsonNode enabled = request.remove("EnabledMfas");
        JsonNode message = request.remove("EmailAuthenticationMessage");
        JsonNode subject = request.remove("EmailAuthenticationSubject");
        if (enabled == null || enabled.isNull()) {
            return Optional.empty();
        }
        ObjectNode config = AwsJson.mapper().createObjectNode();
        JsonNode mode = request.remove("MfaConfiguration");
        config.put("MfaConfiguration", mode == null ? "OFF" : mode.asText("OFF"));
        for (JsonNode factor : enabled) {
            switch (factor.asText()) {
                case MfaFactors.SMS -> {
                    ObjectNode sms = config.putObject(MfaFactors.SMS_CONFIG);
                    if (request.hasNonNull("SmsAuthenticationMessage")) {
                        sms.set("SmsAuthenticationMessage", request.get("SmsAuthenticationMessage"));
                    }
                    if (request.hasNonNull("SmsConfiguration")) {
                        sms.set("SmsConfiguration", request.get("SmsConfiguration"));
                    }
                }
                case MfaFactors.TOTP -> config.putObject(SOFTWARE_TOKEN).put("Enabled", true);
                case MfaFactors.EMAIL -> {
                    ObjectNode email = config.putObject(MfaFactors.EMAIL_CONFIG);
                    if (message != null && !message.isNull()) {
                        email.set("Message", message);
                    }
                    if (subject != null && !subject.isNull()) {
                        email.set("Subject", subject);
                    }
                }
                default -> throw UserPoolErrors.invalidParameter(
                        "EnabledMfas: " + factor.asText() + " is not one of SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP.");
            }
        }
        ModelInput.validate("SetUserPoolMfaConfig", config.deepCopy().put("UserPoolId", "x_x"));
        // refused before the pool is created, not after
        requireFactor(new PoolConfig(config), config.path("MfaConfiguration").asText());
        return Optional.of(config);
    }

    /** The pool with a template's MFA settings ({@link #templateMfa}) applied; the caller stores it. */
    static PoolConfig withTemplateMfa(PoolConfig pool, ObjectNode config, Instant now) {
        ObjectNode doc = pool.document();
        for (String factor : new String[] {MfaFactors.SMS_CONFIG, SOFTWARE_TOKEN, MfaFactors.EMAIL_CONFIG}) {
            if (config.has(factor)) {
                doc.set(factor, config.get(factor).deepCopy());
            }
        }
        String mode = config.path("MfaConfiguration").asText("OFF");
        doc.put("MfaConfiguration", mode);
        doc.put("LastModifiedDate", PoolConfig.epoch(now));
        PoolConfig updated = new PoolConfig(doc);
        requireFactor(updated, mode);
        return updated;
    }

    /** MFA ON or OPTIONAL with no factor on is refused, with Cognito's message. */
    static void requireFactor(PoolConfig pool, String mode) {
        if (!"OFF".equals(mode) && MfaFactors.offered(pool).isEmpty()) {
            throw UserPoolErrors.invalidParameter(NO_OPTIONS);
        }
    }

    /** Only what was configured: a pool that never set a factor's block gets none (Terraform reads it). */
    private static ObjectNode poolConfig(PoolConfig pool) {
        ObjectNode response = AwsJson.mapper().createObjectNode();
        for (String factor : new String[] {MfaFactors.SMS_CONFIG, SOFTWARE_TOKEN, MfaFactors.EMAIL_CONFIG}) {
            JsonNode block = pool.document().get(factor);
            if (block != null && block.isObject()) {
                response.set(factor, block.deepCopy());
            }
        }
        response.put("MfaConfiguration", MfaStep.poolMode(pool));
        return response;
    }

    /** Who AssociateSoftwareToken or VerifySoftwareToken acts for: by access token, or by an MFA_SETUP session. */
    private record Caller(PoolConfig pool, User user, Optional<AuthSessions.Pending> session) {}

    private Caller caller(ModelInput in, String sessionKind) {
        Optional<String> token = in.optionalString("AccessToken");
        Optional<String> session = in.optionalString("Session");
        if (token.isPresent() == session.isPresent()) {
            throw UserPoolErrors.invalidParameter("Exactly one of AccessToken or Session must be given.");
        }
        if (token.isPresent()) {
            Accounts.Signed signed = accounts.signedIn(token.get());
            return new Caller(signed.pool(), signed.user(), Optional.empty());
        }
        AuthSessions.Pending pending = ctx.sessions.openAny(session.get(), sessionKind);
        PoolConfig pool = ctx.directory.findPool(pending.userPoolId()).orElseThrow(MfaApi::invalidSession);
        User user = ctx.users.findByUsername(pool, pending.username()).orElseThrow(MfaApi::invalidSession);
        if (!user.enabled) {
            throw UserPoolErrors.notAuthorized(UserPoolErrors.USER_DISABLED);
        }
        return new Caller(pool, user, Optional.of(pending));
    }

    private static RuntimeException invalidSession() {
        return UserPoolErrors.notAuthorized("Invalid session for the user.");
    }

    private static void requireTotpPool(PoolConfig pool) {
        if (!MfaStep.poolAllowsTotp(pool)) {
            throw UserPoolErrors.error(
                    "SoftwareTokenMFANotFoundException", "Software Token MFA has not been enabled by the userPool");
        }
    }

    /** A new secret, pending until verified; the session form answers with the session VerifySoftwareToken takes. */
    private ObjectNode associate(ModelInput in) {
        Caller caller = caller(in, MfaStep.MFA_SETUP);
        requireTotpPool(caller.pool());
        caller.session().ifPresent(ctx.sessions::consume);
        Instant now = ctx.now();
        byte[] secret = Totp.newSecret(ctx.random);
        String sealed = ctx.sealer.sealTotp(caller.pool().id(), caller.user().username, secret);
        ctx.users.modify(caller.pool(), caller.user(), now, u -> u.totpPending = sealed);
        ObjectNode response = AwsJson.mapper().createObjectNode();
        response.put("SecretCode", Totp.base32(secret));
        java.util.Arrays.fill(secret, (byte) 0);
        caller.session()
                .ifPresent(p -> response.put(
                        "Session",
                        ctx.sessions.start(
                                p.userPoolId(),
                                p.clientId(),
                                p.username(),
                                MfaStep.SETUP_VERIFY,
                                now,
                                ctx.directory
                                        .client(p.userPoolId(), p.clientId())
                                        .authSessionValidity())));
        return response;
    }

    /**
     * Verifies the pending secret with a code from it; it then replaces any earlier token. In the MFA_SETUP flow this
     * also enables TOTP as the preferred factor and answers with the session that completes the challenge. A wrong
     * code leaves the session usable (the guesses count toward the user's lockout).
     */
    private ObjectNode verify(ModelInput in) {
        Caller caller = caller(in, MfaStep.SETUP_VERIFY);
        requireTotpPool(caller.pool());
        User verified = step.proveTotp(caller.pool(), caller.user(), in.string("UserCode"), true);
        ObjectNode response = AwsJson.mapper().createObjectNode();
        response.put("Status", "SUCCESS");
        if (caller.session().isPresent()) {
            AuthSessions.Pending pending = caller.session().get();
            ctx.sessions.consume(pending);
            Instant now = ctx.now();
            ctx.users.modify(caller.pool(), verified, now, u -> {
                u.totpEnabled = true;
                u.preferredMfa = MfaStep.SOFTWARE_TOKEN_MFA;
            });
            response.put(
                    "Session",
                    ctx.sessions.start(
                            pending.userPoolId(),
                            pending.clientId(),
                            pending.username(),
                            MfaStep.SETUP_DONE,
                            now,
                            ctx.directory
                                    .client(pending.userPoolId(), pending.clientId())
                                    .authSessionValidity()));
        }
        return response;
    }

    /** One factor's {@code Enabled} and {@code PreferredMfa} as a preference request gives them. */
    private record Setting(String factor, boolean enabled, boolean preferred) {}

    private static Optional<Setting> setting(ObjectNode body, String member, String factor) {
        JsonNode node = body.get(member);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        return Optional.of(new Setting(
                factor,
                node.path("Enabled").asBoolean(false),
                node.path("PreferredMfa").asBoolean(false)));
    }

    /**
     * SetUserMFAPreference and AdminSetUserMFAPreference: a factor left out keeps its setting. Enabling TOTP needs a
     * verified token, SMS a phone number, email an address (verified or not: a first MFA verifies it, as in Cognito);
     * one factor is preferred (given several, as an AWS CLI example does, the last of SMS, TOTP, email); in a pool with
     * MFA ON a user with factors cannot turn them all off. WebAuthn is not available.
     */
    private void setPreference(PoolConfig pool, User user, ObjectNode body) {
        if (body.path("WebAuthnMfaSettings").path("Enabled").asBoolean(false)) {
            throw UserPoolErrors.invalidParameter(
                    "WebAuthnMfaSettings cannot be enabled: passkeys are not available in this user pool.");
        }
        List<Setting> settings = new ArrayList<>();
        setting(body, "SMSMfaSettings", MfaFactors.SMS).ifPresent(settings::add);
        setting(body, "SoftwareTokenMfaSettings", MfaFactors.TOTP).ifPresent(settings::add);
        setting(body, "EmailMfaSettings", MfaFactors.EMAIL).ifPresent(settings::add);
        for (Setting setting : settings) {
            if (setting.enabled()) {
                requireDeliverable(user, setting.factor());
            }
        }
        applyAll(pool, user, settings);
    }

    private static void requireDeliverable(User user, String factor) {
        boolean ok =
                switch (factor) {
                    case MfaFactors.SMS -> user.phoneNumber().isPresent();
                    case MfaFactors.EMAIL -> user.email().isPresent();
                    default -> user.totpSecret != null;
                };
        if (!ok) {
            throw UserPoolErrors.invalidParameter(
                    MfaFactors.TOTP.equals(factor)
                            ? "User has not verified software token mfa"
                            : "User does not have delivery config set to turn on " + factor);
        }
    }

    /** Saves the settings, after checking that a pool with MFA ON keeps the user's last factor. */
    private void applyAll(PoolConfig pool, User user, List<Setting> settings) {
        boolean before = !MfaFactors.enabled(user).isEmpty();
        ctx.users.modify(pool, user, ctx.now(), u -> {
            settings.forEach(s -> apply(u, s));
            if ("ON".equals(MfaStep.poolMode(pool))
                    && before
                    && MfaFactors.enabled(u).isEmpty()) {
                throw UserPoolErrors.invalidParameter(
                        "MFA is required by the user pool: the user's only factor cannot be disabled.");
            }
        });
    }

    private static void apply(User user, Setting setting) {
        switch (setting.factor()) {
            case MfaFactors.SMS -> user.smsMfaEnabled = setting.enabled();
            case MfaFactors.EMAIL -> user.emailMfaEnabled = setting.enabled();
            default -> user.totpEnabled = setting.enabled();
        }
        if (setting.enabled() && setting.preferred()) {
            user.preferredMfa = setting.factor();
        } else if (setting.factor().equals(user.preferredMfa)) {
            user.preferredMfa = null;
        }
    }

    /**
     * The legacy SetUserSettings and AdminSetUserSettings: an {@code SMS} option turns SMS MFA on (the user needs a
     * phone number), an empty list turns it off. Email is no MFA option in this API.
     */
    private void setLegacySettings(PoolConfig pool, User user, ObjectNode body) {
        boolean sms = false;
        for (JsonNode option : body.path("MFAOptions")) {
            if (!"SMS".equals(option.path("DeliveryMedium").asText())
                    || !"phone_number".equals(option.path("AttributeName").asText())) {
                throw UserPoolErrors.invalidParameter(
                        "Only SMS to phone_number is supported as an MFA option in MFAOptions.");
            }
            sms = true;
        }
        if (sms) {
            requireDeliverable(user, MfaFactors.SMS);
        }
        boolean keepPreferred = sms && MfaFactors.SMS.equals(user.preferredMfa);
        applyAll(pool, user, List.of(new Setting(MfaFactors.SMS, sms, keepPreferred)));
    }
}
