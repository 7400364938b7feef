package dev.gatehouse.notes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.store.MutableClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class NoteIdsTests {

    private final MutableClock clock = MutableClock.at("2024-01-01T00:00:00Z");
    private final NoteIds ids = new NoteIds(clock, new SecureRandom());

    @Test
    void nextWhenCalledThenUuidVersion7WithTheClocksMilliseconds() {
        UUID id = UUID.fromString(ids.next());

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16)
                .isEqualTo(Instant.parse("2024-01-01T00:00:00Z").toEpochMilli());
    }

    @Test
    void nextWhenClockStandsStillOrStepsBackThenStrictlyIncreasingStrings() {
        List<String> generated = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            generated.add(ids.next());
            if (i == 5_000) {
                clock.advance(Duration.ofHours(-1));
            }
        }

        for (int i = 1; i < generated.size(); i++) {
            assertThat(generated.get(i)).isGreaterThan(generated.get(i - 1));
            assertThat(UUID.fromString(generated.get(i)).version()).isEqualTo(7);
        }
    }

    @Test
    void nextWhenClockAdvancesThenLaterIdsSortAfter() {
        String earlier = ids.next();
        clock.advance(Duration.ofMillis(1));

        assertThat(ids.next()).isGreaterThan(earlier);
    }
}
