package dev.gatehouse.userpool;

import dev.gatehouse.protocol.CommonErrors;
import dev.gatehouse.protocol.ServiceException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At most {@code slots} password hashes at once, process-wide, each on an engine of its own. This bounds both the CPU
 * that sign-ins and sign-ups may take and the memory they hold (one Argon2 block per slot: 19 MiB at OWASP's
 * parameters, reused by the native engine). A thread that finds every slot busy waits for one, up to
 * {@link #MAX_WAIT_SECONDS}, then the request is refused as throttled.
 */
final class HashingSlots {

    private static final Logger LOG = LoggerFactory.getLogger(HashingSlots.class);

    /** How long a request waits for a free slot before it is refused with {@code TooManyRequestsException}. */
    static final long MAX_WAIT_SECONDS = 10;

    /** System property that sets the number of slots; default {@link #defaultSlots()}. */
    static final String SLOTS_PROPERTY = "gatehouse.hashing-threads";

    /** System property {@code native} (default: libargon2 when present) or {@code bouncycastle}. */
    static final String ENGINE_PROPERTY = "gatehouse.argon2";

    /** A slot's engine unused this long gives its working memory back ({@link #releaseIdleMemory}). */
    static final Duration IDLE_RELEASE = Duration.ofSeconds(60);

    private final BlockingQueue<Argon2id> engines;
    private final int slots;
    private final String engineName;

    /** One slot per engine; each engine is used by one thread at a time. */
    HashingSlots(List<Argon2id> engines) {
        if (engines.isEmpty()) {
            throw new IllegalArgumentException("at least one engine is needed");
        }
        this.engines = new ArrayBlockingQueue<>(engines.size(), false, engines);
        this.slots = engines.size();
        this.engineName = engines.get(0).name();
        LOG.debug("password hashing: {} slots on {}", engines.size(), engineName);
    }

    /** {@code slots} engines: libargon2 ones when {@code preferNative} and the library works, Bouncy Castle otherwise. */
    static HashingSlots of(int slots, boolean preferNative) {
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be >= 1");
        }
        Argon2id first =
                preferNative ? NativeArgon2id.load().orElseGet(Argon2id::bouncyCastle) : Argon2id.bouncyCastle();
        List<Argon2id> engines = new ArrayList<>(List.of(first));
        for (int i = 1; i < slots; i++) {
            engines.add(first instanceof NativeArgon2id n ? n.sibling() : first);
        }
        return new HashingSlots(engines);
    }

    /** The process's slots, made on first use as the system properties ask. */
    static HashingSlots shared() {
        return Shared.SLOTS;
    }

    /** The slots the system properties ask for. */
    static HashingSlots fromSystemProperties() {
        String slots = System.getProperty(SLOTS_PROPERTY);
        return of(
                slots == null ? defaultSlots() : Integer.parseInt(slots.trim()),
                !"bouncycastle".equals(System.getProperty(ENGINE_PROPERTY)));
    }

    /** One slot per core but one, at least one: hashing never takes every core from the requests that do not hash. */
    static int defaultSlots() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    }

    /** Slots free now. */
    int available() {
        return engines.size();
    }

    String engineName() {
        return engineName;
    }

    /** Runs the hash on a free slot's engine, waiting for one. */
    byte[] derive(byte[] password, byte[] salt, Argon2id.Argon2Cost cost, int length) {
        Argon2id engine = take();
        try {
            return engine.derive(password, salt, cost, length);
        } finally {
            engines.add(engine);
        }
    }

    /**
     * Each free slot whose engine has not hashed for {@code idle} gives its working memory back (a 19 MiB block per
     * slot at OWASP's parameters): after a burst of sign-ups the process returns to its idle size. Busy slots are
     * skipped; a request that wants a slot meanwhile waits for this at most the time of one free.
     */
    void releaseIdleMemory(Duration idle) {
        for (int i = 0; i < slots; i++) {
            Argon2id engine = engines.poll();
            if (engine == null) {
                return;
            }
            try {
                engine.releaseMemoryIfIdle(idle.toNanos());
            } finally {
                engines.add(engine);
            }
        }
    }

    private Argon2id take() {
        @Nullable Argon2id engine;
        try {
            engine = engines.poll(MAX_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceException(CommonErrors.tooManyRequests());
        }
        if (engine == null) {
            throw new ServiceException(CommonErrors.tooManyRequests());
        }
        return engine;
    }

    /** Lazy holder: the library is loaded when the first pool's hasher is made, once per process. */
    private static final class Shared {
        static final HashingSlots SLOTS = fromSystemProperties();

        static {
            ScheduledExecutorService releaser = Executors.newSingleThreadScheduledExecutor(work -> {
                Thread thread = new Thread(work, "hashing-memory-release");
                thread.setDaemon(true);
                return thread;
            });
            long period = IDLE_RELEASE.toSeconds() / 2;
            releaser.scheduleWithFixedDelay(
                    () -> SLOTS.releaseIdleMemory(IDLE_RELEASE), period, period, TimeUnit.SECONDS);
        }
    }
}
