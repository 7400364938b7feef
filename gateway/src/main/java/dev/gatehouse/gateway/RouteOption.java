package dev.gatehouse.gateway;

/** A per-route setting for {@link Api.Builder#route}: an {@link Authorization}, {@link Throttle} or {@link Concurrency}. */
public sealed interface RouteOption permits Authorization, Throttle, Concurrency {
}
