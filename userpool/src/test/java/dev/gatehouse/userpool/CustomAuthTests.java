package dev.gatehouse.userpool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.userpool.PoolFixture.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * CUSTOM_AUTH through the dispatcher, with the three triggers as in-test functions: a one-time code that Create keeps
 * in its private parameters and Verify compares, three tries, optionally after an SRP password check.
 */
class CustomAuthTests {

    private static final String USER = "alice@example.com";
    private static final String ARN = "arn:aws:lambda:us-east-1:123456789012:function:";
    private static final String LAMBDA_CONFIG = "\"LambdaConfig\":{\"DefineAuthChallenge\":\"" + ARN + "define\","
            + "\"CreateAuthChallenge\":\"" + ARN + "create\",\"VerifyAuthChallengeResponse\":\"" + ARN + "verify\"}";
    private static final String FLOWS = "\"ExplicitAuthFlows\":[\"ALLOW_CUSTOM_AUTH\",\"ALLOW_REFRESH_TOKEN_AUTH\"]";

    /** The functions by name, and every event each was invoked with (as sent). */
    private final Map<String, UnaryOperator<ObjectNode>> functions = new HashMap<>();

    private final Map<String, List<ObjectNode>> events = new HashMap<>();
    private final List<String> codes = new ArrayList<>();
    private final PoolFixture f = new PoolFixture((arn, event) -> {
        String name = arn.substring(arn.lastIndexOf(':') + 1);
        UnaryOperator<ObjectNode> function = functions.get(name);
        if (function == null) {
            throw new TriggerFailure(TriggerFailure.Kind.NOT_FOUND, "Function not found: " + arn);
        }
        events.computeIfAbsent(name, n -> new ArrayList<>()).add(event.deepCopy());
        return function.apply(event);
    });
    private final String poolId = f.createPool("{\"PoolName\":\"custom\",\"UsernameAttributes\":[\"email\"],"
            + "\"AutoVerifiedAttributes\":[\"email\"]," + LAMBDA_CONFIG + "}");
    private final String clientId = f.createClient(poolId, FLOWS);
    private final Random random = new Random(7);

    CustomAuthTests() {
        functions.put("define", CustomAuthTests::define);
        functions.put("create", event -> {
            String code = String.format("%06d", random.nextInt(1_000_000));
            codes.add(code);
            ObjectNode response = (ObjectNode) event.get("response");
            response.putObject("publicChallengeParameters")
                    .put("hint", "a six-digit code")
                    .put("tries", 3);
            response.putObject("privateChallengeParameters").put("code", code);
            response.put("challengeMetadata", "CODE-" + codes.size());
            return event;
        });
        functions.put("verify", event -> {
            String expected = event.path("request")
                    .path("privateChallengeParameters")
                    .path("code")
                    .asText();
            String answer = event.path("request").path("challengeAnswer").asText();
            ((ObjectNode) event.get("response")).put("answerCorrect", expected.equals(answer));
            return event;
        });
    }

    /** Password first when asked with SRP_A, then a code with three tries. */
    private static ObjectNode define(ObjectNode event) {
        ArrayNode session = (ArrayNode) event.path("request").path("session");
        ObjectNode response = (ObjectNode) event.get("response");
        JsonNode last = session.isEmpty() ? PoolFixture.json() : session.get(session.size() - 1);
        String lastName = last.path("challengeName").asText();
        boolean lastOk = last.path("challengeResult").asBoolean();
        long tries = 0;
        for (JsonNode entry : session) {
            tries += "CUSTOM_CHALLENGE".equals(entry.path("challengeName").asText()) ? 1 : 0;
        }
        if ("SRP_A".equals(lastName)) {
            response.put("challengeName", "PASSWORD_VERIFIER");
        } else if ("CUSTOM_CHALLENGE".equals(lastName) && lastOk) {
            response.put("issueTokens", true);
        } else if (tries >= 3) {
            response.put("failAuthentication", true);
        } else {
            response.put("challengeName", "CUSTOM_CHALLENGE");
        }
        return event;
    }

    private String registered() {
        String sub = f.signUp(clientId, USER, PoolFixture.PASSWORD)
                .ok()
                .get("UserSub")
                .asText();
        f.confirm(clientId, USER, f.lastCode()).ok();
        return sub;
    }

