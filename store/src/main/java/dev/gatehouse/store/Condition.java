package dev.gatehouse.store;

import java.util.Objects;

/** A precondition on the current item under a key; an expired item counts as absent. */
public sealed interface Condition {

  /** Always holds. */
  record None() implements Condition {
  }

  /** Holds when no live item has the key. */
  record NotExists() implements Condition {
  }

  /** Holds when a live item has the key. */
  record Exists() implements Condition {
  }

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
}
