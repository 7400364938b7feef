package dev.gatehouse.server;

import dev.gatehouse.gateway.Api;
import dev.gatehouse.gateway.ApiType;
import dev.gatehouse.gateway.Authorization;
import dev.gatehouse.gateway.CognitoAuthorizer;
import dev.gatehouse.gateway.CorsConfig;
import dev.gatehouse.gateway.GatewayResponses;
import dev.gatehouse.gateway.Integration;
import dev.gatehouse.gateway.JwtAuthorizer;
import dev.gatehouse.gateway.PayloadFormat;
import dev.gatehouse.gateway.RouteOption;
import dev.gatehouse.stack.Resource;
import dev.gatehouse.stack.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BiFunction;
import java.util.function.Function;

/** Builds the gateway's APIs from a stack's API resources: routes, authorizers, CORS and gateway responses. */
final class StackApis {
    private final StackApplier.Services services;
    private final Map<String, Resource.Function> functions;
    private final BiFunction<String, String, String> attribute;
    private final Function<Value.Text, String> render;

    /**
     * @param functions the applied functions, by logical id
     * @param attribute a resource's attribute ({@code Ref} for its physical id), by logical id and name
     * @param render a template string with its references resolved
     */
    StackApis(
            StackApplier.Services services,
            Map<String, Resource.Function> functions,
            BiFunction<String, String, String> attribute,
            Function<Value.Text, String> render) {
        this.services = services;
        this.functions = functions;
        this.attribute = attribute;
        this.render = render;
    }

    /** The gateway API of {@code model}; its routes' functions must be applied already. */
    Api build(Resource.Api model) {
        String apiId = attribute.apply(model.logicalId(), "Ref");
        boolean rest = model.kind() == Resource.ApiKind.REST;
        Api.Builder api = Api.builder(model.logicalId(), apiId)
                .type(rest ? ApiType.REST : ApiType.HTTP)
                .defaultAuthorization(authorization(model, model.defaultAuth()));
        if (!"$default".equals(model.stageName())) {
            api.stage(model.stageName());
        }
        model.cors().ifPresent(cors -> api.cors(cors(cors)));
        if (!model.gatewayResponses().isEmpty()) {
            api.gatewayResponses(gatewayResponses(model));
        }
        for (Resource.Route route : model.routes()) {
            route(model, api, route);
        }
        try {
            return api.build();
        } catch (IllegalArgumentException e) {
            throw new StackException("resource " + model.logicalId() + ": " + e.getMessage(), e);
        }
    }

    private void route(Resource.Api model, Api.Builder api, Resource.Route route) {
        Resource.Function function = functions.get(route.function());
        if (function == null) {
            throw new StackException("resource " + model.logicalId() + ": route " + route.method() + " " + route.path()
                    + " names function " + route.function() + ", which is not applied");
        }
        String key = "$default".equals(route.path()) ? "$default" : route.method() + " " + route.path();
        List<RouteOption> options = new ArrayList<>();
        route.auth().ifPresent(auth -> options.add(authorization(model, auth)));
        if ("builtin".equals(function.runtime())) {
            if (model.kind() == Resource.ApiKind.REST || "1.0".equals(route.payloadFormat())) {
                throw new StackException("resource " + model.logicalId() + ": route " + key + ": built-in handlers"
                        + " take payload 2.0 events (an HTTP API)");
            }
            BuiltinFunctions.Builtin builtin =
                    services.builtins().find(function.handler()).orElseThrow();
            options.addAll(builtin.options());
            api.route(key, builtin.handler(), options.toArray(RouteOption[]::new));
            return;
        }
        Integration integration = Integration.function(
                services.functions().get(),
                attribute.apply(function.logicalId(), "Ref"),
                PayloadFormat.of(route.payloadFormat()));
        api.route(key, integration, options.toArray(RouteOption[]::new));
    }

    private GatewayResponses gatewayResponses(Resource.Api model) {
        GatewayResponses.Builder responses = GatewayResponses.builder();
        for (Resource.GatewayResponse response : model.gatewayResponses()) {
            Map<String, String> headers = new LinkedHashMap<>();
            response.headers().forEach((name, value) -> headers.put(name, "'" + value + "'"));
            try {
                responses.response(
                        response.responseType(),
                        response.statusCode().map(OptionalInt::of).orElse(OptionalInt.empty()),
                        headers,
                        Optional.ofNullable(response.templates().get("application/json")));
            } catch (IllegalArgumentException e) {
                throw new StackException("resource " + model.logicalId() + ", gateway response: " + e.getMessage(), e);
            }
        }
        return responses.build();
    }

