package dev.gatehouse.store;

import java.util.Objects;

/**
 * Which sort keys of a partition a query returns, like a DynamoDB key condition on the sort key. Comparisons are in
 * UTF-8 byte order (code point order), as {@link Key} defines it. Operands with an unpaired surrogate are rejected
 * with {@link IllegalArgumentException}, as keys are.
 */
public sealed interface SortCondition {

    /** Every sort key. */
    record Any() implements SortCondition {}

    /** Exactly this sort key. */
    record Equal(String value) implements SortCondition {
        public Equal {
            Utf8Order.requireWellFormed(Objects.requireNonNull(value, "value cannot be null"), "value");
        }
    }

    /** Sort keys that start with {@code prefix}; the empty prefix matches every key. */
    record BeginsWith(String prefix) implements SortCondition {
        public BeginsWith {
            Utf8Order.requireWellFormed(Objects.requireNonNull(prefix, "prefix cannot be null"), "prefix");
        }
    }

    /**
     * Inclusive at both ends, like DynamoDB's BETWEEN. Throws {@link IllegalArgumentException} if {@code low} sorts
     * after {@code high} (DynamoDB rejects that too).
     */
    record Between(String low, String high) implements SortCondition {
        public Between {
            Utf8Order.requireWellFormed(Objects.requireNonNull(low, "low cannot be null"), "low");
            Utf8Order.requireWellFormed(Objects.requireNonNull(high, "high cannot be null"), "high");
            if (Utf8Order.compare(low, high) > 0) {
                throw new IllegalArgumentException("low must not sort after high");
            }
        }
    }

    /** Sort keys strictly after {@code value}. */
    record GreaterThan(String value) implements SortCondition {
        public GreaterThan {
            Utf8Order.requireWellFormed(Objects.requireNonNull(value, "value cannot be null"), "value");
        }
    }

    /** Sort keys strictly before {@code value}. */
    record LessThan(String value) implements SortCondition {
        public LessThan {
            Utf8Order.requireWellFormed(Objects.requireNonNull(value, "value cannot be null"), "value");
        }
    }

    static SortCondition any() {
        return new Any();
    }

    static SortCondition equalTo(String value) {
        return new Equal(value);
    }

    static SortCondition beginsWith(String prefix) {
        return new BeginsWith(prefix);
    }

    static SortCondition between(String low, String high) {
        return new Between(low, high);
    }

    static SortCondition greaterThan(String value) {
        return new GreaterThan(value);
    }

    static SortCondition lessThan(String value) {
        return new LessThan(value);
    }

    /**
     * Whether {@code sortKey} satisfies this condition, in UTF-8 byte order. Adapters that filter in memory use this;
     * adapters that push the condition into their engine must agree with it.
     */
    default boolean matches(String sortKey) {
        if (this instanceof Equal c) {
            return sortKey.equals(c.value());
        } else if (this instanceof BeginsWith c) {
            return sortKey.startsWith(c.prefix());
        } else if (this instanceof Between c) {
            return Utf8Order.compare(sortKey, c.low()) >= 0 && Utf8Order.compare(sortKey, c.high()) <= 0;
        } else if (this instanceof GreaterThan c) {
            return Utf8Order.compare(sortKey, c.value()) > 0;
        } else if (this instanceof LessThan c) {
            return Utf8Order.compare(sortKey, c.value()) < 0;
        }
        return true;
    }
}
