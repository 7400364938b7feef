package dev.gatehouse.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.store.Item;
import dev.gatehouse.store.Key;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** An acknowledged write survives SIGKILL of the writing process (DESIGN.md section 7). */
class SqliteDurabilityTests {

    private static final int ACKS_BEFORE_KILL = 150;
    private static final long READ_MILLIS = 5_000;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void putWhenProcessKilledMidStreamThenEveryAcknowledgedItemSurvives() throws Exception {
        Path file = dir.resolve("store.db");
        Process child = startWriter(file);
        List<String> acked = new ArrayList<>();
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(lines.readLine()).isEqualTo("ready");
            long stop = System.currentTimeMillis() + READ_MILLIS;
            // Only whole lines count: a line is read only once its newline arrived, and nothing is read after the kill.
            while (acked.size() < ACKS_BEFORE_KILL && System.currentTimeMillis() < stop) {
                String line = lines.readLine();
                assertThat(line).as("child exited early").isNotNull().startsWith(DurabilityWriter.ACK);
                acked.add(line.substring(DurabilityWriter.ACK.length()));
            }
            assertThat(child.isAlive())
                    .as("the child must still be writing when killed")
                    .isTrue();
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(acked).isNotEmpty();
        try (SqliteItemStore store = SqliteItemStore.open(file)) {
            for (String sort : acked) {
                assertThat(store.get(DurabilityWriter.TABLE, Key.of(DurabilityWriter.PARTITION, sort)))
                        .as("acknowledged %s", sort)
                        .map(Item::attributes)
                        .contains(Map.of("n", String.valueOf(Integer.parseInt(sort.substring(1)))));
            }
        }
    }

    private static Process startWriter(Path file) throws Exception {
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ProcessBuilder builder = new ProcessBuilder(
                java, "-cp", System.getProperty("java.class.path"), DurabilityWriter.class.getName(), file.toString());
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        return builder.start();
    }
}
