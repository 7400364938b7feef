package dev.gatehouse.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ChunkSignatureChainTests {

    // Test data from https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html (example PUT Object, 66560
    // bytes of 'a' in chunks of 65536, 1024 and 0 bytes).
    private static final SecretBytes SECRET = SecretBytes.ofUtf8("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    private static final CredentialScope SCOPE = new CredentialScope("20130524", "us-east-1", "s3");
    private static final String SEED = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";

    private static ChunkSignatureChain chain() {
        return new ChunkSignatureChain(SigV4Signing.signingKey(SECRET, SCOPE), "20130524T000000Z", SCOPE, SEED);
    }

    private static byte[] sha256OfA(int length) throws Exception {
        byte[] data = new byte[length];
        Arrays.fill(data, (byte) 'a');
        return MessageDigest.getInstance("SHA-256").digest(data);
    }

    @Test
    void verifyChunkWhenDocumentedChunksThenAccepted() throws Exception {
        ChunkSignatureChain chain = chain();
        chain.verifyChunk(sha256OfA(65536), "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648");
        chain.verifyChunk(sha256OfA(1024), "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497");
        chain.verifyChunk(sha256OfA(0), "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9");
    }

    @Test
    void verifyChunkWhenChunkSkippedThenSignatureMismatch() throws Exception {
        ChunkSignatureChain chain = chain();
        assertThatThrownBy(() -> chain.verifyChunk(
                        sha256OfA(1024), "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497"))
                .isInstanceOfSatisfying(SignatureException.class, e -> assertThat(e.reason())
                        .isEqualTo(SignatureException.Reason.SIGNATURE_MISMATCH));
    }

    @Test
    void verifyChunkWhenDataChangedThenSignatureMismatch() throws Exception {
        ChunkSignatureChain chain = chain();
        assertThatThrownBy(() -> chain.verifyChunk(
                        sha256OfA(65535), "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648"))
                .isInstanceOf(SignatureException.class);
    }
}
