package dev.gatehouse.iam;

import dev.gatehouse.iam.SigV4Canonicalizer.QueryParameter;
import dev.gatehouse.iam.SignatureException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies AWS Signature Version 4 on a request, in the {@code Authorization} header or in a presigned query string.
 *
 * <p>Design note. {@link #verify} runs the checks in the order AWS services report them, so a client sees the same
 * error AWS would give it: which authentication is used (neither: {@code MISSING_AUTHENTICATION}; both:
 * {@code AMBIGUOUS_AUTHENTICATION}; ambiguous parts, such as two {@code Authorization} headers or a repeated
 * {@code Signature}, are refused), required parts present, date format (these by {@link AuthorizationParser}, into a
 * {@link ClaimedAuthorization}), clock skew (or presign window),
 * {@code host} signed, algorithm, credential shape, credential scope (region, service, terminator, date; all failures
 * in one message), the access key and session token, then the signature, compared in constant time, and last the
 * body against a declared {@code x-amz-content-sha256}. Only headers named in {@code SignedHeaders} enter the
 * canonical request. For S3 (service {@code s3}) it also requires every {@code x-amz-*} header to be signed, accepts
 * {@code UNSIGNED-PAYLOAD}, and signs presigned URLs with {@code UNSIGNED-PAYLOAD}. Elsewhere an unsigned
 * {@code X-Amz-Security-Token} is accepted (aws-api-gateway-cli-test sends one), but the resolver must bind it to the
 * access key.
 *
 * @param <P> the principal type the {@link CredentialResolver} returns
 * @see <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html">Create a signed AWS API request</a>
 */
public final class SigV4Verifier<P> {

    /** How the request path becomes the canonical URI. */
    public enum PathMode {
        /** Every service except S3: dot segments and empty segments removed, then URI-encoded a second time. */
        NORMALIZED_DOUBLE_ENCODED,
        /** S3: the path as sent, neither normalised nor encoded again. */
        AS_SENT
    }

    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    /** S3's {@code x-amz-content-sha256} values for {@code aws-chunked} bodies, signed chunk by chunk or not at all. */
    static final List<String> STREAMING_PAYLOADS = List.of(
            "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
            "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
            "STREAMING-UNSIGNED-PAYLOAD-TRAILER");
    /** The longest {@code X-Amz-Expires} AWS accepts: 7 days. */
    static final long MAX_PRESIGN_SECONDS = 604_800;
    /** Derived signing keys kept (one per access key and day); a miss costs four HMACs. */
    private static final int MAX_SIGNING_KEYS = 4096;

    private static final Logger LOG = LoggerFactory.getLogger(SigV4Verifier.class);

    private final String service;
    private final String region;
    private final Clock clock;
    private final Duration maxClockSkew;
    private final PathMode pathMode;
    private final CredentialResolver<P> resolver;
    private final boolean s3;
    private final SigV4Signing.SigningKeyCache signingKeys = new SigV4Signing.SigningKeyCache(MAX_SIGNING_KEYS);

    private SigV4Verifier(Builder<P> builder, PathMode pathMode) {
        this.service = Objects.requireNonNull(builder.service, "service cannot be null");
        this.region = Objects.requireNonNull(builder.region, "region cannot be null");
        this.clock = builder.clock;
        this.maxClockSkew = builder.maxClockSkew;
        this.pathMode = pathMode;
        this.resolver = builder.resolver;
        this.s3 = service.equals("s3");
    }

    /** Starts a verifier that looks keys up with {@code resolver}; service and region are required. */
    public static <P> Builder<P> builder(CredentialResolver<P> resolver) {
        return new Builder<>(resolver);
    }

    /**
     * Returns the verified caller, or throws; never a boolean that can be ignored.
     *
     * @throws SignatureException with the {@link Reason} of the first failed check and AWS's message for it
     */
    public VerifiedCaller<P> verify(SignedRequest request) throws SignatureException {
        return verify(request, true);
    }

    /**
     * Like {@link #verify}, but leaves the body to the caller, for services that stream it (S3): the request's body is
     * not read (pass an empty one). The caller must then compare a declared hex {@code x-amz-content-sha256} with the
     * body as it arrives, and check an {@code aws-chunked} body's signatures with
     * {@link VerifiedCaller#chunkSignatures()}. A request with no {@code x-amz-content-sha256} is verified as if its
     * body were the one passed.
     *
     * @throws SignatureException with the {@link Reason} of the first failed check and AWS's message for it
     */
    public VerifiedCaller<P> verifyDeferringPayload(SignedRequest request) throws SignatureException {
        return verify(request, false);
    }

    private VerifiedCaller<P> verify(SignedRequest request, boolean checkBody) throws SignatureException {
        try {
            return check(request, checkBody);
        } catch (SignatureException e) {
            LOG.debug("SigV4 verification failed: {}", e.reason());
            throw e;
        }
    }

    private VerifiedCaller<P> check(SignedRequest request, boolean checkBody) throws SignatureException {
        List<QueryParameter> query = SigV4Canonicalizer.parseQuery(request.rawQuery());
        ClaimedAuthorization auth = AuthorizationParser.parse(request, query);
        Instant now = clock.instant();
        checkTime(auth, now);
        checkSignedHeaders(auth, request);
        if (!auth.algorithm().equals(ALGORITHM)) {
            throw new SignatureException(
                    Reason.UNSUPPORTED_ALGORITHM,
                    "Unsupported AWS 'algorithm': '" + auth.algorithm() + "' (only " + ALGORITHM + " for now). ");
        }
        String[] credential = credentialParts(auth.credential());
        CredentialScope scope = checkScope(credential, auth);
        String accessKeyId = credential[0];
        SigningCredential<P> signingCredential = resolve(accessKeyId, auth, now);
        byte[] signingKey = signingKeys.signingKey(accessKeyId, signingCredential.secretKey(), scope);
        checkSignature(request, query, auth, scope, signingKey);
        if (checkBody) {
            checkDeclaredBodyHash(request);
        }
        ChunkSignatureChain chain = null;
        if (s3
                && request.header("x-amz-content-sha256")
                        .map(String::trim)
                        .filter(value -> value.startsWith("STREAMING-AWS4-HMAC-SHA256-PAYLOAD"))
                        .isPresent()) {
            // The chain keeps its own copy: the derived key may be the shared cached one.
            chain = new ChunkSignatureChain(signingKey, auth.amzDate(), scope, auth.signature());
        }
        return new VerifiedCaller<>(
                accessKeyId,
                scope,
                auth.signedHeaders(),
                auth.sessionToken(),
                auth.requestTime(),
                auth.presigned(),
                signingCredential.principal(),
                chain);
    }

    private SigningCredential<P> resolve(String accessKeyId, ClaimedAuthorization auth, Instant now)
            throws SignatureException {
        return Credentials.resolve(resolver, accessKeyId, auth.sessionToken(), now);
    }

    private void checkSignature(
            SignedRequest request,
            List<QueryParameter> query,
            ClaimedAuthorization auth,
            CredentialScope scope,
            byte[] signingKey)
            throws SignatureException {
        boolean matched = false;
        List<String> payloadHashes = payloadHashes(request, auth);
        for (String payloadHash : payloadHashes) {
            byte[] canonicalHash = canonicalRequestHash(request, query, auth, payloadHash);
            byte[] expected = writeStringToSign(CanonicalBytes.start(), auth, scope, canonicalHash)
                    .hmac(signingKey);
            matched |= SigV4Signing.hexEquals(expected, auth.signature());
        }
        if (!matched) {
            // The first candidate is the payload hash the request states (or computes), the one a signer would have
            // used.
            String canonical = canonicalRequest(request, query, auth, payloadHashes.get(0));
            throw SignatureException.mismatch(
                    "The request signature we calculated does not match the "
                            + "signature you provided. Check your AWS Secret Access Key and signing method. "
                            + "Consult the service documentation for details.",
                    canonical,
                    stringToSign(auth, scope, canonical));
        }
    }

    /**
     * The SHA-256 of the canonical request, written as bytes: the same bytes as {@link #canonicalRequest}'s string in
     * UTF-8, without building it.
     */
    private byte[] canonicalRequestHash(
            SignedRequest request, List<QueryParameter> query, ClaimedAuthorization auth, String payloadHash) {
        CanonicalBytes out = CanonicalBytes.start();
        out.append(request.method()).append('\n');
        String path = request.rawPath();
        if (SigV4Canonicalizer.isCanonicalUri(path)) {
            out.append(path);
        } else {
            out.append(SigV4Canonicalizer.canonicalUri(path, pathMode));
        }
        out.append('\n');
        if (!query.isEmpty()) {
            SigV4Canonicalizer.writeCanonicalQuery(
                    out, query, auth.presigned() ? AuthorizationParser.X_AMZ_SIGNATURE : null);
        }
        out.append('\n');
        List<String> signedHeaders = auth.signedHeaders();
        for (String name : signedHeaders) {
            out.append(name).append(':');
            List<String> values = request.values(name);
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(SigV4Canonicalizer.trimAll(values.get(i))); // no copy when already trimmed
            }
            out.append('\n');
        }
        out.append('\n');
        for (int i = 0; i < signedHeaders.size(); i++) {
            if (i > 0) {
                out.append(';');
            }
            out.append(signedHeaders.get(i));
        }
        return out.append('\n').append(payloadHash).sha256();
    }

    /** Writes the string to sign, as {@link #stringToSign(ClaimedAuthorization, CredentialScope, String)} builds it. */
    private static CanonicalBytes writeStringToSign(
            CanonicalBytes out, ClaimedAuthorization auth, CredentialScope scope, byte[] canonicalHash) {
        return out.append(ALGORITHM)
                .append('\n')
                .append(auth.amzDate())
                .append('\n')
                .append(scope.date())
                .append('/')
                .append(scope.region())
                .append('/')
                .append(scope.service())
                .append('/')
                .append(CredentialScope.TERMINATOR)
                .append('\n')
                .appendHex(canonicalHash);
    }

    /** The canonical request the signer must have built (parses the authentication, checks nothing else). */
    String canonicalRequest(SignedRequest request) throws SignatureException {
        List<QueryParameter> query = SigV4Canonicalizer.parseQuery(request.rawQuery());
        ClaimedAuthorization auth = AuthorizationParser.parse(request, query);
        return canonicalRequest(
                request, query, auth, payloadHashes(request, auth).get(0));
    }

    /** The SHA-256 of the canonical request as the verifier hashes it, from bytes (tests compare it with the string). */
    byte[] canonicalRequestHash(SignedRequest request) throws SignatureException {
        List<QueryParameter> query = SigV4Canonicalizer.parseQuery(request.rawQuery());
        ClaimedAuthorization auth = AuthorizationParser.parse(request, query);
        return canonicalRequestHash(
                request, query, auth, payloadHashes(request, auth).get(0));
    }

    /** The string to sign for the request, with the scope as the request states it. */
    String stringToSign(SignedRequest request) throws SignatureException {
        List<QueryParameter> query = SigV4Canonicalizer.parseQuery(request.rawQuery());
        ClaimedAuthorization auth = AuthorizationParser.parse(request, query);
        String[] credential = credentialParts(auth.credential());
        CredentialScope scope = new CredentialScope(credential[1], credential[2], credential[3]);
        return stringToSign(
                auth,
                scope,
                canonicalRequest(
                        request, query, auth, payloadHashes(request, auth).get(0)));
    }

    private static String stringToSign(ClaimedAuthorization auth, CredentialScope scope, String canonicalRequest) {
        return ALGORITHM + "\n" + auth.amzDate() + "\n" + scope + "\n"
                + SigV4Signing.sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
    }

    private String canonicalRequest(
            SignedRequest request, List<QueryParameter> query, ClaimedAuthorization auth, String payloadHash) {
        String canonicalQuery =
                SigV4Canonicalizer.canonicalQuery(query, auth.presigned() ? AuthorizationParser.X_AMZ_SIGNATURE : null);
        return request.method() + "\n"
                + SigV4Canonicalizer.canonicalUri(request.rawPath(), pathMode) + "\n"
                + canonicalQuery + "\n"
                + SigV4Canonicalizer.canonicalHeaders(request, auth.signedHeaders()) + "\n"
                + String.join(";", auth.signedHeaders()) + "\n"
                + payloadHash;
    }

    /**
     * The payload hashes the signer may have used, most likely first: the declared {@code x-amz-content-sha256}, else
     * the body's SHA-256. An S3 presigned URL is normally signed with {@code UNSIGNED-PAYLOAD}, but the Java SDK signer
     * uses the body hash on plain HTTP, so both are tried.
     */
    private List<String> payloadHashes(SignedRequest request, ClaimedAuthorization auth) throws SignatureException {
        String declared = request.first("x-amz-content-sha256");
        if (declared != null) {
            String value = declared.trim();
            if ((s3 && (value.equals(UNSIGNED_PAYLOAD) || STREAMING_PAYLOADS.contains(value))) || isSha256Hex(value)) {
                return List.of(value);
            }
            throw new SignatureException(
                    Reason.UNSUPPORTED_CONTENT_SHA256,
                    s3
                            ? "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, or a valid sha256 value."
                            : "x-amz-content-sha256 must be a valid sha256 value.");
        }
        String bodyHash = SigV4Signing.sha256Hex(request.body());
        return s3 && auth.presigned() ? List.of(UNSIGNED_PAYLOAD, bodyHash) : List.of(bodyHash);
    }

    /** A declared body hash is signed, but says nothing about the body until compared with it. */
    private static void checkDeclaredBodyHash(SignedRequest request) throws SignatureException {
        String declared = request.first("x-amz-content-sha256");
        if (declared == null) {
            return;
        }
        declared = declared.trim();
        if (isSha256Hex(declared) && !declared.equalsIgnoreCase(SigV4Signing.sha256Hex(request.body()))) {
            throw new SignatureException(
                    Reason.CONTENT_SHA256_MISMATCH,
                    "The provided 'x-amz-content-sha256' header does not match what was computed.");
        }
    }

    private static boolean isSha256Hex(String value) {
        if (value.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            if (Character.digit(value.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private void checkTime(ClaimedAuthorization auth, Instant now) throws SignatureException {
        Instant latest = now.plus(maxClockSkew);
        Instant earliest = now.minus(maxClockSkew);
        long minutes = maxClockSkew.toMinutes();
        // Boundary: a request time exactly maxClockSkew away from now (either way) is accepted; one second more is not.
        if (auth.requestTime().isAfter(latest)) {
            throw new SignatureException(
                    Reason.SIGNATURE_NOT_YET_CURRENT,
                    "Signature not yet current: " + auth.amzDate() + " is still later than " + AmzDates.format(latest)
                            + " (" + AmzDates.format(now) + " + " + minutes + " min.)");
        }
        if (auth.presigned()) {
            // Boundary: a presigned URL is valid through the instant X-Amz-Date + X-Amz-Expires, and not after it.
            if (now.isAfter(auth.requestTime().plusSeconds(auth.expiresSeconds()))) {
                throw new SignatureException(Reason.PRESIGN_EXPIRED, "Request has expired");
            }
        } else if (auth.requestTime().isBefore(earliest)) {
            throw new SignatureException(
                    Reason.SIGNATURE_EXPIRED,
                    "Signature expired: " + auth.amzDate() + " is now earlier than " + AmzDates.format(earliest) + " ("
                            + AmzDates.format(now) + " - " + minutes + " min.)");
        }
    }

    private void checkSignedHeaders(ClaimedAuthorization auth, SignedRequest request) throws SignatureException {
        if (!auth.signedHeaders().contains("host")) {
            throw new SignatureException(
                    Reason.HOST_NOT_SIGNED, "'Host' must be a 'SignedHeader' in the AWS Authorization.");
        }
        if (s3
                && request.headers().keySet().stream()
                        .anyMatch(name -> name.startsWith("x-amz-")
                                && !auth.signedHeaders().contains(name))) {
            throw new SignatureException(
                    Reason.UNSIGNED_HEADERS, "There were headers present in the request which were not signed");
        }
    }

    /** The five {@code /}-separated elements of a credential (trailing slashes ignored), or MALFORMED_CREDENTIAL. */
    static String[] credentialParts(String credential) throws SignatureException {
        int end = credential.length();
        while (end > 0 && credential.charAt(end - 1) == '/') {
            end--; // AWS ignores trailing slashes here
        }
        String[] parts = new String[5];
        int count = 0;
        int start = 0;
        for (int i = 0; i <= end; i++) {
            if (i == end || credential.charAt(i) == '/') {
                if (count == 5) {
                    count++; // a sixth element
                    break;
                }
                parts[count++] = credential.substring(start, i);
                start = i + 1;
            }
        }
        if (count != 5) {
            throw new SignatureException(
                    Reason.MALFORMED_CREDENTIAL,
                    "Credential must have exactly 5 slash-delimited elements, "
                            + "e.g. keyid/date/region/service/term, got '" + credential + "'");
        }
        return parts;
    }

    /** Reports every scope mismatch in one message, as AWS does; the reason is the first one. */
    private CredentialScope checkScope(String[] credential, ClaimedAuthorization auth) throws SignatureException {
        String amzDate = auth.amzDate();
        if (credential[2].equals(region)
                && credential[3].equals(service)
                && credential[4].equals(CredentialScope.TERMINATOR)
                && credential[1].length() == 8
                && amzDate.startsWith(credential[1])) {
            return new CredentialScope(credential[1], region, service);
        }
        StringBuilder message = new StringBuilder();
        List<Reason> reasons = new ArrayList<>();
        if (!credential[2].equals(region)) {
            reasons.add(Reason.WRONG_REGION);
            message.append("Credential should be scoped to a valid region, not '")
                    .append(credential[2])
                    .append("'. ");
        }
        if (!credential[3].equals(service)) {
            reasons.add(Reason.WRONG_SERVICE);
            message.append("Credential should be scoped to correct service: '")
                    .append(service)
                    .append("'. ");
        }
        if (!credential[4].equals(CredentialScope.TERMINATOR)) {
            reasons.add(Reason.WRONG_TERMINATOR);
            message.append("Credential should be scoped with a valid terminator: '")
                    .append(CredentialScope.TERMINATOR)
                    .append("', not '")
                    .append(credential[4])
                    .append("'. ");
        }
        String requestDay = auth.amzDate().substring(0, 8);
        if (!credential[1].equals(requestDay)) {
            reasons.add(Reason.SCOPE_DATE_MISMATCH);
            message.append(
                            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '")
                    .append(credential[1])
                    .append("' != '")
                    .append(requestDay)
                    .append("', from '")
                    .append(auth.amzDate())
                    .append("'.");
        }
        if (!reasons.isEmpty()) {
            throw new SignatureException(reasons.get(0), message.toString());
        }
        return new CredentialScope(credential[1], credential[2], credential[3]);
    }

    /** The first index in {@code [start, end)} that {@link String#trim} would keep, or {@code end}. */
    private static int trimStart(String value, int start, int end) {
        int i = start;
        while (i < end && value.charAt(i) <= ' ') {
            i++;
        }
        return i;
    }

    /** One past the last index in {@code [start, end)} that {@link String#trim} would keep, or {@code start}. */
    private static int trimEnd(String value, int start, int end) {
        int i = end;
        while (i > start && value.charAt(i - 1) <= ' ') {
            i--;
        }
        return i;
    }

    /** The names in {@code SignedHeaders}: split at {@code ;}, trimmed, lower-cased, empty ones dropped. */
    static List<String> signedHeaders(String value) {
        List<String> names = new ArrayList<>(8);
        int length = value.length();
        int start = 0;
        while (true) {
            int semicolon = value.indexOf(';', start);
            int end = semicolon < 0 ? length : semicolon;
            int from = trimStart(value, start, end);
            int to = trimEnd(value, from, end);
            if (from < to) {
                names.add(value.substring(from, to).toLowerCase(Locale.ROOT));
            }
            if (semicolon < 0) {
                return List.copyOf(names);
            }
            start = semicolon + 1;
        }
    }

    /** Builds a {@link SigV4Verifier}; service and region are required, everything else has a secure default. */
    public static final class Builder<P> {

        private final CredentialResolver<P> resolver;
        private @Nullable String service;
        private @Nullable String region;
        private Clock clock = Clock.systemUTC();
        private Duration maxClockSkew = Duration.ofMinutes(5);
        private @Nullable PathMode pathMode;

        private Builder(CredentialResolver<P> resolver) {
            this.resolver = Objects.requireNonNull(resolver, "resolver cannot be null");
        }

        /** The signing name the credential scope must carry: {@code cognito-idp}, {@code execute-api}, {@code s3}… */
        public Builder<P> service(String service) {
            this.service = Objects.requireNonNull(service, "service cannot be null");
            return this;
        }

        /** The region the credential scope must carry, such as {@code us-east-1}. */
        public Builder<P> region(String region) {
            this.region = Objects.requireNonNull(region, "region cannot be null");
            return this;
        }

        /** The clock request times are checked against; default the system UTC clock. */
        public Builder<P> clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock cannot be null");
            return this;
        }

        /** How far a request time may be from now, either way; whole minutes, default 5 (S3 and DynamoDB use 15). */
        public Builder<P> maxClockSkew(Duration maxClockSkew) {
            this.maxClockSkew = Objects.requireNonNull(maxClockSkew, "maxClockSkew cannot be null");
            return this;
        }

        /**
         * Overrides the canonical-URI rule; default {@link PathMode#AS_SENT} for {@code s3}, else normalised and
         * double-encoded.
         */
        public Builder<P> pathMode(PathMode pathMode) {
            this.pathMode = Objects.requireNonNull(pathMode, "pathMode cannot be null");
            return this;
        }

        public SigV4Verifier<P> build() {
            if (service == null || service.isBlank()) {
                throw new IllegalStateException("service must be set");
            }
            if (region == null || region.isBlank()) {
                throw new IllegalStateException("region must be set");
            }
            boolean wholeMinutes = maxClockSkew.equals(Duration.ofMinutes(maxClockSkew.toMinutes()));
            if (maxClockSkew.isNegative() || maxClockSkew.isZero() || !wholeMinutes) {
                throw new IllegalStateException(
                        "maxClockSkew must be a positive number of whole minutes, not " + maxClockSkew);
            }
            PathMode mode = pathMode != null
                    ? pathMode
                    : service.equals("s3") ? PathMode.AS_SENT : PathMode.NORMALIZED_DOUBLE_ENCODED;
            return new SigV4Verifier<>(this, mode);
        }
    }
}
