package dev.gatehouse.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.CognitoUserPoolEvent;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthenticationResultType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.SignUpResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UnexpectedLambdaException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserLambdaValidationException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotFoundException;

/**
 * examples/cognito-triggers from the jar: a pool's PreSignUp, PostConfirmation, PreAuthentication, PostAuthentication,
 * PreTokenGeneration and CustomMessage triggers, run as Node.js functions for one pool and as Java functions (worker
 * JVMs, on aws-lambda-java-events' Cognito event classes) for the other; the AWS SDK for Java v2 as the app's client.
 */
class CognitoTriggersIT {

    private static final Path APP = prepareApp();

    @RegisterExtension
    static final GatehouseProcess GATEHOUSE = GatehouseProcess.create(
            "cognito-triggers",
            "--template",
            APP.resolve("cognito-triggers").resolve("template.yaml").toString());

    /** The example as a user has it, with java/target/cognito-triggers-functions.jar built (events library in lib/). */
    private static Path prepareApp() {
        try {
            Path events = Path.of(CognitoUserPoolEvent.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            return TriggerExamples.prepare(
                    "cognito-triggers",
                    List.of("template.yaml", "nodejs/triggers.js"),
                    List.of(events),
                    "cognito-triggers-functions.jar");
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The pool and client whose triggers are one runtime's functions. */
    private record App(String runtime, String poolId, String clientId) {

        static App of(String runtime) {
            return "Java".equals(runtime)
                    ? new App(runtime, GATEHOUSE.output("JavaUserPoolId"), GATEHOUSE.output("JavaUserPoolClientId"))
                    : new App(runtime, GATEHOUSE.output("UserPoolId"), GATEHOUSE.output("UserPoolClientId"));
        }
    }

    private static CognitoIdentityProviderClient client() {
        return GATEHOUSE.client();
    }

    private static SignUpResponse signUp(App app, String email) {
        return client().signUp(r -> r.clientId(app.clientId())
                .username(email)
                .password(TestUsers.PASSWORD)
                .userAttributes(
                        AttributeType.builder().name("email").value(email).build()));
    }

    /** A confirmed user with a password, made as an administrator would (no message sent). */
    private static void confirmedUser(App app, String email) {
        new Journeys(GATEHOUSE).confirmedUser(app.poolId(), email);
    }

    private static AuthenticationResultType signIn(App app, String email) {
        return client().initiateAuth(r -> r.clientId(app.clientId())
                        .authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                        .authParameters(java.util.Map.of("USERNAME", email, "PASSWORD", TestUsers.PASSWORD)))
                .authenticationResult();
    }

    private static JWTClaimsSet claims(String token) {
        try {
            return SignedJWT.parse(token).getJWTClaimsSet();
        } catch (ParseException e) {
            throw new AssertionError(e);
        }
    }

    /** The call fails as Cognito fails an operation whose trigger threw: UserLambdaValidationException, this text. */
    private static void assertTriggerRefused(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(UserLambdaValidationException.class, e -> assertThat(
                        e.awsErrorDetails().errorMessage())
                .isEqualTo(message));
    }

    private static String email(String label, String domain) {
        return TestUsers.email(label).replace("@example.com", "@" + domain);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Node", "Java"})
    void signUpWhenPreSignUpRefusesThenItsMessageAndNoUser(String runtime) {
        App app = App.of(runtime);
        String email = email("refused", "blocked.example");

        assertTriggerRefused(
                () -> signUp(app, email), "PreSignUp failed with error Registration from this domain is not allowed..");
        assertThatThrownBy(() -> GATEHOUSE.adminClient().adminGetUser(r -> r.userPoolId(app.poolId())
                        .username(email)))
                .isInstanceOf(UserNotFoundException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Node", "Java"})
    void signUpWhenPreSignUpAutoConfirmsThenConfirmedVerifiedAndNoCode(String runtime) {
        App app = App.of(runtime);
        String email = email("trusted", "trusted.example");

        SignUpResponse response = signUp(app, email);

        assertThat(response.userConfirmed()).isTrue();
        assertThat(response.codeDeliveryDetails()).isNull();
        assertThat(GATEHOUSE.outbox().count(email)).isZero();
        var user = GATEHOUSE.adminClient().adminGetUser(r -> r.userPoolId(app.poolId())
                .username(email));
        assertThat(user.userStatusAsString()).isEqualTo("CONFIRMED");
        assertThat(user.userAttributes())
                .contains(AttributeType.builder()
                        .name("email_verified")
                        .value("true")
                        .build());
        assertThat(signIn(app, email).idToken()).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Node", "Java"})
    void signUpWhenCustomMessageThenTheAppsTextCarriesTheCode(String runtime) {
        App app = App.of(runtime);
        String email = TestUsers.email("message");

        signUp(app, email);

        Outbox.Message message = GATEHOUSE.outbox().awaitNth(email, "SIGN_UP", 1);
        assertThat(message.subject()).isEqualTo("Welcome to the triggers app");
        assertThat(message.body())
                .isEqualTo("Hello " + email + ", your code is " + message.code() + " (CustomMessage_SignUp)");
        client().confirmSignUp(r -> r.clientId(app.clientId()).username(email).confirmationCode(message.code()));
        assertThat(signIn(app, email).accessToken()).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Node", "Java"})
    void confirmSignUpWhenPostConfirmationFailsThenItsErrorAndUserStaysConfirmed(String runtime) {
        App app = App.of(runtime);
        String email = TestUsers.email("echo-confirm");
        signUp(app, email);
        String code = GATEHOUSE.outbox().awaitNth(email, "SIGN_UP", 1).code();

        assertTriggerRefused(
                () -> client().confirmSignUp(
                                r -> r.clientId(app.clientId()).username(email).confirmationCode(code)),
                "PostConfirmation failed with error PostConfirmation_ConfirmSignUp CONFIRMED true.");
        assertThat(GATEHOUSE
                        .adminClient()
                        .adminGetUser(r -> r.userPoolId(app.poolId()).username(email))
                        .userStatusAsString())
                .isEqualTo("CONFIRMED");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Node", "Java"})
    void signInWhenPreAuthenticationRefusesThenItsMessageSeeingUserAndClient(String runtime) {
        App app = App.of(runtime);
        String email = TestUsers.email("echo-signin");
        confirmedUser(app, email);

        assertTriggerRefused(
                () -> signIn(app, email),
                "PreAuthentication failed with error PreAuthentication_Authentication for " + email + " on "
                        + app.clientId() + ".");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Node", "Java"})
    void signInWhenPostAuthenticationFailsThenNoTokens(String runtime) {
        App app = App.of(runtime);
        String email = TestUsers.email("audit");
        confirmedUser(app, email);

        assertTriggerRefused(
                () -> signIn(app, email),
                "PostAuthentication failed with error PostAuthentication_Authentication newDeviceUsed=false.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Node", "Java"})
    void signInAndRefreshWhenPreTokenGenerationThenItsClaimsInTheTokens(String runtime) throws ParseException {
        App app = App.of(runtime);
        String email = TestUsers.email("tokens");
        confirmedUser(app, email);

        AuthenticationResultType result = signIn(app, email);
        JWTClaimsSet id = claims(result.idToken());
        JWTClaimsSet access = claims(result.accessToken());
        assertThat(id.getStringClaim("tier")).isEqualTo("gold");
        assertThat(id.getStringClaim("trigger_source")).isEqualTo("TokenGeneration_Authentication");
        assertThat(id.getClaims()).doesNotContainKey("email_verified").containsEntry("email", email);
        if ("Java".equals(runtime)) {
            // Version 2: the access token too, and a scope.
            assertThat(access.getStringClaim("tier")).isEqualTo("gold");
            assertThat(access.getStringClaim("scope")).isEqualTo("aws.cognito.signin.user.admin orders/read");
        } else {
            // Version 1: the id token only, and the groups in both.
            assertThat(access.getClaims()).doesNotContainKey("tier");
            assertThat(id.getStringListClaim("cognito:groups")).containsExactly("triggered");
            assertThat(access.getStringListClaim("cognito:groups")).containsExactly("triggered");
        }
        AuthenticationResultType refreshed = client().initiateAuth(r -> r.clientId(app.clientId())
                        .authFlow(AuthFlowType.REFRESH_TOKEN_AUTH)
                        .authParameters(java.util.Map.of("REFRESH_TOKEN", result.refreshToken())))
                .authenticationResult();
        assertThat(claims(refreshed.idToken()).getStringClaim("trigger_source"))
                .isEqualTo("TokenGeneration_RefreshTokens");
        // The access token with its scope still works where Cognito checks it.
        assertThat(client().getUser(r -> r.accessToken(refreshed.accessToken())).username())
                .isEqualTo(id.getStringClaim("cognito:username"));
    }

    @org.junit.jupiter.api.Test
    void createUserPoolWhenLambdaConfigNamesTheStacksFunctionThenItRunsAndAnUnknownOneIsUnexpected() {
        String arn = GATEHOUSE.output("PreSignUpFunctionArn");
        String poolId = GATEHOUSE
                .adminClient()
                .createUserPool(r -> r.poolName("api-triggers")
                        .usernameAttributesWithStrings("email")
                        .lambdaConfig(l -> l.preSignUp(arn)))
                .userPool()
                .id();
        String clientId = GATEHOUSE
                .adminClient()
                .createUserPoolClient(r -> r.userPoolId(poolId).clientName("api"))
                .userPoolClient()
                .clientId();
        App app = new App("Node", poolId, clientId);
        assertThat(GATEHOUSE
                        .adminClient()
                        .describeUserPool(r -> r.userPoolId(poolId))
                        .userPool()
                        .lambdaConfig()
                        .preSignUp())
                .isEqualTo(arn);

        assertTriggerRefused(
                () -> signUp(app, email("api", "blocked.example")),
                "PreSignUp failed with error Registration from this domain is not allowed..");
        assertThat(signUp(app, email("api", "trusted.example")).userConfirmed()).isTrue();

        String missing = arn.substring(0, arn.lastIndexOf(':') + 1) + "no-such-function";
        GATEHOUSE.adminClient().updateUserPool(r -> r.userPoolId(poolId).lambdaConfig(l -> l.preSignUp(missing)));
        assertThatThrownBy(() -> signUp(app, TestUsers.email("api")))
                .isInstanceOfSatisfying(UnexpectedLambdaException.class, e -> assertThat(
                                e.awsErrorDetails().errorMessage())
                        .isEqualTo("PreSignUp invocation failed due to error ResourceNotFoundException."));
    }
}
