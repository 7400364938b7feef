package dev.gatehouse.store;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A precondition on the current item under a key; an expired item counts as absent. */
public sealed interface Condition {

    /** Always holds. */
    record None() implements Condition {}

    /** Holds when no live item has the key. */
    record NotExists() implements Condition {}

    /** Holds when a live item has the key. */
    record Exists() implements Condition {}

    /** Holds when a live item has the key and its attribute {@code name} equals {@code value}. */
    record AttributeEquals(String name, String value) implements Condition {
        public AttributeEquals {
            Objects.requireNonNull(name, "name cannot be null");
            Objects.requireNonNull(value, "value cannot be null");
        }
    }

    static Condition none() {
        return new None();
    }

    static Condition notExists() {
        return new NotExists();
    }

    static Condition exists() {
        return new Exists();
    }

    static Condition attributeEquals(String name, String value) {
        return new AttributeEquals(name, value);
    }

    /**
     * Whether the condition holds for the current item under its key: {@code live} is that item, or null when there is
     * none or it has expired (the caller decides expiry against its clock).
     */
    default boolean isMetBy(@Nullable Item live) {
        if (this instanceof NotExists) {
            return live == null;
        } else if (this instanceof Exists) {
            return live != null;
        } else if (this instanceof AttributeEquals c) {
            return live != null && c.value().equals(live.attributes().get(c.name()));
        }
        return true;
    }
}
