package dev.gatehouse.server;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the JVM give unused heap back to the machine when the server is idle, without a launcher or JVM flags on the
 * command line: the flags below are "manageable" (settable at run time) in Java 17 and later. A flag the operator set
 * on the command line is never changed.
 *
 * <p>Under G1: {@code G1PeriodicGCInterval=15000} (after 15 s without a collection, G1 runs one and uncommits what it
 * frees, JEP 346; without it, a heap grown under load stays committed until the next load) and
 * {@code MinHeapFreeRatio=10}, {@code MaxHeapFreeRatio=30} (after a collection the heap keeps at most 30% free; the
 * default 70% keeps more than twice the live data committed), each while still at its default.
 *
 * <p>Under another collector (the serial one {@link JvmSettings} chooses), which has no periodic collection: every
 * {@value #IDLE_CHECK_SECONDS} s a check, and when no collection ran since the last check while one did run since the
 * last return (there was work, and now there is none), one full collection with the returning ratios (10% / 30%),
 * which shrinks the heap; otherwise the heap runs with the working ratios, the JVM's own 40% / 70%. The serial
 * collector resizes its old generation only after a full collection, so a heap shrunk when idle stays small until work
 * comes back, and under work a full collection leaves 40% free instead of 10%: with 10% a busy server's old
 * generation filled again within about a second, and it ran a full collection about every second (ScaleBench,
 * 200-290 of them in five minutes, 45-70 ms each). The ratios are switched only when they are the JVM's defaults or
 * the launcher's ({@link #LAUNCHER_RATIOS}). An idle server is thus collected once, not every period. Under any
 * collector, each check that finds the server idle (no collection since the last one) also hands glibc's free native
 * memory back ({@code System.trim_native_heap}, JDK 17.0.9 and later), as does one trim a second after ready.
 */
final class HeapReturn {

    static final long IDLE_CHECK_SECONDS = 15;

    /** Set by the launcher when it chose the heap ratios (the returning ones, for the start), not the operator. */
    static final String LAUNCHER_RATIOS = "gatehouse.heap.launcher-ratios";

    /** A minimum and a maximum heap free ratio, in percent. */
    record Ratios(int min, int max) {}

    /** The ratios of the idle collection, which shrinks the heap to its live data and 30% more at most. */
    static final Ratios RETURNING = new Ratios(10, 30);

    /** The ratios under work: the JVM's defaults. */
    static final Ratios WORKING = new Ratios(40, 70);

    private static final Logger LOG = LoggerFactory.getLogger(HeapReturn.class);

    private HeapReturn() {}

    /** Sets the flags described above; a JVM without them (another vendor) is left as it is. */
    static void apply() {
        try {
            HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            boolean g1 = ManagementFactory.getGarbageCollectorMXBeans().stream()
                    .anyMatch(gc -> gc.getName().startsWith("G1"));
            if (g1) {
                if (ratiosAtDefault(hotSpot)) {
                    setRatios(hotSpot, RETURNING);
                }
                if (isDefault(hotSpot, "G1PeriodicGCInterval")) {
                    hotSpot.setVMOption("G1PeriodicGCInterval", "15000");
                }
                startIdleReturn(false, null);
                return;
            }
            boolean ours = System.getProperty(LAUNCHER_RATIOS) != null || ratiosAtDefault(hotSpot);
            if (ours) {
                setRatios(hotSpot, WORKING);
            }
            startIdleReturn(true, ours ? hotSpot : null);
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

    private static void startIdleReturn(boolean collect, @Nullable HotSpotDiagnosticMXBean ratios) {
        IdleCheck check = new IdleCheck(collect, ratios);
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

        /** Where to switch the heap ratios for the idle collection; null when they are the operator's. */
        private final @Nullable HotSpotDiagnosticMXBean ratios;

        IdleCheck(boolean collect, @Nullable HotSpotDiagnosticMXBean ratios) {
            this.collect = collect;
            this.ratios = ratios;
        }

        void run() {
            long now = collections();
            if (now == atLastCheck) {
                if (collect && now != afterLastReturn) {
                    collectReturning();
                    afterLastReturn = collections();
                    now = afterLastReturn;
                }
                // cheap when there is little to give back; the JIT and native libraries free memory while idle too
                trimNativeHeap();
            }
            atLastCheck = now;
        }

        /** One full collection under the returning ratios, then the working ones again for the work to come. */
        private void collectReturning() {
            HotSpotDiagnosticMXBean hotSpot = ratios;
            if (hotSpot == null) {
                System.gc();
                return;
            }
            try {
                setRatios(hotSpot, RETURNING);
                System.gc();
            } finally {
                setRatios(hotSpot, WORKING);
            }
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

    private static boolean ratiosAtDefault(HotSpotDiagnosticMXBean hotSpot) {
        return isDefault(hotSpot, "MinHeapFreeRatio") && isDefault(hotSpot, "MaxHeapFreeRatio");
    }

    private static boolean isDefault(HotSpotDiagnosticMXBean hotSpot, String flag) {
        VMOption option = hotSpot.getVMOption(flag);
        return option.getOrigin() == VMOption.Origin.DEFAULT && option.isWriteable();
    }

    /** Sets both ratios, in the order that keeps the minimum at or below the maximum at every step. */
    static void setRatios(HotSpotDiagnosticMXBean hotSpot, Ratios ratios) {
        int currentMin =
                Integer.parseInt(hotSpot.getVMOption("MinHeapFreeRatio").getValue());
        if (ratios.min() < currentMin) {
            hotSpot.setVMOption("MinHeapFreeRatio", Integer.toString(ratios.min()));
            hotSpot.setVMOption("MaxHeapFreeRatio", Integer.toString(ratios.max()));
        } else {
            hotSpot.setVMOption("MaxHeapFreeRatio", Integer.toString(ratios.max()));
            hotSpot.setVMOption("MinHeapFreeRatio", Integer.toString(ratios.min()));
        }
    }
}
