package dev.gatehouse.userpool;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.AESDecrypter;
import com.nimbusds.jose.crypto.AESEncrypter;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.protocol.AwsError;
import dev.gatehouse.protocol.AwsJson;
import dev.gatehouse.protocol.ServiceException;
import dev.gatehouse.store.ItemStore;
import dev.gatehouse.userpool.PoolKeys.Purpose;
import dev.gatehouse.userpool.PoolKeys.SealingKey;
import dev.gatehouse.userpool.PoolKeys.SigningKey;
import dev.gatehouse.userpool.TokenSessions.Session;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Date;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import org.jspecify.annotations.Nullable;

/**
 * Cognito-shaped tokens over the item store: RS256 id and access tokens, sealed refresh tokens, sessions, JWKS.
 *
 * <p>Design. Each sign-in ({@link #issue}) starts a session keyed by a fresh {@code origin_jti} ({@link TokenSessions},
 * table {@code userpool-sessions}) and signs an id token and an access token with the pool's id and access keys
 * ({@link SigningKeyStore}, table {@code userpool-keys}; two key pairs per pool, as Cognito has). The refresh token is
 * a JWE in Cognito's five-part compact shape, {@code A256KW}/{@code A256GCM} under the pool's sealing key, carrying pool,
 * client, username, {@code origin_jti}, {@code auth_time} and {@code exp}: clients cannot read or alter it, and any
 * node holding the store can open it. Revocation deletes the session, which every later refresh reads and every
 * access- or id-token check reads through a 500 ms cache ({@link RecentReads}: a revocation made on this node is seen
 * at once, one made on another node within 500 ms); verified access tokens are memoised until their expiry
 * ({@link VerifiedAccessTokens}, their key re-checked on every hit). docs/caches.md lists every cache.
 *
 * <p>Verification is fail-closed: only {@code RS256}, only a {@code kid} of the pool named by {@code iss} and of the
 * right purpose (an id token's key cannot vouch for an access token), {@code iss} exactly as this service issues it,
 * and no leeway on {@code exp}. Checks that need no secret come after the signature, so a forged token learns nothing.
 *
 * @see <a href="https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html">Verifying a JWT</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc8725">RFC 8725, JWT best current practices</a>
 */
public final class JwtTokenService implements TokenService {

    /** The scope of tokens issued by the user-pool API (InitiateAuth and friends). */
    public static final String USER_ADMIN_SCOPE = "aws.cognito.signin.user.admin";

    /** How long a node serves its cached copy of a key set before reading the store again. */
    public static final Duration DEFAULT_KEY_CACHE_TTL = Duration.ofSeconds(10);

    static final String INVALID_ACCESS = "Invalid Access Token";
    static final String EXPIRED_ACCESS = "Access Token has expired";
    static final String REVOKED_ACCESS = "Access Token has been revoked";
    static final String INVALID_REFRESH = "Invalid Refresh Token";
    static final String EXPIRED_REFRESH = "Refresh Token has expired";
    static final String REVOKED_REFRESH = "Refresh Token has been revoked";
    /** Cognito's words since January 2022 for a refresh token of another client (aws/aws-sdk-js#4016). */
    static final String OTHER_CLIENT_REFRESH = "Refresh Token has different Client";
    /** Identity pools' words for an id token that is not valid (amazon-cognito-identity-js#91). */
    static final String INVALID_ID = "Invalid login token. Couldn't verify signed token.";
    /** Identity pools' words for an expired id token: now, then exp, in epoch seconds (qqaatw/JciHitachiHA#33). */
    static final String EXPIRED_ID = "Invalid login token. Token expired: %d >= %d";

    static final String REVOKED_ID = "Invalid login token. Token has been revoked.";

    /** The model's pattern and length limit for UserPoolId. */
    private static final Pattern POOL_ID = Pattern.compile("[\\w-]+_[0-9a-zA-Z]+");

    private static final int MAX_POOL_ID = 55;
    /** Far above any token this service issues; bounds the parsing work a hostile string can cause. */
    private static final int MAX_TOKEN_CHARS = 16 * 1024;

