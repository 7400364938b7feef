package dev.gatehouse.tables;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A recursive-descent parser for DynamoDB's expression grammar (condition, filter, key condition, projection and
 * update expressions). Syntax errors use DynamoDB's form: {@code Syntax error; token: "<t>", near: "<t> <next>"},
 * with {@code <EOF>} at the end of input and the last token as {@code near}. {@code #name} placeholders are resolved
 * while parsing (an undefined one is an error); {@code :value} placeholders are kept by name for the checks.
 *
 * @see <a href="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html">Condition expressions</a>
 * @see <a href="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html">Update expressions</a>
 */
final class ExpressionParser {

    private static final Set<String> CLAUSES = Set.of("SET", "REMOVE", "ADD", "DELETE");
    private static final Set<String> COMPARATORS = Set.of("=", "<>", "<", "<=", ">", ">=");

    private record Token(String kind, String text, int start, int end) {}

    private final String kind;
    private final String source;
    private final Map<String, String> names;
    private final Set<String> usedNames;
    private final Expressions.Context context;
    private final List<Token> tokens;
    private int position;
    private @Nullable String pendingNameError;
    private boolean redundantParens;

    private ExpressionParser(String kind, String source, Expressions.Context context) {
        this.kind = kind;
        this.source = source;
        this.context = context;
        this.names = context.names();
        this.usedNames = context.usedNames();
        this.tokens = tokenize(source);
    }

    /** Parses a condition (also filter and key-condition) expression. */
    static Expr.Condition condition(String kind, String text, Expressions.Context context) {
        ExpressionParser parser = start(kind, text, context);
        Expr.Condition condition = parser.parseOr();
        parser.expectEnd();
        parser.finish();
        return condition;
    }

    /** Parses a projection expression: paths separated by commas. */
    static List<Expr.Path> projection(String text, Expressions.Context context) {
        ExpressionParser parser = start("ProjectionExpression", text, context);
        List<Expr.Path> paths = new ArrayList<>();
        paths.add(parser.parsePath());
        while (parser.accept(",")) {
            paths.add(parser.parsePath());
        }
        parser.expectEnd();
        parser.finish();
        return paths;
    }

    /** Parses an update expression. */
    static Expr.Update update(String text, Expressions.Context context) {
        ExpressionParser parser = start("UpdateExpression", text, context);
        List<Expr.Action> actions = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        do {
            Token token = parser.peek();
            String clause = token.kind().equals("name") ? token.text().toUpperCase(Locale.ROOT) : "";
            if (!CLAUSES.contains(clause)) {
                throw parser.syntaxError();
            }
            parser.position++;
            if (!seen.add(clause)) {
                throw parser.invalid("The \"" + clause + "\" section can only be used once in an update expression;");
            }
            parser.parseClause(clause, actions);
        } while (!parser.peek().kind().equals("eof"));
        parser.finish();
        return new Expr.Update(actions);
    }

    private static ExpressionParser start(String kind, String text, Expressions.Context context) {
        if (text.isEmpty()) {
            throw TablesException.validation("Invalid " + kind + ": The expression can not be empty;");
        }
        int bytes = Attributes.utf8(text);
        if (bytes > 4096) {
            throw TablesException.validation("Invalid " + kind
                    + ": Expression size has exceeded the maximum allowed size; expression size: " + bytes);
        }
        return new ExpressionParser(kind, text, context);
    }

    private void parseClause(String clause, List<Expr.Action> actions) {
        do {
            Expr.Path path = parsePath();
            switch (clause) {
                case "SET" -> {
                    expect("=");
                    actions.add(new Expr.Action(clause, path, parseSetValue()));
                }
                case "REMOVE" -> actions.add(new Expr.Action(clause, path, new Expr.ValueRef("")));
                default -> actions.add(new Expr.Action(clause, path, parseValueRef()));
            }
        } while (accept(","));
    }

    private Expr.Operand parseValueRef() {
        Token token = peek();
        if (!token.kind().equals("value")) {
            throw syntaxError();
        }
        position++;
        return new Expr.ValueRef(token.text());
    }

    private Expr.Operand parseSetValue() {
        Expr.Operand left = parseOperand();
        if (peek().text().equals("+") || peek().text().equals("-")) {
            char operator = tokens.get(position++).text().charAt(0);
            return new Expr.Arithmetic(left, operator, parseOperand());
        }
        return left;
    }

    private Expr.Condition parseOr() {
        Expr.Condition left = parseAnd();
        while (acceptKeyword("OR")) {
            left = new Expr.Or(left, parseAnd());
        }
        return left;
    }

    private Expr.Condition parseAnd() {
        Expr.Condition left = parseNot();
        while (acceptKeyword("AND")) {
            left = new Expr.And(left, parseNot());
        }
        return left;
    }

    private Expr.Condition parseNot() {
        if (acceptKeyword("NOT")) {
            return new Expr.Not(parseNot());
        }
        return parsePrimary();
    }

    private Expr.Condition parsePrimary() {
        if (accept("(")) {
            Expr.Condition inner = parseOr();
            expect(")");
            if (inner instanceof Expr.Parens) {
                redundantParens = true;
            }
            return new Expr.Parens(inner);
        }
        Expr.Operand left = parseOperand();
        Token next = peek();
        if (COMPARATORS.contains(next.text()) && next.kind().equals("punct")) {
            position++;
            return new Expr.Compare(next.text(), left, parseOperand());
        }
        if (acceptKeyword("BETWEEN")) {
            Expr.Operand low = parseOperand();
            if (!acceptKeyword("AND")) {
                throw syntaxError();
            }
            return new Expr.Between(left, low, parseOperand());
        }
        if (acceptKeyword("IN")) {
            expect("(");
            List<Expr.Operand> list = new ArrayList<>();
            list.add(parseOperand());
            while (accept(",")) {
                list.add(parseOperand());
            }
            expect(")");
            return new Expr.In(left, list);
        }
        if (left instanceof Expr.Call call) {
            return new Expr.Function(call);
        }
        throw syntaxError();
    }

    private Expr.Operand parseOperand() {
        Token token = peek();
        if (token.kind().equals("value")) {
            position++;
            return new Expr.ValueRef(token.text());
        }
        if (token.kind().equals("name") && tokens.get(position + 1).text().equals("(")) {
            position += 2;
            List<Expr.Operand> args = new ArrayList<>();
            if (!peek().text().equals(")")) {
                args.add(parseSetValueOrOperand());
                while (accept(",")) {
                    args.add(parseSetValueOrOperand());
                }
            }
            expect(")");
            return new Expr.Call(token.text(), args);
        }
        return new Expr.PathOperand(parsePath());
    }

    private Expr.Operand parseSetValueOrOperand() {
        return parseOperand();
    }

    private Expr.Path parsePath() {
        List<Object> elements = new ArrayList<>();
        List<String> bare = new ArrayList<>();
        elements.add(parseName(bare));
        while (true) {
            if (accept(".")) {
                elements.add(parseName(bare));
            } else if (peek().text().equals("[")) {
                position++;
                Token index = peek();
                if (!index.kind().equals("number")) {
                    throw syntaxError();
                }
                position++;
                expect("]");
                try {
                    elements.add(Integer.parseInt(index.text()));
                } catch (NumberFormatException e) {
                    throw syntaxError();
                }
            } else {
                return new Expr.Path(elements, bare);
            }
        }
    }

    private String parseName(List<String> bare) {
        Token token = peek();
        if (token.kind().equals("name")) {
            position++;
            bare.add(token.text());
            return token.text();
        }
        if (token.kind().equals("nameref")) {
            position++;
            usedNames.add(token.text());
            String resolved = names.get(token.text());
            if (resolved == null) {
                if (pendingNameError == null) {
                    pendingNameError = token.text();
                }
                return token.text();
            }
            return resolved;
        }
        throw syntaxError();
    }

    /** Raises the errors found while parsing that rank after syntax errors. */
    private void finish() {
        if (redundantParens) {
            throw invalid("The expression has redundant parentheses;");
        }
        if (pendingNameError != null) {
            context.undefinedName(kind, pendingNameError);
        }
    }

    private void expectEnd() {
        if (!peek().kind().equals("eof")) {
            throw syntaxError();
        }
    }

    private void expect(String punct) {
        if (!accept(punct)) {
            throw syntaxError();
        }
    }

    private boolean accept(String punct) {
        Token token = peek();
        if (token.kind().equals("punct") && token.text().equals(punct)) {
            position++;
            return true;
        }
        return false;
    }

    private boolean acceptKeyword(String keyword) {
        Token token = peek();
        if (token.kind().equals("name") && token.text().equalsIgnoreCase(keyword)) {
            position++;
            return true;
        }
        return false;
    }

    private Token peek() {
        return tokens.get(Math.min(position, tokens.size() - 1));
    }

    TablesException invalid(String message) {
        return TablesException.validation("Invalid " + kind + ": " + message);
    }

    private TablesException syntaxError() {
        Token token = peek();
        String near;
        if (token.kind().equals("eof")) {
            near = position == 0 ? "" : tokens.get(position - 1).text();
            return invalid("Syntax error; token: \"<EOF>\", near: \"" + near + "\"");
        }
        Token next = tokens.get(Math.min(position + 1, tokens.size() - 1));
        int end = next.kind().equals("eof") ? token.end() : next.end();
        near = source.substring(token.start(), end);
        return invalid("Syntax error; token: \"" + token.text() + "\", near: \"" + near + "\"");
    }

    private static List<Token> tokenize(String text) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                i++;
                continue;
            }
            int start = i;
            String kind;
            if (isLetter(c)) {
                i = word(text, i + 1);
                kind = "name";
            } else if ((c == '#' || c == ':') && i + 1 < text.length() && isWordChar(text.charAt(i + 1))) {
                i = word(text, i + 1);
                kind = c == '#' ? "nameref" : "value";
            } else if (c >= '0' && c <= '9') {
                while (i < text.length() && Character.isDigit(text.charAt(i)) && text.charAt(i) < 128) {
                    i++;
                }
                kind = "number";
            } else if ((c == '<' || c == '>')
                    && i + 1 < text.length()
                    && (text.charAt(i + 1) == '=' || c == '<' && text.charAt(i + 1) == '>')) {
                i += 2;
                kind = "punct";
            } else if ("()[],.=<>+-".indexOf(c) >= 0) {
                i++;
                kind = "punct";
            } else {
                i += Character.charCount(text.codePointAt(i));
                kind = "error";
            }
            tokens.add(new Token(kind, text.substring(start, i), start, i));
        }
        tokens.add(new Token("eof", "", text.length(), text.length()));
        return tokens;
    }

    private static int word(String text, int from) {
        int i = from;
        while (i < text.length() && isWordChar(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean isWordChar(char c) {
        return isLetter(c) || c >= '0' && c <= '9' || c == '_';
    }
}
