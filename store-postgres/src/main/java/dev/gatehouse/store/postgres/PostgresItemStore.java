package dev.gatehouse.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.gatehouse.store.ConditionFailedException;
import dev.gatehouse.store.Cursors;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.ItemStore;
import dev.gatehouse.store.Key;
import dev.gatehouse.store.Page;
import dev.gatehouse.store.Query;
import dev.gatehouse.store.StoreException;
import dev.gatehouse.store.Tables;
import dev.gatehouse.store.Write;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ItemStore} on a PostgreSQL database that any number of nodes share.
 *
 * <p>Design note. Every port table shares one SQL table, {@code items (tbl, pk, sk, attributes, expires_at)}, whose
 * primary key is the only access path: a get is a point lookup and a query an index range scan of one partition
 * ({@link RangeSelect}). Keys are stored as their UTF-8 bytes in {@code bytea}, which compares with {@code memcmp}
 * (UTF-8 byte order, as the port requires) and holds U+0000. The schema is a Flyway migration
 * ({@code db/gatehouse/postgres}); Flyway takes a PostgreSQL advisory lock while migrating, so nodes starting together
 * migrate once.
 *
 * <p>Writes across nodes. A batch runs in one READ COMMITTED transaction that first takes a transaction-scoped
 * advisory lock ({@code pg_advisory_xact_lock}) for every key it writes, in ascending order of the locks' 64-bit ids
 * (so two batches never wait for each other in a cycle), then reads each key's row, checks every condition, and
 * applies every write. Every write to a key, from any node, holds that key's lock from before its check until its
 * commit, and in READ COMMITTED each statement sees every commit that came before it: the check sees the latest
 * committed item and nothing can change it before the commit. A row lock ({@code SELECT … FOR UPDATE}) would not
 * do, since it cannot lock a row that does not exist yet (a "not exists" condition); SERIALIZABLE would, but would
 * fail conflicting batches with serialization errors to retry, where the locks simply queue them. Two keys whose lock
 * ids collide (a 64-bit hash) only serialize their writers. Reads take no lock and see the last commit, so they are
 * strongly consistent. A commit returns once PostgreSQL has flushed it ({@code synchronous_commit} on, its default):
 * an acknowledged write survives the node and the database server crashing.
 *
 * <p>Expired rows are invisible to every read and condition (compared with this node's clock; nodes' clocks should
 * agree) and deleted in bounded batches after a write, at most once a minute per node.
 */
