package dev.gatehouse.iam;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The caller of a request whose SigV4 signature has been verified. Only {@link SigV4Verifier} makes these.
 *
 * @param <P> the principal type returned by the {@link CredentialResolver}
 */
public final class VerifiedCaller<P> {

    private final String accessKeyId;
    private final CredentialScope scope;
    private final List<String> signedHeaders;
    private final @Nullable String sessionToken;
    private final Instant signedAt;
    private final boolean presigned;
    private final P principal;
    private final @Nullable ChunkSignatureChain chunkSignatures;

    VerifiedCaller(
            String accessKeyId,
            CredentialScope scope,
            List<String> signedHeaders,
            @Nullable String sessionToken,
            Instant signedAt,
            boolean presigned,
            P principal) {
        this(accessKeyId, scope, signedHeaders, sessionToken, signedAt, presigned, principal, null);
    }

    VerifiedCaller(
            String accessKeyId,
            CredentialScope scope,
            List<String> signedHeaders,
            @Nullable String sessionToken,
            Instant signedAt,
            boolean presigned,
            P principal,
            @Nullable ChunkSignatureChain chunkSignatures) {
        this.accessKeyId = accessKeyId;
        this.scope = scope;
        this.signedHeaders = List.copyOf(signedHeaders);
        this.sessionToken = sessionToken;
        this.signedAt = signedAt;
        this.presigned = presigned;
        this.principal = principal;
        this.chunkSignatures = chunkSignatures;
    }

    /**
     * For an S3 request with {@code x-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]}: the chain that
     * checks its chunk signatures. Empty for every other request.
     */
    public Optional<ChunkSignatureChain> chunkSignatures() {
        return Optional.ofNullable(chunkSignatures);
    }

    public String accessKeyId() {
        return accessKeyId;
    }

    public CredentialScope scope() {
        return scope;
    }

    /** The lower-case header names the signature covers, as listed in {@code SignedHeaders}. */
    public List<String> signedHeaders() {
        return signedHeaders;
    }

    /** The session token the request carried (temporary credentials); a secret, never log it. */
    public Optional<String> sessionToken() {
        return Optional.ofNullable(sessionToken);
    }

    /** The request time ({@code X-Amz-Date}) the signature covers. */
    public Instant signedAt() {
        return signedAt;
    }

    /** True for query-string (presigned URL) authentication, false for the {@code Authorization} header. */
    public boolean presigned() {
        return presigned;
    }

    /** What the {@link CredentialResolver} returned for the access key. */
    public P principal() {
        return principal;
    }

    @Override
    public String toString() {
        return "VerifiedCaller[accessKeyId=" + accessKeyId + ", scope=" + scope + ", principal=" + principal + "]";
    }
}
