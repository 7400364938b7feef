package dev.gatehouse.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.DoubleStream;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ExplicitAuthFlowsType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.MessageActionType;

/**
 * {@code JarBench getuser}: GetUser throughput with an access token, as a Cognito client sends it (a raw
 * {@code POST /} with {@code X-Amz-Target: AWSCognitoIdentityProviderService.GetUser} and {@code {"AccessToken":…}}),
 * from {@code --connections} keep-alive connections with one request in flight each (Vert.x's non-blocking client),
 * against the packaged Gatehouse jar, cognito-local ({@code --cognito-local DIR}) and another build of the jar
 * ({@code --baseline JAR}), all started side by side as child processes. Each server gets a user with a permanent
 * password, signed in with USER_PASSWORD_AUTH through the AWS SDK; every target is then driven {@code --warmup}
 * seconds unrecorded, and the servers take turns, {@code --rounds} slices of {@code --seconds} each (each slice starts
 * with 300 ms unrecorded on fresh connections), so a burst of other load falls on all alike. An answer counts only when
 * it is a 200 whose body names the signed-in user; anything else is an error, never speed.
 */
final class GetUserBench {

    private static final String TARGET = "AWSCognitoIdentityProviderService.GetUser";
    private static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    private static final String USERNAME = "getuser-bench@bench.example";
    private static final String PASSWORD = "Bench-Passw0rd!";
    private static final long WARM_CONNECTIONS_NANOS = TimeUnit.MILLISECONDS.toNanos(300);

    /** One server to drive: where, and the token and username its answers must show. */
    record Target(String name, ServerUnderTest server, String accessToken, String username) {}

    /** What one target measured in one slice. */
    record Slice(long[] latencies, double perSecond, long errors, String firstError, double cpuMicrosPerRequest) {}

    private GetUserBench() {}

    static void run(
            Path jar,
            List<String> jvm,
            @Nullable Path baseline,
            @Nullable Path cognitoLocal,
            int connections,
            int warmupSeconds,
            int sliceSeconds,
            int rounds)
            throws Exception {
        List<ServerUnderTest> started = new ArrayList<>();
        Vertx vertx = Vertx.vertx();
        try {
            List<Target> targets = new ArrayList<>();
            targets.add(gatehouse("gatehouse", jar, jvm, started));
            if (baseline != null) {
                targets.add(gatehouse("baseline jar", baseline, jvm, started));
            }
            if (cognitoLocal != null) {
                ServerUnderTest server = ServerUnderTest.cognitoLocal(cognitoLocal);
                started.add(server);
                targets.add(signInCognitoLocal(server));
            }
            drive(vertx, targets, connections, warmupSeconds, sliceSeconds, rounds, System.out);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            for (ServerUnderTest server : started) {
                server.close();
            }
        }
    }

    private static Target gatehouse(String name, Path jar, List<String> jvm, List<ServerUnderTest> started)
            throws IOException {
        ServerUnderTest server = ServerUnderTest.gatehouse(jar, jvm);
        started.add(server);
        String poolId = server.output("UserPoolId");
        String username;
        try (CognitoIdentityProviderClient admin = JarBench.client(server, JarBench.admin(server))) {
            username = createUser(admin, poolId);
        }
        return new Target(name, server, JarBench.signIn(server, USERNAME), username);
    }

    /** Creates the user with a permanent password; returns its username (the sub where the email is an alias). */
    private static String createUser(CognitoIdentityProviderClient admin, String poolId) {
        String username = admin.adminCreateUser(r -> r.userPoolId(poolId)
                        .username(USERNAME)
                        .temporaryPassword(PASSWORD)
                        .messageAction(MessageActionType.SUPPRESS))
                .user()
                .username();
        admin.adminSetUserPassword(
                r -> r.userPoolId(poolId).username(username).password(PASSWORD).permanent(true));
        return username;
    }

    /** A pool, a client allowing USER_PASSWORD_AUTH and a user on cognito-local, signed in. */
    private static Target signInCognitoLocal(ServerUnderTest server) {
        // cognito-local checks no signature; the SDK still wants credentials to sign with
        StaticCredentialsProvider local =
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        try (CognitoIdentityProviderClient admin = JarBench.client(server, local)) {
            String poolId =
                    admin.createUserPool(r -> r.poolName("bench")).userPool().id();
            String clientId = admin.createUserPoolClient(r -> r.userPoolId(poolId)
                            .clientName("bench")
                            .explicitAuthFlows(ExplicitAuthFlowsType.ALLOW_USER_PASSWORD_AUTH))
                    .userPoolClient()
                    .clientId();
            String username = createUser(admin, poolId);
            String token = admin.initiateAuth(r -> r.clientId(clientId)
                            .authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                            .authParameters(Map.of("USERNAME", USERNAME, "PASSWORD", PASSWORD)))
                    .authenticationResult()
                    .accessToken();
            return new Target("cognito-local", server, token, username);
        }
    }

