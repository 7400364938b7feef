package dev.gatehouse.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsError;
import dev.gatehouse.protocol.AwsRequest;
import dev.gatehouse.protocol.AwsResponse;
import dev.gatehouse.protocol.ServiceException;
import dev.gatehouse.store.ItemStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.zip.CRC32;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DynamoDB's API over the item store: AWS JSON 1.0, {@code X-Amz-Target: DynamoDB_20120810.<Operation>}.
 * Design note:
 * <ul>
 *   <li>Dispatch is the only place that writes errors: {@code __type} namespaced as DynamoDB sends it
 *       ({@code com.amazon.coral.validate#ValidationException}, {@code com.amazonaws.dynamodb.v20120810#...}),
 *       {@code message} (or {@code Message} for TransactionCanceledException, as the model names it), and the
 *       members some errors carry ({@code Item}, {@code CancellationReasons}).</li>
 *   <li>Every response carries {@code x-amz-crc32}, the CRC-32 of its body bytes, which SDKs check.</li>
 *   <li>Authorization is the {@link TablesAuthorizer}'s: this class only names the actions and ARNs a request needs
 *       ({@code dynamodb:<Operation>} on {@code arn:aws:dynamodb:<region>:<account>:table/<name>[/index/<i>]}).</li>
 *   <li>Blocking: call {@link #dispatch} off the event loop.</li>
 * </ul>
 *
 * @see <a href="https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/Welcome.html">DynamoDB API</a>
 */
public final class DynamoDbService {

    /** The {@code X-Amz-Target} prefix. */
    public static final String TARGET_PREFIX = "DynamoDB_20120810";

    public static final String CONTENT_TYPE = "application/x-amz-json-1.0";
    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbService.class);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final TablesAuthorizer authorizer;
    private final String region;
    private final String account;
    private final TableOperations tables;
    private final Map<String, Function<JsonNode, ObjectNode>> operations = new LinkedHashMap<>();

    public DynamoDbService(ItemStore store, Clock clock, String region, String account, TablesAuthorizer authorizer) {
        this.authorizer = Objects.requireNonNull(authorizer, "authorizer cannot be null");
        this.region = Objects.requireNonNull(region, "region cannot be null");
        this.account = Objects.requireNonNull(account, "account cannot be null");
        TableData data = new TableData(Objects.requireNonNull(store, "store cannot be null"), clock);
        this.tables = new TableOperations(data, clock, region, account);
        ReadOperations reads = new ReadOperations(data, tables);
        ItemOperations items = new ItemOperations(data, tables);
        BatchOperations batches = new BatchOperations(data, tables, items);
        operations.put("CreateTable", tables::create);
        operations.put("DescribeTable", tables::describeTable);
        operations.put("ListTables", tables::listTables);
        operations.put("DeleteTable", tables::deleteTable);
        operations.put("UpdateTable", tables::updateTable);
        operations.put("UpdateTimeToLive", tables::updateTimeToLive);
        operations.put("DescribeTimeToLive", tables::describeTimeToLive);
        operations.put("PutItem", items::put);
        operations.put("GetItem", items::get);
        operations.put("UpdateItem", items::update);
        operations.put("DeleteItem", items::delete);
        operations.put("Query", reads::query);
        operations.put("Scan", reads::scan);
        operations.put("BatchGetItem", batches::batchGet);
        operations.put("BatchWriteItem", batches::batchWrite);
        operations.put("TransactGetItems", batches::transactGet);
        operations.put("TransactWriteItems", batches::transactWrite);
        PartiQlOperations partiQl = new PartiQlOperations(tables, reads, items, batches);
        operations.put("ExecuteStatement", partiQl::executeStatement);
        operations.put("BatchExecuteStatement", partiQl::batchExecuteStatement);
        operations.put("ExecuteTransaction", partiQl::executeTransaction);
        operations.put("TagResource", tables::tagResource);
        operations.put("UntagResource", tables::untagResource);
        operations.put("ListTagsOfResource", tables::listTagsOfResource);
        operations.put("DescribeEndpoints", input -> describeEndpoints());
    }

    /** Whether the request's {@code X-Amz-Target} names this service. */
    public boolean accepts(AwsRequest request) {
        return request.header("x-amz-target")
                .map(t -> t.startsWith(TARGET_PREFIX + "."))
                .orElse(false);
    }

    /**
     * Creates the table unless one of that name exists; the stack's tables are made this way at start. True when it
     * was created.
     */
    public boolean createTableIfMissing(TableSpec spec) {
        try {
            tables.create(spec.createTableRequest());
            return true;
        } catch (TablesException e) {
            if (!e.error().code().equals(TablesException.RESOURCE_IN_USE)) {
                throw e;
            }
            return false;
        }
    }

    /**
     * Changes a table as UpdateTable does (throughput, billing mode, one index created or deleted, streams), for a
     * stack whose template changed. Throws {@link TablesException} as UpdateTable answers. Blocking.
     */
    public void updateTable(JsonNode request) {
        tables.updateTable(request);
    }

    /** Turns a table's time to live on or off as UpdateTimeToLive does. Blocking. */
    public void updateTimeToLive(JsonNode request) {
        tables.updateTimeToLive(request);
    }

    /** Runs the operation the request names. Never throws. */
    public AwsResponse dispatch(AwsRequest request) {
        String operation = request.header("x-amz-target")
                .filter(t -> t.startsWith(TARGET_PREFIX + "."))
                .map(t -> t.substring(TARGET_PREFIX.length() + 1))
                .orElse("");
        try {
            Function<JsonNode, ObjectNode> handler = operations.get(operation);
            if (handler == null) {
                throw TablesException.of(TablesException.UNKNOWN_OPERATION, "");
            }
            JsonNode input = parse(request.body());
            authorizer.authorize(request, operation, permissions(operation, input));
            ObjectNode output = handler.apply(input);
            if (operation.equals("TagResource") || operation.equals("UntagResource")) {
                return respond(200, null, request.requestId(), null);
            }
            return respond(200, output, request.requestId(), null);
        } catch (TablesException e) {
            return error(e.error(), e.extra().orElse(null), request.requestId());
        } catch (ServiceException e) {
            return error(e.error(), null, request.requestId());
        } catch (RuntimeException e) {
            LOG.error("request {} DynamoDB {} failed", request.requestId(), operation, e);
            return error(
                    new AwsError(TablesException.INTERNAL, 500, AwsError.Fault.RECEIVER, "Internal server error"),
                    null,
                    request.requestId());
        }
    }

    private static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            return JSON.objectNode();
        }
        try {
            JsonNode node = TableData.JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw TablesException.serialization("");
            }
            return node;
        } catch (IOException e) {
            throw TablesException.serialization("");
        }
    }

    private ObjectNode describeEndpoints() {
        ObjectNode out = JSON.objectNode();
        out.putArray("Endpoints")
                .addObject()
                .put("Address", "dynamodb." + region + ".amazonaws.com")
                .put("CachePeriodInMinutes", 1440);
        return out;
    }

    /** The actions and resources a request needs, as IAM names them. */
    List<TablesAuthorizer.Permission> permissions(String operation, JsonNode input) {
        List<TablesAuthorizer.Permission> permissions = new ArrayList<>();
        String action = "dynamodb:" + operation;
        switch (operation) {
            case "ListTables", "DescribeEndpoints" -> permissions.add(new TablesAuthorizer.Permission(action, "*"));
            case "BatchGetItem", "BatchWriteItem" -> {
                for (Iterator<String> it = input.path("RequestItems").fieldNames(); it.hasNext(); ) {
                    permissions.add(new TablesAuthorizer.Permission(action, arn(it.next())));
                }
            }
            case "TransactGetItems", "TransactWriteItems" -> {
                for (JsonNode element : input.path("TransactItems")) {
                    element.fields()
                            .forEachRemaining(e -> permissions.add(new TablesAuthorizer.Permission(
                                    "dynamodb:" + transactAction(e.getKey()),
                                    arn(e.getValue().path("TableName").asText()))));
                }
            }
            case "ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction" -> {
                for (String[] statement : PartiQlOperations.actions(operation, input)) {
                    String arn = arn(statement[1]) + (statement[2] == null ? "" : "/index/" + statement[2]);
                    permissions.add(new TablesAuthorizer.Permission(statement[0], arn));
                }
            }
            case "TagResource", "UntagResource", "ListTagsOfResource" -> permissions.add(
                    new TablesAuthorizer.Permission(
                            action, input.path("ResourceArn").asText("*")));
            default -> {
                String arn = arn(input.path("TableName").asText());
                if (input.hasNonNull("IndexName")) {
                    arn += "/index/" + input.get("IndexName").asText();
                }
                permissions.add(new TablesAuthorizer.Permission(action, arn));
            }
        }
        return permissions;
    }

    private static String transactAction(String member) {
        return switch (member) {
            case "Get" -> "GetItem";
            case "Put" -> "PutItem";
            case "Delete" -> "DeleteItem";
            case "Update" -> "UpdateItem";
            default -> "ConditionCheckItem";
        };
    }

    private String arn(String nameOrArn) {
        return nameOrArn.startsWith("arn:")
                ? nameOrArn
                : "arn:aws:dynamodb:" + region + ":" + account + ":table/" + nameOrArn;
    }

    private static AwsResponse error(AwsError error, @Nullable ObjectNode extra, String requestId) {
        ObjectNode body = JSON.objectNode();
        body.put("__type", error.code());
        boolean capital = error.code().endsWith("#TransactionCanceledException")
                || error.code().endsWith("#IdempotentParameterMismatchException");
        if (!error.message().isEmpty() || !error.code().startsWith("com.amazon.coral.service#")) {
            body.put(capital ? "Message" : "message", error.message());
        }
        if (extra != null) {
            body.setAll(extra);
        }
        String shortCode = error.code().substring(error.code().indexOf('#') + 1);
        return respond(error.status(), body, requestId, shortCode);
    }

    /** A response; a null body is the empty body TagResource and UntagResource answer with. */
    private static AwsResponse respond(
            int status, @Nullable ObjectNode body, String requestId, @Nullable String errorType) {
        byte[] bytes;
        try {
            bytes = body == null ? new byte[0] : TableData.JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            bytes = "{}".getBytes(StandardCharsets.UTF_8);
        }
        CRC32 crc = new CRC32();
        crc.update(bytes);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", CONTENT_TYPE);
        headers.put("x-amzn-RequestId", requestId);
        headers.put("x-amz-crc32", Long.toString(crc.getValue()));
        if (errorType != null) {
            headers.put("x-amzn-ErrorType", errorType);
        }
        return new AwsResponse(status, headers, bytes);
    }
}
