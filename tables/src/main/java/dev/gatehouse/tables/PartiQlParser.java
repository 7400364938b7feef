package dev.gatehouse.tables;

import static dev.gatehouse.tables.PartiQl.MALFORMED;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.tables.PartiQl.Assignment;
import dev.gatehouse.tables.PartiQl.Between;
import dev.gatehouse.tables.PartiQl.Binary;
import dev.gatehouse.tables.PartiQl.Call;
import dev.gatehouse.tables.PartiQl.In;
import dev.gatehouse.tables.PartiQl.Is;
import dev.gatehouse.tables.PartiQl.Kind;
import dev.gatehouse.tables.PartiQl.Literal;
import dev.gatehouse.tables.PartiQl.Logic;
import dev.gatehouse.tables.PartiQl.Node;
import dev.gatehouse.tables.PartiQl.Not;
import dev.gatehouse.tables.PartiQl.Path;
import dev.gatehouse.tables.PartiQl.Statement;
import dev.gatehouse.tables.PartiQl.T;
import dev.gatehouse.tables.PartiQl.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The recursive-descent parser of DynamoDB's PartiQL subset, from tokens to a {@link Statement}. */
final class PartiQlParser {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final List<Token> tokens;
    private final List<JsonNode> parameters;
    private int pos;
    int used;

    PartiQlParser(List<Token> tokens, List<JsonNode> parameters) {
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
        if (t.type() == T.END) {
            return TablesException.validation(MALFORMED + "Unexpected end of statement");
        }
        return TablesException.validation(MALFORMED + "Unexpected token: " + t.text());
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
        if (peek().type() != T.END) {
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
        if (t.type() == T.QUOTED || t.type() == T.WORD) {
            pos++;
            return t.text();
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
                if (t.type() == T.NUMBER && t.text().matches("\\d+")) {
                    segments.add(Integer.parseInt(t.text()));
                } else if (t.type() == T.STRING) {
                    segments.add(t.text());
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
        if (t.type() == T.PUNCT
                && List.of("=", "<>", "!=", "<", "<=", ">", ">=").contains(t.text())) {
            pos++;
            return new Binary(t.text().equals("!=") ? "<>" : t.text(), left, additive());
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
            String op = next().text();
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
        if (t.type() == T.WORD && tokens.get(pos + 1).punct("(") && !isLiteralWord(t)) {
            pos += 2;
            List<Node> args = new ArrayList<>();
            if (!acceptPunct(")")) {
                do {
                    args.add(additive());
                } while (acceptPunct(","));
                expectPunct(")");
            }
            return new Call(t.text().toLowerCase(Locale.ROOT), args);
        }
        if (t.type() == T.QUOTED || (t.type() == T.WORD && !isLiteralWord(t))) {
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
        if (t.punct("-") && peek().type() == T.NUMBER) {
            return number("-" + next().text());
        }
        switch (t.type()) {
            case STRING -> {
                return JSON.objectNode().put("S", t.text());
            }
            case NUMBER -> {
                return number(t.text());
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
                return collection(t.text());
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
                        if (key.type() != T.STRING) {
                            pos--;
                            throw unexpected();
                        }
                        expectPunct(":");
                        map.set(key.text(), value());
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
