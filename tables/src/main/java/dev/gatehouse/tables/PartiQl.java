package dev.gatehouse.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * DynamoDB's PartiQL subset: a tokenizer and recursive-descent parser ({@link PartiQlParser}) producing
 * {@link Statement}s, whose conditions and assignments are trees of {@link Node}s. Literals and {@code ?} parameters
 * become DynamoDB attribute values as they are parsed, so the trees render directly into DynamoDB's expression
 * language ({@link Render}) and run through the same evaluator as every other operation.
 *
 * @see <a href="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.html">PartiQL for
 *     DynamoDB</a>
 */
final class PartiQl {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    static final String MALFORMED = "Statement wasn't well formed, can't be processed: ";

    private PartiQl() {}

    /** What a statement does. */
    enum Kind {
        SELECT,
        INSERT,
        UPDATE,
        DELETE
    }

    /** A parsed statement; {@code where} and {@code item} are absent where the kind has none. */
    record Statement(
            Kind kind,
            String table,
            @Nullable String index,
            List<Node> projection,
            @Nullable Node where,
            @Nullable JsonNode item,
            List<Assignment> assignments,
            List<Node> removals) {}

    /** One {@code SET path = value} of an UPDATE. */
    record Assignment(Node path, Node value) {}

    /** An expression tree node. */
    sealed interface Node permits Path, Literal, Binary, Logic, Not, Between, In, Is, Call {}

    /** An attribute path: names (String) and list indexes (Integer). */
    record Path(List<Object> segments) implements Node {
        String first() {
            return (String) segments.get(0);
        }

        /** The name of the last named segment, what a projected path is returned under. */
        String lastName() {
            for (int i = segments.size() - 1; i >= 0; i--) {
                if (segments.get(i) instanceof String s) {
                    return s;
                }
            }
            return first();
        }
    }

    /** A literal or parameter, already a DynamoDB attribute value. */
    record Literal(JsonNode value) implements Node {}

    /** A comparison ({@code = <> < <= > >=}) or arithmetic ({@code + -}). */
    record Binary(String op, Node left, Node right) implements Node {}

    /** {@code AND} / {@code OR}. */
    record Logic(String op, Node left, Node right) implements Node {}

    record Not(Node operand) implements Node {}

    record Between(Node operand, Node low, Node high) implements Node {}

    record In(Node operand, List<Node> values) implements Node {}

    /** {@code IS [NOT] MISSING|NULL}. */
    record Is(Node operand, boolean negated, boolean missing) implements Node {}

    record Call(String name, List<Node> args) implements Node {}

    /** Parses one statement, binding its {@code ?} in order to {@code parameters}. */
    static Statement parse(String text, List<JsonNode> parameters) {
        PartiQlParser parser = new PartiQlParser(tokenize(text), parameters);
        Statement statement = parser.statement();
        if (parser.used != parameters.size()) {
            throw TablesException.validation("Number of parameters in request and statement don't match.");
        }
        return statement;
    }

    // ---------------------------------------------------------------- tokens

    enum T {
        WORD,
        QUOTED,
        STRING,
        NUMBER,
        PUNCT,
        END
    }

    record Token(T type, String text) {
        boolean is(String keyword) {
            return type == T.WORD && text.equalsIgnoreCase(keyword);
        }

        boolean punct(String p) {
            return type == T.PUNCT && text.equals(p);
        }
    }

