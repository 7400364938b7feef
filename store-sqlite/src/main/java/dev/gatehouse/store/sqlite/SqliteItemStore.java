package dev.gatehouse.store.sqlite;

import dev.gatehouse.store.ConditionFailedException;
import dev.gatehouse.store.Cursors;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.ItemStore;
import dev.gatehouse.store.Key;
import dev.gatehouse.store.Page;
import dev.gatehouse.store.Query;
import dev.gatehouse.store.SortCondition;
import dev.gatehouse.store.StoreException;
import dev.gatehouse.store.Tables;
import dev.gatehouse.store.Write;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteJDBCLoader;

/**
 * The {@link ItemStore} on one SQLite database file.
 *
 * <p>Design note. Every port table shares one SQL table, {@code items (tbl, pk, sk, attributes, expires_at)}, whose
 * primary key {@code (tbl, pk, sk)} is the only access path: a get is a point lookup and a query is a range scan of
 * one partition, bounded by the sort condition and the cursor, so no operation scans (the schema is
 * {@code schema.sql} beside this class). Sort keys are stored as BLOBs of their UTF-8 bytes, which SQLite compares
 * with {@code memcmp}: that is UTF-8 byte order, as the port requires, and a {@code begins_with} prefix becomes the
 * byte range {@code [prefix, prefix with its last byte plus one)}. Attributes are a JSON object in a TEXT column;
 * expiry is epoch milliseconds, and a row whose expiry is at or before the clock is filtered out of every read and
 * treated as absent by every condition.
 *
 * <p>The database runs in WAL mode with {@code synchronous=FULL}, so a commit is on disk (the WAL fsynced) before a
 * write returns: an acknowledged write survives a killed process or a power cut. One writer connection, guarded by a
 * lock, runs each write as a {@code BEGIN IMMEDIATE} transaction that checks every condition and then applies every
 * write, so conditional writes and batches are atomic, and the immediate lock keeps another process out between
 * check and write. Reads take a connection from a small pool; in WAL mode they run beside the writer and each
 * statement sees the last commit, so reads are strongly consistent without waiting for writes.
 *
 * <p>Expired rows are deleted in bounded batches after a write, at most once a minute of clock time, and once at
 * open. A read-write lifecycle lock lets {@link #close()} wait for calls in flight, after which calls throw
 * {@link StoreException}.
 *
 * <p>The statements of a get, a put, a delete and each shape of query (at most 24: the sort condition's kind, a
 * cursor or none, the direction) are prepared once per connection and reused (SQLite parses and plans each statement
 * it prepares: about a third of a point read's time in SQLite). A connection is used by one thread at a time (a
 * reader between taking it from the pool and giving it back, the writer under its lock), and so are its statements.
 * A reused read's result set is closed after each use, which resets the statement and so ends its read transaction:
 * an idle reader holds no snapshot of the database (that would keep checkpoints from completing).
 */
