package dev.gatehouse.gateway;

import java.time.Duration;

/**
 * Schedules one request's integration timeout. The gateway has its own (one shared scheduler thread); a server may
 * pass a cheaper one per request to {@link Gateway#handle(GatewayRequest, IntegrationTimer)}, such as the timer of the
 * event loop the request arrived on.
 */
@FunctionalInterface
public interface IntegrationTimer {

    /**
     * Runs {@code task} once after {@code delay}, on any thread, unless cancelled first.
     *
     * @return cancels the task; may be called from any thread, more than once, and after the task ran
     */
    Runnable schedule(Duration delay, Runnable task);
}