public final class PostgresItemStore implements ItemStore {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresItemStore.class);
    private static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);
    private static final int SWEEP_BATCH = 500;
    private static final String MIGRATIONS = "classpath:db/gatehouse/postgres";

    private final HikariDataSource pool;
    private final Clock clock;
    private final String where;
    private final AtomicLong nextSweep = new AtomicLong(Long.MIN_VALUE);

    private PostgresItemStore(HikariDataSource pool, Clock clock, String where) {
        this.pool = pool;
        this.clock = clock;
        this.where = where;
    }

    /**
     * Connects to the database, migrates its schema to this version, and checks a connection. Expiry decisions follow
     * {@code clock}.
     *
     * @throws StoreException if the database cannot be reached or migrated
     */
    public static PostgresItemStore open(PostgresSettings settings, Clock clock) {
        Objects.requireNonNull(settings, "settings cannot be null");
        Objects.requireNonNull(clock, "clock cannot be null");
        HikariDataSource pool = null;
        try {
            pool = new HikariDataSource(poolConfig(settings));
            Flyway.configure()
                    .dataSource(pool)
                    .locations(MIGRATIONS)
                    .table("gatehouse_schema_history")
                    .loggers("slf4j")
                    .load()
                    .migrate();
            return new PostgresItemStore(pool, clock, settings.redactedUrl());
        } catch (RuntimeException e) {
            if (pool != null) {
                pool.close();
            }
            throw new StoreException("cannot open item store " + settings.redactedUrl() + ": " + describe(e), e);
        }
    }

    /** Opens the store on the system clock (UTC). */
    public static PostgresItemStore open(PostgresSettings settings) {
        return open(settings, Clock.systemUTC());
    }

    /** Whether the database answers a trivial query now, within a few seconds. */
    public boolean isReachable() {
        try (Connection connection = pool.getConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT 1")) {
            statement.setQueryTimeout(5);
            statement.executeQuery().close();
            return true;
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public Optional<Item> get(String table, Key key) {
        Tables.requireValid(table);
        Objects.requireNonNull(key, "key cannot be null");
        long now = clock.millis();
        return read(connection -> Optional.ofNullable(select(connection, table, key, now)));
    }

    @Override
    public Page query(String table, Query query) {
        Tables.requireValid(table);
        Objects.requireNonNull(query, "query cannot be null");
        String cursor = query.cursor();
        @Nullable String after = cursor == null ? null : Cursors.decode(query.partition(), cursor);
        RangeSelect select = RangeSelect.of(table, query, after, clock.millis());
        return read(connection -> {
            List<Item> items = new ArrayList<>();
            try (PreparedStatement statement = select.prepare(connection);
                    ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    if (items.size() == query.limit()) {
                        // The row past the limit exists, so more may follow: hand out a cursor.
                        return new Page(
                                items,
                                Cursors.encode(
                                        query.partition(),
                                        items.get(items.size() - 1).key().sort()));
                    }
                    items.add(item(table, query.partition(), rows));
                }
            }
            return new Page(items, null);
        });
    }

    /** One {@code count(*)} over the partition's range of the primary key: no item is read or decoded. */
    @Override
    public long count(String table, String partition) {
        Tables.requireValid(table);
        Objects.requireNonNull(partition, "partition cannot be null");
        long now = clock.millis();
        return read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT count(*) FROM items WHERE tbl = ? AND pk = ? AND (expires_at IS NULL OR expires_at > ?)")) {
                statement.setString(1, table);
                statement.setBytes(2, RangeSelect.utf8(partition));
                statement.setLong(3, now);
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? rows.getLong(1) : 0L;
                }
            }
        });
    }

    @Override
    public void transact(List<Write> writes) {
        List<Write> batch = Write.requireValidBatch(writes);
        long now = clock.millis();
        try (Connection connection = connection()) {
            connection.setAutoCommit(false);
            try {
                lockKeys(connection, batch);
                checkConditions(connection, batch, now);
                for (Write write : batch) {
                    apply(connection, write);
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollback(connection);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("write failed on " + where + ": " + describe(e), e);
        }
        sweepIfDue(now);
    }

    /** Closes the pool: connections in use close when returned. Later calls throw {@link StoreException}. */
    @Override
    public void close() {
        pool.close();
    }

    private static void lockKeys(Connection connection, List<Write> batch) throws SQLException {
        TreeSet<Long> locks = new TreeSet<>();
        for (Write write : batch) {
            locks.add(lockId(write.table(), write.key()));
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            for (long lock : locks) {
                statement.setLong(1, lock);
                statement.executeQuery().close();
            }
        }
    }

    private static void checkConditions(Connection connection, List<Write> batch, long now) throws SQLException {
        for (int i = 0; i < batch.size(); i++) {
            Write write = batch.get(i);
            if (!write.condition().isMetBy(select(connection, write.table(), write.key(), now))) {
                throw new ConditionFailedException(write.table(), write.key(), i);
            }
        }
    }

    private static void apply(Connection connection, Write write) throws SQLException {
        if (write instanceof Write.Put put) {
            try (PreparedStatement statement = connection.prepareStatement(
                    "INSERT INTO items (tbl, pk, sk, attributes, expires_at) VALUES (?, ?, ?, ?, ?)"
                            + " ON CONFLICT (tbl, pk, sk) DO UPDATE SET attributes = excluded.attributes,"
                            + " expires_at = excluded.expires_at")) {
                bindKey(statement, put.table(), put.key());
                statement.setBytes(4, AttributesCodec.encode(put.item().attributes()));
                Instant expiresAt = put.item().expiresAt();
                if (expiresAt == null) {
                    statement.setNull(5, Types.BIGINT);
                } else {
                    statement.setLong(5, expiresAt.toEpochMilli());
                }
                statement.executeUpdate();
            }
        } else if (write instanceof Write.Delete) {
            try (PreparedStatement statement =
                    connection.prepareStatement("DELETE FROM items WHERE tbl = ? AND pk = ? AND sk = ?")) {
                bindKey(statement, write.table(), write.key());
                statement.executeUpdate();
            }
        }
    }

    /** The live item under the key, or null when there is none or it has expired at {@code now}. */
    private static @Nullable Item select(Connection connection, String table, Key key, long now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT sk, attributes, expires_at FROM items WHERE tbl = ? AND pk = ? AND sk = ?"
                        + " AND (expires_at IS NULL OR expires_at > ?)")) {
            bindKey(statement, table, key);
            statement.setLong(4, now);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? item(table, key.partition(), rows) : null;
            }
        }
    }

    private static Item item(String table, String partition, ResultSet row) throws SQLException {
        String sort = new String(row.getBytes(1), StandardCharsets.UTF_8);
        long expiresAt = row.getLong(3);
        Instant expiry = row.wasNull() ? null : Instant.ofEpochMilli(expiresAt);
        try {
            return new Item(Key.of(partition, sort), AttributesCodec.decode(row.getBytes(2)), expiry);
        } catch (IllegalArgumentException e) {
            throw new StoreException("corrupt item in table " + table, e);
        }
    }

    private static void bindKey(PreparedStatement statement, String table, Key key) throws SQLException {
        statement.setString(1, table);
        statement.setBytes(2, RangeSelect.utf8(key.partition()));
        statement.setBytes(3, RangeSelect.utf8(key.sort()));
    }

    /** The advisory lock of a key: the first 8 bytes of SHA-256 over the table, partition and sort key. */
    static long lockId(String table, Key key) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : List.of(table, key.partition(), key.sort())) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                digest.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
                digest.update(bytes);
            }
            return ByteBuffer.wrap(digest.digest()).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private void sweepIfDue(long now) {
        long due = nextSweep.get();
        if (now < due || !nextSweep.compareAndSet(due, now + SWEEP_INTERVAL.toMillis())) {
            return;
        }
        try (Connection connection = connection();
                PreparedStatement statement = connection.prepareStatement(
                        "DELETE FROM items WHERE ctid IN (SELECT ctid FROM items WHERE expires_at <= ? LIMIT ?)")) {
            statement.setLong(1, now);
            statement.setInt(2, SWEEP_BATCH);
            int deleted = statement.executeUpdate();
            if (deleted == SWEEP_BATCH) {
                // A full batch means more may wait: sweep again on the next write instead of in one long statement.
                nextSweep.set(now);
            }
            LOG.debug("Swept {} expired items from {}", deleted, where);
        } catch (SQLException | StoreException e) {
            // Housekeeping: expired rows are invisible anyway, so a failure only delays their removal.
            LOG.warn("Sweeping expired items from {} failed: {}", where, describe(e));
        }
    }

    private <T> T read(SqlFunction<T> work) {
        try (Connection connection = connection()) {
            return work.apply(connection);
        } catch (SQLException e) {
            throw new StoreException("read failed on " + where + ": " + describe(e), e);
        }
    }

    private Connection connection() throws SQLException {
        if (pool.isClosed()) {
            throw new StoreException("store is closed");
        }
        return pool.getConnection();
    }

    private void rollback(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // The connection may be broken; the original failure is what matters, and the pool discards the connection.
            LOG.debug("Rollback on {} failed", where, e);
        }
    }

    /** The SQL state and class of a failure, never its message alone (which may quote values). */
    private static String describe(Exception e) {
        if (e instanceof SQLException sql && sql.getSQLState() != null) {
            return "SQL state " + sql.getSQLState();
        }
        return e.getClass().getSimpleName();
    }

    private static HikariConfig poolConfig(PostgresSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.jdbcUrl());
        if (settings.user() != null) {
            config.setUsername(settings.user());
        }
        if (settings.password() != null) {
            config.setPassword(settings.password());
        }
        config.setMaximumPoolSize(settings.poolSize());
        config.setPoolName("gatehouse-store");
        config.setConnectionTimeout(Duration.ofSeconds(10).toMillis());
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        config.setAutoCommit(true);
        return config;
    }

    @FunctionalInterface
    private interface SqlFunction<T> {
        T apply(Connection connection) throws SQLException;
    }
}
