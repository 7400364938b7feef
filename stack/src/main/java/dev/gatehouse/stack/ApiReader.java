package dev.gatehouse.stack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/** {@code AWS::Serverless::HttpApi} and {@code AWS::Serverless::Api}: stage, auth, CORS, gateway responses. */
final class ApiReader {

    private ApiReader() {}

    static Resource.Api http(String id, Props props, List<Resource.Route> routes) {
        String stage = props.text("StageName").orElse("$default");
        Auth auth = auth(props, ApiReader::jwt, "EnableIamAuthorizer");
        Optional<Resource.Cors> cors = props.node("CorsConfiguration").map(node -> httpCors(props));
        props.accept("Description", "Tags", "Name", "FailOnWarnings", "DisableExecuteApiEndpoint");
        props.done();
        Resource.Api api = new Resource.Api(
                id, Resource.ApiKind.HTTP, stage, cors, auth.authorizers(), auth.defaultAuth(), routes, List.of());
        check(api, props);
        return api;
    }

    /** An API's {@code Auth}: its named authorizers and the default. */
    private record Auth(Map<String, Resource.Authorizer> authorizers, Resource.RouteAuth defaultAuth) {}

    /**
     * {@code Auth}: {@code Authorizers} each read by {@code reader}, {@code DefaultAuthorizer} ({@code AWS_IAM}, or a
     * name), and {@code flag}, a boolean accepted with no effect of its own.
     */
    private static Auth auth(Props props, BiFunction<String, Props, Resource.Authorizer> reader, String flag) {
        Map<String, Resource.Authorizer> authorizers = new LinkedHashMap<>();
        Optional<Props> auth = props.map("Auth");
        if (auth.isEmpty()) {
            return new Auth(authorizers, new Resource.RouteAuth.None());
        }
        Props a = auth.get();
        a.map("Authorizers").ifPresent(all -> {
            for (String name : all.keys()) {
                Props one = all.map(name).orElseThrow();
                authorizers.put(name, reader.apply(name, one));
                one.done();
            }
            all.done();
        });
        Resource.RouteAuth defaultAuth = a.text("DefaultAuthorizer")
                .map(n -> SamReader.routeAuth(n, List.of()))
                .orElse(new Resource.RouteAuth.None());
        a.bool(flag, false);
        a.done();
        return new Auth(authorizers, defaultAuth);
    }

    /** An HTTP API's JWT authorizer. */
    private static Resource.Authorizer jwt(String name, Props one) {
        Props jwt = one.map("JwtConfiguration")
                .orElseThrow(() -> one.error(
                        null, "only JWT authorizers (JwtConfiguration) are supported; Lambda authorizers are not"));
        Value.Text issuer = jwt.requiredScalar("issuer");
        List<Value.Text> audience = jwt.scalars("audience");
        jwt.done();
        String source = one.text("IdentitySource").orElse("$request.header.Authorization");
        return new Resource.Authorizer.Jwt(name, issuer, audience, source);
    }

    /** A REST API's Cognito user-pools authorizer. */
    private static Resource.Authorizer cognito(String name, Props one) {
        if (!one.has("UserPoolArn")) {
            throw one.error(
                    null,
                    "only Cognito user-pool authorizers (UserPoolArn) are supported; Lambda authorizers are" + " not");
        }
        List<Value.Text> pools = one.scalars("UserPoolArn");
        String header = one.map("Identity")
                .map(identity -> {
                    String h = identity.text("Header").orElse("Authorization");
                    identity.done();
                    return h;
                })
                .orElse("Authorization");
        return new Resource.Authorizer.CognitoUserPools(name, pools, header);
    }