    private final Clock clock;
    private final Function<String, String> issuer;
    private final SigningKeyStore keys;
    private final TokenSessions sessions;
    private final VerifiedAccessTokens accessTokens;
    private final ObjectMapper json = AwsJson.mapper();

    /**
     * A service over {@code store}.
     *
     * @param issuer the {@code iss} of a pool's tokens, which is also the URL its discovery document is served under:
     *     {@link #issuerUnder} for the local endpoint, {@link #awsIssuer} for the AWS form
     */
    public JwtTokenService(ItemStore store, Clock clock, Function<String, String> issuer) {
        this(store, clock, issuer, new SecureRandom(), DEFAULT_KEY_CACHE_TTL, null);
    }

    /**
     * A service that stores the pools' private and secret keys encrypted under {@code keyEncryptionKey} (AES-256):
     * every node must be given the same key, and a key set written with it cannot be read without it.
     */
    public JwtTokenService(ItemStore store, Clock clock, Function<String, String> issuer, SecretKey keyEncryptionKey) {
        this(store, clock, issuer, new SecureRandom(), DEFAULT_KEY_CACHE_TTL, requireAes256(keyEncryptionKey));
    }

    JwtTokenService(
            ItemStore store,
            Clock clock,
            Function<String, String> issuer,
            SecureRandom random,
            Duration keyCacheTtl,
            @Nullable SecretKey keyEncryptionKey) {
        this(
                store,
                clock,
                issuer,
                new SigningKeyStore(
                        store,
                        clock,
                        Objects.requireNonNull(random, "random cannot be null"),
                        Objects.requireNonNull(keyCacheTtl, "keyCacheTtl cannot be null"),
                        keyEncryptionKey));
    }

    /** Over {@code keys}: tests give a key store that hands out pre-generated RSA key pairs. */
    JwtTokenService(ItemStore store, Clock clock, Function<String, String> issuer, SigningKeyStore keys) {
        Objects.requireNonNull(store, "store cannot be null");
        this.clock = Objects.requireNonNull(clock, "clock cannot be null");
        this.issuer = Objects.requireNonNull(issuer, "issuer cannot be null");
        this.keys = Objects.requireNonNull(keys, "keys cannot be null");
        this.sessions = new TokenSessions(store);
        this.accessTokens = new VerifiedAccessTokens(keys);
    }

    private static SecretKey requireAes256(SecretKey key) {
        Objects.requireNonNull(key, "keyEncryptionKey cannot be null");
        byte[] encoded = key.getEncoded();
        if (!"AES".equals(key.getAlgorithm()) || encoded == null || encoded.length != 32) {
            throw new IllegalArgumentException("keyEncryptionKey must be a 256-bit AES key");
        }
        return key;
    }

    /** Issuers {@code <endpoint>/<poolId>}, such as {@code http://127.0.0.1:9229/us-east-1_AbC123xyz}. */
    public static Function<String, String> issuerUnder(String endpoint) {
        String base = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        return poolId -> base + "/" + poolId;
    }

    /** Cognito's own issuers: {@code https://cognito-idp.<region>.amazonaws.com/<poolId>}. */
    public static Function<String, String> awsIssuer(String region) {
        return issuerUnder("https://cognito-idp." + region + ".amazonaws.com");
    }

    @Override
    public IssuedTokens issue(TokenSubject subject, TokenClient client, Instant authTime) {
        requirePoolId(subject.userPoolId());
        Instant now = now();
        Instant auth = authTime.truncatedTo(ChronoUnit.SECONDS);
        String originJti = UUID.randomUUID().toString();
        Session session = new Session(
                subject.userPoolId(),
                subject.username(),
                originJti,
                client.clientId(),
                auth,
                now.plus(client.refreshTokenValidity()));
        PoolKeys poolKeys = keys.keysForSigning(subject.userPoolId());
        sessions.start(session);
        String eventId = UUID.randomUUID().toString();
        return new IssuedTokens(
                TokenClaims.sign(
                        TokenClaims.id(issuer(subject.userPoolId()), subject, client, auth, originJti, eventId, now),
                        poolKeys.activeSigningKey(Purpose.ID)),
                TokenClaims.sign(
                        TokenClaims.access(
                                issuer(subject.userPoolId()), subject, client, auth, originJti, eventId, now),
                        poolKeys.activeSigningKey(Purpose.ACCESS)),
                seal(session, now, poolKeys.activeSealingKey()),
                client.accessTokenValidity().toSeconds());
    }

