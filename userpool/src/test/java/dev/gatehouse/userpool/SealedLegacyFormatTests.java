package dev.gatehouse.userpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.crypto.SealedFixtures;
import dev.gatehouse.store.Condition;
import dev.gatehouse.store.InMemoryItemStore;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.Key;
import dev.gatehouse.store.MutableClock;
import dev.gatehouse.store.StoreException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Values sealed by the code before Tink, committed as fixtures with their keys: a pool key set stored with
 * {@code protection = A256GCM} (base64 of nonce and AES-256-GCM under the key-encryption key), and SRP verifiers and
 * challenges sealed as {@code 0x01 | nonce | AES-256-GCM}. Stores written by that code must keep working.
 */
class SealedLegacyFormatTests {

    private static final String POOL = "us-east-1_Legacy001";
    private static final String SRP_POOL = "eu-west-1_AbCdEf123";
    private static final String USER = "7d1e2f3a-0000-4000-8000-000000000001";
    private static final BigInteger SALT = new BigInteger("f0e1d2c3b4a5968778695a4b3c2d1e0f", 16);
    private static final BigInteger VERIFIER = new BigInteger("0123456789abcdef0123456789abcdef0123456789abcdef", 16);

    private final MutableClock clock = MutableClock.at("2026-03-01T12:30:00Z");
    private final InMemoryItemStore store = new InMemoryItemStore(clock);

    @Test
    void existingWhenPoolKeysStoredByA256GcmFormatThenEveryKeyUnwraps() throws Exception {
        Properties fixture = fixture("/legacy/pool-keys-a256gcm.properties");
        SigningKeyStore keys = poolKeysWith(fixture, key(0x60));

        PoolKeys loaded = keys.existing(POOL).orElseThrow();

        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        assertThat(loaded.signingKeys()).hasSize(2);
        for (int i = 0; i < loaded.signingKeys().size(); i++) {
            PoolKeys.SigningKey key = loaded.signingKeys().get(i);
            assertThat(key.kid() + " "
                            + HexFormat.of()
                                    .formatHex(sha.digest(key.privateKey().getEncoded())))
                    .isEqualTo(fixture.getProperty("signing." + i));
        }
        PoolKeys.SealingKey sealing = loaded.sealingKeys().get(0);
        assertThat(sealing.kid() + " "
                        + HexFormat.of().formatHex(sha.digest(sealing.key().getEncoded())))
                .isEqualTo(fixture.getProperty("sealing.0"));
    }

    @Test
    void rotateWhenPoolKeysStoredByA256GcmFormatThenWholeSetSealedByTinkAndOldKeysKept() {
        SigningKeyStore keys = poolKeysWith(fixture("/legacy/pool-keys-a256gcm.properties"), key(0x60));
        PoolKeys before = keys.existing(POOL).orElseThrow();

        keys.rotate(POOL);

        Item stored = store.get(SigningKeyStore.TABLE, Key.of(POOL, "keys")).orElseThrow();
        assertThat(stored.attribute("protection")).contains("TINK");
        clock.advance(Duration.ofMinutes(2));
        PoolKeys reread = new SigningKeyStore(store, clock, new SecureRandom(), Duration.ofMinutes(1), key(0x60))
                .existing(POOL)
                .orElseThrow();
        assertThat(reread.sealingKeys().get(0).key().getEncoded())
                .isEqualTo(before.sealingKeys().get(0).key().getEncoded());
        assertThat(reread.signingKeys())
                .extracting(PoolKeys.SigningKey::kid)
                .containsAll(before.signingKeys().stream()
                        .map(PoolKeys.SigningKey::kid)
                        .toList());
    }

    @Test
    void existingWhenPoolKeysStoredByA256GcmFormatAndOtherKekThenStoreException() {
        SigningKeyStore keys = poolKeysWith(fixture("/legacy/pool-keys-a256gcm.properties"), key(0x61));

        assertThatThrownBy(() -> keys.existing(POOL)).isInstanceOf(StoreException.class);
    }

    @Test
    void openWhenVerifierAndChallengeSealedByFormat1ThenSameValues() {
        Properties fixture = fixture("/legacy/srp-sealed-v1.properties");
        SrpVerifierSealer sealer = new SrpVerifierSealer(key(0x80));

        SrpVerifier verifier = sealer.open(SRP_POOL, USER, fixture.getProperty("verifier"));
        SrpChallenge challenge = sealer.openChallenge(SRP_POOL, USER, fixture.getProperty("challenge"));

        assertThat(verifier.salt()).isEqualTo(SALT);
        assertThat(verifier.verifier()).isEqualTo(VERIFIER);
        assertThat(challenge.poolName()).isEqualTo("AbCdEf123");
        assertThat(challenge.userIdForSrp()).isEqualTo(USER);
        assertThat(challenge.verifier().verifier()).isEqualTo(VERIFIER);
        assertThat(challenge.clientPublic()).isEqualTo(BigInteger.valueOf(0x1111));
        assertThat(challenge.serverSecret()).isEqualTo(BigInteger.valueOf(0x2222));
        assertThat(challenge.serverPublic()).isEqualTo(BigInteger.valueOf(0x3333));
        assertThat(challenge.secretBlock()).isEqualTo("c2VjcmV0LWJsb2Nr");
    }

    @Test
    void sealWhenVerifierSealedNowThenForm2AndOpens() {
        SrpVerifierSealer sealer = new SrpVerifierSealer(key(0x80));

        String sealed = sealer.seal(SRP_POOL, USER, new SrpVerifier(SALT, VERIFIER));

        assertThat(Base64.getUrlDecoder().decode(sealed)[0]).isEqualTo((byte) 2);
        assertThat(sealer.open(SRP_POOL, USER, sealed).verifier()).isEqualTo(VERIFIER);
    }

    @Test
    void openWhenFormat1VerifierForOtherUserOrKeyThenIllegalState() {
        String sealed = fixture("/legacy/srp-sealed-v1.properties").getProperty("verifier");

        assertThatThrownBy(() -> new SrpVerifierSealer(key(0x80)).open(SRP_POOL, "someone-else", sealed))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new SrpVerifierSealer(key(0x81)).open(SRP_POOL, USER, sealed))
                .isInstanceOf(IllegalStateException.class);
    }

    private SigningKeyStore poolKeysWith(Properties fixture, SecretKey kek) {
        store.put(
                SigningKeyStore.TABLE,
                Item.of(
                        Key.of(POOL, "keys"),
                        Map.of(
                                "version",
                                fixture.getProperty("version"),
                                "protection",
                                fixture.getProperty("protection"),
                                "keys",
                                fixture.getProperty("keys"))),
                Condition.notExists());
        return new SigningKeyStore(store, clock, new SecureRandom(), Duration.ofMinutes(1), kek);
    }

    private static SecretKey key(int first) {
        return new SecretKeySpec(SealedFixtures.countingKey(first), "AES");
    }

    private static Properties fixture(String resource) {
        return SealedFixtures.load(SealedLegacyFormatTests.class, resource);
    }
}
