package dev.gatehouse.bench;

import static dev.gatehouse.bench.Flags.bounded;

import dev.gatehouse.server.StackOutputs;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.MessageActionType;

/**
 * Drives the packaged server as its users start it ({@code java -jar gatehouse.jar}, a child process) and reads its
 * resident set from {@code /proc}. Modes:
 *
 * <ul>
 *   <li>{@code memory}: idle RSS 2 s after ready, then {@code --users} AdminCreateUser calls (each hashes a temporary
 *       password) from {@code --clients} threads, RSS sampled every 250 ms (peak), then RSS right after and after
 *       {@code --settle} seconds idle.
 *   <li>{@code storm}: GetUser latency from {@code --readers} paced readers (one call per {@code --interval-ms} each),
 *       alternately without and with {@code --clients} threads signing in non-stop, {@code --rounds} times.
 *   <li>{@code startup}: {@code --rounds} times, Gatehouse and (with {@code --cognito-local DIR}, where {@code npm i
 *       cognito-local} was run) cognito-local and (with {@code --baseline JAR}) another build of the jar, in turns:
 *       start to ready, and RSS 2 s after ready.
 *   <li>{@code getuser}: GetUser requests/s from {@code --connections} keep-alive connections against this jar,
 *       cognito-local and the baseline jar, in turns ({@link GetUserBench}).
 * </ul>
 * {@code --jar} names the server jar (default {@code server/target/gatehouse.jar}); {@code --jvm OPTION} (repeatable)
 * adds a JVM option before {@code -jar}.
 */
public final class JarBench {

    private static final String REGION = "us-east-1";
    private static final String PASSWORD = "Bench-Passw0rd!";

    private JarBench() {}

