package dev.gatehouse.gateway;

import java.util.Objects;

/**
 * An answer the gateway gives itself, with its gateway-response type ({@code UNAUTHORIZED},
 * {@code MISSING_AUTHENTICATION_TOKEN}, …, or {@code DEFAULT_4XX}/{@code DEFAULT_5XX} when no specific type fits), by
 * which a REST API's {@link GatewayResponses} adjust it.
 */
record GatewayError(String type, GatewayResponse response) {
    GatewayError {
        Objects.requireNonNull(type, "type cannot be null");
        Objects.requireNonNull(response, "response cannot be null");
    }
}
