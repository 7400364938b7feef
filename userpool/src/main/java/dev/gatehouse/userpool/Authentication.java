package dev.gatehouse.userpool;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsJson;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Sign-in: InitiateAuth and AdminInitiateAuth (password and refresh flows), the NEW_PASSWORD_REQUIRED challenge, and
 * RevokeToken, and SRP sign-in (USER_SRP_AUTH answered by PASSWORD_VERIFIER). Fail closed: a flow runs only when the
 * endpoint accepts it, the client enables it, and it is implemented. CUSTOM_AUTH is {@link CustomAuth}'s.
 */
final class Authentication {

    static final String NEW_PASSWORD_REQUIRED = "NEW_PASSWORD_REQUIRED";
    static final String PASSWORD_VERIFIER = "PASSWORD_VERIFIER";
    /** Kinds of SRP session: a real verifier, a fake one for an unknown user, a user without a verifier. */
    private static final String SRP_USER = "user";

    private static final String SRP_FAKE = "fake";
    private static final String SRP_NO_VERIFIER = "none";
    static final List<String> AUTH_FLOWS = List.of(
            "USER_SRP_AUTH",
            "REFRESH_TOKEN_AUTH",
            "REFRESH_TOKEN",
            "CUSTOM_AUTH",
            "ADMIN_NO_SRP_AUTH",
            "USER_PASSWORD_AUTH",
            "ADMIN_USER_PASSWORD_AUTH",
            "USER_AUTH");
    private static final Set<String> USER_FLOWS = Set.of(
            "USER_SRP_AUTH", "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN", "CUSTOM_AUTH", "USER_PASSWORD_AUTH", "USER_AUTH");
    private static final Set<String> ADMIN_FLOWS = Set.of(
            "USER_SRP_AUTH",
            "REFRESH_TOKEN_AUTH",
            "REFRESH_TOKEN",
            "CUSTOM_AUTH",
            "ADMIN_NO_SRP_AUTH",
            "ADMIN_USER_PASSWORD_AUTH",
            "USER_AUTH");

    private final PoolContext ctx;
    private final MfaStep mfa;
    private final CustomAuth custom;

    Authentication(PoolContext ctx) {
        this.ctx = Objects.requireNonNull(ctx, "ctx cannot be null");
        this.mfa = new MfaStep(ctx);
        this.custom = new CustomAuth(
                ctx,
                (pool, client, params, state) -> srpAuth(pool, client, params, state, Map.of()),
                this::customFinish);
    }

    /** InitiateAuth ({@code userPoolId} empty) or AdminInitiateAuth. */
    ObjectNode initiateAuth(Optional<String> userPoolId, String clientId, String flow, Map<String, String> params) {
        return initiateAuth(userPoolId, clientId, flow, params, Map.of());
    }

    /** As above, with the request's {@code ClientMetadata} (the custom-authentication triggers receive it). */
    ObjectNode initiateAuth(
            Optional<String> userPoolId,
            String clientId,
            String flow,
            Map<String, String> params,
            Map<String, String> clientMetadata) {
        boolean admin = userPoolId.isPresent();
        ClientConfig client = admin ? ctx.directory.client(userPoolId.get(), clientId) : ctx.directory.client(clientId);
        PoolConfig pool = ctx.directory.pool(client.userPoolId());
        if (!(admin ? ADMIN_FLOWS : USER_FLOWS).contains(flow)) {
            throw UserPoolErrors.invalidParameter("Initiate Auth method not supported.");
        }
        if (!client.allows(flow)) {
            throw UserPoolErrors.invalidParameter(flow + " flow not enabled for this client");
        }
        return switch (flow) {
            case "USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH" -> passwordAuth(
                    pool, client, params, clientMetadata);
            case "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN" -> refresh(pool, client, params);
            case "USER_SRP_AUTH" -> srpAuth(pool, client, params, Map.of(), clientMetadata);
            case "CUSTOM_AUTH" -> custom.initiate(pool, client, params, clientMetadata);
            default -> throw UserPoolErrors.invalidParameter("Initiate Auth method not supported.");
        };
    }

