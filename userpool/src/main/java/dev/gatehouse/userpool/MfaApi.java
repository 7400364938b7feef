package dev.gatehouse.userpool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsJson;
import dev.gatehouse.protocol.AwsJsonService;
import dev.gatehouse.protocol.Operation;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * TOTP multi-factor authentication: the pool's MFA configuration (SetUserPoolMfaConfig, GetUserPoolMfaConfig), a
 * user's software token (AssociateSoftwareToken, VerifySoftwareToken, by access token or by the session of an
 * {@code MFA_SETUP} challenge) and MFA preferences (SetUserMFAPreference, AdminSetUserMFAPreference). Secrets are
 * sealed at rest. SMS and email one-time codes are not implemented: asking to enable them fails.
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
    }

    /** {@code UserMFASettingList} and {@code PreferredMfaSetting}, as GetUser and AdminGetUser add them. */
    static void addSettings(ObjectNode response, User user) {
        if (MfaStep.hasTotp(user)) {
            ArrayNode list = response.putArray("UserMFASettingList");
            list.add(MfaStep.SOFTWARE_TOKEN_MFA);
        }
        if (user.preferredMfa != null) {
            response.put("PreferredMfaSetting", user.preferredMfa);
        }
    }

    private ObjectNode setPoolConfig(ModelInput in) {
        PoolConfig pool = ctx.directory.pool(in.string("UserPoolId"));
        ObjectNode body = in.body();
        for (String unsupported : new String[] {"SmsMfaConfiguration", "EmailMfaConfiguration"}) {
            if (body.hasNonNull(unsupported) && !body.get(unsupported).isEmpty()) {
                throw UserPoolErrors.invalidParameter(unsupported
                        + " is not supported by this server: only software token " + "(TOTP) MFA is available.");
            }
        }
        ObjectNode doc = pool.document();
        if (body.hasNonNull(SOFTWARE_TOKEN)) {
            doc.putObject(SOFTWARE_TOKEN)
                    .put("Enabled", body.get(SOFTWARE_TOKEN).path("Enabled").asBoolean(false));
        }
        String mode = in.optionalString("MfaConfiguration").orElse(MfaStep.poolMode(pool));
        doc.put("MfaConfiguration", mode);
        doc.put("LastModifiedDate", PoolConfig.epoch(ctx.now()));
        PoolConfig updated = new PoolConfig(doc);
        if (!"OFF".equals(mode) && !MfaStep.poolAllowsTotp(updated)) {
            throw UserPoolErrors.invalidParameter(NO_OPTIONS);
        }
        ctx.directory.updatePool(updated);
        return poolConfig(updated);
    }

    /** Only what was configured: a pool that never set a software-token block gets none (Terraform reads it). */
    private static ObjectNode poolConfig(PoolConfig pool) {
        ObjectNode response = AwsJson.mapper().createObjectNode();
        JsonNode totp = pool.document().get(SOFTWARE_TOKEN);
        if (totp != null) {
            response.set(SOFTWARE_TOKEN, totp.deepCopy());
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

    /**
     * SetUserMFAPreference and AdminSetUserMFAPreference: enabling TOTP needs a verified token; a pool with MFA ON
     * does not let a user turn TOTP off; SMS and email factors are not available.
     */
    private void setPreference(PoolConfig pool, User user, ObjectNode body) {
        for (String unsupported : new String[] {"SMSMfaSettings", "EmailMfaSettings", "WebAuthnMfaSettings"}) {
            JsonNode settings = body.path(unsupported);
            if (settings.path("Enabled").asBoolean(false)
                    || settings.path("PreferredMfa").asBoolean(false)) {
                throw UserPoolErrors.invalidParameter(unsupported
                        + " cannot be enabled: only software token (TOTP) MFA is " + "available in this user pool.");
            }
        }
        JsonNode totp = body.get("SoftwareTokenMfaSettings");
        if (totp == null || totp.isNull()) {
            return;
        }
        boolean enabled = totp.path("Enabled").asBoolean(false);
        boolean preferred = totp.path("PreferredMfa").asBoolean(false);
        if (enabled && user.totpSecret == null) {
            throw UserPoolErrors.invalidParameter("User has not verified software token mfa");
        }
        if (!enabled && "ON".equals(MfaStep.poolMode(pool)) && MfaStep.hasTotp(user)) {
            throw UserPoolErrors.invalidParameter(
                    "MFA is required by the user pool: the user's only factor cannot be " + "disabled.");
        }
        ctx.users.modify(pool, user, ctx.now(), u -> {
            u.totpEnabled = enabled;
            if (enabled && preferred) {
                u.preferredMfa = MfaStep.SOFTWARE_TOKEN_MFA;
            } else if (MfaStep.SOFTWARE_TOKEN_MFA.equals(u.preferredMfa)) {
                u.preferredMfa = null;
            }
        });
    }
}