    @Override
    public RefreshGrant openRefreshToken(String refreshToken, String userPoolId, String clientId) {
        JWTClaimsSet claims = unseal(refreshToken, userPoolId).orElseThrow(() -> notAuthorized(INVALID_REFRESH));
        try {
            String username = required(claims.getStringClaim("username"));
            String originJti = required(claims.getStringClaim("origin_jti"));
            Instant authTime = Instant.ofEpochSecond(required(claims.getLongClaim("auth_time")));
            Instant expiresAt = required(claims.getExpirationTime()).toInstant();
            if (!clientId.equals(claims.getStringClaim("client_id"))) {
                throw notAuthorized(OTHER_CLIENT_REFRESH);
            }
            // exp is the first instant the token is no longer valid (RFC 7519 4.1.4): exp == now is expired
            if (!now().isBefore(expiresAt)) {
                throw notAuthorized(EXPIRED_REFRESH);
            }
            Optional<Session> session = sessions.find(userPoolId, username, originJti);
            if (session.isEmpty() || !session.get().clientId().equals(clientId)) {
                throw notAuthorized(REVOKED_REFRESH);
            }
            return new RefreshGrant(userPoolId, clientId, username, originJti, authTime);
        } catch (ParseException | MissingClaimException e) {
            throw notAuthorized(INVALID_REFRESH);
        }
    }

    @Override
    public IssuedTokens reissue(TokenSubject subject, TokenClient client, RefreshGrant grant) {
        if (!grant.userPoolId().equals(subject.userPoolId())
                || !grant.clientId().equals(client.clientId())
                || !grant.username().equals(subject.username())) {
            throw new IllegalArgumentException("grant does not belong to this subject and client");
        }
        Instant now = now();
        PoolKeys poolKeys = keys.keysForSigning(subject.userPoolId());
        // A refresh is an authentication event of its own (its own InitiateAuth call): new event_id, jti, iat, exp;
        // auth_time and origin_jti stay those of the sign-in.
        String eventId = UUID.randomUUID().toString();
        return new IssuedTokens(
                TokenClaims.sign(
                        TokenClaims.id(
                                issuer(subject.userPoolId()),
                                subject,
                                client,
                                grant.authTime(),
                                grant.originJti(),
                                eventId,
                                now),
                        poolKeys.activeSigningKey(Purpose.ID)),
                TokenClaims.sign(
                        TokenClaims.access(
                                issuer(subject.userPoolId()),
                                subject,
                                client,
                                grant.authTime(),
                                grant.originJti(),
                                eventId,
                                now),
                        poolKeys.activeSigningKey(Purpose.ACCESS)),
                null,
                client.accessTokenValidity().toSeconds());
    }

    @Override
    public VerifiedAccessToken verifyAccessToken(String accessToken) {
        return unexpiredAndLive(accessTokens.verified(accessToken, now(), this::signedAccessToken), false);
    }

    @Override
    public VerifiedAccessToken verifyAccessTokenFromMemos(String accessToken) {
        return unexpiredAndLive(accessTokens.memoised(accessToken, now()), true);
    }

    private VerifiedAccessToken unexpiredAndLive(VerifiedAccessToken verified, boolean memosOnly) {
        // exp is the first instant the token is no longer valid (RFC 7519 4.1.4): exp == now is expired, no leeway,
        // since this service both issues and checks these tokens
        if (!now().isBefore(verified.expiresAt())) {
            throw notAuthorized(EXPIRED_ACCESS);
        }
        Optional<Session> session = memosOnly
                ? sessions.findMemoised(verified.userPoolId(), verified.username(), verified.originJti())
                : sessions.findRecent(verified.userPoolId(), verified.username(), verified.originJti());
        if (session.isEmpty() || !session.get().clientId().equals(verified.clientId())) {
            throw notAuthorized(REVOKED_ACCESS);
        }
        return verified;
    }

