package dev.gatehouse.server.it;

import static dev.gatehouse.server.it.AwsErrors.assertAwsError;
import static dev.gatehouse.server.it.AwsErrors.assertAwsErrorIn;
import static dev.gatehouse.server.it.UserJourneyIT.attributes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminCreateUserResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminGetUserResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminInitiateAuthResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ChallengeNameType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InitiateAuthResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ListUsersResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.MessageActionType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.RespondToAuthChallengeResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserStatusType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserType;

/** The SigV4-signed user administration operations, called with the admin credentials from the outputs. */
class AdminUsersIT {

    @RegisterExtension
    static final GatehouseProcess GATEHOUSE = GatehouseProcess.create("admin-users");

    private static final String TEMPORARY_PASSWORD = "Temp0rary-Pass!";

    private final Journeys journeys = new Journeys(GATEHOUSE);

    private static CognitoIdentityProviderClient admin() {
        return GATEHOUSE.adminClient();
    }

    private static String poolId() {
        return GATEHOUSE.outputs().userPoolId();
    }

    private static String clientId() {
        return GATEHOUSE.outputs().userPoolClientId();
    }

    private static AdminCreateUserResponse createUser(String email, String temporaryPassword) {
        return admin().adminCreateUser(r -> r.userPoolId(poolId())
                .username(email)
                .temporaryPassword(temporaryPassword)
                .messageAction(MessageActionType.SUPPRESS)
                .userAttributes(attribute("email", email), attribute("email_verified", "true")));
    }

    private static AttributeType attribute(String name, String value) {
        return AttributeType.builder().name(name).value(value).build();
    }

    private static AdminGetUserResponse getUser(String username) {
        return admin().adminGetUser(r -> r.userPoolId(poolId()).username(username));
    }

    @Test
    void adminCredentialsFileWhenWrittenThenReadableByItsOwnerOnly() throws Exception {
        Set<PosixFilePermission> permissions =
                Files.getPosixFilePermissions(GATEHOUSE.outputs().adminCredentialsFile());
        assertThat(permissions)
                .doesNotContain(
                        PosixFilePermission.GROUP_READ,
                        PosixFilePermission.GROUP_WRITE,
                        PosixFilePermission.OTHERS_READ,
                        PosixFilePermission.OTHERS_WRITE)
                .contains(PosixFilePermission.OWNER_READ);
        assertThat(GATEHOUSE.adminCredentials().accessKeyId()).isNotBlank();
    }

    @Test
    void adminCreateUserWhenTemporaryPasswordGivenThenSignInRequiresNewPasswordThenIssuesTokens() {
        String email = TestUsers.email("invite");
        AdminCreateUserResponse created = createUser(email, TEMPORARY_PASSWORD);
        assertThat(created.user().userStatus()).isEqualTo(UserStatusType.FORCE_CHANGE_PASSWORD);
        assertThat(created.user().enabled()).isTrue();
        assertThat(attributes(created.user().attributes()))
                .containsEntry("email", email)
                .containsKey("sub");

        InitiateAuthResponse challenge = journeys.initiatePasswordAuth(clientId(), email, TEMPORARY_PASSWORD);
        assertThat(challenge.challengeName()).isEqualTo(ChallengeNameType.NEW_PASSWORD_REQUIRED);
        assertThat(challenge.session()).hasSizeGreaterThanOrEqualTo(20);
        assertThat(challenge.authenticationResult()).isNull();

        RespondToAuthChallengeResponse answered = GATEHOUSE.client().respondToAuthChallenge(r -> r.clientId(clientId())
                .challengeName(ChallengeNameType.NEW_PASSWORD_REQUIRED)
                .session(challenge.session())
                .challengeResponses(Map.of("USERNAME", email, "NEW_PASSWORD", TestUsers.PASSWORD)));

        assertThat(answered.authenticationResult()).isNotNull();
        CognitoTokens.discover(GATEHOUSE.outputs().issuer())
                .verifyIdToken(answered.authenticationResult().idToken(), clientId());
        assertThat(getUser(email).userStatus()).isEqualTo(UserStatusType.CONFIRMED);
        assertThat(journeys.signIn(email, TestUsers.PASSWORD).accessToken()).isNotBlank();
        assertAwsError(() -> journeys.signIn(email, TEMPORARY_PASSWORD), "NotAuthorizedException");
    }

