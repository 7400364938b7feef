package dev.gatehouse.store;

/** The store could not do what was asked: an I/O failure, a closed store, or a failed condition. */
public class StoreException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
