package dev.gatehouse.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.store.Condition;
import dev.gatehouse.store.ConditionFailedException;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.Key;
import dev.gatehouse.store.MutableClock;
import dev.gatehouse.store.StoreException;
import dev.gatehouse.store.Write;
import dev.gatehouse.store.testing.PostgresServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the contract cannot show: several nodes (stores) on one database, migrations, settings. */
class PostgresItemStoreAdapterTests {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private final MutableClock clock = MutableClock.at("2024-01-01T00:00:00Z");
    private final List<PostgresItemStore> nodes = new ArrayList<>();
    private String url;

    @BeforeEach
    void createDatabase() {
        url = PostgresServer.shared().createDatabase("adapter_" + DATABASES.incrementAndGet());
    }

    @AfterEach
    void closeNodes() {
        nodes.forEach(PostgresItemStore::close);
    }

    @Test
    void openWhenNodesStartTogetherThenSchemaMigratedOnceAndAllServe() throws Exception {
        List<PostgresItemStore> started = race(4, this::node);
        started.get(0).put("things", Item.of(Key.of("p", "s"), Map.of("a", "1")), Condition.none());
        for (PostgresItemStore node : started) {
            assertThat(node.get("things", Key.of("p", "s"))).isPresent();
        }
    }

    @Test
    void putWhenNodesRaceForOneNewKeyThenExactlyOneWins() throws Exception {
        List<PostgresItemStore> four = List.of(node(), node(), node(), node());
        AtomicInteger winner = new AtomicInteger(-1);
        List<Boolean> wins = race(40, () -> {
            int n = DATABASES.incrementAndGet();
            try {
                four.get(n % 4)
                        .put(
                                "things",
                                Item.of(Key.of("user", "alice"), Map.of("by", Integer.toString(n))),
                                Condition.notExists());
                winner.set(n);
                return true;
            } catch (ConditionFailedException e) {
                return false;
            }
        });
        assertThat(wins).containsOnlyOnce(true);
        assertThat(four.get(1).get("things", Key.of("user", "alice")))
                .hasValueSatisfying(
                        i -> assertThat(i.attributes()).containsEntry("by", Integer.toString(winner.get())));
    }

    @Test
    void transactWhenNodesCrossBatchesOnTheSameKeysThenNoDeadlockAndNoLostUpdate() throws Exception {
        PostgresItemStore a = node();
        PostgresItemStore b = node();
        a.put("things", counter("x", 0), Condition.none());
        a.put("things", counter("y", 0), Condition.none());
        race(20, () -> {
            int n = DATABASES.incrementAndGet();
            PostgresItemStore node = n % 2 == 0 ? a : b;
            // Opposite orders of the same two keys: per-key locks taken in id order cannot deadlock.
            List<String> keys = n % 2 == 0 ? List.of("x", "y") : List.of("y", "x");
            incrementTogether(node, keys);
            return null;
        });
        assertThat(a.get("things", Key.of("c", "x")).orElseThrow().attributes()).containsEntry("n", "20");
        assertThat(b.get("things", Key.of("c", "y")).orElseThrow().attributes()).containsEntry("n", "20");
    }

    @Test
    void openWhenDatabaseUnreachableThenStoreExceptionWithoutPassword() {
        PostgresSettings settings = new PostgresSettings(
                "jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2", "gatehouse", "secret-password", 1);
        assertThatThrownBy(() -> PostgresItemStore.open(settings, clock))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("jdbc:postgresql://127.0.0.1:1/none")
                .hasMessageNotContaining("secret-password");
    }

    @Test
    void settingsWhenUrlIsNotPostgresThenIllegalArgument() {
        assertThatThrownBy(() -> PostgresSettings.of("jdbc:mysql://x/y", null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(PostgresSettings.of("jdbc:postgresql://h/d?password=p", null, null)
                        .toString())
                .doesNotContain("password=p");
    }

    @Test
    void isReachableWhenOpenThenTrueAndWhenClosedThenFalse() {
        PostgresItemStore node = node();
        assertThat(node.isReachable()).isTrue();
        node.close();
        assertThat(node.isReachable()).isFalse();
    }

    private void incrementTogether(PostgresItemStore node, List<String> keys) {
        while (true) {
            List<Write> writes = new ArrayList<>();
            for (String key : keys) {
                String n = node.get("things", Key.of("c", key))
                        .orElseThrow()
                        .attributes()
                        .get("n");
                writes.add(
                        Write.put("things", counter(key, Integer.parseInt(n) + 1), Condition.attributeEquals("n", n)));
            }
            try {
                node.transact(writes);
                return;
            } catch (ConditionFailedException e) {
                // Another node won this round: read again.
            }
        }
    }

    private static Item counter(String key, int n) {
        return Item.of(Key.of("c", key), Map.of("n", Integer.toString(n)));
    }

    private synchronized PostgresItemStore node() {
        PostgresItemStore node = PostgresItemStore.open(
                new PostgresSettings(url, PostgresServer.USER, PostgresServer.PASSWORD, 4), clock);
        nodes.add(node);
        return node;
    }

    private static <T> List<T> race(int tasks, Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                futures.add(pool.submit(task));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
