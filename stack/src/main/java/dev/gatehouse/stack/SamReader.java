package dev.gatehouse.stack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads each resource by its type, in creation order, and applies the SAM transform: a function's {@code HttpApi} and
 * {@code Api} events become routes of the API they name or of the implicit {@code ServerlessHttpApi} /
 * {@code ServerlessRestApi}; a SAM function without {@code Role} gets {@code <Function>Role} with its
 * {@code Policies}. APIs come last, once every route is known.
 */
final class SamReader {

    static final String IMPLICIT_HTTP_API = "ServerlessHttpApi";
    static final String IMPLICIT_REST_API = "ServerlessRestApi";
    static final String HTTP_API = "AWS::Serverless::HttpApi";
    static final String REST_API = "AWS::Serverless::Api";
    private static final String FUNCTION = "AWS::Serverless::Function";
    static final Set<String> RUNTIMES = Set.of(
            "java8.al2",
            "java11",
            "java17",
            "java21",
            "nodejs10.x",
            "nodejs12.x",
            "nodejs14.x",
            "nodejs16.x",
            "nodejs18.x",
            "nodejs20.x",
            "nodejs22.x",
            "python3.9",
            "python3.10",
            "python3.11",
            "python3.12",
            "python3.13",
            "provided.al2",
            "provided.al2023",
            "builtin");
    private static final String LAMBDA_TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

    private final Resolver resolver;
    private final Path baseDir;
    private final Globals globals;
    private final String stackName;
    private final Map<String, List<Resource.Route>> routes = new LinkedHashMap<>();
    private final Map<String, Node.MapNode> apiNodes = new LinkedHashMap<>();
    private final List<Resource.GatewayResponseResource> responses = new ArrayList<>();
    private final CognitoEvents cognitoEvents = new CognitoEvents();

    SamReader(Resolver resolver, Path baseDir, Globals globals, String stackName) {
        this.resolver = resolver;
        this.stackName = stackName;
        this.baseDir = baseDir;
        this.globals = globals;
    }

    /** Logical ids the SAM transform adds: implicit APIs and generated function roles. */
    static Set<String> implicitIds(Node.MapNode resources) {
        Set<String> ids = new LinkedHashSet<>();
        resources.entries().forEach((id, node) -> {
            if (!(node instanceof Node.MapNode map) || !isType(map, FUNCTION)) {
                return;
            }
            Optional<Node.MapNode> props =
                    map.get("Properties").filter(Node.MapNode.class::isInstance).map(Node.MapNode.class::cast);
            if (props.flatMap(p -> p.get("Role")).isEmpty()) {
                ids.add(id + "Role");
            }
            props.flatMap(p -> p.get("Events"))
                    .filter(Node.MapNode.class::isInstance)
                    .ifPresent(
                            events -> ((Node.MapNode) events).entries().values().forEach(event -> implicitApi(event)
                                    .ifPresent(ids::add)));
        });
        return ids;
    }

    /** The type of an implicit resource's logical id. */
    static String implicitType(String id) {
        return switch (id) {
            case IMPLICIT_HTTP_API -> HTTP_API;
            case IMPLICIT_REST_API -> REST_API;
            default -> "AWS::IAM::Role";
        };
    }

    private static Optional<String> implicitApi(Node event) {
        if (!(event instanceof Node.MapNode map) || !(map.get("Type").orElse(null) instanceof Node.Scalar type)) {
            return Optional.empty();
        }
        Optional<Node> props = map.get("Properties");
        boolean named = props.filter(Node.MapNode.class::isInstance)
                .map(p ->
                        ((Node.MapNode) p).entries().containsKey("HttpApi".equals(type.text()) ? "ApiId" : "RestApiId"))
                .orElse(false);
        if (named) {
            return Optional.empty();
        }
        return switch (type.text()) {
            case "HttpApi" -> Optional.of(IMPLICIT_HTTP_API);
            case "Api" -> Optional.of(IMPLICIT_REST_API);
            default -> Optional.empty();
        };
    }

