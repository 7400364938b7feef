package dev.gatehouse.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.store.Condition;
import dev.gatehouse.store.ConditionFailedException;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.Key;
import dev.gatehouse.store.MutableClock;
import dev.gatehouse.store.Query;
import dev.gatehouse.store.SortCondition;
import dev.gatehouse.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the SQLite adapter promises, beyond the contract: its files, its query plans, its sweeping. */
class SqliteItemStoreAdapterTests {

    private static final String TABLE = "items";

    private final MutableClock clock = MutableClock.at("2024-01-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void openWhenReopenedThenItemsPersist() {
        Path file = dir.resolve("nested/data/store.db");
        try (SqliteItemStore store = SqliteItemStore.open(file, clock)) {
            store.put(TABLE, item("p", "s", "v", "1"), Condition.none());
        }
        try (SqliteItemStore store = SqliteItemStore.open(file, clock)) {
            assertThat(store.file()).isEqualTo(file.toAbsolutePath());
            assertThat(store.get(TABLE, Key.of("p", "s"))).contains(item("p", "s", "v", "1"));
        }
    }

    @Test
    void openUsesWalJournalAndSchemaVersionOne() throws SQLException {
        Path file = dir.resolve("store.db");
        SqliteItemStore.open(file, clock).close();
        try (Connection connection = jdbc(file)) {
            assertThat(pragma(connection, "journal_mode")).isEqualTo("wal");
            assertThat(pragma(connection, "user_version")).isEqualTo("1");
        }
    }

    @Test
    void openWhenFileIsNotADatabaseThenStoreException() throws Exception {
        Path file = dir.resolve("garbage.db");
        Files.writeString(file, "this is not a SQLite database, just some text that is long enough to have a header");
        assertThatThrownBy(() -> SqliteItemStore.open(file, clock)).isInstanceOf(StoreException.class);
    }

    @Test
    void queryPlansAreIndexRangeSearchesNeverScans() throws SQLException {
        Path file = dir.resolve("store.db");
        SqliteItemStore.open(file, clock).close();
        List<Query> queries = new ArrayList<>();
        for (SortCondition sort : List.of(
                SortCondition.any(),
                SortCondition.equalTo("a"),
                SortCondition.beginsWith("a"),
                SortCondition.between("a", "b"),
                SortCondition.greaterThan("a"),
                SortCondition.lessThan("b"))) {
            queries.add(Query.partition("p").withSort(sort));
            queries.add(Query.partition("p").withSort(sort).descending());
        }
        try (Connection connection = jdbc(file)) {
            for (Query query : queries) {
                var select = SqliteItemStore.SelectRange.of(TABLE, query, "a0", clock.instant());
                String plan = plan(connection, select);
                assertThat(plan)
                        .as("%s", query)
                        .contains("SEARCH items USING INDEX")
                        .contains("tbl=? AND pk=?")
                        .doesNotContain("SCAN")
                        .doesNotContain("TEMP B-TREE");
            }
        }
    }

    @Test
    void writesWhenItemsExpiredThenSweepDeletesTheirRows() throws SQLException {
        Path file = dir.resolve("store.db");
        try (SqliteItemStore store = SqliteItemStore.open(file, clock)) {
            for (int i = 0; i < 20; i++) {
                store.put(
                        TABLE,
                        Item.expiring(
                                Key.of("p", "e" + i), Map.of(), clock.instant().plusSeconds(1)),
                        Condition.none());
            }
            store.put(TABLE, item("p", "keep"), Condition.none());
            assertThat(rowCount(file)).isEqualTo(21);
            clock.advance(Duration.ofMinutes(2));
            store.put(TABLE, item("q", "trigger"), Condition.none());
            assertThat(rowCount(file)).isEqualTo(2);
        }
    }

    @Test
    void putWhenTwoStoresShareTheFileThenConditionsHoldAcrossThem() {
        Path file = dir.resolve("store.db");
        try (SqliteItemStore first = SqliteItemStore.open(file, clock);
                SqliteItemStore second = SqliteItemStore.open(file, clock)) {
            first.put(TABLE, item("user", "alice", "v", "1"), Condition.notExists());
            assertThat(second.get(TABLE, Key.of("user", "alice"))).contains(item("user", "alice", "v", "1"));
            assertThatThrownBy(() -> second.put(TABLE, item("user", "alice", "v", "2"), Condition.notExists()))
                    .isInstanceOf(ConditionFailedException.class);
            second.put(TABLE, item("user", "alice", "v", "2"), Condition.attributeEquals("v", "1"));
            assertThat(first.get(TABLE, Key.of("user", "alice"))).contains(item("user", "alice", "v", "2"));
        }
    }

    @Test
    void getWhenStatementsAreReusedThenIdleReadersHoldNoSnapshot() throws Exception {
        Path file = dir.resolve("store.db");
        try (SqliteItemStore store = SqliteItemStore.open(file, clock);
                SqliteItemStore other = SqliteItemStore.open(file, clock);
                Connection connection = jdbc(file)) {
            store.put(TABLE, item("user", "alice", "v", "1"), Condition.none());
            store.put(TABLE, item("user", "dave", "v", "1"), Condition.none());
            // more reads than readers, found and not found, and queries left with rows unread, so every reader's
            // statements have run
            for (int i = 0; i < 12; i++) {
                assertThat(store.get(TABLE, Key.of("user", "alice"))).contains(item("user", "alice", "v", "1"));
                assertThat(store.get(TABLE, Key.of("user", "bob"))).isEmpty();
                assertThat(store.query(TABLE, Query.partition("user").withLimit(1))
                                .cursor())
                        .isPresent();
            }
            other.put(TABLE, item("user", "alice", "v", "2"), Condition.attributeEquals("v", "1"));
            other.delete(TABLE, Key.of("user", "carol"), Condition.none());
            for (int i = 0; i < 12; i++) {
                assertThat(store.get(TABLE, Key.of("user", "alice"))).contains(item("user", "alice", "v", "2"));
            }
            // a reader still inside a read transaction would keep this checkpoint from emptying the WAL
            try (ResultSet rows = connection.createStatement().executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                rows.next();
                assertThat(rows.getInt(1)).as("checkpoint blocked").isZero();
            }
            assertThat(Files.size(Path.of(file + "-wal"))).isZero();
            store.put(TABLE, item("user", "alice", "v", "3"), Condition.attributeEquals("v", "2"));
            assertThat(other.get(TABLE, Key.of("user", "alice"))).contains(item("user", "alice", "v", "3"));
        }
    }

    private static Item item(String partition, String sort, String... nameValue) {
        return Item.of(Key.of(partition, sort), nameValue.length == 0 ? Map.of() : Map.of(nameValue[0], nameValue[1]));
    }

    private static Connection jdbc(Path file) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
    }

    private static String pragma(Connection connection, String name) throws SQLException {
        try (ResultSet rows = connection.createStatement().executeQuery("PRAGMA " + name)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static long rowCount(Path file) throws SQLException {
        try (Connection connection = jdbc(file);
                ResultSet rows = connection.createStatement().executeQuery("SELECT count(*) FROM items")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static String plan(Connection connection, SqliteItemStore.SelectRange select) throws SQLException {
        SqliteItemStore.SelectRange explain =
                new SqliteItemStore.SelectRange("EXPLAIN QUERY PLAN " + select.sql(), select.parameters());
        StringBuilder plan = new StringBuilder();
        try (PreparedStatement statement = explain.prepare(connection);
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                plan.append(rows.getString("detail")).append('\n');
            }
        }
        return plan.toString();
    }
}
