package dev.gatehouse.gateway;

/**
 * A per-route setting for {@link Api.Builder#route}: an {@link Authorization}, {@link Throttle}, {@link Concurrency} or
 * {@link Invocation}.
 */
public sealed interface RouteOption permits Authorization, Throttle, Concurrency, Invocation {}
