package dev.gatehouse.store;

/**
 * A conditional write, or one write of an atomic batch, found its condition false. Nothing was written.
 * {@link #index()} names the failing write of a batch (0 for a single write).
 *
 * <p>The message names the table and the index but not the key, since keys may hold user data or token ids and
 * exception messages end up in logs.
 */
public class ConditionFailedException extends StoreException {

    private static final long serialVersionUID = 1L;

    private final String table;
    private final Key key;
    private final int index;

    public ConditionFailedException(String table, Key key, int index) {
        super("condition failed on table " + table + " (write " + index + ")");
        this.table = table;
        this.key = key;
        this.index = index;
    }

    /** The position of the failing write in its batch; 0 for a single put or delete. */
    public int index() {
        return index;
    }

    /** The table of the failing write. */
    public String table() {
        return table;
    }

    /** The key of the failing write. */
    public Key key() {
        return key;
    }
}
