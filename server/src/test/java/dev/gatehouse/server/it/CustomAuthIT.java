package dev.gatehouse.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.userpool.SrpTestClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ChallengeNameType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ExplicitAuthFlowsType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InitiateAuthResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidParameterException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.NotAuthorizedException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.RespondToAuthChallengeResponse;

/**
 * examples/custom-auth from the jar: CUSTOM_AUTH sign-in with a one-time code, its DefineAuthChallenge,
 * CreateAuthChallenge and VerifyAuthChallengeResponse triggers run as Node.js functions for one pool and as Java
 * functions (in worker JVMs) for the other; the AWS SDK for Java v2 as the app's client.
 */
class CustomAuthIT {

    private static final Path APP = prepareApp();
    private static final Path CODES = APP.resolve("codes");

    @RegisterExtension
    static final GatehouseProcess GATEHOUSE = GatehouseProcess.create(
            "custom-auth",
            "--template",
            APP.resolve("custom-auth").resolve("template.yaml").toString(),
            "--parameter-overrides",
            "CodeDir=" + CODES);

    /** The example as a user has it, with java/target/custom-auth-functions.jar built. */
    private static Path prepareApp() {
        return TriggerExamples.prepare(
                "custom-auth", List.of("template.yaml", "nodejs/handlers.js"), List.of(), "custom-auth-functions.jar");
    }

    /** The pool and client of one runtime's triggers. */
    private record App(String poolId, String clientId) {

        static App of(String runtime) {
            return "Java".equals(runtime)
                    ? new App(GATEHOUSE.output("JavaUserPoolId"), GATEHOUSE.output("JavaUserPoolClientId"))
                    : new App(GATEHOUSE.output("UserPoolId"), GATEHOUSE.output("UserPoolClientId"));
        }
    }

    private static CognitoIdentityProviderClient client() {
        return GATEHOUSE.client();
    }

    /** A confirmed user with a password, created as an administrator would; returns the email. */
    private static String user(App app, String name) {
        String email = TestUsers.email(name);
        new Journeys(GATEHOUSE).confirmedUser(app.poolId(), email);
        return email;
    }

    private static InitiateAuthResponse initiate(App app, String email) {
        return client().initiateAuth(r -> r.clientId(app.clientId())
                .authFlow(AuthFlowType.CUSTOM_AUTH)
                .authParameters(Map.of("USERNAME", email)));
    }

    private static RespondToAuthChallengeResponse answer(App app, String session, String username, String answer) {
        return client().respondToAuthChallenge(r -> r.clientId(app.clientId())
                .challengeName(ChallengeNameType.CUSTOM_CHALLENGE)
                .session(session)
                .challengeResponses(Map.of("USERNAME", username, "ANSWER", answer)));
    }

    private static void assertIncorrectCredentials(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(NotAuthorizedException.class, e -> assertThat(
                        e.awsErrorDetails().errorMessage())
                .isEqualTo("Incorrect username or password."));
    }

