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
 * {@value #NODE_HEADER}. {@link #config} is the configuration docs/deploy.md shows.
 */
final class HaProxy implements AutoCloseable {

    static final String NODE_HEADER = "x-gatehouse-node";

    private final Process process;
    private final int port;

    private HaProxy(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts HAProxy before {@code backends} (node i is {@code node<i+1>}); returns once it accepts connections. */
    static HaProxy start(List<URI> backends, Path dir) {
        int port = Loopback.freePort();
        try {
            Files.createDirectories(dir);
            Path config = dir.resolve("haproxy.cfg");
            Files.writeString(config, config(port, backends));
            Process process = new ProcessBuilder(List.of(binary(), "-db", "-f", config.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("haproxy.log").toFile())
                    .start();
            HaProxy proxy = new HaProxy(process, port);
            proxy.awaitListening(dir.resolve("haproxy.log"));
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start haproxy (Debian's haproxy package; .ci/run installs it)", e);
        }
    }

    static String config(int port, List<URI> backends) {
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

        backend nodes
          balance roundrobin
          option httpchk GET /_gatehouse/health
          http-check expect status 200
          timeout check 3s
  default-server inter 1s fall 2 rise 1
          http-response set-header %s %%[srv_name]
        """,
                port,
                NODE_HEADER));
        for (int i = 0; i < backends.size(); i++) {
            URI node = backends.get(i);
            config.append(
                    String.format(Locale.ROOT, "  server node%d %s:%d check%n", i + 1, node.getHost(), node.getPort()));
        }
        return config.toString();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
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
