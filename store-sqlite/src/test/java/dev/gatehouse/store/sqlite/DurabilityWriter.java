package dev.gatehouse.store.sqlite;

import dev.gatehouse.store.Condition;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.Key;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * The child process of {@link SqliteDurabilityTests}: puts items in a loop and prints {@code acked <sort key>} after
 * each put returns. It stops by itself after a bounded time, in case the parent dies before killing it.
 */
public final class DurabilityWriter {

    static final String ACK = "acked ";
    static final String TABLE = "durability";
    static final String PARTITION = "p";

    private DurabilityWriter() {}

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        long deadline = System.nanoTime() + 20_000_000_000L;
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        try (SqliteItemStore store = SqliteItemStore.open(file)) {
            out.println("ready");
            out.flush();
            for (int i = 0; i < 100_000 && System.nanoTime() < deadline; i++) {
                String sort = String.format("k%06d", i);
                store.put(
                        TABLE, Item.of(Key.of(PARTITION, sort), Map.of("n", String.valueOf(i))), Condition.notExists());
                out.println(ACK + sort);
                out.flush();
            }
        }
    }
}
