package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.crypto.SealedFixtures;
import dev.gatehouse.iam.OpenedSessionToken;
import dev.gatehouse.iam.SessionTokenSealer;
import dev.gatehouse.iam.TemporaryCredentials;
import dev.gatehouse.store.Condition;
import dev.gatehouse.store.InMemoryItemStore;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.Key;
import dev.gatehouse.store.MutableClock;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The identity key item as stored before Tink (every key {@code A256GCM.} + base64 of nonce and AES-256-GCM under the
 * key-encryption key), committed as a fixture with a session token sealed under its session key: a data directory or
 * table written by that code must keep working after an upgrade.
 */
class IdentityKeyStoreLegacyFormatTests {

    private static final Properties FIXTURE =
            SealedFixtures.load(IdentityKeyStoreLegacyFormatTests.class, "/legacy/identity-keys-a256gcm.properties");

    private final MutableClock clock = MutableClock.at("2026-03-01T12:30:00Z");
    private final InMemoryItemStore store = new InMemoryItemStore(clock);

    @Test
    void loadedWhenStoredByA256GcmFormatThenKeysUnwrapAndTokenOpens() throws Exception {
        IdentityKeyStore keys = keysWith(kek(0x40));

        IdentityKeyStore.Loaded loaded = keys.loaded();

        assertThat(loaded.openIdKid()).isEqualTo(FIXTURE.getProperty("openIdKid"));
        assertThat(HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256")
                                .digest(loaded.openIdPrivate().getEncoded())))
                .isEqualTo(FIXTURE.getProperty("openIdSha256"));
        OpenedSessionToken opened = new SessionTokenSealer(keys, new SecureRandom(), clock)
                .open(FIXTURE.getProperty("token"))
                .orElseThrow();
        assertThat(opened.principal().accessKeyId()).isEqualTo("ASIAGATEHOUSE0EXAMPLE");
        assertThat(opened.principal().identityId()).isEqualTo("us-east-1:3f291106-8703-466b-8f2b-3ecee1ca56ce");
    }

    @Test
    void rotateSessionKeyWhenStoredByA256GcmFormatThenNewKeySealedByTinkAndOldTokenStillOpens() {
        IdentityKeyStore keys = keysWith(kek(0x40));

        keys.rotateSessionKey();

        String document = store.get(IdentityKeyStore.TABLE, Key.of("identity", "keys"))
                .orElseThrow()
                .attribute("keys")
                .orElseThrow();
        assertThat(document).contains("\"key\":\"A256GCM.").contains("\"key\":\"TINK.");
        SessionTokenSealer sealer = new SessionTokenSealer(keys, new SecureRandom(), clock);
        assertThat(sealer.open(FIXTURE.getProperty("token"))).isPresent();
        TemporaryCredentials fresh = sealer.issue(
                "us-east-1:1",
                "us-east-1:2",
                "arn:aws:iam::123456789012:role/r",
                "123456789012",
                List.of("unauthenticated"),
                clock.instant().plusSeconds(3600));
        IdentityKeyStore otherNode =
                new IdentityKeyStore(store, clock, new SecureRandom(), Duration.ofMinutes(1), kek(0x40));
        assertThat(new SessionTokenSealer(otherNode, new SecureRandom(), clock).open(fresh.sessionToken()))
                .isPresent();
    }

    @Test
    void loadedWhenStoredByA256GcmFormatAndOtherKekThenIllegalState() {
        IdentityKeyStore keys = keysWith(kek(0x41));

        assertThatThrownBy(keys::loaded).isInstanceOf(IllegalStateException.class);
    }

    private IdentityKeyStore keysWith(SecretKey kek) {
        store.put(
                IdentityKeyStore.TABLE,
                Item.of(
                        Key.of("identity", "keys"),
                        Map.of("version", FIXTURE.getProperty("version"), "keys", FIXTURE.getProperty("keys"))),
                Condition.notExists());
        return new IdentityKeyStore(store, clock, new SecureRandom(), Duration.ofMinutes(1), kek);
    }

    private static SecretKey kek(int first) {
        return new SecretKeySpec(SealedFixtures.countingKey(first), "AES");
    }
}
