package dev.gatehouse.store;

/** The store could not do what was asked: an I/O failure, a closed store, or a failed condition. */
public class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A failure described by {@code message}, which must not contain keys, attribute values or secrets. */
    public StoreException(String message) {
        super(message);
    }

    /** A failure caused by {@code cause}, typically an I/O or driver exception. */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