    private static boolean isType(Node.MapNode map, String type) {
        return map.get("Type")
                .filter(t -> t instanceof Node.Scalar s && s.text().equals(type))
                .isPresent();
    }

    List<Resource> read(Map<String, Node.MapNode> resources, List<String> order) {
        List<Resource> out = new ArrayList<>();
        for (String id : order) {
            Node.MapNode node = java.util.Objects.requireNonNull(resources.get(id), id);
            String type = resolver.text(
                    node.get("Type").orElseThrow(), Where.resource(id).property("Type"));
            Optional<Node> properties = globals.apply(type, node.get("Properties"), node.pos());
            Props props = Props.of(properties, node, resolver, Where.resource(id));
            readOne(id, type, node, props, out);
        }
        cognitoEvents.applyTo(out);
        readApis(out);
        return out;
    }

    private void readOne(String id, String type, Node.MapNode node, Props props, List<Resource> out) {
        switch (type) {
            case "AWS::Cognito::UserPool" -> out.add(CognitoReader.userPool(id, props, stackName));
            case "AWS::Cognito::UserPoolClient" -> out.add(CognitoReader.client(id, props));
            case "AWS::Cognito::IdentityPool" -> out.add(CognitoReader.identityPool(id, props));
            case "AWS::Cognito::IdentityPoolRoleAttachment" -> out.add(CognitoReader.roleAttachment(id, props));
            case "AWS::IAM::Role" -> out.add(CognitoReader.role(id, props));
            case "AWS::S3::Bucket" -> out.add(CognitoReader.bucket(id, props));
            case "AWS::DynamoDB::Table", "AWS::Serverless::SimpleTable" -> out.add(
                    CognitoReader.table(id, type, (Node.MapNode) props.owner(), resolver));
            case "AWS::ApiGateway::GatewayResponse" -> responses.add(CognitoReader.gatewayResponse(id, props));
            case FUNCTION -> samFunction(id, props, out);
            case "AWS::Lambda::Function" -> out.add(lambdaFunction(id, props));
            case "AWS::Lambda::Permission" -> out.add(TriggerReader.permission(id, props));
            case HTTP_API, REST_API -> apiNodes.put(id, node);
            default -> throw new TemplateException(
                    node.get("Type").orElseThrow().pos(),
                    id,
                    "Type",
                    "resource type " + type + " is not supported (see docs/your-own-app.md)");
        }
    }

    private void samFunction(String id, Props props, List<Resource> out) {
        // Built-in functions run inside Gatehouse with no credentials of their own: no generated role.
        boolean builtin = props.text("Runtime").filter("builtin"::equals).isPresent();
        Optional<Value.Text> role = props.scalar("Role");
        Optional<Value.Text> roleArn = role.or(() -> builtin
                ? Optional.empty()
                : Optional.of(new Value.Text(List.of(new Value.Part.Att(id + "Role", "Arn")), false)));
        List<Resource.InlinePolicy> policies = policies(id, props);
        if (role.isPresent() && !policies.isEmpty()) {
            throw props.error("Policies", "a function with Role takes its permissions from that role; remove Policies");
        }
        if (role.isEmpty() && !builtin) {
            out.add(new Resource.Role(id + "Role", Optional.empty(), Value.Text.of(LAMBDA_TRUST), policies));
        }
        Optional<String> code = props.text("CodeUri");
        if (props.has("InlineCode")) {
            throw props.error("InlineCode", "inline code is not supported: use CodeUri");
        }
        out.add(function(id, props, code, roleArn));
        props.map("Events").ifPresent(events -> {
            for (String name : events.keys()) {
                Props event = events.map(name).orElseThrow();
                route(id, name, event);
            }
            events.done();
        });
        props.accept("Description", "Tags", "Architectures");
        props.done();
    }

    private Resource.Function lambdaFunction(String id, Props props) {
        Optional<String> code = props.node("Code").map(node -> {
            if (node instanceof Node.Scalar) {
                return props.resolver().text(node, props.where().property("Code"));
            }
            throw props.error(
                    "Code",
                    "only a local path is supported (as before aws cloudformation package), not S3" + " or ZipFile");
        });
        Value.Text role = props.requiredScalar("Role");
        Resource.Function function = function(id, props, code, Optional.of(role));
        props.accept("Description", "Tags", "Architectures");
        props.done();
        return function;
    }