    private Reply initiate(String client, String username) {
        ObjectNode body = PoolFixture.json().put("AuthFlow", "CUSTOM_AUTH").put("ClientId", client);
        body.putObject("AuthParameters").put("USERNAME", username);
        return f.call("InitiateAuth", body);
    }

    private Reply answer(String client, Reply challenge, String username, String answer) {
        ObjectNode body = PoolFixture.json()
                .put("ChallengeName", "CUSTOM_CHALLENGE")
                .put("ClientId", client)
                .put("Session", challenge.get("Session").asText());
        body.putObject("ChallengeResponses").put("USERNAME", username).put("ANSWER", answer);
        return f.call("RespondToAuthChallenge", body);
    }

    private String lastCode() {
        return codes.get(codes.size() - 1);
    }

    private ObjectNode lastEvent(String function) {
        List<ObjectNode> list = events.get(function);
        return list.get(list.size() - 1);
    }

    @Test
    void initiateWhenCustomAuthThenPublicParametersReachTheClientAndPrivateOnesDoNot() {
        String sub = registered();
        Reply challenge = initiate(clientId, USER).ok();
        assertThat(challenge.get("ChallengeName").asText()).isEqualTo("CUSTOM_CHALLENGE");
        assertThat(challenge.get("Session").asText()).hasSizeGreaterThanOrEqualTo(20);
        JsonNode parameters = challenge.get("ChallengeParameters");
        assertThat(parameters.path("hint").asText()).isEqualTo("a six-digit code");
        assertThat(parameters.path("tries").asText()).isEqualTo("3");
        assertThat(parameters.path("USERNAME").asText()).isEqualTo(sub);
        assertThat(challenge.body().toString()).doesNotContain(lastCode()).doesNotContain("CODE-1");
        ObjectNode define = lastEvent("define");
        assertThat(define.path("triggerSource").asText()).isEqualTo("DefineAuthChallenge_Authentication");
        assertThat(define.path("userPoolId").asText()).isEqualTo(poolId);
        assertThat(define.path("userName").asText()).isEqualTo(sub);
        assertThat(define.path("callerContext").path("clientId").asText()).isEqualTo(clientId);
        assertThat(define.path("request").path("session").size()).isZero();
        assertThat(define.path("request").path("userNotFound").asBoolean()).isFalse();
        assertThat(define.path("request").path("userAttributes").path("email").asText())
                .isEqualTo(USER);
        ObjectNode create = lastEvent("create");
        assertThat(create.path("triggerSource").asText()).isEqualTo("CreateAuthChallenge_Authentication");
        assertThat(create.path("request").path("challengeName").asText()).isEqualTo("CUSTOM_CHALLENGE");
    }

    @Test
    void initiateAndRespondWhenClientMetadataThenEachTriggerGetsTheCallsOwn() {
        registered();
        ObjectNode body = PoolFixture.json().put("AuthFlow", "CUSTOM_AUTH").put("ClientId", clientId);
        body.putObject("AuthParameters").put("USERNAME", USER);
        body.putObject("ClientMetadata").put("channel", "web");
        Reply challenge = f.call("InitiateAuth", body).ok();
        assertThat(lastEvent("define")
                        .path("request")
                        .path("clientMetadata")
                        .path("channel")
                        .asText())
                .isEqualTo("web");
        assertThat(lastEvent("create")
                        .path("request")
                        .path("clientMetadata")
                        .path("channel")
                        .asText())
                .isEqualTo("web");
        ObjectNode respond = PoolFixture.json()
                .put("ChallengeName", "CUSTOM_CHALLENGE")
                .put("ClientId", clientId)
                .put("Session", challenge.get("Session").asText());
        respond.putObject("ChallengeResponses").put("USERNAME", USER).put("ANSWER", lastCode());
        respond.putObject("ClientMetadata").put("step", "answer");
        f.call("RespondToAuthChallenge", respond).ok();
        assertThat(lastEvent("verify")
                        .path("request")
                        .path("clientMetadata")
                        .path("step")
                        .asText())
                .isEqualTo("answer");
        assertThat(lastEvent("define").path("request").path("clientMetadata").has("channel"))
                .isFalse();
    }

