package dev.gatehouse.objects;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bound on a node's cache of shared object bytes (the files in {@code blobs/} when the bytes live in a shared
 * store): least recently used files go once the cache holds more than {@code maxBytes}, and any file goes once unused
 * for {@code maxIdle}, so that objects deleted or replaced through another node do not stay here until a restart.
 * A file used within {@link #MIN_KEEP} is never removed (a reader may be about to open it, and an upload may not
 * have reached the shared store yet), so the cache can exceed its cap by what the last minute used.
 *
 * <p>The cache is trimmed whenever a file is added or used; a file removed that a reader needs again is fetched
 * from the shared store anew. Thread-safe.
 */
final class BlobCache {

    /** A node's default cap on its cached object bytes. */
    static final long DEFAULT_MAX_BYTES = 1L << 30;

    /** How long an unused cached file stays by default. */
    static final Duration DEFAULT_MAX_IDLE = Duration.ofHours(1);

    /** Files used more recently than this stay, whatever the cap. */
    static final Duration MIN_KEEP = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger(BlobCache.class);

    private final Path directory;
    private final long maxBytes;
    private final Duration maxIdle;
    private final Clock clock;
    /** Access order: the eldest entry is the least recently used. */
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

    private long bytes;

    private record Entry(long size, Instant used) {}

    BlobCache(Path directory, long maxBytes, Duration maxIdle, Clock clock) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes cannot be negative");
        }
        this.directory = Objects.requireNonNull(directory, "directory cannot be null");
        this.maxBytes = maxBytes;
        this.maxIdle = Objects.requireNonNull(maxIdle, "maxIdle cannot be null");
        this.clock = Objects.requireNonNull(clock, "clock cannot be null");
    }

    /** Records the file of {@code blob} ({@code size} bytes) as cached and just used; then trims. */
    void added(String blob, long size) {
        synchronized (entries) {
            Entry previous = entries.put(blob, new Entry(size, clock.instant()));
            bytes += size - (previous == null ? 0 : previous.size());
        }
        trim();
    }

    /** Records a use of the cached file of {@code blob} (if it is cached); then trims. */
    void used(String blob) {
        synchronized (entries) {
            Entry entry = entries.get(blob);
            if (entry != null) {
                entries.put(blob, new Entry(entry.size(), clock.instant()));
            }
        }
        trim();
    }

    /** Forgets {@code blob}, whose file the caller removes. */
    void removed(String blob) {
        synchronized (entries) {
            Entry entry = entries.remove(blob);
            if (entry != null) {
                bytes -= entry.size();
            }
        }
    }

    /** The bytes the cache holds now. */
    long bytes() {
        synchronized (entries) {
            return bytes;
        }
    }

    /** Removes least recently used files beyond the cap and files idle for longer than {@code maxIdle}. */
    void trim() {
        Instant now = clock.instant();
        Instant keepAfter = now.minus(MIN_KEEP);
        Instant idleBefore = now.minus(maxIdle);
        synchronized (entries) {
            Iterator<Map.Entry<String, Entry>> eldest = entries.entrySet().iterator();
            while (eldest.hasNext()) {
                Map.Entry<String, Entry> next = eldest.next();
                Instant used = next.getValue().used();
                boolean overCap = bytes > maxBytes;
                if (!used.isBefore(keepAfter) || !(overCap || used.isBefore(idleBefore))) {
                    // Access order: every later entry was used more recently.
                    return;
                }
                delete(next.getKey());
                bytes -= next.getValue().size();
                eldest.remove();
            }
        }
    }

    private void delete(String blob) {
        try {
            Files.deleteIfExists(directory.resolve(blob));
        } catch (IOException e) {
            LOG.warn("could not remove cached object file {}: {}", blob, e.toString());
        }
    }
}
