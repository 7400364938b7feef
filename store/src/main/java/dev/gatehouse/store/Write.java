package dev.gatehouse.store;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** One write of an atomic {@link ItemStore#transact} batch. */
public sealed interface Write {

    /** The table the write applies to. */
    String table();

    /** The key the write applies to; a batch holds each (table, key) at most once. */
    Key key();

    /** What must hold of the current live item under the key for the batch to commit. */
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

    /**
     * Returns an immutable copy of {@code writes} when it is a valid {@link ItemStore#transact} batch: 1 to
     * {@link ItemStore#MAX_TRANSACT_WRITES} writes, valid table names, no (table, key) twice.
     *
     * @throws IllegalArgumentException otherwise
     */
    static List<Write> requireValidBatch(List<Write> writes) {
        List<Write> batch = List.copyOf(writes);
        if (batch.isEmpty() || batch.size() > ItemStore.MAX_TRANSACT_WRITES) {
            throw new IllegalArgumentException("a transaction holds 1 to " + ItemStore.MAX_TRANSACT_WRITES + " writes");
        }
        Set<List<Object>> seen = new HashSet<>();
        for (Write write : batch) {
            Tables.requireValid(write.table());
            if (!seen.add(List.of(write.table(), write.key()))) {
                throw new IllegalArgumentException("a transaction may write each key once");
            }
        }
        return batch;
    }
}
