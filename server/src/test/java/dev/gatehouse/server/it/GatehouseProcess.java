package dev.gatehouse.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentity.CognitoIdentityClient;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The real server, {@code java -jar server/target/gatehouse.jar}, as a child process with its own data directory,
 * {@code --aws-port 0} and an outputs file. Use it as a class-level extension ({@code @RegisterExtension static}) for
 * one server per test class, or directly with try-with-resources.
 *
 * <p>{@link #stop()} sends SIGTERM ({@link Process#destroy()}), {@link #kill()} SIGKILL
 * ({@link Process#destroyForcibly()}); {@link #start()} again restarts on the same data directory (on a new port, so
 * take clients from {@link #client()} / {@link #adminClient()} after a restart, not before).
 */
final class GatehouseProcess implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Path workDir;
    private final Path dataDir;
    private final Path outputsFile;
    private final Path logFile;
    private final List<String> extraArgs;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private @Nullable Process process;
    private @Nullable StackOutputs outputs;
    private final List<CognitoIdentityProviderClient> clients = new ArrayList<>();
    private @Nullable CognitoIdentityProviderClient publicClient;
    private @Nullable CognitoIdentityProviderClient adminClient;

    private GatehouseProcess(String name, List<String> extraArgs) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("HHmmss", Locale.ROOT));
        this.workDir = itRoot().resolve(
                        name + "-" + stamp + "-" + UUID.randomUUID().toString().substring(0, 6));
        this.dataDir = workDir.resolve("data");
        this.outputsFile = workDir.resolve("outputs.json");
        this.logFile = workDir.resolve("server.log");
        this.extraArgs = List.copyOf(extraArgs);
    }

    /** A server (not yet started) whose files live under {@code target/it/<name>-…}; extra flags are appended. */
    static GatehouseProcess create(String name, String... extraArgs) {
        return new GatehouseProcess(name, List.of(extraArgs));
    }

    /** Sets an environment variable of the process (from the next {@link #start()} on); returns this. */
    GatehouseProcess withEnvironment(String name, String value) {
        environment.put(name, value);
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** Starts the jar on a free port and waits (at most {@link #START_TIMEOUT}) until it has written the outputs file. */
    void start() {
        start(0);
    }

    /**
     * Starts the jar with {@code --aws-port port} (0: a free one) and waits until it has written the outputs file.
     * Restarting on the previous port keeps the issuer (a URL with the port in it) and so the tokens issued before.
     */
    void start(int port) {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        Path jar = jar();
        try {
            Files.createDirectories(workDir);
            Files.deleteIfExists(outputsFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of(
                javaExecutable(),
                "-Xmx512m",
                "-jar",
                jar.toString(),
                "--data-dir",
                dataDir.toString(),
                "--aws-port",
                Integer.toString(port),
                "--outputs-file",
                outputsFile.toString()));
        command.addAll(extraArgs);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        // flags may also come from GATEHOUSE_* variables: make sure the caller's environment does not change the test
        builder.environment().keySet().removeIf(k -> k.startsWith("GATEHOUSE_"));
        // the jar's class-data archive (made by the first server, mapped by the others) under target/, not ~/.cache
        builder.environment().put("XDG_CACHE_HOME", itRoot().resolve("cache").toString());
        builder.environment().putAll(environment);
        Process started;
        try {
            started = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + command, e);
        }
        process = started;
        outputs = awaitOutputs(started);
    }

    private StackOutputs awaitOutputs(Process started) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            Optional<StackOutputs> read = StackOutputs.read(outputsFile);
            if (read.isPresent()) {
                return read.get();
            }
            if (!started.isAlive()) {
                throw new AssertionError("server exited with " + started.exitValue() + " before writing " + outputsFile
                        + "\n" + logTail());
            }
            if (System.nanoTime() > deadline) {
                started.destroyForcibly();
                throw new AssertionError(
                        "server did not write " + outputsFile + " within " + START_TIMEOUT + "\n" + logTail());
            }
            sleep(50);
        }
    }

    /** Sends SIGTERM and waits for the process to exit; returns its exit code. Fails if it does not exit in time. */
    int stop() {
        Process p = running();
        closeClients();
        p.destroy();
        try {
            if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("server did not exit within " + STOP_TIMEOUT + " of SIGTERM\n" + logTail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return p.exitValue();
    }

    /** Kills the process (SIGKILL) and waits for it to be gone. */
    void kill() {
        Process p = running();
        p.destroyForcibly();
        try {
            if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("server still alive " + STOP_TIMEOUT + " after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        closeClients();
    }

    /** SIGTERM, then start again on the same data directory and port. */
    void restart() {
        int port = endpoint().getPort();
        stop();
        start(port);
    }

    /** The server's process id (the jar replaces its JVM in the same process: this stays the server's). */
    long pid() {
        return Objects.requireNonNull(process, "server not started").pid();
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    @Override
    public void close() {
        closeClients();
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroy();
            try {
                if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    StackOutputs outputs() {
        return Objects.requireNonNull(outputs, "server not started");
    }

    /** A field of the outputs file beyond the ones {@link StackOutputs} models (e.g. {@code ApiEndpoint}). */
    String output(String name) {
        try {
            JsonNode value = new ObjectMapper().readTree(outputsFile.toFile()).path(name);
            if (!value.isTextual()) {
                throw new AssertionError("no " + name + " in " + outputsFile);
            }
            return value.asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path dataDir() {
        return dataDir;
    }

    Outbox outbox() {
        return new Outbox(dataDir.resolve("outbox.jsonl"));
    }

    AdminCredentials adminCredentials() {
        return AdminCredentials.read(outputs().adminCredentialsFile());
    }

    URI endpoint() {
        return outputs().awsEndpoint();
    }

    /** An unsigned client (anonymous credentials), as browser and mobile apps use for the public operations. */
    synchronized CognitoIdentityProviderClient client() {
        if (publicClient == null) {
            publicClient = newClient(Region.of(outputs().region()), AnonymousCredentialsProvider.create());
        }
        return publicClient;
    }

    /** A client signing with the admin credentials, read from the shared-credentials file the outputs name. */
    synchronized CognitoIdentityProviderClient adminClient() {
        if (adminClient == null) {
            adminClient = newClient(Region.of(outputs().region()), adminCredentialsProvider());
        }
        return adminClient;
    }

    /** The admin credentials for the SDK, read from the shared-credentials file the outputs name. */
    AwsCredentialsProvider adminCredentialsProvider() {
        ProfileFile file = ProfileFile.builder()
                .content(outputs().adminCredentialsFile())
                .type(ProfileFile.Type.CREDENTIALS)
                .build();
        return ProfileCredentialsProvider.builder()
                .profileFile(file)
                .profileName("default")
                .build();
    }

    /** A client signing with the given key pair (which need not be valid). */
    CognitoIdentityProviderClient clientSigningWith(String accessKeyId, String secretAccessKey, Region region) {
        return newClient(
                region, StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey)));
    }

    /** A new client against this server, closed with the server; no retries, so every failure is seen as it is. */
    synchronized CognitoIdentityProviderClient newClient(Region region, AwsCredentialsProvider credentials) {
        CognitoIdentityProviderClient c = CognitoIdentityProviderClient.builder()
                .region(region)
                .endpointOverride(endpoint())
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(30))
                        .build())
                .overrideConfiguration(
                        o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(Duration.ofSeconds(30)))
                .build();
        clients.add(c);
        return c;
    }

    /** A DynamoDB client on this server's AWS endpoint signing with the admin key; the caller closes it. */
    DynamoDbClient newAdminDynamoDb() {
        AdminCredentials admin = adminCredentials();
        return DynamoDbClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(admin.accessKeyId(), admin.secretAccessKey())))
                .build();
    }

    /**
     * A new Cognito Identity client against this server, with no retries (every failure is seen as it is); the caller
     * closes it.
     */
    CognitoIdentityClient newIdentityClient(AwsCredentialsProvider credentials) {
        return CognitoIdentityClient.builder()
                .region(Region.of(outputs().region()))
                .endpointOverride(endpoint())
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(30))
                        .build())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    /** An S3 client of this server's AWS endpoint (path-style, no retries) with {@code credentials}. */
    S3Client newS3Client(AwsCredentials credentials) {
        return S3Client.builder()
                .region(Region.of(outputs().region()))
                .endpointOverride(endpoint())
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(UrlConnectionHttpClient.builder()
                        .socketTimeout(Duration.ofSeconds(30))
                        .build())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    /** The last lines the server wrote to stdout/stderr, for failure messages. */
    String logTail() {
        try {
            if (!Files.exists(logFile)) {
                return "(no server log)";
            }
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return "--- server log (" + logFile + "), last lines ---\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(server log unreadable: " + e + ")";
        }
    }

    private synchronized void closeClients() {
        clients.forEach(CognitoIdentityProviderClient::close);
        clients.clear();
        publicClient = null;
        adminClient = null;
    }

    private Process running() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            throw new IllegalStateException("server not running");
        }
        return p;
    }

    static Path jar() {
        String configured = System.getProperty("gatehouse.jar");
        List<Path> candidates = new ArrayList<>();
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        }
        candidates.add(Path.of("target", "gatehouse.jar"));
        candidates.add(Path.of("server", "target", "gatehouse.jar"));
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath();
            }
        }
        throw new IllegalStateException(
                "gatehouse.jar not found (looked at " + candidates + "); build it first: mvn -B -pl server -am verify");
    }

    static Path itRoot() {
        String configured = System.getProperty("gatehouse.it.dir");
        Path root = configured != null && !configured.isBlank() ? Path.of(configured) : Path.of("target", "it");
        return root.toAbsolutePath();
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
