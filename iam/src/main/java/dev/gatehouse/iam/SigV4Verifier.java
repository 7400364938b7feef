package dev.gatehouse.iam;

import dev.gatehouse.iam.SigV4Canonicalizer.QueryParameter;
import dev.gatehouse.iam.SignatureException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies AWS Signature Version 4 on a request, in the {@code Authorization} header or in a presigned query string.
 *
 * <p>Design note. {@link #verify} runs the checks in the order AWS services report them, so a client sees the same
 * error AWS would give it: which authentication is used (neither: {@code MISSING_AUTHENTICATION}; both:
 * {@code AMBIGUOUS_AUTHENTICATION}), required parts present, date format, clock skew (or presign window),
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
  static final List<String> STREAMING_PAYLOADS = List.of("STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
      "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", "STREAMING-UNSIGNED-PAYLOAD-TRAILER");
  /** The longest {@code X-Amz-Expires} AWS accepts: 7 days. */
  static final long MAX_PRESIGN_SECONDS = 604_800;
  /** Derived signing keys kept (one per access key and day); a miss costs four HMACs. */
  private static final int MAX_SIGNING_KEYS = 4096;

  private static final Logger LOG = LoggerFactory.getLogger(SigV4Verifier.class);
  private static final DateTimeFormatter BASIC_FORMAT =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'", Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);
  private static final DateTimeFormatter HTTP_DATE_FORMAT =
      DateTimeFormatter.ofPattern("d MMM uuuu HH:mm:ss 'GMT'", Locale.ENGLISH).withResolverStyle(ResolverStyle.STRICT);
  private static final String X_AMZ_SIGNATURE = "X-Amz-Signature";
  private static final List<String> QUERY_PARAMETERS = List.of("X-Amz-Algorithm", "X-Amz-Credential", X_AMZ_SIGNATURE,
      "X-Amz-SignedHeaders", "X-Amz-Date", "X-Amz-Expires");

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
    Authorization auth = authorization(request, query);
    Instant now = clock.instant();
    checkTime(auth, now);
    checkSignedHeaders(auth, request);
    if (!auth.algorithm().equals(ALGORITHM)) {
      throw new SignatureException(Reason.UNSUPPORTED_ALGORITHM,
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
    if (s3 && request.header("x-amz-content-sha256").map(String::trim)
        .filter(value -> value.startsWith("STREAMING-AWS4-HMAC-SHA256-PAYLOAD")).isPresent()) {
      // The chain keeps its own copy: the derived key may be the shared cached one.
      chain = new ChunkSignatureChain(signingKey, auth.amzDate(), scope, auth.signature());
    }
    return new VerifiedCaller<>(accessKeyId, scope, auth.signedHeaders(), auth.sessionToken(), auth.requestTime(),
        auth.presigned(), signingCredential.principal(), chain);
  }

  private SigningCredential<P> resolve(String accessKeyId, Authorization auth, Instant now) throws SignatureException {
    SigningCredential<P> credential = resolver.resolve(accessKeyId, auth.sessionToken())
        .orElseThrow(() -> new SignatureException(Reason.UNKNOWN_ACCESS_KEY,
            "The security token included in the request is invalid."));
    // Temporary credentials are refused from their expiration instant on.
    Optional<Instant> expiration = credential.expiration();
    if (expiration.isPresent() && !now.isBefore(expiration.get())) {
      throw new SignatureException(Reason.EXPIRED_TOKEN, "The security token included in the request is expired");
    }
    return credential;
  }

  private void checkSignature(SignedRequest request, List<QueryParameter> query, Authorization auth,
      CredentialScope scope, byte[] signingKey) throws SignatureException {
    boolean matched = false;
    List<String> payloadHashes = payloadHashes(request, auth);
    for (String payloadHash : payloadHashes) {
      byte[] canonicalHash = canonicalRequestHash(request, query, auth, payloadHash);
      byte[] expected = writeStringToSign(CanonicalBytes.start(), auth, scope, canonicalHash).hmac(signingKey);
      matched |= SigV4Signing.hexEquals(expected, auth.signature());
    }
    if (!matched) {
      // The first candidate is the payload hash the request states (or computes), the one a signer would have used.
      String canonical = canonicalRequest(request, query, auth, payloadHashes.get(0));
      throw SignatureException.mismatch("The request signature we calculated does not match the "
          + "signature you provided. Check your AWS Secret Access Key and signing method. "
          + "Consult the service documentation for details.", canonical, stringToSign(auth, scope, canonical));
    }
  }

  /**
   * The SHA-256 of the canonical request, written as bytes: the same bytes as {@link #canonicalRequest}'s string in
   * UTF-8, without building it.
   */
  private byte[] canonicalRequestHash(SignedRequest request, List<QueryParameter> query, Authorization auth,
      String payloadHash) {
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
      out.append(SigV4Canonicalizer.canonicalQuery(query, auth.presigned() ? X_AMZ_SIGNATURE : null));
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

  /** Writes the string to sign, as {@link #stringToSign(Authorization, CredentialScope, String)} builds it. */
  private static CanonicalBytes writeStringToSign(CanonicalBytes out, Authorization auth, CredentialScope scope,
      byte[] canonicalHash) {
    return out.append(ALGORITHM).append('\n').append(auth.amzDate()).append('\n')
        .append(scope.date()).append('/').append(scope.region()).append('/').append(scope.service()).append('/')
        .append(CredentialScope.TERMINATOR).append('\n')
        .appendHex(canonicalHash);
  }

  /** The canonical request the signer must have built (parses the authentication, checks nothing else). */
  String canonicalRequest(SignedRequest request) throws SignatureException {
    List<QueryParameter> query = SigV4Canonicalizer.parseQuery(request.rawQuery());
    Authorization auth = authorization(request, query);
    return canonicalRequest(request, query, auth, payloadHashes(request, auth).get(0));
  }

  /** The SHA-256 of the canonical request as the verifier hashes it, from bytes (tests compare it with the string). */
  byte[] canonicalRequestHash(SignedRequest request) throws SignatureException {
    List<QueryParameter> query = SigV4Canonicalizer.parseQuery(request.rawQuery());
    Authorization auth = authorization(request, query);
    return canonicalRequestHash(request, query, auth, payloadHashes(request, auth).get(0));
  }

  /** The string to sign for the request, with the scope as the request states it. */
  String stringToSign(SignedRequest request) throws SignatureException {
    List<QueryParameter> query = SigV4Canonicalizer.parseQuery(request.rawQuery());
    Authorization auth = authorization(request, query);
    String[] credential = credentialParts(auth.credential());
    CredentialScope scope = new CredentialScope(credential[1], credential[2], credential[3]);
    return stringToSign(auth, scope, canonicalRequest(request, query, auth, payloadHashes(request, auth).get(0)));
  }

  private static String stringToSign(Authorization auth, CredentialScope scope, String canonicalRequest) {
    return ALGORITHM + "\n" + auth.amzDate() + "\n" + scope + "\n"
        + SigV4Signing.sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
  }

  private String canonicalRequest(SignedRequest request, List<QueryParameter> query, Authorization auth,
      String payloadHash) {
    String canonicalQuery = SigV4Canonicalizer.canonicalQuery(query, auth.presigned() ? X_AMZ_SIGNATURE : null);
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
  private List<String> payloadHashes(SignedRequest request, Authorization auth) throws SignatureException {
    String declared = request.first("x-amz-content-sha256");
    if (declared != null) {
      String value = declared.trim();
      if ((s3 && (value.equals(UNSIGNED_PAYLOAD) || STREAMING_PAYLOADS.contains(value))) || isSha256Hex(value)) {
        return List.of(value);
      }
      throw new SignatureException(Reason.UNSUPPORTED_CONTENT_SHA256, s3
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
      throw new SignatureException(Reason.CONTENT_SHA256_MISMATCH,
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

  private void checkTime(Authorization auth, Instant now) throws SignatureException {
    Instant latest = now.plus(maxClockSkew);
    Instant earliest = now.minus(maxClockSkew);
    long minutes = maxClockSkew.toMinutes();
    // Boundary: a request time exactly maxClockSkew away from now (either way) is accepted; one second more is not.
    if (auth.requestTime().isAfter(latest)) {
      throw new SignatureException(Reason.SIGNATURE_NOT_YET_CURRENT, "Signature not yet current: " + auth.amzDate()
          + " is still later than " + format(latest) + " (" + format(now) + " + " + minutes + " min.)");
    }
    if (auth.presigned()) {
      // Boundary: a presigned URL is valid through the instant X-Amz-Date + X-Amz-Expires, and not after it.
      if (now.isAfter(auth.requestTime().plusSeconds(auth.expiresSeconds()))) {
        throw new SignatureException(Reason.PRESIGN_EXPIRED, "Request has expired");
      }
    } else if (auth.requestTime().isBefore(earliest)) {
      throw new SignatureException(Reason.SIGNATURE_EXPIRED, "Signature expired: " + auth.amzDate()
          + " is now earlier than " + format(earliest) + " (" + format(now) + " - " + minutes + " min.)");
    }
  }

  private void checkSignedHeaders(Authorization auth, SignedRequest request) throws SignatureException {
    if (!auth.signedHeaders().contains("host")) {
      throw new SignatureException(Reason.HOST_NOT_SIGNED, "'Host' must be a 'SignedHeader' in the AWS Authorization.");
    }
    if (s3 && request.headers().keySet().stream()
        .anyMatch(name -> name.startsWith("x-amz-") && !auth.signedHeaders().contains(name))) {
      throw new SignatureException(Reason.UNSIGNED_HEADERS,
          "There were headers present in the request which were not signed");
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
      throw new SignatureException(Reason.MALFORMED_CREDENTIAL, "Credential must have exactly 5 slash-delimited elements, "
          + "e.g. keyid/date/region/service/term, got '" + credential + "'");
    }
    return parts;
  }

  /** Reports every scope mismatch in one message, as AWS does; the reason is the first one. */
  private CredentialScope checkScope(String[] credential, Authorization auth) throws SignatureException {
    String amzDate = auth.amzDate();
    if (credential[2].equals(region) && credential[3].equals(service) && credential[4].equals(CredentialScope.TERMINATOR)
        && credential[1].length() == 8 && amzDate.startsWith(credential[1])) {
      return new CredentialScope(credential[1], region, service);
    }
    StringBuilder message = new StringBuilder();
    List<Reason> reasons = new ArrayList<>();
    if (!credential[2].equals(region)) {
      reasons.add(Reason.WRONG_REGION);
      message.append("Credential should be scoped to a valid region, not '").append(credential[2]).append("'. ");
    }
    if (!credential[3].equals(service)) {
      reasons.add(Reason.WRONG_SERVICE);
      message.append("Credential should be scoped to correct service: '").append(service).append("'. ");
    }
    if (!credential[4].equals(CredentialScope.TERMINATOR)) {
      reasons.add(Reason.WRONG_TERMINATOR);
      message.append("Credential should be scoped with a valid terminator: '").append(CredentialScope.TERMINATOR)
          .append("', not '").append(credential[4]).append("'. ");
    }
    String requestDay = auth.amzDate().substring(0, 8);
    if (!credential[1].equals(requestDay)) {
      reasons.add(Reason.SCOPE_DATE_MISMATCH);
      message.append("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '")
          .append(credential[1]).append("' != '").append(requestDay).append("', from '").append(auth.amzDate()).append("'.");
    }
    if (!reasons.isEmpty()) {
      throw new SignatureException(reasons.get(0), message.toString());
    }
    return new CredentialScope(credential[1], credential[2], credential[3]);
  }

  private static Authorization authorization(SignedRequest request, List<QueryParameter> query)
      throws SignatureException {
    Map<String, String> params = query.isEmpty() ? Map.of() : new LinkedHashMap<>();
    for (QueryParameter parameter : query) {
      params.putIfAbsent(parameter.name(), parameter.value());
    }
    boolean header = request.first("authorization") != null;
    boolean presigned = params.containsKey("X-Amz-Algorithm") || params.containsKey("X-Amz-Credential")
        || params.containsKey(X_AMZ_SIGNATURE);
    if (header && presigned) {
      throw new SignatureException(Reason.AMBIGUOUS_AUTHENTICATION, "Only one auth mechanism allowed; only the "
          + "X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be "
          + "specified");
    }
    if (header) {
      return headerAuthorization(request);
    }
    if (presigned) {
      return queryAuthorization(request, params);
    }
    throw new SignatureException(Reason.MISSING_AUTHENTICATION, "Missing Authentication Token");
  }

  private static Authorization headerAuthorization(SignedRequest request) throws SignatureException {
    String value = Objects.requireNonNull(request.first("authorization"), "authorization").trim();
    int space = indexOfWhitespace(value);
    String algorithm = space < 0 ? value : value.substring(0, space);
    AuthorizationParts parts = AuthorizationParts.parse(value, space < 0 ? value.length() : space + 1);
    String amzDate = request.first("x-amz-date");
    String date = amzDate != null ? amzDate : request.first("date");
    StringBuilder missing = new StringBuilder();
    if (parts.credential == null || parts.credential.isEmpty()) {
      missing.append("Authorization header requires 'Credential' parameter. ");
    }
    if (parts.signature == null || parts.signature.isEmpty()) {
      missing.append("Authorization header requires 'Signature' parameter. ");
    }
    if (parts.signedHeaders == null) {
      missing.append("Authorization header requires 'SignedHeaders' parameter. ");
    }
    if (date == null) {
      missing.append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ");
    }
    if (missing.length() > 0 || date == null || parts.credential == null || parts.signature == null
        || parts.signedHeaders == null) {
      throw new SignatureException(Reason.INCOMPLETE_SIGNATURE, missing.toString().trim());
    }
    date = date.trim();
    Instant requestTime = parseDate(date, amzDate == null);
    return new Authorization(false, algorithm, parts.credential, signedHeaders(parts.signedHeaders), parts.signature,
        amzDate(date, requestTime), requestTime, 0, request.first("x-amz-security-token"));
  }

  /**
   * The {@code name=value} pairs after the algorithm in an {@code Authorization} header, read without splitting: pairs
   * are separated by {@code ,}; a pair needs an {@code =} after at least one character; name and value are trimmed
   * ({@link String#trim}); the first pair of a name counts. Only the three names SigV4 uses are kept.
   */
  static final class AuthorizationParts {
    private @Nullable String credential;
    private @Nullable String signature;
    private @Nullable String signedHeaders;

    /** Parses {@code value} from {@code from} on. */
    static AuthorizationParts parse(String value, int from) {
      AuthorizationParts parts = new AuthorizationParts();
      int length = value.length();
      int start = from;
      while (start < length) {
        int comma = value.indexOf(',', start);
        int end = comma < 0 ? length : comma;
        int eq = value.indexOf('=', start);
        if (eq > start && eq < end) {
          parts.put(value, start, eq, end);
        }
        if (comma < 0) {
          break;
        }
        start = comma + 1;
      }
      return parts;
    }

    private void put(String value, int start, int eq, int end) {
      int nameStart = trimStart(value, start, eq);
      int nameEnd = trimEnd(value, nameStart, eq);
      int nameLength = nameEnd - nameStart;
      if (credential == null && matches(value, nameStart, nameLength, "Credential")) {
        credential = trimmed(value, eq + 1, end);
      } else if (signature == null && matches(value, nameStart, nameLength, "Signature")) {
        signature = trimmed(value, eq + 1, end);
      } else if (signedHeaders == null && matches(value, nameStart, nameLength, "SignedHeaders")) {
        signedHeaders = trimmed(value, eq + 1, end);
      }
    }

    @Nullable String credential() {
      return credential;
    }

    @Nullable String signature() {
      return signature;
    }

    @Nullable String signedHeaders() {
      return signedHeaders;
    }

    private static boolean matches(String value, int start, int length, String name) {
      return length == name.length() && value.startsWith(name, start);
    }

    private static String trimmed(String value, int start, int end) {
      int from = trimStart(value, start, end);
      return value.substring(from, trimEnd(value, from, end));
    }
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

  private static Authorization queryAuthorization(SignedRequest request, Map<String, String> params)
      throws SignatureException {
    StringBuilder missing = new StringBuilder();
    for (String name : QUERY_PARAMETERS) {
      if (params.getOrDefault(name, "").isEmpty()) {
        missing.append("AWS query-string parameters must include '").append(name).append("'. ");
      }
    }
    if (missing.length() > 0) {
      throw new SignatureException(Reason.INCOMPLETE_SIGNATURE, missing + "Re-examine the query-string parameters.");
    }
    Instant requestTime = parseDate(require(params, "X-Amz-Date"), false);
    long expires = expiresSeconds(require(params, "X-Amz-Expires"));
    String sessionToken = Optional.ofNullable(params.get("X-Amz-Security-Token"))
        .or(() -> request.header("x-amz-security-token")).orElse(null);
    return new Authorization(true, require(params, "X-Amz-Algorithm"), require(params, "X-Amz-Credential"),
        signedHeaders(require(params, "X-Amz-SignedHeaders")), require(params, X_AMZ_SIGNATURE),
        amzDate(require(params, "X-Amz-Date"), requestTime),
        requestTime, expires, sessionToken);
  }

  private static String require(Map<String, String> map, String key) {
    return Objects.requireNonNull(map.get(key), key);
  }

  private static long expiresSeconds(String value) throws SignatureException {
    long seconds;
    try {
      seconds = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new SignatureException(Reason.AUTHORIZATION_QUERY_PARAMETERS, "X-Amz-Expires should be a number");
    }
    if (seconds < 0) {
      throw new SignatureException(Reason.AUTHORIZATION_QUERY_PARAMETERS, "X-Amz-Expires must be non-negative");
    }
    if (seconds == 0) {
      throw new SignatureException(Reason.AUTHORIZATION_QUERY_PARAMETERS, "X-Amz-Expires must be at least 1 second");
    }
    if (seconds > MAX_PRESIGN_SECONDS) {
      throw new SignatureException(Reason.AUTHORIZATION_QUERY_PARAMETERS,
          "X-Amz-Expires must be less than a week (in seconds) that is " + MAX_PRESIGN_SECONDS);
    }
    return seconds;
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

  /** {@code X-Amz-Date} must be ISO-8601 basic format; the {@code Date} fallback may also be an HTTP date. */
  private static Instant parseDate(String value, boolean httpDateAllowed) throws SignatureException {
    Optional<Instant> basic = parseBasic(value);
    if (basic.isPresent()) {
      return basic.get();
    }
    if (httpDateAllowed) {
      try {
        // The day name is ignored: AWS's own test suite sends "Mon, 09 Sep 2011", a Friday.
        String withoutDayName = value.substring(value.indexOf(',') + 1).trim();
        return LocalDateTime.parse(withoutDayName, HTTP_DATE_FORMAT).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException ignored) {
        // reported below
      }
    }
    throw new SignatureException(Reason.MALFORMED_DATE, "Date must be in ISO-8601 'basic format'. Got '" + value
        + "'. See http://en.wikipedia.org/wiki/ISO_8601");
  }

  /**
   * {@code uuuuMMdd'T'HHmmss'Z'}, strictly (as {@link #BASIC_FORMAT} with the strict resolver: ASCII digits only, real
   * calendar dates, hours 00-23, seconds 00-59), without the formatter's cost on every signed request.
   */
  static Optional<Instant> parseBasic(String value) {
    if (!basicShape(value)) {
      return Optional.empty();
    }
    int year = digits(value, 0, 4);
    int month = digits(value, 4, 2);
    int day = digits(value, 6, 2);
    int hour = digits(value, 9, 2);
    int minute = digits(value, 11, 2);
    int second = digits(value, 13, 2);
    if ((year | month | day | hour | minute | second) < 0 || hour > 23 || minute > 59 || second > 59
        || month < 1 || month > 12 || day < 1 || day > YearMonth.of(year, month).lengthOfMonth()) {
      return Optional.empty();
    }
    long epochDay = LocalDate.of(year, month, day).toEpochDay();
    return Optional.of(Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second));
  }

  /** The number in {@code count} ASCII digits from {@code from}; -1 if one is not an ASCII digit. */
  private static int digits(String value, int from, int count) {
    int n = 0;
    for (int i = from; i < from + count; i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }

  /**
   * The request time in basic format, from a value {@link #parseDate} accepted: the value as sent when it has the basic
   * shape (it was then parsed as basic format, and formats to itself), else formatted.
   */
  private static String amzDate(String sent, Instant requestTime) {
    return basicShape(sent) ? sent : format(requestTime);
  }

  private static boolean basicShape(String value) {
    return value.length() == 16 && value.charAt(8) == 'T' && value.charAt(15) == 'Z';
  }

  private static String format(Instant instant) {
    return BASIC_FORMAT.format(LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC));
  }

  private static int indexOfWhitespace(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (Character.isWhitespace(value.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  /** The authentication a request claims, before any of it is checked. */
  record Authorization(boolean presigned, String algorithm, String credential, List<String> signedHeaders,
      String signature, String amzDate, Instant requestTime, long expiresSeconds, @Nullable String sessionToken) {
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

    /** Overrides the canonical-URI rule; default {@link PathMode#AS_SENT} for {@code s3}, else normalised and double-encoded. */
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
        throw new IllegalStateException("maxClockSkew must be a positive number of whole minutes, not " + maxClockSkew);
      }
      PathMode mode = pathMode != null ? pathMode
          : service.equals("s3") ? PathMode.AS_SENT : PathMode.NORMALIZED_DOUBLE_ENCODED;
      return new SigV4Verifier<>(this, mode);
    }
  }
}
