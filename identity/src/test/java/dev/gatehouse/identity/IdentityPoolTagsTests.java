package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdentityPoolTagsTests {

    private final IdentityFixture f = new IdentityFixture();
    private final String poolId = f.createPool(false);
    private final String arn =
            "arn:aws:cognito-identity:us-east-1:" + IdentityFixture.ACCOUNT + ":identitypool/" + poolId;

    @Test
    void tagResourceWhenTaggedAndUntaggedThenListedAndDescribed() {
        f.ok("TagResource", "{\"ResourceArn\":\"" + arn + "\",\"Tags\":{\"team\":\"blue\",\"env\":\"test\"}}");
        f.ok("UntagResource", "{\"ResourceArn\":\"" + arn + "\",\"TagKeys\":[\"env\"]}");

        assertThat(f.ok("ListTagsForResource", "{\"ResourceArn\":\"" + arn + "\"}")
                        .path("Tags")
                        .toString())
                .isEqualTo("{\"team\":\"blue\"}");
        assertThat(f.ok("DescribeIdentityPool", "{\"IdentityPoolId\":\"" + poolId + "\"}")
                        .path("IdentityPoolTags")
                        .toString())
                .isEqualTo("{\"team\":\"blue\"}");
    }

    @Test
    void tagResourceWhenArnUnknownOrMalformedThenRefused() {
        String other = arn.replace(poolId, "us-east-1:00000000-0000-0000-0000-000000000000");

        assertThat(f.admin("ListTagsForResource", "{\"ResourceArn\":\"" + other + "\"}")
                        .errorType())
                .isEqualTo("ResourceNotFoundException");
        assertThat(f.admin("ListTagsForResource", "{\"ResourceArn\":\"short\"}").errorType())
                .isEqualTo("ValidationException");
        assertThat(f.call("ListTagsForResource", "{\"ResourceArn\":\"" + arn + "\"}")
                        .errorType())
                .isEqualTo("MissingAuthenticationTokenException");
    }

    @Test
    void tagResourceWhenMoreThanFiftyTagsThenInvalidParameterAndNothingKept() {
        StringBuilder tags = new StringBuilder();
        for (int i = 0; i < 51; i++) {
            tags.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
        }

        assertThat(f.admin("TagResource", "{\"ResourceArn\":\"" + arn + "\",\"Tags\":{" + tags + "}}")
                        .errorType())
                .isEqualTo("InvalidParameterException");
        assertThat(f.ok("ListTagsForResource", "{\"ResourceArn\":\"" + arn + "\"}")
                        .path("Tags")
                        .size())
                .isZero();
    }
}
