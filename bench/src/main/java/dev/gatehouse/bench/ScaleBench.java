package dev.gatehouse.bench;

import static dev.gatehouse.bench.Flags.bounded;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.server.StackOutputs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.MessageActionType;

/**
 * GetUser and sign-ins against pools of different sizes (default 1,000 and 1,000,000 users), in one run. For each
 * size: the packaged jar started once on a fresh data dir (under {@code --dir}, default the temp dir) makes the
 * default stack (pool, client, keys) and, through AdminCreateUser and AdminSetUserPassword Permanent, user 0; it is
 * stopped, {@link BulkUsers} writes the other users into its SQLite store as copies of user 0, and the jar is started
 * again on that data dir. With every server up, each is warmed (sign-ins of random users until {@code --token-users}
 * access tokens are held, then {@code --warmup} seconds of each workload, unrecorded); then, {@code --rounds} times,
 * the servers take turns: {@code --seconds} of sign-ins ({@code InitiateAuth}, USER_PASSWORD_AUTH, a random user of
 * the whole pool per request, from {@code --signin-threads} threads) and {@code --seconds} of GetUser (a random one of
 * the held access tokens per request, from {@code --threads} threads). Each round gives each size's requests/s and
 * p50/p99, and their ratios to the first size's in the same round. Also reported: the load time, start to ready, RSS
 * and the data dir's size, and (for comparison, {@code --store-api-users}, 0 to skip) how fast the store's own write
 * API writes such users. Every data dir is deleted at the end.
 *
 * <p>{@code java -cp bench/target/gatehouse-bench.jar dev.gatehouse.bench.ScaleBench [--users 1000,1000000]
 * [--rounds 3] [--seconds 10] [--warmup 5] [--threads 8] [--signin-threads 4] [--token-users 1000]
 * [--store-api-users 5000] [--dir /tmp] [--jar server/target/gatehouse.jar] [--jvm OPTION]... [--jfr DIR]};
 * {@code --jfr} records each measured server with JFR's profile settings into {@code DIR/scale-<users>.jfr}.
 */
