package dev.gatehouse.gateway;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An API in the spirit of SST's {@code Api}: routes to Lambda-style handlers or to functions run in worker processes
 * ({@link Integration}), a default authorization with per-route overrides, CORS, throttling and stages. An HTTP API
 * by default; {@link Builder#type(ApiType)} makes a REST API (payload 1.0, Cognito user-pool authorizers, gateway
 * responses). Everything is given as data (route keys, names, {@link PayloadFormat}), so a template's APIs build the
 * same way:
 *
 * <pre>{@code
 * Api rest = Api.builder("ServerlessRestApi", "x1y2z3a4b5").type(ApiType.REST).stage("Prod")
 *     .defaultAuthorization(Authorization.awsIam())
 *     .route("GET /hello", Integration.function(functions, "HelloFunction", PayloadFormat.V1_0))
 *     .gatewayResponses(GatewayResponses.builder().response("DEFAULT_4XX", OptionalInt.empty(),
 *         Map.of("Access-Control-Allow-Origin", "'*'"), Optional.empty()).build())
 *     .build();
 * }</pre>
 *
 * <pre>{@code
 * Api api = Api.builder("notes", "a1b2c3d4e5")
 *     .defaultAuthorization(Authorization.awsIam())
 *     .route("GET /public", publicHandler, Authorization.none())
 *     .route("GET /private", privateHandler)
 *     .cors(CorsConfig.builder().allowOrigins("*").allowMethods("*").allowHeaders("*").build())
 *     .throttle(Throttle.of(100, 200))
 *     .build();
 * }</pre>
 */
public final class Api {

    /** A route with its effective settings. */
    record Route(
            RouteKey key,
            Integration integration,
            Authorization authorization,
            Optional<Throttle> throttle,
            Concurrency concurrency,
            Invocation invocation) {}

    private final String name;
    private final String apiId;
    private final List<Route> routes;
    private final Set<String> stages;
    private final Optional<CorsConfig> cors;
    private final ApiType type;
    private final GatewayResponses gatewayResponses;

    private Api(Builder builder) {
        this.name = builder.name;
        this.apiId = builder.apiId;
        this.type = builder.type;
        this.gatewayResponses = builder.gatewayResponses;
        if (type == ApiType.REST && builder.stages.isEmpty()) {
            throw new IllegalStateException("REST API " + name + " needs a stage (StageName)");
        }
        if (type == ApiType.REST && builder.stages.contains(RouteKey.DEFAULT)) {
            throw new IllegalStateException("REST API " + name + ": a REST API has no $default stage");
        }
        List<Route> built = new ArrayList<>();
        for (PendingRoute pending : builder.routes) {
            if (type == ApiType.REST && pending.key.isDefault()) {
                throw new IllegalStateException("REST API " + name + ": a REST API has no $default route");
            }
            if (type == ApiType.REST
                    && pending.integration instanceof Integration.Function
                    && ((Integration.Function) pending.integration).format() != PayloadFormat.V1_0) {
                throw new IllegalStateException(
                        "REST API " + name + ": " + pending.key.key() + " must use payload 1.0");
            }
            if (type == ApiType.REST && pending.integration instanceof Integration.Handler) {
                throw new IllegalStateException("REST API " + name + ": " + pending.key.key()
                        + " needs a function integration (in-process handlers take payload 2.0 only)");
            }
            built.add(new Route(
                    pending.key,
                    pending.integration,
                    pending.authorization != null ? pending.authorization : builder.defaultAuthorization,
                    Optional.ofNullable(pending.throttle != null ? pending.throttle : builder.throttle),
                    pending.concurrency != null ? pending.concurrency : Concurrency.DEFAULT,
                    pending.invocation));
        }
        this.routes = List.copyOf(built);
        this.stages = Set.copyOf(builder.stages.isEmpty() ? Set.of(RouteKey.DEFAULT) : builder.stages);
        this.cors = Optional.ofNullable(builder.cors);
    }

    /**
     * Starts an API.
     *
     * @param name the API's name, for logs
     * @param apiId the id in its ARNs and domain name, such as {@code a1b2c3d4e5}
     */
    public static Builder builder(String name, String apiId) {
        return new Builder(name, apiId);
    }

    public String name() {
        return name;
    }

    public String apiId() {
        return apiId;
    }

    List<Route> routes() {
        return routes;
    }

    /** An HTTP API or a REST API. */
    public ApiType type() {
        return type;
    }

    GatewayResponses gatewayResponses() {
        return gatewayResponses;
    }

    /** Stage names; {@code $default} is served without a prefix. */
    Set<String> stages() {
        return stages;
    }

    Optional<CorsConfig> cors() {
        return cors;
    }

    private static final class PendingRoute {
        private final RouteKey key;
        private final Integration integration;
        private @Nullable Authorization authorization;
        private @Nullable Throttle throttle;
        private @Nullable Concurrency concurrency;
        private Invocation invocation = Invocation.WORKER_POOL;

        PendingRoute(RouteKey key, Integration integration) {
            this.key = key;
            this.integration = integration;
        }
    }