    /** The claims of an access token whose signature verifies under {@code key}: everything but time and session. */
    private VerifiedAccessTokens.Signed signedAccessToken(String accessToken) {
        Signed signed = verifiedSignature(accessToken, Purpose.ACCESS).orElseThrow(() -> notAuthorized(INVALID_ACCESS));
        try {
            JWTClaimsSet claims = signed.jwt().getJWTClaimsSet();
            if (!"access".equals(claims.getStringClaim("token_use"))) {
                throw notAuthorized(INVALID_ACCESS);
            }
            String scope = required(claims.getStringClaim("scope"));
            VerifiedAccessToken verified = new VerifiedAccessToken(
                    poolIdOf(claims.getIssuer()).orElseThrow(MissingClaimException::new),
                    required(claims.getStringClaim("client_id")),
                    required(claims.getSubject()),
                    required(claims.getStringClaim("username")),
                    required(claims.getJWTID()),
                    required(claims.getStringClaim("origin_jti")),
                    new HashSet<>(Arrays.asList(scope.split(" "))),
                    Instant.ofEpochSecond(required(claims.getLongClaim("auth_time"))),
                    required(claims.getExpirationTime()).toInstant());
            return new VerifiedAccessTokens.Signed(verified, signed.kid(), signed.key());
        } catch (ParseException | MissingClaimException | IllegalArgumentException e) {
            throw notAuthorized(INVALID_ACCESS);
        }
    }

    @Override
    public VerifiedIdToken verifyIdToken(String idToken) {
        SignedJWT jwt = verifiedSignature(idToken, Purpose.ID)
                .orElseThrow(() -> notAuthorized(INVALID_ID))
                .jwt();
        try {
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            if (!"id".equals(claims.getStringClaim("token_use"))
                    || claims.getAudience().size() != 1) {
                throw notAuthorized(INVALID_ID);
            }
            String userPoolId = poolIdOf(claims.getIssuer()).orElseThrow(MissingClaimException::new);
            String clientId = claims.getAudience().get(0);
            String username = required(claims.getStringClaim("cognito:username"));
            String originJti = required(claims.getStringClaim("origin_jti"));
            Instant authTime = Instant.ofEpochSecond(required(claims.getLongClaim("auth_time")));
            Instant expiresAt = required(claims.getExpirationTime()).toInstant();
            VerifiedIdToken verified = new VerifiedIdToken(
                    userPoolId,
                    clientId,
                    required(claims.getSubject()),
                    username,
                    required(claims.getJWTID()),
                    originJti,
                    authTime,
                    expiresAt);
            Instant now = now();
            if (!now.isBefore(expiresAt)) {
                throw notAuthorized(String.format(
                        java.util.Locale.ROOT, EXPIRED_ID, now.getEpochSecond(), expiresAt.getEpochSecond()));
            }
            Optional<Session> session = sessions.findRecent(userPoolId, username, originJti);
            if (session.isEmpty() || !session.get().clientId().equals(clientId)) {
                throw notAuthorized(REVOKED_ID);
            }
            return verified;
        } catch (ParseException | MissingClaimException | IllegalArgumentException e) {
            throw notAuthorized(INVALID_ID);
        }
    }

    @Override
    public void revoke(String refreshToken, String userPoolId, String clientId) {
        Optional<JWTClaimsSet> claims = unseal(refreshToken, userPoolId);
        if (claims.isEmpty()) {
            return;
        }
        try {
            String username = claims.get().getStringClaim("username");
            String originJti = claims.get().getStringClaim("origin_jti");
            // another client's token is ignored, not revoked: a client can only end its own sessions
            if (username != null
                    && originJti != null
                    && clientId.equals(claims.get().getStringClaim("client_id"))) {
                sessions.end(userPoolId, username, originJti);
            }
        } catch (ParseException e) {
            // not one of ours after all: nothing to revoke
        }
    }

