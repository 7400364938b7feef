package dev.gatehouse.gateway;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.gatehouse.iam.CredentialResolver;
import dev.gatehouse.iam.Decision;
import dev.gatehouse.iam.PolicyEvaluator;
import dev.gatehouse.iam.SigV4Verifier;
import dev.gatehouse.iam.SignatureException;
import dev.gatehouse.iam.SignedRequest;
import dev.gatehouse.iam.VerifiedCaller;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API Gateway (HTTP API) for one {@link Api}, independent of any HTTP server: the server adapts its requests to
 * {@link GatewayRequest} and writes the {@link GatewayResponse} back.
 *
 * <p>Per request, in API Gateway's order: payload limit (413), CORS preflight (answered here), stage and route (404),
 * throttle (429), authorization (401/403; the handler never runs), then the handler on the route's bounded worker
 * pool (429 when full), with the integration timeout (503) and handler failures (500); a route declared
 * {@link Invocation#NON_BLOCKING} runs its handler on the calling thread instead. Every response carries
 * {@code apigw-requestid} and, for allowed origins, the configured CORS headers; one access-log line is written per
 * request (logger {@code dev.gatehouse.gateway.access}). {@link #handle} never blocks on a handler, so it may be called
 * on an event loop; authorization runs on the calling thread (a {@link JwksSource} is only called on an unknown
 * {@code kid}).
 */
public final class Gateway implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
  private static final Logger ACCESS = LoggerFactory.getLogger("dev.gatehouse.gateway.access");
  private static final String ACTION = "execute-api:Invoke";

  /** API Gateway's payload limit: 10 MB. */
  public static final int MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

  private final Api api;
  private final String region;
  private final String accountId;
  private final String domainName;
  private final Clock clock;
  private final Duration timeout;
  private final int maxPayloadBytes;
  private final Supplier<String> requestIds;
  private final @Nullable SigV4Verifier<IamPrincipal> verifier;
  private final List<RouteState> routes;
  private final ScheduledExecutorService timer;
  private final IntegrationTimer ownTimer;
  /** {@code arn:aws:execute-api:<region>:<account>:<apiId>/}: the route ARNs' constant part. */
  private final String arnPrefix;

  /**
   * A route at run time; {@code pool} is absent for a {@link Invocation#NON_BLOCKING} route; {@code function} names
   * the handler in its Lambda context.
   */
  private record RouteState(Api.Route route, Optional<TokenBucket> bucket, Optional<ThreadPoolExecutor> pool,
      String function) {
  }

  private record Match(RouteState state, String stage, List<String> path, Map<String, String> parameters) {
  }

  /** An authorization outcome: the event's authorizer, or the error response; {@code log} for the access log. */
  private record AuthResult(APIGatewayV2HTTPEvent.RequestContext.@Nullable Authorizer authorizer,
      @Nullable GatewayResponse error, String log) {
  }

  private Gateway(Builder builder) {
    this.api = builder.api;
    this.region = builder.region;
    this.accountId = builder.accountId;
    this.domainName = builder.domainName != null ? builder.domainName
        : api.apiId() + ".execute-api." + region + ".amazonaws.com";
    this.clock = builder.clock;
    this.timeout = builder.timeout;
    this.maxPayloadBytes = builder.maxPayloadBytes;
    this.requestIds = builder.requestIds;
    this.arnPrefix = "arn:aws:execute-api:" + region + ":" + accountId + ":" + api.apiId() + "/";
    CredentialResolver<IamPrincipal> resolver = builder.credentialResolver;
    boolean needsIam = api.routes().stream().anyMatch(r -> r.authorization() instanceof Authorization.Iam);
    if (needsIam && resolver == null) {
      throw new IllegalStateException("API " + api.name() + " has AWS_IAM routes: a credentialResolver is required");
    }
    this.verifier = resolver == null ? null : SigV4Verifier.builder(resolver)
        .service("execute-api").region(region).clock(clock).maxClockSkew(Duration.ofMinutes(5)).build();
    List<RouteState> states = new ArrayList<>();
    // One pool per handler instance, like one function's concurrency shared by all routes that invoke it.
    IdentityHashMap<Object, ThreadPoolExecutor> pools = new IdentityHashMap<>();
    for (Api.Route route : api.routes()) {
      Optional<ThreadPoolExecutor> pool = route.invocation() == Invocation.NON_BLOCKING ? Optional.empty()
          : Optional.of(pools.computeIfAbsent(route.handler(), h -> pool(route)));
      states.add(new RouteState(route, route.throttle().map(t -> new TokenBucket(t, clock)), pool,
          api.name() + "-" + route.key().key()));
    }
    this.routes = List.copyOf(states);
    ScheduledThreadPoolExecutor timeouts = new ScheduledThreadPoolExecutor(1, daemon("gateway-" + api.name() + "-timer"));
    // Nearly every invocation finishes long before its 30 s timeout: drop cancelled timeouts at once rather than keep
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
      outcome = CompletableFuture.completedFuture(new Outcome(GatewayErrors.internalError(), "-", "-"));
    }
    return outcome.handle((o, failure) -> {
      Outcome result = o;
      if (failure != null || result == null) {
        LOG.error("request {} failed in the gateway", requestId, failure);
        result = new Outcome(GatewayErrors.internalError(), "-", "-");
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
    GatewayResponse error = switch (status) {
      case 413 -> GatewayErrors.tooLarge();
      case 500 -> GatewayErrors.internalError();
      case 503 -> GatewayErrors.serviceUnavailable();
      default -> throw new IllegalArgumentException("the server refuses with 413, 500 or 503, not " + status);
    };
    return answer(request, new Outcome(error, "-", "-"), requestIds.get(), System.nanoTime());
  }

  private GatewayResponse answer(GatewayRequest request, Outcome outcome, String requestId, long started) {
    GatewayResponse response = finish(request, outcome.response(), requestId);
    if (!ACCESS.isInfoEnabled()) {
      return response;
    }
    ACCESS.info("{} {} {} route={} status={} latencyMs={} auth={} ip={}", requestId, request.method(),
        request.rawPath(), outcome.routeKey(), response.status(), (System.nanoTime() - started) / 1_000_000,
        outcome.auth(), request.sourceIp());
    return response;
  }

  private record Outcome(GatewayResponse response, String routeKey, String auth) {
  }

  private CompletionStage<Outcome> route(GatewayRequest request, String requestId, IntegrationTimer timer) {
    if (request.body().length > maxPayloadBytes) {
      return done(GatewayErrors.tooLarge(), "-", "-");
    }
    Optional<CorsConfig> cors = api.cors();
    if (cors.isPresent() && request.method().equals("OPTIONS") && request.header("origin").isPresent()
        && request.header("access-control-request-method").isPresent()) {
      return done(preflight(cors.get(), request), "-", "preflight");
    }
    Optional<Match> found = match(request);
    if (found.isEmpty()) {
      return done(GatewayErrors.notFound(), "-", "-");
    }
    Match match = found.get();
    Api.Route route = match.state().route();
    String routeKey = route.key().key();
    if (match.state().bucket().filter(b -> !b.tryAcquire()).isPresent()) {
      return done(GatewayErrors.tooManyRequests(), routeKey, "-");
    }
    Instant now = clock.instant();
    AuthResult auth = authorize(route.authorization(), request, match, now);
    GatewayResponse error = auth.error();
    if (error != null) {
      return done(error, routeKey, auth.log());
    }
    APIGatewayV2HTTPEvent event = Events.event(request, new Events.Context(routeKey, match.stage(), match.parameters(),
        accountId, api.apiId(), domainName, requestId, now, auth.authorizer()));
    return invoke(match.state(), event, requestId, now, timer)
        .thenApply(response -> new Outcome(response, routeKey, auth.log()));
  }

  private static CompletionStage<Outcome> done(GatewayResponse response, String routeKey, String auth) {
    return CompletableFuture.completedFuture(new Outcome(response, routeKey, auth));
  }

  private Optional<Match> match(GatewayRequest request) {
    Optional<List<String>> decoded = Paths.segments(request.rawPath());
    if (decoded.isEmpty()) {
      return Optional.empty();
    }
    List<String> segments = decoded.get();
    for (String segment : segments) {
      if (segment.equals(".") || segment.equals("..")) {
        return Optional.empty();
      }
    }
    String stage;
    List<String> path;
    if (!segments.isEmpty() && !segments.get(0).equals(RouteKey.DEFAULT) && api.stages().contains(segments.get(0))) {
      stage = segments.get(0);
      path = segments.subList(1, segments.size());
    } else if (api.stages().contains(RouteKey.DEFAULT)) {
      stage = RouteKey.DEFAULT;
      path = segments;
    } else {
      return Optional.empty();
    }
    String method = request.method().toUpperCase(Locale.ROOT);
    Optional<Match> best = Optional.empty();
    Comparator<RouteKey> priority = RouteKey::compare;
    RouteState fallback = null;
    for (RouteState state : routes) {
      RouteKey key = state.route().key();
      if (key.isDefault()) {
        fallback = state;
        continue;
      }
      Optional<Map<String, String>> parameters = key.match(method, path);
      if (parameters.isPresent()
          && (best.isEmpty() || priority.compare(key, best.get().state().route().key()) < 0)) {
        best = Optional.of(new Match(state, stage, path, parameters.get()));
      }
    }
    if (best.isEmpty() && fallback != null) {
      best = Optional.of(new Match(fallback, stage, path, Map.of()));
    }
    return best;
  }

  private AuthResult authorize(Authorization authorization, GatewayRequest request, Match match, Instant now) {
    if (authorization instanceof Authorization.Jwt) {
      return authorizeJwt((Authorization.Jwt) authorization, request, now);
    }
    if (authorization instanceof Authorization.Iam) {
      return authorizeIam(request, match, now);
    }
    return new AuthResult(null, null, "NONE");
  }

  private AuthResult authorizeJwt(Authorization.Jwt jwt, GatewayRequest request, Instant now) {
    JwtAuthorizer authorizer = jwt.authorizer();
    JwtAuthorizer.Outcome outcome = authorizer.authorize(request.header(authorizer.identitySource()), jwt.scopes(), now);
    if (outcome instanceof JwtAuthorizer.Unauthorized) {
      String description = ((JwtAuthorizer.Unauthorized) outcome).description();
      return new AuthResult(null, GatewayErrors.unauthorized(description), "JWT unauthorized (" + description + ")");
    }
    if (outcome instanceof JwtAuthorizer.Forbidden) {
      return new AuthResult(null, GatewayErrors.forbidden(), "JWT forbidden (scope)");
    }
    JwtAuthorizer.Allowed allowed = (JwtAuthorizer.Allowed) outcome;
    APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT claims = APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT
        .builder().withClaims(allowed.claims()).withScopes(allowed.scopes()).build();
    return new AuthResult(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder().withJwt(claims).build(), null,
        "JWT allow sub=" + allowed.claims().getOrDefault("sub", "-"));
  }

  private AuthResult authorizeIam(GatewayRequest request, Match match, Instant now) {
    SigV4Verifier<IamPrincipal> sigV4 = Objects.requireNonNull(verifier, "verifier");
    VerifiedCaller<IamPrincipal> caller;
    try {
      caller = sigV4.verify(new SignedRequest(request.method(), request.rawPath(), request.rawQuery(),
          request.headers(), request.body()));
    } catch (SignatureException e) {
      if (e.reason() == SignatureException.Reason.MISSING_AUTHENTICATION) {
        return new AuthResult(null, GatewayErrors.forbidden(), "AWS_IAM missing");
      }
      return new AuthResult(null, GatewayErrors.signature(e.reason().jsonErrorCode(), signatureMessage(e)),
          "AWS_IAM " + e.reason());
    }
    IamPrincipal principal = caller.principal();
    String resource = arnPrefix + match.stage() + "/" + request.method().toUpperCase(Locale.ROOT) + "/"
        + String.join("/", match.path());
    Decision decision = PolicyEvaluator.evaluate(principal.policies(),
        principal.requestContext(ACTION, resource, now, request.sourceIp()));
    if (!decision.allowed()) {
      String message = "User: " + principal.userArn() + " is not authorized to perform: " + ACTION
          + " on resource: " + maskAccount(resource)
          + (decision instanceof Decision.ExplicitDeny ? " with an explicit deny" : "");
      return new AuthResult(null, GatewayErrors.accessDenied(message), "AWS_IAM deny " + principal.userArn());
    }
    APIGatewayV2HTTPEvent.RequestContext.IAM iam = APIGatewayV2HTTPEvent.RequestContext.IAM.builder()
        .withAccessKey(caller.accessKeyId())
        .withAccountId(principal.accountId())
        .withCallerId(principal.callerId())
        .withUserArn(principal.userArn())
        .withUserId(principal.userId())
        .withCognitoIdentity(principal.cognitoIdentity().map(identity ->
            APIGatewayV2HTTPEvent.RequestContext.CognitoIdentity.builder()
                .withAmr(identity.amr())
                .withIdentityId(identity.identityId())
                .withIdentityPoolId(identity.identityPoolId())
                .build()).orElse(null))
        .build();
    return new AuthResult(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder().withIam(iam).build(), null,
        "AWS_IAM allow " + principal.userArn());
  }

  /**
   * The 403 message for a failed signature: on a mismatch API Gateway appends the canonical request and string to sign
   * it computed (the server's own computation, JSON-escaped by the error writer), so the caller can compare them.
   */
  static String signatureMessage(SignatureException e) {
    String message = Objects.requireNonNullElse(e.getMessage(), "Forbidden");
    Optional<String> canonical = e.canonicalRequest();
    Optional<String> stringToSign = e.stringToSign();
    if (canonical.isEmpty() || stringToSign.isEmpty()) {
      return message;
    }
    return message + "\n\nThe Canonical String for this request should have been\n'" + canonical.get()
        + "'\n\nThe String-to-Sign should have been\n'" + stringToSign.get() + "'\n";
  }

  /** API Gateway masks the account in a denied resource ARN: {@code ********1234}. */
  private static String maskAccount(String arn) {
    String[] parts = arn.split(":", 6);
    String account = parts[4];
    if (account.length() > 4) {
      parts[4] = "*".repeat(account.length() - 4) + account.substring(account.length() - 4);
    }
    return String.join(":", parts);
  }

  private CompletionStage<GatewayResponse> invoke(RouteState state, APIGatewayV2HTTPEvent event, String requestId,
      Instant now, IntegrationTimer timer) {
    LambdaContext context = new LambdaContext(requestId, state.function(), now.plus(timeout), clock);
    Optional<ThreadPoolExecutor> pool = state.pool();
    if (pool.isEmpty()) {
      return CompletableFuture.completedFuture(invokeHere(state, event, context, requestId));
    }
    CompletableFuture<GatewayResponse> result = new CompletableFuture<>();
    Future<?> task;
    try {
      // A failure after the timeout answered is not logged: nobody waits for it any more.
      task = pool.get().submit(() -> result.complete(call(state, event, context, requestId, () -> !result.isDone())));
    } catch (RejectedExecutionException e) {
      LOG.warn("request {}: handler pool of {} is full", requestId, state.route().key());
      return CompletableFuture.completedFuture(GatewayErrors.tooManyRequests());
    }
    Runnable cancel = timer.schedule(timeout, () -> {
      if (result.complete(GatewayErrors.serviceUnavailable())) {
        LOG.warn("request {}: handler of {} timed out after {}", requestId, state.route().key(), timeout);
        task.cancel(true);
      }
    });
    CompletableFuture<GatewayResponse> unused = result.whenComplete((r, e) -> cancel.run());
    return result;
  }

  /** Runs a {@link Invocation#NON_BLOCKING} handler on this thread; failures map as on a pool. */
  private static GatewayResponse invokeHere(RouteState state, APIGatewayV2HTTPEvent event, LambdaContext context,
      String requestId) {
    long started = System.nanoTime();
    try {
      return call(state, event, context, requestId, () -> true);
    } finally {
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      if (millis > Invocation.NON_BLOCKING_WARNING_MILLIS) {
        LOG.warn("request {}: non-blocking handler of {} ran {} ms on the calling thread; it should not block",
            requestId, state.route().key(), millis);
      }
    }
  }

  /**
   * Calls the route's handler and maps its answer: a null answer or a throw become 500, the throw logged when
   * {@code awaited} says someone still waits for this answer.
   */
  private static GatewayResponse call(RouteState state, APIGatewayV2HTTPEvent event, LambdaContext context,
      String requestId, BooleanSupplier awaited) {
    try {
      APIGatewayV2HTTPResponse response = state.route().handler().handleRequest(event, context);
      if (response == null) {
        LOG.error("request {}: handler of {} returned null", requestId, state.route().key());
        return GatewayErrors.internalError();
      }
      return Events.response(response);
    } catch (RuntimeException | Error e) {
      if (awaited.getAsBoolean()) {
        LOG.error("request {}: handler of {} failed", requestId, state.route().key(), e);
      }
      return GatewayErrors.internalError();
    }
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

  /** Adds the request id and, when CORS is configured, replaces the CORS headers. */
  private GatewayResponse finish(GatewayRequest request, GatewayResponse response, String requestId) {
    Map<String, List<String>> headers = new LinkedHashMap<>(response.headers());
    Optional<CorsConfig> cors = api.cors();
    boolean preflight = response.status() == 204 && headers.containsKey("access-control-allow-methods");
    if (cors.isPresent() && !preflight) {
      headers.keySet().removeIf(name -> name.startsWith("access-control-"));
      Optional<String> allowed = request.header("origin").flatMap(o -> cors.get().allowedOrigin(o));
      if (allowed.isPresent()) {
        headers.put("access-control-allow-origin", List.of(allowed.get()));
        if (cors.get().allowCredentials()) {
          headers.put("access-control-allow-credentials", List.of("true"));
        }
        if (!cors.get().exposeHeaders().isEmpty()) {
          headers.put("access-control-expose-headers", List.of(String.join(",", cors.get().exposeHeaders())));
        }
      }
    }
    headers.put("apigw-requestid", List.of(requestId));
    return new GatewayResponse(response.status(), headers, response.body());
  }

  private ThreadPoolExecutor pool(Api.Route route) {
    Concurrency concurrency = route.concurrency();
    BlockingQueue<Runnable> queue = concurrency.queueCapacity() == 0
        ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(concurrency.queueCapacity());
    ThreadPoolExecutor pool = new ThreadPoolExecutor(concurrency.maxConcurrency(), concurrency.maxConcurrency(),
        60, TimeUnit.SECONDS, queue, daemon("gateway-" + api.name() + "-" + route.key().key().replace(' ', '-')),
        new ThreadPoolExecutor.AbortPolicy());
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  private static java.util.concurrent.ThreadFactory daemon(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Stops the worker pools; running handlers are interrupted. */
  @Override
  public void close() {
    routes.forEach(state -> state.pool().ifPresent(ThreadPoolExecutor::shutdownNow));
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
    private Duration timeout = Duration.ofSeconds(30);
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

    /** The integration timeout; default and maximum 30 s. */
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
