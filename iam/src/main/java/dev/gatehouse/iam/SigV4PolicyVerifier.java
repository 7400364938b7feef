package dev.gatehouse.iam;

import dev.gatehouse.iam.SignatureException.Reason;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Verifies the SigV4 signature of an S3 browser upload's policy document ({@code x-amz-algorithm},
 * {@code x-amz-credential}, {@code x-amz-date}, {@code x-amz-signature} form fields): the hex HMAC-SHA256 of the
 * policy's base64 text under the signing key of the credential's scope. The scope must name this region, service
 * {@code s3}, {@code aws4_request} and the day of {@code x-amz-date}; the caller is resolved as for a signed request.
 * The policy's own conditions, expiration included, are the caller's to check.
 *
 * @param <P> the principal type the {@link CredentialResolver} returns
 * @see <a href="https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-post-example.html">Example: Browser-Based
 *     Upload using HTTP POST (Using AWS Signature Version 4)</a>
 */
public final class SigV4PolicyVerifier<P> {

    private final CredentialResolver<P> resolver;
    private final String region;
    private final Clock clock;

    public SigV4PolicyVerifier(CredentialResolver<P> resolver, String region, Clock clock) {
        this.resolver = Objects.requireNonNull(resolver, "resolver cannot be null");
        this.region = Objects.requireNonNull(region, "region cannot be null");
        this.clock = Objects.requireNonNull(clock, "clock cannot be null");
    }

    /**
     * Returns the caller whose key signed {@code policy}, or throws.
     *
     * @throws SignatureException {@link Reason#UNSUPPORTED_ALGORITHM}, {@link Reason#MALFORMED_DATE},
     *     {@link Reason#MALFORMED_CREDENTIAL}, a scope reason ({@link Reason#WRONG_REGION}…),
     *     {@link Reason#UNKNOWN_ACCESS_KEY}, {@link Reason#EXPIRED_TOKEN} or {@link Reason#SIGNATURE_MISMATCH}
     */
    public VerifiedCaller<P> verify(
            String algorithm,
            String credential,
            String amzDate,
            @Nullable String sessionToken,
            String policy,
            String signature)
            throws SignatureException {
        if (!algorithm.equals(SigV4Verifier.ALGORITHM)) {
            throw new SignatureException(
                    Reason.UNSUPPORTED_ALGORITHM, "Unsupported AWS 'algorithm': '" + algorithm + "'");
        }
        Instant signedAt = AmzDates.parse(amzDate, false);
        String[] parts = SigV4Verifier.credentialParts(credential);
        if (!parts[2].equals(region)
                || !parts[3].equals("s3")
                || !parts[4].equals(CredentialScope.TERMINATOR)
                || !amzDate.startsWith(parts[1])
                || parts[1].length() != 8) {
            throw new SignatureException(
                    Reason.WRONG_REGION,
                    "Credential should be scoped to a valid region, service " + "'s3' and the date of x-amz-date, not '"
                            + credential + "'.");
        }
        CredentialScope scope = new CredentialScope(parts[1], region, "s3");
        SigningCredential<P> resolved = Credentials.resolve(resolver, parts[0], sessionToken, clock.instant());
        byte[] expected = SigV4Signing.hmac(SigV4Signing.signingKey(resolved.secretKey(), scope), policy);
        if (!SigV4Signing.hexEquals(expected, signature)) {
            throw SignatureException.mismatch(
                    "The request signature we calculated does not match the signature you "
                            + "provided. Check your key and signing method.",
                    "",
                    policy);
        }
        return new VerifiedCaller<>(parts[0], scope, List.of(), sessionToken, signedAt, false, resolved.principal());
    }
}