    @Test
    void respondWhenAnswerRightThenTokensForTheUser() {
        String sub = registered();
        Reply challenge = initiate(clientId, USER).ok();
        Reply result = answer(clientId, challenge, USER, lastCode()).ok();
        String access = result.get("AuthenticationResult").path("AccessToken").asText();
        assertThat(f.tokens.verifyAccessToken(access).sub()).isEqualTo(sub);
        assertThat(result.get("AuthenticationResult").path("RefreshToken").asText())
                .isNotEmpty();
        ObjectNode verify = lastEvent("verify");
        assertThat(verify.path("triggerSource").asText()).isEqualTo("VerifyAuthChallengeResponse_Authentication");
        assertThat(verify.path("request")
                        .path("privateChallengeParameters")
                        .path("code")
                        .asText())
                .isEqualTo(lastCode());
        assertThat(verify.path("request").path("challengeAnswer").asText()).isEqualTo(lastCode());
        JsonNode session = lastEvent("define").path("request").path("session");
        assertThat(session.size()).isEqualTo(1);
        assertThat(session.get(0).path("challengeName").asText()).isEqualTo("CUSTOM_CHALLENGE");
        assertThat(session.get(0).path("challengeResult").asBoolean()).isTrue();
        assertThat(session.get(0).path("challengeMetadata").asText()).isEqualTo("CODE-1");
    }

    @Test
    void respondWhenAnswersWrongThenNewChallengesUntilDefineFails() {
        registered();
        Reply challenge = initiate(clientId, USER).ok();
        Reply second = answer(clientId, challenge, USER, "000000x").ok();
        assertThat(second.get("ChallengeName").asText()).isEqualTo("CUSTOM_CHALLENGE");
        assertThat(second.get("Session").asText())
                .isNotEqualTo(challenge.get("Session").asText());
        JsonNode session = lastEvent("define").path("request").path("session");
        assertThat(session.get(0).path("challengeResult").asBoolean()).isFalse();
        Reply third = answer(clientId, second, USER, "wrong").ok();
        Reply failed = answer(clientId, third, USER, "wrong");
        assertThat(failed.code()).isEqualTo(UserPoolErrors.NOT_AUTHORIZED);
        assertThat(failed.message()).isEqualTo("Incorrect username or password.");
    }

    @Test
    void respondWhenSessionUsedTwiceThenNotAuthorized() {
        registered();
        Reply challenge = initiate(clientId, USER).ok();
        answer(clientId, challenge, USER, "wrong").ok();
        Reply again = answer(clientId, challenge, USER, lastCode());
        assertThat(again.code()).isEqualTo(UserPoolErrors.NOT_AUTHORIZED);
        assertThat(again.get("AuthenticationResult").isMissingNode()).isTrue();
    }

    @Test
    void respondWhenSessionExpiredThenNotAuthorized() {
        registered();
        Reply challenge = initiate(clientId, USER).ok();
        f.clock.advance(Duration.ofMinutes(4));
        assertThat(answer(clientId, challenge, USER, lastCode()).code()).isEqualTo(UserPoolErrors.NOT_AUTHORIZED);
    }

    @Test
    void respondWhenOtherClientOrOtherUserThenNotAuthorized() {
        registered();
        f.signUp(clientId, "bob@example.com", PoolFixture.PASSWORD).ok();
        f.confirm(clientId, "bob@example.com", f.lastCode()).ok();
        String otherClient = f.createClient(poolId, FLOWS);
        Reply challenge = initiate(clientId, USER).ok();
        assertThat(answer(otherClient, challenge, USER, lastCode()).code()).isEqualTo(UserPoolErrors.NOT_AUTHORIZED);
        Reply fresh = initiate(clientId, USER).ok();
        assertThat(answer(clientId, fresh, "bob@example.com", lastCode()).code())
                .isEqualTo(UserPoolErrors.NOT_AUTHORIZED);
    }

    @Test
    void initiateWhenPoolHasNoDefineTriggerThenInvalidParameter() {
        String plainPool = f.createPool("{\"PoolName\":\"plain\"}");
        String plainClient = f.createClient(plainPool, FLOWS);
        Reply reply = initiate(plainClient, "alice");
        assertThat(reply.code()).isEqualTo("InvalidParameterException");
        assertThat(reply.message()).isEqualTo("Custom auth lambda trigger is not configured for the user pool.");
    }

