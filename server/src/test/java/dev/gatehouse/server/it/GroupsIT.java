package dev.gatehouse.server.it;

import static dev.gatehouse.server.it.AwsErrors.assertAwsError;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthenticationResultType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.GroupType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ListUsersInGroupResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserType;

/** The group operations through the jar with the AWS SDK, and groups in the tokens of a sign-in and a refresh. */
class GroupsIT {

    @RegisterExtension
    static final GatehouseProcess GATEHOUSE = GatehouseProcess.create("groups");

    private static final String ACCOUNT_ROLE = "arn:aws:iam::123456789012:role/";

    private static CognitoIdentityProviderClient admin() {
        return GATEHOUSE.adminClient();
    }

    private static String pool() {
        return GATEHOUSE.outputs().userPoolId();
    }

    private static GroupType create(String name, String role, Integer precedence) {
        return admin().createGroup(r -> r.userPoolId(pool())
                        .groupName(name)
                        .roleArn(role)
                        .precedence(precedence)
                        .description("the " + name))
                .group();
    }

    private static String user(String label) {
        String email = TestUsers.email(label);
        new Journeys(GATEHOUSE).signUpAdminConfirmed(email, TestUsers.PASSWORD);
        return email;
    }

    @Test
    void groupLifecycleWhenCreatedUpdatedDeletedThenEachAnswerAsCognito() {
        String name = "editors-" + TestUsers.suffix();
        GroupType created = create(name, ACCOUNT_ROLE + "editor", 5);
        assertThat(created.groupName()).isEqualTo(name);
        assertThat(created.userPoolId()).isEqualTo(pool());
        assertThat(created.roleArn()).isEqualTo(ACCOUNT_ROLE + "editor");
        assertThat(created.precedence()).isEqualTo(5);
        assertThat(created.creationDate()).isNotNull();

        GroupType updated = admin().updateGroup(
                        r -> r.userPoolId(pool()).groupName(name).precedence(2))
                .group();
        assertThat(updated.precedence()).isEqualTo(2);
        assertThat(updated.description()).as("kept when omitted").isEqualTo("the " + name);
        assertThat(updated.roleArn()).isEqualTo(ACCOUNT_ROLE + "editor");
        assertThat(admin().getGroup(r -> r.userPoolId(pool()).groupName(name))
                        .group()
                        .precedence())
                .isEqualTo(2);

        assertAwsError(() -> create(name, ACCOUNT_ROLE + "x", 1), "GroupExistsException");
        admin().deleteGroup(r -> r.userPoolId(pool()).groupName(name));
        assertAwsError(() -> admin().getGroup(r -> r.userPoolId(pool()).groupName(name)), "ResourceNotFoundException");
        assertAwsError(
                () -> admin().deleteGroup(r -> r.userPoolId(pool()).groupName(name)), "ResourceNotFoundException");
        assertAwsError(
                () -> admin().updateGroup(
                                r -> r.userPoolId(pool()).groupName(name).precedence(1)),
                "ResourceNotFoundException");
    }

    @Test
    void createGroupWhenInputBreaksTheModelThenInvalidParameterInCognitosWords() {
        assertAwsError(
                () -> admin().createGroup(r -> r.userPoolId(pool()).groupName("two words")),
                "InvalidParameterException",
                "1 validation error detected: Value 'two words' at 'groupName' failed to "
                        + "satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+");
        assertAwsError(
                () -> admin().createGroup(r ->
                        r.userPoolId(pool()).groupName("g").precedence(-1).roleArn("not-an-arn")),
                "InvalidParameterException");
        assertAwsError(
                () -> admin().createGroup(
                                r -> r.userPoolId("us-east-1_NoSuchPoo").groupName("g")),
                "ResourceNotFoundException");
    }

