package dev.gatehouse.userpool;

import dev.gatehouse.userpool.Argon2id.Argon2Cost;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One Argon2id hash at OWASP's parameters (19 MiB, t=2, p=1, 32-byte tag), as {@link PasswordHasher} computes it:
 * {@code bouncyCastle} (pure Java, a new memory block per hash) and {@code libargon2} (the C library through JNA, one
 * block reused). Run with {@code -prof gc} for the bytes allocated per hash and with
 * {@code -prof dev.gatehouse.bench.jmh.CpuTimeProfiler} for the CPU time per hash.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class Argon2Benchmark {

    private static final Argon2Cost OWASP =
            new Argon2Cost(PasswordHasher.OWASP_MEMORY_KIB, PasswordHasher.OWASP_ITERATIONS, 1);
    private static final byte[] PASSWORD = "Correct-Horse-Battery-9".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SALT = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final Argon2id bouncyCastle = Argon2id.bouncyCastle();
    private final Argon2id libargon2 = NativeArgon2id.load()
            .orElseThrow(() ->
                    new IllegalStateException("libargon2 is not installed (Debian: apt-get install libargon2-1)"));

    @Benchmark
    public byte[] bouncyCastle() {
        return bouncyCastle.derive(PASSWORD, SALT, OWASP, 32);
    }

    @Benchmark
    public byte[] libargon2() {
        return libargon2.derive(PASSWORD, SALT, OWASP, 32);
    }
}
