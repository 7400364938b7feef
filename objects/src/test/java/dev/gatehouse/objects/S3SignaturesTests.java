package dev.gatehouse.objects;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.iam.SignedRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class S3SignaturesTests {

    private static SignedRequest request(String query, Map<String, List<String>> headers) {
        return new SignedRequest("GET", "/bucket/private/x/f.txt", query, headers, new byte[0]);
    }

    @Test
    void signatureVersion2HeaderWhenPresignedV2UrlThenEmptyBecauseServed() {
        SignedRequest presigned = request("AWSAccessKeyId=AKIAEXAMPLE&Signature=abc%3D&Expires=1700000000", Map.of());

        assertThat(S3Signatures.signatureVersion2Header(presigned)).isEmpty();
    }

    @Test
    void signatureVersion2WhenV2AuthorizationHeaderThenInvalidRequest() {
        SignedRequest signed = request("", Map.of("authorization", List.of("AWS AKIAEXAMPLE:c2lnbmF0dXJl")));

        assertThat(S3Signatures.signatureVersion2Header(signed)).hasValueSatisfying(error -> {
            assertThat(error.code()).isEqualTo("InvalidRequest");
            assertThat(error.status()).isEqualTo(400);
            assertThat(error.message())
                    .isEqualTo(
                            "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.");
        });
    }

    @Test
    void signatureVersion2WhenSigV4HeaderOrPresignedThenEmpty() {
        SignedRequest header = request(
                "",
                Map.of(
                        "authorization",
                        List.of(
                                "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20261123/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=ab")));
        SignedRequest presigned = request("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=ab", Map.of());
        SignedRequest onlyOne = request("Signature=ab", Map.of());

        assertThat(S3Signatures.signatureVersion2Header(header)).isEmpty();
        assertThat(S3Signatures.signatureVersion2Header(presigned)).isEmpty();
        assertThat(S3Signatures.signatureVersion2Header(onlyOne)).isEmpty();
    }
}
