package dev.gatehouse.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PostPolicyTests {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    /** The policy of S3's POST example (SigV4), with its bucket and key prefix. */
    private static final String EXAMPLE = "{ \"expiration\": \"2026-01-01T12:00:00.000Z\",\n"
            + "  \"conditions\": [\n"
            + "    {\"bucket\": \"sigv4examplebucket\"},\n"
            + "    [\"starts-with\", \"$key\", \"user/user1/\"],\n"
            + "    {\"acl\": \"public-read\"},\n"
            + "    {\"success_action_redirect\": \"http://sigv4examplebucket.s3.amazonaws.com/successful_upload.html\"},\n"
            + "    [\"starts-with\", \"$Content-Type\", \"image/\"],\n"
            + "    {\"x-amz-meta-uuid\": \"14365123651274\"},\n"
            + "    {\"x-amz-server-side-encryption\": \"AES256\"},\n"
            + "    [\"starts-with\", \"$x-amz-meta-tag\", \"\"],\n"
            + "    {\"x-amz-credential\": \"AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request\"},\n"
            + "    {\"x-amz-algorithm\": \"AWS4-HMAC-SHA256\"},\n"
            + "    {\"x-amz-date\": \"20151229T000000Z\" },\n"
            + "    [\"content-length-range\", 1, 1048576]\n"
            + "  ]\n"
            + "}";

    private static Map<String, String> exampleFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("bucket", "sigv4examplebucket");
        fields.put("key", "user/user1/${filename}");
        fields.put("acl", "public-read");
        fields.put("success_action_redirect", "http://sigv4examplebucket.s3.amazonaws.com/successful_upload.html");
        fields.put("content-type", "image/jpeg");
        fields.put("x-amz-meta-uuid", "14365123651274");
        fields.put("x-amz-server-side-encryption", "AES256");
        fields.put("x-amz-meta-tag", "");
        fields.put("x-amz-credential", "AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request");
        fields.put("x-amz-algorithm", "AWS4-HMAC-SHA256");
        fields.put("x-amz-date", "20151229T000000Z");
        fields.put("policy", "…");
        fields.put("x-amz-signature", "…");
        return fields;
    }

    private static PostPolicy policy(String json) {
        return PostPolicy.parse(Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void checkWhenEveryConditionMetThenPassesAndLengthRangeRead() {
        PostPolicy policy = policy(EXAMPLE);

        policy.check(exampleFields(), NOW);

        assertThat(policy.minLength()).isEqualTo(1);
        assertThat(policy.maxLength()).isEqualTo(1_048_576);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "key|user/user2/photo.jpg|[\"starts-with\",\"$key\",\"user/user1/\"]",
                "content-type|image/png, text/html|[\"starts-with\",\"$Content-Type\",\"image/\"]",
                "bucket|gatehouse-attachments-other|{\"bucket\":\"sigv4examplebucket\"}",
                "x-amz-meta-uuid|1|{\"x-amz-meta-uuid\":\"14365123651274\"}"
            })
    void checkWhenFieldFailsItsConditionThenConditionNamed(String field, String value, String condition) {
        Map<String, String> fields = exampleFields();
        fields.put(field, value);

        assertDenied(policy(EXAMPLE), fields, "Invalid according to Policy: Policy Condition failed: " + condition);
    }

    @Test
    void checkWhenFieldNotInPolicyThenExtraInputFields() {
        Map<String, String> fields = exampleFields();
        fields.put("x-amz-meta-other", "1");

        assertDenied(policy(EXAMPLE), fields, "Invalid according to Policy: Extra input fields: x-amz-meta-other");
    }

    @Test
    void checkWhenConditionFieldMissingThenConditionFailed() {
        Map<String, String> fields = exampleFields();
        fields.remove("acl");

        assertDenied(
                policy(EXAMPLE),
                fields,
                "Invalid according to Policy: Policy Condition failed: " + "{\"acl\":\"public-read\"}");
    }

    @Test
    void checkWhenAfterExpirationThenPolicyExpired() {
        assertDenied(
                policy(EXAMPLE),
                exampleFields(),
                Instant.parse("2026-01-01T12:00:00.001Z"),
                "Invalid according to Policy: Policy expired.");
        policy(EXAMPLE).check(exampleFields(), Instant.parse("2026-01-01T12:00:00Z"));
    }

    @Test
    void parseWhenNotBase64JsonOrMissingPartsThenInvalidPolicyDocument() {
        for (String text : new String[] {
            "%%%",
            Base64.getEncoder().encodeToString("[1]".getBytes(StandardCharsets.UTF_8)),
            Base64.getEncoder().encodeToString("{\"conditions\":[]}".getBytes(StandardCharsets.UTF_8)),
            Base64.getEncoder()
                    .encodeToString("{\"expiration\":\"soon\",\"conditions\":[]}".getBytes(StandardCharsets.UTF_8)),
            Base64.getEncoder()
                    .encodeToString(
                            ("{\"expiration\":\"2026-01-01T12:00:00Z\",\"conditions\":[[\"lt\",\"$key\"," + "\"a\"]]}")
                                    .getBytes(StandardCharsets.UTF_8))
        }) {
            assertThatThrownBy(() -> PostPolicy.parse(text))
                    .as(text)
                    .isInstanceOfSatisfying(
                            S3Exception.class, e -> assertThat(e.error().code()).isEqualTo("InvalidPolicyDocument"));
        }
    }

    private static void assertDenied(PostPolicy policy, Map<String, String> fields, String message) {
        assertDenied(policy, fields, NOW, message);
    }

    private static void assertDenied(PostPolicy policy, Map<String, String> fields, Instant now, String message) {
        assertThatThrownBy(() -> policy.check(fields, now)).isInstanceOfSatisfying(S3Exception.class, e -> {
            assertThat(e.error().code()).isEqualTo("AccessDenied");
            assertThat(e.error().status()).isEqualTo(403);
            assertThat(e.error().message()).isEqualTo(message);
        });
    }
}
