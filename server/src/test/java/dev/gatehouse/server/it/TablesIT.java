package dev.gatehouse.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The app's tables through the real jar with the AWS SDK for Java v2 {@link DynamoDbClient} (which checks
 * {@code x-amz-crc32}) and the AWS CLI: table and item operations, paging, a conditional-write race, transactions,
 * and the policy check for identity-pool callers.
 */
class TablesIT {

    @RegisterExtension
    static final GatehouseProcess GATEHOUSE = GatehouseProcess.create("tables");

    private static DynamoDbClient admin;

    @BeforeAll
    static void createTable() {
        AdminCredentials keys = GATEHOUSE.adminCredentials();
        admin = client(AwsBasicCredentials.create(keys.accessKeyId(), keys.secretAccessKey()));
        admin.createTable(r -> r.tableName("notes")
                .billingMode("PAY_PER_REQUEST")
                .keySchema(k -> k.attributeName("userId").keyType(KeyType.HASH), k -> k.attributeName("noteId")
                        .keyType(KeyType.RANGE))
                .attributeDefinitions(
                        a -> a.attributeName("userId").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("noteId").attributeType(ScalarAttributeType.S)));
    }

    @AfterAll
    static void close() {
        if (admin != null) {
            admin.close();
        }
    }

    private static DynamoDbClient client(AwsCredentials credentials) {
        return DynamoDbClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(GATEHOUSE.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(UrlConnectionHttpClient.builder()
                        .socketTimeout(Duration.ofSeconds(30))
                        .build())
                .overrideConfiguration(o -> o.retryPolicy(RetryPolicy.none()))
                .build();
    }

    private static Map<String, AttributeValue> key(String user, String note) {
        return Map.of("userId", AttributeValue.fromS(user), "noteId", AttributeValue.fromS(note));
    }

    @Test
    void describeTableWhenCreatedThenActiveWithKeySchema() {
        var table = admin.describeTable(r -> r.tableName("notes")).table();
        assertThat(table.tableStatusAsString()).isEqualTo("ACTIVE");
        assertThat(table.keySchema()).hasSize(2);
        assertThat(table.tableArn()).startsWith("arn:aws:dynamodb:us-east-1:").endsWith(":table/notes");
        assertThat(admin.listTables().tableNames()).contains("notes");
    }

    @Test
    void putGetUpdateDeleteWhenSdkThenRoundTrip() {
        admin.putItem(r -> r.tableName("notes")
                .item(Map.of(
                        "userId",
                        AttributeValue.fromS("u1"),
                        "noteId",
                        AttributeValue.fromS("n1"),
                        "content",
                        AttributeValue.fromS("hello world"),
                        "count",
                        AttributeValue.fromN("1.50"),
                        "blob",
                        AttributeValue.fromB(SdkBytes.fromUtf8String("b")))));
        GetItemResponse got =
                admin.getItem(r -> r.tableName("notes").key(key("u1", "n1")).consistentRead(true));
        assertThat(got.item().get("content").s()).isEqualTo("hello world");
        assertThat(got.item().get("count").n()).isEqualTo("1.5");
        var updated = admin.updateItem(r -> r.tableName("notes")
                .key(key("u1", "n1"))
                .updateExpression("SET content = :c ADD #n :one")
                .expressionAttributeNames(Map.of("#n", "count"))
                .expressionAttributeValues(
                        Map.of(":c", AttributeValue.fromS("changed"), ":one", AttributeValue.fromN("1")))
                .returnValues(ReturnValue.UPDATED_NEW));
        assertThat(updated.attributes().get("count").n()).isEqualTo("2.5");
        var deleted =
                admin.deleteItem(r -> r.tableName("notes").key(key("u1", "n1")).returnValues(ReturnValue.ALL_OLD));
        assertThat(deleted.attributes().get("content").s()).isEqualTo("changed");
        assertThat(admin.getItem(r -> r.tableName("notes").key(key("u1", "n1"))).hasItem())
                .isFalse();
    }

    @Test
    void queryWhenPaginatedBySdkThenEveryItemOnce() {
        for (int i = 0; i < 25; i++) {
            String note = String.format("n%02d", i);
            admin.putItem(r -> r.tableName("notes")
                    .item(Map.of("userId", AttributeValue.fromS("pager"), "noteId", AttributeValue.fromS(note))));
        }
        List<String> seen = new ArrayList<>();
        for (QueryResponse page : admin.queryPaginator(r -> r.tableName("notes")
                .limit(7)
                .keyConditionExpression("userId = :u AND begins_with(noteId, :p)")
                .expressionAttributeValues(
                        Map.of(":u", AttributeValue.fromS("pager"), ":p", AttributeValue.fromS("n"))))) {
            page.items().forEach(item -> seen.add(item.get("noteId").s()));
        }
        assertThat(seen).hasSize(25).doesNotHaveDuplicates().isSorted();
    }

    @Test
    void putItemWhenThreadsRaceOnConditionThenExactlyOneWins() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            String writer = "w" + i;
            results.add(pool.submit(() -> {
                start.await();
                try {
                    admin.putItem(r -> r.tableName("notes")
                            .item(Map.of(
                                    "userId",
                                    AttributeValue.fromS("race"),
                                    "noteId",
                                    AttributeValue.fromS("only"),
                                    "writer",
                                    AttributeValue.fromS(writer)))
                            .conditionExpression("attribute_not_exists(userId)"));
                    return true;
                } catch (ConditionalCheckFailedException e) {
                    return false;
                }
            }));
        }
        start.countDown();
        int wins = 0;
        for (Future<Boolean> result : results) {
            wins += result.get(60, TimeUnit.SECONDS) ? 1 : 0;
        }
        pool.shutdown();
        assertThat(wins).isEqualTo(1);
    }

    @Test
    void putItemWhenConditionFailsThenSdkSeesConditionalCheckFailedWithItem() {
        admin.putItem(r -> r.tableName("notes")
                .item(Map.of(
                        "userId",
                        AttributeValue.fromS("c1"),
                        "noteId",
                        AttributeValue.fromS("n1"),
                        "v",
                        AttributeValue.fromN("1"))));
        assertThatThrownBy(() -> admin.putItem(r -> r.tableName("notes")
                        .item(key("c1", "n1"))
                        .conditionExpression("v = :two")
                        .expressionAttributeValues(Map.of(":two", AttributeValue.fromN("2")))
                        .returnValuesOnConditionCheckFailure("ALL_OLD")))
                .isInstanceOfSatisfying(ConditionalCheckFailedException.class, e -> {
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The conditional request failed");
                    assertThat(e.item().get("v").n()).isEqualTo("1");
                });
    }

    @Test
    void transactWriteWhenConditionFailsThenSdkReadsCancellationReasons() {
        assertThatThrownBy(() -> admin.transactWriteItems(r -> r.transactItems(
                        t -> t.put(p -> p.tableName("notes").item(key("t1", "a"))),
                        t -> t.conditionCheck(c -> c.tableName("notes")
                                .key(key("t1", "missing"))
                                .conditionExpression("attribute_exists(userId)")))))
                .isInstanceOfSatisfying(TransactionCanceledException.class, e -> {
                    assertThat(e.cancellationReasons())
                            .extracting(r -> r.code())
                            .containsExactly("None", "ConditionalCheckFailed");
                });
        assertThat(admin.getItem(r -> r.tableName("notes").key(key("t1", "a"))).hasItem())
                .isFalse();
    }

    @Test
    void batchWriteThenBatchGetAndParallelScanSeeEveryItem() {
        List<software.amazon.awssdk.services.dynamodb.model.WriteRequest> writes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String user = "batch" + i;
            writes.add(software.amazon.awssdk.services.dynamodb.model.WriteRequest.builder()
                    .putRequest(p -> p.item(key(user, "x")))
                    .build());
        }
        admin.batchWriteItem(r -> r.requestItems(Map.of("notes", writes)));
        var got = admin.batchGetItem(r -> r.requestItems(Map.of(
                "notes",
                software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes.builder()
                        .keys(key("batch1", "x"), key("batch2", "x"), key("nobody", "x"))
                        .build())));
        assertThat(got.responses().get("notes")).hasSize(2);
        int total = 0;
        for (int segment = 0; segment < 3; segment++) {
            int s = segment;
            total += admin.scan(r -> r.tableName("notes")
                            .segment(s)
                            .totalSegments(3)
                            .filterExpression("begins_with(userId, :b)")
                            .expressionAttributeValues(Map.of(":b", AttributeValue.fromS("batch"))))
                    .count();
        }
        assertThat(total).isEqualTo(20);
    }

    @Test
    void requestWhenTableMissingThenResourceNotFound() {
        assertThatThrownBy(() -> admin.getItem(r -> r.tableName("nothing").key(key("a", "b"))))
                .isInstanceOfSatisfying(
                        ResourceNotFoundException.class,
                        e -> assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Requested resource not found"));
    }

    @Test
    void queryWhenKeyConditionDanglesThenValidationExceptionInDynamoDbsWords() {
        assertThatThrownBy(() -> admin.query(r -> r.tableName("notes")
                        .keyConditionExpression("userId = :u AND")
                        .expressionAttributeValues(Map.of(":u", AttributeValue.fromS("u")))))
                .isInstanceOfSatisfying(DynamoDbException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                    assertThat(e.awsErrorDetails().errorMessage())
                            .isEqualTo("Invalid KeyConditionExpression: Syntax error; token: \"<EOF>\", near: \"AND\"");
                });
    }

    @Test
    void getItemWhenIdentityPoolCallerWithoutDynamoDbPolicyThenAccessDenied() {
        Journeys.IdentityCredentials caller =
                new Journeys(GATEHOUSE).identityCredentials(TestUsers.email("tables"), TestUsers.PASSWORD);
        String identityId = caller.identityId();
        try (DynamoDbClient user = client(caller.credentials())) {
            assertThatThrownBy(() -> user.getItem(r -> r.tableName("notes").key(key(identityId, "n"))))
                    .isInstanceOfSatisfying(DynamoDbException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                        assertThat(e.awsErrorDetails().errorMessage())
                                .contains("dynamodb:GetItem")
                                .contains(":table/notes");
                    });
        }
    }

    @Test
    void cliWhenPutAndGetThenSameItem() throws Exception {
        if (!commandExists("aws")) {
            return;
        }
        run(
                "aws",
                "dynamodb",
                "put-item",
                "--table-name",
                "notes",
                "--item",
                "{\"userId\":{\"S\":\"cli\"},\"noteId\":{\"S\":\"n1\"},\"content\":{\"S\":\"from the cli\"}}");
        String out = run(
                "aws",
                "dynamodb",
                "get-item",
                "--table-name",
                "notes",
                "--key",
                "{\"userId\":{\"S\":\"cli\"},\"noteId\":{\"S\":\"n1\"}}");
        assertThat(out).contains("from the cli");
        String query = run(
                "aws",
                "dynamodb",
                "query",
                "--table-name",
                "notes",
                "--key-condition-expression",
                "userId = :u",
                "--expression-attribute-values",
                "{\":u\":{\"S\":\"cli\"}}");
        assertThat(query).contains("\"Count\": 1");
    }

    private static boolean commandExists(String command) {
        try {
            return new ProcessBuilder(command, "--version")
                            .redirectErrorStream(true)
                            .start()
                            .waitFor()
                    == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String run(String... command) throws Exception {
        AdminCredentials keys = GATEHOUSE.adminCredentials();
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(List.of(
                "--endpoint-url", GATEHOUSE.endpoint().toString(), "--region", "us-east-1", "--output", "json"));
        ProcessBuilder builder = new ProcessBuilder(args).redirectErrorStream(true);
        builder.environment().put("AWS_ACCESS_KEY_ID", keys.accessKeyId());
        builder.environment().put("AWS_SECRET_ACCESS_KEY", keys.secretAccessKey());
        builder.environment().remove("AWS_PROFILE");
        Path home = Files.createTempDirectory("aws-cli-home");
        builder.environment().put("AWS_CONFIG_FILE", home.resolve("config").toString());
        builder.environment()
                .put("AWS_SHARED_CREDENTIALS_FILE", home.resolve("credentials").toString());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        return out;
    }
}
