package dev.gatehouse.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.iam.SignatureException.Reason;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SigV2VerifierTests {

    // The example key pair from AWS's documentation.
    private static final String KEY = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    /**
     * The header-signing examples of "Signing and authenticating REST requests" (S3 user guide, SigV2): the request, its
     * Date, and the signature AWS gives. The string to sign is the query form's with the Date on the date line.
     */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "GET|/awsexamplebucket1/photos/puppy.jpg||Tue, 27 Mar 2007 19:36:42 +0000|qgk2+6Sv9/oM7G3qLEjTH1a1l1g=",
                "PUT|/awsexamplebucket1/photos/puppy.jpg|image/jpeg|Tue, 27 Mar 2007 21:15:45 +0000|iqRzw+ileNPu1fhspnRs8nOjjIA=",
                "GET|/awsexamplebucket1/||Tue, 27 Mar 2007 19:42:41 +0000|m0WP8eCtspQl5Ahe6L1SozdX9YA=",
                "GET|/awsexamplebucket1/?acl||Tue, 27 Mar 2007 19:44:46 +0000|82ZHiFIjc+WbcwFKGUVEQspPn+0=",
                "DELETE|/awsexamplebucket1/photos/puppy.jpg||Tue, 27 Mar 2007 21:20:26 +0000|XbyTlbQdu9Xw5o8P4iMwPktxQd8="
            })
    void stringToSignWhenAwsDocumentedExampleThenDocumentedSignature(
            String method, String target, String contentType, String date, String signature) throws SignatureException {
        int question = target.indexOf('?');
        String path = question < 0 ? target : target.substring(0, question);
        String query = question < 0 ? "" : target.substring(question + 1);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("host", List.of("s3.us-west-1.amazonaws.com"));
        if (contentType != null) {
            headers.put("content-type", List.of(contentType));
        }
        SignedRequest request = new SignedRequest(method, path, query, headers, new byte[0]);

        String stringToSign = SigV2Signing.stringToSign(request, SigV4Canonicalizer.parseQuery(query), date);

        assertThat(SigV2Signing.sign(SecretBytes.ofUtf8(SECRET), stringToSign)).isEqualTo(signature);
    }

    @Test
    void stringToSignWhenAmzHeadersAndQueryAndSubResourcesThenCanonicalized() throws SignatureException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("x-amz-meta-b", List.of("  two   words ", "second"));
        headers.put("content-md5", List.of("4gJE4saaMU4BqNR0kLY+lw=="));
        String query = "versionId=v%201&AWSAccessKeyId=k&x-amz-security-token=t%2Bk&response-content-type=text%2Fplain"
                + "&prefix=ignored&uploads";
        SignedRequest request = new SignedRequest("GET", "/b/a%20key", query, headers, new byte[0]);

        assertThat(SigV2Signing.stringToSign(request, SigV4Canonicalizer.parseQuery(query), "1700000000"))
                .isEqualTo(
                        "GET\n4gJE4saaMU4BqNR0kLY+lw==\n\n1700000000\nx-amz-meta-b:two words,second\nx-amz-security-token:t+k\n"
                                + "/b/a%20key?response-content-type=text/plain&uploads&versionId=v 1");
    }

    /** The query-string example of the same guide (bucket johnsmith, Expires 1175139620). */
    @Test
    void verifyPresignedWhenAwsDocumentedExampleThenCaller() throws SignatureException {
        VerifiedCaller<String> caller = verifier(Instant.ofEpochSecond(1175139620))
                .verifyPresigned(
                        presigned(
                                "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1175139620&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D"));

        assertThat(caller.principal()).isEqualTo("admin");
        assertThat(caller.presigned()).isTrue();
    }

    @Test
    void verifyPresignedWhenOneSecondAfterExpiresThenExpired() {
        assertRefused(
                verifier(Instant.ofEpochSecond(1175139621)),
                "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1175139620"
                        + "&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D",
                Reason.PRESIGN_EXPIRED);
    }

    @Test
    void verifyPresignedWhenSignatureRepeatedThenRefusedEvenIfTheFirstIsValid() {
        assertRefused(
                verifier(Instant.ofEpochSecond(1175139620)),
                "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1175139620"
                        + "&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D&Signature=garbage",
                Reason.AUTHORIZATION_QUERY_PARAMETERS);
    }

    @Test
    void verifyPresignedWhenPathChangedThenSignatureMismatch() {
        SignedRequest other = new SignedRequest(
                "GET",
                "/johnsmith/photos/kitten.jpg",
                "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE"
                        + "&Expires=1175139620&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D",
                Map.of(),
                new byte[0]);

        assertThatThrownBy(() -> verifier(Instant.ofEpochSecond(1175139620)).verifyPresigned(other))
                .isInstanceOfSatisfying(
                        SignatureException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH));
    }

    @Test
    void verifyPresignedWhenExpiresMissingOrNotANumberThenRefused() {
        SigV2Verifier<String> verifier = verifier(Instant.ofEpochSecond(1175139620));
        assertRefused(
                verifier, "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature=x", Reason.INCOMPLETE_QUERY_AUTHENTICATION);
        assertRefused(
                verifier,
                "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature=x&Expires=soon",
                Reason.AUTHORIZATION_QUERY_PARAMETERS);
    }

    @Test
    void verifyPresignedWhenKeyUnknownThenUnknownAccessKey() {
        assertRefused(
                verifier(Instant.ofEpochSecond(1175139620)),
                "AWSAccessKeyId=AKIAOTHER&Expires=1175139620" + "&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D",
                Reason.UNKNOWN_ACCESS_KEY);
    }

    @Test
    void verifyPolicyWhenSignedWithTheSecretThenCallerElseMismatch() throws SignatureException {
        SigV2Verifier<String> verifier = verifier(Instant.ofEpochSecond(1175139620));
        String policy = "eyJleHBpcmF0aW9uIjogIjIwMDctMTItMDFUMTI6MDA6MDAuMDAwWiJ9";
        String signature = SigV2Signing.sign(SecretBytes.ofUtf8(SECRET), policy);

        assertThat(verifier.verifyPolicy(KEY, null, policy, signature).principal())
                .isEqualTo("admin");
        assertThatThrownBy(() -> verifier.verifyPolicy(KEY, null, policy + "x", signature))
                .isInstanceOfSatisfying(
                        SignatureException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH));
    }

    private static void assertRefused(SigV2Verifier<String> verifier, String query, Reason reason) {
        assertThatThrownBy(() -> verifier.verifyPresigned(presigned(query)))
                .isInstanceOfSatisfying(
                        SignatureException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    private static SignedRequest presigned(String query) {
        return new SignedRequest(
                "GET", "/johnsmith/photos/puppy.jpg", query, Map.of("host", List.of("127.0.0.1:9229")), new byte[0]);
    }

    private static SigV2Verifier<String> verifier(Instant now) {
        InMemoryCredentialResolver<String> keys = new InMemoryCredentialResolver<String>()
                .put(KEY, SigningCredential.permanent(SecretBytes.ofUtf8(SECRET), "admin"));
        return new SigV2Verifier<>(keys, "us-east-1", Clock.fixed(now, ZoneOffset.UTC));
    }
}
