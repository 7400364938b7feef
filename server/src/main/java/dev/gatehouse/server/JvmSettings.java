package dev.gatehouse.server;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The JVM options {@link JvmRelaunch} starts the server with, each only when the operator's own options do not already
 * decide it (theirs come later on the command line and win anyway; a collector is never chosen twice):
 *
 * <ul>
 *   <li>{@code -XX:+UseSerialGC}: one collector thread and no concurrent-marking structures. On a heap of tens of
 *       megabytes its pauses are a few milliseconds, and it keeps about 60 MB less resident than G1 at idle.
 *   <li>{@code -Xms16m}: start small; the heap grows with the work and {@link HeapReturn} gives it back when idle.
 *   <li>the jar's class-data archive ({@link ClassArchive}): classes mapped from a file made after a first start,
 *       instead of read, verified and linked from the jar at every start.
 * </ul>
 */
final class JvmSettings {

    static final String COLLECTOR = "-XX:+UseSerialGC";
    static final String INITIAL_HEAP = "-Xms16m";

    private static final Pattern ANY_COLLECTOR = Pattern.compile("-XX:\\+Use\\w*GC");

    private JvmSettings() {}

    /**
     * The options to add before {@code inputs}; empty when there is nothing to add. {@code archive} gives the
     * class-data options for the JVM the other options describe (empty when none applies).
     */
    static List<String> forOptions(List<String> inputs, Function<List<String>, List<String>> archive) {
        List<String> settings = new ArrayList<>();
        if (inputs.stream().noneMatch(o -> ANY_COLLECTOR.matcher(o).matches())) {
            settings.add(COLLECTOR);
        }
        if (inputs.stream().noneMatch(o -> o.startsWith("-Xms") || o.startsWith("-XX:InitialHeapSize="))) {
            settings.add(INITIAL_HEAP);
        }
        List<String> all = new ArrayList<>(settings);
        all.addAll(inputs);
        settings.addAll(archive.apply(all));
        return settings;
    }
}