    private ObjectNode passwordAuth(
            PoolConfig pool, ClientConfig client, Map<String, String> params, Map<String, String> clientMetadata) {
        String username = required(params, "USERNAME");
        String password = required(params, "PASSWORD");
        if (username.length() > 128 || password.length() > 256) {
            throw UserPoolErrors.invalidParameter("USERNAME or PASSWORD is longer than the service allows.");
        }
        PoolContext.checkSecretHash(client, Optional.ofNullable(params.get("SECRET_HASH")), username);
        boolean hide = client.preventUserExistenceErrors();
        Optional<User> found = ctx.users.find(pool, username);
        ctx.userTriggers.preAuthentication(pool, client, found, username, clientMetadata);
        if (found.isEmpty()) {
            ctx.hasher.verifyDummy(password);
            throw hide ? UserPoolErrors.incorrectCredentials() : UserPoolErrors.userNotFound();
        }
        User user = found.get();
        return signIn(pool, client, user, () -> passwordMatches(user, password) ? Proof.MATCH : Proof.MISMATCH);
    }

    /** How a sign-in's proof of the password turned out. */
    private enum Proof {
        MATCH,
        /** A wrong password: counts toward lockout. */
        MISMATCH,
        /** Refused for another reason (a malformed or stale SRP answer, no verifier): fails, counts nothing. */
        REFUSED
    }

    /**
     * The outcome of a sign-in once the user is known, the same for every flow: disabled, locked out, unconfirmed,
     * the proof ({@code proof} is called at most once), then tokens or the challenge the user's status asks for.
     */
    private ObjectNode signIn(PoolConfig pool, ClientConfig client, User user, Supplier<Proof> proof) {
        return ctx.events.signIn(pool, user, ctx.now(), () -> proveAndFinish(pool, client, user, proof));
    }

    private ObjectNode proveAndFinish(PoolConfig pool, ClientConfig client, User user, Supplier<Proof> proof) {
        User current = proven(pool, client, user, proof);
        return switch (current.status) {
            case UNCONFIRMED -> throw UserPoolErrors.userNotConfirmed();
            case RESET_REQUIRED -> throw UserPoolErrors.error(
                    UserPoolErrors.PASSWORD_RESET_REQUIRED, "Password reset required for the user");
            case FORCE_CHANGE_PASSWORD -> newPasswordChallenge(pool, client, current, ctx.now());
            case CONFIRMED -> mfa.finish(pool, client, current, ctx.now());
        };
    }

    /** The checks of {@link #signIn} up to the proof: the user as saved after a matching proof, or the refusal. */
    private User proven(PoolConfig pool, ClientConfig client, User user, Supplier<Proof> proof) {
        boolean hide = client.preventUserExistenceErrors();
        if (!user.enabled) {
            if (hide && proof.get() != Proof.MATCH) {
                throw UserPoolErrors.incorrectCredentials();
            }
            throw UserPoolErrors.notAuthorized(UserPoolErrors.USER_DISABLED);
        }
        Instant now = ctx.now();
        if (SignInThrottle.lockedOut(user, now)) {
            // Refused before queueing behind the user's other proofs.
            ctx.users.modify(pool, user, now, u -> SignInThrottle.recordLockedAttempt(u, now));
            throw lockedOut(hide, proof);
        }
        if (user.status == User.Status.UNCONFIRMED && !hide) {
            throw UserPoolErrors.userNotConfirmed();
        }
        return ctx.proofs.oneAtATime(pool.id(), user.username, () -> prove(pool, hide, user, proof));
    }

    /**
     * CUSTOM_AUTH authenticated the user. After a verified password it ends as SRP sign-in does (a temporary password
     * must be changed, then MFA); without one, tokens: Cognito ties MFA to the password verifier.
     */
    private ObjectNode customFinish(PoolConfig pool, ClientConfig client, User user, boolean passwordVerified) {
        Instant now = ctx.now();
        if (!passwordVerified) {
            return PoolContext.authenticationResult(ctx.tokens.issue(user.tokenSubject(), client.tokenClient(), now));
        }
        return user.status == User.Status.FORCE_CHANGE_PASSWORD
                ? newPasswordChallenge(pool, client, user, now)
                : mfa.finish(pool, client, user, now);
    }

