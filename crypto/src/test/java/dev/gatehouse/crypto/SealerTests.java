package dev.gatehouse.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SealerTests {

    private static final byte[] PLAINTEXT = "the secret".getBytes(StandardCharsets.UTF_8);
    private static final byte[] AAD = "pool/kid".getBytes(StandardCharsets.UTF_8);

    private final Sealer sealer = Sealer.single("kek", key(1));

    @Test
    void openWhenSealedWithSameAssociatedDataThenPlaintext() throws Exception {
        byte[] sealed = sealer.seal(PLAINTEXT, AAD);

        assertThat(sealer.open(sealed, AAD)).isEqualTo(PLAINTEXT);
    }

    @Test
    void sealWhenCalledThenTinkPrefixWithPrimaryKeyIdAndFreshNonce() {
        byte[] first = sealer.seal(PLAINTEXT, AAD);
        byte[] second = sealer.seal(PLAINTEXT, AAD);

        assertThat(first).hasSize(PLAINTEXT.length + Sealer.OVERHEAD);
        assertThat(first[0]).isEqualTo((byte) 1);
        assertThat(ByteBuffer.wrap(first, 1, 4).getInt())
                .isEqualTo(Sealer.keyId("kek"))
                .isEqualTo(sealer.primaryKeyId());
        assertThat(Sealer.keyIdOf(first, 0)).hasValue(Sealer.keyId("kek"));
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void openWhenAssociatedDataOrAnyByteDiffersThenGeneralSecurityException() {
        byte[] sealed = sealer.seal(PLAINTEXT, AAD);

        assertThatThrownBy(() -> sealer.open(sealed, "pool/other".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(GeneralSecurityException.class);
        for (int i = 0; i < sealed.length; i++) {
            byte[] altered = sealed.clone();
            altered[i] ^= 0x01;
            assertThatThrownBy(() -> sealer.open(altered, AAD)).isInstanceOf(GeneralSecurityException.class);
        }
    }

    @Test
    void openWhenSealedUnderOlderKeyOfSetThenOpensAndNewValuesUseThePrimary() throws Exception {
        Sealer old = Sealer.builder().add(1, key(1)).primary(1).build();
        Sealer rotated =
                Sealer.builder().add(1, key(1)).add(2, key(2)).primary(2).build();
        byte[] sealedBefore = old.seal(PLAINTEXT, AAD);

        assertThat(rotated.open(sealedBefore, AAD)).isEqualTo(PLAINTEXT);
        assertThat(Sealer.keyIdOf(rotated.seal(PLAINTEXT, AAD), 0)).hasValue(2);
        assertThat(rotated.holds(1)).isTrue();
        assertThat(rotated.holds(3)).isFalse();
    }

    @Test
    void openWhenKeyNotInSetOrSameIdOtherBytesThenGeneralSecurityException() {
        byte[] sealed = Sealer.builder().add(7, key(7)).primary(7).build().seal(PLAINTEXT, AAD);

        assertThatThrownBy(
                        () -> Sealer.builder().add(8, key(7)).primary(8).build().open(sealed, AAD))
                .isInstanceOf(GeneralSecurityException.class);
        assertThatThrownBy(
                        () -> Sealer.builder().add(7, key(8)).primary(7).build().open(sealed, AAD))
                .isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void openLegacyWhenRawAesGcmOfTheSameKeyThenPlaintext() throws Exception {
        byte[] nonce = new byte[12];
        nonce[11] = 9;
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key(1), "AES"), new GCMParameterSpec(128, nonce));
        cipher.updateAAD(AAD);
        byte[] ciphertext = cipher.doFinal(PLAINTEXT);
        byte[] legacy = ByteBuffer.allocate(12 + ciphertext.length)
                .put(nonce)
                .put(ciphertext)
                .array();

        assertThat(sealer.openLegacy(Sealer.keyId("kek"), legacy, AAD)).isEqualTo(PLAINTEXT);
        assertThatThrownBy(() -> sealer.openLegacy(Sealer.keyId("kek"), legacy, new byte[0]))
                .isInstanceOf(GeneralSecurityException.class);
        assertThatThrownBy(() -> sealer.openLegacy(Sealer.keyId("other"), legacy, AAD))
                .isInstanceOf(GeneralSecurityException.class);
        assertThatThrownBy(() -> sealer.open(legacy, AAD)).isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void keyIdWhenSameNameThenSameIdAndOtherNamesDiffer() {
        assertThat(Sealer.keyId("1772366400000-0a1b2c3d"))
                .isEqualTo(Sealer.keyId("1772366400000-0a1b2c3d"))
                .isNotEqualTo(Sealer.keyId("1772366400000-0a1b2c3e"));
    }

    @Test
    void keyIdOfWhenNoTinkPrefixThenEmpty() {
        assertThat(Sealer.keyIdOf(new byte[] {2, 0, 0, 0, 1}, 0)).isEmpty();
        assertThat(Sealer.keyIdOf(new byte[] {1, 0, 0, 1}, 0)).isEmpty();
        assertThat(Sealer.keyIdOf(new byte[] {9, 1, 0, 0, 0, 1}, 1)).hasValue(1);
    }

    @Test
    void buildWhenKeyWrongSizeDuplicateIdOrNoPrimaryThenIllegalArgument() {
        assertThatThrownBy(() -> Sealer.builder().add(1, new byte[16]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an AES-256 key must be 32 bytes, not 16");
        assertThatThrownBy(() -> Sealer.builder().add(1, key(1)).add(1, key(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key id 1 is already in the set");
        assertThatThrownBy(() -> Sealer.builder().add(1, key(1)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the primary key must be one of the set");
        assertThatThrownBy(() -> Sealer.builder().add(1, key(1)).primary(2).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the primary key must be one of the set");
    }

    @Test
    void toStringWhenCalledThenNoKeyMaterial() {
        assertThat(Sealer.builder().add(1, key(1)).primary(1).build()).hasToString("Sealer[primary=1, keys=1]");
    }

    private static byte[] key(int seed) {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (seed * 31 + i);
        }
        return key;
    }
}