    @Test
    void adminCreateUserWhenNoTemporaryPasswordThenTheInvitationCarriesOne() {
        String email = TestUsers.email("invite-mail");
        admin().adminCreateUser(r -> r.userPoolId(poolId())
                .username(email)
                .userAttributes(attribute("email", email), attribute("email_verified", "true")));

        String temporary = GATEHOUSE.outbox().latestCode(email);

        InitiateAuthResponse challenge = journeys.initiatePasswordAuth(clientId(), email, temporary);
        assertThat(challenge.challengeName()).isEqualTo(ChallengeNameType.NEW_PASSWORD_REQUIRED);
    }

    @Test
    void adminCreateUserWhenUsernameTakenThenUsernameExists() {
        String email = TestUsers.email("taken");
        createUser(email, TEMPORARY_PASSWORD);

        assertAwsError(() -> createUser(email, TEMPORARY_PASSWORD), "UsernameExistsException");
    }

    @Test
    void respondToAuthChallengeWhenSessionBelongsToAnotherUserOrIsForgedThenNotAuthorized() {
        String alice = TestUsers.email("alice");
        String bob = TestUsers.email("bob");
        createUser(alice, TEMPORARY_PASSWORD);
        createUser(bob, TEMPORARY_PASSWORD);
        String aliceSession = journeys.initiatePasswordAuth(clientId(), alice, TEMPORARY_PASSWORD)
                .session();

        assertAwsError(
                () -> GATEHOUSE.client().respondToAuthChallenge(r -> r.clientId(clientId())
                        .challengeName(ChallengeNameType.NEW_PASSWORD_REQUIRED)
                        .session(aliceSession)
                        .challengeResponses(Map.of("USERNAME", bob, "NEW_PASSWORD", TestUsers.PASSWORD))),
                "NotAuthorizedException");
        assertAwsError(
                () -> GATEHOUSE.client().respondToAuthChallenge(r -> r.clientId(clientId())
                        .challengeName(ChallengeNameType.NEW_PASSWORD_REQUIRED)
                        .session("x".repeat(64))
                        .challengeResponses(Map.of("USERNAME", alice, "NEW_PASSWORD", TestUsers.PASSWORD))),
                "NotAuthorizedException");
        assertAwsErrorIn(
                () -> GATEHOUSE.client().respondToAuthChallenge(r -> r.clientId(clientId())
                        .challengeName(ChallengeNameType.NEW_PASSWORD_REQUIRED)
                        .challengeResponses(Map.of("USERNAME", alice, "NEW_PASSWORD", TestUsers.PASSWORD))),
                "NotAuthorizedException",
                "InvalidParameterException");

        assertThat(getUser(bob).userStatus()).isEqualTo(UserStatusType.FORCE_CHANGE_PASSWORD);
        assertThat(getUser(alice).userStatus()).isEqualTo(UserStatusType.FORCE_CHANGE_PASSWORD);
    }

    @Test
    void adminConfirmSignUpWhenUnconfirmedThenConfirmedAndSignsIn() {
        String email = TestUsers.email("admin-confirm");
        journeys.signUp(email, TestUsers.PASSWORD);
        assertThat(getUser(email).userStatus()).isEqualTo(UserStatusType.UNCONFIRMED);

        admin().adminConfirmSignUp(r -> r.userPoolId(poolId()).username(email));

        assertThat(getUser(email).userStatus()).isEqualTo(UserStatusType.CONFIRMED);
        assertThat(journeys.signIn(email, TestUsers.PASSWORD).idToken()).isNotBlank();
    }

    @Test
    void adminGetUserWhenUserExistsThenInternalUsernameAttributesAndDates() {
        String email = TestUsers.email("get");
        String sub = journeys.signUp(email, TestUsers.PASSWORD).userSub();

        AdminGetUserResponse user = getUser(email);

        assertThat(user.username()).isEqualTo(sub);
        assertThat(user.enabled()).isTrue();
        assertThat(user.userCreateDate()).isNotNull();
        assertThat(user.userLastModifiedDate()).isNotNull();
        assertThat(attributes(user.userAttributes())).containsEntry("sub", sub).containsEntry("email", email);
        // the internal username finds the same user
        assertThat(getUser(sub).username()).isEqualTo(sub);
    }

