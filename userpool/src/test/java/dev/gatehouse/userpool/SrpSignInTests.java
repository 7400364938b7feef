package dev.gatehouse.userpool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.store.Condition;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.Key;
import dev.gatehouse.userpool.PoolFixture.Reply;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** USER_SRP_AUTH end to end through the dispatcher, with real proofs from {@link SrpTestClient}. */
class SrpSignInTests {

    private static final String USER = "alice@example.com";
    private static final String SRP_FLOWS =
            "\"ExplicitAuthFlows\":[\"ALLOW_USER_SRP_AUTH\",\"ALLOW_REFRESH_TOKEN_AUTH\","
                    + "\"ALLOW_USER_PASSWORD_AUTH\"]";

    private final PoolFixture f = new PoolFixture();
    private final Random random = new Random(42);
    private final String poolId = f.createPool(
            "{\"PoolName\":\"srp\",\"UsernameAttributes\":[\"email\"]," + "\"AutoVerifiedAttributes\":[\"email\"]}");
    private final String clientId = f.createClient(poolId, SRP_FLOWS);
    private final String hidingClient =
            f.createClient(poolId, SRP_FLOWS + ",\"PreventUserExistenceErrors\":\"ENABLED\"");

    private String registered(String email, String password) {
        String sub = f.signUp(clientId, email, password).ok().get("UserSub").asText();
        f.confirm(clientId, email, f.lastCode()).ok();
        return sub;
    }

    private Reply initiate(String appClient, String username, SrpTestClient srp, Map<String, String> extra) {
        ObjectNode body = PoolFixture.json().put("AuthFlow", "USER_SRP_AUTH").put("ClientId", appClient);
        ObjectNode params =
                body.putObject("AuthParameters").put("USERNAME", username).put("SRP_A", srp.srpA());
        extra.forEach(params::put);
        return f.call("InitiateAuth", body);
    }

    private Reply respond(
            String appClient,
            Reply challenge,
            SrpTestClient srp,
            String password,
            String username,
            Map<String, String> extra) {
        return respond(
                "RespondToAuthChallenge", PoolFixture.json(), appClient, challenge, srp, password, username, extra);
    }

    private Reply respond(
            String operation,
            ObjectNode body,
            String appClient,
            Reply challenge,
            SrpTestClient srp,
            String password,
            String username,
            Map<String, String> extra) {
        Map<String, String> parameters = parameters(challenge);
        String timestamp = SrpServer.formatTimestamp(f.clock.instant());
        body.put("ChallengeName", "PASSWORD_VERIFIER").put("ClientId", appClient);
        if (!body.has("Session")) {
            body.put("Session", challenge.get("Session").asText());
        } else if (body.get("Session").isNull()) {
            body.remove("Session");
        }
        ObjectNode responses = body.putObject("ChallengeResponses")
                .put("USERNAME", username)
                .put("PASSWORD_CLAIM_SECRET_BLOCK", parameters.get("SECRET_BLOCK"))
                .put("TIMESTAMP", timestamp)
                .put(
                        "PASSWORD_CLAIM_SIGNATURE",
                        srp.signature(SrpServer.poolName(poolId), password, parameters, timestamp));
        extra.forEach(responses::put);
        return f.call(operation, body);
    }

    private static Map<String, String> parameters(Reply challenge) {
        Map<String, String> parameters = new LinkedHashMap<>();
        challenge
                .get("ChallengeParameters")
                .fields()
                .forEachRemaining(e -> parameters.put(e.getKey(), e.getValue().asText()));
        return parameters;
    }

    /** Initiate and answer with USERNAME = USER_ID_FOR_SRP, as amazon-cognito-identity-js does. */
    private Reply signIn(String appClient, String username, String password) {
        SrpTestClient srp = SrpTestClient.random(random);
        Reply challenge = initiate(appClient, username, srp, Map.of()).ok();
        return respond(
                appClient, challenge, srp, password, parameters(challenge).get("USER_ID_FOR_SRP"), Map.of());
    }