    private static void drive(
            Vertx vertx,
            List<Target> targets,
            int connections,
            int warmupSeconds,
            int sliceSeconds,
            int rounds,
            PrintStream out)
            throws InterruptedException {
        out.printf(
                Locale.ROOT,
                "GetUser: connections=%d warmup=%ds slice=%ds rounds=%d cores=%d%n",
                connections,
                warmupSeconds,
                sliceSeconds,
                rounds,
                Runtime.getRuntime().availableProcessors());
        for (Target target : targets) {
            measure(vertx, target, connections, TimeUnit.SECONDS.toNanos(warmupSeconds), 0);
        }
        List<List<Slice>> slices = new ArrayList<>();
        targets.forEach(t -> slices.add(new ArrayList<>()));
        long slice = TimeUnit.SECONDS.toNanos(sliceSeconds);
        for (int round = 1; round <= rounds; round++) {
            StringBuilder line = new StringBuilder("round " + round + ":");
            for (int i = 0; i < targets.size(); i++) {
                Slice measured = measure(vertx, targets.get(i), connections, WARM_CONNECTIONS_NANOS, slice);
                slices.get(i).add(measured);
                line.append(String.format(
                        Locale.ROOT,
                        "  %s %.0f/s (%d errors, %.1f µs cpu/req)",
                        targets.get(i).name(),
                        measured.perSecond(),
                        measured.errors(),
                        measured.cpuMicrosPerRequest()));
            }
            out.println(line);
        }
        print(targets, slices, out);
    }

    private static void print(List<Target> targets, List<List<Slice>> slices, PrintStream out) {
        String row = "%-14s %10s %10s %15s %8s %8s %8s %12s%n";
        out.printf(
                Locale.ROOT,
                row,
                "server",
                "requests",
                "req/s",
                "rounds min-max",
                "p50 ms",
                "p99 ms",
                "errors",
                "cpu µs/req*");
        double[] rates = new double[targets.size()];
        for (int i = 0; i < targets.size(); i++) {
            List<Slice> own = slices.get(i);
            long[] all = own.stream()
                    .flatMapToLong(s -> Arrays.stream(s.latencies()))
                    .toArray();
            Percentiles percentiles = new Percentiles(all);
            rates[i] = own.stream().mapToDouble(Slice::perSecond).average().orElse(0);
            out.printf(
                    Locale.ROOT,
                    row,
                    targets.get(i).name(),
                    all.length,
                    String.format(Locale.ROOT, "%.0f", rates[i]),
                    String.format(
                            Locale.ROOT,
                            "%.0f-%.0f",
                            own.stream().mapToDouble(Slice::perSecond).min().orElse(0),
                            own.stream().mapToDouble(Slice::perSecond).max().orElse(0)),
                    String.format(Locale.ROOT, "%.2f", percentiles.at(50) / 1000.0),
                    String.format(Locale.ROOT, "%.2f", percentiles.at(99) / 1000.0),
                    own.stream().mapToLong(Slice::errors).sum(),
                    String.format(Locale.ROOT, "%.1f", median(own.stream().mapToDouble(Slice::cpuMicrosPerRequest))));
            own.stream()
                    .map(Slice::firstError)
                    .filter(e -> !e.isEmpty())
                    .findFirst()
                    .ifPresent(e -> out.println("  first error: " + e));
        }
        out.println("* the server's CPU time (process and its children) per answered request, median of the rounds");
        printRatios(targets, slices, rates, out);
    }

