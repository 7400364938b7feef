package dev.gatehouse.store;

import java.util.Objects;

/** One write of an atomic {@link ItemStore#transact} batch. */
public sealed interface Write {

  String table();

  Key key();

  Condition condition();

  /** Replaces the item under its key, when the condition holds. */
  record Put(String table, Item item, Condition condition) implements Write {
    public Put {
      Objects.requireNonNull(table, "table cannot be null");
      Objects.requireNonNull(item, "item cannot be null");
      Objects.requireNonNull(condition, "condition cannot be null");
    }

    @Override
    public Key key() {
      return item.key();
    }
  }

  /** Removes the item under the key, when the condition holds; removing nothing is not an error. */
  record Delete(String table, Key key, Condition condition) implements Write {
    public Delete {
      Objects.requireNonNull(table, "table cannot be null");
      Objects.requireNonNull(key, "key cannot be null");
      Objects.requireNonNull(condition, "condition cannot be null");
    }
  }

  /** Writes nothing; fails the batch unless the condition holds. */
  record Check(String table, Key key, Condition condition) implements Write {
    public Check {
      Objects.requireNonNull(table, "table cannot be null");
      Objects.requireNonNull(key, "key cannot be null");
      Objects.requireNonNull(condition, "condition cannot be null");
    }
  }

  static Write put(String table, Item item, Condition condition) {
    return new Put(table, item, condition);
  }

  static Write delete(String table, Key key, Condition condition) {
    return new Delete(table, key, condition);
  }

  static Write check(String table, Key key, Condition condition) {
    return new Check(table, key, condition);
  }
}
