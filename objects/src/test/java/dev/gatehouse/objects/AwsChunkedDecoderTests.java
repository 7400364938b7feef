package dev.gatehouse.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.iam.ChunkSignatureChain;
import dev.gatehouse.iam.InMemoryCredentialResolver;
import dev.gatehouse.iam.SecretBytes;
import dev.gatehouse.iam.SigV4Verifier;
import dev.gatehouse.iam.SignedRequest;
import dev.gatehouse.iam.SigningCredential;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AwsChunkedDecoderTests {

    // Test data from https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html (example PUT Object:
    // 66560 bytes of 'a' in chunks of 65536, 1024 and 0 bytes, with the documented seed and chunk signatures).
    private static final String SEED = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
    private static final String[] CHUNK_SIGNATURES = {
        "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
        "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
        "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9"
    };

    private static ChunkSignatureChain documentedChain() throws Exception {
        InMemoryCredentialResolver<String> keys = new InMemoryCredentialResolver<String>()
                .put(
                        "AKIAIOSFODNN7EXAMPLE",
                        SigningCredential.permanent(
                                SecretBytes.ofUtf8("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), "example"));
        SigV4Verifier<String> verifier = SigV4Verifier.builder(keys)
                .service("s3")
                .region("us-east-1")
                .clock(Clock.fixed(Instant.parse("2013-05-24T00:00:00Z"), ZoneOffset.UTC))
                .build();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("host", List.of("s3.amazonaws.com"));
        headers.put("x-amz-date", List.of("20130524T000000Z"));
        headers.put("x-amz-storage-class", List.of("REDUCED_REDUNDANCY"));
        headers.put(
                "authorization",
                List.of("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/"
                        + "aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
                        + "x-amz-decoded-content-length;x-amz-storage-class,Signature=" + SEED));
        headers.put("x-amz-content-sha256", List.of("STREAMING-AWS4-HMAC-SHA256-PAYLOAD"));
        headers.put("content-encoding", List.of("aws-chunked"));
        headers.put("x-amz-decoded-content-length", List.of("66560"));
        headers.put("content-length", List.of("66824"));
        SignedRequest request = new SignedRequest("PUT", "/examplebucket/chunkObject.txt", "", headers, new byte[0]);
        return verifier.verifyDeferringPayload(request).chunkSignatures().orElseThrow();
    }

    private static byte[] documentedBody(char filler) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int[] sizes = {65536, 1024, 0};
        for (int i = 0; i < sizes.length; i++) {
            body.writeBytes((Integer.toHexString(sizes[i]) + ";chunk-signature=" + CHUNK_SIGNATURES[i] + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] data = new byte[sizes[i]];
            Arrays.fill(data, (byte) filler);
            body.writeBytes(data);
            body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return body.toByteArray();
    }

    private static void feedInPieces(AwsChunkedDecoder decoder, byte[] body, int piece) {
        for (int i = 0; i < body.length; i += piece) {
            decoder.feed(Arrays.copyOfRange(body, i, Math.min(body.length, i + piece)));
        }
    }

    @Test
    void feedWhenDocumentedSignedBodyThenDecodedAndVerified() throws Exception {
        ByteArrayOutputStream decoded = new ByteArrayOutputStream();
        AwsChunkedDecoder decoder = new AwsChunkedDecoder(Optional.of(documentedChain()), decoded::write);
        feedInPieces(decoder, documentedBody('a'), 7919);
        decoder.finish();
        byte[] expected = new byte[66560];
        Arrays.fill(expected, (byte) 'a');
        assertThat(decoded.toByteArray()).isEqualTo(expected);
    }

    @Test
    void feedWhenDataTamperedThenSignatureDoesNotMatch() throws Exception {
        AwsChunkedDecoder decoder = new AwsChunkedDecoder(Optional.of(documentedChain()), (data, offset, length) -> {});
        assertThatThrownBy(() -> feedInPieces(decoder, documentedBody('b'), 4096))
                .isInstanceOfSatisfying(
                        S3Exception.class, e -> assertThat(e.error().code()).isEqualTo("SignatureDoesNotMatch"));
    }

    @Test
    void finishWhenBodyCutShortThenIncompleteBody() throws Exception {
        AwsChunkedDecoder decoder = new AwsChunkedDecoder(Optional.of(documentedChain()), (data, offset, length) -> {});
        byte[] body = documentedBody('a');
        decoder.feed(Arrays.copyOf(body, 66000));
        assertThatThrownBy(decoder::finish)
                .isInstanceOfSatisfying(
                        S3Exception.class, e -> assertThat(e.error().code()).isEqualTo("IncompleteBody"));
    }

    @Test
    void feedWhenUnsignedWithTrailerThenTrailersCollected() {
        ByteArrayOutputStream decoded = new ByteArrayOutputStream();
        AwsChunkedDecoder decoder = new AwsChunkedDecoder(Optional.empty(), decoded::write);
        decoder.feed("5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        decoder.finish();
        assertThat(decoded.toString(StandardCharsets.US_ASCII)).isEqualTo("hello");
        assertThat(decoder.trailers()).containsExactly(Map.entry("x-amz-checksum-crc32", "NhCmhg=="));
    }

    @Test
    void feedWhenUnsignedBodyCarriesSignaturesThenInvalidArgument() {
        AwsChunkedDecoder decoder = new AwsChunkedDecoder(Optional.empty(), (data, offset, length) -> {});
        assertThatThrownBy(() -> decoder.feed("5;chunk-signature=00\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOfSatisfying(
                        S3Exception.class, e -> assertThat(e.error().code()).isEqualTo("InvalidArgument"));
    }

    @Test
    void feedWhenChunkLongerThanDeclaredThenInvalidArgument() {
        AwsChunkedDecoder decoder = new AwsChunkedDecoder(Optional.empty(), (data, offset, length) -> {});
        assertThatThrownBy(() -> decoder.feed("2\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOfSatisfying(
                        S3Exception.class, e -> assertThat(e.error().code()).isEqualTo("InvalidArgument"));
    }
}
