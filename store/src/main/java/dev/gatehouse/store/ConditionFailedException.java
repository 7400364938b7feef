package dev.gatehouse.store;

/**
 * A conditional write, or one write of an atomic batch, found its condition false. Nothing was written.
 * {@link #index()} names the failing write of a batch (0 for a single write).
 */
public class ConditionFailedException extends StoreException {

  private static final long serialVersionUID = 1L;

  private final int index;

  public ConditionFailedException(String table, Key key, int index) {
    super("condition failed on " + table + " " + key.partition() + " / " + key.sort() + " (write " + index + ")");
    this.index = index;
  }

  public int index() {
    return index;
  }
}
