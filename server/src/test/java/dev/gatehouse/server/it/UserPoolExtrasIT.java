package dev.gatehouse.server.it;

import static dev.gatehouse.server.it.AwsErrors.assertAwsError;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdvancedSecurityModeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthEventType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.EventResponseType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.EventType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ExplicitAuthFlowsType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.FeedbackValueType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolTierType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolType;

/**
 * AdminListUserAuthEvents, AdminUpdateAuthEventFeedback, the pool tag operations, GetCSVHeader, and what DeleteUserPool
 * leaves behind, through the jar with the AWS SDK.
 */
class UserPoolExtrasIT {

    @RegisterExtension
    static final GatehouseProcess GATEHOUSE = GatehouseProcess.create("userpool-extras");

    private static CognitoIdentityProviderClient admin() {
        return GATEHOUSE.adminClient();
    }

    /** A pool (with threat protection when {@code audit}) and a password client; returns {poolId, clientId}. */
    private static String[] pool(boolean audit) {
        UserPoolType pool = admin().createUserPool(r -> {
                    r.poolName("extras-" + TestUsers.suffix());
                    if (audit) {
                        r.userPoolTier(UserPoolTierType.PLUS)
                                .userPoolAddOns(a -> a.advancedSecurityMode(AdvancedSecurityModeType.AUDIT));
                    }
                })
                .userPool();
        String clientId = admin().createUserPoolClient(r -> r.userPoolId(pool.id())
                        .clientName("app")
                        .explicitAuthFlows(
                                ExplicitAuthFlowsType.ALLOW_USER_PASSWORD_AUTH,
                                ExplicitAuthFlowsType.ALLOW_REFRESH_TOKEN_AUTH))
                .userPoolClient()
                .clientId();
        return new String[] {pool.id(), clientId};
    }

    private static void user(String poolId, String username) {
        admin().adminCreateUser(r -> r.userPoolId(poolId).username(username).messageAction("SUPPRESS"));
        admin().adminSetUserPassword(r -> r.userPoolId(poolId)
                .username(username)
                .password(TestUsers.PASSWORD)
                .permanent(true));
    }

    private static String signIn(String clientId, String username, String password) {
        return GATEHOUSE
                .client()
                .initiateAuth(r -> r.clientId(clientId)
                        .authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                        .authParameters(Map.of("USERNAME", username, "PASSWORD", password)))
                .authenticationResult()
                .accessToken();
    }

