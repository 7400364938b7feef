package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PortValuesTests {

    @Test
    void keyWhenUnpairedSurrogateThenIllegalArgument() {
        assertThatThrownBy(() -> Key.of("p", "a\uD83D"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("keys must not contain unpaired surrogates");
        assertThatThrownBy(() -> Key.of("\uDE00p", "s")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Key.of("p", "\uD83D\uDE00").sort()).isEqualTo("\uD83D\uDE00");
    }

    @Test
    void keyWhenEmptyOrTooLongThenIllegalArgument() {
        assertThatThrownBy(() -> Key.of("", "s")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Key.of("p", "\u00E9".repeat(513))).isInstanceOf(IllegalArgumentException.class);
        assertThat(Key.of("p", "\u00E9".repeat(512)).sort()).hasSize(512);
    }

    @Test
    void itemWhenAttributeInvalidThenIllegalArgument() {
        Key key = Key.of("p", "s");
        assertThatThrownBy(() -> Item.of(key, Map.of("_version", "1"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Item.of(key, Map.of("", "1"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Item.of(key, Map.of("a", "x\uD800"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Item.of(key, Map.of("a", "x".repeat(Item.MAX_BYTES / 3 + 1))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void itemExpiryIsTruncatedToMillis() {
        Item item = new Item(Key.of("p", "s"), Map.of(), Instant.parse("2024-01-01T00:00:00.123456789Z"));
        assertThat(item.expiresAt()).isEqualTo(Instant.parse("2024-01-01T00:00:00.123Z"));
        assertThat(item.isExpiredAt(Instant.parse("2024-01-01T00:00:00.123Z"))).isTrue();
        assertThat(item.isExpiredAt(Instant.parse("2024-01-01T00:00:00.122999Z")))
                .isFalse();
        assertThatThrownBy(() -> new Item(Key.of("p", "s"), Map.of(), Instant.MAX))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void betweenWhenLowAfterHighInUtf8OrderThenIllegalArgument() {
        assertThatThrownBy(() -> SortCondition.between("b", "a")).isInstanceOf(IllegalArgumentException.class);
        // String.compareTo would call this reversed; code point order does not.
        assertThat(SortCondition.between("\uFF21", "\uD83D\uDE00").matches("\uFFFF"))
                .isTrue();
    }

    @Test
    void utf8OrderMatchesByteOrder() {
        String[] ordered = {
            "",
            "A",
            "Z",
            "a",
            "\u007F",
            "\u0080",
            "\u00E9",
            "\u07FF",
            "\u0800",
            "\uE000",
            "\uFFFF",
            "\uD800\uDC00",
            "\uD83D\uDE00",
            "\uDBFF\uDFFF"
        };
        for (int i = 0; i + 1 < ordered.length; i++) {
            assertThat(Utf8Order.compare(ordered[i], ordered[i + 1]))
                    .as("%d", i)
                    .isNegative();
            assertThat(java.util.Arrays.compareUnsigned(utf8(ordered[i]), utf8(ordered[i + 1])))
                    .isNegative();
            assertThat(Utf8Order.compare(ordered[i + 1], ordered[i])).isPositive();
        }
        assertThat(Utf8Order.compare("ab", "ab")).isZero();
    }

    @Test
    void writeBatchWhenDuplicateOrTooLargeThenIllegalArgument() {
        Write a = Write.check("items", Key.of("p", "a"), Condition.none());
        assertThatThrownBy(() -> Write.requireValidBatch(java.util.List.of(a, a)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a transaction may write each key once");
        assertThatThrownBy(() -> Write.requireValidBatch(java.util.Collections.nCopies(101, a)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a transaction holds 1 to 100 writes");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
