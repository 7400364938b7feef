package dev.gatehouse.userpool;

import dev.gatehouse.store.ItemStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Sixteen RSA-2048 key pairs generated once (a resource of the userpool test-jar) and handed out in turn, so the
 * token, identity and credentials tests do not generate two fresh key pairs for every pool they make (about 27 s of
 * key generation across the suites). Distinct pairs in turn keep a pool's ID and access keys, and a rotation's new
 * keys, apart. Never use these outside tests: the private keys are public.
 */
public final class TestRsaKeys {

    private static final List<KeyPair> PAIRS = load();
    private static final AtomicInteger NEXT = new AtomicInteger();

    private TestRsaKeys() {}

    /** The shared pairs, one after the other. */
    public static Supplier<KeyPair> inTurn() {
        return () -> PAIRS.get(Math.floorMod(NEXT.getAndIncrement(), PAIRS.size()));
    }

    /** A token service as {@code new JwtTokenService(store, clock, issuer)}, whose pools' keys are the shared pairs. */
    public static JwtTokenService tokenService(ItemStore store, Clock clock, Function<String, String> issuer) {
        return new JwtTokenService(
                store,
                clock,
                issuer,
                new SigningKeyStore(
                        store, clock, new SecureRandom(), JwtTokenService.DEFAULT_KEY_CACHE_TTL, null, inTurn()));
    }

    private static List<KeyPair> load() {
        try (InputStream in = TestRsaKeys.class.getResourceAsStream("test-rsa-keys.txt")) {
            if (in == null) {
                throw new IllegalStateException("test-rsa-keys.txt is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .map(TestRsaKeys::pair)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KeyPair pair(String pkcs8) {
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            RSAPrivateCrtKey key = (RSAPrivateCrtKey) rsa.generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pkcs8)));
            return new KeyPair(
                    rsa.generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent())), key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a test key does not parse", e);
        }
    }
}
