package dev.gatehouse.userpool;

/**
 * Thrown by a read asked to answer from this node's caches only ({@link Accounts#getUserWithoutBlocking}) when the
 * answer needs the store: the request then takes the ordinary path on a worker. Carries no stack trace.
 */
final class CacheMiss extends RuntimeException {

    private static final long serialVersionUID = 1L;

    static final CacheMiss INSTANCE = new CacheMiss();

    private CacheMiss() {
        super("needs the store", null, false, false);
    }

    /** A reader for {@link RecentReads#get} that never reads. */
    static <T> T miss() {
        throw INSTANCE;
    }
}