    @Test
    void initiateWhenClientDoesNotAllowCustomAuthThenInvalidParameter() {
        registered();
        String srpOnly =
                f.createClient(poolId, "\"ExplicitAuthFlows\":[\"ALLOW_USER_SRP_AUTH\",\"ALLOW_REFRESH_TOKEN_AUTH\"]");
        assertThat(initiate(srpOnly, USER).code()).isEqualTo("InvalidParameterException");
        assertThat(events).doesNotContainKey("define");
    }

    @Test
    void initiateWhenLegacyCustomOnlyClientThenAllowed() {
        registered();
        String legacy = f.createClient(poolId, "\"ExplicitAuthFlows\":[\"CUSTOM_AUTH_FLOW_ONLY\"]");
        Reply challenge = initiate(legacy, USER).ok();
        answer(legacy, challenge, USER, lastCode()).ok();
    }

    @Test
    void initiateWhenUserUnknownAndClientHidesThenLoopRunsWithUserNotFoundAndNeverIssues() {
        String hiding = f.createClient(poolId, FLOWS + ",\"PreventUserExistenceErrors\":\"ENABLED\"");
        Reply challenge = initiate(hiding, "nobody@example.com").ok();
        assertThat(lastEvent("define").path("request").path("userNotFound").asBoolean())
                .isTrue();
        assertThat(lastEvent("create").path("request").path("userNotFound").asBoolean())
                .isTrue();
        Reply reply = answer(hiding, challenge, "nobody@example.com", lastCode());
        assertThat(lastEvent("verify").path("request").path("userNotFound").asBoolean())
                .isTrue();
        assertThat(reply.code()).isEqualTo(UserPoolErrors.NOT_AUTHORIZED);
        assertThat(reply.message()).isEqualTo("Incorrect username or password.");
    }

    @Test
    void initiateWhenUserUnknownAndClientLegacyThenUserNotFound() {
        assertThat(initiate(clientId, "nobody@example.com").code()).isEqualTo("UserNotFoundException");
        assertThat(events).doesNotContainKey("define");
    }

    @Test
    void respondWhenDefineNeverStopsThenCappedAtMaxChallenges() {
        registered();
        functions.put("define", event -> {
            ((ObjectNode) event.get("response")).put("challengeName", "CUSTOM_CHALLENGE");
            return event;
        });
        Reply reply = initiate(clientId, USER).ok();
        for (int i = 1; i < CustomAuth.MAX_CHALLENGES; i++) {
            reply = answer(clientId, reply, USER, "wrong").ok();
        }
        Reply last = answer(clientId, reply, USER, "wrong");
        assertThat(last.code()).isEqualTo(UserPoolErrors.NOT_AUTHORIZED);
        assertThat(codes).hasSize(CustomAuth.MAX_CHALLENGES);
    }

    @Test
    void initiateWhenPreAuthenticationRefusesThenNoChallengeTriggerRuns() {
        String guarded = f.createPool("{\"PoolName\":\"guarded\",\"UsernameAttributes\":[\"email\"],"
                + "\"AutoVerifiedAttributes\":[\"email\"],"
                + LAMBDA_CONFIG.replace("{\"Define", "{\"PreAuthentication\":\"" + ARN + "preauth\",\"Define") + "}");
        String guardedClient = f.createClient(guarded, FLOWS);
        f.signUp(guardedClient, USER, PoolFixture.PASSWORD).ok();
        f.confirm(guardedClient, USER, f.lastCode()).ok();
        functions.put("preauth", event -> {
            throw new TriggerFailure(TriggerFailure.Kind.FUNCTION_ERROR, "not today");
        });
        Reply reply = initiate(guardedClient, USER);
        assertThat(reply.code()).isEqualTo("UserLambdaValidationException");
        assertThat(reply.message()).isEqualTo("PreAuthentication failed with error not today.");
        assertThat(events).containsKey("preauth").doesNotContainKey("define");
    }