    static List<Token> tokenize(String s) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'' || c == '"') {
                i = quoted(s, i, c, tokens);
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
                i = number(s, i, tokens);
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                    i++;
                }
                tokens.add(new Token(T.WORD, s.substring(start, i)));
            } else {
                i = punct(s, i, tokens);
            }
        }
        tokens.add(new Token(T.END, "<EOF>"));
        return tokens;
    }

    private static int quoted(String s, int start, char quote, List<Token> tokens) {
        StringBuilder out = new StringBuilder();
        int i = start + 1;
        while (true) {
            if (i >= s.length()) {
                throw TablesException.validation(MALFORMED + "Unterminated quoted text");
            }
            char c = s.charAt(i);
            if (c == quote) {
                if (i + 1 < s.length() && s.charAt(i + 1) == quote) {
                    out.append(quote);
                    i += 2;
                    continue;
                }
                break;
            }
            out.append(c);
            i++;
        }
        tokens.add(new Token(quote == '\'' ? T.STRING : T.QUOTED, out.toString()));
        return i + 1;
    }

    private static int number(String s, int start, List<Token> tokens) {
        int i = start;
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
            i++;
        }
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
        }
        tokens.add(new Token(T.NUMBER, s.substring(start, i)));
        return i;
    }

    private static int punct(String s, int i, List<Token> tokens) {
        for (String p : List.of("<<", ">>", "<>", "!=", "<=", ">=")) {
            if (s.startsWith(p, i)) {
                tokens.add(new Token(T.PUNCT, p));
                return i + 2;
            }
        }
        char c = s.charAt(i);
        if ("=<>,.[]{}():?*+-".indexOf(c) < 0) {
            throw TablesException.validation(MALFORMED + "Unexpected character: " + c);
        }
        tokens.add(new Token(T.PUNCT, String.valueOf(c)));
        return i + 1;
    }

    // ---------------------------------------------------------------- rendering

    /** Renders trees into DynamoDB's expression language with generated name and value placeholders. */
    static final class Render {
        final ObjectNode names = JSON.objectNode();
        final ObjectNode values = JSON.objectNode();

        String path(Path path) {
            StringBuilder out = new StringBuilder();
            for (Object segment : path.segments()) {
                if (segment instanceof Integer index) {
                    out.append('[').append(index).append(']');
                } else {
                    if (out.length() > 0) {
                        out.append('.');
                    }
                    out.append(name((String) segment));
                }
            }
            return out.toString();
        }

        private String name(String name) {
            for (var it = names.fields(); it.hasNext(); ) {
                var e = it.next();
                if (e.getValue().asText().equals(name)) {
                    return e.getKey();
                }
            }
            String placeholder = "#p" + names.size();
            names.put(placeholder, name);
            return placeholder;
        }

        String value(JsonNode value) {
            String placeholder = ":p" + values.size();
            values.set(placeholder, value);
            return placeholder;
        }

        String node(Node node) {
            if (node instanceof Path p) {
                return path(p);
            } else if (node instanceof Literal l) {
                return value(l.value());
            } else if (node instanceof Binary b) {
                return node(b.left()) + " " + b.op() + " " + node(b.right());
            } else if (node instanceof Logic l) {
                return "(" + node(l.left()) + ") " + l.op() + " (" + node(l.right()) + ")";
            } else if (node instanceof Not n) {
                return "NOT (" + node(n.operand()) + ")";
            } else if (node instanceof Between b) {
                return node(b.operand()) + " BETWEEN " + node(b.low()) + " AND " + node(b.high());
            } else if (node instanceof In in) {
                return node(in.operand()) + " IN ("
                        + String.join(", ", in.values().stream().map(this::node).toList()) + ")";
            } else if (node instanceof Is is) {
                return is(is);
            }
            return call((Call) node);
        }

        private String is(Is is) {
            if (!(is.operand() instanceof Path p)) {
                throw TablesException.validation(
                        MALFORMED + "IS " + (is.missing() ? "MISSING" : "NULL") + " needs an attribute path");
            }
            String text = is.missing()
                    ? "attribute_not_exists(" + path(p) + ")"
                    : "attribute_type(" + path(p) + ", "
                            + value(JSON.objectNode().put("S", "NULL")) + ")";
            if (is.missing()) {
                return is.negated() ? "attribute_exists(" + path(p) + ")" : text;
            }
            return is.negated() ? "NOT (" + text + ")" : text;
        }

        private String call(Call c) {
            String name =
                    switch (c.name()) {
                        case "begins_with",
                                "contains",
                                "attribute_type",
                                "size",
                                "attribute_exists",
                                "attribute_not_exists",
                                "if_not_exists",
                                "list_append" -> c.name();
                        case "exists" -> "attribute_exists";
                        case "missing" -> "attribute_not_exists";
                        default -> throw TablesException.validation("Unsupported function: " + c.name());
                    };
            return name + "("
                    + String.join(", ", c.args().stream().map(this::node).toList()) + ")";
        }

        /** Adds the placeholders used to a request. */
        void into(ObjectNode request) {
            if (!names.isEmpty()) {
                request.set("ExpressionAttributeNames", names);
            }
            if (!values.isEmpty()) {
                request.set("ExpressionAttributeValues", values);
            }
        }
    }
}
