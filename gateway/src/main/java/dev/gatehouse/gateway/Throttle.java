package dev.gatehouse.gateway;

/**
 * API Gateway's route throttling: a token bucket refilled at {@code ratePerSecond} holding at most {@code burst}
 * requests. Requests beyond it get 429 {@code {"message":"Too Many Requests"}}.
 *
 * @param ratePerSecond the steady rate ({@code ThrottlingRateLimit})
 * @param burst the bucket size ({@code ThrottlingBurstLimit})
 */
public record Throttle(double ratePerSecond, int burst) implements RouteOption {

    public Throttle {
        if (!(ratePerSecond >= 0) || burst < 0) {
            throw new IllegalArgumentException("ratePerSecond and burst must be >= 0");
        }
    }

    public static Throttle of(double ratePerSecond, int burst) {
        return new Throttle(ratePerSecond, burst);
    }
}
