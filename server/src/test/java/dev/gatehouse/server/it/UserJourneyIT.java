package dev.gatehouse.server.it;

import static dev.gatehouse.server.it.AwsErrors.assertAwsError;
import static dev.gatehouse.server.it.AwsErrors.assertAwsErrorIn;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthenticationResultType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CodeDeliveryDetailsType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.DeliveryMediumType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ForgotPasswordResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.GetUserResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResendConfirmationCodeResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.SignUpResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserStatusType;

/** A user's own journey through the public (unsigned and access-token) operations of the default pool. */
class UserJourneyIT {

    @RegisterExtension
    static final GatehouseProcess GATEHOUSE = GatehouseProcess.create("user-journey");

    private final Journeys journeys = new Journeys(GATEHOUSE);

    private static CognitoIdentityProviderClient client() {
        return GATEHOUSE.client();
    }

    private static String clientId() {
        return GATEHOUSE.outputs().userPoolClientId();
    }

    private static String poolId() {
        return GATEHOUSE.outputs().userPoolId();
    }

    @Test
    void signUpWhenConfirmedWithEmailedCodeThenSignInIssuesTokensThatVerifyAgainstTheServedJwks() throws Exception {
        String email = TestUsers.email("journey");

        SignUpResponse signUp = journeys.signUp(email, TestUsers.PASSWORD);
        assertThat(signUp.userConfirmed()).isFalse();
        assertThat(signUp.userSub()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertMaskedEmailDelivery(signUp.codeDeliveryDetails(), email);

        String code = GATEHOUSE.outbox().latestCode(email);
        assertThat(code).matches("\\d{6}");
        client().confirmSignUp(r -> r.clientId(clientId()).username(email).confirmationCode(code));
        assertThat(GATEHOUSE
                        .adminClient()
                        .adminGetUser(r -> r.userPoolId(poolId()).username(email))
                        .userStatus())
                .isEqualTo(UserStatusType.CONFIRMED);

        AuthenticationResultType tokens = journeys.signIn(email, TestUsers.PASSWORD);
        assertThat(tokens.tokenType()).isEqualTo("Bearer");
        assertThat(tokens.expiresIn()).isEqualTo(3600);
        assertThat(tokens.refreshToken()).isNotBlank();

        CognitoTokens verifier = CognitoTokens.discover(GATEHOUSE.outputs().issuer());
        JWTClaimsSet id = verifier.verifyIdToken(tokens.idToken(), clientId());
        assertThat(id.getSubject()).isEqualTo(signUp.userSub());
        assertThat(id.getAudience()).containsExactly(clientId());
        assertThat(id.getStringClaim("email")).isEqualTo(email);
        assertThat(id.getBooleanClaim("email_verified")).isTrue();
        // email is the username attribute: the username is the internal id, which is the sub
        assertThat(id.getStringClaim("cognito:username")).isEqualTo(signUp.userSub());
        assertThat(lifetimeSeconds(id)).isEqualTo(3600);
        assertThat(id.getLongClaim("auth_time"))
                .isBetween(
                        id.getIssueTime().getTime() / 1000 - 5,
                        id.getIssueTime().getTime() / 1000);

        JWTClaimsSet access = verifier.verifyAccessToken(tokens.accessToken(), clientId());
        assertThat(access.getSubject()).isEqualTo(signUp.userSub());
        assertThat(access.getStringClaim("username")).isEqualTo(id.getStringClaim("cognito:username"));
        assertThat(access.getStringClaim("scope")).contains("aws.cognito.signin.user.admin");
        assertThat(lifetimeSeconds(access)).isEqualTo(3600);
        assertThat(access.getStringClaim("origin_jti")).isEqualTo(id.getStringClaim("origin_jti"));
        assertThat(access.getJWTID()).isNotEqualTo(id.getJWTID());

        // ID and access tokens are signed by keys the JWKS publishes
        assertThat(verifier.jwks()
                        .getKeyByKeyId(
                                SignedJWT.parse(tokens.idToken()).getHeader().getKeyID()))
                .isNotNull();
        assertThat(verifier.jwks()
                        .getKeyByKeyId(SignedJWT.parse(tokens.accessToken())
                                .getHeader()
                                .getKeyID()))
                .isNotNull();
    }

    @Test
    void initiateAuthWhenRefreshTokenThenNewTokensKeepAuthTimeAndOriginJti() throws Exception {
        String email = TestUsers.email("refresh");
        journeys.signUpAdminConfirmed(email, TestUsers.PASSWORD);
        AuthenticationResultType first = journeys.signIn(email, TestUsers.PASSWORD);

        AuthenticationResultType refreshed = journeys.refresh(first.refreshToken());

        CognitoTokens verifier = CognitoTokens.discover(GATEHOUSE.outputs().issuer());
        JWTClaimsSet firstId = verifier.verifyIdToken(first.idToken(), clientId());
        JWTClaimsSet newId = verifier.verifyIdToken(refreshed.idToken(), clientId());
        JWTClaimsSet newAccess = verifier.verifyAccessToken(refreshed.accessToken(), clientId());
        assertThat(refreshed.expiresIn()).isEqualTo(3600);
        assertThat(newId.getClaim("auth_time")).isEqualTo(firstId.getClaim("auth_time"));
        assertThat(newId.getStringClaim("origin_jti")).isEqualTo(firstId.getStringClaim("origin_jti"));
        assertThat(newAccess.getStringClaim("origin_jti")).isEqualTo(firstId.getStringClaim("origin_jti"));
        assertThat(newId.getJWTID()).isNotEqualTo(firstId.getJWTID());
        assertThat(newId.getSubject()).isEqualTo(firstId.getSubject());
        // the new access token works
        assertThat(client().getUser(r -> r.accessToken(refreshed.accessToken())).username())
                .isEqualTo(firstId.getStringClaim("cognito:username"));
    }

    @Test
    void getUserWhenAccessTokenThenUsernameAndAttributes() {
        String email = TestUsers.email("getuser");
        String sub = journeys.signUpConfirmed(email, TestUsers.PASSWORD);
        AuthenticationResultType tokens = journeys.signIn(email, TestUsers.PASSWORD);

        GetUserResponse user = client().getUser(r -> r.accessToken(tokens.accessToken()));

        assertThat(user.username()).isEqualTo(sub);
        Map<String, String> attributes = attributes(user.userAttributes());
        assertThat(attributes)
                .containsEntry("sub", sub)
                .containsEntry("email", email)
                .containsEntry("email_verified", "true");
    }

    @Test
    void updateUserAttributesWhenNameChangedThenGetUserAndNewIdTokenShowIt() {
        String email = TestUsers.email("update");
        journeys.signUpAdminConfirmed(email, TestUsers.PASSWORD);
        AuthenticationResultType tokens = journeys.signIn(email, TestUsers.PASSWORD);

        client().updateUserAttributes(r -> r.accessToken(tokens.accessToken())
                .userAttributes(AttributeType.builder()
                        .name("name")
                        .value("Ada Lovelace")
                        .build()));

        assertThat(attributes(client().getUser(r -> r.accessToken(tokens.accessToken()))
                        .userAttributes()))
                .containsEntry("name", "Ada Lovelace")
                .containsEntry("email", email);
        AuthenticationResultType again = journeys.signIn(email, TestUsers.PASSWORD);
        assertThat(CognitoTokens.claims(again.idToken()).getClaim("name")).isEqualTo("Ada Lovelace");
    }

    @Test
    void changePasswordWhenPreviousPasswordRightThenOnlyTheNewPasswordSignsIn() {
        String email = TestUsers.email("change");
        journeys.signUpAdminConfirmed(email, TestUsers.PASSWORD);
        AuthenticationResultType tokens = journeys.signIn(email, TestUsers.PASSWORD);

        client().changePassword(r -> r.accessToken(tokens.accessToken())
                .previousPassword(TestUsers.PASSWORD)
                .proposedPassword(TestUsers.OTHER_PASSWORD));

        assertThat(journeys.signIn(email, TestUsers.OTHER_PASSWORD).accessToken())
                .isNotBlank();
        assertAwsError(
                () -> journeys.signIn(email, TestUsers.PASSWORD),
                "NotAuthorizedException",
                "Incorrect username or password.");
    }

    @Test
    void changePasswordWhenPreviousPasswordWrongThenNotAuthorizedAndPasswordUnchanged() {
        String email = TestUsers.email("change-wrong");
        journeys.signUpAdminConfirmed(email, TestUsers.PASSWORD);
        AuthenticationResultType tokens = journeys.signIn(email, TestUsers.PASSWORD);

        assertAwsError(
                () -> client().changePassword(r -> r.accessToken(tokens.accessToken())
                        .previousPassword(TestUsers.THIRD_PASSWORD)
                        .proposedPassword(TestUsers.OTHER_PASSWORD)),
                "NotAuthorizedException");

        assertThat(journeys.signIn(email, TestUsers.PASSWORD).accessToken()).isNotBlank();
    }

    @Test
    void changePasswordWhenProposedPasswordWeakThenInvalidPassword() {
        String email = TestUsers.email("change-weak");
        journeys.signUpAdminConfirmed(email, TestUsers.PASSWORD);
        AuthenticationResultType tokens = journeys.signIn(email, TestUsers.PASSWORD);

        assertAwsError(
                () -> client().changePassword(r -> r.accessToken(tokens.accessToken())
                        .previousPassword(TestUsers.PASSWORD)
                        .proposedPassword("password")),
                "InvalidPasswordException");
    }

    @Test
    void forgotPasswordWhenCodeConfirmedThenNewPasswordSignsInAndCodeIsSingleUse() {
        String email = TestUsers.email("forgot");
        journeys.signUpConfirmed(email, TestUsers.PASSWORD);
        int before = GATEHOUSE.outbox().count(email);

        ForgotPasswordResponse forgot =
                client().forgotPassword(r -> r.clientId(clientId()).username(email));
        assertMaskedEmailDelivery(forgot.codeDeliveryDetails(), email);
        String code = GATEHOUSE.outbox().awaitNew(email, before).code();
        assertThat(code).matches("\\d{6}");

        client().confirmForgotPassword(r ->
                r.clientId(clientId()).username(email).confirmationCode(code).password(TestUsers.OTHER_PASSWORD));

        assertThat(journeys.signIn(email, TestUsers.OTHER_PASSWORD).accessToken())
                .isNotBlank();
        assertAwsError(() -> journeys.signIn(email, TestUsers.PASSWORD), "NotAuthorizedException");
        // single use: the same code cannot set another password
        assertAwsErrorIn(
                () -> client().confirmForgotPassword(r -> r.clientId(clientId())
                        .username(email)
                        .confirmationCode(code)
                        .password(TestUsers.THIRD_PASSWORD)),
                "CodeMismatchException",
                "ExpiredCodeException");
        assertThat(journeys.signIn(email, TestUsers.OTHER_PASSWORD).accessToken())
                .isNotBlank();
    }

    @Test
    void confirmForgotPasswordWhenCodeWrongThenCodeMismatch() {
        String email = TestUsers.email("forgot-wrong");
        journeys.signUpConfirmed(email, TestUsers.PASSWORD);
        int before = GATEHOUSE.outbox().count(email);
        client().forgotPassword(r -> r.clientId(clientId()).username(email));
        String code = GATEHOUSE.outbox().awaitNew(email, before).code();

        assertAwsError(
                () -> client().confirmForgotPassword(r -> r.clientId(clientId())
                        .username(email)
                        .confirmationCode(otherCode(code))
                        .password(TestUsers.OTHER_PASSWORD)),
                "CodeMismatchException");

        assertThat(journeys.signIn(email, TestUsers.PASSWORD).accessToken()).isNotBlank();
    }

    @Test
    void resendConfirmationCodeWhenUnconfirmedThenANewCodeIsSentAndConfirms() {
        String email = TestUsers.email("resend");
        journeys.signUp(email, TestUsers.PASSWORD);
        GATEHOUSE.outbox().awaitNew(email, 0); // the sign-up code
        int before = GATEHOUSE.outbox().count(email);

        ResendConfirmationCodeResponse resend =
                client().resendConfirmationCode(r -> r.clientId(clientId()).username(email));
        assertMaskedEmailDelivery(resend.codeDeliveryDetails(), email);
        String code = GATEHOUSE.outbox().awaitNew(email, before).code();

        client().confirmSignUp(r -> r.clientId(clientId()).username(email).confirmationCode(code));
        assertThat(journeys.signIn(email, TestUsers.PASSWORD).accessToken()).isNotBlank();
    }

    @Test
    void globalSignOutWhenCalledThenAccessTokenRevokedAndRefreshRejectedButANewSignInWorks() {
        String email = TestUsers.email("signout");
        journeys.signUpAdminConfirmed(email, TestUsers.PASSWORD);
        AuthenticationResultType tokens = journeys.signIn(email, TestUsers.PASSWORD);

        client().globalSignOut(r -> r.accessToken(tokens.accessToken()));

        assertAwsError(
                () -> client().getUser(r -> r.accessToken(tokens.accessToken())),
                "NotAuthorizedException",
                "Access Token has been revoked");
        assertAwsError(() -> journeys.refresh(tokens.refreshToken()), "NotAuthorizedException");
        // a sign-in right after the sign-out gets tokens that work (no "revoked before T" granularity hazard)
        AuthenticationResultType fresh = journeys.signIn(email, TestUsers.PASSWORD);
        assertThat(client().getUser(r -> r.accessToken(fresh.accessToken())).username())
                .isNotBlank();
        assertThat(journeys.refresh(fresh.refreshToken()).accessToken()).isNotBlank();
    }

    @Test
    void revokeTokenWhenRefreshTokenRevokedThenItAndItsAccessTokensAreRejectedButOtherSessionsWork() {
        String email = TestUsers.email("revoke");
        journeys.signUpAdminConfirmed(email, TestUsers.PASSWORD);
        AuthenticationResultType revoked = journeys.signIn(email, TestUsers.PASSWORD);
        AuthenticationResultType other = journeys.signIn(email, TestUsers.PASSWORD);
        AuthenticationResultType refreshedBefore = journeys.refresh(revoked.refreshToken());

        client().revokeToken(r -> r.clientId(clientId()).token(revoked.refreshToken()));

        assertAwsError(() -> journeys.refresh(revoked.refreshToken()), "NotAuthorizedException");
        assertAwsError(
                () -> client().getUser(r -> r.accessToken(revoked.accessToken())),
                "NotAuthorizedException",
                "Access Token has been revoked");
        assertAwsError(
                () -> client().getUser(r -> r.accessToken(refreshedBefore.accessToken())),
                "NotAuthorizedException",
                "Access Token has been revoked");
        assertThat(client().getUser(r -> r.accessToken(other.accessToken())).username())
                .isNotBlank();
        assertThat(journeys.refresh(other.refreshToken()).accessToken()).isNotBlank();
    }

    @Test
    void deleteUserWhenCalledThenTheUserIsGone() {
        String email = TestUsers.email("delete");
        journeys.signUpAdminConfirmed(email, TestUsers.PASSWORD);
        AuthenticationResultType tokens = journeys.signIn(email, TestUsers.PASSWORD);

        client().deleteUser(r -> r.accessToken(tokens.accessToken()));

        assertAwsError(
                () -> GATEHOUSE.adminClient().adminGetUser(r -> r.userPoolId(poolId())
                        .username(email)),
                "UserNotFoundException");
        assertAwsErrorIn(
                () -> journeys.signIn(email, TestUsers.PASSWORD), "UserNotFoundException", "NotAuthorizedException");
        assertAwsErrorIn(
                () -> client().getUser(r -> r.accessToken(tokens.accessToken())),
                "NotAuthorizedException",
                "UserNotFoundException");
        assertAwsError(() -> journeys.refresh(tokens.refreshToken()), "NotAuthorizedException");
        // the address is free again
        assertThat(journeys.signUp(email, TestUsers.PASSWORD).userConfirmed()).isFalse();
    }

    static void assertMaskedEmailDelivery(CodeDeliveryDetailsType details, String email) {
        assertThat(details).as("CodeDeliveryDetails").isNotNull();
        assertThat(details.deliveryMedium()).isEqualTo(DeliveryMediumType.EMAIL);
        assertThat(details.attributeName()).isEqualTo("email");
        assertThat(details.destination())
                .isNotEqualTo(email)
                .startsWith(email.substring(0, 1))
                .contains("@")
                .contains("*");
    }

    static Map<String, String> attributes(List<AttributeType> attributes) {
        return attributes.stream().collect(Collectors.toMap(AttributeType::name, AttributeType::value));
    }

    static long lifetimeSeconds(JWTClaimsSet claims) {
        return (claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()) / 1000;
    }

    /** A six-digit code different from {@code code}. */
    static String otherCode(String code) {
        int n = Integer.parseInt(code);
        return String.format(Locale.ROOT, "%06d", (n + 1) % 1_000_000);
    }
}
