package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class CursorsTests {

    @Test
    void decodeWhenEncodedForSamePartitionThenReturnsSortKey() {
        String cursor = Cursors.encode("pool#1", "user/\u00E9\uD83D\uDE00");
        assertThat(cursor).matches("[A-Za-z0-9_-]+");
        assertThat(Cursors.decode("pool#1", cursor)).isEqualTo("user/\u00E9\uD83D\uDE00");
    }

    @Test
    void decodeWhenOtherPartitionThenIllegalArgument() {
        String cursor = Cursors.encode("pool#1", "alice");
        assertThatThrownBy(() -> Cursors.decode("pool#2", cursor))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cursor belongs to another partition");
    }

    @Test
    void decodeWhenMalformedThenIllegalArgument() {
        byte[] valid = Base64.getUrlDecoder().decode(Cursors.encode("p", "s"));
        byte[] wrongVersion = valid.clone();
        wrongVersion[0] = 2;
        byte[] badUtf8 = java.util.Arrays.copyOf(valid, valid.length + 1);
        badUtf8[valid.length] = (byte) 0xC3;
        byte[] noSortKey = java.util.Arrays.copyOf(valid, valid.length - 1);
        for (byte[] bad : new byte[][] {wrongVersion, badUtf8, noSortKey}) {
            String cursor = Base64.getUrlEncoder().withoutPadding().encodeToString(bad);
            assertThatThrownBy(() -> Cursors.decode("p", cursor)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Cursors.decode("p", "%%%")).isInstanceOf(IllegalArgumentException.class);
    }
}
