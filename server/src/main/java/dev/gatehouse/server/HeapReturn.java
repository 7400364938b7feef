package dev.gatehouse.server;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the JVM give unused heap back to the machine when the server is idle, without a launcher or JVM flags on the
 * command line: the flags below are "manageable" (settable at run time) in Java 17 and later. Each is set only while it
 * still has its default value, so a {@code -XX:} option the operator passes wins.
 *
 * <ul>
 *   <li>{@code G1PeriodicGCInterval=15000}: after 15 s without a collection, G1 runs one and uncommits what it frees
 *       (JEP 346); without it, a heap grown under load stays committed until the next load.
 *   <li>{@code MinHeapFreeRatio=10}, {@code MaxHeapFreeRatio=30}: after a collection, the heap is shrunk to at most 30%
 *       free (the default 70% keeps more than twice the live data committed).
 * </ul>
 *
 * <p>With another collector (the serial one {@link JvmSettings} chooses), which has no periodic collection: every
 * {@value #IDLE_CHECK_SECONDS} s a check, and when no collection ran since the last check while one did run since the
 * last return (there was work, and now there is none), one full collection, which shrinks the heap to the ratios above.
 * An idle server is thus collected once, not every period. Under any collector, each check that finds the server
 * idle (no collection since the last one) also hands glibc's free native memory back ({@code System.trim_native_heap},
 * JDK 17.0.9 and later), as does one trim a second after ready.
 */
final class HeapReturn {

    static final long IDLE_CHECK_SECONDS = 15;

    private static final Logger LOG = LoggerFactory.getLogger(HeapReturn.class);

    /** Flag → value; applied in this order (MinHeapFreeRatio must stay below MaxHeapFreeRatio at every step). */
    static final List<Map.Entry<String, String>> FLAGS = List.of(
            Map.entry("MinHeapFreeRatio", "10"),
            Map.entry("MaxHeapFreeRatio", "30"),
            Map.entry("G1PeriodicGCInterval", "15000"));

    private HeapReturn() {}

    /** Sets each flag still at its default; a JVM without them (another GC, another vendor) is left as it is. */
    static void apply() {
        try {
            HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            FLAGS.forEach(flag -> setIfDefault(hotSpot, flag.getKey(), flag.getValue()));
            startIdleReturn(ManagementFactory.getGarbageCollectorMXBeans().stream()
                    .noneMatch(gc -> gc.getName().startsWith("G1")));
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("heap flags not set: {}", e.toString());
        }
    }

    /** One daemon thread for the checks below. */
    private static final class Checker {
        static final ScheduledExecutorService THREAD = Executors.newSingleThreadScheduledExecutor(work -> {
            Thread thread = new Thread(work, "heap-return");
            thread.setDaemon(true);
            return thread;
        });
    }

    private static void startIdleReturn(boolean collect) {
        IdleCheck check = new IdleCheck(collect);
        Checker.THREAD.scheduleWithFixedDelay(check::run, IDLE_CHECK_SECONDS, IDLE_CHECK_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Once the server is ready: the flags above are set and the idle checks start (not earlier: the management
     * interface takes tens of milliseconds to load, which a start would wait for), and a second later glibc's free
     * memory (most of it left by class loading and the first compilations, about 15 MB) goes back to the system.
     */
    static void afterReady() {
        try {
            // off the start's path: the management interface takes tens of milliseconds to load
            Checker.THREAD.execute(HeapReturn::apply);
            Checker.THREAD.schedule(IdleCheck::trimNativeHeap, 1, TimeUnit.SECONDS);
        } catch (RuntimeException e) {
            LOG.debug("no native heap trim after ready: {}", e.toString());
        }
    }

    /** Collections counted at the last check and right after the last return. */
    private static final class IdleCheck {
        private long atLastCheck = collections();
        private long afterLastReturn = atLastCheck;

        /** Whether to collect when idle (not under G1, whose periodic collection does it). */
        private final boolean collect;

        IdleCheck(boolean collect) {
            this.collect = collect;
        }

        void run() {
            long now = collections();
            if (now == atLastCheck) {
                if (collect && now != afterLastReturn) {
                    System.gc();
                    afterLastReturn = collections();
                    now = afterLastReturn;
                }
                // cheap when there is little to give back; the JIT and native libraries free memory while idle too
                trimNativeHeap();
            }
            atLastCheck = now;
        }

        /**
         * glibc keeps memory freed by native code (SQLite, zlib, the JIT) for reuse; {@code System.trim_native_heap}
         * (JDK 17.0.9 and later) hands the free parts back. Skipped where the JVM lacks the command.
         */
        private static void trimNativeHeap() {
            try {
                ManagementFactory.getPlatformMBeanServer()
                        .invoke(
                                new ObjectName("com.sun.management:type=DiagnosticCommand"),
                                "systemTrimNativeHeap",
                                new Object[] {new String[0]},
                                new String[] {String[].class.getName()});
            } catch (Exception e) {
                LOG.debug("native heap not trimmed: {}", e.toString());
            }
        }

        private static long collections() {
            return ManagementFactory.getGarbageCollectorMXBeans().stream()
                    .mapToLong(GarbageCollectorMXBean::getCollectionCount)
                    .filter(c -> c > 0)
                    .sum();
        }
    }

    private static void setIfDefault(HotSpotDiagnosticMXBean hotSpot, String flag, String value) {
        VMOption option = hotSpot.getVMOption(flag);
        if (option.getOrigin() == VMOption.Origin.DEFAULT && option.isWriteable()) {
            hotSpot.setVMOption(flag, value);
        }
    }
}
