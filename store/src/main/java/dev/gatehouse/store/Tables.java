package dev.gatehouse.store;

import java.util.Objects;
import java.util.regex.Pattern;

/** Table names as every {@link ItemStore} accepts them: DynamoDB's rule, so names carry over to that adapter. */
public final class Tables {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{3,255}");

    private Tables() {}

    /**
     * Returns {@code table} when it is a valid name: 3 to 255 characters, each a letter, digit, {@code _}, {@code -}
     * or {@code .}.
     *
     * @throws IllegalArgumentException otherwise
     * @see <a href="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html">DynamoDB naming rules</a>
     */
    public static String requireValid(String table) {
        Objects.requireNonNull(table, "table cannot be null");
        if (!NAME.matcher(table).matches()) {
            throw new IllegalArgumentException("invalid table name: " + table);
        }
        return table;
    }
}