    /**
     * Checks the proof while no other proof of this user runs on this node, and returns the user as saved after a
     * match. The attempt is still saved as a failure before its proof is checked (a match then clears it): that stored
     * count is what bounds parallel guesses arriving on several nodes sharing the store.
     */
    private User prove(PoolConfig pool, boolean hide, User read, Supplier<Proof> proof) {
        Instant now = ctx.now();
        // Earlier proofs of this user may have changed it while this one waited.
        User user = ctx.users
                .findByUsername(pool, read.username)
                .filter(u -> u.sub.equals(read.sub))
                .orElseThrow(UserPoolErrors::incorrectCredentials);
        boolean[] locked = {false};
        user = ctx.users.modify(pool, user, now, u -> {
            locked[0] = SignInThrottle.lockedOut(u, now);
            if (locked[0]) {
                SignInThrottle.recordLockedAttempt(u, now);
            } else {
                SignInThrottle.recordFailure(u, now);
            }
        });
        if (locked[0]) {
            throw lockedOut(hide, proof);
        }
        Proof outcome = proof.get();
        if (outcome == Proof.MISMATCH) {
            throw UserPoolErrors.incorrectCredentials();
        }
        if (outcome != Proof.MATCH) {
            ctx.users.modify(pool, user, now, SignInThrottle::forgetFailure);
            throw UserPoolErrors.incorrectCredentials();
        }
        return ctx.users.modify(pool, user, now, u -> SignInThrottle.recordSuccess(u, now));
    }

    /**
     * A locked-out user's answer. A client that hides user existence gets what an unknown user gets, after the same
     * work (the proof is computed and its result ignored), so a lockout does not tell that the user exists.
     */
    private static RuntimeException lockedOut(boolean hide, Supplier<Proof> proof) {
        if (hide) {
            var unused = proof.get();
            return UserPoolErrors.incorrectCredentials();
        }
        return UserPoolErrors.notAuthorized(UserPoolErrors.PASSWORD_ATTEMPTS_EXCEEDED);
    }

    /**
     * USER_SRP_AUTH: the PASSWORD_VERIFIER challenge, its server half sealed into the session. A user that does not
     * exist gets a challenge from a fake verifier (when the client hides existence errors); a user without a verifier
     * gets one too and can only fail, as with a wrong password.
     */
    private ObjectNode srpAuth(
            PoolConfig pool,
            ClientConfig client,
            Map<String, String> params,
            Map<String, String> extraState,
            Map<String, String> clientMetadata) {
        String username = required(params, "USERNAME");
        String srpA = required(params, "SRP_A");
        if (username.length() > 128) {
            throw UserPoolErrors.invalidParameter("USERNAME is longer than the service allows.");
        }
        PoolContext.checkSecretHash(client, Optional.ofNullable(params.get("SECRET_HASH")), username);
        BigInteger clientPublic;
        try {
            clientPublic = SrpServer.clientPublic(srpA);
        } catch (SrpException e) {
            throw UserPoolErrors.incorrectCredentials();
        }
        Optional<User> found = ctx.users.find(pool, username);
        if (extraState.isEmpty()) { // CUSTOM_AUTH ran PreAuthentication before DefineAuthChallenge
            ctx.userTriggers.preAuthentication(pool, client, found, username, clientMetadata);
        }
        String userIdForSrp;
        SrpVerifier verifier;
        String kind;
        String normalized = pool.normalize(username);
        if (found.isEmpty()) {
            if (!client.preventUserExistenceErrors()) {
                throw UserPoolErrors.userNotFound();
            }
            // Email-as-username pools answer with a UUID for real users too; other pools with the username.
            userIdForSrp = pool.signsInByAttribute() ? ctx.srp.fakeUserIdForSrp(pool.id(), normalized) : username;
            verifier = ctx.srp.fakeVerifier(pool.id(), normalized);
            kind = SRP_FAKE;
        } else {
            User user = found.get();
            userIdForSrp = user.username;
            Optional<SrpVerifier> stored = ctx.srpVerifier(user);
            verifier = stored.orElseGet(() -> ctx.srp.fakeVerifier(pool.id(), "\u0000" + user.username));
            kind = stored.isPresent() ? SRP_USER : SRP_NO_VERIFIER;
        }
        SrpChallenge challenge;
        try {
            challenge = ctx.srp.challenge(SrpServer.poolName(pool.id()), userIdForSrp, verifier, clientPublic);
        } catch (SrpException e) {
            throw UserPoolErrors.incorrectCredentials();
        }
        String session = AuthSessions.idForSecretBlock(challenge.secretBlock())
                .orElseThrow(() -> new IllegalStateException("a SECRET_BLOCK is 32 bytes"));
        ctx.sessions.start(
                session,
                pool.id(),
                client.clientId(),
                userIdForSrp,
                PASSWORD_VERIFIER,
                ctx.now(),
                client.authSessionValidity(),
                state(
                        extraState,
                        "srp",
                        ctx.sealer.sealChallenge(pool.id(), challenge),
                        "kind",
                        kind,
                        "asked",
                        normalized));
        ObjectNode response = AwsJson.mapper().createObjectNode();
        response.put("ChallengeName", PASSWORD_VERIFIER);
        response.put("Session", session);
        ObjectNode parameters = response.putObject("ChallengeParameters");
        challenge.challengeParameters().forEach(parameters::put);
        return response;
    }

