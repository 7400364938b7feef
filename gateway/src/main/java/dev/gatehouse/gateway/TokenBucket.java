package dev.gatehouse.gateway;

import java.time.Clock;

/** A token bucket over a {@link Clock}: starts full at {@code burst}, refills at {@code rate} per second. */
final class TokenBucket {

    private final double rate;
    private final double capacity;
    private final Clock clock;
    private double tokens;
    private long lastMillis;

    TokenBucket(Throttle throttle, Clock clock) {
        this.rate = throttle.ratePerSecond();
        this.capacity = throttle.burst();
        this.clock = clock;
        this.tokens = capacity;
        this.lastMillis = clock.millis();
    }

    synchronized boolean tryAcquire() {
        long now = clock.millis();
        if (now > lastMillis) {
            tokens = Math.min(capacity, tokens + (now - lastMillis) * rate / 1000.0);
            lastMillis = now;
        }
        if (tokens >= 1.0) {
            tokens -= 1.0;
            return true;
        }
        return false;
    }
}
