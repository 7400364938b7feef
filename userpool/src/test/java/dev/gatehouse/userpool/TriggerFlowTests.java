package dev.gatehouse.userpool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Each trigger through the API: the event Cognito sends, and what the pool does with the answer. */
class TriggerFlowTests {

    private static final String FN = "arn:aws:lambda:us-east-1:123456789012:function:";

    /** In-test functions by name; each sees the event and answers it (or throws a TriggerFailure). */
    private final Map<String, UnaryOperator<ObjectNode>> functions = new HashMap<>();

    private final List<ObjectNode> events = new ArrayList<>();
    private final PoolFixture pools = new PoolFixture((arn, event) -> {
        events.add(event.deepCopy());
        UnaryOperator<ObjectNode> function = functions.get(arn.substring(FN.length()));
        if (function == null) {
            throw new TriggerFailure(TriggerFailure.Kind.NOT_FOUND, "Function not found: " + arn);
        }
        return function.apply(event);
    });

    /** An email pool whose LambdaConfig names each given trigger's function {@code fn-<Trigger>}. */
    private String[] pool(String extraConfig, String... triggers) {
        StringBuilder config = new StringBuilder();
        for (String trigger : triggers) {
            config.append(config.length() == 0 ? "" : ",")
                    .append('"')
                    .append(trigger)
                    .append("\":\"")
                    .append(FN)
                    .append("fn-")
                    .append(trigger)
                    .append('"');
        }
        if (!extraConfig.isEmpty()) {
            config.append(config.length() == 0 ? "" : ",").append(extraConfig);
        }
        String poolId = pools.createPool("{\"PoolName\":\"t\",\"UsernameAttributes\":[\"email\"],"
                + "\"AutoVerifiedAttributes\":[\"email\"],\"LambdaConfig\":{" + config + "}}");
        String clientId = pools.createClient(
                poolId,
                "\"ExplicitAuthFlows\":[\"ALLOW_USER_PASSWORD_AUTH\",\"ALLOW_REFRESH_TOKEN_AUTH\"],"
                        + "\"PreventUserExistenceErrors\":\"LEGACY\"");
        return new String[] {poolId, clientId};
    }

