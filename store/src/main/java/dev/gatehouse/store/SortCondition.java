package dev.gatehouse.store;

import java.util.Objects;

/** Which sort keys of a partition a query returns. Comparisons are in UTF-8 byte order. */
public sealed interface SortCondition {

  record Any() implements SortCondition {
  }

  record Equal(String value) implements SortCondition {
    public Equal {
      Objects.requireNonNull(value, "value cannot be null");
    }
  }

  record BeginsWith(String prefix) implements SortCondition {
    public BeginsWith {
      Objects.requireNonNull(prefix, "prefix cannot be null");
    }
  }

  /** Inclusive at both ends, like DynamoDB's BETWEEN. */
  record Between(String low, String high) implements SortCondition {
    public Between {
      Objects.requireNonNull(low, "low cannot be null");
      Objects.requireNonNull(high, "high cannot be null");
    }
  }

  record GreaterThan(String value) implements SortCondition {
    public GreaterThan {
      Objects.requireNonNull(value, "value cannot be null");
    }
  }

  record LessThan(String value) implements SortCondition {
    public LessThan {
      Objects.requireNonNull(value, "value cannot be null");
    }
  }

  static SortCondition any() {
    return new Any();
  }

  static SortCondition beginsWith(String prefix) {
    return new BeginsWith(prefix);
  }
}
