package dev.gatehouse.server.it;

import static dev.gatehouse.server.it.AwsErrors.assertAwsError;
import static dev.gatehouse.server.it.UserJourneyIT.otherCode;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthenticationResultType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ExplicitAuthFlowsType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ForgotPasswordResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.PreventUserExistenceErrorTypes;

/** The error cases of the public operations: wrong credentials, user states, passwords, codes, flows, tokens. */
class SignInErrorsIT {

    @RegisterExtension
    static final GatehouseProcess GATEHOUSE = GatehouseProcess.create("sign-in-errors");

    private static final String INCORRECT = "Incorrect username or password.";
    private static final String EXCEEDED = "Password attempts exceeded";

    private final Journeys journeys = new Journeys(GATEHOUSE);

    private static CognitoIdentityProviderClient client() {
        return GATEHOUSE.client();
    }

    private static String clientId() {
        return GATEHOUSE.outputs().userPoolClientId();
    }

    @Test
    void initiateAuthWhenPasswordWrongThenNotAuthorized() {
        String email = TestUsers.email("wrong-password");
        journeys.signUpAdminConfirmed(email, TestUsers.PASSWORD);

        assertAwsError(() -> journeys.signIn(email, TestUsers.OTHER_PASSWORD), "NotAuthorizedException", INCORRECT);
    }

    @Test
    void initiateAuthWhenUserUnknownAndClientLegacyThenUserNotFound() {
        String legacy = journeys.passwordClient(PreventUserExistenceErrorTypes.LEGACY);

        assertAwsError(
                () -> journeys.signIn(legacy, TestUsers.email("ghost"), TestUsers.PASSWORD), "UserNotFoundException");
        assertAwsError(
                () -> client().forgotPassword(r -> r.clientId(legacy).username(TestUsers.email("ghost"))),
                "UserNotFoundException");
    }

    @Test
    void initiateAuthWhenUserUnknownAndClientPreventsExistenceErrorsThenSameErrorAsWrongPassword() {
        String enabled = journeys.passwordClient(PreventUserExistenceErrorTypes.ENABLED);
        String email = TestUsers.email("known");
        journeys.signUpAdminConfirmed(email, TestUsers.PASSWORD);

        assertAwsError(
                () -> journeys.signIn(enabled, TestUsers.email("ghost"), TestUsers.PASSWORD),
                "NotAuthorizedException",
                INCORRECT);
        assertAwsError(
                () -> journeys.signIn(enabled, email, TestUsers.OTHER_PASSWORD), "NotAuthorizedException", INCORRECT);
        // recovery for an unknown user answers as if a code was sent
        String ghost = TestUsers.email("ghost");
        ForgotPasswordResponse forgot =
                client().forgotPassword(r -> r.clientId(enabled).username(ghost));
        assertThat(forgot.codeDeliveryDetails()).isNotNull();
        assertThat(GATEHOUSE.outbox().count(ghost)).isZero();
    }

    @Test
    void initiateAuthWhenUserUnconfirmedThenUserNotConfirmed() {
        String email = TestUsers.email("unconfirmed");
        journeys.signUp(email, TestUsers.PASSWORD);

        assertAwsError(() -> journeys.signIn(email, TestUsers.PASSWORD), "UserNotConfirmedException");
    }

