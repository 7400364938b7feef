package dev.gatehouse.userpool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsJson;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code CUSTOM_AUTH} flow: a challenge loop driven by the pool's three custom-authentication triggers.
 *
 * <ul>
 *   <li>InitiateAuth asks DefineAuthChallenge what comes first, with an empty {@code session} (or, when
 *       {@code CHALLENGE_NAME} is {@code SRP_A}, with {@code [SRP_A: true]}, after which Define may ask for the
 *       password as an SRP {@code PASSWORD_VERIFIER}).
 *   <li>Each {@code CUSTOM_CHALLENGE} comes from CreateAuthChallenge: its public parameters go to the client, its
 *       private parameters and metadata stay in the auth session, which is single use, bound to pool, client and user,
 *       and expires with the client's AuthSessionValidity.
 *   <li>An answer goes to VerifyAuthChallengeResponse; its verdict is appended to the session list and Define decides
 *       again: another challenge, tokens (through the same MFA and token path as every other sign-in) or failure.
 *   <li>A user that does not exist, for a client that hides user existence, goes through the same loop with
 *       {@code userNotFound: true} and can never get tokens. At most {@link #MAX_CHALLENGES} custom challenges are
 *       answered in one sign-in (sessions are single use), so one sign-in cannot go on guessing without end,
 *       whatever Define answers.
 * </ul>
 */
final class CustomAuth {

    static final String CUSTOM_CHALLENGE = "CUSTOM_CHALLENGE";
    static final String SRP_A = "SRP_A";
    private static final String DEFINE = Triggers.DEFINE_AUTH_CHALLENGE;
    private static final String CREATE = Triggers.CREATE_AUTH_CHALLENGE;
    private static final String VERIFY = Triggers.VERIFY_AUTH_CHALLENGE_RESPONSE;

    /**
     * Custom challenges one sign-in may answer. Cognito documents no number; past it the sign-in fails as Define's
     * {@code failAuthentication} does, whatever Define asks.
     */
    static final int MAX_CHALLENGES = 8;

    /** Auth-session state: the session list so far (JSON), the challenge's private parameters and metadata. */
    private static final String CHAIN = "chain";

    private static final String PRIVATE = "private";
    private static final String METADATA = "metadata";
    private static final String NOT_FOUND = "notFound";
    private static final String ASKED = "asked";

    /** Starts the SRP half ({@code PASSWORD_VERIFIER}) with extra auth-session state; Authentication's srpAuth. */
    @FunctionalInterface
    interface SrpStart {
        ObjectNode start(PoolConfig pool, ClientConfig client, Map<String, String> params, Map<String, String> state);
    }

    /** Issues tokens (or the MFA challenge) for a user the loop authenticated. */
    @FunctionalInterface
    interface Finish {
        ObjectNode finish(PoolConfig pool, ClientConfig client, User user, boolean passwordVerified);
    }

    /** Who signs in: the user, or (for a client hiding existence) the name asked for that matches nobody. */
    private record Subject(Optional<User> user, String username, String asked) {

        boolean notFound() {
            return user.isEmpty();
        }
    }

    private final PoolContext ctx;
    private final SrpStart srp;
    private final Finish finish;

    CustomAuth(PoolContext ctx, SrpStart srp, Finish finish) {
        this.ctx = Objects.requireNonNull(ctx, "ctx cannot be null");
        this.srp = Objects.requireNonNull(srp, "srp cannot be null");
        this.finish = Objects.requireNonNull(finish, "finish cannot be null");
    }

    /** InitiateAuth or AdminInitiateAuth with {@code CUSTOM_AUTH} (the client allows it). */
    ObjectNode initiate(
            PoolConfig pool, ClientConfig client, Map<String, String> params, Map<String, String> clientMetadata) {
        configured(pool, DEFINE);
        String username = Authentication.required(params, "USERNAME");
        if (username.length() > 128) {
            throw UserPoolErrors.invalidParameter("USERNAME is longer than the service allows.");
        }
        PoolContext.checkSecretHash(client, Optional.ofNullable(params.get("SECRET_HASH")), username);
        Subject subject = subject(pool, client, username);
        ctx.userTriggers.preAuthentication(pool, client, subject.user(), username, clientMetadata);
        ArrayNode chain = AwsJson.mapper().createArrayNode();
        boolean srpFirst = SRP_A.equals(params.get("CHALLENGE_NAME"));
        if (srpFirst) {
            Authentication.required(params, "SRP_A");
            append(chain, SRP_A, true, Optional.empty());
        }
        return next(pool, client, subject, chain, clientMetadata, srpFirst ? Optional.of(params) : Optional.empty());
    }

    /** RespondToAuthChallenge or AdminRespondToAuthChallenge with {@code CUSTOM_CHALLENGE}. */
    ObjectNode respond(
            PoolConfig pool,
            ClientConfig client,
            Optional<String> sessionId,
            Map<String, String> responses,
            Map<String, String> clientMetadata) {
        String username = Authentication.required(responses, "USERNAME");
        String answer = Authentication.required(responses, "ANSWER");
        String session =
                sessionId.orElseThrow(() -> UserPoolErrors.invalidParameter("Missing required parameter Session"));
        PoolContext.checkSecretHash(client, Optional.ofNullable(responses.get("SECRET_HASH")), username);
        AuthSessions.Pending pending = ctx.sessions.open(session, pool.id(), client.clientId(), CUSTOM_CHALLENGE);
        ctx.sessions.consume(pending);
        Subject subject = sessionSubject(pool, pending, username);
        ObjectNode event = event(pool, client, subject, VERIFY + "_Authentication", clientMetadata);
        ObjectNode request = (ObjectNode) event.get("request");
        request.set("privateChallengeParameters", parse(pending.state(PRIVATE).orElse("{}")));
        request.put("challengeAnswer", answer);
        ((ObjectNode) event.get("response")).putNull("answerCorrect");
        JsonNode verdict = invoke(pool, VERIFY, event).path("answerCorrect");
        ArrayNode chain = (ArrayNode) parse(pending.state(CHAIN).orElse("[]"));
        append(chain, CUSTOM_CHALLENGE, verdict.isBoolean() && verdict.booleanValue(), pending.state(METADATA));
        return next(pool, client, subject, chain, clientMetadata, Optional.empty());
    }

    /** After a {@code PASSWORD_VERIFIER} that the session started proved the password: Define decides again. */
    ObjectNode passwordVerified(
            PoolConfig pool, ClientConfig client, User user, String chainJson, Map<String, String> clientMetadata) {
        ArrayNode chain = (ArrayNode) parse(chainJson);
        append(chain, Authentication.PASSWORD_VERIFIER, true, Optional.empty());
        Subject subject = new Subject(Optional.of(user), user.username, pool.normalize(user.username));
        return next(pool, client, subject, chain, clientMetadata, Optional.empty());
    }

    /** Whether a PASSWORD_VERIFIER session belongs to this flow; its state then holds the session list. */
    static Optional<String> chainOf(AuthSessions.Pending pending) {
        return pending.state(CHAIN);
    }

    /** Asks DefineAuthChallenge and acts on its answer. */
    private ObjectNode next(
            PoolConfig pool,
            ClientConfig client,
            Subject subject,
            ArrayNode chain,
            Map<String, String> clientMetadata,
            Optional<Map<String, String>> srpParams) {
        ObjectNode event = event(pool, client, subject, DEFINE + "_Authentication", clientMetadata);
        ((ObjectNode) event.get("request")).set("session", chain);
        ((ObjectNode) event.get("response"))
                .putNull("challengeName")
                .put("issueTokens", false)
                .put("failAuthentication", false);
        JsonNode decision = invoke(pool, DEFINE, event);
        if (decision.path("failAuthentication").asBoolean(false)) {
            throw UserPoolErrors.incorrectCredentials();
        }
        if (decision.path("issueTokens").asBoolean(false)) {
            return issue(pool, client, subject, chain);
        }
        String challenge = decision.path("challengeName").asText("");
        if (CUSTOM_CHALLENGE.equals(challenge)) {
            return create(pool, client, subject, chain, clientMetadata);
        }
        if (Authentication.PASSWORD_VERIFIER.equals(challenge) && srpParams.isPresent()) {
            return srp.start(pool, client, srpParams.get(), Map.of(CHAIN, PoolDirectory.write(chain)));
        }
        throw Triggers.invalidResponse("Invalid lambda response: DefineAuthChallenge returned no usable challengeName ("
                + (challenge.isEmpty() ? "none" : challenge) + ").");
    }

    /** Asks CreateAuthChallenge for the next custom challenge and starts its auth session. */
    private ObjectNode create(
            PoolConfig pool,
            ClientConfig client,
            Subject subject,
            ArrayNode chain,
            Map<String, String> clientMetadata) {
        long answered = 0;
        for (JsonNode entry : chain) {
            answered += CUSTOM_CHALLENGE.equals(entry.path("challengeName").asText()) ? 1 : 0;
        }
        if (answered >= MAX_CHALLENGES) {
            throw UserPoolErrors.incorrectCredentials();
        }
        ObjectNode event = event(pool, client, subject, CREATE + "_Authentication", clientMetadata);
        ((ObjectNode) event.get("request"))
                .put("challengeName", CUSTOM_CHALLENGE)
                .set("session", chain);
        ((ObjectNode) event.get("response"))
                .putNull("publicChallengeParameters")
                .putNull("privateChallengeParameters")
                .putNull("challengeMetadata");
        JsonNode created = invoke(pool, CREATE, event);
        JsonNode privateParameters = created.path("privateChallengeParameters");
        JsonNode metadata = created.path("challengeMetadata");
        Map<String, String> state = new HashMap<>();
        state.put(CHAIN, PoolDirectory.write(chain));
        state.put(PRIVATE, PoolDirectory.write(privateParameters.isObject() ? privateParameters : json()));
        state.put(NOT_FOUND, Boolean.toString(subject.notFound()));
        state.put(ASKED, subject.asked());
        if (metadata.isValueNode() && !metadata.isNull()) {
            state.put(METADATA, metadata.asText());
        }
        String session = ctx.sessions.start(
                pool.id(),
                client.clientId(),
                subject.username(),
                CUSTOM_CHALLENGE,
                ctx.now(),
                client.authSessionValidity(),
                state);
        ObjectNode response = json();
        response.put("ChallengeName", CUSTOM_CHALLENGE);
        response.put("Session", session);
        ObjectNode parameters = response.putObject("ChallengeParameters");
        created.path("publicChallengeParameters")
                .fields()
                .forEachRemaining(field -> parameters.put(
                        field.getKey(),
                        field.getValue().isValueNode()
                                ? field.getValue().asText()
                                : field.getValue().toString()));
        parameters.put("USERNAME", subject.username());
        return response;
    }

    /** Define said {@code issueTokens}: the user's status decides as after a password, then MFA and tokens. */
    private ObjectNode issue(PoolConfig pool, ClientConfig client, Subject subject, ArrayNode chain) {
        User user = subject.user()
                .flatMap(u -> ctx.users.findByUsername(pool, u.username).filter(now -> now.sub.equals(u.sub)))
                .orElseThrow(UserPoolErrors::incorrectCredentials);
        if (!user.enabled) {
            throw UserPoolErrors.notAuthorized(UserPoolErrors.USER_DISABLED);
        }
        switch (user.status) {
            case UNCONFIRMED -> throw UserPoolErrors.userNotConfirmed();
            case RESET_REQUIRED -> throw UserPoolErrors.error(
                    UserPoolErrors.PASSWORD_RESET_REQUIRED, "Password reset required for the user");
            default -> {}
        }
        boolean passwordVerified = false;
        for (JsonNode entry : chain) {
            passwordVerified |= Authentication.PASSWORD_VERIFIER.equals(
                            entry.path("challengeName").asText())
                    && entry.path("challengeResult").asBoolean(false);
        }
        return finish.finish(pool, client, user, passwordVerified);
    }

    private Subject subject(PoolConfig pool, ClientConfig client, String username) {
        Optional<User> found = ctx.users.find(pool, username);
        String asked = pool.normalize(username);
        if (found.isPresent()) {
            User user = found.get();
            if (!client.preventUserExistenceErrors()) {
                if (!user.enabled) {
                    throw UserPoolErrors.notAuthorized(UserPoolErrors.USER_DISABLED);
                }
                if (user.status == User.Status.UNCONFIRMED) {
                    throw UserPoolErrors.userNotConfirmed();
                }
            }
            return new Subject(found, user.username, asked);
        }
        if (!client.preventUserExistenceErrors()) {
            throw UserPoolErrors.userNotFound();
        }
        // As for SRP: email-as-username pools name every user by a UUID, so an unknown one gets a stable fake one.
        String name = pool.signsInByAttribute() ? ctx.srp.fakeUserIdForSrp(pool.id(), asked) : username;
        return new Subject(Optional.empty(), name, asked);
    }

    /** The subject a CUSTOM_CHALLENGE session was started for, if {@code username} names it. */
    private Subject sessionSubject(PoolConfig pool, AuthSessions.Pending pending, String username) {
        String asked = pending.state(ASKED).orElse("");
        if (Boolean.parseBoolean(pending.state(NOT_FOUND).orElse("false"))) {
            if (!username.equals(pending.username())
                    && !pool.normalize(username).equals(asked)) {
                throw invalidSession();
            }
            return new Subject(Optional.empty(), pending.username(), asked);
        }
        User user = ctx.users
                .find(pool, username)
                .filter(u -> u.username.equals(pending.username()))
                .orElseThrow(CustomAuth::invalidSession);
        return new Subject(Optional.of(user), user.username, asked);
    }

    /** Cognito's trigger envelope with {@code request.userAttributes}, {@code clientMetadata} and {@code userNotFound}. */
    private static ObjectNode event(
            PoolConfig pool,
            ClientConfig client,
            Subject subject,
            String triggerSource,
            Map<String, String> clientMetadata) {
        ObjectNode event = Triggers.event(pool, triggerSource, subject.username(), Optional.of(client.clientId()));
        ObjectNode request = (ObjectNode) event.get("request");
        request.set(
                "userAttributes", subject.user().map(Triggers::userAttributes).orElseGet(CustomAuth::json));
        Triggers.clientMetadata(request, clientMetadata);
        request.put("userNotFound", subject.notFound());
        return event;
    }

    /** The function's {@code response}; a pool without this trigger gets Cognito's configuration error. */
    private ObjectNode invoke(PoolConfig pool, String trigger, ObjectNode event) {
        return ctx.triggers.invoke(pool, trigger, event).orElseThrow(CustomAuth::notConfigured);
    }

    private static void configured(PoolConfig pool, String trigger) {
        if (!Triggers.configured(pool, trigger)) {
            throw notConfigured();
        }
    }

    private static RuntimeException notConfigured() {
        return UserPoolErrors.invalidParameter("Custom auth lambda trigger is not configured for the user pool.");
    }

    private static void append(ArrayNode chain, String challenge, boolean result, Optional<String> metadata) {
        ObjectNode entry = chain.addObject().put("challengeName", challenge).put("challengeResult", result);
        metadata.ifPresentOrElse(m -> entry.put("challengeMetadata", m), () -> entry.putNull("challengeMetadata"));
    }

    private static JsonNode parse(String json) {
        try {
            return AwsJson.mapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("auth session state is not JSON", e);
        }
    }

    private static ObjectNode json() {
        return AwsJson.mapper().createObjectNode();
    }

    private static RuntimeException invalidSession() {
        return UserPoolErrors.notAuthorized("Invalid session for the user.");
    }
}