    @Test
    void srpWhenRightPasswordThenTokensThatVerifyAndInternalUsername() {
        String sub = registered(USER, PoolFixture.PASSWORD);
        SrpTestClient srp = SrpTestClient.random(random);
        Reply challenge = initiate(clientId, USER, srp, Map.of()).ok();
        assertThat(challenge.get("ChallengeName").asText()).isEqualTo("PASSWORD_VERIFIER");
        Map<String, String> parameters = parameters(challenge);
        assertThat(parameters).containsKeys("SALT", "SRP_B", "SECRET_BLOCK");
        assertThat(parameters.get("USER_ID_FOR_SRP")).isEqualTo(sub);
        assertThat(parameters.get("USERNAME")).isEqualTo(sub);
        Reply result = respond(clientId, challenge, srp, PoolFixture.PASSWORD, sub, Map.of())
                .ok();
        JsonNode tokens = result.get("AuthenticationResult");
        VerifiedAccessToken access =
                f.tokens.verifyAccessToken(tokens.path("AccessToken").asText());
        assertThat(access.username()).isEqualTo(sub);
        assertThat(access.sub()).isEqualTo(sub);
        assertThat(tokens.path("RefreshToken").asText()).isNotEmpty();
        assertThat(tokens.path("IdToken").asText()).isNotEmpty();
    }

    @Test
    void srpWhenAnsweredWithTheEmailThenAlsoSignsIn() {
        registered(USER, PoolFixture.PASSWORD);
        SrpTestClient srp = SrpTestClient.random(random);
        Reply challenge = initiate(clientId, USER, srp, Map.of()).ok();
        respond(clientId, challenge, srp, PoolFixture.PASSWORD, USER, Map.of()).ok();
    }

    @Test
    void srpWhenAliasPoolThenEmailSignInReturnsInternalUsername() {
        String aliasPool = f.createPool(
                "{\"PoolName\":\"alias\",\"AliasAttributes\":[\"email\"]," + "\"AutoVerifiedAttributes\":[\"email\"]}");
        String aliasClient = f.createClient(aliasPool, SRP_FLOWS);
        f.call(
                        "SignUp",
                        "{\"ClientId\":\"" + aliasClient + "\",\"Username\":\"bob\",\"Password\":\"Passw0rd!\","
                                + "\"UserAttributes\":[{\"Name\":\"email\",\"Value\":\"bob@example.com\"}]}")
                .ok();
        f.confirm(aliasClient, "bob", f.lastCode()).ok();
        SrpTestClient srp = SrpTestClient.random(random);
        Reply challenge =
                initiate(aliasClient, "bob@example.com", srp, Map.of()).ok();
        assertThat(parameters(challenge).get("USER_ID_FOR_SRP")).isEqualTo("bob");
        Map<String, String> parameters = parameters(challenge);
        String timestamp = SrpServer.formatTimestamp(f.clock.instant());
        Reply result = f.call(
                "RespondToAuthChallenge",
                PoolFixture.json()
                        .put("ChallengeName", "PASSWORD_VERIFIER")
                        .put("ClientId", aliasClient)
                        .put("Session", challenge.get("Session").asText())
                        .set(
                                "ChallengeResponses",
                                PoolFixture.json()
                                        .put("USERNAME", "bob")
                                        .put("PASSWORD_CLAIM_SECRET_BLOCK", parameters.get("SECRET_BLOCK"))
                                        .put("TIMESTAMP", timestamp)
                                        .put(
                                                "PASSWORD_CLAIM_SIGNATURE",
                                                srp.signature(
                                                        SrpServer.poolName(aliasPool),
                                                        PoolFixture.PASSWORD,
                                                        parameters,
                                                        timestamp))));
        assertThat(f.tokens
                        .verifyAccessToken(result.ok()
                                .get("AuthenticationResult")
                                .path("AccessToken")
                                .asText())
                        .username())
                .isEqualTo("bob");
    }

    @Test
    void srpWhenWrongPasswordThenIncorrectUsernameOrPassword() {
        registered(USER, PoolFixture.PASSWORD);
        Reply reply = signIn(clientId, USER, "Wrong0rd!");
        assertThat(reply.code()).isEqualTo(UserPoolErrors.NOT_AUTHORIZED);
        assertThat(reply.message()).isEqualTo("Incorrect username or password.");
    }

