package dev.gatehouse.functions;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The Lambda Runtime API (version {@code 2018-06-01}) of one sandbox, over HTTP/1.1, exactly as the official runtime
 * clients need it (lambda-and-templates.md §1):
 * <ul>
 *   <li>{@code GET /2018-06-01/runtime/invocation/next}: held open until an event exists, then 200 with the event and
 *       the {@code Lambda-Runtime-*} headers;</li>
 *   <li>{@code POST …/invocation/{id}/response}, {@code …/{id}/error}: 202 {@code {"status":"OK"}}, 400
 *       {@code InvalidRequestID} for an id that is not the one in flight, 413 over 6 MB;</li>
 *   <li>{@code POST /2018-06-01/runtime/init/error}: 202, or 403 {@code InvalidStateTransition} after init.</li>
 * </ul>
 * Every answer carries {@code Content-Type: application/json} and a length: the clients' native core reads the
 * content type unchecked and crashes (SIGSEGV) on an answer without one.
 */
final class RuntimeApi {

    static final String VERSION_PREFIX = "/2018-06-01/runtime/";
    /** Lambda's payload limit for a response: 6 MB plus 100 bytes, as the Runtime Interface Emulator counts it. */
    static final int MAX_RESPONSE_BYTES = 6 * 1024 * 1024 + 100;

    static final String ERROR_TYPE_HEADER = "Lambda-Runtime-Function-Error-Type";

    private RuntimeApi() {}

    /** What the sandbox (its pool) does for each call; the answers are written by this class. */
    interface Sandbox {
        /** The runtime asks for the next event: answer {@code next} now via {@link #deliver} or hold it. */
        void next(HttpServerResponse next);

        Reply response(String requestId, byte[] body);

        Reply error(String requestId, Optional<String> errorType, byte[] body);

        Reply initError(Optional<String> errorType, byte[] body);

        /** The response body was larger than Lambda allows. */
        Reply responseTooLarge(String requestId);
    }

    /** A status and its JSON body. */
    record Reply(int status, String body) {
        static final Reply ACCEPTED = new Reply(202, "{\"status\":\"OK\"}\n");

        static Reply error(int status, String errorType, String message) {
            return new Reply(status, "{\"errorMessage\":\"" + message + "\",\"errorType\":\"" + errorType + "\"}\n");
        }

        static Reply invalidRequestId() {
            return error(400, "InvalidRequestID", "Invalid request ID");
        }

        static Reply invalidStateTransition() {
            return error(403, "InvalidStateTransition", "State transition is not allowed");
        }
    }

    /** One event as {@code /next} delivers it. */
    record Delivery(
            String requestId,
            long deadlineMs,
            String functionArn,
            String traceId,
            Optional<String> clientContext,
            Optional<String> cognitoIdentity,
            byte[] payload) {}

    static Handler<HttpServerRequest> handler(Sandbox sandbox) {
        return request -> {
            String path = request.path();
            if (!path.startsWith(VERSION_PREFIX)) {
                reply(request.response(), Reply.error(404, "NotFound", "Not found"));
                return;
            }
            String rest = path.substring(VERSION_PREFIX.length());
            if (rest.equals("invocation/next")) {
                if (request.method() != HttpMethod.GET) {
                    reply(request.response(), Reply.error(405, "MethodNotAllowed", "Method not allowed"));
                    return;
                }
                sandbox.next(request.response());
                return;
            }
            if (request.method() != HttpMethod.POST) {
                reply(
                        request.response(),
                        Reply.error(
                                rest.startsWith("invocation/") || rest.equals("init/error") ? 405 : 404,
                                "NotFound",
                                "Not found"));
                return;
            }
            post(request, rest, sandbox);
        };
    }

    private static void post(HttpServerRequest request, String rest, Sandbox sandbox) {
        Optional<String> errorType = Optional.ofNullable(request.getHeader(ERROR_TYPE_HEADER));
        if (rest.equals("init/error")) {
            readBody(
                    request,
                    body -> reply(
                            request.response(),
                            body.isEmpty()
                                    ? Reply.error(
                                            413,
                                            "RequestEntityTooLarge",
                                            "Exceeded maximum allowed payload size (6291556 bytes).")
                                    : sandbox.initError(errorType, body.get())));
            return;
        }
        String[] parts = rest.split("/");
        if (parts.length != 3
                || !parts[0].equals("invocation")
                || !(parts[2].equals("response") || parts[2].equals("error"))) {
            reply(request.response(), Reply.error(404, "NotFound", "Not found"));
            return;
        }
        String requestId = URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
        boolean success = parts[2].equals("response");
        readBody(request, body -> {
            if (body.isEmpty()) {
                sandbox.responseTooLarge(requestId);
                reply(
                        request.response(),
                        Reply.error(
                                413,
                                "RequestEntityTooLarge",
                                "Exceeded maximum allowed payload size (6291556 bytes)."));
            } else {
                reply(
                        request.response(),
                        success
                                ? sandbox.response(requestId, body.get())
                                : sandbox.error(requestId, errorType, body.get()));
            }
        });
    }

    /** Reads the body up to {@link #MAX_RESPONSE_BYTES}; empty when it is larger (the rest is drained). */
    private static void readBody(HttpServerRequest request, Handler<Optional<byte[]>> then) {
        Buffer body = Buffer.buffer();
        boolean[] tooLarge = new boolean[1];
        request.handler(chunk -> {
            if (!tooLarge[0] && body.length() + chunk.length() <= MAX_RESPONSE_BYTES) {
                body.appendBuffer(chunk);
            } else {
                tooLarge[0] = true;
            }
        });
        request.endHandler(end -> then.handle(tooLarge[0] ? Optional.empty() : Optional.of(body.getBytes())));
    }

    static void reply(HttpServerResponse response, Reply reply) {
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(reply.status())
                .putHeader("Content-Type", "application/json")
                .end(reply.body());
    }

    /** Answers a held {@code /next} with an event; false when its connection is gone. */
    static boolean deliver(HttpServerResponse next, Delivery delivery) {
        if (next.ended() || next.closed()) {
            return false;
        }
        next.setStatusCode(200)
                .putHeader("Content-Type", "application/json")
                .putHeader("Lambda-Runtime-Aws-Request-Id", delivery.requestId())
                .putHeader("Lambda-Runtime-Deadline-Ms", Long.toString(delivery.deadlineMs()))
                .putHeader("Lambda-Runtime-Invoked-Function-Arn", delivery.functionArn())
                .putHeader("Lambda-Runtime-Trace-Id", delivery.traceId());
        delivery.clientContext().ifPresent(value -> next.putHeader("Lambda-Runtime-Client-Context", value));
        delivery.cognitoIdentity().ifPresent(value -> next.putHeader("Lambda-Runtime-Cognito-Identity", value));
        next.end(Buffer.buffer(delivery.payload()));
        return true;
    }
}
