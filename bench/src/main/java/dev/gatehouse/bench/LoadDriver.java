package dev.gatehouse.bench;

import dev.gatehouse.server.GatehouseServer;
import dev.gatehouse.server.ServerConfig;
import dev.gatehouse.server.StackOutputs;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentity.CognitoIdentityClient;
import software.amazon.awssdk.services.cognitoidentity.model.Credentials;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;

/**
 * Starts the Gatehouse stack and a bare Vert.x server in this JVM, on loopback, then drives each route with a fixed
 * number of keep-alive connections for a fixed time and prints requests/s, p50/p99 latency and errors, plus each
 * route's throughput as a fraction of the bare server's.
 *
 * <p>Flags: {@code --connections N} (16), {@code --warmup SECONDS} (3), {@code --duration SECONDS} (10),
 * {@code --sign-each} (SigV4-sign every /private request instead of reusing a signature for up to 4 minutes),
 * {@code --only TEXT[,TEXT…]} (measure only the targets whose name contains one TEXT, and the baseline), {@code --skip
 * TEXT[,TEXT…]} (leave out the targets whose name contains one TEXT), {@code --rounds N} (5: the
 * measured time is split into N slices per target, taken in turns), {@code --wrk THREADS} (drive each slice with
 * {@code wrk} with that many threads instead of the in-JVM client: see {@link WrkRunner}).
 */
public final class LoadDriver {

    private static final String HOST = "127.0.0.1";
    private static final String REGION = "us-east-1";
    private static final String EMAIL = "bench@example.com";
    private static final int BARE_EVENT_LOOPS = 2;
    /** Unrecorded time at the start of every slice: its connections are opened and in use before it is measured. */
    private static final long WARM_CONNECTIONS_NANOS = TimeUnit.MILLISECONDS.toNanos(300);

    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final Settings settings;
    private final Vertx vertx;

    private LoadDriver(Settings settings, Vertx vertx) {
        this.settings = settings;
        this.vertx = vertx;
    }

