package dev.gatehouse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.server.StackOutputs;
import dev.gatehouse.store.testing.Loopback;
import dev.gatehouse.store.testing.PostgresServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;

/**
 * Requests/s through HAProxy (round-robin) before 1, 2 and 3 Gatehouse nodes (jar processes) on one PostgreSQL, in one
 * run: a token-authorized read ({@code GetUser} with an access token) and a sign-in ({@code InitiateAuth},
 * USER_PASSWORD_AUTH). PostgreSQL (Debian's binaries, {@link PostgresServer}) and HAProxy (Debian's {@code haproxy})
 * are started here on free loopback ports and stopped by their pids; so are the nodes.
 *
 * <p>Besides requests/s and p50/p99 latency, each phase reports the CPU time the server side spent per request: the
 * three nodes, HAProxy and PostgreSQL's processes (postmaster and its backends), from their cumulative CPU times before
 * and after. On a machine whose cores the client and every server share, that cost per request, not the rate, is the
 * figure to compare between 1, 2 and 3 nodes: it should stay flat.
 *
 * <p>{@code java -cp bench/target/gatehouse-bench.jar dev.gatehouse.bench.BalancedBench [--jar
 * server/target/gatehouse.jar] [--threads 8] [--warmup 3] [--duration 15]}.
 */
