package dev.gatehouse.bench.jmh;

import dev.gatehouse.bench.LoadDriver;
import dev.gatehouse.store.Condition;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.ItemStore;
import dev.gatehouse.store.Key;
import dev.gatehouse.store.Write;
import dev.gatehouse.store.sqlite.SqliteItemStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A point read of the SQLite store ({@link SqliteItemStore#get}, as GetUser's user and session reads) against the
 * same read with its statement prepared on every call (what the store did before it kept its statements), in one
 * run, on stores of 1,000 and 1,000,000 items of about 600 bytes (a user record's size) written in key order. Every
 * read picks one of 1,000 keys spread over the whole store, as the bench's 1,000 signed-in users are. The baseline
 * runs on its own read-only connection and decodes nothing, so the ratio between the two understates what keeping
 * the statement saves the store.
 *
 * <p>Run (from the repository root; the 1,000,000-item store takes about 30 s to write and 1 GB in the temp dir):
 * <pre>
 * mvn -B -q -pl bench -am package -DskipTests
 * java -cp bench/target/gatehouse-bench.jar org.openjdk.jmh.Main SqliteGetBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 6, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx512m", "-Dlogback.configurationFile=logback-bench.xml"})
public class SqliteGetBenchmark {

    private static final String TABLE = "users";
    private static final String SELECT =
            "SELECT sk, attributes, expires_at FROM items WHERE tbl = ? AND pk = ? AND sk = ?"
                    + " AND (expires_at IS NULL OR expires_at > ?)";
    private static final int HOT_KEYS = 1_000;

    @Param({"1000", "1000000"})
    public int items;

    private @Nullable Path dir;
    private @Nullable SqliteItemStore store;
    private @Nullable Connection baseline;
    private final List<Key> hot = new ArrayList<>();

    /** Writes the store (the durability deferred, as a bulk load), picks the hot keys, opens the baseline's reader. */
    @Setup(Level.Trial)
    public void write() throws IOException, SQLException {
        dir = Files.createTempDirectory("gatehouse-sqlite-get");
        SqliteItemStore opened = SqliteItemStore.open(dir.resolve("store.db"));
        store = opened;
        String filler = "x".repeat(560);
        try (ItemStore.Durability deferred = opened.deferDurability()) {
            List<Write> batch = new ArrayList<>();
            for (int i = 0; i < items; i++) {
                batch.add(Write.put(
                        TABLE, Item.of(key(i), Map.of("sub", "sub-" + i, "profile", filler)), Condition.none()));
                if (batch.size() == ItemStore.MAX_TRANSACT_WRITES || i == items - 1) {
                    opened.transact(batch);
                    batch.clear();
                }
            }
        }
        Random random = new Random(1);
        for (int i = 0; i < HOT_KEYS; i++) {
            hot.add(key(random.nextInt(items)));
        }
        baseline = DriverManager.getConnection("jdbc:sqlite:" + opened.file());
        try (Statement statement = baseline.createStatement()) {
            statement.execute("PRAGMA query_only = 1");
        }
    }

    /** Closes both and deletes the store's files. */
    @TearDown(Level.Trial)
    public void delete() throws IOException, SQLException {
        if (baseline != null) {
            baseline.close();
        }
        if (store != null) {
            store.close();
        }
        if (dir != null) {
            LoadDriver.deleteTree(dir);
        }
    }

    /** The store's point read: its statement kept on the reader connection. */
    @Benchmark
    public Optional<Item> storeGet() {
        return requireOpen(store).get(TABLE, hotKey());
    }

    /** The same SQL prepared, bound, stepped and finalized on each call. */
    @Benchmark
    public @Nullable String preparedEachCall() throws SQLException {
        Key key = hotKey();
        try (PreparedStatement statement = requireOpen(baseline).prepareStatement(SELECT)) {
            statement.setString(1, TABLE);
            statement.setString(2, key.partition());
            statement.setBytes(3, key.sort().getBytes(StandardCharsets.UTF_8));
            statement.setLong(4, System.currentTimeMillis());
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(2) : null;
            }
        }
    }

    private Key hotKey() {
        return hot.get(ThreadLocalRandom.current().nextInt(hot.size()));
    }

    private static Key key(int i) {
        return Key.of("us-east-1_Bench#user", String.format("user-%07d", i));
    }

    private static <T> T requireOpen(@Nullable T resource) {
        if (resource == null) {
            throw new IllegalStateException("setup has not run");
        }
        return resource;
    }
}