    private Resource.Function function(String id, Props props, Optional<String> code, Optional<Value.Text> role) {
        String runtime = props.requiredText("Runtime");
        if (!RUNTIMES.contains(runtime)) {
            throw props.error(
                    "Runtime", "runtime " + runtime + " is not supported (" + new java.util.TreeSet<>(RUNTIMES) + ")");
        }
        String handler = props.requiredText("Handler");
        if (!"builtin".equals(runtime) && code.isEmpty()) {
            throw props.error(null, "a function needs its code (CodeUri or Code)");
        }
        Map<String, Value.Text> environment = new LinkedHashMap<>();
        props.map("Environment").ifPresent(env -> {
            env.map("Variables").ifPresent(variables -> {
                for (String name : variables.keys()) {
                    environment.put(name, variables.requiredScalar(name));
                }
                variables.done();
            });
            env.done();
        });
        int timeout = props.integer("Timeout").orElse(3);
        int memory = props.integer("MemorySize").orElse(128);
        if (timeout < 1 || timeout > 900) {
            throw props.error("Timeout", "must be 1 to 900 seconds");
        }
        if (memory < 128 || memory > 10240) {
            throw props.error("MemorySize", "must be 128 to 10240 MB");
        }
        Optional<Integer> reserved = props.integer("ReservedConcurrentExecutions");
        Optional<String> name = props.text("FunctionName");
        return new Resource.Function(
                id,
                name,
                runtime,
                handler,
                code.map(c -> baseDir.resolve(c).normalize().toString()),
                environment,
                timeout,
                memory,
                reserved,
                role);
    }

    /** SAM {@code Policies}: inline documents, or AWSLambdaBasicExecutionRole by name or ARN. */
    private static List<Resource.InlinePolicy> policies(String id, Props props) {
        List<Resource.InlinePolicy> out = new ArrayList<>();
        Optional<Node> node = props.node("Policies");
        if (node.isEmpty()) {
            return out;
        }
        List<Node> items = node.get() instanceof Node.Seq seq ? seq.items() : List.of(node.get());
        Where where = props.where().property("Policies");
        for (Node item : items) {
            if (item instanceof Node.Scalar s) {
                if (!s.text().equals("AWSLambdaBasicExecutionRole")
                        && !s.text().equals(CognitoReader.BASIC_EXECUTION)) {
                    throw where.error(
                            item, "managed policy " + s.text() + " is not supported: write its statements inline");
                }
                continue;
            }
            if (item instanceof Node.MapNode map && map.entries().containsKey("Statement")) {
                out.add(new Resource.InlinePolicy(
                        id + "RolePolicy" + out.size(),
                        props.resolver().resolve(item, where).orElseThrow()));
                continue;
            }
            throw where.error(
                    item,
                    "SAM policy templates are not supported: write the statements inline" + " ({Statement: [...]})");
        }
        return out;
    }

