package dev.gatehouse.iam;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One condition of a statement: an operator applied to one key with one or more policy values. A statement's
 * conditions are ANDed; the policy values of one condition are ORed.
 *
 * <p>Semantics (IAM User Guide, "Condition operators" and "Multivalued context keys"):
 * <ul>
 *   <li>Absent key: {@code …IfExists} is true; {@code ForAnyValue:} false; {@code ForAllValues:} true; otherwise a
 *       negated operator ({@code StringNotEquals}, {@code NotIpAddress}, …) is true and any other false.
 *   <li>Present key: a request value <em>satisfies</em> the operator when it matches any policy value (for a negated
 *       operator: matches none). Without a set operator the condition holds when any request value satisfies a positive
 *       operator, or when all satisfy a negated one (so a negated operator is exactly the negation of its positive form).
 *       {@code ForAnyValue:} needs one request value to satisfy it, {@code ForAllValues:} all of them.
 *   <li>{@code Null}: {@code "true"} holds when the key is absent, {@code "false"} when it is present.
 *   <li>Policy variables are honoured in String and Arn values; a value whose variable has no value matches nothing
 *       (so positive operators fail and negated ones hold).
 * </ul>
 *
 * @see <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html">Condition operators</a>
 */
final class Condition {

    private static final String IF_EXISTS = "IfExists";
    private static final Pattern EPOCH_SECONDS = Pattern.compile("-?\\d{1,12}");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6_TEXT = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    enum SetOperator {
        NONE,
        FOR_ANY_VALUE,
        FOR_ALL_VALUES
    }

    private enum Family {
        STRING,
        STRING_IGNORE_CASE,
        STRING_LIKE,
        NUMERIC,
        DATE,
        BOOL,
        BINARY,
        IP,
        ARN,
        NULL
    }

    private enum Comparison {
        EQ,
        LT,
        LE,
        GT,
        GE
    }

    /** Every operator IAM documents. A negated operator is evaluated as the negation of its positive partner. */
    enum Operator {
        STRING_EQUALS("StringEquals", Family.STRING, false, Comparison.EQ),
        STRING_NOT_EQUALS("StringNotEquals", Family.STRING, true, Comparison.EQ),
        STRING_EQUALS_IGNORE_CASE("StringEqualsIgnoreCase", Family.STRING_IGNORE_CASE, false, Comparison.EQ),
        STRING_NOT_EQUALS_IGNORE_CASE("StringNotEqualsIgnoreCase", Family.STRING_IGNORE_CASE, true, Comparison.EQ),
        STRING_LIKE("StringLike", Family.STRING_LIKE, false, Comparison.EQ),
        STRING_NOT_LIKE("StringNotLike", Family.STRING_LIKE, true, Comparison.EQ),
        NUMERIC_EQUALS("NumericEquals", Family.NUMERIC, false, Comparison.EQ),
        NUMERIC_NOT_EQUALS("NumericNotEquals", Family.NUMERIC, true, Comparison.EQ),
        NUMERIC_LESS_THAN("NumericLessThan", Family.NUMERIC, false, Comparison.LT),
        NUMERIC_LESS_THAN_EQUALS("NumericLessThanEquals", Family.NUMERIC, false, Comparison.LE),
        NUMERIC_GREATER_THAN("NumericGreaterThan", Family.NUMERIC, false, Comparison.GT),
        NUMERIC_GREATER_THAN_EQUALS("NumericGreaterThanEquals", Family.NUMERIC, false, Comparison.GE),
        DATE_EQUALS("DateEquals", Family.DATE, false, Comparison.EQ),
        DATE_NOT_EQUALS("DateNotEquals", Family.DATE, true, Comparison.EQ),
        DATE_LESS_THAN("DateLessThan", Family.DATE, false, Comparison.LT),
        DATE_LESS_THAN_EQUALS("DateLessThanEquals", Family.DATE, false, Comparison.LE),
        DATE_GREATER_THAN("DateGreaterThan", Family.DATE, false, Comparison.GT),
        DATE_GREATER_THAN_EQUALS("DateGreaterThanEquals", Family.DATE, false, Comparison.GE),
        BOOL("Bool", Family.BOOL, false, Comparison.EQ),
        BINARY_EQUALS("BinaryEquals", Family.BINARY, false, Comparison.EQ),
        IP_ADDRESS("IpAddress", Family.IP, false, Comparison.EQ),
        NOT_IP_ADDRESS("NotIpAddress", Family.IP, true, Comparison.EQ),
        ARN_EQUALS("ArnEquals", Family.ARN, false, Comparison.EQ),
        ARN_LIKE("ArnLike", Family.ARN, false, Comparison.EQ),
        ARN_NOT_EQUALS("ArnNotEquals", Family.ARN, true, Comparison.EQ),
        ARN_NOT_LIKE("ArnNotLike", Family.ARN, true, Comparison.EQ),
        NULL("Null", Family.NULL, false, Comparison.EQ);