    /** Builds an {@link Api}. Default authorization {@link Authorization#none()}; only the {@code $default} stage. */
    public static final class Builder {
        private final String name;
        private final String apiId;
        private final List<PendingRoute> routes = new ArrayList<>();
        private final Set<String> stages = new LinkedHashSet<>();
        private Authorization defaultAuthorization = Authorization.none();
        private @Nullable Throttle throttle;
        private @Nullable CorsConfig cors;
        private ApiType type = ApiType.HTTP;
        private GatewayResponses gatewayResponses = GatewayResponses.NONE;

        private Builder(String name, String apiId) {
            this.name = Objects.requireNonNull(name, "name cannot be null");
            this.apiId = Objects.requireNonNull(apiId, "apiId cannot be null");
        }

        /** The authorization of routes that set none. */
        public Builder defaultAuthorization(Authorization authorization) {
            this.defaultAuthorization = Objects.requireNonNull(authorization, "authorization cannot be null");
            return this;
        }

        /** The throttle of routes that set none ({@code DefaultRouteSettings}); default unlimited. */
        public Builder throttle(Throttle throttle) {
            this.throttle = Objects.requireNonNull(throttle, "throttle cannot be null");
            return this;
        }

        /**
         * An HTTP API (the default) or a REST API: a REST API needs a named stage, routes with function integrations
         * of payload 1.0, and answers as REST APIs do ({@link ApiType}).
         */
        public Builder type(ApiType type) {
            this.type = Objects.requireNonNull(type, "type cannot be null");
            return this;
        }

        /** The API's gateway responses ({@code DEFAULT_4XX}, …); default none. */
        public Builder gatewayResponses(GatewayResponses gatewayResponses) {
            this.gatewayResponses = Objects.requireNonNull(gatewayResponses, "gatewayResponses cannot be null");
            return this;
        }

        public Builder cors(CorsConfig cors) {
            this.cors = Objects.requireNonNull(cors, "cors cannot be null");
            return this;
        }

        /** Adds a stage: {@code $default} (no path prefix) or a name served under {@code /<name>/}. */
        public Builder stage(String stage) {
            Objects.requireNonNull(stage, "stage cannot be null");
            if (!stage.equals(RouteKey.DEFAULT) && !stage.matches("[A-Za-z0-9_-]{1,128}")) {
                throw new IllegalArgumentException("invalid stage name: " + stage);
            }
            stages.add(stage);
            return this;
        }

        /**
         * Adds a route.
         *
         * @param routeKey {@code $default}, or {@code METHOD /path} with {@code ANY}, {@code {param}}, {@code {proxy+}}
         * @param handler the integration
         * @param options at most one each of {@link Authorization}, {@link Throttle}, {@link Concurrency},
         *     {@link Invocation}; {@link Invocation#NON_BLOCKING} takes no {@link Concurrency} (it has no pool)
         * @throws IllegalArgumentException for a malformed or duplicate route key, or a non-blocking route with a
         *     {@link Concurrency}
         */
        public Builder route(
                String routeKey,
                RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler,
                RouteOption... options) {
            return route(
                    routeKey, Integration.handler(Objects.requireNonNull(handler, "handler cannot be null")), options);
        }

        /**
         * Adds a route to any integration, such as {@link Integration#function} (a template's function).
         *
         * @param routeKey {@code $default}, or {@code METHOD /path} with {@code ANY}, {@code {param}}, {@code {proxy+}}
         * @param integration what the route invokes
         * @param options as {@link #route(String, RequestHandler, RouteOption...)}; a function integration takes no
         *     {@link Concurrency} or {@link Invocation} (its workers are bounded by the functions module)
         * @throws IllegalArgumentException for a malformed or duplicate route key, or options that do not fit
         */
        public Builder route(String routeKey, Integration integration, RouteOption... options) {
            RouteKey key = RouteKey.parse(routeKey);
            if (routes.stream().anyMatch(r -> r.key.key().equals(key.key()))) {
                throw new IllegalArgumentException("duplicate route: " + routeKey);
            }
            PendingRoute route =
                    new PendingRoute(key, Objects.requireNonNull(integration, "integration cannot be null"));
            boolean invocationSet = false;
            for (RouteOption option : options) {
                if (option instanceof Authorization) {
                    route.authorization = (Authorization) option;
                } else if (option instanceof Throttle) {
                    route.throttle = (Throttle) option;
                } else if (option instanceof Concurrency) {
                    route.concurrency = (Concurrency) option;
                } else {
                    route.invocation = (Invocation) option;
                    invocationSet = true;
                }
            }
            if (route.invocation == Invocation.NON_BLOCKING && route.concurrency != null) {
                throw new IllegalArgumentException(
                        routeKey + ": a non-blocking route runs on no worker pool, so it takes no " + "Concurrency");
            }
            if (integration instanceof Integration.Function && (route.concurrency != null || invocationSet)) {
                throw new IllegalArgumentException(routeKey + ": a function route takes no Concurrency or Invocation");
            }
            routes.add(route);
            return this;
        }

        public Api build() {
            return new Api(this);
        }
    }
}
