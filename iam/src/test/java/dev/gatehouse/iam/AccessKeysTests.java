package dev.gatehouse.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessKeysTests {

    private final AccessKeys accessKeys = AccessKeys.create();

    @Test
    void newLongTermKeyIdWhenCalledThenAkiaAndSixteenBase32Chars() {
        assertThat(accessKeys.newLongTermKeyId()).matches("AKIA[A-Z2-7]{16}");
    }

    @Test
    void newTemporaryKeyIdWhenCalledThenAsiaAndSixteenBase32Chars() {
        assertThat(accessKeys.newTemporaryKeyId()).matches("ASIA[A-Z2-7]{16}");
    }

    @Test
    void newSecretAccessKeyWhenCalledThenFortyChars() {
        assertThat(accessKeys.newSecretAccessKey()).matches("[A-Za-z0-9+/]{40}");
    }

    @Test
    void newLongTermKeyIdWhenCalledRepeatedlyThenDistinct() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            ids.add(accessKeys.newLongTermKeyId());
        }
        assertThat(ids).hasSize(1000);
    }
}