    @Test
    void srpWhenUnknownUserAndHidingThenStableFakeChallengeAndIncorrectCredentials() {
        SrpTestClient srp = SrpTestClient.random(random);
        Map<String, String> first = parameters(
                initiate(hidingClient, "nobody@example.com", srp, Map.of()).ok());
        Reply again =
                initiate(hidingClient, "nobody@example.com", srp, Map.of()).ok();
        Map<String, String> second = parameters(again);
        assertThat(second.get("SALT")).isEqualTo(first.get("SALT"));
        assertThat(second.get("USER_ID_FOR_SRP"))
                .isEqualTo(first.get("USER_ID_FOR_SRP"))
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(second.get("SRP_B")).isNotEqualTo(first.get("SRP_B"));
        assertThat(SrpKeys.loadOrCreate(f.store, new SecureRandom())
                        .fakeVerifierKey()
                        .getEncoded())
                .isEqualTo(SrpKeys.loadOrCreate(f.store, new SecureRandom())
                        .fakeVerifierKey()
                        .getEncoded());
        assertThat(parameters(initiate(hidingClient, "other@example.com", srp, Map.of())
                                .ok())
                        .get("SALT"))
                .isNotEqualTo(first.get("SALT"));
        Reply reply = respond(hidingClient, again, srp, PoolFixture.PASSWORD, second.get("USER_ID_FOR_SRP"), Map.of());
        assertThat(reply.code()).isEqualTo(UserPoolErrors.NOT_AUTHORIZED);
        assertThat(reply.message()).isEqualTo("Incorrect username or password.");
        Reply legacy = initiate(clientId, "nobody@example.com", srp, Map.of());
        assertThat(legacy.code()).isEqualTo(UserPoolErrors.USER_NOT_FOUND);
    }