    private static double median(DoubleStream values) {
        double[] sorted = values.sorted().toArray();
        if (sorted.length == 0) {
            return 0;
        }
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** The CPU time so far of {@code pid} and its descendants (a launcher's child), in nanoseconds. */
    private static long cpuNanos(long pid) {
        return ProcessHandle.of(pid)
                .map(process -> Stream.concat(Stream.of(process), process.descendants())
                        .mapToLong(p -> p.info()
                                .totalCpuDuration()
                                .map(Duration::toNanos)
                                .orElse(0L))
                        .sum())
                .orElse(0L);
    }

    /** Gatehouse over each other target: over the whole run and per round (same round, so same machine load). */
    private static void printRatios(List<Target> targets, List<List<Slice>> slices, double[] rates, PrintStream out) {
        for (int i = 1; i < targets.size(); i++) {
            double min = Double.MAX_VALUE;
            double max = 0;
            double[] cpu = new double[slices.get(0).size()];
            for (int round = 0; round < slices.get(0).size(); round++) {
                Slice own = slices.get(0).get(round);
                Slice theirs = slices.get(i).get(round);
                double ratio = theirs.perSecond() > 0 ? own.perSecond() / theirs.perSecond() : 0;
                min = Math.min(min, ratio);
                max = Math.max(max, ratio);
                cpu[round] =
                        theirs.cpuMicrosPerRequest() > 0 ? own.cpuMicrosPerRequest() / theirs.cpuMicrosPerRequest() : 0;
            }
            Arrays.sort(cpu);
            out.printf(
                    Locale.ROOT,
                    "%s / %s: %.2f (per round %.2f-%.2f); cpu per request %.2f (per round %.2f-%.2f)%n",
                    targets.get(0).name(),
                    targets.get(i).name(),
                    rates[i] > 0 ? rates[0] / rates[i] : 0,
                    min,
                    max,
                    median(Arrays.stream(cpu)),
                    cpu[0],
                    cpu[cpu.length - 1]);
        }
    }

    /** Drives {@code target} for {@code warmupNanos} unrecorded, then records {@code durationNanos}. */
    private static Slice measure(Vertx vertx, Target target, int connections, long warmupNanos, long durationNanos)
            throws InterruptedException {
        URI endpoint = URI.create(target.server().output("AwsEndpoint"));
        HttpClient client = vertx.createHttpClient(
                new HttpClientOptions()
                        .setKeepAlive(true)
                        .setDefaultHost(endpoint.getHost())
                        .setDefaultPort(endpoint.getPort()),
                new PoolOptions().setHttp1MaxSize(connections));
        Buffer body = Buffer.buffer("{\"AccessToken\":\"" + target.accessToken() + "\"}");
        String expected = "\"Username\":\"" + target.username() + "\"";
        long from = System.nanoTime() + warmupNanos;
        long until = from + durationNanos;
        CountDownLatch done = new CountDownLatch(connections);
        List<Recorder> recorders = new ArrayList<>();
        AtomicLong answered = new AtomicLong();
        long cpuBefore = cpuNanos(target.server().pid());
        for (int i = 0; i < connections; i++) {
            Recorder recorder = new Recorder();
            recorders.add(recorder);
            next(client, body, expected, from, until, recorder, done, answered);
        }
        if (!done.await(TimeUnit.NANOSECONDS.toSeconds(warmupNanos + durationNanos) + 30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("GetUser requests to " + target.name() + " did not finish");
        }
        long cpu = cpuNanos(target.server().pid()) - cpuBefore;
        client.close();
        long[] all = recorders.stream()
                .flatMapToLong(r -> Arrays.stream(r.latencies()))
                .toArray();
        long errors = recorders.stream().mapToLong(Recorder::errors).sum();
        String firstError = recorders.stream()
                .map(Recorder::firstError)
                .filter(e -> !e.isEmpty())
                .findFirst()
                .orElse("");
        return new Slice(
                all,
                durationNanos == 0 ? 0 : all.length * 1e9 / durationNanos,
                errors,
                firstError,
                answered.get() == 0 ? 0 : cpu / 1000.0 / answered.get());
    }

    /** One connection's next request; on its answer, the one after, until {@code until}. */
    private static void next(
            HttpClient client,
            Buffer body,
            String expected,
            long from,
            long until,
            Recorder recorder,
            CountDownLatch done,
            AtomicLong answered) {
        long start = System.nanoTime();
        if (start >= until) {
            done.countDown();
            return;
        }
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setURI("/")
                .putHeader("X-Amz-Target", TARGET)
                .putHeader("Content-Type", CONTENT_TYPE);
        client.request(options)
                .compose(request -> request.send(body).compose(response -> response.body()
                        .map(answer -> check(response.statusCode(), answer, expected))))
                .onComplete(outcome -> {
                    long end = System.nanoTime();
                    answered.incrementAndGet();
                    if (start >= from && end <= until) {
                        recorder.record(
                                (end - start) / 1000,
                                outcome.succeeded() ? outcome.result() : String.valueOf(outcome.cause()));
                    }
                    next(client, body, expected, from, until, recorder, done, answered);
                });
    }

    /** Empty for a 200 that names the user; otherwise what came back. */
    private static String check(int status, Buffer answer, String expected) {
        String text = answer.toString(StandardCharsets.UTF_8);
        if (status == 200 && text.contains(expected)) {
            return "";
        }
        return status + " " + (text.length() > 200 ? text.substring(0, 200) : text);
    }
}