public final class BalancedBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TARGET = "AWSCognitoIdentityProviderService.";
    private static final String EMAIL = "balanced-bench@example.com";
    private static final String PASSWORD = "Bench-balanced-1!a";
    private static final int NODES = 3;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private BalancedBench() {}

    record Settings(Path jar, int threads, int warmupSeconds, int durationSeconds) {

        static Settings parse(String... args) {
            Path jar = Path.of("server/target/gatehouse.jar");
            int threads = 8;
            int warmup = 3;
            int duration = 15;
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : "";
                switch (args[i]) {
                    case "--jar" -> jar = Path.of(value);
                    case "--threads" -> threads = bounded(value, 1, 64);
                    case "--warmup" -> warmup = bounded(value, 0, 60);
                    case "--duration" -> duration = bounded(value, 1, 120);
                    default -> throw new IllegalArgumentException("unknown flag " + args[i]);
                }
                i++;
            }
            if (!Files.isRegularFile(jar)) {
                throw new IllegalArgumentException(jar + " is missing: mvn -B -q -pl bench -am package -DskipTests");
            }
            return new Settings(jar, threads, warmup, duration);
        }

        private static int bounded(String value, int min, int max) {
            int parsed = Integer.parseInt(value);
            if (parsed < min || parsed > max) {
                throw new IllegalArgumentException(value + " is not in " + min + ".." + max);
            }
            return parsed;
        }
    }

    /** One workload through the balancer before {@code nodes} nodes. */
    record Phase(
            int nodes,
            String workload,
            long requests,
            double perSecond,
            long p50Micros,
            long p99Micros,
            long errors,
            String firstError,
            double serverCpuMillisPerRequest) {}

    public static void main(String[] args) throws Exception {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "logback-bench.xml");
        }
        Settings settings = Settings.parse(args);
        String loadBefore = loadAverage();
        Path dir = Files.createTempDirectory("gatehouse-balanced-bench");
        List<Process> nodes = new ArrayList<>();
        try (PostgresServer postgres = PostgresServer.start()) {
            String url = postgres.createDatabase("bench");
            List<StackOutputs> outputs = new ArrayList<>();
            for (int i = 1; i <= NODES; i++) {
                Path nodeDir = dir.resolve("node" + i);
                Files.createDirectories(nodeDir);
                nodes.add(startNode(settings.jar(), nodeDir, url));
                outputs.add(awaitOutputs(nodes.get(i - 1), nodeDir.resolve("outputs.json")));
            }
            List<Phase> phases = run(settings, outputs, nodes, postgres.pid(), dir);
            print(phases, settings, loadBefore, System.out);
        } finally {
            for (Process node : nodes) {
                stop(node);
            }
            LoadDriver.deleteTree(dir);
        }
    }

    private static List<Phase> run(
            Settings settings, List<StackOutputs> outputs, List<Process> nodes, long postgresPid, Path dir)
            throws Exception {
        StackOutputs first = outputs.get(0);
        String clientId = first.get("UserPoolClientId").orElseThrow();
        createUser(first);
        String signIn = initiateAuthBody(clientId);
        warmUp(settings, outputs, signIn);
        List<Phase> phases = new ArrayList<>();
        for (int count = 1; count <= NODES; count++) {
            List<URI> backends = outputs.subList(0, count).stream()
                    .map(o -> URI.create(o.get("AwsEndpoint").orElseThrow()))
                    .toList();
            Process haproxy = startBalancer(backends, dir.resolve("haproxy-" + count));
            try {
                URI balancer = URI.create("http://127.0.0.1:" + balancerPort(dir.resolve("haproxy-" + count)));
                awaitBalanced(balancer, count);
                String accessToken = accessToken(balancer, signIn);
                String getUser =
                        JSON.createObjectNode().put("AccessToken", accessToken).toString();
                List<ProcessHandle> servers = servers(nodes, haproxy, postgresPid);
                phases.add(drive(settings, balancer, count, "GetUser (access token)", "GetUser", getUser, servers));
                phases.add(
                        drive(settings, balancer, count, "InitiateAuth (password)", "InitiateAuth", signIn, servers));
            } finally {
                stop(haproxy);
            }
        }
        return phases;
    }

    /**
     * Drives both workloads at every node directly for the warm-up time, unrecorded, so that no phase pays for a
     * node's JIT compilation (nodes 2 and 3 would otherwise warm up inside the phases that add them).
     */
    private static void warmUp(Settings settings, List<StackOutputs> outputs, String signIn) throws Exception {
        Settings quick = new Settings(settings.jar(), settings.threads(), 0, Math.max(1, settings.warmupSeconds()));
        for (StackOutputs node : outputs) {
            URI endpoint = URI.create(node.get("AwsEndpoint").orElseThrow());
            String getUser = JSON.createObjectNode()
                    .put("AccessToken", accessToken(endpoint, signIn))
                    .toString();
            drive(quick, endpoint, 0, "warm-up", "GetUser", getUser, List.of());
            drive(quick, endpoint, 0, "warm-up", "InitiateAuth", signIn, List.of());
        }
    }

    /** Warms up, then drives {@code operation} from every thread for the duration, one request in flight each. */
    private static Phase drive(
            Settings settings,
            URI balancer,
            int nodes,
            String workload,
            String operation,
            String body,
            List<ProcessHandle> servers)
            throws Exception {
        long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.warmupSeconds());
        long end = warmupEnd + TimeUnit.SECONDS.toNanos(settings.durationSeconds());
        ExecutorService threads = Executors.newFixedThreadPool(settings.threads());
        List<Future<Worker>> running = new ArrayList<>();
        for (int i = 0; i < settings.threads(); i++) {
            Worker worker = new Worker(balancer, operation, body, warmupEnd, end);
            running.add(threads.submit(() -> worker.run()));
        }
        while (System.nanoTime() < warmupEnd) {
            Thread.sleep(10);
        }
        long cpuBefore = cpuNanos(servers);
        long measuredFrom = System.nanoTime();
        List<Worker> done = new ArrayList<>();
        for (Future<Worker> worker : running) {
            done.add(worker.get(settings.durationSeconds() + settings.warmupSeconds() + 60L, TimeUnit.SECONDS));
        }
        long measuredNanos = System.nanoTime() - measuredFrom;
        long cpuAfter = cpuNanos(servers);
        threads.shutdown();
        long[] latencies = done.stream()
                .flatMapToLong(w -> Arrays.stream(w.recorded.latencies()))
                .toArray();
        long errors = done.stream().mapToLong(w -> w.recorded.errors()).sum();
        String firstError = done.stream()
                .map(w -> w.recorded.firstError())
                .filter(e -> !e.isEmpty())
                .findFirst()
                .orElse("");
        Percentiles percentiles = new Percentiles(latencies);
        long requests = latencies.length + errors;
        return new Phase(
                nodes,
                workload,
                latencies.length,
                latencies.length * 1e9 / measuredNanos,
                percentiles.at(50),
                percentiles.at(99),
                errors,
                firstError,
                requests == 0 ? 0 : (cpuAfter - cpuBefore) / 1e6 / requests);
    }

    /** One thread's back-to-back requests on its own keep-alive connection. */
    private static final class Worker {
        private final HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        private final HttpRequest request;
        private final long measureFrom;
        private final long measureUntil;
        private final Recorder recorded = new Recorder();

        Worker(URI balancer, String operation, String body, long measureFrom, long measureUntil) {
            this.request = HttpRequest.newBuilder(balancer.resolve("/"))
                    .header("X-Amz-Target", TARGET + operation)
                    .header("Content-Type", "application/x-amz-json-1.1")
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            this.measureFrom = measureFrom;
            this.measureUntil = measureUntil;
        }

        Worker run() throws InterruptedException {
            while (true) {
                long start = System.nanoTime();
                if (start >= measureUntil) {
                    return this;
                }
                String error;
                try {
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    error = response.statusCode() == 200 ? "" : response.statusCode() + " " + response.body();
                } catch (IOException e) {
                    error = e.toString();
                }
                long finished = System.nanoTime();
                if (start >= measureFrom && finished <= measureUntil) {
                    recorded.record((finished - start) / 1000, error);
                }
            }
        }
    }

    private static void print(List<Phase> phases, Settings settings, String loadBefore, PrintStream out)
            throws IOException {
        out.printf(
                Locale.ROOT,
                "%d client threads, %d s warm-up, %d s measured per phase; load average before: %s%n",
                settings.threads(),
                settings.warmupSeconds(),
                settings.durationSeconds(),
                loadBefore);
        String row = "%-6s %-25s %10s %9s %8s %8s %7s %16s%n";
        out.printf(
                Locale.ROOT,
                row,
                "nodes",
                "workload",
                "requests",
                "req/s",
                "p50 ms",
                "p99 ms",
                "errors",
                "server CPU ms/req");
        for (Phase phase : phases) {
            out.printf(
                    Locale.ROOT,
                    row,
                    phase.nodes(),
                    phase.workload(),
                    phase.requests(),
                    String.format(Locale.ROOT, "%.0f", phase.perSecond()),
                    String.format(Locale.ROOT, "%.2f", phase.p50Micros() / 1000.0),
                    String.format(Locale.ROOT, "%.2f", phase.p99Micros() / 1000.0),
                    phase.errors(),
                    String.format(Locale.ROOT, "%.2f", phase.serverCpuMillisPerRequest()));
        }
        for (Phase phase : phases) {
            if (!phase.firstError().isEmpty()) {
                out.printf(
                        Locale.ROOT,
                        "first error, %d nodes, %s: %s%n",
                        phase.nodes(),
                        phase.workload(),
                        phase.firstError());
            }
        }
        out.printf(Locale.ROOT, "load average after: %s%n", loadAverage());
    }

    private static String loadAverage() throws IOException {
        Path loadavg = Path.of("/proc/loadavg");
        if (!Files.isReadable(loadavg)) {
            return "?";
        }
        String[] fields = Files.readString(loadavg).trim().split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }

    /** The node processes, HAProxy, and PostgreSQL's postmaster with its backends. */
    private static List<ProcessHandle> servers(List<Process> nodes, Process haproxy, long postgresPid) {
        List<ProcessHandle> servers = new ArrayList<>();
        nodes.forEach(node -> servers.add(node.toHandle()));
        servers.add(haproxy.toHandle());
        ProcessHandle.of(postgresPid).ifPresent(postmaster -> {
            servers.add(postmaster);
            postmaster.descendants().forEach(servers::add);
        });
        return servers;
    }

    private static long cpuNanos(List<ProcessHandle> processes) {
        long total = 0;
        for (ProcessHandle process : processes) {
            total += process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
        }
        return total;
    }

    private static Process startNode(Path jar, Path nodeDir, String postgresUrl) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx512m",
                        "-jar",
                        jar.toAbsolutePath().toString(),
                        "--data-dir",
                        nodeDir.resolve("data").toString(),
                        "--aws-port",
                        "0",
                        "--outputs-file",
                        nodeDir.resolve("outputs.json").toString(),
                        "--store",
                        "postgres",
                        "--postgres-url",
                        postgresUrl,
                        "--postgres-user",
                        PostgresServer.USER,
                        "--issuer-style",
                        "aws"))
                .directory(nodeDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(nodeDir.resolve("node.log").toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("GATEHOUSE_"));
        builder.environment().put("GATEHOUSE_POSTGRES_PASSWORD", PostgresServer.PASSWORD);
        return builder.start();
    }

    private static StackOutputs awaitOutputs(Process node, Path file) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Files.isRegularFile(file) || Files.size(file) == 0) {
            if (!node.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("a node did not start; see " + file.resolveSibling("node.log"));
            }
            Loopback.pause(100);
        }
        Loopback.pause(100);
        JsonNode read = JSON.readTree(file.toFile());
        Map<String, String> values = new LinkedHashMap<>();
        read.fields()
                .forEachRemaining(
                        field -> values.put(field.getKey(), field.getValue().asText()));
        return StackOutputs.of(values);
    }

    /** The bench user, created through node 1 with a permanent password. */
    private static void createUser(StackOutputs outputs) throws IOException {
        String poolId = outputs.get("UserPoolId").orElseThrow();
        String endpoint = outputs.get("AwsEndpoint").orElseThrow();
        try (CognitoIdentityProviderClient anonymous =
                        LoadDriver.userPools(endpoint, AnonymousCredentialsProvider.create());
                CognitoIdentityProviderClient admin =
                        LoadDriver.userPools(endpoint, LoadDriver.adminCredentials(outputs))) {
            String clientId = outputs.get("UserPoolClientId").orElseThrow();
            anonymous.signUp(r -> r.clientId(clientId).username(EMAIL).password(PASSWORD));
            admin.adminConfirmSignUp(r -> r.userPoolId(poolId).username(EMAIL));
        }
    }

    private static String initiateAuthBody(String clientId) {
        ObjectNode body =
                JSON.createObjectNode().put("AuthFlow", "USER_PASSWORD_AUTH").put("ClientId", clientId);
        body.putObject("AuthParameters").put("USERNAME", EMAIL).put("PASSWORD", PASSWORD);
        return body.toString();
    }

    private static String accessToken(URI balancer, String signIn) throws Exception {
        HttpResponse<String> response = post(balancer, "InitiateAuth", signIn);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("sign-in failed: " + response.body());
        }
        return JSON.readTree(response.body())
                .path("AuthenticationResult")
                .path("AccessToken")
                .asText();
    }

    private static HttpResponse<String> post(URI endpoint, String operation, String body) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(endpoint.resolve("/"))
                                .header("X-Amz-Target", TARGET + operation)
                                .header("Content-Type", "application/x-amz-json-1.1")
                                .timeout(Duration.ofSeconds(30))
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    /** HAProxy round-robin before {@code backends}, health-checked as docs/deploy.md shows. */
    private static Process startBalancer(List<URI> backends, Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        int port = Loopback.freePort();
        Files.writeString(dir.resolve("port"), Integer.toString(port));
        StringBuilder config = new StringBuilder(String.format(
                Locale.ROOT,
                "global%n  maxconn 512%n%ndefaults%n  mode http%n  timeout connect 2s%n  timeout client 30s%n"
                        + "  timeout server 30s%n  option redispatch%n  retries 2%n%nfrontend bench%n"
                        + "  bind 127.0.0.1:%d%n  default_backend nodes%n%nbackend nodes%n  balance roundrobin%n"
                        + "  option httpchk GET /_gatehouse/health%n  http-check expect status 200%n"
                        + "  timeout check 3s%n  default-server inter 1s fall 2 rise 1%n"
                        + "  http-response set-header x-gatehouse-node %%[srv_name]%n",
                port));
        for (int i = 0; i < backends.size(); i++) {
            config.append(String.format(
                    Locale.ROOT,
                    "  server node%d %s:%d check%n",
                    i + 1,
                    backends.get(i).getHost(),
                    backends.get(i).getPort()));
        }
        Path file = dir.resolve("haproxy.cfg");
        Files.writeString(file, config);
        String binary = Stream.of("/usr/sbin/haproxy", "/usr/bin/haproxy")
                .filter(candidate -> Files.isExecutable(Path.of(candidate)))
                .findFirst()
                .orElse("haproxy");
        Process process = new ProcessBuilder(binary, "-db", "-f", file.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("haproxy.log").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Loopback.accepts(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                stop(process);
                throw new IllegalStateException(
                        "haproxy did not start: " + Files.readString(dir.resolve("haproxy.log")));
            }
            Loopback.pause(50);
        }
        return process;
    }

    private static int balancerPort(Path dir) throws IOException {
        return Integer.parseInt(Files.readString(dir.resolve("port")).trim());
    }

    /** Waits until health checks through the balancer have been answered by {@code count} distinct nodes. */
    private static void awaitBalanced(URI balancer, int count) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        java.util.Set<String> seen = new java.util.HashSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (seen.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the balancer saw only " + seen + " up");
            }
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(balancer.resolve("/_gatehouse/health"))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                response.headers().firstValue("x-gatehouse-node").ifPresent(seen::add);
            } else {
                Loopback.pause(100);
            }
        }
    }

    /** SIGTERM, then SIGKILL if it has not gone within 20 s. */
    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
