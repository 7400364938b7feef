package dev.gatehouse.bench;

import dev.gatehouse.server.GatehouseServer;
import dev.gatehouse.server.ServerConfig;
import dev.gatehouse.server.StackOutputs;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * GetItem, PutItem and Query requests/s through the AWS SDK for Java v2, against Gatehouse (in this JVM, SQLite
 * store) and against moto's server (started here as a child process on a free loopback port, stopped by its pid), in
 * the same run and on the same machine. Each target and operation is driven by {@code --threads} threads, each with
 * its own client, for {@code --duration} seconds after {@code --warmup} seconds unrecorded; targets take turns.
 * Usage: {@code java -cp bench/target/gatehouse-bench.jar dev.gatehouse.bench.TablesBench [--threads 4]
 * [--duration 10] [--warmup 3]}; {@code MOTO_PYTHON} names the Python with moto[server] (default python3).
 */
public final class TablesBench {

    private static final String TABLE = "bench_notes";
    private static final String REGION = "us-east-1";

    private TablesBench() {}

    public static void main(String[] args) throws Exception {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "logback-bench.xml");
        }
        int threads = intFlag(args, "--threads", 4, 1, 64);
        int duration = intFlag(args, "--duration", 10, 1, 120);
        int warmup = intFlag(args, "--warmup", 3, 0, 60);
        Path dir = Files.createTempDirectory("gatehouse-tables-bench");
        GatehouseServer server =
                new GatehouseServer(ServerConfig.defaults(dir.resolve("data")).withAwsPort(0));
        int motoPort = freePort();
        Process moto = new ProcessBuilder(
                        System.getenv().getOrDefault("MOTO_PYTHON", "python3"),
                        "-m",
                        "moto.server",
                        "-H",
                        "127.0.0.1",
                        "-p",
                        Integer.toString(motoPort))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("moto.log").toFile())
                .start();
        try {
            StackOutputs outputs = server.start();
            awaitListening(motoPort);
            Map<String, Target> targets = Map.of(
                    "gatehouse",
                            new Target(
                                    URI.create(outputs.get("AwsEndpoint").orElseThrow()),
                                    LoadDriver.adminCredentials(outputs)),
                    "moto",
                            new Target(
                                    URI.create("http://127.0.0.1:" + motoPort),
                                    StaticCredentialsProvider.create(
                                            AwsBasicCredentials.create("testing", "testing"))));
            PrintStream out = System.out;
            out.printf("threads %d, warmup %d s, duration %d s%n", threads, warmup, duration);
            out.printf("%-10s %-10s %12s %8s%n", "operation", "target", "requests/s", "errors");
            for (Target target : targets.values()) {
                setUp(target);
            }
            for (String operation : List.of("PutItem", "GetItem", "Query")) {
                for (String name : List.of("gatehouse", "moto")) {
                    Target target = java.util.Objects.requireNonNull(targets.get(name));
                    drive(target, operation, threads, warmup);
                    long[] result = drive(target, operation, threads, duration);
                    out.printf("%-10s %-10s %12.1f %8d%n", operation, name, result[0] / (double) duration, result[1]);
                }
            }
        } finally {
            ProcessHandle.of(moto.pid()).ifPresent(ProcessHandle::destroy);
            moto.waitFor(10, TimeUnit.SECONDS);
            server.stop();
        }
        System.exit(0);
    }

    private record Target(URI endpoint, AwsCredentialsProvider credentials) {
        DynamoDbClient client() {
            return DynamoDbClient.builder()
                    .endpointOverride(endpoint)
                    .region(Region.of(REGION))
                    .credentialsProvider(credentials)
                    .httpClient(UrlConnectionHttpClient.create())
                    .build();
        }
    }

    private static void setUp(Target target) {
        try (DynamoDbClient client = target.client()) {
            client.createTable(r -> r.tableName(TABLE)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(k -> k.attributeName("userId").keyType(KeyType.HASH), k -> k.attributeName("noteId")
                            .keyType(KeyType.RANGE))
                    .attributeDefinitions(
                            a -> a.attributeName("userId").attributeType(ScalarAttributeType.S),
                            a -> a.attributeName("noteId").attributeType(ScalarAttributeType.S)));
            for (int i = 0; i < 20; i++) {
                String note = "n" + i;
                client.putItem(r -> r.tableName(TABLE).item(item("u0", note)));
            }
        }
    }

    private static Map<String, AttributeValue> item(String user, String note) {
        return Map.of(
                "userId",
                AttributeValue.fromS(user),
                "noteId",
                AttributeValue.fromS(note),
                "content",
                AttributeValue.fromS("a note of about a hundred bytes, as the notes app keeps them: hello world"));
    }

    /** Runs the operation on every thread for the seconds given; returns {requests, errors}. */
    private static long[] drive(Target target, String operation, int threads, int seconds) throws Exception {
        AtomicLong done = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        BiConsumer<DynamoDbClient, Long> call =
                switch (operation) {
                    case "PutItem" -> (c, i) ->
                            c.putItem(r -> r.tableName(TABLE).item(item("u" + (i % 50), "n" + i)));
                    case "GetItem" -> (c, i) -> c.getItem(r -> r.tableName(TABLE)
                            .key(Map.of(
                                    "userId",
                                    AttributeValue.fromS("u0"),
                                    "noteId",
                                    AttributeValue.fromS("n" + (i % 20)))));
                    default -> (c, i) -> c.query(r -> r.tableName(TABLE)
                            .keyConditionExpression("userId = :u")
                            .expressionAttributeValues(Map.of(":u", AttributeValue.fromS("u0")))
                            .limit(10));
                };
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try (DynamoDbClient client = target.client()) {
                    long i = 0;
                    while (System.nanoTime() < end) {
                        try {
                            call.accept(client, i++);
                            done.incrementAndGet();
                        } catch (RuntimeException e) {
                            errors.incrementAndGet();
                        }
                    }
                }
            });
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        return new long[] {done.get(), errors.get()};
    }

    private static void awaitListening(int port) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("moto's server did not listen on " + port + ": is moto[server] installed?");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static int intFlag(String[] args, String name, int fallback, int min, int max) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                int value = Integer.parseInt(args[i + 1]);
                if (value < min || value > max) {
                    throw new IllegalArgumentException(name + " must be " + min + ".." + max);
                }
                return value;
            }
        }
        return fallback;
    }
}