    private Authorization authorization(Resource.Api api, Resource.RouteAuth auth) {
        if (auth instanceof Resource.RouteAuth.Named named) {
            return api.authorizers().get(named.authorizer()) instanceof Resource.Authorizer.CognitoUserPools cognito
                    ? cognito(api, named, cognito)
                    : jwt(api, named);
        }
        return auth instanceof Resource.RouteAuth.AwsIam ? Authorization.awsIam() : Authorization.none();
    }

    /**
     * A JWT authorizer whose issuer is a user pool of this Gatehouse: its tokens are issued under Gatehouse's issuer
     * URL, so the template's {@code https://cognito-idp.<region>.amazonaws.com/<poolId>} is mapped to it, and its keys
     * are read in-process. Other issuers are refused: Gatehouse does not fetch remote JWKS.
     */
    private Authorization jwt(Resource.Api api, Resource.RouteAuth.Named named) {
        Resource.Authorizer authorizer = api.authorizers().get(named.authorizer());
        if (!(authorizer instanceof Resource.Authorizer.Jwt jwt)) {
            throw new StackException(
                    "resource " + api.logicalId() + ": authorizer " + named.authorizer() + " is not a JWT authorizer");
        }
        String issuer = render.apply(jwt.issuer());
        String prefix = "https://cognito-idp." + services.region() + ".amazonaws.com/";
        String poolId = issuer.startsWith(prefix) ? issuer.substring(prefix.length()) : "";
        if (poolId.isEmpty() || !services.userPools().poolExists(poolId)) {
            throw new StackException("resource " + api.logicalId() + ", authorizer " + named.authorizer() + ": issuer "
                    + issuer + " is not a user pool of this Gatehouse (" + prefix + "<poolId>)");
        }
        if (!"$request.header.Authorization".equals(jwt.identitySource())) {
            throw new StackException("resource " + api.logicalId() + ", authorizer " + named.authorizer()
                    + ": only the identity source $request.header.Authorization is supported");
        }
        List<String> audience = jwt.audience().stream().map(render).toList();
        JwtAuthorizer verifier = JwtAuthorizer.of(
                named.authorizer(),
                services.tokens().issuer(poolId),
                audience,
                new PoolKeys(services.tokens(), poolId, services.offLoop()));
        return Authorization.jwt(verifier, named.scopes().toArray(String[]::new));
    }

    /** A Cognito user-pools authorizer (REST): its pool, by ARN, must be one of this Gatehouse's. */
    private Authorization cognito(
            Resource.Api api, Resource.RouteAuth.Named named, Resource.Authorizer.CognitoUserPools authorizer) {
        if (authorizer.userPoolArns().size() != 1) {
            throw new StackException("resource " + api.logicalId() + ", authorizer " + named.authorizer()
                    + ": exactly one UserPoolArn is supported");
        }
        String arn = render.apply(authorizer.userPoolArns().get(0));
        String poolId = arn.substring(arn.lastIndexOf('/') + 1);
        if (!arn.startsWith("arn:aws:cognito-idp:") || !services.userPools().poolExists(poolId)) {
            throw new StackException("resource " + api.logicalId() + ", authorizer " + named.authorizer() + ": " + arn
                    + " is not a user pool of this Gatehouse");
        }
        CognitoAuthorizer verifier = CognitoAuthorizer.of(
                named.authorizer(),
                services.tokens().issuer(poolId),
                authorizer.identitySource(),
                new PoolKeys(services.tokens(), poolId, services.offLoop()));
        return Authorization.cognitoUserPools(verifier, named.scopes().toArray(String[]::new));
    }

    private static CorsConfig cors(Resource.Cors cors) {
        CorsConfig.Builder builder = CorsConfig.builder()
                .allowOrigins(cors.allowOrigins().toArray(String[]::new))
                .allowMethods(cors.allowMethods().toArray(String[]::new))
                .allowHeaders(cors.allowHeaders().toArray(String[]::new))
                .allowCredentials(cors.allowCredentials());
        if (!cors.exposeHeaders().isEmpty()) {
            builder.exposeHeaders(cors.exposeHeaders().toArray(String[]::new));
        }
        cors.maxAge().ifPresent(builder::maxAge);
        return builder.build();
    }
}
