package dev.gatehouse.server.it;

import dev.gatehouse.store.testing.Loopback;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * HAProxy (Debian's {@code haproxy} package) in front of several nodes' AWS endpoints, started by the test on a free
 * loopback port and stopped by its pid: round-robin per request, each node checked on {@code /_gatehouse/health}
 * every second (down after 2 failures or answers slower than 3 s: this machine is small and shared; up after 1
 * success), and the serving node named in the response header
 * {@value #NODE_HEADER}. Two frontends: the nodes' AWS endpoints, and their API endpoints (the notes API), whose
 * servers are checked on the AWS port's health path. {@link #config} is the configuration docs/deploy.md shows.
 */
final class HaProxy implements AutoCloseable {

    static final String NODE_HEADER = "x-gatehouse-node";

    private final Process process;
    private final int port;
    private final int apiPort;

    private HaProxy(Process process, int port, int apiPort) {
        this.process = process;
        this.port = port;
        this.apiPort = apiPort;
    }

    /**
     * Starts HAProxy before the nodes' AWS endpoints {@code backends} and their API endpoints {@code apiBackends} (in
     * the same order; node i is {@code node<i+1>}); returns once it accepts connections.
     */
    static HaProxy start(List<URI> backends, List<URI> apiBackends, Path dir) {
        int port = Loopback.freePort();
        int apiPort = Loopback.freePort();
        try {
            Files.createDirectories(dir);
            Path config = dir.resolve("haproxy.cfg");
            Files.writeString(config, config(port, backends, apiPort, apiBackends));
            Process process = new ProcessBuilder(List.of(binary(), "-db", "-f", config.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("haproxy.log").toFile())
                    .start();
            HaProxy proxy = new HaProxy(process, port, apiPort);
            proxy.awaitListening(dir.resolve("haproxy.log"));
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start haproxy (Debian's haproxy package; .ci/run installs it)", e);
        }
    }

    static String config(int port, List<URI> backends, int apiPort, List<URI> apiBackends) {
        StringBuilder config = new StringBuilder(String.format(
                Locale.ROOT,
                """
        global
          maxconn 512

        defaults
          mode http
          timeout connect 2s
          timeout client 30s
          timeout server 30s
          option redispatch
          retries 2

        frontend gatehouse
          bind 127.0.0.1:%d
          default_backend nodes

        frontend gatehouse-api
          bind 127.0.0.1:%d
          default_backend api-nodes
        """,
                port,
                apiPort));
        backend(config, "nodes", backends, backends, false);
        // The API port has no health path: each server is checked on its node's AWS port.
        backend(config, "api-nodes", apiBackends, backends, true);
        return config.toString();
    }

    /**
     * A round-robin backend of {@code servers} (node i is {@code node<i+1>}), health-checked on their own ports or, with
     * {@code checkPort}, on {@code checked}'s.
     */
    private static void backend(
            StringBuilder config, String name, List<URI> servers, List<URI> checked, boolean checkPort) {
        config.append(String.format(
                Locale.ROOT,
                """

        backend %s
          balance roundrobin
          option httpchk GET /_gatehouse/health
          http-check expect status 200
          timeout check 3s
          default-server inter 1s fall 2 rise 1
          http-response set-header %s %%[srv_name]
        """,
                name,
                NODE_HEADER));
        for (int i = 0; i < servers.size(); i++) {
            URI node = servers.get(i);
            config.append(String.format(
                    Locale.ROOT,
                    "  server node%d %s:%d check%s%n",
                    i + 1,
                    node.getHost(),
                    node.getPort(),
                    checkPort ? " port " + checked.get(i).getPort() : ""));
        }
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The frontend before the nodes' API endpoints. */
    URI apiEndpoint() {
        return URI.create("http://127.0.0.1:" + apiPort);
    }

    /** Stops HAProxy by its pid and waits for it. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitListening(Path log) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("haproxy exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            if (Loopback.accepts(port)) {
                return;
            }
            Loopback.pause(50);
        }
        close();
        throw new AssertionError("haproxy did not listen: " + Files.readString(log));
    }

    private static String binary() {
        for (String candidate : List.of("/usr/sbin/haproxy", "/usr/bin/haproxy", "/usr/local/sbin/haproxy")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return "haproxy";
    }
}