        private final String iamName;
        private final Family family;
        private final boolean negated;
        private final Comparison comparison;

        Operator(String iamName, Family family, boolean negated, Comparison comparison) {
            this.iamName = iamName;
            this.family = family;
            this.negated = negated;
            this.comparison = comparison;
        }

        static Optional<Operator> named(String name) {
            return Arrays.stream(values()).filter(op -> op.iamName.equals(name)).findFirst();
        }
    }

    /** One policy value, compiled for its operator's family. */
    @FunctionalInterface
    private interface ValueMatcher {
        boolean matches(String requestValue, RequestContext context);
    }

    private final String name;
    private final Operator operator;
    private final SetOperator setOperator;
    private final boolean ifExists;
    private final String key;
    private final List<ValueMatcher> values;

    private Condition(
            String name,
            Operator operator,
            SetOperator setOperator,
            boolean ifExists,
            String key,
            List<ValueMatcher> values) {
        this.name = name;
        this.operator = operator;
        this.setOperator = setOperator;
        this.ifExists = ifExists;
        this.key = key;
        this.values = List.copyOf(values);
    }

    /**
     * Compiles {@code operatorName} ({@code ForAnyValue:StringLikeIfExists} …) on {@code key} with {@code rawValues}.
     * Throws {@link PolicyException} for an unknown operator or a value the operator can't take.
     */
    static Condition parse(String operatorName, String key, List<String> rawValues, boolean variables) {
        String rest = operatorName;
        SetOperator setOperator = SetOperator.NONE;
        if (rest.startsWith("ForAnyValue:")) {
            setOperator = SetOperator.FOR_ANY_VALUE;
            rest = rest.substring("ForAnyValue:".length());
        } else if (rest.startsWith("ForAllValues:")) {
            setOperator = SetOperator.FOR_ALL_VALUES;
            rest = rest.substring("ForAllValues:".length());
        }
        boolean ifExists = rest.endsWith(IF_EXISTS);
        if (ifExists) {
            rest = rest.substring(0, rest.length() - IF_EXISTS.length());
        }
        Operator operator = Operator.named(rest)
                .orElseThrow(() -> new PolicyException("Condition: unknown operator '" + operatorName + "'"));
        if (operator == Operator.NULL && (ifExists || setOperator != SetOperator.NONE)) {
            throw new PolicyException(
                    "Condition: '" + operatorName + "' is not allowed; Null takes no IfExists or set operator");
        }
        if (rawValues.isEmpty()) {
            throw new PolicyException("Condition: " + operatorName + " on '" + key + "' has no values");
        }
        String where = "Condition " + operatorName + " '" + key + "'";
        List<ValueMatcher> values = new ArrayList<>();
        for (String raw : rawValues) {
            values.add(compile(operator, raw, variables, where));
        }
        return new Condition(operatorName, operator, setOperator, ifExists, key, values);
    }

    /** Whether the condition holds for {@code context}. */
    boolean holds(RequestContext context) {
        List<String> requestValues = context.values(key);
        if (operator == Operator.NULL) {
            // Each value is "true" (key absent) or "false" (key present); several values are ORed like any other.
            return values.stream().anyMatch(v -> v.matches(requestValues.isEmpty() ? "true" : "false", context));
        }
        if (requestValues.isEmpty()) {
            if (ifExists) {
                return true;
            }
            return switch (setOperator) {
                case FOR_ANY_VALUE -> false;
                case FOR_ALL_VALUES -> true;
                case NONE -> operator.negated;
            };
        }
        Predicate<String> satisfies = requestValue -> {
            boolean any = values.stream().anyMatch(v -> v.matches(requestValue, context));
            return operator.negated != any;
        };
        return switch (setOperator) {
            case FOR_ANY_VALUE -> requestValues.stream().anyMatch(satisfies);
            case FOR_ALL_VALUES -> requestValues.stream().allMatch(satisfies);
            case NONE -> operator.negated
                    ? requestValues.stream().allMatch(satisfies)
                    : requestValues.stream().anyMatch(satisfies);
        };
    }

