package dev.gatehouse.store.postgres;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where the shared PostgreSQL database is and how to log in.
 *
 * @param jdbcUrl {@code jdbc:postgresql://host:port/database}, optionally with driver parameters such as
 *     {@code ?sslmode=verify-full} (also {@code user} and {@code password}, when not given here)
 * @param user the role to log in as, or null to take it from the URL
 * @param password its password, or null to take it from the URL (or to log in without one)
 * @param poolSize the most connections this node holds open, 1..100
 */
public record PostgresSettings(String jdbcUrl, @Nullable String user, @Nullable String password, int poolSize) {

    /** The pool size when none is given: enough for a node's worker threads without crowding a shared server. */
    public static final int DEFAULT_POOL_SIZE = 10;

    /**
     * Checks the settings.
     *
     * @throws IllegalArgumentException if the URL is not a PostgreSQL JDBC URL or the pool size is out of range
     */
    public PostgresSettings {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl cannot be null");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("the PostgreSQL URL must start with jdbc:postgresql: (got a URL of "
                    + jdbcUrl.length() + " characters that does not)");
        }
        if (poolSize < 1 || poolSize > 100) {
            throw new IllegalArgumentException("the pool size must be between 1 and 100");
        }
    }

    /** Settings with the default pool size. */
    public static PostgresSettings of(String jdbcUrl, @Nullable String user, @Nullable String password) {
        return new PostgresSettings(jdbcUrl, user, password, DEFAULT_POOL_SIZE);
    }

    /** Never shows the password (settings end up in logs). */
    @Override
    public String toString() {
        return "PostgresSettings[jdbcUrl=" + redactedUrl() + ", user=" + user + ", poolSize=" + poolSize + "]";
    }

    /** The URL without its query string, which may hold a password. */
    public String redactedUrl() {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query) + "?…";
    }
}