    @Override
    public void revokeAll(String userPoolId, String username) {
        requirePoolId(userPoolId);
        sessions.endAll(userPoolId, username);
    }

    @Override
    public void deletePoolKeys(String userPoolId) {
        requirePoolId(userPoolId);
        keys.delete(userPoolId);
    }

    /**
     * Adds a new active signing key per purpose and a new sealing key to the pool's set; tokens signed or sealed with
     * the previous keys stay valid. Other nodes start signing with the new keys within {@link #DEFAULT_KEY_CACHE_TTL}.
     */
    public void rotateKeys(String userPoolId) {
        requirePoolId(userPoolId);
        keys.rotate(userPoolId);
    }

    @Override
    public String jwks(String userPoolId) {
        requirePoolId(userPoolId);
        return jwks(keys.keysForSigning(userPoolId));
    }

    @Override
    public Optional<String> existingJwks(String userPoolId) {
        requirePoolId(userPoolId);
        return keys.existing(userPoolId).map(this::jwks);
    }

    @Override
    public String jwksReloaded(String userPoolId) {
        requirePoolId(userPoolId);
        Optional<PoolKeys> reloaded = keys.readNow(userPoolId);
        return reloaded.isPresent() ? jwks(reloaded.get()) : jwks(userPoolId);
    }

    private String jwks(PoolKeys poolKeys) {
        ObjectNode root = json.createObjectNode();
        ArrayNode list = root.putArray("keys");
        for (SigningKey key : poolKeys.signingKeys()) {
            RSAKey jwk = new RSAKey.Builder(key.publicKey()).build();
            list.addObject()
                    .put("alg", "RS256")
                    .put("e", jwk.getPublicExponent().toString())
                    .put("kid", key.kid())
                    .put("kty", "RSA")
                    .put("n", jwk.getModulus().toString())
                    .put("use", "sig");
        }
        return root.toString();
    }

    @Override
    public String openIdConfiguration(String userPoolId) {
        String iss = issuer(userPoolId);
        ObjectNode root = json.createObjectNode();
        // What Cognito publishes for a pool, less what this server does not serve: no hosted UI, so no
        // authorization_endpoint, token_endpoint or its auth methods (advertised, they would answer 404).
        // response_types_supported stays: OpenID Connect Discovery requires it.
        root.putArray("id_token_signing_alg_values_supported").add("RS256");
        root.put("issuer", iss);
        root.put("jwks_uri", iss + "/.well-known/jwks.json");
        root.putArray("response_types_supported").add("code").add("token");
        root.putArray("scopes_supported")
                .add("openid")
                .add("email")
                .add("phone")
                .add("profile");
        root.putArray("subject_types_supported").add("public");
        return root.toString();
    }

    @Override
    public String issuer(String userPoolId) {
        requirePoolId(userPoolId);
        return issuer.apply(userPoolId);
    }