    private static ValueMatcher compile(Operator operator, String raw, boolean variables, String where) {
        return switch (operator.family) {
            case STRING -> stringMatcher(PolicyString.parse(raw, variables, false, where), false);
            case STRING_IGNORE_CASE -> stringMatcher(PolicyString.parse(raw, variables, false, where), true);
            case STRING_LIKE -> stringMatcher(PolicyString.parse(raw, variables, true, where), false);
            case ARN -> {
                PolicyString pattern = PolicyString.parse(raw, variables, true, where);
                yield (value, context) -> pattern.resolve(context)
                        .map(glob -> glob.matchesArn(value))
                        .orElse(false);
            }
            case NUMERIC -> numericMatcher(operator.comparison, parseNumber(raw, where));
            case DATE -> dateMatcher(
                    operator.comparison,
                    parseDate(raw)
                            .orElseThrow(() -> new PolicyException(
                                    where + ": '" + raw + "' is not an ISO 8601 date or epoch seconds")));
            case BOOL, NULL -> {
                boolean expected = parseBoolean(raw, where);
                yield (value, context) -> value.equalsIgnoreCase(Boolean.toString(expected));
            }
            case BINARY -> {
                byte[] expected = decodeBase64(raw)
                        .orElseThrow(() -> new PolicyException(where + ": '" + raw + "' is not base64"));
                yield (value, context) -> decodeBase64(value)
                        .map(bytes -> Arrays.equals(bytes, expected))
                        .orElse(false);
            }
            case IP -> {
                Cidr cidr = Cidr.parse(raw)
                        .orElseThrow(() ->
                                new PolicyException(where + ": '" + raw + "' is not an IP address or CIDR block"));
                yield (value, context) -> parseIp(value).map(cidr::contains).orElse(false);
            }
        };
    }

    private static ValueMatcher stringMatcher(PolicyString pattern, boolean ignoreCase) {
        return (value, context) -> pattern.resolve(context)
                .map(glob -> glob.matches(value, ignoreCase))
                .orElse(false);
    }

    private static ValueMatcher numericMatcher(Comparison comparison, BigDecimal expected) {
        return (value, context) -> {
            try {
                return compares(comparison, new BigDecimal(value.strip()).compareTo(expected));
            } catch (NumberFormatException e) {
                return false;
            }
        };
    }

    private static ValueMatcher dateMatcher(Comparison comparison, Instant expected) {
        return (value, context) -> parseDate(value)
                .map(actual -> compares(comparison, actual.compareTo(expected)))
                .orElse(false);
    }

    /** {@code order} is request value compared with policy value. */
    private static boolean compares(Comparison comparison, int order) {
        return switch (comparison) {
            case EQ -> order == 0;
            case LT -> order < 0;
            case LE -> order <= 0;
            case GT -> order > 0;
            case GE -> order >= 0;
        };
    }

    private static BigDecimal parseNumber(String raw, String where) {
        try {
            return new BigDecimal(raw.strip());
        } catch (NumberFormatException e) {
            throw new PolicyException(where + ": '" + raw + "' is not a number", e);
        }
    }

    private static boolean parseBoolean(String raw, String where) {
        if (raw.equalsIgnoreCase("true")) {
            return true;
        }
        if (raw.equalsIgnoreCase("false")) {
            return false;
        }
        throw new PolicyException(where + ": '" + raw + "' is not true or false");
    }

    /** ISO 8601 (instant, with offset, local date-time or date, taken as UTC) or whole epoch seconds. */
    static Optional<Instant> parseDate(String raw) {
        String text = raw.strip();
        if (EPOCH_SECONDS.matcher(text).matches()) {
            return Optional.of(Instant.ofEpochSecond(Long.parseLong(text)));
        }
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeException e) {
            // Try the forms without an offset.
        }
        try {
            return Optional.of(LocalDateTime.parse(text).toInstant(ZoneOffset.UTC));
        } catch (DateTimeException e) {
            // Try a bare date.
        }
        try {
            return Optional.of(LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<byte[]> decodeBase64(String raw) {
        try {
            return Optional.of(Base64.getDecoder().decode(raw.strip()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Parses an IPv4 or IPv6 literal; never resolves a host name. */
    static Optional<byte[]> parseIp(String raw) {
        String text = raw.strip();
        Matcher v4 = IPV4.matcher(text);
        if (v4.matches()) {
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(v4.group(i + 1));
                if (octet > 255) {
                    return Optional.empty();
                }
                bytes[i] = (byte) octet;
            }
            return Optional.of(bytes);
        }
        if (!IPV6_TEXT.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            // The text contains a colon, so InetAddress parses it as an IPv6 literal and does no DNS lookup.
            return Optional.of(InetAddress.getByName(text).getAddress());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** An address block; a bare address is a block of one. */
    private record Cidr(byte[] network, int prefix) {

        static Optional<Cidr> parse(String raw) {
            String text = raw.strip();
            int slash = text.indexOf('/');
            Optional<byte[]> address = parseIp(slash < 0 ? text : text.substring(0, slash));
            if (address.isEmpty()) {
                return Optional.empty();
            }
            int bits = address.get().length * 8;
            int prefix = bits;
            if (slash >= 0) {
                String length = text.substring(slash + 1);
                if (!length.matches("\\d{1,3}") || Integer.parseInt(length) > bits) {
                    return Optional.empty();
                }
                prefix = Integer.parseInt(length);
            }
            return Optional.of(new Cidr(address.get(), prefix));
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((address[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    @Override
    public String toString() {
        return name + "(" + key + ")";
    }
}
