package dev.gatehouse.iam;

import dev.gatehouse.iam.SigV4Canonicalizer.QueryParameter;
import dev.gatehouse.iam.SignatureException.Reason;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Verifies S3's Signature Version 2 where S3 still accepts it: presigned URLs
 * ({@code ?AWSAccessKeyId=…&Expires=…&Signature=…}, what boto3 and AWS CLI v1 make for us-east-1 by default) and the
 * signature of a browser upload's policy document. The caller is resolved as for SigV4 (session tokens included, in
 * {@code x-amz-security-token}), and its temporary credentials must not have expired.
 *
 * <p>Design note. Checks run in S3's order: all three parameters present, each once ({@code Expires} a number of
 * seconds since the epoch), not expired (a URL is valid through its {@code Expires} second), the access key and
 * token, then the HMAC-SHA1 signature, compared in constant time. An {@code Authorization: AWS …} header (SigV2
 * header signing) is not served: S3 answers that with {@code InvalidRequest}, and so does the S3 endpoint.
 *
 * @param <P> the principal type the {@link CredentialResolver} returns
 * @see <a href="https://docs.aws.amazon.com/AmazonS3/latest/userguide/RESTAuthentication.html#RESTAuthenticationQueryStringAuth">Query string request authentication</a>
 */
public final class SigV2Verifier<P> {

    private static final Set<String> PARAMETERS =
            Set.of("AWSAccessKeyId", "Signature", "Expires", "x-amz-security-token");
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

    private final CredentialResolver<P> resolver;
    private final String region;
    private final Clock clock;

    public SigV2Verifier(CredentialResolver<P> resolver, String region, Clock clock) {
        this.resolver = Objects.requireNonNull(resolver, "resolver cannot be null");
        this.region = Objects.requireNonNull(region, "region cannot be null");
        this.clock = Objects.requireNonNull(clock, "clock cannot be null");
    }

    /** Whether {@code request} claims SigV2 query authentication (an {@code AWSAccessKeyId} or {@code Signature}). */
    public static boolean isPresigned(SignedRequest request) {
        for (QueryParameter parameter : SigV4Canonicalizer.parseQuery(request.rawQuery())) {
            if (parameter.name().equals("AWSAccessKeyId") || parameter.name().equals("Signature")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns the caller of a SigV2 presigned request, or throws.
     *
     * @throws SignatureException {@link Reason#INCOMPLETE_QUERY_AUTHENTICATION} (a parameter missing),
     *     {@link Reason#AUTHORIZATION_QUERY_PARAMETERS} (one repeated, or {@code Expires} not a number),
     *     {@link Reason#PRESIGN_EXPIRED}, {@link Reason#UNKNOWN_ACCESS_KEY}, {@link Reason#EXPIRED_TOKEN} or
     *     {@link Reason#SIGNATURE_MISMATCH}
     */
    public VerifiedCaller<P> verifyPresigned(SignedRequest request) throws SignatureException {
        List<QueryParameter> query = SigV4Canonicalizer.parseQuery(request.rawQuery());
        Map<String, String> params = authParameters(query);
        String accessKeyId = params.get("AWSAccessKeyId");
        String signature = params.get("Signature");
        String expires = params.get("Expires");
        if (accessKeyId == null || signature == null || expires == null) {
            throw new SignatureException(
                    Reason.INCOMPLETE_QUERY_AUTHENTICATION,
                    "Query-string authentication requires the " + "Signature, Expires and AWSAccessKeyId parameters");
        }
        Instant expiresAt = expiresAt(expires);
        Instant now = clock.instant();
        // Boundary: the URL is valid through its Expires second, and not after it.
        if (now.isAfter(expiresAt)) {
            throw new SignatureException(Reason.PRESIGN_EXPIRED, "Request has expired");
        }
        String sessionToken = params.get("x-amz-security-token");
        if (sessionToken == null) {
            sessionToken = request.header("x-amz-security-token").orElse(null);
        }
        SigningCredential<P> credential = resolve(accessKeyId, sessionToken, now);
        String stringToSign = SigV2Signing.stringToSign(request, query, expires);
        if (!SigV2Signing.matches(SigV2Signing.sign(credential.secretKey(), stringToSign), signature)) {
            throw SignatureException.mismatch(
                    "The request signature we calculated does not match the signature you "
                            + "provided. Check your key and signing method.",
                    "",
                    stringToSign);
        }
        return caller(accessKeyId, sessionToken, now, true, credential);
    }

    /**
     * Returns the caller whose secret signed a browser upload's policy (the base64 text of the {@code policy} field) with
     * SigV2, or throws. The policy's own conditions, expiration included, are the caller's to check.
     *
     * @throws SignatureException {@link Reason#UNKNOWN_ACCESS_KEY}, {@link Reason#EXPIRED_TOKEN} or
     *     {@link Reason#SIGNATURE_MISMATCH}
     */
    public VerifiedCaller<P> verifyPolicy(
            String accessKeyId, @Nullable String sessionToken, String policy, String signature)
            throws SignatureException {
        Instant now = clock.instant();
        SigningCredential<P> credential = resolve(accessKeyId, sessionToken, now);
        if (!SigV2Signing.matches(SigV2Signing.sign(credential.secretKey(), policy), signature)) {
            throw SignatureException.mismatch(
                    "The request signature we calculated does not match the signature you "
                            + "provided. Check your key and signing method.",
                    "",
                    policy);
        }
        return caller(accessKeyId, sessionToken, now, false, credential);
    }

    private VerifiedCaller<P> caller(
            String accessKeyId,
            @Nullable String sessionToken,
            Instant now,
            boolean presigned,
            SigningCredential<P> credential) {
        CredentialScope scope = new CredentialScope(DAY.format(LocalDate.ofInstant(now, ZoneOffset.UTC)), region, "s3");
        return new VerifiedCaller<>(
                accessKeyId, scope, List.of(), sessionToken, now, presigned, credential.principal());
    }

    private static Map<String, String> authParameters(List<QueryParameter> query) throws SignatureException {
        Map<String, String> params = new HashMap<>();
        for (QueryParameter parameter : query) {
            if (PARAMETERS.contains(parameter.name()) && params.put(parameter.name(), parameter.value()) != null) {
                throw new SignatureException(
                        Reason.AUTHORIZATION_QUERY_PARAMETERS,
                        "Query-string authentication parameters " + "must appear only once; '" + parameter.name()
                                + "' is repeated.");
            }
        }
        return params;
    }

    private static Instant expiresAt(String expires) throws SignatureException {
        try {
            return Instant.ofEpochSecond(Long.parseLong(expires.trim()));
        } catch (NumberFormatException | java.time.DateTimeException e) {
            throw new SignatureException(
                    Reason.AUTHORIZATION_QUERY_PARAMETERS, "Invalid date (should be seconds since epoch): " + expires);
        }
    }

    private SigningCredential<P> resolve(String accessKeyId, @Nullable String sessionToken, Instant now)
            throws SignatureException {
        return Credentials.resolve(resolver, accessKeyId, sessionToken, now);
    }
}
