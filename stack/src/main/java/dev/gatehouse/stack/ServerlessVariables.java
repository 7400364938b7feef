package dev.gatehouse.stack;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * serverless.yml's variables, resolved on the parsed tree before it is translated: {@code ${self:a.b}},
 * {@code ${opt:stage}}, {@code ${opt:region}}, {@code ${env:NAME}}, {@code ${sls:stage}}, {@code ${aws:region}},
 * {@code ${aws:accountId}}, each with fallbacks ({@code ${env:X, 'default'}}, {@code ${opt:stage, self:provider.stage}})
 * and nesting. A missing value without fallback, and every other source ({@code file}, {@code cf}, {@code ssm}…),
 * is refused with its line. An empty environment variable is a value, as in the Framework.
 */
final class ServerlessVariables {

    private static final int MAX_DEPTH = 20;

    private final Node.MapNode root;
    private final TemplateReader.Options options;
    private final Set<String> resolving = new HashSet<>();

    ServerlessVariables(Node.MapNode root, TemplateReader.Options options) {
        this.root = root;
        this.options = options;
    }

    Node resolve(Node node) {
        return resolve(node, 0);
    }

    private Node resolve(Node node, int depth) {
        if (depth > MAX_DEPTH) {
            throw new TemplateException(node.pos(), "variables nest too deeply (a ${self:} cycle?)");
        }
        if (node instanceof Node.Seq seq) {
            List<Node> items = new ArrayList<>();
            seq.items().forEach(item -> items.add(resolve(item, depth)));
            return new Node.Seq(items, seq.pos());
        }
        if (node instanceof Node.MapNode map) {
            LinkedHashMap<String, Node> entries = new LinkedHashMap<>();
            map.entries().forEach((key, value) -> entries.put(key, resolve(value, depth)));
            return new Node.MapNode(entries, map.pos());
        }
        Node.Scalar scalar = (Node.Scalar) node;
        String text = scalar.text();
        int open = innermost(text);
        if (open < 0) {
            return scalar;
        }
        int close = text.indexOf('}', open);
        if (close < 0) {
            throw new TemplateException(scalar.pos(), "unclosed variable in \"" + text + "\"");
        }
        Node value = variable(text.substring(open + 2, close), scalar, depth);
        if (open == 0 && close == text.length() - 1) {
            return resolve(value, depth + 1);
        }
        if (!(value instanceof Node.Scalar s)) {
            throw new TemplateException(
                    scalar.pos(),
                    "variable ${" + text.substring(open + 2, close)
                            + "} is a list or map and cannot be part of a string");
        }
        String replaced = text.substring(0, open) + s.text() + text.substring(close + 1);
        return resolve(new Node.Scalar(replaced, scalar.quoted(), scalar.pos()), depth + 1);
    }

    /** The start of the innermost {@code ${source:…}} (one with no {@code ${} inside); -1 when none. */
    private static int innermost(String text) {
        int best = -1;
        int at = text.indexOf("${");
        while (at >= 0) {
            int close = text.indexOf('}', at);
            int next = text.indexOf("${", at + 2);
            if (isVariable(text, at) && (next < 0 || close < next)) {
                return at;
            }
            if (isVariable(text, at)) {
                best = at;
            }
            at = next;
        }
        return best;
    }

    /** {@code ${word:…}} is a variable; CloudFormation's {@code ${AWS::Region}} and {@code ${Name}} are not. */
    private static boolean isVariable(String text, int at) {
        int colon = text.indexOf(':', at);
        int close = text.indexOf('}', at);
        return colon > at + 2
                && (close < 0 || colon < close)
                && text.substring(at + 2, colon).matches("[a-z]+")
                && !(colon + 1 < text.length() && text.charAt(colon + 1) == ':');
    }

    private Node variable(String body, Node.Scalar at, int depth) {
        List<String> choices = split(body);
        for (String choice : choices) {
            Optional<Node> value = choice(choice.trim(), at, depth);
            if (value.isPresent()) {
                return value.get();
            }
        }
        throw new TemplateException(at.pos(), "Cannot resolve variable ${" + body + "}: no value and no fallback");
    }

    private Optional<Node> choice(String choice, Node.Scalar at, int depth) {
        if (choice.length() >= 2
                && (choice.startsWith("'") && choice.endsWith("'")
                        || choice.startsWith("\"") && choice.endsWith("\""))) {
            return Optional.of(new Node.Scalar(choice.substring(1, choice.length() - 1), true, at.pos()));
        }
        if (choice.matches("-?\\d+(\\.\\d+)?|true|false")) {
            return Optional.of(new Node.Scalar(choice, false, at.pos()));
        }
        if ("null".equals(choice)) {
            return Optional.empty();
        }
        int colon = choice.indexOf(':');
        String source = colon < 0 ? choice : choice.substring(0, colon);
        String address = colon < 0 ? "" : choice.substring(colon + 1);
        return switch (source) {
            case "self" -> self(address, at, depth);
            case "opt" -> opt(address);
            case "env" -> Optional.ofNullable(options.environment().get(address))
                    .map(v -> new Node.Scalar(v, true, at.pos()));
            case "sls" -> sls(address, at);
            case "aws" -> aws(address, at);
            default -> throw new TemplateException(
                    at.pos(), "variable source " + source + ": is not supported (self," + " opt, env, sls, aws)");
        };
    }

    private Optional<Node> self(String address, Node.Scalar at, int depth) {
        if (!resolving.add(address)) {
            throw new TemplateException(at.pos(), "${self:" + address + "} refers to itself");
        }
        try {
            Node current = root;
            for (String key : address.isEmpty() ? new String[0] : address.split("\\.")) {
                if (!(current instanceof Node.MapNode map) || map.get(key).isEmpty()) {
                    return Optional.empty();
                }
                current = map.get(key).get();
            }
            return Optional.of(resolve(current, depth + 1));
        } finally {
            resolving.remove(address);
        }
    }

    private Optional<Node> opt(String address) {
        Pos pos = root.pos();
        return switch (address) {
            case "stage" -> Optional.of(new Node.Scalar(options.stage(), true, pos));
            case "region" -> Optional.of(new Node.Scalar(options.region(), true, pos));
            default -> Optional.empty();
        };
    }

    private Optional<Node> sls(String address, Node.Scalar at) {
        if (!"stage".equals(address)) {
            throw new TemplateException(at.pos(), "${sls:" + address + "} is not supported (sls:stage)");
        }
        return Optional.of(new Node.Scalar(options.stage(), true, at.pos()));
    }

    private Optional<Node> aws(String address, Node.Scalar at) {
        return switch (address) {
            case "region" -> Optional.of(new Node.Scalar(options.region(), true, at.pos()));
            case "accountId" -> Optional.of(new Node.Scalar(options.accountId(), true, at.pos()));
            default -> throw new TemplateException(
                    at.pos(), "${aws:" + address + "} is not supported (aws:region," + " aws:accountId)");
        };
    }

    /** Splits at top-level commas (not inside quotes or nested variables). */
    private static List<String> split(String body) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        char quote = 0;
        int start = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(body.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(body.substring(start));
        return parts;
    }
}
