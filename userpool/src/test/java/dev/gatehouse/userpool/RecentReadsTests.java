package dev.gatehouse.userpool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RecentReadsTests {

    private final AtomicLong nanos = new AtomicLong(1_000);
    private final RecentReads<String, String> reads = new RecentReads<>(Duration.ofMillis(500), 100, nanos::get);
    private final AtomicInteger storeReads = new AtomicInteger();
    private String stored = "v1";

    private Optional<String> read() {
        storeReads.incrementAndGet();
        return Optional.of(stored);
    }

    @Test
    void getWhenReadLessThanTtlAgoThenServedWithoutReading() {
        reads.get("k", this::read);
        nanos.addAndGet(Duration.ofMillis(499).toNanos());
        assertThat(reads.get("k", this::read)).contains("v1");
        assertThat(storeReads).hasValue(1);
    }

    @Test
    void getWhenTtlPassedThenReadAgain() {
        reads.get("k", this::read);
        stored = "v2";
        nanos.addAndGet(Duration.ofMillis(500).toNanos());
        assertThat(reads.get("k", this::read)).contains("v2");
        assertThat(storeReads).hasValue(2);
    }

    @Test
    void getWhenForgottenThenReadAgainAtOnce() {
        reads.get("k", this::read);
        stored = "v2";
        reads.forget("k");
        assertThat(reads.get("k", this::read)).contains("v2");
    }

    @Test
    void getWhenForgottenByPredicateThenOnlyThoseReadAgain() {
        reads.get("user#1", this::read);
        reads.get("other#1", this::read);
        stored = "v2";
        reads.forgetIf(key -> key.startsWith("user#"));
        assertThat(reads.get("user#1", this::read)).contains("v2");
        assertThat(reads.get("other#1", this::read)).contains("v1");
    }

    @Test
    void getWhenChangeRacesWithTheReadThenWhatWasReadIsNotKept() {
        // the read sees the old row, then the change is saved and forgotten before the read returns
        Optional<String> first = reads.get("k", () -> {
            Optional<String> old = read();
            stored = "v2";
            reads.forget("k");
            return old;
        });
        assertThat(first).contains("v1");
        assertThat(reads.get("k", this::read)).contains("v2");
    }

    @Test
    void getWhenAbsentThenNothingKept() {
        assertThat(reads.get("k", Optional::empty)).isEmpty();
        assertThat(reads.get("k", this::read)).contains("v1");
    }
}
