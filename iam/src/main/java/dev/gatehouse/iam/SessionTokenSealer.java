package dev.gatehouse.iam;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.crypto.Sealer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Seals temporary credentials into their session token and opens such tokens, so a SigV4 verifier needs no storage read
 * to find an {@code ASIA…} key's secret (DESIGN.md §6).
 *
 * <p>Format 2 (written): base64url (no padding) of {@code 0x02 | sealed}, where {@code sealed} is the one AEAD's
 * ({@link Sealer}: Tink AES-256-GCM, {@code 0x01 | Tink key id (4) | nonce (12) | ciphertext | tag (16)}) under the
 * active key, with the format byte as associated data, over a JSON object holding the access key id, the secret, the
 * expiry, identity, identity pool, role, account and {@code amr}, and a role session's name ({@code rsn}; absent for
 * an identity's session). Format 1 (read only, written before Tink, valid for
 * the hour its tokens live): {@code 0x01 | keyIdLength (1) | keyId | nonce (12) | ciphertext | tag (16)}, AES-256-GCM
 * with the header ({@code 0x01 | keyIdLength | keyId}) as associated data. The first byte tells them apart. Both are
 * base64url of the same alphabet, and a format-2 token is 18 bytes shorter than format 1 with the identity store's kids.
 *
 * <p>A token is opened only if its tag verifies under a known key: a changed bit anywhere, an unknown key id, a
 * truncated or oversized token gives empty, and nothing of an unauthenticated token is read.
 *
 * <p>The token does not check expiry: the verifier refuses requests from {@link SessionPrincipal#expiration()} on
 * ({@link SigningCredential#temporary}). Thread-safe.
 */
public final class SessionTokenSealer {

    /** Format 1: AES-256-GCM with the key's name in clear, written before Tink; read only. */
    private static final byte FORMAT_RAW_GCM = 1;
    /** Format 2: the one AEAD ({@link Sealer}). */
    private static final byte FORMAT_SEALER = 2;
    /** Format 2's associated data: its format byte. */
    private static final byte[] SEALER_HEADER = {FORMAT_SEALER};

    private static final int RAW_GCM_OVERHEAD = 12 + 16;
    /** Far above any token this class seals; bounds the work a hostile header can cause. */
    private static final int MAX_TOKEN_CHARS = 8 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Tokens opened recently: one per live session is plenty (a session signs many requests with one token). */
    private static final int MAX_OPENED = 4096;

    /**
     * A token as a memo key: equal only to the same text, whole. The hash reads only the last characters, which encode
     * the token's random GCM tag (uniform, and different for every token sealed), instead of all of its ~700 characters;
     * a token that did not open is never stored, so nobody can fill a bucket with tokens of their choosing.
     */
    private static final class TokenKey {
        private static final int HASHED_CHARS = 16;
        private final String token;
        private final int hash;

        TokenKey(String token) {
            this.token = token;
            int h = 0;
            for (int i = Math.max(0, token.length() - HASHED_CHARS); i < token.length(); i++) {
                h = 31 * h + token.charAt(i);
            }
            this.hash = h;
        }

        @Override
        public boolean equals(@Nullable Object other) {
            return other instanceof TokenKey && ((TokenKey) other).token.equals(token);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public String toString() {
            return "TokenKey[redacted]";
        }
    }

    /** An opened token and the Tink id of the key it was sealed under, which must still be held when the memo is used. */
    private record Opened(int keyId, OpenedSessionToken token) {}

    private final SessionTokenKeySource keys;
    private final AccessKeys accessKeys;
    private final SecureRandom random;
    /** Keyed on the token itself: it is ciphertext, and grants nothing without the secret its memo entry holds anyway. */
    private final VerifiedCache<TokenKey, Opened> opened = new VerifiedCache<>(MAX_OPENED);

    private final Clock clock;

    public SessionTokenSealer(SessionTokenKeySource keys, SecureRandom random) {
        this(keys, random, Clock.systemUTC());
    }

    /** A sealer whose memo of opened tokens drops each one at the expiry sealed in it, by {@code clock}. */
    public SessionTokenSealer(SessionTokenKeySource keys, SecureRandom random, Clock clock) {
        this.keys = Objects.requireNonNull(keys, "keys cannot be null");
        this.random = Objects.requireNonNull(random, "random cannot be null");
        this.clock = Objects.requireNonNull(clock, "clock cannot be null");
        this.accessKeys = new AccessKeys(random);
    }

    /** A sealer with a new {@link SecureRandom}. */
    public static SessionTokenSealer create(SessionTokenKeySource keys) {
        return new SessionTokenSealer(keys, new SecureRandom());
    }

    /**
     * New temporary credentials for an identity: a fresh {@code ASIA…} key and secret, sealed with the identity's
     * details into the session token.
     */
    public TemporaryCredentials issue(
            String identityId,
            String identityPoolId,
            String roleArn,
            String accountId,
            List<String> amr,
            Instant expiration) {
        String accessKeyId = accessKeys.newTemporaryKeyId();
        String secret = accessKeys.newSecretAccessKey();
        SessionPrincipal principal =
                new SessionPrincipal(accessKeyId, expiration, identityId, identityPoolId, roleArn, accountId, amr);
        return new TemporaryCredentials(accessKeyId, secret, seal(principal, secret), expiration);
    }

    /**
     * New temporary credentials for a role assumed by no identity (a function's execution role): the principal is the
     * role session {@code arn:aws:sts::<account>:assumed-role/<role>/<sessionName>}, with no Cognito keys.
     */
    public TemporaryCredentials issueRoleSession(
            String roleArn, String accountId, String sessionName, Instant expiration) {
        String accessKeyId = accessKeys.newTemporaryKeyId();
        String secret = accessKeys.newSecretAccessKey();
        SessionPrincipal principal =
                SessionPrincipal.roleSession(accessKeyId, expiration, roleArn, accountId, sessionName);
        return new TemporaryCredentials(accessKeyId, secret, seal(principal, secret), expiration);
    }

    /** Seals {@code principal} and the secret of its key into a session token (format 2), under the active key. */
    public String seal(SessionPrincipal principal, String secretKey) {
        Objects.requireNonNull(principal, "principal cannot be null");
        Objects.requireNonNull(secretKey, "secretKey cannot be null");
        byte[] plaintext = plaintext(principal, secretKey);
        byte[] sealed = keys.current().sealer().seal(plaintext, SEALER_HEADER);
        Arrays.fill(plaintext, (byte) 0);
        byte[] token = new byte[1 + sealed.length];
        token[0] = FORMAT_SEALER;
        System.arraycopy(sealed, 0, token, 1, sealed.length);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
    }

    /**
     * Opens a session token; empty when it is malformed, altered, or sealed under a key this sealer doesn't hold.
     *
     * <p>A token opened before is answered from a bounded memo keyed on the whole token (so any other token, an altered
     * one included, is opened and authenticated afresh) while its key is still held and until the
     * expiry sealed in it; expiry itself stays the verifier's check, at every use.
     */
    public Optional<OpenedSessionToken> open(String token) {
        if (token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        TokenKey cacheKey = new TokenKey(token);
        Optional<Opened> memo = opened.get(cacheKey, now);
        if (memo.isPresent()) {
            if (keys.current().sealer().holds(memo.get().keyId())) {
                return Optional.of(memo.get().token());
            }
            opened.remove(cacheKey);
        }
        Optional<Opened> fresh = openSealed(token);
        fresh.ifPresent(o -> opened.put(cacheKey, o, o.token().principal().expiration(), now));
        return fresh.map(Opened::token);
    }

    private Optional<Opened> openSealed(String token) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (raw.length == 0) {
            return Optional.empty();
        }
        return switch (raw[0]) {
            case FORMAT_SEALER -> openSealerFormat(raw);
            case FORMAT_RAW_GCM -> openRawGcmFormat(raw);
            default -> Optional.empty();
        };
    }

    private Optional<Opened> openSealerFormat(byte[] raw) {
        OptionalInt keyId = Sealer.keyIdOf(raw, 1);
        if (keyId.isEmpty() || raw.length < 1 + Sealer.OVERHEAD) {
            return Optional.empty();
        }
        Optional<SessionTokenKeys> set = holding(k -> k.sealer().holds(keyId.getAsInt()));
        if (set.isEmpty()) {
            return Optional.empty();
        }
        try {
            byte[] plaintext = set.get().sealer().open(Arrays.copyOfRange(raw, 1, raw.length), SEALER_HEADER);
            return parse(plaintext).map(contents -> new Opened(keyId.getAsInt(), contents));
        } catch (GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    private Optional<Opened> openRawGcmFormat(byte[] raw) {
        if (raw.length < 2) {
            return Optional.empty();
        }
        int headerLength = 2 + (raw[1] & 0xff);
        if (raw.length < headerLength + RAW_GCM_OVERHEAD) {
            return Optional.empty();
        }
        String keyName = new String(raw, 2, headerLength - 2, StandardCharsets.US_ASCII);
        if (!SessionTokenKeys.isKeyId(keyName)) {
            return Optional.empty();
        }
        Optional<SessionTokenKeys> set = holding(k -> k.holds(keyName));
        if (set.isEmpty()) {
            return Optional.empty();
        }
        int keyId = Sealer.keyId(keyName);
        try {
            byte[] plaintext = set.get()
                    .sealer()
                    .openLegacy(
                            keyId, Arrays.copyOfRange(raw, headerLength, raw.length), Arrays.copyOf(raw, headerLength));
            return parse(plaintext).map(contents -> new Opened(keyId, contents));
        } catch (GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    /** The key set if it holds the token's key, else the set re-read once (another node may have just added it). */
    private Optional<SessionTokenKeys> holding(Predicate<SessionTokenKeys> holdsKey) {
        SessionTokenKeys current = keys.current();
        if (holdsKey.test(current)) {
            return Optional.of(current);
        }
        SessionTokenKeys reloaded = keys.reload();
        return holdsKey.test(reloaded) ? Optional.of(reloaded) : Optional.empty();
    }

    private static byte[] plaintext(SessionPrincipal principal, String secretKey) {
        ObjectNode node = JSON.createObjectNode()
                .put("ak", principal.accessKeyId())
                .put("sk", secretKey)
                .put("exp", principal.expiration().getEpochSecond())
                .put("iid", principal.identityId())
                .put("pool", principal.identityPoolId())
                .put("role", principal.roleArn())
                .put("acct", principal.accountId());
        ArrayNode amr = node.putArray("amr");
        principal.amr().forEach(amr::add);
        if (!principal.hasCognitoIdentity()) {
            // only role sessions carry their name: an identity's is always CognitoIdentityCredentials
            node.put("rsn", principal.sessionName());
        }
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write session token claims", e);
        }
    }

    /** The authenticated plaintext is ours, but a key shared with an older version could hold another shape. */
    private static Optional<OpenedSessionToken> parse(byte[] plaintext) {
        try {
            JsonNode node = JSON.readTree(plaintext);
            byte[] secret = text(node, "sk").getBytes(StandardCharsets.UTF_8);
            JsonNode exp = node.path("exp");
            JsonNode amrNode = node.path("amr");
            if (!exp.isIntegralNumber() || !amrNode.isArray()) {
                return Optional.empty();
            }
            List<String> amr = new ArrayList<>();
            for (JsonNode value : amrNode) {
                if (!value.isTextual()) {
                    return Optional.empty();
                }
                amr.add(value.asText());
            }
            SessionPrincipal principal = new SessionPrincipal(
                    text(node, "ak"),
                    Instant.ofEpochSecond(exp.longValue()),
                    text(node, "iid"),
                    text(node, "pool"),
                    text(node, "role"),
                    text(node, "acct"),
                    amr,
                    sessionName(node));
            OpenedSessionToken opened = new OpenedSessionToken(principal, SecretBytes.copyOf(secret));
            Arrays.fill(secret, (byte) 0);
            return Optional.of(opened);
        } catch (java.io.IOException | IllegalArgumentException e) {
            return Optional.empty();
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /** A role session's name; tokens of identities, and those sealed before role sessions had names, have none. */
    private static String sessionName(JsonNode node) {
        return node.has("rsn") ? text(node, "rsn") : SessionPrincipal.ROLE_SESSION_NAME;
    }

    private static String text(JsonNode node, String name) {
        JsonNode value = node.path(name);
        if (!value.isTextual()) {
            throw new IllegalArgumentException("session token claim " + name + " is missing");
        }
        return value.asText();
    }
}
