package dev.gatehouse.gateway;

/** An authorizer's decision on one request; {@code log} describes it for the access log. */
sealed interface AuthOutcome permits AuthOutcome.Allowed, AuthOutcome.Refused {

    String log();

    /** The handler runs for {@code caller}. */
    record Allowed(Caller caller, String log) implements AuthOutcome {}

    /** The gateway answers {@code error} itself; the handler never runs. */
    record Refused(GatewayError error, String log) implements AuthOutcome {}
}
