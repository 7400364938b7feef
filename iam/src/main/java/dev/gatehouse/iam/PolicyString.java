package dev.gatehouse.iam;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A string from a policy (a Resource entry or a condition value), parsed once: literal text, {@code *}/{@code ?}
 * wildcards and {@code ${key}} policy variables. {@link #resolve} substitutes the variables from a request and yields a
 * {@link Glob}.
 *
 * <p>Substituted values and the {@code ${*}}, {@code ${?}}, {@code ${$}} escapes are literal text, never wildcards: an
 * identity id can't widen the pattern it is inserted into.
 *
 * @see <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html">Policy variables</a>
 */
final class PolicyString {

    /** {@code key} or {@code key, 'default'}: the comma and the quotes are the documented syntax. */
    private static final Pattern VARIABLE = Pattern.compile("([A-Za-z0-9_.:/\\-]+)(?:\\s*,\\s*'([^']*)')?");

    private sealed interface Part permits Text, Variable {}

    private record Text(String text, boolean wildcards) implements Part {}

    private record Variable(String key, @Nullable String defaultValue) implements Part {}

    private final String source;
    private final List<Part> parts;
    /** The pattern when there is no variable to substitute: built once, not per request. */
    private final Optional<Glob> constant;

    private PolicyString(String source, List<Part> parts) {
        this.source = source;
        this.parts = List.copyOf(parts);
        this.constant =
                parts.stream().allMatch(Text.class::isInstance) ? Optional.of(textOnly(parts)) : Optional.empty();
    }

    private static Glob textOnly(List<Part> parts) {
        Glob.Builder glob = new Glob.Builder();
        for (Part part : parts) {
            Text text = (Text) part;
            glob.append(text.text(), text.wildcards());
        }
        return glob.build();
    }

    /**
     * Parses {@code value}. With {@code variables} false (policy Version 2008-10-17) {@code ${…}} is literal text.
     * With {@code wildcards} false, {@code *} and {@code ?} are literal too (StringEquals values).
     */
    static PolicyString parse(String value, boolean variables, boolean wildcards, String where) {
        List<Part> parts = new ArrayList<>();
        if (!variables) {
            parts.add(new Text(value, wildcards));
            return new PolicyString(value, parts);
        }
        int start = 0;
        int open = value.indexOf("${");
        while (open >= 0) {
            int close = value.indexOf('}', open + 2);
            if (close < 0) {
                throw new PolicyException(where + ": unterminated policy variable in '" + value + "'");
            }
            if (open > start) {
                parts.add(new Text(value.substring(start, open), wildcards));
            }
            parts.add(variable(value.substring(open + 2, close), value, where));
            start = close + 1;
            open = value.indexOf("${", start);
        }
        if (start < value.length()) {
            parts.add(new Text(value.substring(start), wildcards));
        }
        return new PolicyString(value, parts);
    }

    private static Part variable(String body, String value, String where) {
        if (body.equals("*") || body.equals("?") || body.equals("$")) {
            return new Text(body, false);
        }
        Matcher m = VARIABLE.matcher(body.strip());
        if (!m.matches()) {
            throw new PolicyException(where + ": malformed policy variable '${" + body + "}' in '" + value + "'");
        }
        return new Variable(m.group(1), m.group(2));
    }

    /**
     * Substitutes the variables. Empty when a variable has no value and no default: a key that is absent, or that has
     * several values (IAM substitutes single values only).
     */
    Optional<Glob> resolve(RequestContext context) {
        return constant.isPresent() ? constant : substitute(context);
    }

    private Optional<Glob> substitute(RequestContext context) {
        Glob.Builder glob = new Glob.Builder();
        for (Part part : parts) {
            if (part instanceof Text text) {
                glob.append(text.text(), text.wildcards());
            } else {
                Variable variable = (Variable) part;
                List<String> values = context.values(variable.key());
                if (values.size() == 1) {
                    glob.append(values.get(0), false);
                } else if (variable.defaultValue() != null) {
                    glob.append(variable.defaultValue(), false);
                } else {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(glob.build());
    }

    @Override
    public String toString() {
        return source;
    }
}
