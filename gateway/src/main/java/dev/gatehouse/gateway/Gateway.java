package dev.gatehouse.gateway;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.gatehouse.iam.CredentialResolver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API Gateway for one {@link Api} (HTTP or REST), independent of any HTTP server: the server adapts its requests to
 * {@link GatewayRequest} and writes the {@link GatewayResponse} back.
 *
 * <p>Per request, in API Gateway's order: payload limit (413), CORS preflight (answered here), stage and route
 * ({@link RouteTable}: 404, or 403 on REST), throttle (429), authorization ({@link IamAuthorizer},
 * {@link JwtAuthorizer}, {@link CognitoAuthorizer}: 401/403, the handler never runs), then the integration
 * ({@link Invoker}) with its event in the route's payload format, under the integration timeout. Every response carries
 * {@code apigw-requestid} and, for allowed origins, the configured CORS headers; the gateway's own errors go through
 * the API's {@link GatewayResponses}; one access-log line is written per request (logger
 * {@code dev.gatehouse.gateway.access}). {@link #handle} never blocks on a handler, so it may be called on an event
 * loop; authorization runs on the calling thread (a {@link JwksSource} is only called on an unknown {@code kid}).
 */
public final class Gateway implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    private static final Logger ACCESS = LoggerFactory.getLogger("dev.gatehouse.gateway.access");

    /** API Gateway's payload limit: 10 MB. */
    public static final int MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

    private final Api api;
    private final String accountId;
    private final String domainName;
    private final Clock clock;
    private final int maxPayloadBytes;
    private final Supplier<String> requestIds;
    private final Optional<IamAuthorizer> iam;
    private final RouteTable routes;
    private final Invoker invoker;
    private final ScheduledExecutorService timer;
    private final IntegrationTimer ownTimer;

    private Gateway(Builder builder) {
        this.api = builder.api;
        this.accountId = builder.accountId;
        this.domainName = builder.domainName != null
                ? builder.domainName
                : api.apiId() + ".execute-api." + builder.region + ".amazonaws.com";
        this.clock = builder.clock;
        this.maxPayloadBytes = builder.maxPayloadBytes;
        this.requestIds = builder.requestIds;
        CredentialResolver<IamPrincipal> resolver = builder.credentialResolver;
        boolean needsIam = api.routes().stream().anyMatch(r -> r.authorization() instanceof Authorization.Iam);
        if (needsIam && resolver == null) {
            throw new IllegalStateException(
                    "API " + api.name() + " has AWS_IAM routes: a credentialResolver is required");
        }
        this.iam = Optional.ofNullable(resolver)
                .map(r -> new IamAuthorizer(r, builder.region, accountId, api.apiId(), api.type(), clock));
        List<RouteTable.Entry> entries = new ArrayList<>();
        for (Api.Route route : api.routes()) {
            entries.add(new RouteTable.Entry(
                    route,
                    route.throttle().map(t -> new TokenBucket(t, clock)),
                    api.name() + "-" + route.key().key()));
        }
        this.routes = new RouteTable(entries, api.stages());
        Duration timeout = builder.timeout != null
                ? builder.timeout
                : api.type() == ApiType.REST ? Duration.ofSeconds(29) : Duration.ofSeconds(30);
        this.invoker = new Invoker(api.name(), routes.entries(), api.type(), timeout, clock);
        ScheduledThreadPoolExecutor timeouts =
                new ScheduledThreadPoolExecutor(1, Invoker.daemon("gateway-" + api.name() + "-timer"));
        // Nearly every invocation finishes long before its 30 s timeout: drop cancelled timeouts at once rather than
        // keep
        // (and keep their responses reachable) for 30 s.
        timeouts.setRemoveOnCancelPolicy(true);
        this.timer = timeouts;
        this.ownTimer = (delay, task) -> {
            ScheduledFuture<?> scheduled = timeouts.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
            return () -> scheduled.cancel(false);
        };
    }

    /** Starts a gateway for {@code api}. */
    public static Builder builder(Api api) {
        return new Builder(api);
    }

    public Api api() {
        return api;
    }

    /**
     * Answers one request; the stage completes on a worker thread, or at once for gateway-generated answers and
     * non-blocking routes.
     */
    public CompletionStage<GatewayResponse> handle(GatewayRequest request) {
        return handle(request, ownTimer);
    }

    /** As {@link #handle(GatewayRequest)}, with the integration timeout scheduled on {@code timer}. */
    public CompletionStage<GatewayResponse> handle(GatewayRequest request, IntegrationTimer timer) {
        Objects.requireNonNull(request, "request cannot be null");
        Objects.requireNonNull(timer, "timer cannot be null");
        long started = System.nanoTime();
        String requestId = requestIds.get();
        CompletionStage<Outcome> outcome;
        try {
            outcome = route(request, requestId, timer);
        } catch (RuntimeException e) {
            LOG.error("request {} failed in the gateway", requestId, e);
            outcome = CompletableFuture.completedFuture(Outcome.failed(GatewayErrors.internalError(), "-", "-"));
        }
        return outcome.handle((o, failure) -> {
            Outcome result = o;
            if (failure != null || result == null) {
                LOG.error("request {} failed in the gateway", requestId, failure);
                result = Outcome.failed(GatewayErrors.internalError(), "-", "-");
            }
            return answer(request, result, requestId, started);
        });
    }

    /**
     * The answer for a request the server refuses before (or without) {@link #handle}: {@code 413} for a body over the
     * payload limit (read or declared), {@code 503} while draining, {@code 500} when the request could not be handed
     * over. Like every gateway answer it carries API Gateway's error body, {@code apigw-requestid} and the API's CORS
     * headers for an allowed origin, and is written to the access log. {@code request} may have an empty body.
     *
     * @throws IllegalArgumentException for any other status
     */
    public GatewayResponse refuse(GatewayRequest request, int status) {
        Objects.requireNonNull(request, "request cannot be null");
        GatewayError error =
                switch (status) {
                    case 413 -> GatewayErrors.tooLarge();
                    case 500 -> GatewayErrors.internalError();
                    case 503 -> GatewayErrors.serviceUnavailable();
                    default -> throw new IllegalArgumentException(
                            "the server refuses with 413, 500 or 503, not " + status);
                };
        return answer(request, Outcome.failed(error, "-", "-"), requestIds.get(), System.nanoTime());
    }

    /** A request's result: the integration's answer or the gateway's own error; the route and auth for the log. */
    private record Outcome(IntegrationResult result, String routeKey, String auth) {
        static Outcome failed(GatewayError error, String routeKey, String auth) {
            return new Outcome(new IntegrationResult.Failed(error), routeKey, auth);
        }
    }

    private GatewayResponse answer(GatewayRequest request, Outcome outcome, String requestId, long started) {
        GatewayResponse raw = outcome.result() instanceof IntegrationResult.Answered
                ? ((IntegrationResult.Answered) outcome.result()).response()
                : api.gatewayResponses()
                        .apply(((IntegrationResult.Failed) outcome.result()).error(), request, requestId);
        GatewayResponse response = finish(request, raw, requestId);
        if (!ACCESS.isInfoEnabled()) {
            return response;
        }
        ACCESS.info(
                "{} {} {} route={} status={} latencyMs={} auth={} ip={}",
                requestId,
                request.method(),
                request.rawPath(),
                outcome.routeKey(),
                response.status(),
                (System.nanoTime() - started) / 1_000_000,
                outcome.auth(),
                request.sourceIp());
        return response;
    }

    private CompletionStage<Outcome> route(GatewayRequest request, String requestId, IntegrationTimer timer) {
        if (request.body().length > maxPayloadBytes) {
            return done(GatewayErrors.tooLarge(), "-", "-");
        }
        Optional<CorsConfig> cors = api.cors();
        if (cors.isPresent()
                && request.method().equals("OPTIONS")
                && request.header("origin").isPresent()
                && request.header("access-control-request-method").isPresent()) {
            return CompletableFuture.completedFuture(
                    new Outcome(new IntegrationResult.Answered(preflight(cors.get(), request)), "-", "preflight"));
        }
        Optional<RouteTable.Match> found = routes.match(request.method(), request.rawPath());
        if (found.isEmpty()) {
            return done(GatewayErrors.notFound(api.type()), "-", "-");
        }
        RouteTable.Match match = found.get();
        Api.Route route = match.entry().route();
        String routeKey = route.key().key();
        if (match.entry().bucket().filter(b -> !b.tryAcquire()).isPresent()) {
            return done(GatewayErrors.tooManyRequests(), routeKey, "-");
        }
        Instant now = clock.instant();
        AuthOutcome auth = authorize(route.authorization(), request, match, now);
        if (auth instanceof AuthOutcome.Refused) {
            return done(((AuthOutcome.Refused) auth).error(), routeKey, auth.log());
        }
        Caller caller = ((AuthOutcome.Allowed) auth).caller();
        return integrate(request, match, caller, requestId, now, timer)
                .thenApply(result -> new Outcome(result, routeKey, auth.log()));
    }

    private CompletionStage<IntegrationResult> integrate(
            GatewayRequest request,
            RouteTable.Match match,
            Caller caller,
            String requestId,
            Instant now,
            IntegrationTimer timer) {
        Integration integration = match.entry().route().integration();
        if (integration instanceof Integration.Handler) {
            return invoker.handle(
                    match.entry(),
                    (Integration.Handler) integration,
                    v2Event(request, match, caller, requestId, now),
                    requestId,
                    now,
                    timer);
        }
        Integration.Function function = (Integration.Function) integration;
        byte[] event = function.format() == PayloadFormat.V2_0
                ? FunctionResponses.v2Event(v2Event(request, match, caller, requestId, now))
                : EventsV1.event(
                        request,
                        new EventsV1.Context(
                                api.type(), match, caller, accountId, api.apiId(), domainName, requestId, now));
        return invoker.invoke(match.entry(), function, event, requestId, timer);
    }

    private APIGatewayV2HTTPEvent v2Event(
            GatewayRequest request, RouteTable.Match match, Caller caller, String requestId, Instant now) {
        return Events.event(
                request,
                new Events.Context(
                        match.entry().route().key().key(),
                        match.stage(),
                        match.parameters(),
                        accountId,
                        api.apiId(),
                        domainName,
                        requestId,
                        now,
                        Events.authorizer(caller)));
    }

    private static CompletionStage<Outcome> done(GatewayError error, String routeKey, String auth) {
        return CompletableFuture.completedFuture(Outcome.failed(error, routeKey, auth));
    }

    private AuthOutcome authorize(
            Authorization authorization, GatewayRequest request, RouteTable.Match match, Instant now) {
        if (authorization instanceof Authorization.Jwt) {
            return authorizeJwt((Authorization.Jwt) authorization, request, now);
        }
        if (authorization instanceof Authorization.CognitoUserPools) {
            Authorization.CognitoUserPools cognito = (Authorization.CognitoUserPools) authorization;
            return cognito.authorizer().authorize(request, cognito.scopes(), now);
        }
        if (authorization instanceof Authorization.Iam) {
            return iam.orElseThrow().authorize(request, match.stage(), match.path(), now);
        }
        return new AuthOutcome.Allowed(new Caller.Anonymous(), "NONE");
    }

    private AuthOutcome authorizeJwt(Authorization.Jwt jwt, GatewayRequest request, Instant now) {
        JwtAuthorizer authorizer = jwt.authorizer();
        JwtAuthorizer.Outcome outcome =
                authorizer.authorize(request.header(authorizer.identitySource()), jwt.scopes(), now);
        if (outcome instanceof JwtAuthorizer.Unauthorized) {
            String description = ((JwtAuthorizer.Unauthorized) outcome).description();
            return new AuthOutcome.Refused(
                    GatewayErrors.unauthorized(api.type(), description), "JWT unauthorized (" + description + ")");
        }
        if (outcome instanceof JwtAuthorizer.Forbidden) {
            return new AuthOutcome.Refused(GatewayErrors.forbidden(), "JWT forbidden (scope)");
        }
        JwtAuthorizer.Allowed allowed = (JwtAuthorizer.Allowed) outcome;
        return new AuthOutcome.Allowed(
                new Caller.Jwt(allowed.claims(), Optional.ofNullable(allowed.scopes())),
                "JWT allow sub=" + allowed.claims().getOrDefault("sub", "-"));
    }

    private GatewayResponse preflight(CorsConfig cors, GatewayRequest request) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        String origin = request.header("origin").orElse("");
        Optional<String> allowed = cors.allowedOrigin(origin);
        if (allowed.isPresent()) {
            headers.put("access-control-allow-origin", List.of(allowed.get()));
            if (!cors.allowMethods().isEmpty()) {
                headers.put("access-control-allow-methods", List.of(String.join(",", cors.allowMethods())));
            }
            if (!cors.allowHeaders().isEmpty()) {
                headers.put("access-control-allow-headers", List.of(String.join(",", cors.allowHeaders())));
            }
            if (cors.allowCredentials()) {
                headers.put("access-control-allow-credentials", List.of("true"));
            }
            if (cors.maxAge() >= 0) {
                headers.put("access-control-max-age", List.of(Integer.toString(cors.maxAge())));
            }
        }
        return new GatewayResponse(204, headers, new byte[0]);
    }

    /**
     * Adds the request id and, when an HTTP API has CORS configured, replaces the CORS headers. A REST API's CORS
     * ({@code Cors} in SAM) only answers preflights: its function sets its own headers, and its gateway responses those
     * of the gateway's errors, as on API Gateway.
     */
    private GatewayResponse finish(GatewayRequest request, GatewayResponse response, String requestId) {
        Map<String, List<String>> headers = new LinkedHashMap<>(response.headers());
        Optional<CorsConfig> cors = api.type() == ApiType.HTTP ? api.cors() : Optional.empty();
        boolean preflight = response.status() == 204 && headers.containsKey("access-control-allow-methods");
        if (cors.isPresent() && !preflight) {
            headers.keySet().removeIf(name -> name.startsWith("access-control-"));
            Optional<String> allowed =
                    request.header("origin").flatMap(o -> cors.get().allowedOrigin(o));
            if (allowed.isPresent()) {
                headers.put("access-control-allow-origin", List.of(allowed.get()));
                if (cors.get().allowCredentials()) {
                    headers.put("access-control-allow-credentials", List.of("true"));
                }
                if (!cors.get().exposeHeaders().isEmpty()) {
                    headers.put(
                            "access-control-expose-headers",
                            List.of(String.join(",", cors.get().exposeHeaders())));
                }
            }
        }
        headers.put("apigw-requestid", List.of(requestId));
        return new GatewayResponse(response.status(), headers, response.body());
    }

    /** Stops the worker pools; running handlers are interrupted. Functions are the functions module's to stop. */
    @Override
    public void close() {
        invoker.close();
        timer.shutdownNow();
    }

    /** API Gateway-style request ids: 10 random bytes, base64 ({@code JZHe5jGjIAMEPsA=}). */
    static String randomRequestId() {
        byte[] bytes = new byte[10];
        ThreadLocalRandom.current().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** Builds a {@link Gateway}; region and account are required, a credential resolver when the API uses AWS_IAM. */
    public static final class Builder {
        private final Api api;
        private String region = "us-east-1";
        private String accountId = "000000000000";
        private @Nullable String domainName;
        private Clock clock = Clock.systemUTC();
        private @Nullable Duration timeout;
        private int maxPayloadBytes = MAX_PAYLOAD_BYTES;
        private Supplier<String> requestIds = Gateway::randomRequestId;
        private @Nullable CredentialResolver<IamPrincipal> credentialResolver;

        private Builder(Api api) {
            this.api = Objects.requireNonNull(api, "api cannot be null");
        }

        /** The region in SigV4 scopes and ARNs; default {@code us-east-1}. */
        public Builder region(String region) {
            this.region = Objects.requireNonNull(region, "region cannot be null");
            return this;
        }

        /** The API owner's account, in ARNs and the event; default {@code 000000000000}. */
        public Builder accountId(String accountId) {
            this.accountId = Objects.requireNonNull(accountId, "accountId cannot be null");
            return this;
        }

        /** The event's {@code domainName}; default {@code <apiId>.execute-api.<region>.amazonaws.com}. */
        public Builder domainName(String domainName) {
            this.domainName = Objects.requireNonNull(domainName, "domainName cannot be null");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock cannot be null");
            return this;
        }

        /** The integration timeout; default and maximum 30 s (29 s default for a REST API, as API Gateway's). */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout cannot be null");
            if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofSeconds(30)) > 0) {
                throw new IllegalArgumentException("timeout must be between 1 ms and 30 s");
            }
            this.timeout = timeout;
            return this;
        }

        /** The payload limit; default 10 MB. */
        public Builder maxPayloadBytes(int maxPayloadBytes) {
            this.maxPayloadBytes = maxPayloadBytes;
            return this;
        }

        /** Generates request ids; default 10 random bytes in base64. */
        public Builder requestIds(Supplier<String> requestIds) {
            this.requestIds = Objects.requireNonNull(requestIds, "requestIds cannot be null");
            return this;
        }

        /** Resolves SigV4 access keys to callers (required when a route is AWS_IAM). */
        public Builder credentialResolver(CredentialResolver<IamPrincipal> credentialResolver) {
            this.credentialResolver = Objects.requireNonNull(credentialResolver, "credentialResolver cannot be null");
            return this;
        }

        public Gateway build() {
            return new Gateway(this);
        }
    }
}
