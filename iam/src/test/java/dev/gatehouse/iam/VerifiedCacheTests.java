package dev.gatehouse.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class VerifiedCacheTests {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void getWhenStoredThenValueUntilJustBeforeExpiry() {
        VerifiedCache<VerifiedCache.Key, String> cache = new VerifiedCache<>(8);
        VerifiedCache.Key key = VerifiedCache.keyOf("token");
        cache.put(key, "opened", NOW.plusSeconds(60), NOW);

        assertThat(cache.get(VerifiedCache.keyOf("token"), NOW.plusSeconds(59))).contains("opened");
        assertThat(cache.get(key, NOW.plusSeconds(60))).isEmpty();
        assertThat(cache.size()).isZero();
    }

    @Test
    void getWhenInputDiffersInOneCharacterThenEmpty() {
        VerifiedCache<VerifiedCache.Key, String> cache = new VerifiedCache<>(8);
        cache.put(VerifiedCache.keyOf("eyJhbGciOi.payload.signature"), "verified", NOW.plusSeconds(60), NOW);

        assertThat(cache.get(VerifiedCache.keyOf("eyJhbGciOi.payload.signaturf"), NOW))
                .isEmpty();
        assertThat(cache.get(VerifiedCache.keyOf("eyJhbGciOi.payload.signature "), NOW))
                .isEmpty();
        assertThat(cache.get(VerifiedCache.keyOf("eyJhbGciOi.payload.signature"), NOW))
                .contains("verified");
    }

    @Test
    void getWhenKeyedOnTheInputItselfThenOnlyTheSameTextFound() {
        VerifiedCache<String, String> cache = new VerifiedCache<>(8);
        cache.put("AQJrMQ.sealed-session-token", "opened", NOW.plusSeconds(60), NOW);

        assertThat(cache.get(new String("AQJrMQ.sealed-session-token".toCharArray()), NOW))
                .contains("opened");
        assertThat(cache.get("AQJrMQ.sealed-session-tokem", NOW)).isEmpty();
        assertThat(cache.get("AQJrMQ.sealed-session-token", NOW.plusSeconds(60)))
                .isEmpty();
    }

    @Test
    void putWhenAlreadyExpiredThenNothingStored() {
        VerifiedCache<VerifiedCache.Key, String> cache = new VerifiedCache<>(8);
        cache.put(VerifiedCache.keyOf("token"), "opened", NOW, NOW);

        assertThat(cache.size()).isZero();
    }

    @Test
    void putWhenFullThenExpiredDroppedThenSizeStaysBounded() {
        VerifiedCache<VerifiedCache.Key, String> cache = new VerifiedCache<>(100);
        for (int i = 0; i < 50; i++) {
            cache.put(VerifiedCache.keyOf("short-" + i), "v", NOW.plusSeconds(1), NOW);
        }
        for (int i = 0; i < 1000; i++) {
            cache.put(VerifiedCache.keyOf("long-" + i), "v", NOW.plus(Duration.ofHours(1)), NOW.plusSeconds(2));
            assertThat(cache.size()).isLessThanOrEqualTo(100);
        }
        assertThat(cache.get(VerifiedCache.keyOf("long-999"), NOW.plusSeconds(2)))
                .contains("v");
    }

    @Test
    void putWhenExpiryCenturiesAwayThenStoredAndFound() {
        VerifiedCache<String, String> cache = new VerifiedCache<>(8);
        Instant farAway = Instant.parse("9999-12-31T23:59:59Z");

        cache.put("token", "verified", farAway, NOW);

        assertThat(cache.get("token", NOW)).contains("verified");
        assertThat(cache.get("token", farAway)).isEmpty();
    }

    @Test
    void putWhenManyNewInputsFloodThenAnEntryInUseSurvives() {
        VerifiedCache<String, String> cache = new VerifiedCache<>(100);
        cache.put("live-session", "opened", NOW.plusSeconds(3600), NOW);
        for (int i = 0; i < 5000; i++) {
            assertThat(cache.get("live-session", NOW)).as("after %d others", i).contains("opened");
            cache.put("one-off-" + i, "v", NOW.plusSeconds(3600), NOW);
        }

        assertThat(cache.size()).isLessThanOrEqualTo(100);
    }

    @Test
    void constructorWhenNotPositiveThenRejected() {
        assertThatThrownBy(() -> new VerifiedCache<String, String>(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