public final class SqliteItemStore implements ItemStore {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteItemStore.class);
    private static final String SCHEMA = "schema.sql";
    private static final int READERS = 4;
    private static final int BUSY_TIMEOUT_MILLIS = 10_000;
    private static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);
    private static final int SWEEP_BATCH = 500;
    private static final String SELECT =
            "SELECT sk, attributes, expires_at FROM items WHERE tbl = ? AND pk = ? AND sk = ?"
                    + " AND (expires_at IS NULL OR expires_at > ?)";
    private static final String UPSERT =
            "INSERT INTO items (tbl, pk, sk, attributes, expires_at) VALUES (?, ?, ?, ?, ?)"
                    + " ON CONFLICT (tbl, pk, sk) DO UPDATE SET attributes = excluded.attributes, expires_at = excluded.expires_at";
    private static final String DELETE = "DELETE FROM items WHERE tbl = ? AND pk = ? AND sk = ?";

    private final Path file;
    private final Clock clock;
    private final Connection writer;
    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final Map<Connection, Map<String, PreparedStatement>> prepared = new ConcurrentHashMap<>();
    private Instant nextSweep = Instant.MIN;
    private boolean closed;

    private SqliteItemStore(Path file, Clock clock, Connection writer) {
        this.file = file;
        this.clock = clock;
        this.writer = writer;
    }

    /**
     * Opens (creating if needed) the database file and its schema. Expiry decisions follow {@code clock}.
     *
     * @throws StoreException if the file cannot be opened or is not a Gatehouse store
     */
    public static SqliteItemStore open(Path file, Clock clock) {
        Objects.requireNonNull(file, "file cannot be null");
        Objects.requireNonNull(clock, "clock cannot be null");
        Path absolute = file.toAbsolutePath();
        Connection writer = null;
        SqliteItemStore store = null;
        try {
            Path parent = absolute.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            writer = connect(absolute, false);
            applySchema(writer);
            store = new SqliteItemStore(absolute, clock, writer);
            for (int i = 0; i < READERS; i++) {
                store.readers.add(connect(absolute, true));
            }
            store.sweepIfDue(clock.instant());
            return store;
        } catch (SQLException | IOException | RuntimeException e) {
            if (store != null) {
                store.close();
            } else {
                closeQuietly(writer);
            }
            throw new StoreException("cannot open item store " + absolute, e);
        }
    }

    /**
     * Loads SQLite's native library now (sqlite-jdbc copies it out of its jar and loads it: a large share of a cold
     * start), so that a caller can have it done on another thread while it prepares the rest; {@link #open} waits for
     * a load under way. Idempotent; a failure is left for {@link #open} to report.
     */
    public static void loadNativeLibrary() {
        try {
            SQLiteJDBCLoader.initialize();
        } catch (Exception | LinkageError e) {
            // open() loads it again and reports why it cannot
        }
    }

    /** Opens the database file on the system clock (UTC). */
    public static SqliteItemStore open(Path file) {
        return open(file, Clock.systemUTC());
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    @Override
    public Optional<Item> get(String table, Key key) {
        Tables.requireValid(table);
        Objects.requireNonNull(key, "key cannot be null");
        return read(connection -> Optional.ofNullable(select(connection, table, key, clock.instant())));
    }

    @Override
    public Page query(String table, Query query) {
        Tables.requireValid(table);
        Objects.requireNonNull(query, "query cannot be null");
        String cursor = query.cursor();
        @Nullable String after = cursor == null ? null : Cursors.decode(query.partition(), cursor);
        return read(connection -> {
            SelectRange select = SelectRange.of(table, query, after, clock.instant());
            return withStatement(connection, select.sql(), statement -> {
                select.bind(statement);
                List<Item> items = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        if (items.size() == query.limit()) {
                            // One row more than the limit exists, so more may follow: hand out a cursor.
                            String last = items.get(items.size() - 1).key().sort();
                            return new Page(items, Cursors.encode(query.partition(), last));
                        }
                        items.add(item(table, query.partition(), rows));
                    }
                }
                return new Page(items, null);
            });
        });
    }

    /**
     * Counts from the indexes only, in one statement (one snapshot): every key of the partition in the primary key's
     * index, less the partition's expired rows not yet swept, found through the expiry index (the sweeper keeps them
     * few). The expiry filter on the partition's range itself would read every row.
     */
    @Override
    public long count(String table, String partition) {
        Tables.requireValid(table);
        Objects.requireNonNull(partition, "partition cannot be null");
        long now = clock.millis();
        return read(connection -> {
            try (PreparedStatement statement =
                    connection.prepareStatement("SELECT (SELECT count(*) FROM items WHERE tbl = ? AND pk = ?)"
                            + " - (SELECT count(*) FROM items INDEXED BY items_expires_at"
                            + " WHERE expires_at IS NOT NULL AND expires_at <= ? AND tbl = ? AND pk = ?)")) {
                statement.setString(1, table);
                statement.setString(2, partition);
                statement.setLong(3, now);
                statement.setString(4, table);
                statement.setString(5, partition);
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? rows.getLong(1) : 0L;
                }
            }
        });
    }

    @Override
    public void transact(List<Write> writes) {
        List<Write> batch = Write.requireValidBatch(writes);
        onWriter("write failed on ", () -> {
            Instant now = clock.instant();
            execute(writer, "BEGIN IMMEDIATE");
            try {
                for (int i = 0; i < batch.size(); i++) {
                    Write write = batch.get(i);
                    if (!write.condition().isMetBy(select(writer, write.table(), write.key(), now))) {
                        throw new ConditionFailedException(write.table(), write.key(), i);
                    }
                }
                for (Write write : batch) {
                    apply(write);
                }
                execute(writer, "COMMIT");
            } catch (SQLException | RuntimeException e) {
                rollback();
                throw e;
            }
            sweepIfDue(now);
        });
    }

    /**
     * {@code synchronous=NORMAL} until the span closes: commits are not synced one by one (in WAL mode a commit is then
     * still atomic and survives a killed process, not a power cut). Closing it returns to {@code synchronous=FULL} and
     * runs a checkpoint, which syncs the WAL first and the database after. A first start makes about thirty commits
     * before it is ready, each a WAL fsync of 2-3 ms on a virtual disk.
     */
    @Override
    public Durability deferDurability() {
        onWriter("durability setting failed on ", () -> execute(writer, "PRAGMA synchronous = NORMAL"));
        return () -> onWriter("durability setting failed on ", () -> {
            execute(writer, "PRAGMA synchronous = FULL");
            try (Statement statement = writer.createStatement();
                    ResultSet result = statement.executeQuery("PRAGMA wal_checkpoint(FULL)")) {
                if (result.next() && result.getInt(1) != 0) {
                    throw new StoreException("the checkpoint that makes the writes durable was blocked on " + file);
                }
            }
        });
    }

    /** An action on the writer connection, under the writer's lock and with the store open; SQL errors as {@code failure}. */
    private void onWriter(String failure, SqlAction action) {
        lifecycle.readLock().lock();
        writeLock.lock();
        try {
            requireOpen();
            action.run();
        } catch (SQLException e) {
            throw new StoreException(failure + file, e);
        } finally {
            writeLock.unlock();
            lifecycle.readLock().unlock();
        }
    }

    @FunctionalInterface
    private interface SqlAction {
        void run() throws SQLException;
    }

    /** Waits for calls in flight, then closes every connection. Later calls throw {@link StoreException}. */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            // closing a connection finalizes its statements
            prepared.clear();
            closeQuietly(writer);
            readers.forEach(SqliteItemStore::closeQuietly);
            readers.clear();
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    private void apply(Write write) throws SQLException {
        if (write instanceof Write.Put put) {
            Item item = put.item();
            withStatement(writer, UPSERT, statement -> {
                bindKey(statement, put.table(), item.key());
                statement.setString(4, AttributesJson.write(item.attributes()));
                Instant expiresAt = item.expiresAt();
                if (expiresAt == null) {
                    statement.setNull(5, Types.INTEGER);
                } else {
                    statement.setLong(5, expiresAt.toEpochMilli());
                }
                return statement.executeUpdate();
            });
        } else if (write instanceof Write.Delete) {
            withStatement(writer, DELETE, statement -> {
                bindKey(statement, write.table(), write.key());
                return statement.executeUpdate();
            });
        }
    }

    /** The live item under the key, or null when there is none or it has expired at {@code now}. */
    private @Nullable Item select(Connection connection, String table, Key key, Instant now) throws SQLException {
        Optional<Item> found = withStatement(connection, SELECT, statement -> {
            bindKey(statement, table, key);
            statement.setLong(4, now.toEpochMilli());
            // closing the result set resets the statement, which ends its read transaction
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(item(table, key.partition(), rows)) : Optional.empty();
            }
        });
        return found.orElse(null);
    }

    /**
     * {@code work} on {@code connection}'s statement for {@code sql}, prepared on first use and kept (the caller holds
     * the connection, so no other thread uses it). A statement whose use fails is closed and prepared afresh next
     * time: the driver may leave a failed statement unreset, or finalize it.
     */
    private <T> T withStatement(Connection connection, String sql, StatementWork<T> work) throws SQLException {
        Map<String, PreparedStatement> statements = prepared.computeIfAbsent(connection, c -> new HashMap<>());
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            statements.put(sql, statement);
        }
        try {
            return work.apply(statement);
        } catch (SQLException | RuntimeException e) {
            statements.remove(sql);
            try {
                statement.close();
            } catch (SQLException closing) {
                LOG.debug("Closing a failed statement on {} failed", file, closing);
            }
            throw e;
        }
    }

    @FunctionalInterface
    private interface StatementWork<T> {
        T apply(PreparedStatement statement) throws SQLException;
    }

    private static Item item(String table, String partition, ResultSet row) throws SQLException {
        String sort = new String(row.getBytes(1), StandardCharsets.UTF_8);
        long expiresAt = row.getLong(3);
        Instant expiry = row.wasNull() ? null : Instant.ofEpochMilli(expiresAt);
        try {
            return new Item(Key.of(partition, sort), AttributesJson.read(row.getString(2)), expiry);
        } catch (IllegalArgumentException e) {
            throw new StoreException("corrupt item in table " + table, e);
        }
    }

    private static void bindKey(PreparedStatement statement, String table, Key key) throws SQLException {
        statement.setString(1, table);
        statement.setString(2, key.partition());
        statement.setBytes(3, key.sort().getBytes(StandardCharsets.UTF_8));
    }

    private void sweepIfDue(Instant now) {
        if (now.isBefore(nextSweep)) {
            return;
        }
        try (PreparedStatement statement = writer.prepareStatement(
                "DELETE FROM items WHERE rowid IN (SELECT rowid FROM items WHERE expires_at <= ? LIMIT ?)")) {
            statement.setLong(1, now.toEpochMilli());
            statement.setInt(2, SWEEP_BATCH);
            int deleted = statement.executeUpdate();
            // A full batch means more may wait: sweep again on the next write instead of in one long transaction.
            nextSweep = deleted == SWEEP_BATCH ? now : now.plus(SWEEP_INTERVAL);
            LOG.debug("Swept {} expired items from {}", deleted, file);
        } catch (SQLException e) {
            // The sweep is housekeeping: expired rows are invisible anyway, so a failure only delays their removal.
            nextSweep = now.plus(SWEEP_INTERVAL);
            LOG.warn("Sweeping expired items from {} failed", file, e);
        }
    }

    private <T> T read(SqlFunction<T> work) {
        lifecycle.readLock().lock();
        try {
            requireOpen();
            Connection connection = readers.take();
            try {
                return work.apply(connection);
            } finally {
                readers.add(connection);
            }
        } catch (SQLException e) {
            throw new StoreException("read failed on " + file, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a connection", e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private void rollback() {
        try {
            execute(writer, "ROLLBACK");
        } catch (SQLException e) {
            // SQLite may already have rolled back (e.g. on SQLITE_FULL); the original failure is what matters.
            LOG.debug("Rollback on {} failed", file, e);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new StoreException("store is closed");
        }
    }

    private static Connection connect(Path file, boolean reader) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // FULL: in WAL mode, every commit fsyncs the WAL, so an acknowledged write survives a crash.
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        Connection connection = config.createConnection("jdbc:sqlite:" + file);
        if (reader) {
            execute(connection, "PRAGMA query_only = 1");
        }
        return connection;
    }

    private static void applySchema(Connection connection) throws SQLException, IOException {
        String schema;
        try (InputStream in = SqliteItemStore.class.getResourceAsStream(SCHEMA)) {
            if (in == null) {
                throw new IOException(SCHEMA + " is missing from the classpath");
            }
            schema = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        StringBuilder sql = new StringBuilder();
        for (String line : schema.split("\n", -1)) {
            if (!line.strip().startsWith("--")) {
                sql.append(line).append('\n');
            }
        }
        for (String statement : sql.toString().split(";")) {
            if (!statement.isBlank()) {
                execute(connection, statement.strip());
            }
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static void closeQuietly(@Nullable Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("Closing a connection failed", e);
        }
    }

    @FunctionalInterface
    private interface SqlFunction<T> {
        T apply(Connection connection) throws SQLException;
    }

    /**
     * The range read of one query: {@code tbl} and {@code pk} fixed, {@code sk} bounded by the sort condition and the
     * cursor, live rows only, limit plus one row to learn whether more follow. Package-private for the plan test.
     */
    record SelectRange(String sql, List<Object> parameters) {

        static SelectRange of(String table, Query query, @Nullable String after, Instant now) {
            StringBuilder sql =
                    new StringBuilder("SELECT sk, attributes, expires_at FROM items WHERE tbl = ? AND pk = ?");
            List<Object> parameters = new ArrayList<>(List.of(table, query.partition()));
            SortCondition sort = query.sort();
            if (sort instanceof SortCondition.Equal c) {
                bound(sql, parameters, "=", c.value());
            } else if (sort instanceof SortCondition.BeginsWith c && !c.prefix().isEmpty()) {
                bound(sql, parameters, ">=", c.prefix());
                sql.append(" AND sk < ?");
                parameters.add(successor(utf8(c.prefix())));
            } else if (sort instanceof SortCondition.Between c) {
                bound(sql, parameters, ">=", c.low());
                bound(sql, parameters, "<=", c.high());
            } else if (sort instanceof SortCondition.GreaterThan c) {
                bound(sql, parameters, ">", c.value());
            } else if (sort instanceof SortCondition.LessThan c) {
                bound(sql, parameters, "<", c.value());
            }
            if (after != null) {
                bound(sql, parameters, query.forward() ? ">" : "<", after);
            }
            sql.append(" AND (expires_at IS NULL OR expires_at > ?)");
            parameters.add(now.toEpochMilli());
            sql.append(" ORDER BY sk ").append(query.forward() ? "ASC" : "DESC").append(" LIMIT ?");
            parameters.add(query.limit() + 1);
            return new SelectRange(sql.toString(), List.copyOf(parameters));
        }

        PreparedStatement prepare(Connection connection) throws SQLException {
            PreparedStatement statement = connection.prepareStatement(sql);
            try {
                bind(statement);
                return statement;
            } catch (SQLException e) {
                statement.close();
                throw e;
            }
        }

        void bind(PreparedStatement statement) throws SQLException {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
        }

        private static void bound(StringBuilder sql, List<Object> parameters, String operator, String sortKey) {
            sql.append(" AND sk ").append(operator).append(" ?");
            parameters.add(utf8(sortKey));
        }

        private static byte[] utf8(String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }

        /**
         * The least byte string above every string that starts with {@code prefix}. The last byte of UTF-8 text is never
         * 0xFF, so adding one to it never carries.
         */
        private static byte[] successor(byte[] prefix) {
            byte[] next = prefix.clone();
            next[next.length - 1]++;
            return next;
        }
    }
}