    @Test
    void srpWhenServerRestartsOnSameStoreThenFakeSaltIsTheSame() {
        SrpTestClient srp = SrpTestClient.random(random);
        String salt = parameters(initiate(hidingClient, "ghost@example.com", srp, Map.of())
                        .ok())
                .get("SALT");
        Reply replyAfter;
        UserPoolApi restarted = new UserPoolApi(
                f.store,
                f.tokens,
                f.mail,
                f.clock,
                "us-east-1",
                "123456789012",
                new PasswordHasher(64, 1, new SecureRandom()),
                new SecureRandom());
        dev.gatehouse.protocol.AwsJsonService otherService = new dev.gatehouse.protocol.AwsJsonService(
                "AWSCognitoIdentityProviderService",
                "cognito-idp",
                (request, signingName, operation) -> PoolFixture.ADMIN);
        restarted.registerOn(otherService);
        dev.gatehouse.protocol.AwsResponse response = otherService.dispatch(new dev.gatehouse.protocol.AwsRequest(
                "POST",
                "/",
                "",
                Map.of("x-amz-target", java.util.List.of("AWSCognitoIdentityProviderService.InitiateAuth")),
                ("{\"AuthFlow\":\"USER_SRP_AUTH\",\"ClientId\":\"" + hidingClient
                                + "\",\"AuthParameters\":{\"USERNAME\":" + "\"ghost@example.com\",\"SRP_A\":\""
                                + srp.srpA() + "\"}}")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "127.0.0.1",
                "r1"));
        try {
            replyAfter = new Reply(
                    response.status(), dev.gatehouse.protocol.AwsJson.mapper().readTree(response.body()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(parameters(replyAfter.ok()).get("SALT")).isEqualTo(salt);
    }

    @Test
    void srpWhenFiveWrongProofsThenLockedOutEvenWithTheRightProof() {
        registered(USER, PoolFixture.PASSWORD);
        for (int i = 0; i < 5; i++) {
            assertThat(signIn(clientId, USER, "Wrong0rd!").message()).isEqualTo("Incorrect username or password.");
        }
        assertThat(signIn(clientId, USER, PoolFixture.PASSWORD).message()).isEqualTo("Password attempts exceeded");
        f.clock.advance(Duration.ofSeconds(1));
        signIn(clientId, USER, PoolFixture.PASSWORD).ok();
    }

    @Test
    void srpWhenStaleTimestampThenRefusedButNotCounted() {
        registered(USER, PoolFixture.PASSWORD);
        for (int i = 0; i < 6; i++) {
            SrpTestClient srp = SrpTestClient.random(random);
            Reply challenge = initiate(clientId, USER, srp, Map.of()).ok();
            Map<String, String> parameters = parameters(challenge);
            String stale = SrpServer.formatTimestamp(f.clock.instant().minus(Duration.ofMinutes(10)));
            Reply reply = f.call(
                    "RespondToAuthChallenge",
                    PoolFixture.json()
                            .put("ChallengeName", "PASSWORD_VERIFIER")
                            .put("ClientId", clientId)
                            .put("Session", challenge.get("Session").asText())
                            .set(
                                    "ChallengeResponses",
                                    PoolFixture.json()
                                            .put("USERNAME", parameters.get("USER_ID_FOR_SRP"))
                                            .put("PASSWORD_CLAIM_SECRET_BLOCK", parameters.get("SECRET_BLOCK"))
                                            .put("TIMESTAMP", stale)
                                            .put(
                                                    "PASSWORD_CLAIM_SIGNATURE",
                                                    srp.signature(
                                                            SrpServer.poolName(poolId),
                                                            PoolFixture.PASSWORD,
                                                            parameters,
                                                            stale))));
            assertThat(reply.code()).isEqualTo(UserPoolErrors.NOT_AUTHORIZED);
        }
        signIn(clientId, USER, PoolFixture.PASSWORD).ok();
    }

    @Test
    void respondWhenSessionReusedOrExpiredThenNotAuthorized() {
        String sub = registered(USER, PoolFixture.PASSWORD);
        SrpTestClient srp = SrpTestClient.random(random);
        Reply challenge = initiate(clientId, USER, srp, Map.of()).ok();
        assertThat(respond(clientId, challenge, srp, "Wrong0rd!", sub, Map.of()).code())
                .isEqualTo(UserPoolErrors.NOT_AUTHORIZED);
        Reply reused = respond(clientId, challenge, srp, PoolFixture.PASSWORD, sub, Map.of());
        assertThat(reused.code()).isEqualTo(UserPoolErrors.NOT_AUTHORIZED);
        assertThat(reused.get("AuthenticationResult").isMissingNode()).isTrue();

        SrpTestClient late = SrpTestClient.random(random);
        Reply expiring = initiate(clientId, USER, late, Map.of()).ok();
        f.clock.advance(Duration.ofMinutes(3).plusSeconds(1));
        Reply expired = respond(clientId, expiring, late, PoolFixture.PASSWORD, sub, Map.of());
        assertThat(expired.code()).isEqualTo(UserPoolErrors.NOT_AUTHORIZED);
        assertThat(expired.message()).startsWith("Invalid session for the user");
    }

    /** As pycognito answers: no {@code Session}; the echoed secret block names the challenge. */
    private Reply respondWithoutSession(Reply challenge, SrpTestClient srp, String password, String username) {
        return respond(
                "RespondToAuthChallenge",
                PoolFixture.json().putNull("Session"),
                clientId,
                challenge,
                srp,
                password,
                username,
                Map.of());
    }

    @Test
    void respondWhenNoSessionThenTheSecretBlockFindsTheChallengeOnceAndUntilItExpires() {
        String sub = registered(USER, PoolFixture.PASSWORD);
        SrpTestClient srp = SrpTestClient.random(random);
        Reply challenge = initiate(clientId, USER, srp, Map.of()).ok();

        respondWithoutSession(challenge, srp, PoolFixture.PASSWORD, sub).ok();
        assertThat(respondWithoutSession(challenge, srp, PoolFixture.PASSWORD, sub)
                        .message())
                .startsWith("Invalid session for the user");

        SrpTestClient late = SrpTestClient.random(random);
        Reply expiring = initiate(clientId, USER, late, Map.of()).ok();
        f.clock.advance(Duration.ofMinutes(3).plusSeconds(1));
        assertThat(respondWithoutSession(expiring, late, PoolFixture.PASSWORD, sub)
                        .message())
                .isEqualTo("Invalid session for the user, session is expired.");
    }

    @Test
    void respondWhenAnotherUsersUsernameThenInvalidSession() {
        registered(USER, PoolFixture.PASSWORD);
        String bobSub = registered("bob@example.com", PoolFixture.PASSWORD);
        SrpTestClient srp = SrpTestClient.random(random);
        Reply challenge = initiate(clientId, USER, srp, Map.of()).ok();
        Reply reply = respond(clientId, challenge, srp, PoolFixture.PASSWORD, bobSub, Map.of());
        assertThat(reply.code()).isEqualTo(UserPoolErrors.NOT_AUTHORIZED);
        assertThat(reply.message()).isEqualTo("Invalid session for the user.");
    }

    @Test
    void initiateWhenDegenerateSrpAThenRefused() {
        registered(USER, PoolFixture.PASSWORD);
        for (BigInteger a : new BigInteger[] {
            BigInteger.ZERO, BigInteger.ONE, SrpMath.N, SrpMath.N.shiftLeft(1), SrpMath.N.subtract(BigInteger.ONE)
        }) {
            Reply reply = f.call(
                    "InitiateAuth",
                    "{\"AuthFlow\":\"USER_SRP_AUTH\",\"ClientId\":\"" + clientId
                            + "\",\"AuthParameters\":{\"USERNAME\":\"" + USER + "\",\"SRP_A\":\"" + a.toString(16)
                            + "\"}}");
            assertThat(reply.code()).as("SRP_A %s", a).isEqualTo(UserPoolErrors.NOT_AUTHORIZED);
            assertThat(reply.get("Session").isMissingNode()).isTrue();
        }
    }

    @Test
    void initiateWhenClientDoesNotAllowSrpThenInvalidParameter() {
        String passwordOnly = f.createClient(
                poolId, "\"ExplicitAuthFlows\":[\"ALLOW_USER_PASSWORD_AUTH\",\"ALLOW_REFRESH_TOKEN_AUTH\"]");
        Reply reply = initiate(passwordOnly, USER, SrpTestClient.random(random), Map.of());
        assertThat(reply.code()).isEqualTo(UserPoolErrors.INVALID_PARAMETER);
    }

    @Test
    void adminSrpWhenRightPasswordThenTokens() {
        String sub = registered(USER, PoolFixture.PASSWORD);
        SrpTestClient srp = SrpTestClient.random(random);
        ObjectNode body = PoolFixture.json()
                .put("AuthFlow", "USER_SRP_AUTH")
                .put("ClientId", clientId)
                .put("UserPoolId", poolId);
        body.putObject("AuthParameters").put("USERNAME", USER).put("SRP_A", srp.srpA());
        Reply challenge = f.call("AdminInitiateAuth", body).ok();
        assertThat(f.unsigned("AdminInitiateAuth", body.toString()).status()).isNotEqualTo(200);
        Reply result = respond(
                        "AdminRespondToAuthChallenge",
                        PoolFixture.json().put("UserPoolId", poolId),
                        clientId,
                        challenge,
                        srp,
                        PoolFixture.PASSWORD,
                        sub,
                        Map.of())
                .ok();
        assertThat(f.tokens
                        .verifyAccessToken(result.get("AuthenticationResult")
                                .path("AccessToken")
                                .asText())
                        .sub())
                .isEqualTo(sub);
    }

    @Test
    void srpWhenClientHasSecretThenSecretHashRequiredOnBothSteps() {
        Reply created = f.call(
                        "CreateUserPoolClient",
                        "{\"UserPoolId\":\"" + poolId + "\",\"ClientName\":\"s\"," + "\"GenerateSecret\":true,"
                                + SRP_FLOWS + "}")
                .ok();
        String secretClient = created.get("UserPoolClient").path("ClientId").asText();
        String secret = created.get("UserPoolClient").path("ClientSecret").asText();
        String sub = registered(USER, PoolFixture.PASSWORD);
        SrpTestClient srp = SrpTestClient.random(random);
        assertThat(initiate(secretClient, USER, srp, Map.of()).message())
                .isEqualTo("Client " + secretClient + " is configured for secret but secret was not received");
        assertThat(initiate(
                                secretClient,
                                USER,
                                srp,
                                Map.of("SECRET_HASH", PoolContext.secretHash(secret, "x", secretClient)))
                        .message())
                .isEqualTo("Unable to verify secret hash for client " + secretClient);
        Reply challenge = initiate(
                        secretClient,
                        USER,
                        srp,
                        Map.of("SECRET_HASH", PoolContext.secretHash(secret, USER, secretClient)))
                .ok();
        Reply missing = respond(secretClient, challenge, srp, PoolFixture.PASSWORD, sub, Map.of());
        assertThat(missing.code()).isEqualTo(UserPoolErrors.NOT_AUTHORIZED);
        assertThat(missing.message()).contains("configured for secret");
        // The failed answer did not use the session up: the secret hash is checked first.
        respond(
                        secretClient,
                        challenge,
                        srp,
                        PoolFixture.PASSWORD,
                        sub,
                        Map.of("SECRET_HASH", PoolContext.secretHash(secret, sub, secretClient)))
                .ok();
        assertThat(initiate(clientId, USER, srp, Map.of("SECRET_HASH", "abc")).code())
                .isEqualTo(UserPoolErrors.INVALID_PARAMETER);
    }

    @Test
    void secretHashWhenMissingThenRefusedByEveryOperationThatTakesIt() {
        Reply created = f.call(
                        "CreateUserPoolClient",
                        "{\"UserPoolId\":\"" + poolId + "\",\"ClientName\":\"s\"," + "\"GenerateSecret\":true,"
                                + SRP_FLOWS + "}")
                .ok();
        String secretClient = created.get("UserPoolClient").path("ClientId").asText();
        registered(USER, PoolFixture.PASSWORD);
        String user = "\"ClientId\":\"" + secretClient + "\",\"Username\":\"" + USER + "\"";
        for (String[] call : new String[][] {
            {"SignUp", "{" + user + ",\"Password\":\"Passw0rd!\"}"},
            {"ConfirmSignUp", "{" + user + ",\"ConfirmationCode\":\"123456\"}"},
            {"ResendConfirmationCode", "{" + user + "}"},
            {"ForgotPassword", "{" + user + "}"},
            {"ConfirmForgotPassword", "{" + user + ",\"ConfirmationCode\":\"123456\",\"Password\":\"Passw0rd!\"}"},
            {
                "InitiateAuth",
                "{\"AuthFlow\":\"USER_PASSWORD_AUTH\",\"ClientId\":\"" + secretClient
                        + "\",\"AuthParameters\":{\"USERNAME\":\"" + USER + "\",\"PASSWORD\":\"Passw0rd!\"}}"
            },
            {
                "AdminInitiateAuth",
                "{\"AuthFlow\":\"USER_SRP_AUTH\",\"UserPoolId\":\"" + poolId + "\",\"ClientId\":\"" + secretClient
                        + "\",\"AuthParameters\":{\"USERNAME\":\"" + USER + "\",\"SRP_A\":\"abc\"}}"
            }
        }) {
            Reply reply = f.call(call[0], call[1]);
            assertThat(reply.code()).as(call[0]).isEqualTo(UserPoolErrors.NOT_AUTHORIZED);
            assertThat(reply.message())
                    .as(call[0])
                    .isEqualTo("Client " + secretClient + " is configured for secret but secret was not received");
        }
    }

    @Test
    void srpWhenForceChangePasswordThenNewPasswordRequiredAndNewPasswordWorksOverSrp() {
        Reply created = f.call(
                        "AdminCreateUser",
                        "{\"UserPoolId\":\"" + poolId + "\",\"Username\":\"" + USER
                                + "\",\"TemporaryPassword\":\"Temp0rary!\",\"MessageAction\":\"SUPPRESS\"}")
                .ok();
        String internal = created.get("User").path("Username").asText();
        Reply challenge = signIn(clientId, USER, "Temp0rary!").ok();
        assertThat(challenge.get("ChallengeName").asText()).isEqualTo("NEW_PASSWORD_REQUIRED");
        f.call(
                        "RespondToAuthChallenge",
                        PoolFixture.json()
                                .put("ChallengeName", "NEW_PASSWORD_REQUIRED")
                                .put("ClientId", clientId)
                                .put("Session", challenge.get("Session").asText())
                                .set(
                                        "ChallengeResponses",
                                        PoolFixture.json()
                                                .put("USERNAME", internal)
                                                .put("NEW_PASSWORD", "N3wPassw0rd!")))
                .ok();
        assertThat(signIn(clientId, USER, "Temp0rary!").message()).isEqualTo("Incorrect username or password.");
        signIn(clientId, USER, "N3wPassw0rd!").ok();
    }

    @Test
    void srpWhenPasswordChangedOrResetThenOnlyTheNewPasswordWorks() {
        String sub = registered(USER, PoolFixture.PASSWORD);
        String access = signIn(clientId, USER, PoolFixture.PASSWORD)
                .ok()
                .get("AuthenticationResult")
                .path("AccessToken")
                .asText();
        f.call(
                        "ChangePassword",
                        "{\"AccessToken\":\"" + access + "\",\"PreviousPassword\":\"Passw0rd!\","
                                + "\"ProposedPassword\":\"Chang3d!pw\"}")
                .ok();
        assertThat(signIn(clientId, USER, PoolFixture.PASSWORD).code()).isEqualTo(UserPoolErrors.NOT_AUTHORIZED);
        signIn(clientId, USER, "Chang3d!pw").ok();
        f.call(
                        "AdminSetUserPassword",
                        "{\"UserPoolId\":\"" + poolId + "\",\"Username\":\"" + sub
                                + "\",\"Password\":\"Adm1nSet!pw\",\"Permanent\":true}")
                .ok();
        signIn(clientId, USER, "Adm1nSet!pw").ok();
        f.call("ForgotPassword", "{\"ClientId\":\"" + clientId + "\",\"Username\":\"" + USER + "\"}")
                .ok();
        f.call(
                        "ConfirmForgotPassword",
                        "{\"ClientId\":\"" + clientId + "\",\"Username\":\"" + USER + "\",\"ConfirmationCode\":\""
                                + f.lastCode() + "\",\"Password\":\"R3set!pw\"}")
                .ok();
        assertThat(signIn(clientId, USER, "Adm1nSet!pw").code()).isEqualTo(UserPoolErrors.NOT_AUTHORIZED);
        signIn(clientId, USER, "R3set!pw").ok();
    }

    @Test
    void srpWhenUserHasNoVerifierThenFailsAsWrongPasswordAndPasswordSignInStillWorks() {
        String sub = registered(USER, PoolFixture.PASSWORD);
        Key key = Key.of(poolId + "#user", sub);
        Item stored = f.store.get(UserRepository.TABLE, key).orElseThrow();
        Map<String, String> attributes = new HashMap<>(stored.attributes());
        assertThat(attributes.remove("srpVerifier")).isNotNull();
        f.store.put(UserRepository.TABLE, Item.of(key, attributes), Condition.none());
        for (int i = 0; i < 6; i++) {
            Reply reply = signIn(clientId, USER, PoolFixture.PASSWORD);
            assertThat(reply.code()).isEqualTo(UserPoolErrors.NOT_AUTHORIZED);
            assertThat(reply.message()).isEqualTo("Incorrect username or password.");
        }
        f.signIn(clientId, USER, PoolFixture.PASSWORD).ok();
    }

    @Test
    void srpWhenUnconfirmedOrDisabledThenCognitosErrors() {
        f.signUp(clientId, USER, PoolFixture.PASSWORD).ok();
        assertThat(signIn(clientId, USER, PoolFixture.PASSWORD).code()).isEqualTo(UserPoolErrors.USER_NOT_CONFIRMED);
        f.confirm(clientId, USER, f.lastCode()).ok();
        f.call("AdminDisableUser", "{\"UserPoolId\":\"" + poolId + "\",\"Username\":\"" + USER + "\"}")
                .ok();
        assertThat(signIn(clientId, USER, PoolFixture.PASSWORD).message()).isEqualTo("User is disabled.");
        assertThat(signIn(hidingClient, USER, "Wrong0rd!").message()).isEqualTo("Incorrect username or password.");
    }
}
