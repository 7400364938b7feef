package dev.gatehouse.userpool;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import java.util.Arrays;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Argon2id computed by the reference C library ({@code libargon2}, Debian's {@code libargon2-1}), reached through JNA.
 * The library asks for its working memory through the context's allocation callback; this engine answers with its own
 * block, allocated once (outside the Java heap) and reused for every hash, so hashing allocates nothing per call. The
 * library wipes the block after each hash. Not thread-safe: one engine per hashing slot.
 */
final class NativeArgon2id implements Argon2id {

    private static final Logger LOG = LoggerFactory.getLogger(NativeArgon2id.class);

    private static final int ARGON2_OK = 0;
    private static final int ARGON2_MEMORY_ALLOCATION_ERROR = -22;
    private static final int ARGON2_ID = 2;
    private static final int ARGON2_VERSION_13 = 0x13;
    private static final int BLOCK_BYTES = 1024;
    private static final int SYNC_POINTS = 4;

    private final LibArgon2 library;
    private final Allocate allocate = this::lend;
    private final Release release = (memory, bytes) -> {};
    private @Nullable Memory block;
    private long lastUsed = System.nanoTime();

    private NativeArgon2id(LibArgon2 library) {
        this.library = library;
    }

    /**
     * The native engine when {@code libargon2} loads and computes the same tag as Bouncy Castle for a small reference
     * input; empty otherwise (the caller keeps Bouncy Castle).
     */
    static Optional<Argon2id> load() {
        try {
            NativeArgon2id engine = new NativeArgon2id(Native.load("argon2", LibArgon2.class));
            return engine.agreesWith(Argon2id.bouncyCastle()) ? Optional.of(engine) : Optional.empty();
        } catch (LinkageError | RuntimeException e) {
            LOG.info("libargon2 not usable ({}); password hashing uses Bouncy Castle", e.toString());
            return Optional.empty();
        }
    }

    /** A second engine over the same library, with its own memory block. */
    NativeArgon2id sibling() {
        return new NativeArgon2id(library);
    }

    @Override
    public String name() {
        return "libargon2";
    }

    @Override
    public byte[] derive(byte[] password, byte[] salt, Argon2Cost cost, int length) {
        ensureBlock(blockBytes(cost));
        try (Memory pwd = copy(password);
                Memory saltMemory = copy(salt);
                Memory out = new Memory(length)) {
            Context context = context(pwd, password.length, saltMemory, salt.length, out, length, cost);
            int code = library.argon2_ctx(context, ARGON2_ID);
            pwd.clear();
            lastUsed = System.nanoTime();
            if (code != ARGON2_OK) {
                throw new IllegalStateException("argon2_ctx failed: " + library.argon2_error_message(code));
            }
            return out.getByteArray(0, length);
        }
    }

    private Context context(
            Memory pwd, int pwdLength, Memory salt, int saltLength, Memory out, int outLength, Argon2Cost cost) {
        Context context = new Context();
        context.out = out;
        context.outlen = outLength;
        context.pwd = pwd;
        context.pwdlen = pwdLength;
        context.salt = salt;
        context.saltlen = saltLength;
        context.tCost = cost.iterations();
        context.mCost = cost.memoryKib();
        context.lanes = cost.lanes();
        context.threads = 1;
        context.version = ARGON2_VERSION_13;
        context.allocateCbk = allocate;
        context.freeCbk = release;
        return context;
    }

    /** Frees the block (glibc maps a block this large on its own, so freeing it returns it to the system). */
    @Override
    public void releaseMemoryIfIdle(long idleNanos) {
        Memory current = block;
        if (current != null && System.nanoTime() - lastUsed >= idleNanos) {
            block = null;
            current.close();
        }
    }

    /** Whether the block is held (tests). */
    boolean holdsMemory() {
        return block != null;
    }

    /** The bytes the library asks for: m KiB rounded down to a multiple of 4 blocks per lane, at least 8 per lane. */
    private static long blockBytes(Argon2Cost cost) {
        long lanes = Math.max(1, cost.lanes());
        long blocks = Math.max(cost.memoryKib(), 2L * SYNC_POINTS * lanes);
        return blocks / (SYNC_POINTS * lanes) * (SYNC_POINTS * lanes) * BLOCK_BYTES;
    }

    private void ensureBlock(long bytes) {
        Memory current = block;
        if (current == null || current.size() < bytes) {
            if (current != null) {
                current.close();
            }
            block = new Memory(bytes);
        }
    }

    /** The allocation callback: our block when it is large enough (it always is after {@link #ensureBlock}). */
    private int lend(Pointer memory, NativeLong bytes) {
        Memory current = block;
        if (current == null || current.size() < bytes.longValue()) {
            return ARGON2_MEMORY_ALLOCATION_ERROR;
        }
        memory.setPointer(0, current);
        return ARGON2_OK;
    }

    private boolean agreesWith(Argon2id reference) {
        byte[] password = "gatehouse-self-check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] salt = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Argon2Cost cost = new Argon2Cost(64, 2, 1);
        boolean same = Arrays.equals(derive(password, salt, cost, 32), reference.derive(password, salt, cost, 32));
        if (!same) {
            LOG.warn("libargon2 disagrees with Bouncy Castle on the self-check; password hashing uses Bouncy Castle");
        }
        return same;
    }

    private static Memory copy(byte[] bytes) {
        Memory memory = new Memory(Math.max(1, bytes.length));
        memory.write(0, bytes, 0, bytes.length);
        return memory;
    }

    /** {@code int argon2_ctx(argon2_context *, argon2_type)} and its error texts. */
    interface LibArgon2 extends Library {
        @SuppressWarnings("MethodName")
        int argon2_ctx(Context context, int type);

        @SuppressWarnings("MethodName")
        String argon2_error_message(int code);
    }

    /** {@code int (*allocate_fptr)(uint8_t **memory, size_t bytes_to_allocate)}. */
    interface Allocate extends Callback {
        int invoke(Pointer memory, NativeLong bytes);
    }

    /** {@code void (*deallocate_fptr)(uint8_t *memory, size_t bytes_to_allocate)}: the block stays ours. */
    interface Release extends Callback {
        void invoke(Pointer memory, NativeLong bytes);
    }

    /** {@code argon2_context} of argon2.h (20171227 and later), field for field. */
    @Structure.FieldOrder({
        "out",
        "outlen",
        "pwd",
        "pwdlen",
        "salt",
        "saltlen",
        "secret",
        "secretlen",
        "ad",
        "adlen",
        "tCost",
        "mCost",
        "lanes",
        "threads",
        "version",
        "allocateCbk",
        "freeCbk",
        "flags"
    })
    public static final class Context extends Structure {
        public @Nullable Pointer out;
        public int outlen;
        public @Nullable Pointer pwd;
        public int pwdlen;
        public @Nullable Pointer salt;
        public int saltlen;
        public @Nullable Pointer secret;
        public int secretlen;
        public @Nullable Pointer ad;
        public int adlen;
        public int tCost;
        public int mCost;
        public int lanes;
        public int threads;
        public int version;
        public @Nullable Allocate allocateCbk;
        public @Nullable Release freeCbk;
        public int flags;
    }
}
