package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.crypto.Sealer;
import dev.gatehouse.store.InMemoryItemStore;
import dev.gatehouse.store.MutableClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class IdentityKeyStoreTests {

    private final MutableClock clock = MutableClock.at("2026-03-01T12:00:00Z");

    @Test
    void rotateSessionKeyWhenNewKidWouldShareATinkKeyIdThenAnotherKidIsDrawn() {
        // Found by a birthday search over the suffixes of this instant's kids: the two kids share a Tink key id.
        int[] colliding = {9618, 79734};
        assertThat(Sealer.keyId(kid(colliding[0]))).isEqualTo(Sealer.keyId(kid(colliding[1])));
        InMemoryItemStore store = new InMemoryItemStore(clock);
        new IdentityKeyStore(store, clock, new ScriptedRandom(colliding[0]), Duration.ZERO, null).loaded();
        // the rotation draws colliding[1] (its Tink key id is taken), then 7
        IdentityKeyStore keys =
                new IdentityKeyStore(store, clock, new ScriptedRandom(colliding[1], 7), Duration.ZERO, null);

        keys.rotateSessionKey();

        List<String> kids = keys.loaded().document().path("session").findValuesAsText("kid");
        assertThat(kids).containsExactly(kid(colliding[0]), kid(7));
        assertThat(keys.current().toString()).contains(kid(colliding[0])).contains(kid(7));
    }

    private String kid(int suffix) {
        return String.format(Locale.ROOT, "%013d-%08x", clock.instant().toEpochMilli(), suffix);
    }

    /** Hands out the given ints first, then random ones. */
    private static final class ScriptedRandom extends SecureRandom {
        private final Deque<Integer> ints = new ArrayDeque<>();

        ScriptedRandom(int... values) {
            for (int value : values) {
                ints.add(value);
            }
        }

        @Override
        public int nextInt() {
            return ints.isEmpty() ? super.nextInt() : ints.poll();
        }
    }
}