    @Test
    void signUpWhenUsernameTakenThenUsernameExists() {
        String email = TestUsers.email("duplicate");
        journeys.signUp(email, TestUsers.PASSWORD);

        assertAwsError(() -> journeys.signUp(email, TestUsers.OTHER_PASSWORD), "UsernameExistsException");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "too short, Sh0rt!x, long enough",
        "no uppercase, passw0rd!x, uppercase",
        "no lowercase, PASSW0RD!X, lowercase",
        "no number, Password!x, numeric",
        "no symbol, Passw0rdXy, symbol",
    })
    void signUpWhenPasswordBreaksARuleThenInvalidPasswordNamingTheRule(String rule, String password, String named) {
        String email = TestUsers.email("weak");

        var error = assertAwsError(() -> journeys.signUp(email, password), "InvalidPasswordException");

        assertThat(error.awsErrorDetails().errorMessage())
                .as(rule)
                .startsWith("Password did not conform with password policy")
                .contains(named);
        // nothing stored: the address can still sign up
        assertThat(journeys.signUp(email, TestUsers.PASSWORD).userConfirmed()).isFalse();
    }

    @Test
    void confirmSignUpWhenCodeWrongThenCodeMismatchAndTheRightCodeStillWorks() {
        String email = TestUsers.email("wrong-code");
        journeys.signUp(email, TestUsers.PASSWORD);
        String code = GATEHOUSE.outbox().latestCode(email);

        assertAwsError(
                () -> client().confirmSignUp(
                                r -> r.clientId(clientId()).username(email).confirmationCode(otherCode(code))),
                "CodeMismatchException");

        client().confirmSignUp(r -> r.clientId(clientId()).username(email).confirmationCode(code));
        assertThat(journeys.signIn(email, TestUsers.PASSWORD).idToken()).isNotBlank();
    }

    @Test
    void initiateAuthWhenFiveFailuresThenPasswordAttemptsExceeded() {
        // Cognito's lockout message; a client hiding user existence answers a lockout as it answers an unknown user.
        String legacy = journeys.passwordClient(PreventUserExistenceErrorTypes.LEGACY);
        String email = TestUsers.email("lockout");
        journeys.signUpAdminConfirmed(email, TestUsers.PASSWORD);
        for (int i = 1; i <= 5; i++) {
            assertAwsError(
                    () -> journeys.signIn(legacy, email, TestUsers.OTHER_PASSWORD),
                    "NotAuthorizedException",
                    INCORRECT);
        }
        // The wire form of a lockout. Its arithmetic (2^(n-5) s from failure n, attempts during it not counted, the
        // right
        // password refused too, 15 minutes of quiet resetting it) is SignInTests' on a moved clock: no sleeps here. A
        // failure that lands after a lock expired counts and doubles the next lock, so a few attempts always meet one.
        List<String> messages = new ArrayList<>();
        while (!messages.contains(EXCEEDED) && messages.size() < 10) {
            messages.add(assertAwsError(
                            () -> journeys.signIn(legacy, email, TestUsers.OTHER_PASSWORD), "NotAuthorizedException")
                    .awsErrorDetails()
                    .errorMessage());
        }
        assertThat(messages).contains(EXCEEDED).allMatch(m -> m.equals(EXCEEDED) || m.equals(INCORRECT));
    }

    @Test
    void initiateAuthWhenClientDoesNotAllowUserPasswordAuthThenRefused() {
        String srpOnly = GATEHOUSE
                .adminClient()
                .createUserPoolClient(r -> r.userPoolId(GATEHOUSE.outputs().userPoolId())
                        .clientName("srp-only-" + TestUsers.suffix())
                        .explicitAuthFlows(
                                ExplicitAuthFlowsType.ALLOW_USER_SRP_AUTH,
                                ExplicitAuthFlowsType.ALLOW_REFRESH_TOKEN_AUTH))
                .userPoolClient()
                .clientId();
        String email = TestUsers.email("flow");
        journeys.signUpAdminConfirmed(email, TestUsers.PASSWORD);

        assertAwsError(() -> journeys.signIn(srpOnly, email, TestUsers.PASSWORD), "InvalidParameterException");
    }

    @Test
    void initiateAuthWhenAdminFlowOnThePublicOperationThenRefused() {
        String email = TestUsers.email("admin-flow");
        journeys.signUpAdminConfirmed(email, TestUsers.PASSWORD);

        assertAwsError(
                () -> client().initiateAuth(r -> r.clientId(clientId())
                        .authFlow(AuthFlowType.ADMIN_USER_PASSWORD_AUTH)
                        .authParameters(Map.of("USERNAME", email, "PASSWORD", TestUsers.PASSWORD))),
                "InvalidParameterException");
    }

    @Test
    void initiateAuthWhenClientUnknownThenResourceNotFound() {
        assertAwsError(
                () -> journeys.signIn("nosuchclient0000000000000a", TestUsers.email("x"), TestUsers.PASSWORD),
                "ResourceNotFoundException");
    }

    @Test
    void getUserWhenIdTokenInsteadOfAccessTokenThenNotAuthorized() {
        AuthenticationResultType tokens = signedInUser("id-as-access");

        assertAwsError(() -> client().getUser(r -> r.accessToken(tokens.idToken())), "NotAuthorizedException");
    }

    @Test
    void getUserWhenAccessTokenTamperedThenNotAuthorized() {
        AuthenticationResultType tokens = signedInUser("tampered");
        String[] parts = tokens.accessToken().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String forgedPayload = payload.replaceFirst("\"exp\"\\s*:\\s*(\\d+)", "\"exp\":9999999999");
        assertThat(forgedPayload).isNotEqualTo(payload);
        String forged = parts[0] + "." + base64Url(forgedPayload) + "." + parts[2];
        String unsigned = base64Url("{\"alg\":\"none\"}") + "." + parts[1] + ".";
        String badSignature = parts[0] + "." + parts[1] + "." + flipFirstChar(parts[2]);

        for (String token : List.of(forged, unsigned, badSignature, "not-a-jwt")) {
            assertAwsError(() -> client().getUser(r -> r.accessToken(token)), "NotAuthorizedException");
        }
        assertAwsError(() -> client().globalSignOut(r -> r.accessToken(forged)), "NotAuthorizedException");
        // the genuine token still works
        assertThat(client().getUser(r -> r.accessToken(tokens.accessToken())).username())
                .isNotBlank();
    }

    @Test
    void initiateAuthWhenRefreshTokenForgedThenNotAuthorized() {
        AuthenticationResultType tokens = signedInUser("forged-refresh");

        assertAwsError(() -> journeys.refresh(flipFirstChar(tokens.refreshToken())), "NotAuthorizedException");
        assertAwsError(() -> journeys.refresh(tokens.accessToken()), "NotAuthorizedException");
    }

    private AuthenticationResultType signedInUser(String label) {
        String email = TestUsers.email(label);
        journeys.signUpAdminConfirmed(email, TestUsers.PASSWORD);
        return journeys.signIn(email, TestUsers.PASSWORD);
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String flipFirstChar(String s) {
        char c = s.charAt(0);
        return (c == 'A' ? 'B' : 'A') + s.substring(1);
    }
}
