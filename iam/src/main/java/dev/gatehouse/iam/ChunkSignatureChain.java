package dev.gatehouse.iam;

import dev.gatehouse.iam.SignatureException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * The signatures of an S3 {@code aws-chunked} body ({@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]}): each chunk
 * is signed over the previous signature (the first over the request's own, the seed) and the chunk's SHA-256, and the
 * trailing headers over the last chunk's signature. Not thread-safe: one chain per request, fed in body order. It holds
 * the derived signing key (never the secret) until the request ends.
 *
 * @see <a href="https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html">Transferring payload in multiple chunks</a>
 * @see <a href="https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html">Trailing headers</a>
 */
public final class ChunkSignatureChain {

    private static final String CHUNK_ALGORITHM = "AWS4-HMAC-SHA256-PAYLOAD";
    private static final String TRAILER_ALGORITHM = "AWS4-HMAC-SHA256-TRAILER";

    private final byte[] signingKey;
    private final String amzDate;
    private final String scope;
    private String previous;

    ChunkSignatureChain(byte[] signingKey, String amzDate, CredentialScope scope, String seedSignature) {
        this.signingKey = signingKey.clone();
        this.amzDate = Objects.requireNonNull(amzDate, "amzDate cannot be null");
        this.scope = scope.toString();
        this.previous = Objects.requireNonNull(seedSignature, "seedSignature cannot be null");
    }

    /**
     * Checks the signature of the next chunk, whose data hashes to {@code chunkSha256} (32 bytes; the final, empty chunk
     * too).
     *
     * @throws SignatureException {@link Reason#SIGNATURE_MISMATCH} when the signature is not the expected one
     */
    public void verifyChunk(byte[] chunkSha256, String signature) throws SignatureException {
        String stringToSign = CHUNK_ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" + previous + "\n"
                + SigV4Signing.EMPTY_SHA256 + "\n" + SigV4Signing.hex(chunkSha256);
        check(stringToSign, signature);
    }

    /**
     * Checks the trailer signature ({@code x-amz-trailer-signature}) over the canonical trailing headers: each
     * {@code name:value\n}, names lower-case, in the order sent.
     *
     * @throws SignatureException {@link Reason#SIGNATURE_MISMATCH} when the signature is not the expected one
     */
    public void verifyTrailer(String canonicalTrailers, String signature) throws SignatureException {
        String stringToSign = TRAILER_ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" + previous + "\n"
                + SigV4Signing.sha256Hex(canonicalTrailers.getBytes(StandardCharsets.UTF_8));
        check(stringToSign, signature);
    }

    private void check(String stringToSign, String signature) throws SignatureException {
        String expected = SigV4Signing.hex(SigV4Signing.hmac(signingKey, stringToSign));
        if (!MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII), signature.trim().getBytes(StandardCharsets.US_ASCII))) {
            throw new SignatureException(
                    Reason.SIGNATURE_MISMATCH,
                    "The request signature we calculated does not match the "
                            + "signature you provided. Check your key and signing method.");
        }
        previous = expected;
    }

    @Override
    public String toString() {
        return "ChunkSignatureChain[scope=" + scope + "]";
    }
}
