package dev.gatehouse.gateway;

/** How an integration ended: the handler's answer, mapped, or the gateway's own error answer. */
sealed interface IntegrationResult permits IntegrationResult.Answered, IntegrationResult.Failed {

    record Answered(GatewayResponse response) implements IntegrationResult {}

    record Failed(GatewayError error) implements IntegrationResult {}
}