    /** The user's events once {@code count} are recorded (they are written in the background). */
    private static List<AuthEventType> awaitEvents(String poolId, String username, int count)
            throws InterruptedException {
        for (int attempt = 0; attempt < 100; attempt++) {
            List<AuthEventType> events = admin().adminListUserAuthEvents(
                            r -> r.userPoolId(poolId).username(username))
                    .authEvents();
            if (events.size() >= count) {
                return events;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("fewer than " + count + " auth events recorded for " + username);
    }

    @Test
    void adminListUserAuthEventsWhenSignInsPassAndFailThenBothListedNewestFirstAndFeedbackKept()
            throws InterruptedException {
        String[] ids = pool(true);
        user(ids[0], "ann");
        signIn(ids[1], "ann", TestUsers.PASSWORD);
        Thread.sleep(1100); // a later CreationDate for the second event
        assertAwsError(() -> signIn(ids[1], "ann", TestUsers.OTHER_PASSWORD), "NotAuthorizedException");

        List<AuthEventType> events = awaitEvents(ids[0], "ann", 2);

        assertThat(events).extracting(AuthEventType::eventType).containsExactly(EventType.SIGN_IN, EventType.SIGN_IN);
        assertThat(events)
                .extracting(AuthEventType::eventResponse)
                .containsExactly(EventResponseType.FAIL, EventResponseType.PASS);
        assertThat(events.get(0).creationDate()).isAfter(events.get(1).creationDate());
        assertThat(events.get(1).challengeResponses().get(0).challengeNameAsString())
                .isEqualTo("Password");
        var page = admin().adminListUserAuthEvents(
                        r -> r.userPoolId(ids[0]).username("ann").maxResults(1));
        assertThat(page.authEvents()).hasSize(1);
        assertThat(page.nextToken()).isNotNull();

        admin().adminUpdateAuthEventFeedback(r -> r.userPoolId(ids[0])
                .username("ann")
                .eventId(events.get(0).eventId())
                .feedbackValue(FeedbackValueType.INVALID));

        AuthEventType withFeedback = awaitEvents(ids[0], "ann", 2).get(0);
        assertThat(withFeedback.eventFeedback().feedbackValue()).isEqualTo(FeedbackValueType.INVALID);
        assertAwsError(
                () -> admin().adminUpdateAuthEventFeedback(r -> r.userPoolId(ids[0])
                        .username("ann")
                        .eventId("no-such-event")
                        .feedbackValue(FeedbackValueType.VALID)),
                "ResourceNotFoundException");
        assertAwsError(
                () -> admin().adminListUserAuthEvents(r -> r.userPoolId(ids[0]).username("nobody")),
                "UserNotFoundException");
    }

    @Test
    void adminListUserAuthEventsWhenThreatProtectionOffOrOnEssentialsThenRefused() {
        String[] ids = pool(false);
        user(ids[0], "bob");

        assertAwsError(
                () -> admin().adminListUserAuthEvents(r -> r.userPoolId(ids[0]).username("bob")),
                "UserPoolAddOnNotEnabledException");
        assertAwsError(
                () -> admin().createUserPool(r -> r.poolName("essentials")
                        .userPoolAddOns(a -> a.advancedSecurityMode(AdvancedSecurityModeType.ENFORCED))),
                "FeatureUnavailableInTierException",
                "The following features need to be disabled for the ESSENTIALS pricing tier configured: Threat "
                        + "Protection");
    }

    @Test
    void tagResourceWhenTaggedAndUntaggedThenListedAndUnknownArnRefused() {
        String[] ids = pool(false);
        String arn =
                admin().describeUserPool(r -> r.userPoolId(ids[0])).userPool().arn();

        admin().tagResource(r -> r.resourceArn(arn).tags(Map.of("team", "blue", "env", "test")));
        admin().untagResource(r -> r.resourceArn(arn).tagKeys("env"));

        assertThat(admin().listTagsForResource(r -> r.resourceArn(arn)).tags())
                .containsExactly(Map.entry("team", "blue"));
        assertThat(admin().describeUserPool(r -> r.userPoolId(ids[0]))
                        .userPool()
                        .userPoolTags())
                .containsExactly(Map.entry("team", "blue"));
        assertAwsError(
                () -> admin().listTagsForResource(r -> r.resourceArn(arn.replace(ids[0], "us-east-1_NoSuchPool"))),
                "ResourceNotFoundException");
        assertAwsError(
                () -> admin().listTagsForResource(r -> r.resourceArn("not-an-arn")), "InvalidParameterException");
    }

    @Test
    void getCsvHeaderWhenPoolExistsThenSchemaColumnsThenCognitoOnes() {
        String[] ids = pool(false);

        var header = admin().getCSVHeader(r -> r.userPoolId(ids[0]));

        assertThat(header.userPoolId()).isEqualTo(ids[0]);
        assertThat(header.csvHeader())
                .startsWith("name", "given_name")
                .endsWith("cognito:mfa_enabled", "cognito:username");
        assertThat(header.csvHeader()).doesNotContain("sub");
        assertAwsError(
                () -> admin().getCSVHeader(r -> r.userPoolId("us-east-1_NoSuchPool")), "ResourceNotFoundException");
    }

    @Test
    void deleteUserPoolWhenUsersSignedInThenTheirTokensAreRefusedAndJwksIsGone() throws Exception {
        String[] ids = pool(false);
        user(ids[0], "carl");
        String access = signIn(ids[1], "carl", TestUsers.PASSWORD);
        URI jwks = URI.create(GATEHOUSE.outputs().issuer(ids[0]) + "/.well-known/jwks.json");
        HttpClient http = HttpClient.newHttpClient();
        assertThat(http.send(HttpRequest.newBuilder(jwks).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(200);

        admin().deleteUserPool(r -> r.userPoolId(ids[0]));

        assertAwsError(() -> GATEHOUSE.client().getUser(r -> r.accessToken(access)), "NotAuthorizedException");
        assertThat(http.send(HttpRequest.newBuilder(jwks).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(404);
    }
}