    private static Map<String, String> state(Map<String, String> extra, String... namesAndValues) {
        Map<String, String> state = new LinkedHashMap<>(extra);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            state.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return state;
    }

    /** The answer to PASSWORD_VERIFIER: the session is used up whatever the outcome. */
    private ObjectNode passwordVerifier(
            PoolConfig pool,
            ClientConfig client,
            Optional<String> sessionId,
            Map<String, String> responses,
            Map<String, String> clientMetadata) {
        String username = required(responses, "USERNAME");
        String secretBlock = required(responses, "PASSWORD_CLAIM_SECRET_BLOCK");
        String signature = required(responses, "PASSWORD_CLAIM_SIGNATURE");
        String timestamp = required(responses, "TIMESTAMP");
        PoolContext.checkSecretHash(client, Optional.ofNullable(responses.get("SECRET_HASH")), username);
        // Session is optional here (pycognito never sends it): the echoed secret block names the challenge then.
        String session = sessionId
                .or(() -> AuthSessions.idForSecretBlock(secretBlock))
                .orElseThrow(Authentication::invalidSession);
        AuthSessions.Pending pending = ctx.sessions.open(session, pool.id(), client.clientId(), PASSWORD_VERIFIER);
        Optional<String> customChain = CustomAuth.chainOf(pending);
        if (!client.allows(customChain.isPresent() ? "CUSTOM_AUTH" : "USER_SRP_AUTH")) {
            throw UserPoolErrors.invalidParameter(
                    (customChain.isPresent() ? "CUSTOM_AUTH" : "USER_SRP_AUTH") + " flow not enabled for this client");
        }
        ctx.sessions.consume(pending);
        SrpChallenge challenge;
        try {
            challenge = ctx.sealer.openChallenge(
                    pool.id(), pending.username(), pending.state("srp").orElseThrow(Authentication::invalidSession));
        } catch (IllegalStateException e) {
            throw invalidSession();
        }
        Supplier<Proof> proof = () -> {
            try {
                ctx.srp.verify(challenge, secretBlock, timestamp, signature);
                return Proof.MATCH;
            } catch (SrpException e) {
                return e.reason() == SrpException.Reason.SIGNATURE_MISMATCH ? Proof.MISMATCH : Proof.REFUSED;
            }
        };
        String kind = pending.state("kind").orElse("");
        if (SRP_FAKE.equals(kind)) {
            if (!username.equals(pending.username())
                    && !pool.normalize(username).equals(pending.state("asked").orElse(""))) {
                throw invalidSession();
            }
            // Verified anyway, so an unknown user costs what a known one does; no password matches a fake verifier.
            if (proof.get() != Proof.MATCH) {
                throw UserPoolErrors.incorrectCredentials();
            }
            throw new IllegalStateException("a fake SRP verifier matched");
        }
        User user = ctx.users
                .find(pool, username)
                .filter(u -> u.username.equals(pending.username()))
                .orElseThrow(Authentication::invalidSession);
        // A user without a verifier (stored before SRP existed) can only fail, and that counts nothing.
        Supplier<Proof> checked = SRP_USER.equals(kind) ? proof : () -> Proof.REFUSED;
        if (customChain.isPresent()) {
            User current = proven(pool, client, user, checked);
            return custom.passwordVerified(pool, client, current, customChain.get(), clientMetadata);
        }
        return signIn(pool, client, user, checked);
    }