    @Test
    void adminGetUserWhenUnknownThenUserNotFound() {
        assertAwsError(() -> getUser(TestUsers.email("nobody")), "UserNotFoundException");
    }

    @Test
    void adminGetUserWhenPoolUnknownThenResourceNotFound() {
        assertAwsError(
                () -> admin().adminGetUser(
                                r -> r.userPoolId("us-east-1_NoSuchPoo").username("someone")),
                "ResourceNotFoundException");
    }

    @Test
    void adminDeleteUserWhenExistsThenGoneAndSignInFails() {
        String email = TestUsers.email("admin-delete");
        journeys.signUpAdminConfirmed(email, TestUsers.PASSWORD);

        admin().adminDeleteUser(r -> r.userPoolId(poolId()).username(email));

        assertAwsError(() -> getUser(email), "UserNotFoundException");
        assertAwsErrorIn(
                () -> journeys.signIn(email, TestUsers.PASSWORD), "UserNotFoundException", "NotAuthorizedException");
        assertAwsError(
                () -> admin().adminDeleteUser(r -> r.userPoolId(poolId()).username(email)), "UserNotFoundException");
    }

    @Test
    void adminSetUserPasswordWhenPermanentThenConfirmedAndSignsInWithIt() {
        String email = TestUsers.email("set-permanent");
        createUser(email, TEMPORARY_PASSWORD);

        admin().adminSetUserPassword(r -> r.userPoolId(poolId())
                .username(email)
                .password(TestUsers.OTHER_PASSWORD)
                .permanent(true));

        assertThat(getUser(email).userStatus()).isEqualTo(UserStatusType.CONFIRMED);
        assertThat(journeys.signIn(email, TestUsers.OTHER_PASSWORD).accessToken())
                .isNotBlank();
    }

    @Test
    void adminSetUserPasswordWhenTemporaryThenForceChangePasswordChallenge() {
        String email = TestUsers.email("set-temporary");
        journeys.signUpAdminConfirmed(email, TestUsers.PASSWORD);

        admin().adminSetUserPassword(r -> r.userPoolId(poolId())
                .username(email)
                .password(TestUsers.OTHER_PASSWORD)
                .permanent(false));

        assertThat(getUser(email).userStatus()).isEqualTo(UserStatusType.FORCE_CHANGE_PASSWORD);
        assertThat(journeys.initiatePasswordAuth(clientId(), email, TestUsers.OTHER_PASSWORD)
                        .challengeName())
                .isEqualTo(ChallengeNameType.NEW_PASSWORD_REQUIRED);
    }

    @Test
    void adminSetUserPasswordWhenWeakThenInvalidPassword() {
        String email = TestUsers.email("set-weak");
        journeys.signUpAdminConfirmed(email, TestUsers.PASSWORD);

        assertAwsError(
                () -> admin().adminSetUserPassword(r -> r.userPoolId(poolId())
                        .username(email)
                        .password("alllowercase1!")
                        .permanent(true)),
                "InvalidPasswordException");
        assertThat(journeys.signIn(email, TestUsers.PASSWORD).accessToken()).isNotBlank();
    }

    @Test
    void adminInitiateAuthWhenAdminUserPasswordAuthThenTokens() {
        String email = TestUsers.email("admin-auth");
        journeys.signUpAdminConfirmed(email, TestUsers.PASSWORD);

        AdminInitiateAuthResponse response = admin().adminInitiateAuth(r -> r.userPoolId(poolId())
                .clientId(clientId())
                .authFlow(AuthFlowType.ADMIN_USER_PASSWORD_AUTH)
                .authParameters(Map.of("USERNAME", email, "PASSWORD", TestUsers.PASSWORD)));

        assertThat(response.challengeName()).isNull();
        CognitoTokens tokens = CognitoTokens.discover(GATEHOUSE.outputs().issuer());
        tokens.verifyAccessToken(response.authenticationResult().accessToken(), clientId());
        tokens.verifyIdToken(response.authenticationResult().idToken(), clientId());
        assertAwsError(
                () -> admin().adminInitiateAuth(r -> r.userPoolId(poolId())
                        .clientId(clientId())
                        .authFlow(AuthFlowType.ADMIN_USER_PASSWORD_AUTH)
                        .authParameters(Map.of("USERNAME", email, "PASSWORD", TestUsers.OTHER_PASSWORD))),
                "NotAuthorizedException",
                "Incorrect username or password.");
    }