    @Test
    void respondWhenTokensIssuedThenPostAuthenticationAndPreTokenGenerationRunAsForPasswords() throws Exception {
        String withTokens = f.createPool("{\"PoolName\":\"tokens\",\"UsernameAttributes\":[\"email\"],"
                + "\"AutoVerifiedAttributes\":[\"email\"],"
                + LAMBDA_CONFIG.replace(
                        "{\"Define",
                        "{\"PostAuthentication\":\"" + ARN + "postauth\",\"PreTokenGeneration\":\"" + ARN
                                + "pretoken\",\"Define")
                + "}");
        String tokenClient = f.createClient(withTokens, FLOWS);
        f.signUp(tokenClient, USER, PoolFixture.PASSWORD).ok();
        f.confirm(tokenClient, USER, f.lastCode()).ok();
        functions.put("postauth", event -> event);
        functions.put("pretoken", event -> {
            ((ObjectNode) event.get("response"))
                    .putObject("claimsOverrideDetails")
                    .putObject("claimsToAddOrOverride")
                    .put("signed_in_by", "code");
            return event;
        });
        Reply challenge = initiate(tokenClient, USER).ok();
        String idToken = answer(tokenClient, challenge, USER, lastCode())
                .ok()
                .get("AuthenticationResult")
                .path("IdToken")
                .asText();
        assertThat(com.nimbusds.jwt.SignedJWT.parse(idToken).getJWTClaimsSet().getClaim("signed_in_by"))
                .isEqualTo("code");
        assertThat(lastEvent("pretoken").path("triggerSource").asText()).isEqualTo("TokenGeneration_Authentication");
        assertThat(events).containsKey("postauth");
    }

    @Test
    void initiateWhenDefineThrowsThenUserLambdaValidation() {
        registered();
        functions.put("define", event -> {
            throw new TriggerFailure(TriggerFailure.Kind.FUNCTION_ERROR, "no sign-in today");
        });
        Reply reply = initiate(clientId, USER);
        assertThat(reply.code()).isEqualTo("UserLambdaValidationException");
        assertThat(reply.message()).contains("DefineAuthChallenge").contains("no sign-in today");
    }

    @Test
    void initiateWhenDefineAnswersNothingUsableThenInvalidLambdaResponse() {
        registered();
        functions.put("define", event -> event);
        assertThat(initiate(clientId, USER).code()).isEqualTo("InvalidLambdaResponseException");
    }

    @Test
    void adminInitiateWhenCustomAuthThenSameLoop() {
        String sub = registered();
        ObjectNode body = PoolFixture.json()
                .put("AuthFlow", "CUSTOM_AUTH")
                .put("ClientId", clientId)
                .put("UserPoolId", poolId);
        body.putObject("AuthParameters").put("USERNAME", USER);
        Reply challenge = f.call("AdminInitiateAuth", body).ok();
        ObjectNode respond = PoolFixture.json()
                .put("ChallengeName", "CUSTOM_CHALLENGE")
                .put("ClientId", clientId)
                .put("UserPoolId", poolId)
                .put("Session", challenge.get("Session").asText());
        respond.putObject("ChallengeResponses").put("USERNAME", sub).put("ANSWER", lastCode());
        Reply result = f.call("AdminRespondToAuthChallenge", respond).ok();
        assertThat(result.get("AuthenticationResult").path("IdToken").asText()).isNotEmpty();
    }

    @Test
    void srpThenCustomWhenPasswordRightThenCodeThenTokens() {
        String sub = registered();
        SrpTestClient srp = SrpTestClient.random(random);
        Reply verifier = initiateSrp(srp).ok();
        assertThat(verifier.get("ChallengeName").asText()).isEqualTo("PASSWORD_VERIFIER");
        JsonNode first = lastEvent("define").path("request").path("session");
        assertThat(first.size()).isEqualTo(1);
        assertThat(first.get(0).path("challengeName").asText()).isEqualTo("SRP_A");
        assertThat(first.get(0).path("challengeResult").asBoolean()).isTrue();
        Reply challenge = answerSrp(verifier, srp, PoolFixture.PASSWORD).ok();
        assertThat(challenge.get("ChallengeName").asText()).isEqualTo("CUSTOM_CHALLENGE");
        JsonNode second = lastEvent("define").path("request").path("session");
        assertThat(second.size()).isEqualTo(2);
        assertThat(second.get(1).path("challengeName").asText()).isEqualTo("PASSWORD_VERIFIER");
        assertThat(second.get(1).path("challengeResult").asBoolean()).isTrue();
        Reply result = answer(clientId, challenge, sub, lastCode()).ok();
        assertThat(result.get("AuthenticationResult").path("AccessToken").asText())
                .isNotEmpty();
    }