    /** The flags, bounded so a run is always short. */
    record Settings(
            int connections,
            int warmupSeconds,
            int durationSeconds,
            boolean signEach,
            String only,
            String skip,
            int rounds,
            int wrkThreads) {

        Settings {
            if (connections < 1
                    || connections > 256
                    || warmupSeconds < 0
                    || warmupSeconds > 60
                    || durationSeconds < 1
                    || durationSeconds > 120
                    || rounds < 1
                    || rounds > 20
                    || wrkThreads < 0
                    || wrkThreads > 8) {
                throw new IllegalArgumentException(
                        "need 1..256 connections, 0..60 s warm-up, 1..120 s duration, 1..20 rounds, 0..8 wrk threads");
            }
            if (wrkThreads > 0 && (signEach || durationSeconds < rounds)) {
                throw new IllegalArgumentException(
                        "--wrk reuses one signature per slice and runs whole seconds: no --sign-each, and a duration"
                                + " of at least one second per round");
            }
        }

        /** Whether {@code --only} and {@code --skip} keep the target named {@code name}. */
        boolean selects(String name) {
            return Arrays.stream(only.split(",", -1)).anyMatch(name::contains)
                    && (skip.isEmpty() || Arrays.stream(skip.split(",")).noneMatch(name::contains));
        }

        static Settings parse(String... args) {
            int connections = 16;
            int warmup = 3;
            int duration = 10;
            boolean signEach = false;
            String only = "";
            String skip = "";
            int rounds = 5;
            int wrkThreads = 0;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--connections" -> connections = Integer.parseInt(value(args, ++i));
                    case "--warmup" -> warmup = Integer.parseInt(value(args, ++i));
                    case "--duration" -> duration = Integer.parseInt(value(args, ++i));
                    case "--sign-each" -> signEach = true;
                    case "--only" -> only = value(args, ++i);
                    case "--skip" -> skip = value(args, ++i);
                    case "--rounds" -> rounds = Integer.parseInt(value(args, ++i));
                    case "--wrk" -> wrkThreads = Integer.parseInt(value(args, ++i));
                    default -> throw new IllegalArgumentException("unknown flag " + args[i]);
                }
            }
            return new Settings(connections, warmup, duration, signEach, only, skip, rounds, wrkThreads);
        }

        private static String value(String[] args, int index) {
            if (index >= args.length) {
                throw new IllegalArgumentException("missing value after " + args[index - 1]);
            }
            return args[index];
        }
    }

    /** One measured route: its path (with a query string, for a presigned URL) and headers, per request. */
    record Target(String name, int port, Supplier<String> path, Supplier<MultiMap> headers) {

        Target(String name, int port, String path, Supplier<MultiMap> headers) {
            this(name, port, () -> path, headers);
        }
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "logback-bench.xml");
        }
        Settings settings = Settings.parse(args);
        Path dir = Files.createTempDirectory("gatehouse-bench");
        GatehouseServer server =
                new GatehouseServer(ServerConfig.defaults(dir.resolve("data")).withAwsPort(0));
        Vertx vertx = Vertx.vertx();
        // The baseline gets a Vert.x of its own with as many event loops as Gatehouse's API listener, rather than
        // sharing
        // the client's, and like it one server per event loop on one shared port.
        Vertx bareVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(BARE_EVENT_LOOPS));
        // The same GET /public as a Node.js function (recipe 004's src/public.js) in a warm worker, when the example is
        // at
        // hand (the driver runs from the repository's root).
        Path nodeApp = Path.of("examples", "api-auth-cognito", "template.yaml");
        @org.jspecify.annotations.Nullable
        GatehouseServer nodeServer = Files.isRegularFile(nodeApp)
                ? dev.gatehouse.server.BenchServers.ofTemplate(dir.resolve("node-data"), nodeApp)
                : null;
        try {
            StackOutputs outputs = server.start();
            int nodePort = -1;
            if (nodeServer != null) {
                nodeServer.start();
                nodePort = nodeServer.apiPort();
            }
            int barePort = bareServer(bareVertx);
            new LoadDriver(settings, vertx).run(outputs, server.apiPort(), barePort, nodePort, System.out);
        } finally {
            if (nodeServer != null) {
                nodeServer.stop();
            }
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            bareVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            server.stop();
            deleteTree(dir);
        }
        System.exit(0);
    }

    /** The bare "hello" server: one instance per event loop, sharing one free port (a negative port); returns it. */
    private static int bareServer(Vertx bareVertx) throws Exception {
        AtomicInteger port = new AtomicInteger();
        bareVertx
                .deployVerticle(
                        () -> new AbstractVerticle() {
                            @Override
                            public void start(Promise<Void> started) {
                                vertx.createHttpServer()
                                        .requestHandler(
                                                request -> request.response().end("Hello"))
                                        .listen(-1, HOST)
                                        .onSuccess(server -> {
                                            port.set(server.actualPort());
                                            started.complete();
                                        })
                                        .onFailure(started::fail);
                            }
                        },
                        new DeploymentOptions().setInstances(BARE_EVENT_LOOPS))
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        return port.get();
    }

    private void run(StackOutputs outputs, int apiPort, int barePort, int nodePort, PrintStream out) throws Exception {
        String idToken = signIn(outputs);
        Credentials credentials = identityCredentials(outputs, idToken);
        AwsSessionCredentialsIdentity identity = AwsSessionCredentialsIdentity.create(
                credentials.accessKeyId(), credentials.secretKey(), credentials.sessionToken());
        String privateUri = "http://" + HOST + ":" + apiPort + "/private";
        String notesUri = "http://" + HOST + ":" + apiPort + "/notes";
        List<Target> targets = new ArrayList<>();
        for (Target target : List.of(
                new Target("bare GET /", barePort, "/", MultiMap::caseInsensitiveMultiMap),
                new Target("GET /public", apiPort, "/public", MultiMap::caseInsensitiveMultiMap),
                // the same answer from a Node.js function: gateway → Runtime API → warm worker → back
                new Target("GET /public (Node.js worker)", nodePort, "/public", MultiMap::caseInsensitiveMultiMap),
                new Target(
                        "GET /api/helloWorldSecured (Bearer)",
                        apiPort,
                        "/api/helloWorldSecured",
                        () -> MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + idToken)),
                new Target(
                        "GET /private (SigV4)",
                        apiPort,
                        "/private",
                        settings.signEach()
                                ? () -> Signatures.sign(privateUri, identity)
                                : Signatures.reused(() -> Signatures.sign(privateUri, identity))),
                // The same route with the signature in the query string (X-Amz-Algorithm … X-Amz-Security-Token,
                // X-Amz-Signature), as the SDK's presigner writes it.
                new Target(
                        "GET /private (SigV4 presigned)",
                        apiPort,
                        settings.signEach()
                                ? () -> Signatures.presign(privateUri, identity)
                                : Signatures.reused(() -> Signatures.presign(privateUri, identity)),
                        MultiMap::caseInsensitiveMultiMap),
                // Not a target of the issue: a route on a worker pool that reads the store, for what a real handler
                // pays.
                new Target(
                        "GET /notes (SigV4, pool + store)",
                        apiPort,
                        "/notes",
                        settings.signEach()
                                ? () -> Signatures.sign(notesUri, identity)
                                : Signatures.reused(() -> Signatures.sign(notesUri, identity))))) {
            // --only keeps the baseline and the targets whose name contains one of its comma-separated values (for
            // profiling one route); --skip drops those whose name contains one of its values
            if (target.port() == barePort || target.port() > 0 && settings.selects(target.name())) {
                targets.add(target);
            }
        }
        int rounds = settings.rounds();
        long slice = TimeUnit.SECONDS.toNanos(settings.durationSeconds()) / rounds;
        out.printf(
                Locale.ROOT,
                "connections=%d warmup=%ds duration=%ds rounds=%d sigv4=%s cores=%d client=%s%n",
                settings.connections(),
                settings.warmupSeconds(),
                settings.durationSeconds(),
                rounds,
                settings.signEach() ? "signed per request" : "signed once, reused up to 4 min",
                Runtime.getRuntime().availableProcessors(),
                settings.wrkThreads() > 0 ? "wrk -t" + settings.wrkThreads() : "Vert.x in this JVM");
        // Warm-up: every target once, unrecorded, so no target (the baseline, measured first, least of all) pays for
        // the
        // JIT compiling the client and the servers.
        for (Target target : targets) {
            measure(target, TimeUnit.SECONDS.toNanos(settings.warmupSeconds()), 0);
        }
        // Then the targets take turns, `rounds` slices each: a load spike on this shared machine hits them all alike.
        List<List<Sample>> samples = new ArrayList<>();
        targets.forEach(t -> samples.add(new ArrayList<>()));
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < targets.size(); i++) {
                samples.get(i).add(measure(targets.get(i), WARM_CONNECTIONS_NANOS, slice));
            }
        }
        List<RouteResult> results = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            results.add(RouteResult.of(targets.get(i).name(), samples.get(i), slice * rounds));
        }
        print(results, out);
    }

    private static void print(List<RouteResult> results, PrintStream out) {
        String row = "%-38s %10s %10s %15s %10s %10s %8s %9s %11s%n";
        out.printf(
                Locale.ROOT,
                row,
                "target",
                "requests",
                "req/s",
                "rounds min-max",
                "p50 ms",
                "p99 ms",
                "errors",
                "vs bare*",
                "cpu µs/req**");
        double bare = results.get(0).perSecond();
        for (RouteResult result : results) {
            out.printf(
                    Locale.ROOT,
                    row,
                    result.name(),
                    result.requests(),
                    String.format(Locale.ROOT, "%.0f", result.perSecond()),
                    String.format(Locale.ROOT, "%.0f-%.0f", result.minRound(), result.maxRound()),
                    millis(result.p50Micros()),
                    millis(result.p99Micros()),
                    result.errors(),
                    String.format(Locale.ROOT, "%.1f%%", bare > 0 ? 100.0 * result.perSecond() / bare : 0.0),
                    result.cpuMicrosPerRequest() < 0
                            ? "-"
                            : String.format(Locale.ROOT, "%.1f", result.cpuMicrosPerRequest()));
        }
        out.printf(Locale.ROOT, "* relative to the bare server over the same rounds: %.0f req/s%n", bare);
        if (results.get(0).cpuMicrosPerRequest() >= 0) {
            out.printf(
                    Locale.ROOT,
                    "** this JVM's CPU time (the servers, their GC and JIT; wrk is another process) per request%n");
        }
        for (RouteResult result : results) {
            if (!result.firstError().isEmpty()) {
                out.printf(Locale.ROOT, "first error on %s: %s%n", result.name(), result.firstError());
            }
        }
    }

    private static String millis(long micros) {
        return String.format(Locale.ROOT, "%.2f", micros / 1000.0);
    }

    /** Drives {@code target} for {@code warmupNanos} unrecorded, then records {@code durationNanos}. */
    private Sample measure(Target target, long warmupNanos, long durationNanos)
            throws InterruptedException, IOException {
        if (settings.wrkThreads() > 0) {
            WrkRunner wrk = new WrkRunner(settings.connections(), settings.wrkThreads());
            long seconds = TimeUnit.NANOSECONDS.toSeconds(durationNanos > 0 ? durationNanos : warmupNanos);
            long cpuBefore = PROCESS.getProcessCpuTime();
            Sample sample = wrk.run(
                    HOST, target.port(), target.path().get(), target.headers().get(), seconds);
            long cpu = PROCESS.getProcessCpuTime() - cpuBefore;
            return new Sample(
                    sample.latencies(),
                    sample.requests(),
                    sample.perSecond(),
                    sample.errors(),
                    sample.firstError(),
                    sample.p50Micros(),
                    sample.p99Micros(),
                    cpu);
        }
        HttpClient client = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setDefaultHost(HOST).setDefaultPort(target.port()),
                new PoolOptions().setHttp1MaxSize(settings.connections()));
        long measureFrom = System.nanoTime() + warmupNanos;
        long measureUntil = measureFrom + durationNanos;
        CountDownLatch done = new CountDownLatch(settings.connections());
        List<Loop> loops = new ArrayList<>();
        for (int i = 0; i < settings.connections(); i++) {
            Loop loop = new Loop(client, target, measureFrom, measureUntil, done);
            loops.add(loop);
            loop.next();
        }
        long waitSeconds = TimeUnit.NANOSECONDS.toSeconds(warmupNanos + durationNanos) + 30L;
        if (!done.await(waitSeconds, TimeUnit.SECONDS)) {
            throw new IllegalStateException("requests to " + target.name() + " did not finish");
        }
        client.close();
        long errors = 0;
        String firstError = "";
        long[] all =
                new long[loops.stream().mapToInt(loop -> loop.recorded.count()).sum()];
        int at = 0;
        for (Loop loop : loops) {
            System.arraycopy(loop.recorded.latencies(), 0, all, at, loop.recorded.count());
            at += loop.recorded.count();
            errors += loop.recorded.errors();
            if (firstError.isEmpty()) {
                firstError = loop.recorded.firstError();
            }
        }
        return new Sample(
                all,
                all.length,
                durationNanos == 0 ? 0 : all.length * 1e9 / durationNanos,
                errors,
                firstError,
                -1,
                -1,
                -1);
    }

    /** One connection's worth of back-to-back requests; its fields are only touched by one request at a time. */
    private static final class Loop {
        private final HttpClient client;
        private final Target target;
        private final long measureFrom;
        private final long measureUntil;
        private final CountDownLatch done;
        private final Recorder recorded = new Recorder();

        Loop(HttpClient client, Target target, long measureFrom, long measureUntil, CountDownLatch done) {
            this.client = client;
            this.target = target;
            this.measureFrom = measureFrom;
            this.measureUntil = measureUntil;
            this.done = done;
        }

        void next() {
            long start = System.nanoTime();
            if (start >= measureUntil) {
                done.countDown();
                return;
            }
            RequestOptions options = new RequestOptions()
                    .setMethod(HttpMethod.GET)
                    .setURI(target.path().get())
                    .setHeaders(target.headers().get());
            client.request(options)
                    .compose(request -> request.send().compose(response -> response.body()
                            .map(body -> response.statusCode() == 200 ? "" : response.statusCode() + " " + body)))
                    .onComplete(outcome -> {
                        long end = System.nanoTime();
                        String error = outcome.succeeded() ? outcome.result() : String.valueOf(outcome.cause());
                        if (start >= measureFrom && end <= measureUntil) {
                            recorded.record((end - start) / 1000, error);
                        }
                        next();
                    });
        }
    }

    /** Signs a user up, confirms them as the admin, and signs in with USER_PASSWORD_AUTH; returns the id token. */
    private static String signIn(StackOutputs outputs) throws IOException {
        String endpoint = outputs.get("AwsEndpoint").orElseThrow();
        String poolId = outputs.get("UserPoolId").orElseThrow();
        String clientId = outputs.get("UserPoolClientId").orElseThrow();
        String password = "Bench-" + Long.toHexString(System.nanoTime()) + "!a1";
        try (CognitoIdentityProviderClient anonymous = userPools(endpoint, AnonymousCredentialsProvider.create());
                CognitoIdentityProviderClient admin = userPools(endpoint, adminCredentials(outputs))) {
            anonymous.signUp(r -> r.clientId(clientId).username(EMAIL).password(password));
            admin.adminConfirmSignUp(r -> r.userPoolId(poolId).username(EMAIL));
            return anonymous
                    .initiateAuth(r -> r.clientId(clientId)
                            .authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                            .authParameters(Map.of("USERNAME", EMAIL, "PASSWORD", password)))
                    .authenticationResult()
                    .idToken();
        }
    }

    private static Credentials identityCredentials(StackOutputs outputs, String idToken) {
        String poolId = outputs.get("UserPoolId").orElseThrow();
        try (CognitoIdentityClient identity = CognitoIdentityClient.builder()
                .endpointOverride(URI.create(outputs.get("AwsEndpoint").orElseThrow()))
                .region(Region.of(REGION))
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build()) {
            Map<String, String> logins = Map.of("cognito-idp." + REGION + ".amazonaws.com/" + poolId, idToken);
            String identityId = identity.getId(
                            r -> r.identityPoolId(outputs.get("IdentityPoolId").orElseThrow())
                                    .logins(logins))
                    .identityId();
            return identity.getCredentialsForIdentity(
                            r -> r.identityId(identityId).logins(logins))
                    .credentials();
        }
    }

    static AwsCredentialsProvider adminCredentials(StackOutputs outputs) throws IOException {
        String credentials =
                Files.readString(Path.of(outputs.get("AdminCredentialsFile").orElseThrow()), StandardCharsets.UTF_8);
        return ProfileCredentialsProvider.builder()
                .profileFile(ProfileFile.builder()
                        .content(credentials)
                        .type(ProfileFile.Type.CREDENTIALS)
                        .build())
                .profileName("default")
                .build();
    }

    static CognitoIdentityProviderClient userPools(String endpoint, AwsCredentialsProvider credentials) {
        return CognitoIdentityProviderClient.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.of(REGION))
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    /** Deletes {@code dir} and everything under it. */
    public static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