    @Test
    void adminDisableUserWhenDisabledThenSignInRefusedUntilEnabled() {
        String email = TestUsers.email("disable");
        journeys.signUpAdminConfirmed(email, TestUsers.PASSWORD);
        String accessToken = journeys.signIn(email, TestUsers.PASSWORD).accessToken();

        admin().adminDisableUser(r -> r.userPoolId(poolId()).username(email));

        assertThat(getUser(email).enabled()).isFalse();
        assertAwsError(() -> journeys.signIn(email, TestUsers.PASSWORD), "NotAuthorizedException", "User is disabled.");
        // AdminDisableUser revokes the user's access tokens
        assertAwsError(() -> GATEHOUSE.client().getUser(r -> r.accessToken(accessToken)), "NotAuthorizedException");

        admin().adminEnableUser(r -> r.userPoolId(poolId()).username(email));

        assertThat(getUser(email).enabled()).isTrue();
        assertThat(journeys.signIn(email, TestUsers.PASSWORD).accessToken()).isNotBlank();
    }

    @Test
    void listUsersWhenFilterEmailEqualsThenOnlyThatUser() {
        String email = TestUsers.email("list-exact");
        journeys.signUp(email, TestUsers.PASSWORD);
        journeys.signUp(TestUsers.email("list-exact"), TestUsers.PASSWORD);

        ListUsersResponse response =
                admin().listUsers(r -> r.userPoolId(poolId()).filter("email = \"" + email + "\""));

        assertThat(response.users()).hasSize(1);
        UserType user = response.users().get(0);
        assertThat(attributes(user.attributes())).containsEntry("email", email);
        assertThat(user.userStatus()).isEqualTo(UserStatusType.UNCONFIRMED);
        assertThat(user.enabled()).isTrue();
    }

    @Test
    void listUsersWhenFilterEmailPrefixAndLimitThenAllMatchesAcrossPages() {
        String prefix = "page-" + TestUsers.suffix();
        List<String> emails = List.of(prefix + "-a@example.com", prefix + "-b@example.com", prefix + "-c@example.com");
        emails.forEach(e -> journeys.signUp(e, TestUsers.PASSWORD));
        journeys.signUp(TestUsers.email("not-" + prefix), TestUsers.PASSWORD);

        List<String> seen = new ArrayList<>();
        String filter = "email ^= \"" + prefix + "\"";
        ListUsersResponse first =
                admin().listUsers(r -> r.userPoolId(poolId()).filter(filter).limit(2));
        assertThat(first.users()).hasSize(2);
        assertThat(first.paginationToken()).isNotBlank();
        first.users().forEach(u -> seen.add(attributes(u.attributes()).get("email")));
        ListUsersResponse second = admin().listUsers(
                        r -> r.userPoolId(poolId()).filter(filter).limit(2).paginationToken(first.paginationToken()));
        second.users().forEach(u -> seen.add(attributes(u.attributes()).get("email")));
        assertThat(second.paginationToken()).isNull();

        assertThat(seen).containsExactlyInAnyOrderElementsOf(emails);
    }

    @Test
    void listUsersWhenFilterMalformedThenInvalidParameter() {
        assertAwsError(
                () -> admin().listUsers(r -> r.userPoolId(poolId()).filter("email contains \"x\"")),
                "InvalidParameterException");
        assertAwsError(
                () -> admin().listUsers(r -> r.userPoolId(poolId()).filter("custom:thing = \"x\"")),
                "InvalidParameterException");
    }
}
