package dev.gatehouse.stack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A Serverless Framework (v3/v4) {@code serverless.yml} compiled to the SAM template it stands for, as the Framework
 * compiles it to CloudFormation, so one reader builds the stack: variables resolved first; each function becomes
 * {@code <Name>LambdaFunction} with the shared role {@code IamRoleLambdaExecution} (the provider's statements);
 * {@code httpApi} events become routes of the HTTP API {@code HttpApi} (its JWT authorizers from
 * {@code provider.httpApi.authorizers}), {@code http} events routes of the REST API {@code ApiGatewayRestApi}
 * (staged by the stage); {@code resources} is merged in; {@code #{AWS::Region}}-style strings of the
 * serverless-pseudo-parameters plugin become {@code Fn::Sub}.
 */
final class ServerlessTranslator {

    private static final Set<String> TOP = Set.of(
            "service",
            "frameworkVersion",
            "provider",
            "functions",
            "resources",
            "plugins",
            "custom",
            "package",
            "useDotenv",
            "configValidationMode",
            "variablesResolutionMode",
            "disabledDeprecations",
            "org",
            "app");
    private static final Set<String> PLUGINS = Set.of("serverless-offline", "serverless-pseudo-parameters");
    private static final Set<String> PROVIDER = Set.of(
            "name",
            "runtime",
            "stage",
            "region",
            "environment",
            "iam",
            "iamRoleStatements",
            "httpApi",
            "memorySize",
            "timeout",
            "profile",
            "versionFunctions",
            "architecture",
            "lambdaHashingVersion",
            "deploymentMethod",
            "logRetentionInDays");
    private static final Set<String> FUNCTION = Set.of(
            "handler",
            "name",
            "runtime",
            "memorySize",
            "timeout",
            "environment",
            "events",
            "package",
            "description",
            "reservedConcurrency",
            "architecture");

    private final Node.MapNode root;
    private final TemplateReader.Options options;
    private final Pos pos;
    private final LinkedHashMap<String, Node> resources = new LinkedHashMap<>();
    private final LinkedHashMap<String, Node> outputs = new LinkedHashMap<>();
    private final Map<String, Node> customResources;
    private final ServerlessRestEvents rest;

    private ServerlessTranslator(Node.MapNode root, TemplateReader.Options options) {
        this.root = root;
        this.options = options;
        this.pos = root.pos();
        this.customResources = section(section(Optional.of(root), "resources"), "Resources")
                .map(m -> (Map<String, Node>) new LinkedHashMap<>(m.entries()))
                .orElse(new LinkedHashMap<>());
        this.rest = new ServerlessRestEvents(pos, customResources);
    }

    static Node translate(Node.MapNode raw, TemplateReader.Options options) {
        Node.MapNode root = (Node.MapNode) new ServerlessVariables(raw, options).resolve(raw);
        return new ServerlessTranslator((Node.MapNode) pseudoParameters(root), options).translate();
    }

    private Node translate() {
        root.entries().forEach((key, node) -> {
            if (!TOP.contains(key)) {
                throw new TemplateException(node.pos(), key + " is not supported in serverless.yml");
            }
        });
        checkPlugins();
        Node.MapNode provider = map(root.get("provider"), "provider");
        provider.entries().forEach((key, node) -> {
            if (!PROVIDER.contains(key)) {
                throw new TemplateException(node.pos(), null, "provider." + key, "is not supported");
            }
        });
        if (!"aws".equals(text(provider.get("name"), "provider.name"))) {
            throw new TemplateException(provider.pos(), null, "provider.name", "must be aws");
        }
        provider.get("region").ifPresent(region -> {
            if (!options.region().equals(text(Optional.of(region), "provider.region"))) {
                throw new TemplateException(
                        region.pos(),
                        null,
                        "provider.region",
                        "is " + text(Optional.of(region), "provider.region") + " but Gatehouse runs " + options.region()
                                + ": start it with --region");
            }
        });
        String service = text(root.get("service"), "service");
        role(service, provider);
        section(Optional.of(root), "functions").ifPresent(functions -> functions
                .entries()
                .forEach((key, fn) -> function(service, key, map(Optional.of(fn), "functions." + key), provider)));
        httpApi(provider);
        restApi();
        return template();
    }

    private void checkPlugins() {
        root.get("plugins").ifPresent(node -> {
            List<Node> names = node instanceof Node.Seq seq ? seq.items() : List.of(node);
            for (Node name : names) {
                if (!(name instanceof Node.Scalar s) || !PLUGINS.contains(s.text())) {
                    throw new TemplateException(
                            name.pos(),
                            null,
                            "plugins",
                            "plugin " + Node.describe(name) + " is not supported (" + new java.util.TreeSet<>(PLUGINS)
                                    + ")");
                }
            }
        });
    }

    /** {@code IamRoleLambdaExecution}: the provider's statements, as the Framework's one role for every function. */
    private void role(String service, Node.MapNode provider) {
        List<Node> statements = new ArrayList<>();
        Optional<Node.MapNode> iam = section(Optional.of(provider), "iam");
        iam.ifPresent(i -> i.entries().forEach((key, node) -> {
            if (!"role".equals(key)) {
                throw new TemplateException(node.pos(), null, "provider.iam." + key, "is not supported");
            }
        }));
        Optional<Node.MapNode> role = section(iam, "role");
        role.ifPresent(r -> r.entries().forEach((key, node) -> {
            if (!"statements".equals(key)) {
                throw new TemplateException(
                        node.pos(), null, "provider.iam.role." + key, "is not supported (statements)");
            }
        }));
        Optional<Node> listed = role.flatMap(r -> r.get("statements")).or(() -> provider.get("iamRoleStatements"));
        listed.ifPresent(node -> {
            if (!(node instanceof Node.Seq seq)) {
                throw new TemplateException(node.pos(), null, "provider.iam.role.statements", "must be a list");
            }
            statements.addAll(seq.items());
        });
        Node.MapNode document = mapOf("Version", scalar("2012-10-17"), "Statement", new Node.Seq(statements, pos));
        Node policy =
                mapOf("PolicyName", scalar(service + "-" + options.stage() + "-lambda"), "PolicyDocument", document);
        Node trust = mapOf(
                "Version",
                scalar("2012-10-17"),
                "Statement",
                new Node.Seq(
                        List.of(mapOf(
                                "Effect",
                                scalar("Allow"),
                                "Principal",
                                mapOf("Service", new Node.Seq(List.of(scalar("lambda.amazonaws.com")), pos)),
                                "Action",
                                new Node.Seq(List.of(scalar("sts:AssumeRole")), pos))),
                        pos));
        LinkedHashMap<String, Node> props = new LinkedHashMap<>();
        props.put("RoleName", scalar(service + "-" + options.stage() + "-" + options.region() + "-lambdaRole"));
        props.put("AssumeRolePolicyDocument", trust);
        props.put("Policies", new Node.Seq(statements.isEmpty() ? List.of() : List.of(policy), pos));
        resources.put(
                "IamRoleLambdaExecution",
                mapOf("Type", scalar("AWS::IAM::Role"), "Properties", new Node.MapNode(props, pos)));
    }

    private void function(String service, String key, Node.MapNode fn, Node.MapNode provider) {
        fn.entries().forEach((k, node) -> {
            if (!FUNCTION.contains(k)) {
                throw new TemplateException(node.pos(), key, k, "is not supported");
            }
        });
        String id = normalized(key) + "LambdaFunction";
        LinkedHashMap<String, Node> props = new LinkedHashMap<>();
        props.put("FunctionName", fn.get("name").orElse(scalar(service + "-" + options.stage() + "-" + key)));
        props.put(
                "Runtime",
                fn.get("runtime")
                        .or(() -> provider.get("runtime"))
                        .orElseThrow(() ->
                                new TemplateException(fn.pos(), key, "runtime", "no runtime here or in provider")));
        props.put(
                "Handler",
                fn.get("handler").orElseThrow(() -> new TemplateException(fn.pos(), key, "handler", "is required")));
        props.put("CodeUri", artifact(fn));
        props.put("Timeout", fn.get("timeout").or(() -> provider.get("timeout")).orElse(scalar("6")));
        props.put(
                "MemorySize",
                fn.get("memorySize").or(() -> provider.get("memorySize")).orElse(scalar("1024")));
        fn.get("reservedConcurrency").ifPresent(r -> props.put("ReservedConcurrentExecutions", r));
        LinkedHashMap<String, Node> variables = new LinkedHashMap<>();
        section(Optional.of(provider), "environment").ifPresent(e -> variables.putAll(e.entries()));
        section(Optional.of(fn), "environment").ifPresent(e -> variables.putAll(e.entries()));
        props.put("Environment", mapOf("Variables", new Node.MapNode(variables, fn.pos())));
        props.put(
                "Role",
                mapOf("Fn::GetAtt", new Node.Seq(List.of(scalar("IamRoleLambdaExecution"), scalar("Arn")), pos)));
        LinkedHashMap<String, Node> events = new LinkedHashMap<>();
        fn.get("events").ifPresent(node -> {
            if (!(node instanceof Node.Seq seq)) {
                throw new TemplateException(node.pos(), key, "events", "must be a list");
            }
            for (Node event : seq.items()) {
                events.put("Event" + events.size(), event(key, event));
            }
        });
        props.put("Events", new Node.MapNode(events, fn.pos()));
        resources.put(
                id,
                mapOf("Type", scalar("AWS::Serverless::Function"), "Properties", new Node.MapNode(props, fn.pos())));
    }

    /** {@code package.artifact} (a built jar or zip) of the function, else of the service, else the service dir. */
    private Node artifact(Node.MapNode fn) {
        return fn.get("package")
                .flatMap(p -> p instanceof Node.MapNode m ? m.get("artifact") : Optional.empty())
                .or(() -> root.get("package")
                        .flatMap(p -> p instanceof Node.MapNode m ? m.get("artifact") : Optional.empty()))
                .orElse(scalar("."));
    }

    private Node event(String function, Node event) {
        if (!(event instanceof Node.MapNode map) || map.entries().size() != 1) {
            throw new TemplateException(
                    event.pos(), function, "events", "an event is a map with one key (httpApi, http, cognitoUserPool)");
        }
        Map.Entry<String, Node> entry = map.single().orElseThrow();
        return switch (entry.getKey()) {
            case "httpApi" -> httpApiEvent(function, entry.getValue());
            case "http" -> rest.event(function, entry.getValue());
            case "cognitoUserPool" -> cognitoEvent(function, entry.getValue());
            default -> throw new TemplateException(
                    entry.getValue().pos(),
                    function,
                    "events." + entry.getKey(),
                    "event " + entry.getKey() + " is not supported (httpApi, http, cognitoUserPool)");
        };
    }

    /**
     * {@code cognitoUserPool: {pool, trigger}}: as the Framework, the pool is the resource
     * {@code CognitoUserPool<Pool>} (named {@code pool}; {@code resources} may extend it), and the function one of its
     * triggers. A pool made outside the service ({@code existing: true}) is refused.
     */
    private Node cognitoEvent(String function, Node spec) {
        Node.MapNode map = map(Optional.of(spec), "cognitoUserPool");
        for (Map.Entry<String, Node> entry : map.entries().entrySet()) {
            if (!List.of("pool", "trigger", "existing", "forceDeploy").contains(entry.getKey())) {
                throw new TemplateException(
                        entry.getValue().pos(),
                        function,
                        "events.cognitoUserPool." + entry.getKey(),
                        "is not supported");
            }
        }
        String pool = text(map.get("pool"), "cognitoUserPool.pool");
        String trigger = text(map.get("trigger"), "cognitoUserPool.trigger");
        if (map.get("existing")
                .map(n -> "true".equals(lower(text(Optional.of(n), "existing"))))
                .orElse(false)) {
            throw new TemplateException(
                    map.get("existing").orElseThrow().pos(),
                    function,
                    "events.cognitoUserPool.existing",
                    "a pool made outside this service is not supported: declare it under resources as "
                            + cognitoPoolId(pool));
        }
        String poolId = cognitoPoolId(pool);
        resources.putIfAbsent(
                poolId,
                mapOf("Type", scalar("AWS::Cognito::UserPool"), "Properties", mapOf("UserPoolName", scalar(pool))));
        LinkedHashMap<String, Node> props = new LinkedHashMap<>();
        props.put("UserPool", mapOf("Ref", scalar(poolId)));
        props.put("Trigger", scalar(trigger));
        return mapOf("Type", scalar("Cognito"), "Properties", new Node.MapNode(props, spec.pos()));
    }

    /** The Framework's logical id of an event's pool: {@code my-pool} → {@code CognitoUserPoolMyDashpool}. */
    static String cognitoPoolId(String pool) {
        String normalized = pool.replace("-", "Dash").replace("_", "Underscore").replaceAll("[^A-Za-z0-9]", "");
        return "CognitoUserPool"
                + (normalized.isEmpty() ? "" : Character.toUpperCase(normalized.charAt(0)) + normalized.substring(1));
    }

    private Node httpApiEvent(String function, Node spec) {
        String method;
        String path;
        Optional<Node.MapNode> authorizer = Optional.empty();
        if (spec instanceof Node.Scalar s) {
            String route = s.text().trim();
            if ("*".equals(route)) {
                method = "ANY";
                path = "$default";
            } else {
                String[] parts = route.split("\\s+", 2);
                if (parts.length != 2) {
                    throw new TemplateException(
                            spec.pos(), function, "events.httpApi", "a route is \"METHOD /path\" or *");
                }
                method = parts[0];
                path = parts[1];
            }
        } else {
            Node.MapNode map = map(Optional.of(spec), "httpApi");
            method = text(map.get("method"), "httpApi.method");
            path = text(map.get("path"), "httpApi.path");
            authorizer = section(Optional.of(map), "authorizer");
        }
        LinkedHashMap<String, Node> props = new LinkedHashMap<>();
        props.put("ApiId", mapOf("Ref", scalar("HttpApi")));
        props.put("Method", scalar("*".equals(method) ? "ANY" : method));
        props.put("Path", scalar(path));
        authorizer.ifPresent(a -> props.put("Auth", httpApiAuth(function, a)));
        return mapOf("Type", scalar("HttpApi"), "Properties", new Node.MapNode(props, spec.pos()));
    }

    private Node httpApiAuth(String function, Node.MapNode authorizer) {
        Optional<Node> type = authorizer.get("type");
        if (type.isPresent() && "aws_iam".equals(lower(text(type, "authorizer.type")))) {
            return mapOf("Authorizer", scalar("AWS_IAM"));
        }
        if (authorizer.get("id").isPresent()) {
            throw new TemplateException(
                    authorizer.pos(),
                    function,
                    "authorizer.id",
                    "authorizers of an external HTTP API"
                            + " are not supported: declare them under provider.httpApi.authorizers");
        }
        String name = text(authorizer.get("name"), "authorizer.name");
        LinkedHashMap<String, Node> auth = new LinkedHashMap<>();
        auth.put("Authorizer", scalar(name));
        authorizer.get("scopes").ifPresent(s -> auth.put("AuthorizationScopes", s));
        return new Node.MapNode(auth, authorizer.pos());
    }

    private void httpApi(Node.MapNode provider) {
        boolean used = resources.values().stream().anyMatch(r -> mentions(r, "HttpApi"));
        Optional<Node.MapNode> config = section(Optional.of(provider), "httpApi");
        if (!used && config.isEmpty()) {
            return;
        }
        LinkedHashMap<String, Node> props = new LinkedHashMap<>();
        config.ifPresent(c -> c.entries().forEach((key, node) -> {
            switch (key) {
                case "cors" -> props.put("CorsConfiguration", httpCors(node));
                case "authorizers" -> props.put(
                        "Auth", jwtAuthorizers(map(Optional.of(node), "provider.httpApi.authorizers")));
                case "payload", "name", "shouldStartNameWithService", "disableDefaultEndpoint", "metrics" -> {
                    if ("payload".equals(key) && !"2.0".equals(text(Optional.of(node), "payload"))) {
                        throw new TemplateException(
                                node.pos(), null, "provider.httpApi.payload", "only 2.0 is supported");
                    }
                }
                default -> throw new TemplateException(node.pos(), null, "provider.httpApi." + key, "is not supported");
            }
        }));
        resources.put(
                "HttpApi",
                mapOf("Type", scalar("AWS::Serverless::HttpApi"), "Properties", new Node.MapNode(props, pos)));
        outputs.put(
                "HttpApiUrl",
                mapOf(
                        "Value",
                        mapOf("Fn::Sub", scalar("https://${HttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}"))));
    }

    private Node httpCors(Node node) {
        if (node instanceof Node.Scalar) {
            return node;
        }
        Node.MapNode cors = map(Optional.of(node), "provider.httpApi.cors");
        LinkedHashMap<String, Node> out = new LinkedHashMap<>();
        Map<String, String> names = Map.of(
                "allowedOrigins",
                "AllowOrigins",
                "allowedHeaders",
                "AllowHeaders",
                "allowedMethods",
                "AllowMethods",
                "allowCredentials",
                "AllowCredentials",
                "exposedResponseHeaders",
                "ExposeHeaders",
                "maxAge",
                "MaxAge");
        cors.entries().forEach((key, value) -> {
            String name = names.get(key);
            if (name == null) {
                throw new TemplateException(value.pos(), null, "provider.httpApi.cors." + key, "is not supported");
            }
            out.put(name, value);
        });
        return new Node.MapNode(out, cors.pos());
    }

    private Node jwtAuthorizers(Node.MapNode authorizers) {
        LinkedHashMap<String, Node> out = new LinkedHashMap<>();
        authorizers.entries().forEach((name, node) -> {
            Node.MapNode a = map(Optional.of(node), "provider.httpApi.authorizers." + name);
            String type =
                    a.get("type").map(t -> lower(text(Optional.of(t), "type"))).orElse("jwt");
            if (!"jwt".equals(type)) {
                throw new TemplateException(
                        node.pos(), null, "provider.httpApi.authorizers." + name, "only jwt authorizers are supported");
            }
            LinkedHashMap<String, Node> jwt = new LinkedHashMap<>();
            jwt.put(
                    "issuer",
                    a.get("issuerUrl")
                            .orElseThrow(() -> new TemplateException(
                                    a.pos(),
                                    null,
                                    "provider.httpApi.authorizers." + name + ".issuerUrl",
                                    "is required")));
            a.get("audience").ifPresent(aud -> jwt.put("audience", aud));
            LinkedHashMap<String, Node> one = new LinkedHashMap<>();
            one.put("JwtConfiguration", new Node.MapNode(jwt, a.pos()));
            a.get("identitySource").ifPresent(s -> one.put("IdentitySource", s));
            out.put(name, new Node.MapNode(one, a.pos()));
        });
        return mapOf("Authorizers", new Node.MapNode(out, authorizers.pos()), "EnableIamAuthorizer", scalar("true"));
    }

    private void restApi() {
        boolean used = resources.values().stream().anyMatch(r -> mentions(r, "ApiGatewayRestApi"));
        if (!used) {
            return;
        }
        LinkedHashMap<String, Node> props = new LinkedHashMap<>();
        props.put("StageName", scalar(options.stage()));
        if (!rest.authorizers().isEmpty()) {
            props.put("Auth", mapOf("Authorizers", new Node.MapNode(rest.authorizers(), pos)));
        }
        if (rest.cors()) {
            props.put("Cors", scalar("'*'"));
        }
        resources.put(
                "ApiGatewayRestApi",
                mapOf("Type", scalar("AWS::Serverless::Api"), "Properties", new Node.MapNode(props, pos)));
        outputs.put(
                "ServiceEndpoint",
                mapOf(
                        "Value",
                        mapOf(
                                "Fn::Sub",
                                scalar("https://${ApiGatewayRestApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/"
                                        + options.stage()))));
    }

    /** The template: generated resources, then {@code resources} merged over them by logical id. */
    private Node template() {
        Optional<Node.MapNode> custom = section(Optional.of(root), "resources");
        custom.ifPresent(c -> c.entries().forEach((key, node) -> {
            if (!Set.of("Resources", "Outputs", "Conditions", "Description").contains(key)) {
                throw new TemplateException(node.pos(), null, "resources." + key, "is not supported");
            }
        }));
        customResources.forEach((id, node) -> resources.merge(id, node, ServerlessTranslator::merge));
        section(custom, "Outputs").ifPresent(o -> outputs.putAll(o.entries()));
        LinkedHashMap<String, Node> template = new LinkedHashMap<>();
        template.put("Transform", scalar(CloudFormationReader.SAM_TRANSFORM));
        section(custom, "Conditions").ifPresent(c -> template.put("Conditions", c));
        template.put("Resources", new Node.MapNode(resources, pos));
        template.put("Outputs", new Node.MapNode(outputs, pos));
        return new Node.MapNode(template, pos);
    }

    /** lodash {@code _.merge}: maps key by key, anything else replaced by the custom value. */
    private static Node merge(Node generated, Node custom) {
        if (generated instanceof Node.MapNode g && custom instanceof Node.MapNode c) {
            LinkedHashMap<String, Node> merged = new LinkedHashMap<>(g.entries());
            c.entries().forEach((key, value) -> merged.merge(key, value, ServerlessTranslator::merge));
            return new Node.MapNode(merged, c.pos());
        }
        return custom;
    }

    /** serverless-pseudo-parameters: a string with {@code #{X}} becomes {@code Fn::Sub} of it with {@code ${X}}. */
    private static Node pseudoParameters(Node node) {
        if (node instanceof Node.Scalar s) {
            if (!s.text().matches("(?s).*#\\{[A-Za-z0-9:.]+}.*")) {
                return s;
            }
            return mapOf(
                    "Fn::Sub", new Node.Scalar(s.text().replaceAll("#\\{([A-Za-z0-9:.]+)}", "\\${$1}"), true, s.pos()));
        }
        if (node instanceof Node.Seq seq) {
            return new Node.Seq(
                    seq.items().stream()
                            .map(ServerlessTranslator::pseudoParameters)
                            .toList(),
                    seq.pos());
        }
        LinkedHashMap<String, Node> entries = new LinkedHashMap<>();
        ((Node.MapNode) node).entries().forEach((k, v) -> entries.put(k, pseudoParameters(v)));
        return new Node.MapNode(entries, node.pos());
    }

    private static boolean mentions(Node node, String ref) {
        if (node instanceof Node.MapNode map) {
            if (map.get("Ref")
                    .filter(r -> r instanceof Node.Scalar s && s.text().equals(ref))
                    .isPresent()) {
                return true;
            }
            return map.entries().values().stream().anyMatch(v -> mentions(v, ref));
        }
        return node instanceof Node.Seq seq && seq.items().stream().anyMatch(v -> mentions(v, ref));
    }

    /** The Framework's logical-id form of a function key: {@code my-fn} → {@code MyDashfn}. */
    static String normalized(String key) {
        String upper = key.isEmpty() ? key : Character.toUpperCase(key.charAt(0)) + key.substring(1);
        return upper.replace("-", "Dash").replace("_", "Underscore");
    }

    private Node.Scalar scalar(String text) {
        return new Node.Scalar(text, true, pos);
    }

    static Node.MapNode mapOf(Object... keysAndValues) {
        LinkedHashMap<String, Node> entries = new LinkedHashMap<>();
        Pos at = new Pos("", 0);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            Node value = (Node) keysAndValues[i + 1];
            entries.put((String) keysAndValues[i], value);
            at = i == 0 ? value.pos() : at;
        }
        return new Node.MapNode(entries, at);
    }

    private Optional<Node.MapNode> section(Optional<? extends Node> parent, String key) {
        return parent.flatMap(p -> p instanceof Node.MapNode m ? m.get(key) : Optional.empty())
                .map(node -> {
                    if (node instanceof Node.MapNode map) {
                        return map;
                    }
                    throw new TemplateException(node.pos(), null, key, "must be a map");
                });
    }

    private Node.MapNode map(Optional<Node> node, String what) {
        return map(pos, node, what);
    }

    /** The required map {@code what}; a missing one is reported at {@code pos}. */
    static Node.MapNode map(Pos pos, Optional<Node> node, String what) {
        Node value = node.orElseThrow(() -> new TemplateException(pos, null, what, "is required"));
        if (value instanceof Node.MapNode map) {
            return map;
        }
        throw new TemplateException(value.pos(), null, what, "must be a map");
    }

    private String text(Optional<Node> node, String what) {
        return text(pos, node, what);
    }

    /** The required text {@code what}; a missing one is reported at {@code pos}. */
    static String text(Pos pos, Optional<Node> node, String what) {
        Node value = node.orElseThrow(() -> new TemplateException(pos, null, what, "is required"));
        if (value instanceof Node.Scalar s) {
            return s.text();
        }
        throw new TemplateException(value.pos(), null, what, "must be text");
    }

    static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }
}