    public static void main(String[] args) throws Exception {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "logback-bench.xml");
        }
        Settings settings = Settings.parse(args);
        switch (settings.mode) {
            case "memory" -> memory(settings);
            case "storm" -> storm(settings);
            case "startup" -> startup(settings);
            case "getuser" -> GetUserBench.run(
                    settings.jar,
                    settings.jvm,
                    settings.baseline,
                    settings.cognitoLocal,
                    settings.connections,
                    settings.warmup,
                    settings.seconds,
                    settings.rounds);
            default -> throw new IllegalArgumentException(
                    "mode is memory, storm, startup or getuser, not " + settings.mode);
        }
    }

    private static void memory(Settings settings) throws Exception {
        try (ServerUnderTest server = ServerUnderTest.gatehouse(settings.jar, settings.jvm)) {
            Thread.sleep(2000);
            System.out.printf(Locale.ROOT, "idle RSS 2 s after ready: %.1f MB%n", mb(server.rssKib()));
            AtomicLong peak = new AtomicLong();
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            sampler.scheduleAtFixedRate(
                    () -> peak.accumulateAndGet(server.rssKib(), Math::max), 0, 250, TimeUnit.MILLISECONDS);
            long start = System.nanoTime();
            int errors = createUsers(server, settings.users, settings.clients);
            double seconds = (System.nanoTime() - start) / 1e9;
            sampler.shutdownNow();
            System.out.printf(
                    Locale.ROOT,
                    "%d AdminCreateUser (%d at a time) in %.1f s (%.1f/s), %d errors%n",
                    settings.users,
                    settings.clients,
                    seconds,
                    settings.users / seconds,
                    errors);
            System.out.printf(
                    Locale.ROOT,
                    "RSS peak during the run: %.1f MB sampled, %.1f MB VmHWM; right after: %.1f MB%n",
                    mb(peak.get()),
                    mb(server.peakRssKib()),
                    mb(server.rssKib()));
            for (int waited = 0; waited < settings.settle; waited += 5) {
                Thread.sleep(5000);
                System.out.printf(Locale.ROOT, "RSS %d s after the run: %.1f MB%n", waited + 5, mb(server.rssKib()));
            }
        }
    }

    private static int createUsers(ServerUnderTest server, int users, int clients) throws Exception {
        String poolId = server.output("UserPoolId");
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            done.add(pool.submit(() -> {
                try (CognitoIdentityProviderClient admin = client(server, admin(server))) {
                    for (int i = next.getAndIncrement(); i < users; i = next.getAndIncrement()) {
                        String name = "user-" + i + "@bench.example";
                        try {
                            admin.adminCreateUser(r -> r.userPoolId(poolId)
                                    .username(name)
                                    .temporaryPassword(PASSWORD)
                                    .messageAction(MessageActionType.SUPPRESS));
                        } catch (RuntimeException e) {
                            if (errors.incrementAndGet() == 1) {
                                System.err.println("first error: " + e);
                            }
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        return errors.get();
    }

    private static void storm(Settings settings) throws Exception {
        try (ServerUnderTest server = ServerUnderTest.gatehouse(settings.jar, settings.jvm)) {
            String poolId = server.output("UserPoolId");
            try (CognitoIdentityProviderClient admin = client(server, admin(server))) {
                for (int i = 0; i <= settings.clients; i++) {
                    String name = "storm-" + i + "@bench.example";
                    admin.adminCreateUser(r -> r.userPoolId(poolId)
                            .username(name)
                            .temporaryPassword(PASSWORD)
                            .messageAction(MessageActionType.SUPPRESS));
                    admin.adminSetUserPassword(r -> r.userPoolId(poolId)
                            .username(name)
                            .password(PASSWORD)
                            .permanent(true));
                }
            }
            String token = signIn(server, "storm-" + settings.clients + "@bench.example");
            System.out.println("phase   round  GetUser calls  p50 ms  p99 ms  max ms  sign-ins/s  errors");
            for (int round = 1; round <= settings.rounds; round++) {
                for (boolean withStorm : new boolean[] {false, true}) {
                    Phase phase = phase(server, token, settings, withStorm);
                    System.out.printf(
                            Locale.ROOT,
                            "%-7s %5d  %13d  %6.2f  %6.2f  %6.2f  %10.1f  %6d%n",
                            withStorm ? "storm" : "quiet",
                            round,
                            phase.latenciesMicros.length,
                            phase.percentile(50),
                            phase.percentile(99),
                            phase.percentile(100),
                            phase.signIns / (double) settings.seconds,
                            phase.errors);
                }
            }
        }
    }

    private record Phase(long[] latenciesMicros, int signIns, int errors) {
        double percentile(int p) {
            return new Percentiles(latenciesMicros).at(p) / 1000.0;
        }
    }

    private static Phase phase(ServerUnderTest server, String token, Settings settings, boolean withStorm)
            throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger signIns = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        ExecutorService threads = Executors.newCachedThreadPool();
        List<Future<long[]>> readers = new ArrayList<>();
        if (withStorm) {
            for (int c = 0; c < settings.clients; c++) {
                String name = "storm-" + c + "@bench.example";
                threads.submit(() -> signInLoop(server, name, running, signIns, errors));
            }
            Thread.sleep(500);
        }
        for (int r = 0; r < settings.readers; r++) {
            readers.add(threads.submit(() -> readLoop(server, token, settings, errors)));
        }
        List<Long> all = new ArrayList<>();
        for (Future<long[]> reader : readers) {
            Arrays.stream(reader.get()).forEach(all::add);
        }
        running.set(false);
        threads.shutdown();
        threads.awaitTermination(30, TimeUnit.SECONDS);
        return new Phase(all.stream().mapToLong(Long::longValue).sorted().toArray(), signIns.get(), errors.get());
    }

    private static long[] readLoop(ServerUnderTest server, String token, Settings settings, AtomicInteger errors) {
        List<Long> latencies = new ArrayList<>();
        try (CognitoIdentityProviderClient anonymous = client(server, AnonymousCredentialsProvider.create())) {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.seconds);
            long next = System.nanoTime();
            while (System.nanoTime() < end) {
                long start = System.nanoTime();
                try {
                    anonymous.getUser(r -> r.accessToken(token));
                    latencies.add((System.nanoTime() - start) / 1000);
                } catch (RuntimeException e) {
                    errors.incrementAndGet();
                }
                next += TimeUnit.MILLISECONDS.toNanos(settings.intervalMs);
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return latencies.stream().mapToLong(Long::longValue).toArray();
    }

    private static Void signInLoop(
            ServerUnderTest server, String name, AtomicBoolean running, AtomicInteger signIns, AtomicInteger errors) {
        String clientId = server.output("UserPoolClientId");
        try (CognitoIdentityProviderClient anonymous = client(server, AnonymousCredentialsProvider.create())) {
            while (running.get()) {
                try {
                    anonymous.initiateAuth(r -> r.clientId(clientId)
                            .authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                            .authParameters(Map.of("USERNAME", name, "PASSWORD", PASSWORD)));
                    signIns.incrementAndGet();
                } catch (RuntimeException e) {
                    errors.incrementAndGet();
                }
            }
        }
        return null;
    }

    static String signIn(ServerUnderTest server, String name) {
        String clientId = server.output("UserPoolClientId");
        try (CognitoIdentityProviderClient anonymous = client(server, AnonymousCredentialsProvider.create())) {
            return anonymous
                    .initiateAuth(r -> r.clientId(clientId)
                            .authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                            .authParameters(Map.of("USERNAME", name, "PASSWORD", PASSWORD)))
                    .authenticationResult()
                    .accessToken();
        }
    }

    private static void startup(Settings settings) throws Exception {
        // One unrecorded start per jar: the first start of a jar writes its class-data archive (docs/server.md).
        for (Path jar : settings.baseline == null ? List.of(settings.jar) : List.of(settings.jar, settings.baseline)) {
            try (ServerUnderTest server = ServerUnderTest.gatehouse(jar, settings.jvm)) {
                server.awaitClassArchive();
            }
        }
        System.out.println("server         round  start to ready ms  RSS 2 s after ready MB");
        for (int round = 1; round <= settings.rounds; round++) {
            try (ServerUnderTest server = ServerUnderTest.gatehouse(settings.jar, settings.jvm)) {
                report("gatehouse", round, server);
            }
            Path baseline = settings.baseline;
            if (baseline != null) {
                try (ServerUnderTest server = ServerUnderTest.gatehouse(baseline, settings.jvm)) {
                    report("baseline jar", round, server);
                }
            }
            Path cognitoLocal = settings.cognitoLocal;
            if (cognitoLocal != null) {
                try (ServerUnderTest server = ServerUnderTest.cognitoLocal(cognitoLocal)) {
                    report("cognito-local", round, server);
                }
            }
        }
    }

    private static void report(String name, int round, ServerUnderTest server) throws InterruptedException {
        long ready = server.readyNanos();
        Thread.sleep(2000);
        System.out.printf(Locale.ROOT, "%-14s %5d  %17.0f  %22.1f%n", name, round, ready / 1e6, mb(server.rssKib()));
    }

    static AwsCredentialsProvider admin(ServerUnderTest server) {
        try {
            return LoadDriver.adminCredentials(
                    StackOutputs.of(Map.of("AdminCredentialsFile", server.output("AdminCredentialsFile"))));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static CognitoIdentityProviderClient client(ServerUnderTest server, AwsCredentialsProvider credentials) {
        return CognitoIdentityProviderClient.builder()
                .endpointOverride(URI.create(server.output("AwsEndpoint")))
                .region(Region.of(REGION))
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    private static double mb(long kib) {
        return kib / 1024.0;
    }

    /** The flags, each bounded. */
    private static final class Settings {
        String mode = "";
        Path jar = Path.of("server/target/gatehouse.jar");
        List<String> jvm = new ArrayList<>();
        int users = 20_000;
        int clients = 8;
        int settle = 30;
        int readers = 2;
        int intervalMs = 5;
        int seconds = 10;
        int rounds = 3;
        int connections = 32;
        int warmup = 5;

        @Nullable
        Path cognitoLocal;

        @Nullable
        Path baseline;

        static Settings parse(String... args) {
            Settings s = new Settings();
            if (args.length == 0) {
                throw new IllegalArgumentException("usage: JarBench memory|storm|startup|getuser [flags]");
            }
            s.mode = args[0];
            for (int i = 1; i < args.length; i += 2) {
                String value = args[i + 1];
                switch (args[i]) {
                    case "--jar" -> s.jar = Path.of(value);
                    case "--jvm" -> s.jvm.add(value);
                    case "--users" -> s.users = bounded(value, 1, 1_000_000);
                    case "--clients" -> s.clients = bounded(value, 1, 64);
                    case "--settle" -> s.settle = bounded(value, 0, 600);
                    case "--readers" -> s.readers = bounded(value, 1, 32);
                    case "--interval-ms" -> s.intervalMs = bounded(value, 0, 1000);
                    case "--seconds" -> s.seconds = bounded(value, 1, 300);
                    case "--rounds" -> s.rounds = bounded(value, 1, 20);
                    case "--connections" -> s.connections = bounded(value, 1, 256);
                    case "--warmup" -> s.warmup = bounded(value, 0, 60);
                    case "--cognito-local" -> s.cognitoLocal = Path.of(value);
                    case "--baseline" -> s.baseline = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown flag " + args[i]);
                }
            }
            return s;
        }
    }
}