    private static RuntimeException invalidSession() {
        return UserPoolErrors.notAuthorized("Invalid session for the user.");
    }

    private ObjectNode newPasswordChallenge(PoolConfig pool, ClientConfig client, User user, Instant now) {
        Instant expires = user.passwordExpiresAt;
        if (expires != null && !expires.isAfter(now)) {
            throw UserPoolErrors.notAuthorized("Temporary password has expired and must be reset by an administrator.");
        }
        ObjectNode response =
                MfaStep.challenge(ctx, pool, client, user, NEW_PASSWORD_REQUIRED, NEW_PASSWORD_REQUIRED, now);
        ObjectNode parameters = (ObjectNode) response.get("ChallengeParameters");
        parameters.put("USER_ID_FOR_SRP", user.username);
        ArrayNode required = AwsJson.mapper().createArrayNode();
        pool.requiredAttributes().stream()
                .filter(a -> !user.attributes.containsKey(a))
                .forEach(a -> required.add("userAttributes." + a));
        ObjectNode attributes = AwsJson.mapper().createObjectNode();
        user.attributes.forEach((name, value) -> {
            if (!"sub".equals(name)) {
                attributes.put(name, value);
            }
        });
        parameters.put("requiredAttributes", PoolDirectory.write(required));
        parameters.put("userAttributes", PoolDirectory.write(attributes));
        return response;
    }

    private ObjectNode refresh(PoolConfig pool, ClientConfig client, Map<String, String> params) {
        String token = required(params, "REFRESH_TOKEN");
        RefreshGrant grant = ctx.tokens.openRefreshToken(token, pool.id(), client.clientId());
        PoolContext.checkSecretHash(
                client,
                Optional.ofNullable(params.get("SECRET_HASH")),
                grant.username(),
                params.getOrDefault("USERNAME", grant.username()));
        User user = ctx.users
                .findByUsername(pool, grant.username())
                .orElseThrow(() -> UserPoolErrors.notAuthorized(UserPoolErrors.USER_DOES_NOT_EXIST));
        if (!user.enabled) {
            throw UserPoolErrors.notAuthorized(UserPoolErrors.USER_DISABLED);
        }
        return PoolContext.authenticationResult(ctx.tokens.reissue(user.tokenSubject(), client.tokenClient(), grant));
    }

    /** RespondToAuthChallenge ({@code userPoolId} empty) or AdminRespondToAuthChallenge. */
    ObjectNode respondToChallenge(
            Optional<String> userPoolId,
            String clientId,
            String challenge,
            Optional<String> sessionId,
            Map<String, String> responses) {
        return respondToChallenge(userPoolId, clientId, challenge, sessionId, responses, Map.of());
    }