public final class ScaleBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TARGET = "AWSCognitoIdentityProviderService.";
    private static final String PASSWORD = "Bench-Passw0rd!";
    private static final int MAX_TOKENS = 20_000;

    private ScaleBench() {}

    public static void main(String[] args) throws Exception {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "logback-bench.xml");
        }
        Settings settings = Settings.parse(args);
        System.out.printf(Locale.ROOT, "load average before: %s%n", loadAverage());
        List<Pool> pools = new ArrayList<>();
        try {
            for (int users : settings.users) {
                pools.add(prepare(settings, users));
            }
            for (Pool pool : pools) {
                pool.start(settings);
            }
            for (Pool pool : pools) {
                warmUp(settings, pool);
            }
            List<List<Phase>> rounds = new ArrayList<>();
            for (int round = 1; round <= settings.rounds; round++) {
                List<Phase> phases = new ArrayList<>();
                for (Pool pool : pools) {
                    phases.add(signIns(settings, pool, settings.seconds, "sign-in"));
                    phases.add(getUsers(settings, pool, settings.seconds));
                }
                int number = round;
                phases.forEach(p -> p.print(number));
                rounds.add(phases);
            }
            printRatios(rounds, pools);
            for (Pool pool : pools) {
                pool.printFootprint();
                describe(pool);
            }
        } finally {
            for (Pool pool : pools) {
                pool.close();
            }
        }
        System.out.printf(Locale.ROOT, "load average after: %s%n", loadAverage());
    }

    /** A data dir holding {@code users} users, and later the server started on it. */
    private static final class Pool {
        final int users;
        final Path dir;
        final List<String> tokens = new ArrayList<>();
        String poolId = "";
        String clientId = "";
        BulkUsers.Loaded loaded = new BulkUsers.Loaded(0, 0, 0);
        long readyMillis;
        long idleRssKib;

        @org.jspecify.annotations.Nullable
        ServerUnderTest server;

        Pool(int users, Path dir) {
            this.users = users;
            this.dir = dir;
        }

        void start(Settings settings) throws IOException, InterruptedException {
            List<String> jvm = new ArrayList<>(settings.jvm);
            Path jfr = settings.jfr;
            if (jfr != null) {
                jvm.add("-XX:StartFlightRecording=settings=profile,filename="
                        + jfr.toAbsolutePath().resolve("scale-" + users + ".jfr"));
            }
            server = ServerUnderTest.gatehouseIn(settings.jar, jvm, dir);
            readyMillis = server.readyNanos() / 1_000_000;
            Thread.sleep(2000);
            idleRssKib = server.rssKib();
            System.out.printf(
                    Locale.ROOT,
                    "%,d users: start to ready %d ms, RSS 2 s after ready %.1f MB%n",
                    users,
                    readyMillis,
                    idleRssKib / 1024.0);
        }

        ServerUnderTest server() {
            ServerUnderTest running = server;
            if (running == null) {
                throw new IllegalStateException("not started");
            }
            return running;
        }

        URI endpoint() {
            return URI.create(server().output("AwsEndpoint"));
        }

        synchronized void addToken(String token) {
            if (tokens.size() < MAX_TOKENS) {
                tokens.add(token);
            }
        }

        synchronized int tokenCount() {
            return tokens.size();
        }

        synchronized String randomToken() {
            return tokens.get(ThreadLocalRandom.current().nextInt(tokens.size()));
        }

        void printFootprint() throws IOException {
            ServerUnderTest running = server();
            System.out.printf(
                    Locale.ROOT,
                    "%,d users: loaded %,d users (%,d rows) in %.1f s (%,.0f users/s); RSS idle %.1f MB, after the"
                            + " rounds %.1f MB, peak %.1f MB; data dir %.1f MB%n",
                    users,
                    loaded.users(),
                    loaded.rows(),
                    loaded.seconds(),
                    loaded.users() / Math.max(loaded.seconds(), 1e-9),
                    idleRssKib / 1024.0,
                    running.rssKib() / 1024.0,
                    running.peakRssKib() / 1024.0,
                    sizeBytes(dir.resolve("data")) / 1e6);
        }

        void close() throws IOException {
            ServerUnderTest running = server;
            if (running != null) {
                running.close();
            }
            if (Files.exists(dir)) {
                LoadDriver.deleteTree(dir);
            }
        }
    }

    /** A fresh data dir: the stack and user 0 made by the server, then users 1.. written into its store. */
    private static Pool prepare(Settings settings, int users) throws Exception {
        Pool pool = new Pool(users, Files.createTempDirectory(settings.dir, "gatehouse-scale-" + users + "-"));
        try (ServerUnderTest server = ServerUnderTest.gatehouseIn(settings.jar, settings.jvm, pool.dir)) {
            pool.poolId = server.output("UserPoolId");
            pool.clientId = server.output("UserPoolClientId");
            try (CognitoIdentityProviderClient admin = admin(server)) {
                admin.adminCreateUser(r -> r.userPoolId(pool.poolId)
                        .username(BulkUsers.email(0))
                        .temporaryPassword(PASSWORD)
                        .messageAction(MessageActionType.SUPPRESS));
                admin.adminSetUserPassword(r -> r.userPoolId(pool.poolId)
                        .username(BulkUsers.email(0))
                        .password(PASSWORD)
                        .permanent(true));
            }
        }
        Path database = pool.dir.resolve("data/gatehouse.db");
        if (settings.storeApiUsers > 0 && users == settings.users.get(0)) {
            System.out.printf(
                    Locale.ROOT,
                    "store API (SqliteItemStore.transact, whole users per transaction, fresh file): %,.0f users/s over"
                            + " %,d users%n",
                    BulkUsers.storeApiRate(database, pool.poolId, settings.storeApiUsers),
                    settings.storeApiUsers);
        }
        pool.loaded = BulkUsers.load(database, pool.poolId, users);
        System.out.printf(
                Locale.ROOT,
                "%,d users: wrote %,d users (%,d rows) in %.1f s; data dir %.1f MB; %s%n",
                users,
                pool.loaded.users(),
                pool.loaded.rows(),
                pool.loaded.seconds(),
                sizeBytes(pool.dir.resolve("data")) / 1e6,
                freeSpace(settings.dir));
        return pool;
    }

    private static CognitoIdentityProviderClient admin(ServerUnderTest server) throws IOException {
        StackOutputs outputs = StackOutputs.of(Map.of("AdminCredentialsFile", server.output("AdminCredentialsFile")));
        return LoadDriver.userPools(server.output("AwsEndpoint"), LoadDriver.adminCredentials(outputs));
    }

    /** DescribeUserPool's EstimatedNumberOfUsers counts the pool's users: how long it takes at this size. */
    private static void describe(Pool pool) throws IOException {
        StringBuilder line = new StringBuilder(
                String.format(Locale.ROOT, "%,d users: DescribeUserPool ms (EstimatedNumberOfUsers)", pool.users));
        try (CognitoIdentityProviderClient admin = admin(pool.server())) {
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                int count = admin.describeUserPool(r -> r.userPoolId(pool.poolId))
                        .userPool()
                        .estimatedNumberOfUsers();
                line.append(String.format(Locale.ROOT, " %.0f (%,d)", (System.nanoTime() - start) / 1e6, count));
            }
        }
        System.out.println(line);
    }

    /** Sign-ins until enough access tokens are held, then both workloads for the warm-up time, unrecorded. */
    private static void warmUp(Settings settings, Pool pool) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (pool.tokenCount() < settings.tokenUsers && System.nanoTime() < deadline) {
            Phase phase = signIns(settings, pool, 5, "token harvest");
            if (phase.requests() == 0) {
                throw new IllegalStateException("no sign-in succeeded: " + phase.firstError());
            }
        }
        signIns(settings, pool, settings.warmup, "warm-up");
        getUsers(settings, pool, settings.warmup);
        System.out.printf(Locale.ROOT, "%,d users: warmed up, %,d access tokens held%n", pool.users, pool.tokenCount());
    }

    private static Phase signIns(Settings settings, Pool pool, int seconds, String workload) throws Exception {
        Supplier<String> body = () -> {
            ObjectNode request = JSON.createObjectNode()
                    .put("AuthFlow", "USER_PASSWORD_AUTH")
                    .put("ClientId", pool.clientId);
            request.putObject("AuthParameters")
                    .put("USERNAME", BulkUsers.email(ThreadLocalRandom.current().nextInt(pool.users)))
                    .put("PASSWORD", PASSWORD);
            return request.toString();
        };
        Consumer<String> keepToken = response -> pool.addToken(accessToken(response));
        return drive(pool, workload, "InitiateAuth", settings.signInThreads, seconds, body, keepToken);
    }

    private static Phase getUsers(Settings settings, Pool pool, int seconds) throws Exception {
        Supplier<String> body = () ->
                JSON.createObjectNode().put("AccessToken", pool.randomToken()).toString();
        return drive(pool, "GetUser", "GetUser", settings.threads, seconds, body, response -> {});
    }

    private static String accessToken(String response) {
        try {
            return JSON.readTree(response)
                    .path("AuthenticationResult")
                    .path("AccessToken")
                    .asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What one workload on one server gave in one slice. */
    record Phase(
            int users,
            String workload,
            long requests,
            double perSecond,
            long p50Micros,
            long p99Micros,
            long errors,
            String firstError,
            double cpuMicrosPerRequest) {

        void print(int round) {
            System.out.printf(
                    Locale.ROOT,
                    "round %d  %,10d users  %-8s %6d requests %8.1f req/s  p50 %7.2f ms  p99 %7.2f ms  server CPU"
                            + " %7.2f ms/req  %d errors%s%n",
                    round,
                    users,
                    workload,
                    requests,
                    perSecond,
                    p50Micros / 1000.0,
                    p99Micros / 1000.0,
                    cpuMicrosPerRequest / 1000.0,
                    errors,
                    firstError.isEmpty() ? "" : " (first: " + firstError + ")");
        }
    }

    /** {@code threads} threads, one keep-alive connection and one request in flight each, for {@code seconds}. */
    private static Phase drive(
            Pool pool,
            String workload,
            String operation,
            int threads,
            int seconds,
            Supplier<String> body,
            Consumer<String> onSuccess)
            throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        List<Future<Recorder>> running = new ArrayList<>();
        URI endpoint = pool.endpoint();
        ProcessHandle server = ProcessHandle.of(pool.server().pid()).orElseThrow();
        long cpuBefore = cpuNanos(server);
        long started = System.nanoTime();
        for (int i = 0; i < threads; i++) {
            running.add(executor.submit(() -> work(endpoint, operation, body, onSuccess, end)));
        }
        List<Recorder> done = new ArrayList<>();
        for (Future<Recorder> worker : running) {
            done.add(worker.get(seconds + 120L, TimeUnit.SECONDS));
        }
        long elapsed = System.nanoTime() - started;
        long cpu = cpuNanos(server) - cpuBefore;
        executor.shutdown();
        long[] latencies =
                done.stream().flatMapToLong(r -> Arrays.stream(r.latencies())).toArray();
        Percentiles percentiles = new Percentiles(latencies);
        return new Phase(
                pool.users,
                workload,
                latencies.length,
                latencies.length * 1e9 / elapsed,
                percentiles.at(50),
                percentiles.at(99),
                done.stream().mapToLong(Recorder::errors).sum(),
                done.stream()
                        .map(Recorder::firstError)
                        .filter(e -> !e.isEmpty())
                        .findFirst()
                        .orElse(""),
                cpu / 1000.0 / Math.max(latencies.length, 1));
    }

    private static long cpuNanos(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private static Recorder work(
            URI endpoint, String operation, Supplier<String> body, Consumer<String> onSuccess, long end)
            throws InterruptedException {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        Recorder recorder = new Recorder();
        while (System.nanoTime() < end) {
            HttpRequest request = HttpRequest.newBuilder(endpoint.resolve("/"))
                    .header("X-Amz-Target", TARGET + operation)
                    .header("Content-Type", "application/x-amz-json-1.1")
                    .timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString(body.get()))
                    .build();
            long start = System.nanoTime();
            String error;
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                error = response.statusCode() == 200 ? "" : response.statusCode() + " " + response.body();
                if (error.isEmpty()) {
                    onSuccess.accept(response.body());
                }
            } catch (IOException e) {
                error = e.toString();
            }
            recorder.record((System.nanoTime() - start) / 1000, error);
        }
        return recorder;
    }

    /** Per workload and figure, each size's ratio to the first size's, round by round, and their range. */
    private static void printRatios(List<List<Phase>> rounds, List<Pool> pools) {
        if (pools.size() < 2) {
            return;
        }
        for (String workload : List.of("sign-in", "GetUser")) {
            for (int p = 1; p < pools.size(); p++) {
                int size = pools.get(p).users;
                StringBuilder line = new StringBuilder(
                        String.format(Locale.ROOT, "ratio %,d / %,d users, %s:", size, pools.get(0).users, workload));
                line.append(ratios(rounds, workload, size, pools.get(0).users, Phase::perSecond, "req/s"));
                line.append(ratios(rounds, workload, size, pools.get(0).users, ph -> (double) ph.p50Micros(), "p50"));
                line.append(ratios(rounds, workload, size, pools.get(0).users, ph -> (double) ph.p99Micros(), "p99"));
                line.append(ratios(rounds, workload, size, pools.get(0).users, Phase::cpuMicrosPerRequest, "CPU/req"));
                System.out.println(line);
            }
        }
    }

    private static String ratios(
            List<List<Phase>> rounds,
            String workload,
            int size,
            int base,
            java.util.function.ToDoubleFunction<Phase> figure,
            String name) {
        double[] values = rounds.stream()
                .mapToDouble(phases -> figure.applyAsDouble(find(phases, workload, size))
                        / Math.max(figure.applyAsDouble(find(phases, workload, base)), 1e-9))
                .toArray();
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "  %s", name));
        for (double v : values) {
            text.append(String.format(Locale.ROOT, " %.2f", v));
        }
        return text.append(String.format(
                        Locale.ROOT,
                        " (median %.2f, %.2f-%.2f)",
                        sorted[sorted.length / 2],
                        sorted[0],
                        sorted[sorted.length - 1]))
                .toString();
    }

    private static Phase find(List<Phase> phases, String workload, int users) {
        return phases.stream()
                .filter(p -> p.workload().equals(workload) && p.users() == users)
                .findFirst()
                .orElseThrow();
    }

    private static long sizeBytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(f -> f.toFile().length())
                    .sum();
        }
    }

    private static String freeSpace(Path dir) throws IOException {
        return String.format(
                Locale.ROOT, "%.1f GB free in %s", Files.getFileStore(dir).getUsableSpace() / 1e9, dir);
    }

    private static String loadAverage() throws IOException {
        Path loadavg = Path.of("/proc/loadavg");
        return Files.isReadable(loadavg) ? Files.readString(loadavg).trim() : "?";
    }

    /** The flags, each bounded. */
    private static final class Settings {
        Path jar = Path.of("server/target/gatehouse.jar");
        List<String> jvm = new ArrayList<>();
        List<Integer> users = List.of(1_000, 1_000_000);
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        int rounds = 3;
        int seconds = 10;
        int warmup = 5;
        int threads = 8;
        int signInThreads = 4;
        int tokenUsers = 1_000;
        int storeApiUsers = 5_000;

        @org.jspecify.annotations.Nullable
        Path jfr;

        static Settings parse(String... args) {
            Settings s = new Settings();
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("flag " + args[i] + " needs a value");
                }
                String value = args[i + 1];
                switch (args[i]) {
                    case "--jar" -> s.jar = Path.of(value);
                    case "--jvm" -> s.jvm.add(value);
                    case "--users" -> s.users = Stream.of(value.split(","))
                            .map(v -> bounded(v.trim(), 1, 10_000_000))
                            .toList();
                    case "--dir" -> s.dir = Path.of(value);
                    case "--jfr" -> s.jfr = Path.of(value);
                    case "--rounds" -> s.rounds = bounded(value, 1, 20);
                    case "--seconds" -> s.seconds = bounded(value, 1, 300);
                    case "--warmup" -> s.warmup = bounded(value, 1, 120);
                    case "--threads" -> s.threads = bounded(value, 1, 64);
                    case "--signin-threads" -> s.signInThreads = bounded(value, 1, 64);
                    case "--token-users" -> s.tokenUsers = bounded(value, 1, MAX_TOKENS);
                    case "--store-api-users" -> s.storeApiUsers = bounded(value, 0, 1_000_000);
                    default -> throw new IllegalArgumentException("unknown flag " + args[i]);
                }
            }
            if (!Files.isRegularFile(s.jar)) {
                throw new IllegalArgumentException(s.jar + " is missing: mvn -B -q -pl bench,server -am package");
            }
            if (s.users.stream().distinct().count() != s.users.size()) {
                throw new IllegalArgumentException("--users sizes must differ: " + s.users);
            }
            return s;
        }
    }
}