    private void route(String function, String name, Props event) {
        String type = event.requiredText("Type");
        Props props = event.map("Properties").orElseThrow(() -> event.error(null, "an event needs Properties"));
        event.done();
        if ("Cognito".equals(type)) {
            cognitoEvents.read(function, props);
            return;
        }
        boolean http =
                switch (type) {
                    case "HttpApi" -> true;
                    case "Api" -> false;
                    default -> throw event.error(
                            "Type", "event type " + type + " is not supported (HttpApi, Api, Cognito)");
                };
        String api = props.scalar(http ? "ApiId" : "RestApiId")
                .map(ref -> apiRef(ref, props, http))
                .orElse(http ? IMPLICIT_HTTP_API : IMPLICIT_REST_API);
        String method = props.text("Method")
                .map(m -> m.toUpperCase(java.util.Locale.ROOT))
                .orElse(http ? "ANY" : "");
        String path = props.text("Path").orElse(http ? "$default" : "");
        if (method.isEmpty() || path.isEmpty()) {
            throw props.error(null, "an Api event needs Path and Method");
        }
        if (!path.equals("$default") && !path.startsWith("/")) {
            throw props.error("Path", "must start with /");
        }
        method = "ANY".equals(method) || "X-AMAZON-APIGATEWAY-ANY-METHOD".equals(method) ? "ANY" : method;
        Optional<Resource.RouteAuth> auth = props.map("Auth").map(a -> {
            Optional<String> authorizer = a.text("Authorizer");
            List<String> scopes = a.texts("AuthorizationScopes");
            a.done();
            return authorizer.map(n -> routeAuth(n, scopes)).orElse(new Resource.RouteAuth.None());
        });
        String payload = props.text("PayloadFormatVersion").orElse(http ? "2.0" : "1.0");
        if (!payload.equals("1.0") && !payload.equals("2.0") || !http && payload.equals("2.0")) {
            throw props.error("PayloadFormatVersion", "must be 1.0 or 2.0 (REST APIs: 1.0)");
        }
        props.accept("TimeoutInMillis", "RouteSettings");
        props.done();
        routes.computeIfAbsent(api, k -> new ArrayList<>())
                .add(new Resource.Route(method, path, function, auth, payload));
    }

    private String apiRef(Value.Text ref, Props props, boolean http) {
        if (ref.parts().size() == 1 && ref.parts().get(0) instanceof Value.Part.Ref r) {
            return r.logicalId();
        }
        throw props.error(http ? "ApiId" : "RestApiId", "must be a Ref of an API of this template");
    }

    static Resource.RouteAuth routeAuth(String name, List<String> scopes) {
        return switch (name) {
            case "NONE" -> new Resource.RouteAuth.None();
            case "AWS_IAM" -> new Resource.RouteAuth.AwsIam();
            default -> new Resource.RouteAuth.Named(name, scopes);
        };
    }

    private void readApis(List<Resource> out) {
        Set<String> ids = new LinkedHashSet<>(apiNodes.keySet());
        ids.addAll(routes.keySet());
        for (String id : ids) {
            Node.MapNode node = apiNodes.get(id);
            boolean http;
            Props props;
            if (node == null) {
                http = IMPLICIT_HTTP_API.equals(id);
                if (!http && !IMPLICIT_REST_API.equals(id)) {
                    throw new TemplateException(
                            new Pos("", 0),
                            "an event names API " + id
                                    + ", which is not an AWS::Serverless::HttpApi or AWS::Serverless::Api of this template");
                }
                String type = http ? HTTP_API : REST_API;
                props = Props.of(
                        globals.apply(type, Optional.empty(), new Pos("", 0)),
                        new Node.MapNode(new LinkedHashMap<>(), new Pos("", 0)),
                        resolver,
                        Where.resource(id));
            } else {
                http = isType(node, HTTP_API);
                props = Props.of(
                        globals.apply(http ? HTTP_API : REST_API, node.get("Properties"), node.pos()),
                        node,
                        resolver,
                        Where.resource(id));
            }
            List<Resource.Route> own = routes.getOrDefault(id, List.of());
            out.add(http ? ApiReader.http(id, props, own) : ApiReader.rest(id, props, own, responsesFor(id)));
        }
        for (Resource.GatewayResponseResource response : responses) {
            if (!ids.contains(response.restApiId())) {
                throw new TemplateException(
                        new Pos("", 0),
                        response.logicalId(),
                        "RestApiId",
                        "names " + response.restApiId() + ", which is not a REST API of this template");
            }
        }
    }

    private List<Resource.GatewayResponse> responsesFor(String api) {
        return responses.stream()
                .filter(r -> r.restApiId().equals(api))
                .map(Resource.GatewayResponseResource::response)
                .toList();
    }

    /** A gateway-response header value: a quoted literal such as {@code "'*'"}; request mappings are refused. */
    static String quoted(String value, Props props, String key) {
        if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
            return value.substring(1, value.length() - 1);
        }
        throw props.error(key, "must be a quoted literal such as \"'*'\" (request mappings are not supported)");
    }
}
