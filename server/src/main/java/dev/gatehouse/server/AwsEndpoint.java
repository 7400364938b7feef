package dev.gatehouse.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.gatehouse.http.RequestBodies;
import dev.gatehouse.objects.S3Endpoint;
import dev.gatehouse.protocol.AwsError;
import dev.gatehouse.protocol.AwsJson;
import dev.gatehouse.protocol.AwsJsonService;
import dev.gatehouse.protocol.AwsRequest;
import dev.gatehouse.protocol.AwsResponse;
import dev.gatehouse.protocol.CommonErrors;
import dev.gatehouse.protocol.JsonErrorWriter;
import dev.gatehouse.protocol.ServiceException;
import dev.gatehouse.tables.DynamoDbService;
import dev.gatehouse.userpool.PasswordOperations;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AWS endpoint's HTTP handler (DESIGN.md §2). Routes:
 * <ul>
 *   <li>{@code POST /} with {@code X-Amz-Target}: the {@link AwsJsonService} whose prefix the target names, run on the
 *       {@link WorkerPool}; no such service: {@code UnknownOperationException}.</li>
 *   <li>{@code GET /<poolId>/.well-known/jwks.json} and {@code openid-configuration}: the pool's documents; 404 JSON
 *       for an unknown pool.</li>
 *   <li>{@code OPTIONS}: CORS preflight, so browser clients (amazon-cognito-identity-js) can call the endpoint.</li>
 *   <li>Path-style S3 requests ({@code /<bucket>[/<key>]}, any method; see {@link S3Endpoint#accepts}): the
 *       {@link S3Endpoint}, when one is set.</li>
 *   <li>Anything else: 404.</li>
 * </ul>
 * The event loop reads bodies (bounded by {@code maxBodyBytes}), writes responses, and answers what a service can
 * answer from its memos without blocking ({@link AwsJsonService#dispatchWithoutBlocking}: GetUser with a token seen
 * recently); all other work runs on the worker pool, and a full pool answers {@code TooManyRequestsException} at
 * once. Every response carries a request id ({@code x-amzn-RequestId}), and every request leaves one access-log line:
 * method, target or path, status, error code, latency, request id; never a body, a query string, a token or an
 * authorization header.
 */
final class AwsEndpoint implements Handler<HttpServerRequest> {

    private static final Logger ACCESS = LoggerFactory.getLogger("dev.gatehouse.access");
    private static final Logger LOG = LoggerFactory.getLogger(AwsEndpoint.class);

    private static final Pattern WELL_KNOWN =
            Pattern.compile("/([^/]{1,128})/\\.well-known/(jwks\\.json|openid-configuration)");
    /** The longest target that may appear in the log. */
    private static final int MAX_LOGGED_TARGET = 128;

    private static final int DYNAMODB_MAX_BODY = 16 << 20;
    /** The health check; {@code _} cannot start a bucket name, so no S3 path collides with it. */
    static final String HEALTH_PATH = "/_gatehouse/health";
    /** The stack's status: applied, or failed with the reason (the last good stack still serving). */
    static final String STACK_PATH = "/_gatehouse/stack";

    // Header names and values every response carries, encoded once (HttpHeaders.createOptimized), not per response.
    private static final CharSequence REQUEST_ID = HttpHeaders.createOptimized("x-amzn-RequestId");
    private static final CharSequence ALLOW_ORIGIN = HttpHeaders.createOptimized("Access-Control-Allow-Origin");
    private static final CharSequence ANY_ORIGIN = HttpHeaders.createOptimized("*");
    private static final CharSequence EXPOSE_HEADERS = HttpHeaders.createOptimized("Access-Control-Expose-Headers");
    private static final CharSequence EXPOSED_HEADERS =
            HttpHeaders.createOptimized("x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date");

    private final List<AwsJsonService> services;
    private final Optional<WellKnownDocuments> documents;
    private final WorkerPool workers;
    private final int maxBodyBytes;
    private final InFlight inFlight = new InFlight();
    private volatile @Nullable S3Endpoint objects;
    private volatile @Nullable DynamoDbService tables;
    private volatile @Nullable BooleanSupplier storeProbe;
    private volatile @Nullable StackGate gate;
    private volatile @Nullable Supplier<String> stackStatus;

    AwsEndpoint(
            List<AwsJsonService> services,
            Optional<WellKnownDocuments> documents,
            WorkerPool workers,
            int maxBodyBytes) {
        this.services = List.copyOf(services);
        this.documents = Objects.requireNonNull(documents, "documents cannot be null");
        this.workers = Objects.requireNonNull(workers, "workers cannot be null");
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Serves path-style S3 requests ({@code /<bucket>[/<key>]}) with {@code endpoint}; none by default. */
    void setObjects(S3Endpoint endpoint) {
        this.objects = Objects.requireNonNull(endpoint, "endpoint cannot be null");
    }

    /** Serves DynamoDB's API ({@code X-Amz-Target: DynamoDB_20120810.*}) with {@code service}; none by default. */
    void setTables(DynamoDbService service) {
        this.tables = Objects.requireNonNull(service, "service cannot be null");
    }

    /**
     * Marks the stack applied: from now on {@value #HEALTH_PATH} answers 200 while {@code probe} (a read of the store,
     * run on a worker) succeeds, and 503 otherwise. Before this, it answers 503.
     */
    void setReady(BooleanSupplier probe) {
        this.storeProbe = Objects.requireNonNull(probe, "probe cannot be null");
    }

    /**
     * A changed template is applied before a Cognito or DynamoDB request runs ({@code gate}), and
     * {@value #STACK_PATH} answers {@code status}, the stack's status as JSON.
     */
    void setStack(Optional<StackGate> gate, Supplier<String> status) {
        this.gate = gate.orElse(null);
        this.stackStatus = Objects.requireNonNull(status, "status cannot be null");
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
        Exchange exchange = new Exchange(request, requestId(), System.nanoTime());
        inFlight.enter();
        try {
            route(exchange);
        } catch (RuntimeException e) {
            LOG.error("request {} failed before dispatch", exchange.requestId, e);
            exchange.respond(JsonErrorWriter.write(CommonErrors.internalError(), exchange.requestId));
        }
    }

    /**
     * A version-4 UUID for {@code x-amzn-RequestId}. It identifies a request in logs and grants nothing, so it is drawn
     * from the thread's own generator, not the shared SecureRandom that {@link UUID#randomUUID} locks per call.
     */
    static String requestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = random.nextLong() & ~0xF000L | 0x4000L;
        long least = random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L;
        return new UUID(most, least).toString();
    }

    private void route(Exchange exchange) {
        HttpServerRequest request = exchange.request;
        if (inFlight.draining()) {
            exchange.closeAfter = true;
            exchange.respond(JsonErrorWriter.write(
                    new AwsError(
                            "ServiceUnavailableException", 503, AwsError.Fault.RECEIVER, "Service is shutting down."),
                    exchange.requestId));
            return;
        }
        String path = request.path() == null ? "" : request.path();
        HttpMethod method = request.method();
        if (HEALTH_PATH.equals(path) && (method == HttpMethod.GET || method == HttpMethod.HEAD)) {
            exchange.label = "health";
            health(exchange);
            return;
        }
        Supplier<String> status = stackStatus;
        if (STACK_PATH.equals(path) && method == HttpMethod.GET && status != null) {
            exchange.label = "stack";
            exchange.respond(new AwsResponse(
                    200,
                    Map.of("Content-Type", "application/json", "x-amzn-RequestId", exchange.requestId),
                    status.get().getBytes(StandardCharsets.UTF_8)));
            return;
        }
        S3Endpoint s3 = objects;
        if (s3 != null && s3.accepts(request) && !WELL_KNOWN.matcher(path).matches()) {
            exchange.label = method.name().equals("OPTIONS") ? "s3-preflight" : "s3";
            s3.handle(request, exchange.requestId, exchange::finished);
            return;
        }
        if (method == HttpMethod.OPTIONS) {
            exchange.respond(preflight(request, exchange.requestId));
        } else if (method == HttpMethod.POST && "/".equals(path)) {
            exchange.label =
                    request.getHeader("x-amz-target") == null ? "/" : safeTarget(request.getHeader("x-amz-target"));
            readBody(exchange);
        } else if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
            Matcher matcher = WELL_KNOWN.matcher(path);
            if (matcher.matches() && documents.isPresent()) {
                String poolId = matcher.group(1);
                String name = matcher.group(2);
                runOnWorker(exchange, () -> wellKnown(documents.get(), poolId, name, exchange.requestId));
            } else {
                exchange.respond(notFound(exchange.requestId));
            }
        } else {
            exchange.respond(notFound(exchange.requestId));
        }
    }

    private void readBody(Exchange exchange) {
        HttpServerRequest request = exchange.request;
        String target = request.getHeader("x-amz-target");
        // DynamoDB takes requests up to 16 MB (a BatchWriteItem of 25 items of 400 KB, a 4 MB transaction).
        int limit = target != null && target.startsWith(DynamoDbService.TARGET_PREFIX + ".") && tables != null
                ? Math.max(maxBodyBytes, DYNAMODB_MAX_BODY)
                : maxBodyBytes;
        if (RequestBodies.declaredLongerThan(request, limit)) {
            exchange.closeAfter = true;
            exchange.respond(JsonErrorWriter.write(tooLarge(limit), exchange.requestId));
            return;
        }
        RequestBodies.readBounded(
                request,
                limit,
                body -> dispatch(exchange, body),
                () -> {
                    exchange.closeAfter = true;
                    exchange.respond(JsonErrorWriter.write(tooLarge(limit), exchange.requestId));
                },
                e -> {
                    LOG.debug("request {} body could not be read: {}", exchange.requestId, e.toString());
                    exchange.finishWithoutResponse();
                });
    }

    private void dispatch(Exchange exchange, byte[] body) {
        AwsRequest request = toAwsRequest(exchange, body);
        DynamoDbService dynamoDb = tables;
        if (dynamoDb != null && dynamoDb.accepts(request)) {
            runOnWorker(exchange, () -> {
                awaitCurrentStack();
                return dynamoDb.dispatch(request);
            });
            return;
        }
        Optional<AwsJsonService> service = serviceFor(request);
        if (service.isEmpty()) {
            exchange.respond(JsonErrorWriter.write(CommonErrors.unknownOperation(), exchange.requestId));
            return;
        }
        StackGate stack = gate;
        // one look at the template per request: a stack seen current here is not looked at again on the worker
        boolean current = stack == null || stack.current();
        if (current) {
            // answered from memos on the event loop when it can (GetUser with a token seen recently); else on a worker
            Optional<AwsResponse> answer = service.get().dispatchWithoutBlocking(request);
            if (answer.isPresent()) {
                exchange.respond(answer.get());
                return;
            }
        }
        String target = request.header("x-amz-target").orElse("");
        WorkerPool.Lane lane = PasswordOperations.mayHash(target) ? WorkerPool.Lane.PASSWORD : WorkerPool.Lane.GENERAL;
        runOnWorker(exchange, lane, () -> {
            if (!current) {
                awaitCurrentStack();
            }
            return service.get().dispatch(request);
        });
    }

    private Optional<AwsJsonService> serviceFor(AwsRequest request) {
        for (AwsJsonService service : services) {
            if (service.accepts(request)) {
                return Optional.of(service);
            }
        }
        return Optional.empty();
    }

    private void runOnWorker(Exchange exchange, Supplier<AwsResponse> work) {
        runOnWorker(exchange, WorkerPool.Lane.GENERAL, work);
    }

    private void runOnWorker(Exchange exchange, WorkerPool.Lane lane, Supplier<AwsResponse> work) {
        Context context = Vertx.currentContext();
        CompletableFuture<AwsResponse> future;
        try {
            future = workers.submit(lane, work);
        } catch (ServiceException e) {
            exchange.respond(JsonErrorWriter.write(e.error(), exchange.requestId));
            return;
        }
        future.whenComplete((response, failure) -> {
            AwsResponse answer = response;
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause()
                        : failure;
                answer = cause instanceof ServiceException se
                        ? JsonErrorWriter.write(se.error(), exchange.requestId)
                        : internalError(exchange.requestId, cause);
            }
            AwsResponse finalAnswer = Objects.requireNonNull(answer, "a completed future has a response or a failure");
            if (context == null) {
                exchange.respond(finalAnswer);
            } else {
                context.runOnContext(v -> exchange.respond(finalAnswer));
            }
        });
    }

    /** On a worker: waits while a changed template is applied, so the request meets the stack as saved. */
    private void awaitCurrentStack() {
        StackGate stack = gate;
        if (stack != null && !stack.current()) {
            stack.refresh().toCompletableFuture().join();
        }
    }

    private static AwsResponse internalError(String requestId, Throwable cause) {
        LOG.error("request {} failed", requestId, cause);
        return JsonErrorWriter.write(CommonErrors.internalError(), requestId);
    }

    private static AwsResponse wellKnown(WellKnownDocuments documents, String poolId, String name, String requestId) {
        Optional<String> document = documents.document(poolId, name);
        if (document.isEmpty()) {
            return json(404, Map.of("message", "User pool " + poolId + " does not exist."), requestId);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json; charset=utf-8");
        headers.put("Cache-Control", "public, max-age=300");
        headers.put("x-amzn-RequestId", requestId);
        return new AwsResponse(200, headers, document.get().getBytes(StandardCharsets.UTF_8));
    }

    /** For a balancer: 200 once the stack is applied and while the store answers; 503 otherwise (and while draining). */
    private void health(Exchange exchange) {
        BooleanSupplier probe = storeProbe;
        if (probe == null) {
            exchange.respond(json(503, Map.of("status", "starting"), exchange.requestId));
            return;
        }
        runOnWorker(
                exchange,
                () -> probe.getAsBoolean()
                        ? json(200, Map.of("status", "ready"), exchange.requestId)
                        : json(503, Map.of("status", "store unreachable"), exchange.requestId));
    }

    private static AwsResponse notFound(String requestId) {
        return json(404, Map.of("message", "Not Found"), requestId);
    }

    private static AwsError tooLarge(int limit) {
        return new AwsError(
                "RequestEntityTooLargeException",
                413,
                AwsError.Fault.SENDER,
                "Request body is larger than " + limit + " bytes.");
    }

    private static AwsResponse preflight(HttpServerRequest request, String requestId) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
        String requested = request.getHeader("access-control-request-headers");
        headers.put("Access-Control-Allow-Headers", requested == null ? "*" : requested);
        headers.put("Access-Control-Max-Age", "86400");
        headers.put("x-amzn-RequestId", requestId);
        return new AwsResponse(200, headers, new byte[0]);
    }

    private static AwsResponse json(int status, Map<String, String> body, String requestId) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("x-amzn-RequestId", requestId);
        try {
            return new AwsResponse(status, headers, AwsJson.mapper().writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serializes", e);
        }
    }

    private static AwsRequest toAwsRequest(Exchange exchange, byte[] body) {
        HttpServerRequest request = exchange.request;
        Map<String, List<String>> headers = new LinkedHashMap<>();
        request.headers().forEach(entry -> headers.computeIfAbsent(
                        entry.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                .add(entry.getValue()));
        SocketAddress remote = request.remoteAddress();
        String query = request.query();
        return new AwsRequest(
                request.method().name(),
                request.path() == null ? "/" : request.path(),
                query == null ? "" : query,
                headers,
                body,
                remote == null || remote.host() == null ? "" : remote.host(),
                exchange.requestId);
    }

    /**
     * What may appear of a target in the log: an operation name ({@code [A-Za-z0-9._-]{1,128}}), nothing a client could
     * use to forge log lines.
     */
    static String safeTarget(String target) {
        if (target.isEmpty() || target.length() > MAX_LOGGED_TARGET) {
            return "<invalid-target>";
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            boolean allowed = c >= 'a' && c <= 'z'
                    || c >= 'A' && c <= 'Z'
                    || c >= '0' && c <= '9'
                    || c == '.'
                    || c == '_'
                    || c == '-';
            if (!allowed) {
                return "<invalid-target>";
            }
        }
        return target;
    }

    /** One request and its response, written exactly once. */
    private final class Exchange {
        private final HttpServerRequest request;
        private final String requestId;
        private final long startNanos;
        private @Nullable String label;
        private boolean closeAfter;
        private boolean done;

        Exchange(HttpServerRequest request, String requestId, long startNanos) {
            this.request = request;
            this.requestId = requestId;
            this.startNanos = startNanos;
        }

        void respond(AwsResponse answer) {
            if (done) {
                return;
            }
            done = true;
            // Counted out before the write: by the time a client sees the response, the request is no longer in flight.
            inFlight.leave();
            try {
                HttpServerResponse response = request.response();
                if (!response.ended() && !response.closed()) {
                    response.setStatusCode(answer.status());
                    answer.headers().forEach(response::putHeader);
                    response.putHeader(REQUEST_ID, requestId);
                    response.putHeader(ALLOW_ORIGIN, ANY_ORIGIN);
                    response.putHeader(EXPOSE_HEADERS, EXPOSED_HEADERS);
                    if (closeAfter) {
                        response.putHeader("Connection", "close");
                    }
                    response.end(Buffer.buffer(answer.body()));
                    if (closeAfter) {
                        RequestBodies.closeWhenRead(request);
                    }
                }
            } finally {
                logAnswered(answer);
            }
        }

        /** One access-log line, as {@code "{} {} {}{} {}ms {}"} would give it, built without the message formatter. */
        private void logAnswered(AwsResponse answer) {
            if (!ACCESS.isInfoEnabled()) {
                return;
            }
            String errorType = answer.headers().get("x-amzn-ErrorType");
            StringBuilder line = new StringBuilder(128)
                    .append(request.method().name())
                    .append(' ')
                    .append(label == null ? logPath() : label)
                    .append(' ')
                    .append(answer.status());
            if (errorType != null) {
                line.append(' ').append(errorType);
            }
            line.append(' ')
                    .append((System.nanoTime() - startNanos) / 1_000_000)
                    .append("ms ")
                    .append(requestId);
            ACCESS.info(line.toString());
        }

        /** The response was written by another handler (S3); status 0: the client went away first. */
        void finished(int status, @Nullable String errorCode) {
            if (!done) {
                done = true;
                inFlight.leave();
                ACCESS.info(
                        "{} {} {}{} {}ms {}",
                        request.method().name(),
                        logPath(),
                        status == 0 ? "aborted" : status,
                        errorCode == null ? "" : " " + errorCode,
                        (System.nanoTime() - startNanos) / 1_000_000,
                        requestId);
            }
        }

        void finishWithoutResponse() {
            if (!done) {
                done = true;
                inFlight.leave();
                ACCESS.info(
                        "{} {} aborted {}ms {}",
                        request.method().name(),
                        label == null ? logPath() : label,
                        (System.nanoTime() - startNanos) / 1_000_000,
                        requestId);
            }
        }

        private String logPath() {
            String path = request.path() == null ? "" : request.path();
            String clipped = path.length() > 200 ? path.substring(0, 200) + "..." : path;
            // Paths are client-controlled: keep log lines single and printable.
            return clipped.replaceAll("[^\\x21-\\x7e]", "?");
        }
    }
}