    /** The code Create last delivered to {@code username} (the internal name Cognito passes as userName). */
    private static String delivered(String username) {
        try {
            return Files.readString(CODES.resolve(username), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Node", "Java"})
    void customAuthWhenDeliveredCodeAnsweredThenTokensOfTheUser(String runtime) {
        App app = App.of(runtime);
        String email = user(app, "code-" + runtime);
        InitiateAuthResponse challenge = initiate(app, email);
        assertThat(challenge.challengeName()).isEqualTo(ChallengeNameType.CUSTOM_CHALLENGE);
        String username = challenge.challengeParameters().get("USERNAME");
        assertThat(challenge.challengeParameters())
                .containsEntry("delivery", "outbox")
                .containsEntry("triesLeft", "3");
        String code = delivered(username);
        assertThat(code).matches("\\d{6}");
        assertThat(challenge.challengeParameters()).doesNotContainValue(code);

        RespondToAuthChallengeResponse result = answer(app, challenge.session(), email, code);

        assertThat(result.authenticationResult()).isNotNull();
        String email2 =
                client()
                        .getUser(
                                r -> r.accessToken(result.authenticationResult().accessToken()))
                        .userAttributes()
                        .stream()
                        .filter(a -> a.name().equals("email"))
                        .findFirst()
                        .orElseThrow()
                        .value();
        assertThat(email2).isEqualTo(email);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Node", "Java"})
    void customAuthWhenThreeWrongCodesThenNewChallengesThenNotAuthorized(String runtime) {
        App app = App.of(runtime);
        String email = user(app, "wrong-" + runtime);
        InitiateAuthResponse challenge = initiate(app, email);
        RespondToAuthChallengeResponse second = answer(app, challenge.session(), email, "wrong");
        assertThat(second.challengeName()).isEqualTo(ChallengeNameType.CUSTOM_CHALLENGE);
        assertThat(second.challengeParameters()).containsEntry("triesLeft", "2");
        RespondToAuthChallengeResponse third = answer(app, second.session(), email, "wrong");
        assertThat(third.challengeParameters()).containsEntry("triesLeft", "1");
        String code = delivered(challenge.challengeParameters().get("USERNAME"));

        assertIncorrectCredentials(() -> answer(app, third.session(), email, code + "0"));
        // the last session is used up: even the right code does not sign in with it
        assertThatThrownBy(() -> answer(app, third.session(), email, code)).isInstanceOf(NotAuthorizedException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Node", "Java"})
    void customAuthWhenStartedWithSrpThenPasswordVerifierThenCodeThenTokens(String runtime) {
        App app = App.of(runtime);
        String email = user(app, "srp-" + runtime);
        SrpTestClient srp = SrpTestClient.random(new SecureRandom());
        InitiateAuthResponse verifier = client().initiateAuth(r -> r.clientId(app.clientId())
                .authFlow(AuthFlowType.CUSTOM_AUTH)
                .authParameters(Map.of("USERNAME", email, "SRP_A", srp.srpA(), "CHALLENGE_NAME", "SRP_A")));
        assertThat(verifier.challengeName()).isEqualTo(ChallengeNameType.PASSWORD_VERIFIER);
        Map<String, String> parameters = verifier.challengeParameters();
        String timestamp = DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss 'UTC' uuuu", Locale.US)
                .format(LocalDateTime.now(ZoneOffset.UTC));
        String poolName = app.poolId().substring(app.poolId().indexOf('_') + 1);
        RespondToAuthChallengeResponse challenge = client().respondToAuthChallenge(r -> r.clientId(app.clientId())
                .challengeName(ChallengeNameType.PASSWORD_VERIFIER)
                .session(verifier.session())
                .challengeResponses(Map.of(
                        "TIMESTAMP",
                        timestamp,
                        "USERNAME",
                        parameters.get("USER_ID_FOR_SRP"),
                        "PASSWORD_CLAIM_SECRET_BLOCK",
                        parameters.get("SECRET_BLOCK"),
                        "PASSWORD_CLAIM_SIGNATURE",
                        srp.signature(poolName, TestUsers.PASSWORD, parameters, timestamp))));
        assertThat(challenge.challengeName()).isEqualTo(ChallengeNameType.CUSTOM_CHALLENGE);
        String username = parameters.get("USER_ID_FOR_SRP");

        RespondToAuthChallengeResponse result = answer(app, challenge.session(), username, delivered(username));

        assertThat(result.authenticationResult().idToken()).isNotEmpty();
    }

    @Test
    void customAuthWhenUserUnknownThenChallengeLikeAnyOtherButNeverTokens() {
        App app = App.of("Node");
        String email = TestUsers.email("nobody");
        InitiateAuthResponse challenge = initiate(app, email);
        assertThat(challenge.challengeName()).isEqualTo(ChallengeNameType.CUSTOM_CHALLENGE);
        assertThat(challenge.challengeParameters()).containsKeys("USERNAME", "delivery", "triesLeft");
        try (Stream<Path> delivered = Files.exists(CODES) ? Files.list(CODES) : Stream.empty()) {
            assertThat(delivered.map(p -> p.getFileName().toString()))
                    .doesNotContain(challenge.challengeParameters().get("USERNAME"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // answered as for a real user: new challenges, then the same refusal after the last try
        RespondToAuthChallengeResponse second = answer(app, challenge.session(), email, "123456");
        assertThat(second.challengeParameters()).containsEntry("triesLeft", "2");
        RespondToAuthChallengeResponse third = answer(app, second.session(), email, "123456");
        assertIncorrectCredentials(() -> answer(app, third.session(), email, "123456"));
    }

    @Test
    void adminInitiateAuthWhenCustomAuthThenSameLoop() {
        App app = App.of("Java");
        String email = user(app, "admin");
        var challenge = GATEHOUSE.adminClient().adminInitiateAuth(r -> r.userPoolId(app.poolId())
                .clientId(app.clientId())
                .authFlow(AuthFlowType.CUSTOM_AUTH)
                .authParameters(Map.of("USERNAME", email)));
        String username = challenge.challengeParameters().get("USERNAME");
        var result = GATEHOUSE.adminClient().adminRespondToAuthChallenge(r -> r.userPoolId(app.poolId())
                .clientId(app.clientId())
                .challengeName(ChallengeNameType.CUSTOM_CHALLENGE)
                .session(challenge.session())
                .challengeResponses(Map.of("USERNAME", username, "ANSWER", delivered(username))));
        assertThat(result.authenticationResult().accessToken()).isNotEmpty();
    }

    @Test
    void customAuthWhenPoolHasNoTriggersThenInvalidParameter() {
        String poolId = GATEHOUSE
                .adminClient()
                .createUserPool(r -> r.poolName("no-triggers"))
                .userPool()
                .id();
        String clientId = GATEHOUSE
                .adminClient()
                .createUserPoolClient(r -> r.userPoolId(poolId)
                        .clientName("custom")
                        .explicitAuthFlows(
                                ExplicitAuthFlowsType.ALLOW_CUSTOM_AUTH,
                                ExplicitAuthFlowsType.ALLOW_REFRESH_TOKEN_AUTH))
                .userPoolClient()
                .clientId();
        assertThatThrownBy(() -> initiate(new App(poolId, clientId), "someone"))
                .isInstanceOfSatisfying(InvalidParameterException.class, e -> assertThat(
                                e.awsErrorDetails().errorMessage())
                        .isEqualTo("Custom auth lambda trigger is not configured for the user pool."));
    }
}