    @Test
    void srpThenCustomWhenPasswordWrongThenNotAuthorizedAndNoChallenge() {
        registered();
        SrpTestClient srp = SrpTestClient.random(random);
        Reply verifier = initiateSrp(srp).ok();
        Reply reply = answerSrp(verifier, srp, "Wrong-passw0rd!");
        assertThat(reply.code()).isEqualTo(UserPoolErrors.NOT_AUTHORIZED);
        assertThat(reply.message()).isEqualTo("Incorrect username or password.");
        assertThat(events).doesNotContainKey("create");
    }

    @Test
    void srpThenCustomWhenTemporaryPasswordThenNewPasswordRequiredAfterTheCode() {
        f.call(
                        "AdminCreateUser",
                        "{\"UserPoolId\":\"" + poolId + "\",\"Username\":\"" + USER + "\",\"TemporaryPassword\":\""
                                + PoolFixture.PASSWORD + "\",\"MessageAction\":\"SUPPRESS\"}")
                .ok();
        SrpTestClient srp = SrpTestClient.random(random);
        Reply challenge =
                answerSrp(initiateSrp(srp).ok(), srp, PoolFixture.PASSWORD).ok();
        String username = challenge.get("ChallengeParameters").path("USERNAME").asText();
        Reply next = answer(clientId, challenge, username, lastCode()).ok();
        assertThat(next.get("ChallengeName").asText()).isEqualTo("NEW_PASSWORD_REQUIRED");
        assertThat(next.get("AuthenticationResult").isMissingNode()).isTrue();
    }

    @Test
    void initiateWhenNoPasswordAndTemporaryPasswordUserThenTokensAfterTheCode() {
        f.call(
                        "AdminCreateUser",
                        "{\"UserPoolId\":\"" + poolId + "\",\"Username\":\"" + USER + "\",\"TemporaryPassword\":\""
                                + PoolFixture.PASSWORD + "\",\"MessageAction\":\"SUPPRESS\"}")
                .ok();
        Reply challenge = initiate(clientId, USER).ok();
        assertThat(lastEvent("define")
                        .path("request")
                        .path("userAttributes")
                        .path("cognito:user_status")
                        .asText())
                .isEqualTo("FORCE_CHANGE_PASSWORD");
        assertThat(answer(clientId, challenge, USER, lastCode())
                        .ok()
                        .get("AuthenticationResult")
                        .has("IdToken"))
                .isTrue();
    }

    private Reply initiateSrp(SrpTestClient srp) {
        ObjectNode body = PoolFixture.json().put("AuthFlow", "CUSTOM_AUTH").put("ClientId", clientId);
        body.putObject("AuthParameters")
                .put("USERNAME", USER)
                .put("SRP_A", srp.srpA())
                .put("CHALLENGE_NAME", "SRP_A");
        return f.call("InitiateAuth", body);
    }

    private Reply answerSrp(Reply challenge, SrpTestClient srp, String password) {
        Map<String, String> parameters = new LinkedHashMap<>();
        challenge
                .get("ChallengeParameters")
                .fields()
                .forEachRemaining(e -> parameters.put(e.getKey(), e.getValue().asText()));
        String timestamp = SrpServer.formatTimestamp(f.clock.instant());
        ObjectNode body = PoolFixture.json()
                .put("ChallengeName", "PASSWORD_VERIFIER")
                .put("ClientId", clientId)
                .put("Session", challenge.get("Session").asText());
        body.putObject("ChallengeResponses")
                .put("USERNAME", parameters.get("USER_ID_FOR_SRP"))
                .put("PASSWORD_CLAIM_SECRET_BLOCK", parameters.get("SECRET_BLOCK"))
                .put("TIMESTAMP", timestamp)
                .put(
                        "PASSWORD_CLAIM_SIGNATURE",
                        srp.signature(SrpServer.poolName(poolId), password, parameters, timestamp));
        return f.call("RespondToAuthChallenge", body);
    }
}