    private ObjectNode lastEvent(String triggerSource) {
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i).path("triggerSource").asText().equals(triggerSource)) {
                return events.get(i);
            }
        }
        throw new AssertionError("no " + triggerSource + " event in " + events);
    }

    private static ObjectNode respond(ObjectNode event, String json) {
        try {
            event.set("response", PoolFixture.json().setAll((ObjectNode)
                    dev.gatehouse.protocol.AwsJson.mapper().readTree(json)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return event;
    }

    private static JWTClaimsSet claims(String token) {
        try {
            return SignedJWT.parse(token).getJWTClaimsSet();
        } catch (ParseException e) {
            throw new AssertionError(e);
        }
    }

    /** The function throws {@code message}, as a handler that refuses. */
    private void failWith(String function, String message) {
        functions.put(function, e -> {
            throw new TriggerFailure(TriggerFailure.Kind.FUNCTION_ERROR, message);
        });
    }

    @Test
    void signUpWhenPreSignUpConfirmsAndVerifiesThenConfirmedWithoutCode() {
        String[] ids = pool("", "PreSignUp");
        functions.put("fn-PreSignUp", e -> respond(e, "{\"autoConfirmUser\":true,\"autoVerifyEmail\":true}"));
        PoolFixture.Reply reply = pools.call(
                "SignUp",
                "{\"ClientId\":\"" + ids[1] + "\",\"Username\":\"a@example.com\",\"Password\":\"" + PoolFixture.PASSWORD
                        + "\",\"ValidationData\":[{\"Name\":\"invite\",\"Value\":\"x1\"}],"
                        + "\"ClientMetadata\":{\"app\":\"web\"}}");

        assertThat(reply.ok().get("UserConfirmed").asBoolean()).isTrue();
        assertThat(reply.get("CodeDeliveryDetails").isMissingNode()).isTrue();
        assertThat(pools.mail.sent).isEmpty();
        ObjectNode event = lastEvent("PreSignUp_SignUp");
        assertThat(event.path("version").asText()).isEqualTo("1");
        assertThat(event.path("region").asText()).isEqualTo("us-east-1");
        assertThat(event.path("userPoolId").asText()).isEqualTo(ids[0]);
        assertThat(event.path("userName").asText())
                .isEqualTo(reply.get("UserSub").asText());
        assertThat(event.path("callerContext").path("clientId").asText()).isEqualTo(ids[1]);
        assertThat(event.path("callerContext").path("awsSdkVersion").isTextual())
                .isTrue();
        assertThat(event.path("request").path("userAttributes").path("email").asText())
                .isEqualTo("a@example.com");
        assertThat(event.path("request").path("validationData").path("invite").asText())
                .isEqualTo("x1");
        assertThat(event.path("request").path("clientMetadata").path("app").asText())
                .isEqualTo("web");
        assertThat(event.path("response").path("autoConfirmUser").isBoolean()).isTrue();
        JsonNode user = pools.call("AdminGetUser", "{\"UserPoolId\":\"" + ids[0] + "\",\"Username\":\"a@example.com\"}")
                .ok()
                .body();
        assertThat(user.path("UserStatus").asText()).isEqualTo("CONFIRMED");
        assertThat(user.path("UserAttributes").toString()).contains("{\"Name\":\"email_verified\",\"Value\":\"true\"}");
        pools.signIn(ids[1], "a@example.com", PoolFixture.PASSWORD).ok();
    }

    @Test
    void signUpWhenPreSignUpThrowsThenUserLambdaValidationAndNothingStored() {
        String[] ids = pool("", "PreSignUp");
        failWith("fn-PreSignUp", "Registration from this domain is not allowed.");
        PoolFixture.Reply reply = pools.signUp(ids[1], "a@example.com", PoolFixture.PASSWORD);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.code()).isEqualTo("UserLambdaValidationException");
        assertThat(reply.message())
                .isEqualTo("PreSignUp failed with error Registration from this domain is not allowed..");
        assertThat(pools.userCount(ids[0])).isZero();
        assertThat(pools.mail.sent).isEmpty();
    }

    @Test
    void signUpWhenPreSignUpTimesOutThenUnexpectedLambda() {
        String[] ids = pool("", "PreSignUp");
        functions.put("fn-PreSignUp", e -> {
            throw new TriggerFailure(TriggerFailure.Kind.TIMED_OUT, "late");
        });
        PoolFixture.Reply reply = pools.signUp(ids[1], "a@example.com", PoolFixture.PASSWORD);

        assertThat(reply.code()).isEqualTo("UnexpectedLambdaException");
        assertThat(reply.message())
                .isEqualTo("PreSignUp invocation failed due to error Socket timeout while invoking Lambda function.");
        assertThat(pools.userCount(ids[0])).isZero();
    }

    @Test
    void adminCreateUserWhenPreSignUpAnswersThenAnswerIgnoredAndSourceAdminCreateUser() {
        String[] ids = pool("", "PreSignUp");
        functions.put("fn-PreSignUp", e -> respond(e, "{\"autoConfirmUser\":true}"));
        pools.call(
                        "AdminCreateUser",
                        "{\"UserPoolId\":\"" + ids[0] + "\",\"Username\":\"b@example.com\",\"ValidationData\":"
                                + "[{\"Name\":\"ticket\",\"Value\":\"t9\"}],\"ClientMetadata\":{\"by\":\"admin\"}}")
                .ok();

        ObjectNode event = lastEvent("PreSignUp_AdminCreateUser");
        assertThat(event.path("callerContext").path("clientId").isNull()).isTrue();
        assertThat(event.path("request").path("validationData").path("ticket").asText())
                .isEqualTo("t9");
        assertThat(event.path("request").path("clientMetadata").path("by").asText())
                .isEqualTo("admin");
        JsonNode user = pools.call("AdminGetUser", "{\"UserPoolId\":\"" + ids[0] + "\",\"Username\":\"b@example.com\"}")
                .ok()
                .body();
        assertThat(user.path("UserStatus").asText()).isEqualTo("FORCE_CHANGE_PASSWORD");
    }

    @Test
    void confirmSignUpWhenPostConfirmationThrowsThenErrorButUserConfirmed() {
        String[] ids = pool("", "PostConfirmation");
        failWith("fn-PostConfirmation", "welcome mail failed");
        pools.signUp(ids[1], "c@example.com", PoolFixture.PASSWORD).ok();
        PoolFixture.Reply reply = pools.call(
                "ConfirmSignUp",
                "{\"ClientId\":\"" + ids[1] + "\",\"Username\":\"c@example.com\",\"ConfirmationCode\":\""
                        + pools.lastCode() + "\",\"ClientMetadata\":{\"campaign\":\"spring\"}}");

        assertThat(reply.code()).isEqualTo("UserLambdaValidationException");
        assertThat(reply.message()).isEqualTo("PostConfirmation failed with error welcome mail failed.");
        ObjectNode event = lastEvent("PostConfirmation_ConfirmSignUp");
        assertThat(event.path("request")
                        .path("userAttributes")
                        .path("cognito:user_status")
                        .asText())
                .isEqualTo("CONFIRMED");
        assertThat(event.path("request")
                        .path("userAttributes")
                        .path("email_verified")
                        .asText())
                .isEqualTo("true");
        assertThat(event.path("request").path("userAttributes").path("sub").isTextual())
                .isTrue();
        assertThat(event.path("request").path("clientMetadata").path("campaign").asText())
                .isEqualTo("spring");
        pools.signIn(ids[1], "c@example.com", PoolFixture.PASSWORD).ok();
    }

    @Test
    void signInWhenPreAuthenticationThrowsThenRefusedWithItsMessage() {
        String[] ids = pool("", "PreAuthentication");
        failWith("fn-PreAuthentication", "Sign-in is closed");
        pools.signUp(ids[1], "d@example.com", PoolFixture.PASSWORD).ok();
        pools.confirm(ids[1], "d@example.com", pools.lastCode()).ok();
        PoolFixture.Reply reply = pools.signIn(ids[1], "d@example.com", PoolFixture.PASSWORD);

        assertThat(reply.code()).isEqualTo("UserLambdaValidationException");
        assertThat(reply.message()).isEqualTo("PreAuthentication failed with error Sign-in is closed.");
        assertThat(lastEvent("PreAuthentication_Authentication")
                        .path("request")
                        .path("userAttributes")
                        .path("email")
                        .asText())
                .isEqualTo("d@example.com");
    }

    @Test
    void signInWhenClientMetadataGivenThenPreAuthenticationGetsItAsValidationData() {
        String[] ids = pool("", "PreAuthentication");
        functions.put("fn-PreAuthentication", e -> e);
        pools.signUp(ids[1], "v@example.com", PoolFixture.PASSWORD).ok();
        pools.confirm(ids[1], "v@example.com", pools.lastCode()).ok();
        pools.call(
                        "InitiateAuth",
                        "{\"ClientId\":\"" + ids[1] + "\",\"AuthFlow\":\"USER_PASSWORD_AUTH\",\"AuthParameters\":"
                                + "{\"USERNAME\":\"v@example.com\",\"PASSWORD\":\"" + PoolFixture.PASSWORD + "\"},"
                                + "\"ClientMetadata\":{\"device\":\"kiosk-7\"}}")
                .ok();

        assertThat(lastEvent("PreAuthentication_Authentication")
                        .path("request")
                        .path("validationData")
                        .path("device")
                        .asText())
                .isEqualTo("kiosk-7");
    }

    @Test
    void signInWhenPostAuthenticationThrowsThenNoTokensAndNotCalledOnRefresh() {
        String[] ids = pool("", "PostAuthentication");
        functions.put("fn-PostAuthentication", e -> e);
        String refresh =
                signedUpAndIn(ids, "e@example.com").path("RefreshToken").asText();
        assertThat(lastEvent("PostAuthentication_Authentication")
                        .path("request")
                        .path("newDeviceUsed")
                        .isBoolean())
                .isTrue();
        int before = events.size();
        refresh(ids[1], refresh).ok();
        assertThat(events).hasSize(before);

        failWith("fn-PostAuthentication", "audit down");
        PoolFixture.Reply reply = pools.signIn(ids[1], "e@example.com", PoolFixture.PASSWORD);
        assertThat(reply.code()).isEqualTo("UserLambdaValidationException");
        assertThat(reply.get("AuthenticationResult").isMissingNode()).isTrue();
    }

    @Test
    void tokensWhenPreTokenGenerationV1ThenIdClaimsAddedSuppressedAndGroupsOverridden() {
        String[] ids = pool("", "PreTokenGeneration");
        functions.put(
                "fn-PreTokenGeneration",
                e -> respond(
                        e,
                        "{\"claimsOverrideDetails\":{\"claimsToAddOrOverride\":{\"tier\":\"gold\",\"email\":\"x@y.z\","
                                + "\"sub\":\"forged\",\"cognito:username\":\"forged\"},\"claimsToSuppress\":"
                                + "[\"email_verified\",\"aud\"],\"groupOverrideDetails\":{\"groupsToOverride\":"
                                + "[\"admins\"],\"iamRolesToOverride\":[],\"preferredRole\":null}}}"));
        JsonNode result = signedUpAndIn(ids, "f@example.com");
        JWTClaimsSet id = claims(result.path("IdToken").asText());
        JWTClaimsSet access = claims(result.path("AccessToken").asText());

        assertThat(id.getClaim("tier")).isEqualTo("gold");
        assertThat(id.getClaim("email")).isEqualTo("x@y.z");
        assertThat(id.getClaims()).doesNotContainKey("email_verified");
        assertThat(id.getSubject()).isNotEqualTo("forged");
        assertThat(id.getClaim("cognito:username")).isNotEqualTo("forged");
        assertThat(id.getAudience()).containsExactly(ids[1]);
        assertThat(id.getClaim("cognito:groups")).isEqualTo(List.of("admins"));
        assertThat(access.getClaim("cognito:groups")).isEqualTo(List.of("admins"));
        assertThat(access.getClaims()).doesNotContainKey("tier");
        ObjectNode event = lastEvent("TokenGeneration_Authentication");
        assertThat(event.path("request")
                        .path("groupConfiguration")
                        .path("groupsToOverride")
                        .isArray())
                .isTrue();
        assertThat(event.path("response").has("claimsOverrideDetails")).isTrue();

        JsonNode refreshed =
                refresh(ids[1], result.path("RefreshToken").asText()).ok().get("AuthenticationResult");
        assertThat(claims(refreshed.path("IdToken").asText()).getClaim("tier")).isEqualTo("gold");
        assertThat(lastEvent("TokenGeneration_RefreshTokens").path("userName").asText())
                .isEqualTo(id.getSubject());
    }

    @Test
    void tokensWhenPreTokenGenerationV2ThenBothTokensAndScopes() throws ParseException {
        String[] ids =
                pool("\"PreTokenGenerationConfig\":{\"LambdaVersion\":\"V2_0\",\"LambdaArn\":\"" + FN + "fn-v2\"}");
        functions.put(
                "fn-v2",
                e -> respond(
                        e,
                        "{\"claimsAndScopeOverrideDetails\":{\"idTokenGeneration\":{\"claimsToAddOrOverride\":"
                                + "{\"roles\":[\"a\",\"b\"]}},\"accessTokenGeneration\":{\"claimsToAddOrOverride\":"
                                + "{\"tenant\":{\"id\":7}},\"claimsToSuppress\":[\"client_id\"],\"scopesToAdd\":"
                                + "[\"orders/read\"]}}}"));
        JsonNode result = signedUpAndIn(ids, "g@example.com");
        JWTClaimsSet id = claims(result.path("IdToken").asText());
        JWTClaimsSet access = claims(result.path("AccessToken").asText());

        assertThat(id.getClaim("roles")).isEqualTo(List.of("a", "b"));
        assertThat(access.getClaim("tenant")).isEqualTo(Map.of("id", 7L));
        assertThat(access.getClaim("client_id")).isEqualTo(ids[1]);
        assertThat(access.getStringClaim("scope").split(" "))
                .containsExactly("aws.cognito.signin.user.admin", "orders/read");
        ObjectNode event = lastEvent("TokenGeneration_Authentication");
        assertThat(event.path("version").asText()).isEqualTo("2");
        assertThat(event.path("request").path("scopes").get(0).asText()).isEqualTo("aws.cognito.signin.user.admin");
    }

    @Test
    void signUpWhenCustomMessageThenItsSubjectAndTextWithTheCode() {
        String[] ids = pool("", "CustomMessage");
        functions.put(
                "fn-CustomMessage",
                e -> respond(
                        e,
                        "{\"emailSubject\":\"Welcome\",\"emailMessage\":\"Hi " + "\\u007b" + "####} - "
                                + e.path("request")
                                        .path("userAttributes")
                                        .path("email")
                                        .asText() + "\"}"));
        pools.signUp(ids[1], "h@example.com", PoolFixture.PASSWORD).ok();

        OutgoingMessage mail = pools.mail.last();
        assertThat(mail.subject()).isEqualTo("Welcome");
        assertThat(mail.body()).matches("Hi \\d{6} - h@example.com");
        ObjectNode event = lastEvent("CustomMessage_SignUp");
        assertThat(event.path("request").path("codeParameter").asText()).isEqualTo("{####}");
        assertThat(event.path("request").path("usernameParameter").isNull()).isTrue();
        pools.confirm(ids[1], "h@example.com", mail.code()).ok();
    }

    @Test
    void signUpWhenCustomMessageLacksTheCodeThenInvalidLambdaResponse() {
        String[] ids = pool("", "CustomMessage");
        functions.put("fn-CustomMessage", e -> respond(e, "{\"emailMessage\":\"no code here\"}"));
        PoolFixture.Reply reply = pools.signUp(ids[1], "i@example.com", PoolFixture.PASSWORD);

        assertThat(reply.code()).isEqualTo("InvalidLambdaResponseException");
        assertThat(pools.mail.sent).isEmpty();
    }

    @Test
    void signInWhenTriggerFunctionMissingThenUnexpectedLambda() {
        String[] ids = pool("", "PreAuthentication");
        pools.signUp(ids[1], "j@example.com", PoolFixture.PASSWORD).ok();
        pools.confirm(ids[1], "j@example.com", pools.lastCode()).ok();
        PoolFixture.Reply reply = pools.signIn(ids[1], "j@example.com", PoolFixture.PASSWORD);

        assertThat(reply.code()).isEqualTo("UnexpectedLambdaException");
        assertThat(reply.message()).startsWith("PreAuthentication invocation failed due to error ");
    }

    private JsonNode signedUpAndIn(String[] ids, String email) {
        pools.signUp(ids[1], email, PoolFixture.PASSWORD).ok();
        pools.confirm(ids[1], email, pools.lastCode()).ok();
        return pools.signIn(ids[1], email, PoolFixture.PASSWORD).ok().get("AuthenticationResult");
    }

    private PoolFixture.Reply refresh(String clientId, String refreshToken) {
        return pools.call(
                "InitiateAuth",
                "{\"AuthFlow\":\"REFRESH_TOKEN_AUTH\",\"ClientId\":\"" + clientId
                        + "\",\"AuthParameters\":{\"REFRESH_TOKEN\":\"" + refreshToken + "\"}}");
    }
}