    /** As above, with the request's {@code ClientMetadata} (the custom-authentication triggers receive it). */
    ObjectNode respondToChallenge(
            Optional<String> userPoolId,
            String clientId,
            String challenge,
            Optional<String> sessionId,
            Map<String, String> responses,
            Map<String, String> clientMetadata) {
        ClientConfig client = userPoolId.isPresent()
                ? ctx.directory.client(userPoolId.get(), clientId)
                : ctx.directory.client(clientId);
        PoolConfig pool = ctx.directory.pool(client.userPoolId());
        if (PASSWORD_VERIFIER.equals(challenge)) {
            return passwordVerifier(pool, client, sessionId, responses, clientMetadata);
        }
        if (CustomAuth.CUSTOM_CHALLENGE.equals(challenge)) {
            return custom.respond(pool, client, sessionId, responses, clientMetadata);
        }
        if (MfaStep.answers(challenge)) {
            return mfa.respond(pool, client, challenge, sessionId, responses);
        }
        if (!NEW_PASSWORD_REQUIRED.equals(challenge)) {
            throw UserPoolErrors.invalidParameter("Challenge " + challenge + " is not supported.");
        }
        String username = required(responses, "USERNAME");
        String password = required(responses, "NEW_PASSWORD");
        String session =
                sessionId.orElseThrow(() -> UserPoolErrors.invalidParameter("Missing required parameter Session"));
        PoolContext.checkSecretHash(client, Optional.ofNullable(responses.get("SECRET_HASH")), username);
        AuthSessions.Pending pending = ctx.sessions.open(session, pool.id(), client.clientId(), NEW_PASSWORD_REQUIRED);
        User user = ctx.users
                .find(pool, username)
                .filter(u -> u.username.equals(pending.username()) && u.status == User.Status.FORCE_CHANGE_PASSWORD)
                .orElseThrow(() -> UserPoolErrors.notAuthorized("Invalid session for the user."));
        if (!user.enabled) {
            throw UserPoolErrors.notAuthorized(UserPoolErrors.USER_DISABLED);
        }
        pool.passwordPolicy().check(password);
        Map<String, String> attributes = new LinkedHashMap<>();
        responses.forEach((name, value) -> {
            if (name.startsWith("userAttributes.")) {
                attributes.put(name.substring("userAttributes.".length()), value);
            }
        });
        PoolContext.checkAttributes(pool, attributes);
        for (String name : attributes.keySet()) {
            if (name.endsWith("_verified") || (!pool.isMutable(name) && user.attributes.containsKey(name))) {
                throw UserPoolErrors.notAuthorized("A client attempted to write unauthorized attribute");
            }
        }
        for (String name : pool.requiredAttributes()) {
            if (!user.attributes.containsKey(name) && !attributes.containsKey(name)) {
                throw UserPoolErrors.invalidParameter("Invalid attributes given, " + name + " is missing");
            }
        }
        ctx.sessions.consume(pending);
        Instant now = ctx.now();
        user.attributes.putAll(attributes);
        ctx.setPassword(pool, user, password);
        user.passwordExpiresAt = null;
        user.status = User.Status.CONFIRMED;
        ctx.users.update(pool, user, now, false);
        return TokenTriggers.during(TokenTriggers.NEW_PASSWORD_CHALLENGE, () -> mfa.finish(pool, client, user, now));
    }

    /** RevokeToken: ends the refresh token's session; the client authenticates with its secret when it has one. */
    void revokeToken(String token, String clientId, Optional<String> clientSecret) {
        ClientConfig client = ctx.directory.client(clientId);
        Optional<String> secret = client.secret();
        if (secret.isPresent()
                && (clientSecret.isEmpty()
                        || !MessageDigest.isEqual(
                                secret.get().getBytes(StandardCharsets.UTF_8),
                                clientSecret.get().getBytes(StandardCharsets.UTF_8)))) {
            throw UserPoolErrors.error(UserPoolErrors.UNAUTHORIZED, "Invalid client secret.");
        }
        if (!client.tokenRevocationEnabled()) {
            throw UserPoolErrors.error(
                    UserPoolErrors.UNSUPPORTED_OPERATION, "Token revocation is not enabled for this client.");
        }
        if (token.chars().filter(c -> c == '.').count() != 4) {
            throw UserPoolErrors.error(UserPoolErrors.UNSUPPORTED_TOKEN_TYPE, "Unsupported token type.");
        }
        ctx.tokens.revoke(token, client.userPoolId(), clientId);
    }

    private boolean passwordMatches(User user, String password) {
        String hash = user.passwordHash;
        if (hash == null) {
            ctx.hasher.verifyDummy(password);
            return false;
        }
        return ctx.hasher.verify(password, hash);
    }

    static String required(Map<String, String> params, String name) {
        String value = params.get(name);
        if (value == null || value.isEmpty()) {
            throw UserPoolErrors.invalidParameter("Missing required parameter " + name);
        }
        return value;
    }
}
