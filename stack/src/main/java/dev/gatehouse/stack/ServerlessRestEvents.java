package dev.gatehouse.stack;

import static dev.gatehouse.stack.ServerlessTranslator.lower;
import static dev.gatehouse.stack.ServerlessTranslator.mapOf;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The {@code http} events of a {@code serverless.yml}: SAM {@code Api} events and the REST API's authorizers and CORS. */
final class ServerlessRestEvents {

    private final Pos pos;
    private final Map<String, Node> customResources;
    private final LinkedHashMap<String, Node> authorizers = new LinkedHashMap<>();
    private boolean cors;

    /** {@code customResources}: the template's {@code resources}, from which a referenced authorizer is taken. */
    ServerlessRestEvents(Pos pos, Map<String, Node> customResources) {
        this.pos = pos;
        this.customResources = customResources;
    }

    /** The REST API's authorizers, by name, as the events so far declared them. */
    LinkedHashMap<String, Node> authorizers() {
        return authorizers;
    }

    /** Whether an event so far enabled CORS. */
    boolean cors() {
        return cors;
    }

    /** An {@code http} event: its SAM {@code Api} event, declaring its authorizer and CORS on the REST API. */
    Node event(String function, Node spec) {
        String method;
        String path;
        Optional<Node> authorizer = Optional.empty();
        if (spec instanceof Node.Scalar s) {
            String[] parts = s.text().trim().split("\\s+", 2);
            if (parts.length != 2) {
                throw new TemplateException(spec.pos(), function, "events.http", "a route is \"METHOD path\"");
            }
            method = parts[0];
            path = parts[1];
        } else {
            Node.MapNode map = map(Optional.of(spec), "http");
            map.entries().forEach((key, node) -> {
                if (!Set.of("method", "path", "cors", "authorizer", "integration", "private")
                        .contains(key)) {
                    throw new TemplateException(node.pos(), function, "events.http." + key, "is not supported");
                }
            });
            method = text(map.get("method"), "http.method");
            path = text(map.get("path"), "http.path");
            authorizer = map.get("authorizer");
            map.get("integration").ifPresent(i -> {
                String integration = lower(text(Optional.of(i), "http.integration"));
                if (!integration.equals("lambda-proxy") && !integration.equals("aws_proxy")) {
                    throw new TemplateException(
                            i.pos(), function, "events.http.integration", "only lambda-proxy is supported");
                }
            });
            map.get("cors").ifPresent(c -> cors = cors || !(c instanceof Node.Scalar s && "false".equals(s.text())));
        }
        LinkedHashMap<String, Node> props = new LinkedHashMap<>();
        props.put("RestApiId", mapOf("Ref", scalar("ApiGatewayRestApi")));
        props.put("Method", scalar(lower(method).equals("any") ? "ANY" : method));
        props.put("Path", scalar(path.startsWith("/") ? path : "/" + path));
        authorizer.ifPresent(a -> props.put("Auth", mapOf("Authorizer", scalar(restAuthorizer(function, a)))));
        return mapOf("Type", scalar("Api"), "Properties", new Node.MapNode(props, spec.pos()));
    }

    /** The SAM authorizer name for an {@code http} event's {@code authorizer}, declaring it on the REST API. */
    private String restAuthorizer(String function, Node spec) {
        if (spec instanceof Node.Scalar s) {
            if ("aws_iam".equals(lower(s.text()))) {
                return "AWS_IAM";
            }
            if (s.text().startsWith("arn:aws:cognito-idp:")) {
                return cognito(s.text().substring(s.text().lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9]", ""), spec);
            }
            throw new TemplateException(
                    spec.pos(),
                    function,
                    "events.http.authorizer",
                    "Lambda authorizers are not" + " supported (aws_iam or a Cognito user pool)");
        }
        Node.MapNode map = map(Optional.of(spec), "authorizer");
        String type = map.get("type")
                .map(t -> text(Optional.of(t), "authorizer.type").toUpperCase(Locale.ROOT))
                .orElse("");
        if ("AWS_IAM".equals(type)) {
            return "AWS_IAM";
        }
        Optional<Node> id = map.get("authorizerId");
        if (id.isPresent()) {
            return existingAuthorizer(function, id.get());
        }
        Node arn = map.get("arn")
                .orElseThrow(() -> new TemplateException(
                        spec.pos(),
                        function,
                        "events.http.authorizer",
                        "Lambda authorizers are not supported (aws_iam, a Cognito arn or authorizerId)"));
        boolean cognito = "COGNITO_USER_POOLS".equals(type) || isCognitoArn(arn);
        if (!cognito) {
            throw new TemplateException(
                    arn.pos(),
                    function,
                    "events.http.authorizer.arn",
                    "without type:" + " COGNITO_USER_POOLS this is a Lambda authorizer, which is not supported");
        }
        String name = map.get("name")
                .map(n -> text(Optional.of(n), "authorizer.name"))
                .orElse("CognitoAuthorizer");
        return cognito(name, arn);
    }

    /**
     * The Framework's test for a user-pool authorizer without a type: an arn starting {@code arn:aws:cognito-idp:}. It
     * runs before serverless-pseudo-parameters, so an arn with {@code #{AWS::Region}} (here already an {@code Fn::Sub})
     * counts too.
     */
    private static boolean isCognitoArn(Node arn) {
        Node text = arn instanceof Node.MapNode m && m.entries().size() == 1
                ? m.get("Fn::Sub").orElse(arn)
                : arn;
        return text instanceof Node.Scalar s && s.text().startsWith("arn:aws:cognito-idp:");
    }

    private String cognito(String name, Node arn) {
        authorizers.put(name, mapOf("UserPoolArn", arn));
        return name;
    }

    /** {@code authorizerId: {Ref: X}}: X, an {@code AWS::ApiGateway::Authorizer} of {@code resources}, moves onto the API. */
    private String existingAuthorizer(String function, Node id) {
        String ref = id instanceof Node.MapNode m && m.get("Ref").orElse(null) instanceof Node.Scalar s ? s.text() : "";
        Node resource = customResources.get(ref);
        if (!(resource instanceof Node.MapNode r)
                || !r.get("Type")
                        .map(t -> t instanceof Node.Scalar s && s.text().equals("AWS::ApiGateway::Authorizer"))
                        .orElse(false)) {
            throw new TemplateException(
                    id.pos(),
                    function,
                    "events.http.authorizer.authorizerId",
                    "must be a Ref of an" + " AWS::ApiGateway::Authorizer in resources");
        }
        Node.MapNode props = map(r.get("Properties"), ref + ".Properties");
        String type = text(props.get("Type"), ref + ".Type");
        if (!"COGNITO_USER_POOLS".equals(type)) {
            throw new TemplateException(props.pos(), ref, "Type", "only COGNITO_USER_POOLS authorizers are supported");
        }
        Node arns = props.get("ProviderARNs")
                .orElseThrow(() -> new TemplateException(props.pos(), ref, "ProviderARNs", "is required"));
        authorizers.put(ref, mapOf("UserPoolArn", arns));
        customResources.remove(ref);
        return ref;
    }

    private Node.Scalar scalar(String text) {
        return new Node.Scalar(text, true, pos);
    }

    private Node.MapNode map(Optional<Node> node, String what) {
        return ServerlessTranslator.map(pos, node, what);
    }

    private String text(Optional<Node> node, String what) {
        return ServerlessTranslator.text(pos, node, what);
    }
}