    @Test
    void listGroupsWhenLimitSmallerThanCountThenPagesCoverEveryGroupOnce() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            names.add(create("page-" + i + "-" + TestUsers.suffix(), ACCOUNT_ROLE + "r", i)
                    .groupName());
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        do {
            String next = token;
            var page = admin().listGroups(r -> r.userPoolId(pool()).limit(2).nextToken(next));
            assertThat(page.groups()).hasSizeLessThanOrEqualTo(2);
            page.groups().forEach(g -> seen.add(g.groupName()));
            token = page.nextToken();
        } while (token != null);
        assertThat(seen).containsAll(names).doesNotHaveDuplicates();
        assertAwsError(
                () -> admin().listGroups(r -> r.userPoolId(pool()).nextToken("garbage")), "InvalidParameterException");
    }

    @Test
    void membershipWhenAddedListedRemovedThenBothListingsAgree() {
        String email = user("member");
        String other = user("other");
        String name = "members-" + TestUsers.suffix();
        create(name, ACCOUNT_ROLE + "m", 1);

        admin().adminAddUserToGroup(r -> r.userPoolId(pool()).groupName(name).username(email));
        admin().adminAddUserToGroup(r -> r.userPoolId(pool()).groupName(name).username(email)); // again: no change
        admin().adminAddUserToGroup(r -> r.userPoolId(pool()).groupName(name).username(other));

        assertThat(admin().adminListGroupsForUser(r -> r.userPoolId(pool()).username(email))
                        .groups())
                .extracting(GroupType::groupName)
                .containsExactly(name);
        ListUsersInGroupResponse first = admin().listUsersInGroup(
                        r -> r.userPoolId(pool()).groupName(name).limit(1));
        assertThat(first.users()).hasSize(1);
        assertThat(first.nextToken()).isNotNull();
        ListUsersInGroupResponse second = admin().listUsersInGroup(
                        r -> r.userPoolId(pool()).groupName(name).limit(1).nextToken(first.nextToken()));
        List<String> emails = new ArrayList<>();
        first.users().forEach(u -> emails.add(email(u)));
        second.users().forEach(u -> emails.add(email(u)));
        assertThat(emails).containsExactlyInAnyOrder(email, other);

        admin().adminRemoveUserFromGroup(
                        r -> r.userPoolId(pool()).groupName(name).username(email));
        admin().adminRemoveUserFromGroup(
                        r -> r.userPoolId(pool()).groupName(name).username(email)); // not a member
        assertThat(admin().adminListGroupsForUser(r -> r.userPoolId(pool()).username(email))
                        .groups())
                .isEmpty();
        admin().adminDeleteUser(r -> r.userPoolId(pool()).username(other));
        assertThat(admin().listUsersInGroup(r -> r.userPoolId(pool()).groupName(name))
                        .users())
                .isEmpty();
    }

    @Test
    void membershipWhenUserOrGroupUnknownThenCognitosErrors() {
        String email = user("unknowns");
        String name = "known-" + TestUsers.suffix();
        create(name, ACCOUNT_ROLE + "k", 1);
        assertAwsError(
                () -> admin().adminAddUserToGroup(
                                r -> r.userPoolId(pool()).groupName(name).username("nobody@example.com")),
                "UserNotFoundException",
                "User does not exist.");
        assertAwsError(
                () -> admin().adminAddUserToGroup(r ->
                        r.userPoolId(pool()).groupName("no-such-group").username(email)),
                "ResourceNotFoundException");
        assertAwsError(
                () -> admin().adminListGroupsForUser(r -> r.userPoolId(pool()).username("nobody@example.com")),
                "UserNotFoundException");
        assertAwsError(
                () -> admin().listUsersInGroup(r -> r.userPoolId(pool()).groupName("no-such-group")),
                "ResourceNotFoundException");
    }

    @Test
    void deleteGroupWhenItHasMembersThenMembershipsGoWithIt() {
        String email = user("cascade");
        String name = "doomed-" + TestUsers.suffix();
        create(name, ACCOUNT_ROLE + "d", 1);
        admin().adminAddUserToGroup(r -> r.userPoolId(pool()).groupName(name).username(email));

        admin().deleteGroup(r -> r.userPoolId(pool()).groupName(name));
        create(name, ACCOUNT_ROLE + "d", 1);

        assertThat(admin().adminListGroupsForUser(r -> r.userPoolId(pool()).username(email))
                        .groups())
                .isEmpty();
        assertThat(admin().listUsersInGroup(r -> r.userPoolId(pool()).groupName(name))
                        .users())
                .isEmpty();
    }

    @Test
    void signInWhenUserInGroupsThenIdTokenCarriesGroupsRolesAndPreferredRoleAndAccessTokenOnlyGroups()
            throws ParseException {
        String email = user("tokens");
        String low = "low-" + TestUsers.suffix();
        String high = "high-" + TestUsers.suffix();
        String plain = "plain-" + TestUsers.suffix();
        create(high, ACCOUNT_ROLE + "high", 10);
        create(low, ACCOUNT_ROLE + "low", 1);
        admin().createGroup(r -> r.userPoolId(pool()).groupName(plain));
        for (String group : List.of(high, low, plain)) {
            admin().adminAddUserToGroup(
                            r -> r.userPoolId(pool()).groupName(group).username(email));
        }

        AuthenticationResultType tokens = new Journeys(GATEHOUSE).signIn(email, TestUsers.PASSWORD);
        JWTClaimsSet id = SignedJWT.parse(tokens.idToken()).getJWTClaimsSet();
        JWTClaimsSet access = SignedJWT.parse(tokens.accessToken()).getJWTClaimsSet();

        assertThat(id.getStringListClaim("cognito:groups")).containsExactly(low, high, plain);
        assertThat(id.getStringListClaim("cognito:roles")).containsExactly(ACCOUNT_ROLE + "low", ACCOUNT_ROLE + "high");
        assertThat(id.getStringClaim("cognito:preferred_role")).isEqualTo(ACCOUNT_ROLE + "low");
        assertThat(access.getStringListClaim("cognito:groups")).containsExactly(low, high, plain);
        assertThat(access.getClaims()).doesNotContainKeys("cognito:roles", "cognito:preferred_role");

        admin().updateGroup(r -> r.userPoolId(pool()).groupName(high).precedence(1));
        JWTClaimsSet refreshed = SignedJWT.parse(
                        new Journeys(GATEHOUSE).refresh(tokens.refreshToken()).idToken())
                .getJWTClaimsSet();
        assertThat(refreshed.getClaims())
                .as("two roles tied at precedence 1: no preferred role")
                .doesNotContainKey("cognito:preferred_role");
    }

    private static String email(UserType user) {
        return user.attributes().stream()
                .filter(a -> a.name().equals("email"))
                .findFirst()
                .orElseThrow()
                .value();
    }
}
