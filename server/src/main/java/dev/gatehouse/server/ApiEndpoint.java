package dev.gatehouse.server;

import dev.gatehouse.gateway.Gateway;
import dev.gatehouse.gateway.GatewayRequest;
import dev.gatehouse.gateway.GatewayResponse;
import dev.gatehouse.gateway.IntegrationTimer;
import dev.gatehouse.http.RequestBodies;
import dev.gatehouse.iam.HeaderMap;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API endpoint's HTTP handler: adapts each request to a {@link GatewayRequest}, hands it to the {@link Gateway}
 * and writes its {@link GatewayResponse} back. The event loop only reads the body (refused past the gateway's payload
 * limit before it is all buffered) and writes the answer: {@link Gateway#handle} runs handlers on its own bounded
 * pools and completes later. The gateway writes the access log; this class adds nothing to it.
 */
final class ApiEndpoint implements Handler<HttpServerRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(ApiEndpoint.class);

    /** Swapped whole when the stack is applied again: a request reads it once, so it meets one stack or the other. */
    private volatile Gateway gateway;

    private volatile @Nullable StackGate gate;
    private final int maxPayloadBytes;
    private final InFlight inFlight = new InFlight();

    ApiEndpoint(Gateway gateway, int maxPayloadBytes) {
        this.gateway = Objects.requireNonNull(gateway, "gateway cannot be null");
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /** Serves {@code next} from now on; returns the gateway it replaces (requests under way on it finish there). */
    Gateway swap(Gateway next) {
        Gateway previous = gateway;
        gateway = Objects.requireNonNull(next, "next cannot be null");
        return previous;
    }

    /** Each request waits, once its body is read, until {@code value} says the stack is current. */
    void gate(StackGate value) {
        gate = Objects.requireNonNull(value, "value cannot be null");
    }

    /** Requests accepted and not yet answered. */
    int inFlight() {
        return inFlight.count();
    }

    /** From now on, new requests are refused with 503 and their connections closed; accepted ones still finish. */
    void drain() {
        inFlight.drain();
    }

    @Override
    public void handle(HttpServerRequest request) {
        inFlight.enter();
        Exchange exchange = new Exchange(request);
        try {
            if (inFlight.draining()) {
                exchange.closeAfter = true;
                exchange.respond(refusal(request, 503));
                return;
            }
            if (RequestBodies.declaredLongerThan(request, maxPayloadBytes)) {
                exchange.closeAfter = true;
                exchange.respond(refusal(request, 413));
                return;
            }
            readBody(exchange);
        } catch (RuntimeException e) {
            LOG.error("API request failed before reaching the gateway", e);
            exchange.respond(refusal(request, 500));
        }
    }

    /** The gateway's answer (request id, CORS, access log) for a request refused here; a bare error if that fails. */
    private GatewayResponse refusal(HttpServerRequest request, int status) {
        try {
            return gateway.refuse(gatewayRequest(request, new byte[0]), status);
        } catch (RuntimeException e) {
            LOG.error("the gateway could not answer a refused request", e);
            return status == 413
                    ? error(413, "RequestEntityTooLargeException", "Request Entity Too Large")
                    : status == 503
                            ? error(503, "ServiceUnavailableException", "Service Unavailable")
                            : error(500, "InternalServerErrorException", "Internal Server Error");
        }
    }

    private void readBody(Exchange exchange) {
        HttpServerRequest request = exchange.request;
        RequestBodies.readBounded(
                request,
                maxPayloadBytes,
                body -> forward(exchange, body),
                () -> {
                    exchange.closeAfter = true;
                    exchange.respond(refusal(request, 413));
                },
                e -> {
                    LOG.debug("API request body could not be read: {}", e.toString());
                    exchange.finishWithoutResponse();
                });
    }

    private void forward(Exchange exchange, byte[] body) {
        StackGate stack = gate;
        if (stack == null || stack.current()) {
            send(exchange, body);
            return;
        }
        Context context = Vertx.currentContext();
        stack.refresh().whenComplete((applied, failure) -> {
            if (context == null) {
                send(exchange, body);
            } else {
                context.runOnContext(v -> send(exchange, body));
            }
        });
    }

    private void send(Exchange exchange, byte[] body) {
        Gateway gateway = this.gateway;
        GatewayRequest gatewayRequest = gatewayRequest(exchange.request, body);
        Context context = Vertx.currentContext();
        CompletionStage<GatewayResponse> answer = context == null
                ? gateway.handle(gatewayRequest)
                : gateway.handle(gatewayRequest, loopTimer(context.owner()));
        answer.whenComplete((response, failure) -> {
            GatewayResponse result = response;
            if (failure != null || result == null) {
                LOG.error("the gateway failed a request", failure);
                result = refusal(exchange.request, 500);
            }
            GatewayResponse finalResult = result;
            // Answered on this event loop already (a gateway error, a non-blocking route): write it now.
            if (context == null || Vertx.currentContext() == context) {
                exchange.respond(finalResult);
            } else {
                context.runOnContext(v -> exchange.respond(finalResult));
            }
        });
    }

    /** The integration timeout on the request's event loop: no scheduler thread, no lock on the hot path. */
    private static IntegrationTimer loopTimer(Vertx vertx) {
        return (delay, task) -> {
            long id = vertx.setTimer(Math.max(1, delay.toMillis()), ignored -> task.run());
            return () -> vertx.cancelTimer(id);
        };
    }

    private static GatewayRequest gatewayRequest(HttpServerRequest request, byte[] body) {
        // Every value as received, host included: the gateway and SigV4 need them exactly. Copied once, here.
        HeaderMap.Builder received = HeaderMap.builder();
        request.headers().forEach(received::add);
        HeaderMap headers = received.build();
        String rawPath = request.path() == null ? "/" : request.path();
        String rawQuery = request.query() == null ? "" : request.query();
        SocketAddress remote = request.remoteAddress();
        String sourceIp = remote == null || remote.host() == null ? "" : remote.host();
        String protocol = request.version() == HttpVersion.HTTP_1_0 ? "HTTP/1.0" : "HTTP/1.1";
        return new GatewayRequest(request.method().name(), rawPath, rawQuery, headers, body, sourceIp, protocol);
    }

    /** An API Gateway error body, for the answers this endpoint gives before the gateway sees a request. */
    private static GatewayResponse error(int status, String errorType, String message) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("content-type", List.of("application/json"));
        headers.put("x-amzn-errortype", List.of(errorType));
        return new GatewayResponse(
                status, headers, ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    /** One request and its response, written exactly once. */
    private final class Exchange {
        private final HttpServerRequest request;
        private boolean closeAfter;
        private boolean done;

        Exchange(HttpServerRequest request) {
            this.request = request;
        }

        void respond(GatewayResponse answer) {
            if (done) {
                return;
            }
            done = true;
            inFlight.leave();
            HttpServerResponse response = request.response();
            if (response.ended() || response.closed()) {
                return;
            }
            response.setStatusCode(answer.status());
            // Each value its own header line: several set-cookie values must never be joined.
            answer.headers()
                    .forEach((name, values) ->
                            values.forEach(value -> response.headers().add(name, value)));
            if (closeAfter) {
                response.putHeader("connection", "close");
            }
            response.end(Buffer.buffer(answer.body()));
            if (closeAfter) {
                RequestBodies.closeWhenRead(request);
            }
        }

        void finishWithoutResponse() {
            if (!done) {
                done = true;
                inFlight.leave();
            }
        }
    }
}
