package dev.gatehouse.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Everything the server needs to start, already parsed and checked. {@link Main} builds one from flags and environment
 * variables; tests build one directly.
 *
 * @param dataDir where the store, the admin credentials and the outbox live; created owner-only when missing
 * @param outputsFile where to write the stack outputs as JSON once the stack serves, or null
 * @param host the address every listener binds to
 * @param awsPort the AWS endpoint's port; 0 picks a free one
 * @param apiPort the API endpoint's port (the stack's HTTP API); 0 picks a free one
 * @param webPort the web endpoint's port (the notes web app and its {@code /config.json}); 0 picks a free one
 * @param region the stack's region, such as {@code us-east-1}
 * @param smtp mail delivery, or null to write messages to the outbox file in the data dir
 * @param issuerStyle which {@code iss} the user pools' tokens carry
 * @param workerThreads threads of the bounded worker pool that runs every blocking request
 * @param workerQueue requests that may wait for a worker; beyond it requests are refused as throttled
 * @param maxBodyBytes the largest request body accepted
 * @param shutdownGrace how long a shutdown waits for in-flight requests
 * @param maxObjectSize the largest object the attachments bucket accepts, in bytes
 */
public record ServerConfig(
        Path dataDir,
        @Nullable Path outputsFile,
        String host,
        int awsPort,
        int apiPort,
        int webPort,
        String region,
        @Nullable Smtp smtp,
        IssuerStyle issuerStyle,
        int workerThreads,
        int workerQueue,
        int maxBodyBytes,
        Duration shutdownGrace,
        long maxObjectSize) {

    /** 100 MiB: a note's attachment; uploads above it are refused with {@code EntityTooLarge}. */
    public static final long DEFAULT_MAX_OBJECT_SIZE = 100L << 20;

    /** The configuration with the default {@link #DEFAULT_MAX_OBJECT_SIZE}. */
    public ServerConfig(
            Path dataDir,
            @Nullable Path outputsFile,
            String host,
            int awsPort,
            int apiPort,
            int webPort,
            String region,
            @Nullable Smtp smtp,
            IssuerStyle issuerStyle,
            int workerThreads,
            int workerQueue,
            int maxBodyBytes,
            Duration shutdownGrace) {
        this(
                dataDir,
                outputsFile,
                host,
                awsPort,
                apiPort,
                webPort,
                region,
                smtp,
                issuerStyle,
                workerThreads,
                workerQueue,
                maxBodyBytes,
                shutdownGrace,
                DEFAULT_MAX_OBJECT_SIZE);
    }

    /** The default AWS endpoint port. */
    public static final int DEFAULT_AWS_PORT = 9229;
    /** The default API endpoint port: the one next to the AWS endpoint's. */
    public static final int DEFAULT_API_PORT = 9230;
    /** The default web endpoint port: two above the AWS endpoint's. */
    public static final int DEFAULT_WEB_PORT = 9231;

    public static final String DEFAULT_HOST = "127.0.0.1";
    /** The data directory, relative to the working directory. */
    public static final String DEFAULT_DATA_DIR = ".gatehouse";
    /** {@code --issuer-style}'s default: {@link IssuerStyle#LOCAL}. */
    public static final String DEFAULT_ISSUER_STYLE = "local";
    /** The SMTP submission port (RFC 6409). */
    public static final int DEFAULT_SMTP_PORT = 587;

    public static final String DEFAULT_SMTP_TLS = "starttls";
    /** The sender of Cognito's own verification emails. */
    public static final String DEFAULT_SMTP_FROM = "no-reply@verificationemail.com";

    public static final String DEFAULT_REGION = "us-east-1";
    public static final int DEFAULT_WORKER_THREADS = 8;
    public static final int DEFAULT_WORKER_QUEUE = 256;
    /** 1 MiB: far above any Cognito request (the largest model strings are a few KiB). */
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;

    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);

    /** AWS region names: {@code us-east-1}, {@code eu-central-2}, {@code us-gov-west-1}. */
    private static final java.util.regex.Pattern REGION =
            java.util.regex.Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");

    /** Which {@code iss} claim the pools' tokens carry. */
    public enum IssuerStyle {
        /** {@code http://<host>:<port>/<poolId>}: the URL the JWKS and discovery document are served under. */
        LOCAL,
        /** {@code https://cognito-idp.<region>.amazonaws.com/<poolId>}, as Cognito's own tokens. */
        AWS
    }

    /**
     * SMTP delivery settings.
     *
     * @param tls {@code none}, {@code starttls} or {@code tls}
     * @param password never printed by {@link #toString()}
     */
    public record Smtp(
            String host, int port, String tls, @Nullable String user, @Nullable String password, String from) {

        /** The values of {@code tls}. */
        public static final java.util.List<String> TLS_MODES = java.util.List.of("none", "starttls", "tls");

        public Smtp {
            Objects.requireNonNull(host, "host cannot be null");
            Objects.requireNonNull(tls, "tls cannot be null");
            Objects.requireNonNull(from, "from cannot be null");
            checkPort(port, "smtp port", false);
            if (!TLS_MODES.contains(tls)) {
                throw new IllegalArgumentException("smtp tls must be none, starttls or tls, not " + tls);
            }
            if ((password == null) != (user == null)) {
                throw new IllegalArgumentException(
                        "smtp user and smtp password go together (set GATEHOUSE_SMTP_PASSWORD)");
            }
        }

        public Optional<String> username() {
            return Optional.ofNullable(user);
        }

        public Optional<String> secret() {
            return Optional.ofNullable(password);
        }

        @Override
        public String toString() {
            return "Smtp[host=" + host + ", port=" + port + ", tls=" + tls + ", user=" + user + ", password="
                    + (password == null ? "none" : "***") + ", from=" + from + "]";
        }
    }

    public ServerConfig {
        Objects.requireNonNull(dataDir, "dataDir cannot be null");
        Objects.requireNonNull(host, "host cannot be null");
        Objects.requireNonNull(region, "region cannot be null");
        Objects.requireNonNull(issuerStyle, "issuerStyle cannot be null");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace cannot be null");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        checkPort(awsPort, "aws port", true);
        checkPort(apiPort, "api port", true);
        checkPort(webPort, "web port", true);
        if (!REGION.matcher(region).matches()) {
            throw new IllegalArgumentException("region must look like us-east-1, not " + region);
        }
        if (workerThreads < 1 || workerQueue < 0 || maxBodyBytes < 1024) {
            throw new IllegalArgumentException(
                    "worker threads must be >= 1, worker queue >= 0 and max body >= 1024 bytes");
        }
        if (shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("shutdownGrace must not be negative");
        }
        if (maxObjectSize < 1) {
            throw new IllegalArgumentException("max object size must be at least 1 byte");
        }
    }

    /** With objects of at most {@code bytes} in the attachments bucket. */
    public ServerConfig withMaxObjectSize(long bytes) {
        return new ServerConfig(
                dataDir,
                outputsFile,
                host,
                awsPort,
                apiPort,
                webPort,
                region,
                smtp,
                issuerStyle,
                workerThreads,
                workerQueue,
                maxBodyBytes,
                shutdownGrace,
                bytes);
    }

    /**
     * Defaults for everything but the data dir: loopback, ports 9229, 9230 and 9231, us-east-1, outbox delivery, local
     * issuer, the default worker pool, body and object limits and shutdown grace (the {@code DEFAULT_*} constants).
     */
    public static ServerConfig defaults(Path dataDir) {
        return new ServerConfig(
                dataDir,
                null,
                DEFAULT_HOST,
                DEFAULT_AWS_PORT,
                DEFAULT_API_PORT,
                DEFAULT_WEB_PORT,
                DEFAULT_REGION,
                null,
                IssuerStyle.LOCAL,
                DEFAULT_WORKER_THREADS,
                DEFAULT_WORKER_QUEUE,
                DEFAULT_MAX_BODY_BYTES,
                DEFAULT_SHUTDOWN_GRACE);
    }

    public Optional<Path> outputs() {
        return Optional.ofNullable(outputsFile);
    }

    public Optional<Smtp> mail() {
        return Optional.ofNullable(smtp);
    }

    /**
     * With the AWS endpoint on {@code port} and the API and web endpoints next to it: {@link #apiPortNextTo},
     * {@link #webPortNextTo}; call {@link #withApiPort} or {@link #withWebPort} after this to choose others.
     */
    public ServerConfig withAwsPort(int port) {
        return new ServerConfig(
                dataDir,
                outputsFile,
                host,
                port,
                apiPortNextTo(port),
                webPortNextTo(port),
                region,
                smtp,
                issuerStyle,
                workerThreads,
                workerQueue,
                maxBodyBytes,
                shutdownGrace,
                maxObjectSize);
    }

    public ServerConfig withOutputsFile(@Nullable Path file) {
        return new ServerConfig(
                dataDir,
                file,
                host,
                awsPort,
                apiPort,
                webPort,
                region,
                smtp,
                issuerStyle,
                workerThreads,
                workerQueue,
                maxBodyBytes,
                shutdownGrace,
                maxObjectSize);
    }

    public ServerConfig withWorkers(int threads, int queue) {
        return new ServerConfig(
                dataDir,
                outputsFile,
                host,
                awsPort,
                apiPort,
                webPort,
                region,
                smtp,
                issuerStyle,
                threads,
                queue,
                maxBodyBytes,
                shutdownGrace,
                maxObjectSize);
    }

    public ServerConfig withSmtp(@Nullable Smtp settings) {
        return new ServerConfig(
                dataDir,
                outputsFile,
                host,
                awsPort,
                apiPort,
                webPort,
                region,
                settings,
                issuerStyle,
                workerThreads,
                workerQueue,
                maxBodyBytes,
                shutdownGrace,
                maxObjectSize);
    }

    public ServerConfig withApiPort(int port) {
        return new ServerConfig(
                dataDir,
                outputsFile,
                host,
                awsPort,
                port,
                webPort,
                region,
                smtp,
                issuerStyle,
                workerThreads,
                workerQueue,
                maxBodyBytes,
                shutdownGrace,
                maxObjectSize);
    }

    public ServerConfig withWebPort(int port) {
        return new ServerConfig(
                dataDir,
                outputsFile,
                host,
                awsPort,
                apiPort,
                port,
                region,
                smtp,
                issuerStyle,
                workerThreads,
                workerQueue,
                maxBodyBytes,
                shutdownGrace,
                maxObjectSize);
    }

    /** The web port used when none is given: the AWS port + 2, or a free port (0) when the AWS port is 0 or above 65533. */
    public static int webPortNextTo(int awsPort) {
        return awsPort == 0 || awsPort >= 65534 ? 0 : awsPort + 2;
    }

    /** The API port used when none is given: the AWS port + 1, or a free port (0) when the AWS port is 0 or 65535. */
    public static int apiPortNextTo(int awsPort) {
        return awsPort == 0 || awsPort >= 65535 ? 0 : awsPort + 1;
    }

    private static void checkPort(int port, String name, boolean zeroAllowed) {
        if (port < (zeroAllowed ? 0 : 1) || port > 65535) {
            throw new IllegalArgumentException(
                    name + " must be between " + (zeroAllowed ? 0 : 1) + " and 65535, not " + port);
        }
    }
}
