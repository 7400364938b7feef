package dev.gatehouse.server;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The JVM options {@link JvmRelaunch} starts the server with, each only when the operator's own options do not already
 * decide it (theirs come later on the command line and win anyway; a collector is never chosen twice):
 *
 * <ul>
 *   <li>{@code -XX:+UseSerialGC}: one collector thread and no concurrent-marking structures. On a heap of tens of
 *       megabytes its pauses are a few milliseconds, and it keeps about 60 MB less resident than G1 at idle.
 *   <li>{@code -Xms16m}: start small; the heap grows with the work and {@link HeapReturn} gives it back when idle.
 *   <li>{@code -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30} for the start, so the heap a server is ready with is
 *       no larger than its live data needs; once ready, {@link HeapReturn} runs the heap with the JVM's own ratios and
 *       takes these again only for its idle collection (a property marks them as the launcher's, not the operator's).
 *   <li>the jar's class-data archive ({@link ClassArchive}): classes mapped from a file made after a first start,
 *       instead of read, verified and linked from the jar at every start.
 * </ul>
 */
final class JvmSettings {

    static final String COLLECTOR = "-XX:+UseSerialGC";
    static final String INITIAL_HEAP = "-Xms16m";

    /**
     * {@link HeapReturn}'s returning ratios for the start, and the mark that the launcher chose them; both ratios or
     * neither, since the JVM refuses a minimum above the maximum.
     */
    static final List<String> HEAP_FREE_RATIOS = List.of(
            "-XX:MinHeapFreeRatio=" + HeapReturn.RETURNING.min(),
            "-XX:MaxHeapFreeRatio=" + HeapReturn.RETURNING.max(),
            "-D" + HeapReturn.LAUNCHER_RATIOS + "=true");

    private JvmSettings() {}

    /**
     * The options to add before {@code inputs}; empty when there is nothing to add. {@code archive} gives the
     * class-data options for the JVM the other options describe (empty when none applies).
     */
    static List<String> forOptions(List<String> inputs, Function<List<String>, List<String>> archive) {
        // Loops rather than streams: this runs in the launcher, where a JVM's first lambda costs milliseconds.
        boolean collector = false;
        boolean initialHeap = false;
        boolean freeRatios = false;
        for (String option : inputs) {
            collector |= option.startsWith("-XX:+Use") && option.endsWith("GC");
            initialHeap |= option.startsWith("-Xms") || option.startsWith("-XX:InitialHeapSize=");
            freeRatios |= option.contains("HeapFreeRatio=");
        }
        List<String> settings = new ArrayList<>();
        if (!collector) {
            settings.add(COLLECTOR);
        }
        if (!initialHeap) {
            settings.add(INITIAL_HEAP);
        }
        if (!freeRatios) {
            settings.addAll(HEAP_FREE_RATIOS);
        }
        List<String> all = new ArrayList<>(settings);
        all.addAll(inputs);
        settings.addAll(archive.apply(all));
        return settings;
    }
}
