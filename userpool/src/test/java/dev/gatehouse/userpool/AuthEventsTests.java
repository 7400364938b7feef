package dev.gatehouse.userpool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.store.Query;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AuthEventsTests {

    private final PoolFixture f = new PoolFixture();

    private String[] protectedPool(String mode) {
        String poolId = f.createPool("{\"PoolName\":\"tp\",\"UsernameAttributes\":[\"email\"],"
                + "\"AutoVerifiedAttributes\":[\"email\"],\"UserPoolTier\":\"PLUS\","
                + "\"UserPoolAddOns\":{\"AdvancedSecurityMode\":\"" + mode + "\"}}");
        String clientId = f.createClient(
                poolId, "\"ExplicitAuthFlows\":[\"ALLOW_USER_PASSWORD_AUTH\",\"ALLOW_REFRESH_TOKEN_AUTH\"]");
        return new String[] {poolId, clientId};
    }

    private PoolFixture.Reply events(String poolId, String username, String extra) {
        return f.call(
                "AdminListUserAuthEvents",
                "{\"UserPoolId\":\"" + poolId + "\",\"Username\":\"" + username + "\"" + extra + "}");
    }

    @Test
    void adminListUserAuthEventsWhenThreatProtectionOffThenUserPoolAddOnNotEnabled() {
        String[] ids = f.emailPool("");
        f.signedUpAndIn(ids[1], "ann@example.com");

        PoolFixture.Reply reply = events(ids[0], "ann@example.com", "");

        assertThat(reply.code()).isEqualTo("UserPoolAddOnNotEnabledException");
        assertThat(f.store
                        .query(AuthEvents.TABLE, Query.partition(ids[0] + "#x"))
                        .items())
                .isEmpty();
    }

    @Test
    void createUserPoolWhenThreatProtectionOnEssentialsThenFeatureUnavailableInTier() {
        PoolFixture.Reply reply = f.call(
                "CreateUserPool", "{\"PoolName\":\"tp\",\"UserPoolAddOns\":{\"AdvancedSecurityMode\":\"ENFORCED\"}}");

        assertThat(reply.code()).isEqualTo("FeatureUnavailableInTierException");
        assertThat(reply.message()).contains("Threat Protection");
    }

    @Test
    void adminListUserAuthEventsWhenSignUpFailedAndGoodSignInThenNewestFirstPageByPage() {
        String[] ids = protectedPool("AUDIT");
        f.signUp(ids[1], "ann@example.com", PoolFixture.PASSWORD).ok();
        f.confirm(ids[1], "ann@example.com", f.lastCode()).ok();
        f.clock.advance(Duration.ofSeconds(5));
        f.signIn(ids[1], "ann@example.com", PoolFixture.PASSWORD).ok();
        f.clock.advance(Duration.ofSeconds(5));
        assertThat(f.signIn(ids[1], "ann@example.com", "Wrong-Passw0rd").code()).isEqualTo("NotAuthorizedException");

        JsonNode all = events(ids[0], "ann@example.com", "").ok().body();
        JsonNode first =
                events(ids[0], "ann@example.com", ",\"MaxResults\":1").ok().body();
        JsonNode second = events(
                        ids[0],
                        "ann@example.com",
                        ",\"MaxResults\":1,\"NextToken\":\""
                                + first.path("NextToken").asText() + "\"")
                .ok()
                .body();

        JsonNode list = all.path("AuthEvents");
        assertThat(list).hasSize(3);
        assertThat(list.get(0).path("EventType").asText()).isEqualTo("SignIn");
        assertThat(list.get(0).path("EventResponse").asText()).isEqualTo("Fail");
        assertThat(list.get(0).path("ChallengeResponses").toString())
                .isEqualTo("[{\"ChallengeName\":\"Password\",\"ChallengeResponse\":\"Failure\"}]");
        assertThat(list.get(0).path("EventRisk").path("RiskDecision").asText()).isEqualTo("NoRisk");
        assertThat(list.get(1).path("EventResponse").asText()).isEqualTo("Pass");
        assertThat(list.get(2).path("EventType").asText()).isEqualTo("SignUp");
        assertThat(list.get(0).path("CreationDate").asDouble())
                .isGreaterThan(list.get(1).path("CreationDate").asDouble());
        assertThat(first.path("AuthEvents").get(0).path("EventId"))
                .isEqualTo(list.get(0).path("EventId"));
        assertThat(second.path("AuthEvents").get(0).path("EventId"))
                .isEqualTo(list.get(1).path("EventId"));
        assertThat(events(ids[0], "ann@example.com", ",\"NextToken\":\"bm9wZQ\"")
                        .code())
                .isEqualTo("InvalidParameterException");
        assertThat(events(ids[0], "nobody@example.com", "").code()).isEqualTo("UserNotFoundException");
    }

    @Test
    void adminListUserAuthEventsWhenManySignInsThenOnlyTheNewestAreKept() {
        String[] ids = protectedPool("ENFORCED");
        f.signedUpAndIn(ids[1], "ann@example.com");
        for (int i = 0; i < AuthEvents.KEPT_PER_USER + 5; i++) {
            f.clock.advance(Duration.ofSeconds(1));
            f.signIn(ids[1], "ann@example.com", PoolFixture.PASSWORD).ok();
        }

        JsonNode page =
                events(ids[0], "ann@example.com", ",\"MaxResults\":60").ok().body();

        assertThat(page.path("AuthEvents")).hasSize(AuthEvents.KEPT_PER_USER);
        assertThat(page.has("NextToken")).isFalse();
    }

    @Test
    void adminUpdateAuthEventFeedbackWhenEventKnownThenItCarriesTheFeedback() {
        String[] ids = protectedPool("AUDIT");
        f.signedUpAndIn(ids[1], "ann@example.com");
        String eventId = events(ids[0], "ann@example.com", "")
                .ok()
                .get("AuthEvents")
                .get(0)
                .path("EventId")
                .asText();
        String base =
                "{\"UserPoolId\":\"" + ids[0] + "\",\"Username\":\"ann@example.com\",\"FeedbackValue\":\"Invalid\",";

        f.call("AdminUpdateAuthEventFeedback", base + "\"EventId\":\"" + eventId + "\"}")
                .ok();

        JsonNode feedback = events(ids[0], "ann@example.com", "")
                .ok()
                .get("AuthEvents")
                .get(0)
                .path("EventFeedback");
        assertThat(feedback.path("FeedbackValue").asText()).isEqualTo("Invalid");
        assertThat(feedback.path("Provider").asText()).isEqualTo("Admin");
        assertThat(f.call("AdminUpdateAuthEventFeedback", base + "\"EventId\":\"no-such-event\"}")
                        .code())
                .isEqualTo("ResourceNotFoundException");
        assertThat(f.call("AdminUpdateAuthEventFeedback", base + "\"EventId\":\"bad id!\"}")
                        .code())
                .isEqualTo("InvalidParameterException");
    }

    @Test
    void tagResourceWhenTaggedAndUntaggedThenListedAndDescribed() {
        String poolId = f.createPool("{\"PoolName\":\"tags\",\"UserPoolTags\":{\"team\":\"blue\"}}");
        String arn = f.call("DescribeUserPool", "{\"UserPoolId\":\"" + poolId + "\"}")
                .ok()
                .get("UserPool")
                .path("Arn")
                .asText();

        f.call("TagResource", "{\"ResourceArn\":\"" + arn + "\",\"Tags\":{\"env\":\"test\",\"team\":\"red\"}}")
                .ok();
        f.call("UntagResource", "{\"ResourceArn\":\"" + arn + "\",\"TagKeys\":[\"env\"]}")
                .ok();

        assertThat(f.call("ListTagsForResource", "{\"ResourceArn\":\"" + arn + "\"}")
                        .ok()
                        .get("Tags")
                        .toString())
                .isEqualTo("{\"team\":\"red\"}");
        assertThat(f.call("DescribeUserPool", "{\"UserPoolId\":\"" + poolId + "\"}")
                        .ok()
                        .get("UserPool")
                        .path("UserPoolTags")
                        .toString())
                .isEqualTo("{\"team\":\"red\"}");
        String other = arn.replace(poolId, "us-east-1_NoSuchPool");
        assertThat(f.call("ListTagsForResource", "{\"ResourceArn\":\"" + other + "\"}")
                        .code())
                .isEqualTo("ResourceNotFoundException");
        assertThat(f.call("ListTagsForResource", "{\"ResourceArn\":\"not-an-arn\"}")
                        .code())
                .isEqualTo("InvalidParameterException");
        assertThat(f.unsigned("ListTagsForResource", "{\"ResourceArn\":\"" + arn + "\"}")
                        .status())
                .isEqualTo(400);
    }

    @Test
    void getCsvHeaderWhenCustomAttributeThenSchemaOrderWithoutSubThenCognitoColumns() {
        String poolId = f.createPool(
                "{\"PoolName\":\"csv\",\"Schema\":[{\"Name\":\"joinedOn\",\"AttributeDataType\":\"String\"}]}");

        JsonNode header = f.call("GetCSVHeader", "{\"UserPoolId\":\"" + poolId + "\"}")
                .ok()
                .get("CSVHeader");

        assertThat(header.get(0).asText()).isEqualTo("name");
        assertThat(header.toString())
                .endsWith("\"updated_at\",\"custom:joinedOn\",\"cognito:mfa_enabled\",\"cognito:username\"]")
                .doesNotContain("\"sub\"");
    }

    @Test
    void adminDeleteUserWhenEventsRecordedThenTheyAreDeletedToo() {
        String[] ids = protectedPool("AUDIT");
        f.signedUpAndIn(ids[1], "ann@example.com");
        String sub = f.call("AdminGetUser", "{\"UserPoolId\":\"" + ids[0] + "\",\"Username\":\"ann@example.com\"}")
                .ok()
                .get("UserAttributes")
                .get(0)
                .path("Value")
                .asText();
        assertThat(f.store
                        .query(AuthEvents.TABLE, Query.partition(ids[0] + "#" + sub))
                        .items())
                .hasSize(2);

        f.call("AdminDeleteUser", "{\"UserPoolId\":\"" + ids[0] + "\",\"Username\":\"ann@example.com\"}")
                .ok();

        assertThat(f.store
                        .query(AuthEvents.TABLE, Query.partition(ids[0] + "#" + sub))
                        .items())
                .isEmpty();
    }
}
