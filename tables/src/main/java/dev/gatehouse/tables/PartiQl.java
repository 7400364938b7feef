package dev.gatehouse.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * DynamoDB's PartiQL subset: a tokenizer and recursive-descent parser producing {@link Statement}s, whose
 * conditions and assignments are trees of {@link Node}s. Literals and {@code ?} parameters become DynamoDB
 * attribute values as they are parsed, so the trees render directly into DynamoDB's expression language
 * ({@link Render}) and run through the same evaluator as every other operation.
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
        Parser parser = new Parser(tokenize(text), parameters);
        Statement statement = parser.statement();
        if (parser.used != parameters.size()) {
            throw TablesException.validation("Number of parameters in request and statement don't match.");
        }
        return statement;
    }

    // ---------------------------------------------------------------- tokens

    private enum T {
        WORD,
        QUOTED,
        STRING,
        NUMBER,
        PUNCT,
        END
    }

    private record Token(T type, String text) {
        boolean is(String keyword) {
            return type == T.WORD && text.equalsIgnoreCase(keyword);
        }

        boolean punct(String p) {
            return type == T.PUNCT && text.equals(p);
        }
    }

    private static List<Token> tokenize(String s) {
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

    // ---------------------------------------------------------------- parser

    private static final class Parser {
        private final List<Token> tokens;
        private final List<JsonNode> parameters;
        private int pos;
        int used;

        Parser(List<Token> tokens, List<JsonNode> parameters) {
            this.tokens = tokens;
            this.parameters = parameters;
        }

        private Token peek() {
            return tokens.get(pos);
        }

        private Token next() {
            return tokens.get(pos++);
        }

        private boolean accept(String keyword) {
            if (peek().is(keyword)) {
                pos++;
                return true;
            }
            return false;
        }

        private boolean acceptPunct(String p) {
            if (peek().punct(p)) {
                pos++;
                return true;
            }
            return false;
        }

        private TablesException unexpected() {
            Token t = peek();
            if (t.type == T.END) {
                return TablesException.validation(MALFORMED + "Unexpected end of statement");
            }
            return TablesException.validation(MALFORMED + "Unexpected token: " + t.text);
        }

        private void expect(String keyword) {
            if (!accept(keyword)) {
                throw unexpected();
            }
        }

        private void expectPunct(String p) {
            if (!acceptPunct(p)) {
                throw unexpected();
            }
        }

        Statement statement() {
            Statement s;
            if (accept("SELECT")) {
                s = select();
            } else if (accept("INSERT")) {
                s = insert();
            } else if (accept("UPDATE")) {
                s = update();
            } else if (accept("DELETE")) {
                s = delete();
            } else {
                throw unexpected();
            }
            acceptPunct(";");
            if (peek().type != T.END) {
                throw unexpected();
            }
            return s;
        }

        private Statement select() {
            List<Node> projection = new ArrayList<>();
            if (!acceptPunct("*")) {
                do {
                    projection.add(path());
                } while (acceptPunct(","));
            }
            expect("FROM");
            String[] table = tableRef();
            Node where = accept("WHERE") ? expression() : null;
            return new Statement(Kind.SELECT, table[0], table[1], projection, where, null, List.of(), List.of());
        }

        private Statement insert() {
            expect("INTO");
            String[] table = tableRef();
            if (table[1] != null) {
                throw TablesException.validation(MALFORMED + "INSERT cannot target an index");
            }
            expect("VALUE");
            JsonNode item = value();
            if (!item.has("M")) {
                throw TablesException.validation("Unsupported operation: Inserting a value that is not a tuple");
            }
            return new Statement(Kind.INSERT, table[0], null, List.of(), null, item.get("M"), List.of(), List.of());
        }

        private Statement update() {
            String[] table = tableRef();
            List<Assignment> sets = new ArrayList<>();
            List<Node> removals = new ArrayList<>();
            boolean any = false;
            while (true) {
                if (accept("SET")) {
                    do {
                        Node path = path();
                        expectPunct("=");
                        sets.add(new Assignment(path, additive()));
                    } while (acceptPunct(","));
                } else if (accept("REMOVE")) {
                    do {
                        removals.add(path());
                    } while (acceptPunct(","));
                } else {
                    break;
                }
                any = true;
            }
            if (!any) {
                throw unexpected();
            }
            expect("WHERE");
            Node where = expression();
            returning();
            return new Statement(Kind.UPDATE, table[0], table[1], List.of(), where, null, sets, removals);
        }

        private Statement delete() {
            expect("FROM");
            String[] table = tableRef();
            expect("WHERE");
            Node where = expression();
            returning();
            return new Statement(Kind.DELETE, table[0], table[1], List.of(), where, null, List.of(), List.of());
        }

        private void returning() {
            if (peek().is("RETURNING")) {
                throw TablesException.validation("RETURNING is not supported by this endpoint");
            }
        }

        private String[] tableRef() {
            String table = identifier();
            String index = null;
            if (acceptPunct(".")) {
                index = identifier();
            }
            return new String[] {table, index};
        }

        private String identifier() {
            Token t = peek();
            if (t.type == T.QUOTED || t.type == T.WORD) {
                pos++;
                return t.text;
            }
            throw unexpected();
        }

        private Path path() {
            List<Object> segments = new ArrayList<>();
            segments.add(identifier());
            while (true) {
                if (acceptPunct(".")) {
                    segments.add(identifier());
                } else if (peek().punct("[")) {
                    pos++;
                    Token t = next();
                    if (t.type == T.NUMBER && t.text.matches("\\d+")) {
                        segments.add(Integer.parseInt(t.text));
                    } else if (t.type == T.STRING) {
                        segments.add(t.text);
                    } else {
                        pos--;
                        throw unexpected();
                    }
                    expectPunct("]");
                } else {
                    return new Path(segments);
                }
            }
        }

        Node expression() {
            Node left = conjunction();
            while (accept("OR")) {
                left = new Logic("OR", left, conjunction());
            }
            return left;
        }

        private Node conjunction() {
            Node left = negation();
            while (accept("AND")) {
                left = new Logic("AND", left, negation());
            }
            return left;
        }

        private Node negation() {
            if (accept("NOT")) {
                return new Not(negation());
            }
            return predicate();
        }

        private Node predicate() {
            Node left = additive();
            Token t = peek();
            if (t.type == T.PUNCT
                    && List.of("=", "<>", "!=", "<", "<=", ">", ">=").contains(t.text)) {
                pos++;
                return new Binary(t.text.equals("!=") ? "<>" : t.text, left, additive());
            }
            boolean negated = accept("NOT");
            if (accept("BETWEEN")) {
                Node low = additive();
                expect("AND");
                Node between = new Between(left, low, additive());
                return negated ? new Not(between) : between;
            }
            if (accept("IN")) {
                Node in = new In(left, inList());
                return negated ? new Not(in) : in;
            }
            if (negated) {
                throw unexpected();
            }
            if (accept("IS")) {
                boolean not = accept("NOT");
                if (accept("MISSING")) {
                    return new Is(left, not, true);
                }
                expect("NULL");
                return new Is(left, not, false);
            }
            return left;
        }

        private List<Node> inList() {
            String close = acceptPunct("[") ? "]" : null;
            if (close == null) {
                expectPunct("(");
                close = ")";
            }
            List<Node> values = new ArrayList<>();
            do {
                values.add(additive());
            } while (acceptPunct(","));
            expectPunct(close);
            return values;
        }

        Node additive() {
            Node left = primary();
            while (peek().punct("+") || peek().punct("-")) {
                String op = next().text;
                left = new Binary(op, left, primary());
            }
            return left;
        }

        private Node primary() {
            Token t = peek();
            if (t.punct("(")) {
                pos++;
                Node inner = expression();
                expectPunct(")");
                return inner;
            }
            if (t.type == T.WORD && tokens.get(pos + 1).punct("(") && !isLiteralWord(t)) {
                pos += 2;
                List<Node> args = new ArrayList<>();
                if (!acceptPunct(")")) {
                    do {
                        args.add(additive());
                    } while (acceptPunct(","));
                    expectPunct(")");
                }
                return new Call(t.text.toLowerCase(Locale.ROOT), args);
            }
            if (t.type == T.QUOTED || (t.type == T.WORD && !isLiteralWord(t))) {
                return path();
            }
            return new Literal(value());
        }

        private static boolean isLiteralWord(Token t) {
            return t.is("TRUE") || t.is("FALSE") || t.is("NULL");
        }

        /** A literal value or parameter, as a DynamoDB attribute value. */
        JsonNode value() {
            Token t = next();
            if (t.punct("?")) {
                if (used >= parameters.size()) {
                    throw TablesException.validation("Number of parameters in request and statement don't match.");
                }
                return parameters.get(used++);
            }
            if (t.punct("-") && peek().type == T.NUMBER) {
                return number("-" + next().text);
            }
            switch (t.type) {
                case STRING -> {
                    return JSON.objectNode().put("S", t.text);
                }
                case NUMBER -> {
                    return number(t.text);
                }
                case WORD -> {
                    if (t.is("TRUE") || t.is("FALSE")) {
                        return JSON.objectNode().put("BOOL", t.is("TRUE"));
                    }
                    if (t.is("NULL")) {
                        return JSON.objectNode().put("NULL", true);
                    }
                }
                case PUNCT -> {
                    return collection(t.text);
                }
                default -> {}
            }
            pos--;
            throw unexpected();
        }

        private static JsonNode number(String text) {
            return JSON.objectNode().put("N", text);
        }

        private JsonNode collection(String open) {
            switch (open) {
                case "{" -> {
                    ObjectNode map = JSON.objectNode();
                    if (!acceptPunct("}")) {
                        do {
                            Token key = next();
                            if (key.type != T.STRING) {
                                pos--;
                                throw unexpected();
                            }
                            expectPunct(":");
                            map.set(key.text, value());
                        } while (acceptPunct(","));
                        expectPunct("}");
                    }
                    ObjectNode out = JSON.objectNode();
                    out.set("M", map);
                    return out;
                }
                case "[" -> {
                    ObjectNode out = JSON.objectNode();
                    var list = out.putArray("L");
                    if (!acceptPunct("]")) {
                        do {
                            list.add(value());
                        } while (acceptPunct(","));
                        expectPunct("]");
                    }
                    return out;
                }
                case "<<" -> {
                    return set();
                }
                default -> {
                    pos--;
                    throw unexpected();
                }
            }
        }

        private JsonNode set() {
            List<JsonNode> members = new ArrayList<>();
            do {
                members.add(value());
            } while (acceptPunct(","));
            expectPunct(">>");
            String type = members.get(0).fieldNames().next();
            if (!List.of("S", "N", "B").contains(type) || members.stream().anyMatch(m -> !m.has(type))) {
                throw TablesException.validation(
                        "Unsupported operation: A set must hold strings, numbers or binaries" + " of one type");
            }
            ObjectNode out = JSON.objectNode();
            var array = out.putArray(type + "S");
            members.forEach(m -> array.add(m.get(type)));
            return out;
        }
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
