package dev.gatehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PercentilesTests {

    @Test
    void atWhenOneToHundredThenNearestRank() {
        Percentiles percentiles =
                new Percentiles(LongStream.rangeClosed(1, 100).map(i -> 101 - i).toArray());

        assertThat(percentiles.at(50)).isEqualTo(50);
        assertThat(percentiles.at(99)).isEqualTo(99);
        assertThat(percentiles.at(100)).isEqualTo(100);
        assertThat(percentiles.at(0.1)).isEqualTo(1);
    }

    @Test
    void atWhenFewValuesThenRoundsRankUp() {
        Percentiles percentiles = new Percentiles(new long[] {30, 10, 20});

        assertThat(percentiles.at(50)).isEqualTo(20);
        assertThat(percentiles.at(99)).isEqualTo(30);
    }

    @Test
    void atWhenEmptyThenZero() {
        assertThat(new Percentiles(new long[0]).at(99)).isZero();
    }

    @Test
    void atWhenOutOfRangeThenRejected() {
        assertThatThrownBy(() -> new Percentiles(new long[] {1}).at(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