    private static Resource.Cors httpCors(Props props) {
        Node node = props.node("CorsConfiguration").orElseThrow();
        if (node instanceof Node.Scalar) {
            if (!props.bool("CorsConfiguration", false)) {
                throw props.error("CorsConfiguration", "must be true or a map");
            }
            return new Resource.Cors(List.of("*"), List.of("*"), List.of("*"), List.of(), Optional.empty(), false);
        }
        Props c = props.map("CorsConfiguration").orElseThrow();
        Resource.Cors cors = new Resource.Cors(
                c.texts("AllowOrigins"),
                c.texts("AllowMethods"),
                c.texts("AllowHeaders"),
                c.texts("ExposeHeaders"),
                c.integer("MaxAge"),
                c.bool("AllowCredentials", false));
        c.done();
        return cors;
    }

    static Resource.Api rest(
            String id, Props props, List<Resource.Route> routes, List<Resource.GatewayResponse> standalone) {
        String stage = id.equals(SamReader.IMPLICIT_REST_API)
                ? props.text("StageName").orElse("Prod")
                : props.requiredText("StageName");
        Auth auth = auth(props, ApiReader::cognito, "AddDefaultAuthorizerToCorsPreflight");
        Optional<Resource.Cors> cors = props.node("Cors").map(node -> restCors(props));
        List<Resource.GatewayResponse> responses = new ArrayList<>(standalone);
        props.map("GatewayResponses").ifPresent(all -> {
            for (String type : all.keys()) {
                responses.add(samResponse(type, all.map(type).orElseThrow()));
            }
            all.done();
        });
        props.accept("Description", "Tags", "Name", "EndpointConfiguration", "OpenApiVersion");
        props.done();
        Resource.Api api = new Resource.Api(
                id, Resource.ApiKind.REST, stage, cors, auth.authorizers(), auth.defaultAuth(), routes, responses);
        check(api, props);
        return api;
    }

    private static Resource.Cors restCors(Props props) {
        Node node = props.node("Cors").orElseThrow();
        if (node instanceof Node.Scalar) {
            String origin = SamReader.quoted(props.requiredText("Cors"), props, "Cors");
            return new Resource.Cors(List.of(origin), List.of("*"), List.of("*"), List.of(), Optional.empty(), false);
        }
        Props c = props.map("Cors").orElseThrow();
        Resource.Cors cors = new Resource.Cors(
                csv(c, "AllowOrigin"),
                csv(c, "AllowMethods"),
                csv(c, "AllowHeaders"),
                List.of(),
                c.text("MaxAge").map(m -> Integer.valueOf(SamReader.quoted(m, c, "MaxAge"))),
                c.bool("AllowCredentials", false));
        c.done();
        return cors;
    }

    private static List<String> csv(Props props, String key) {
        return props.text(key)
                .map(value -> List.of(SamReader.quoted(value, props, key).split("\\s*,\\s*")))
                .orElse(List.of("*"));
    }

    private static Resource.GatewayResponse samResponse(String type, Props props) {
        Map<String, String> headers = new LinkedHashMap<>();
        props.map("ResponseParameters").ifPresent(parameters -> {
            parameters.map("Headers").ifPresent(h -> {
                for (String name : h.keys()) {
                    headers.put(name, SamReader.quoted(h.requiredText(name), h, name));
                }
                h.done();
            });
            parameters.done();
        });
        Optional<Integer> status = props.integer("StatusCode");
        Map<String, String> templates = CognitoReader.templates(props);
        props.done();
        return new Resource.GatewayResponse(type, status, headers, templates);
    }

    /** Every authorizer a route or the default names exists, and no two routes are the same. */
    private static void check(Resource.Api api, Props props) {
        List<Resource.RouteAuth> used = new ArrayList<>();
        used.add(api.defaultAuth());
        api.routes().forEach(r -> r.auth().ifPresent(used::add));
        for (Resource.RouteAuth auth : used) {
            if (auth instanceof Resource.RouteAuth.Named named
                    && !api.authorizers().containsKey(named.authorizer())) {
                throw props.error(
                        null,
                        "authorizer " + named.authorizer() + " is not defined in Auth.Authorizers of API "
                                + api.logicalId());
            }
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Resource.Route route : api.routes()) {
            if (!seen.add(route.method() + " " + route.path())) {
                throw props.error(null, "route " + route.method() + " " + route.path() + " is declared twice");
            }
        }
    }
}
