package dev.gatehouse.notes;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import java.util.UUID;

/**
 * Time-ordered note ids: UUID version 7 (RFC 9562 §5.7), so a partition's sort keys order notes by creation time
 * and a descending query lists the newest first.
 *
 * <p>Layout: 48 bits of Unix milliseconds, version 7, 12 bits {@code rand_a} used as a counter within one millisecond
 * (RFC 9562 §6.2 method 1, seeded randomly with headroom), variant {@code 10}, 62 random bits. Ids from one instance
 * strictly increase even when its clock stands still or steps back: the timestamp then stays at the last one used.
 * Lower-case hexadecimal, so string order (and the store's UTF-8 byte order) is numeric order.
 */
final class NoteIds {

    private static final int COUNTER_MAX = 0xFFF;

    private final Clock clock;
    private final SecureRandom random;
    private long lastMillis = -1;
    private int counter;

    NoteIds(Clock clock, SecureRandom random) {
        this.clock = Objects.requireNonNull(clock, "clock cannot be null");
        this.random = Objects.requireNonNull(random, "random cannot be null");
    }

    synchronized String next() {
        long now = clock.millis();
        if (now > lastMillis) {
            lastMillis = now;
            // Seed below half the range so a burst in one millisecond rarely overflows into the next.
            counter = random.nextInt(COUNTER_MAX / 2);
        } else if (counter < COUNTER_MAX) {
            counter++;
        } else {
            lastMillis++;
            counter = 0;
        }
        long high = ((lastMillis & 0xFFFF_FFFF_FFFFL) << 16) | (0x7L << 12) | counter;
        long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low).toString();
    }
}