    private static String seal(Session session, Instant now, SealingKey key) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .claim("token_use", "refresh")
                .claim("pool", session.userPoolId())
                .claim("client_id", session.clientId())
                .claim("username", session.username())
                .claim("origin_jti", session.originJti())
                .claim("auth_time", session.authTime().getEpochSecond())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(session.refreshExpiresAt()))
                .jwtID(UUID.randomUUID().toString())
                .build();
        EncryptedJWT jwe = new EncryptedJWT(
                new JWEHeader.Builder(JWEAlgorithm.A256KW, EncryptionMethod.A256GCM)
                        .keyID(key.kid())
                        .build(),
                claims);
        try {
            jwe.encrypt(new AESEncrypter(key.key()));
        } catch (JOSEException e) {
            throw new IllegalStateException("refresh token sealing failed", e);
        }
        return jwe.serialize();
    }

    /** The claims of a refresh token sealed for this pool, or empty when it is anything else. */
    private Optional<JWTClaimsSet> unseal(String token, String userPoolId) {
        if (token.length() > MAX_TOKEN_CHARS || !isPoolId(userPoolId)) {
            return Optional.empty();
        }
        try {
            EncryptedJWT jwe = EncryptedJWT.parse(token);
            JWEHeader header = jwe.getHeader();
            // exactly the algorithms we seal with, and no compression (RFC 8725bis: decompression bombs)
            if (!JWEAlgorithm.A256KW.equals(header.getAlgorithm())
                    || !EncryptionMethod.A256GCM.equals(header.getEncryptionMethod())
                    || header.getCompressionAlgorithm() != null
                    || header.getKeyID() == null) {
                return Optional.empty();
            }
            String kid = header.getKeyID();
            Optional<SecretKey> secret = keys.existing(userPoolId).flatMap(k -> k.sealingKey(kid));
            if (secret.isEmpty()) {
                secret = keys.reloaded(userPoolId).flatMap(k -> k.sealingKey(kid));
            }
            if (secret.isEmpty()) {
                return Optional.empty();
            }
            jwe.decrypt(new AESDecrypter(secret.get()));
            JWTClaimsSet claims = jwe.getJWTClaimsSet();
            if (!"refresh".equals(claims.getStringClaim("token_use"))
                    || !userPoolId.equals(claims.getStringClaim("pool"))) {
                return Optional.empty();
            }
            return Optional.of(claims);
        } catch (ParseException | JOSEException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    /**
     * The token as a JWS whose signature verifies under an access key of the pool its {@code iss} names, where
     * {@code iss} is exactly that pool's issuer, with a key of {@code purpose}. Empty for anything else.
     */
    private Optional<Signed> verifiedSignature(String token, Purpose purpose) {
        if (token.length() > MAX_TOKEN_CHARS) {
            return Optional.empty();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            // RS256 and nothing else: not none, not HS256 keyed with the public key (RFC 8725 2.1, 3.1)
            if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())
                    || jwt.getHeader().getKeyID() == null) {
                return Optional.empty();
            }
            String kid = jwt.getHeader().getKeyID();
            Optional<String> userPoolId = poolIdOf(jwt.getJWTClaimsSet().getIssuer());
            if (userPoolId.isEmpty()) {
                return Optional.empty();
            }
            Optional<RSAPublicKey> publicKey =
                    keys.existing(userPoolId.get()).flatMap(k -> k.verificationKey(kid, purpose));
            if (publicKey.isEmpty()) {
                publicKey = keys.reloaded(userPoolId.get()).flatMap(k -> k.verificationKey(kid, purpose));
            }
            // the verifier rejects a crit header it does not understand (RFC 7515 4.1.11)
            if (publicKey.isEmpty() || !jwt.verify(new RSASSAVerifier(publicKey.get()))) {
                return Optional.empty();
            }
            return Optional.of(new Signed(jwt, kid, publicKey.get()));
        } catch (ParseException | JOSEException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    /** The pool named by the last path segment of {@code iss}, if {@code iss} is exactly that pool's issuer. */
    private Optional<String> poolIdOf(@Nullable String iss) {
        if (iss == null) {
            return Optional.empty();
        }
        String poolId = iss.substring(iss.lastIndexOf('/') + 1);
        if (!isPoolId(poolId) || !iss.equals(issuer.apply(poolId))) {
            return Optional.empty();
        }
        return Optional.of(poolId);
    }

    private static boolean isPoolId(String poolId) {
        return poolId.length() <= MAX_POOL_ID && POOL_ID.matcher(poolId).matches();
    }

    private static void requirePoolId(String userPoolId) {
        if (!isPoolId(userPoolId)) {
            throw new IllegalArgumentException("not a user pool id: " + userPoolId);
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    private static <T> T required(@Nullable T claim) {
        if (claim == null) {
            throw new MissingClaimException();
        }
        return claim;
    }

    private static ServiceException notAuthorized(String message) {
        return new ServiceException(AwsError.sender("NotAuthorizedException", message));
    }

    /** A JWS whose signature verified under the pool's key {@code kid}. */
    private record Signed(SignedJWT jwt, String kid, RSAPublicKey key) {}

    /** A claim the token must carry is absent: the token is invalid. */
    private static final class MissingClaimException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MissingClaimException() {
            super(null, null, false, false);
        }
    }
}
