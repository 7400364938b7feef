package dev.gatehouse.store.dynamodb;

import dev.gatehouse.store.Condition;
import dev.gatehouse.store.ConditionFailedException;
import dev.gatehouse.store.Cursors;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.ItemStore;
import dev.gatehouse.store.Key;
import dev.gatehouse.store.Page;
import dev.gatehouse.store.Query;
import dev.gatehouse.store.StoreException;
import dev.gatehouse.store.Tables;
import dev.gatehouse.store.Write;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;
import software.amazon.awssdk.services.dynamodb.model.TransactionInProgressException;

/**
 * The {@link ItemStore} on one DynamoDB table.
 *
 * <p>Design note. Every port table shares one DynamoDB table (single-table design), so the table is created once, at
 * open, and a port table "exists once written to" as the port promises. Its key is {@code _pk} (S), the port table
 * and the partition joined by {@code #} (table names cannot hold {@code #}, so the join is unambiguous), and
 * {@code _sk} (B), the UTF-8 bytes of the sort key: DynamoDB compares binary keys as unsigned bytes, which is the
 * port's UTF-8 order for every input. Attributes are top-level S attributes under their own names (the port reserves
 * names starting with {@code _}). An expiry is {@code _exp} (N, epoch milliseconds) for the exact checks, and
 * {@code _ttl} (N, epoch seconds rounded up) for DynamoDB's TTL, which deletes lazily and so never early: reads filter
 * expired items against this store's clock, and every condition treats an expired item as absent.
 *
 * <p>Gets and queries are strongly consistent. A single put or delete is a conditional PutItem or DeleteItem; a batch
 * is one TransactWriteItems, retried a few times when DynamoDB cancels it for a conflict with another transaction.
 * Throttling and transient faults are retried by the SDK's retry strategy (see {@link DynamoDbSettings#newClient}).
 * A query resumes from the portable cursor by turning it into {@code ExclusiveStartKey}, and reads on past expired
 * items until the page is full, so a page is short only when it is the last.
 */
public final class DynamoDbItemStore implements ItemStore {

    static final String PK = "_pk";
    static final String SK = "_sk";
    static final String EXPIRES = "_exp";
    static final String TTL = "_ttl";

    private static final String LIVE = "(attribute_not_exists(#exp) OR #exp > :now)";
    private static final int CONFLICT_ATTEMPTS = 8;

    private final DynamoDbClient client;
    private final String tableName;
    private final Clock clock;
    private final boolean ownsClient;
    private final AtomicBoolean closed = new AtomicBoolean();

    private DynamoDbItemStore(DynamoDbClient client, String tableName, Clock clock, boolean ownsClient) {
        this.client = Objects.requireNonNull(client, "client cannot be null");
        this.tableName = Tables.requireValid(tableName);
        this.clock = Objects.requireNonNull(clock, "clock cannot be null");
        this.ownsClient = ownsClient;
    }

    /**
     * Opens the store on the table {@code settings} name, creating it (on-demand capacity, TTL on {@code _ttl}) when
     * missing and waiting until it is active. The store owns its client and closes it. Blocking.
     *
     * @throws StoreException if DynamoDB cannot be reached or the table has another key schema
     */
    public static DynamoDbItemStore open(DynamoDbSettings settings, Clock clock) {
        DynamoDbClient client = settings.newClient();
        try {
            return open(client, settings.tableName(), clock, true);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /**
     * Opens the store on {@code tableName} through {@code client}, creating the table when missing. With
     * {@code ownsClient}, {@link #close()} closes the client.
     *
     * @throws StoreException if DynamoDB cannot be reached or the table has another key schema
     */
    public static DynamoDbItemStore open(DynamoDbClient client, String tableName, Clock clock, boolean ownsClient) {
        DynamoDbItemStore store = new DynamoDbItemStore(client, tableName, clock, ownsClient);
        try {
            new TableSetup(client, tableName).ensure();
        } catch (SdkException e) {
            throw failure("could not open the DynamoDB table " + tableName, e);
        }
        return store;
    }

    /** The DynamoDB table this store writes to. */
    public String tableName() {
        return tableName;
    }

    @Override
    public Optional<Item> get(String table, Key key) {
        Tables.requireValid(table);
        Objects.requireNonNull(key, "key cannot be null");
        requireOpen();
        GetItemResponse response;
        try {
            response = client.getItem(
                    r -> r.tableName(tableName).key(ItemCodec.key(table, key)).consistentRead(true));
        } catch (SdkException e) {
            throw failure("DynamoDB GetItem failed", e);
        }
        if (!response.hasItem() || response.item().isEmpty()) {
            return Optional.empty();
        }
        Item item = ItemCodec.decode(response.item());
        return item.isExpiredAt(clock.instant()) ? Optional.empty() : Optional.of(item);
    }

    @Override
    public Page query(String table, Query query) {
        Tables.requireValid(table);
        Objects.requireNonNull(query, "query cannot be null");
        String after = query.startCursor()
                .map(c -> Cursors.decode(query.partition(), c))
                .orElse(null);
        requireOpen();
        QueryPlan plan = QueryPlan.of(table, query, after);
        if (plan.empty()) {
            return new Page(List.of(), null);
        }
        long now = clock.millis();
        List<Item> items = new ArrayList<>();
        Map<String, AttributeValue> start = plan.exclusiveStartKey().orElse(null);
        do {
            QueryResponse response = queryOnce(plan, start, query.limit() + 1 - items.size(), now);
            for (Map<String, AttributeValue> raw : response.items()) {
                Item item = ItemCodec.decode(raw);
                if (!item.isExpiredAt(clock.instant()) && items.size() <= query.limit()) {
                    items.add(item);
                }
            }
            start = response.hasLastEvaluatedKey()
                            && !response.lastEvaluatedKey().isEmpty()
                    ? response.lastEvaluatedKey()
                    : null;
        } while (start != null && items.size() <= query.limit());
        if (items.size() <= query.limit()) {
            return new Page(items, null);
        }
        List<Item> page = items.subList(0, query.limit());
        return new Page(
                page,
                Cursors.encode(
                        query.partition(), page.get(page.size() - 1).key().sort()));
    }

    private QueryResponse queryOnce(QueryPlan plan, @Nullable Map<String, AttributeValue> start, int limit, long now) {
        Map<String, String> names = new HashMap<>(plan.names());
        names.put("#exp", EXPIRES);
        Map<String, AttributeValue> values = new HashMap<>(plan.values());
        values.put(":now", ItemCodec.number(now));
        QueryRequest.Builder request = QueryRequest.builder()
                .tableName(tableName)
                .keyConditionExpression(plan.keyCondition())
                .filterExpression(LIVE)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .scanIndexForward(plan.forward())
                .consistentRead(true)
                .limit(limit);
        if (start != null) {
            request.exclusiveStartKey(start);
        }
        try {
            return client.query(request.build());
        } catch (SdkException e) {
            throw failure("DynamoDB Query failed", e);
        }
    }

    @Override
    public void transact(List<Write> writes) {
        List<Write> batch = Write.requireValidBatch(writes);
        requireOpen();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            // A check without a condition can never fail: DynamoDB needs no word of it.
            if (!(batch.get(i) instanceof Write.Check && batch.get(i).condition() instanceof Condition.None)) {
                positions.add(i);
            }
        }
        if (positions.isEmpty()) {
            return;
        }
        if (positions.size() == 1 && !(batch.get(positions.get(0)) instanceof Write.Check)) {
            writeOne(batch.get(positions.get(0)), positions.get(0));
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                transactOnce(batch, positions);
                return;
            } catch (TransactionCanceledException e) {
                throwIfConditionFailed(batch, positions, e);
                if (attempt >= CONFLICT_ATTEMPTS || !isConflict(e)) {
                    throw failure("DynamoDB TransactWriteItems was cancelled", e);
                }
            } catch (TransactionInProgressException | TransactionConflictException e) {
                if (attempt >= CONFLICT_ATTEMPTS) {
                    throw failure("DynamoDB TransactWriteItems kept conflicting", e);
                }
            } catch (SdkException e) {
                throw failure("DynamoDB TransactWriteItems failed", e);
            }
            backOff(attempt);
        }
    }

    private void transactOnce(List<Write> batch, List<Integer> positions) {
        long now = clock.millis();
        List<TransactWriteItem> items = new ArrayList<>(positions.size());
        for (int position : positions) {
            items.add(transactItem(batch.get(position), now));
        }
        // A fresh token per attempt: the SDK's own retries of this call reuse it, so a retried commit applies once.
        client.transactWriteItems(
                r -> r.transactItems(items).clientRequestToken(UUID.randomUUID().toString()));
    }

    private TransactWriteItem transactItem(Write write, long now) {
        Optional<ConditionExpression> condition = ConditionExpression.of(write.condition(), now);
        if (write instanceof Write.Put put) {
            Put.Builder b = Put.builder().tableName(tableName).item(ItemCodec.encode(put.table(), put.item()));
            condition.ifPresent(c -> b.conditionExpression(c.expression())
                    .expressionAttributeNames(c.names())
                    .expressionAttributeValues(c.values()));
            return TransactWriteItem.builder().put(b.build()).build();
        }
        Map<String, AttributeValue> key = ItemCodec.key(write.table(), write.key());
        if (write instanceof Write.Delete) {
            Delete.Builder b = Delete.builder().tableName(tableName).key(key);
            condition.ifPresent(c -> b.conditionExpression(c.expression())
                    .expressionAttributeNames(c.names())
                    .expressionAttributeValues(c.values()));
            return TransactWriteItem.builder().delete(b.build()).build();
        }
        ConditionExpression c = condition.orElseThrow();
        return TransactWriteItem.builder()
                .conditionCheck(ConditionCheck.builder()
                        .tableName(tableName)
                        .key(key)
                        .conditionExpression(c.expression())
                        .expressionAttributeNames(c.names())
                        .expressionAttributeValues(c.values())
                        .build())
                .build();
    }

    private void writeOne(Write write, int position) {
        for (int attempt = 1; ; attempt++) {
            try {
                writeOnce(write);
                return;
            } catch (ConditionalCheckFailedException e) {
                throw new ConditionFailedException(write.table(), write.key(), position);
            } catch (TransactionConflictException e) {
                // The item is part of a transaction in flight; DynamoDB asks to try again.
                if (attempt >= CONFLICT_ATTEMPTS) {
                    throw failure("DynamoDB write kept conflicting with transactions", e);
                }
            } catch (SdkException e) {
                throw failure("DynamoDB write failed", e);
            }
            backOff(attempt);
        }
    }

    private void writeOnce(Write write) {
        Optional<ConditionExpression> condition = ConditionExpression.of(write.condition(), clock.millis());
        if (write instanceof Write.Put put) {
            PutItemRequest.Builder b =
                    PutItemRequest.builder().tableName(tableName).item(ItemCodec.encode(put.table(), put.item()));
            condition.ifPresent(c -> b.conditionExpression(c.expression())
                    .expressionAttributeNames(c.names())
                    .expressionAttributeValues(c.values()));
            client.putItem(b.build());
        } else {
            DeleteItemRequest.Builder b =
                    DeleteItemRequest.builder().tableName(tableName).key(ItemCodec.key(write.table(), write.key()));
            condition.ifPresent(c -> b.conditionExpression(c.expression())
                    .expressionAttributeNames(c.names())
                    .expressionAttributeValues(c.values()));
            client.deleteItem(b.build());
        }
    }

    private static void throwIfConditionFailed(
            List<Write> batch, List<Integer> positions, TransactionCanceledException e) {
        if (!e.hasCancellationReasons()) {
            return;
        }
        List<CancellationReason> reasons = e.cancellationReasons();
        for (int i = 0; i < reasons.size() && i < positions.size(); i++) {
            if ("ConditionalCheckFailed".equals(reasons.get(i).code())) {
                Write failed = batch.get(positions.get(i));
                throw new ConditionFailedException(failed.table(), failed.key(), positions.get(i));
            }
        }
    }

    private static boolean isConflict(TransactionCanceledException e) {
        return e.hasCancellationReasons()
                && e.cancellationReasons().stream().anyMatch(r -> "TransactionConflict".equals(r.code()));
    }

    private static void backOff(int attempt) {
        long cap = Math.min(1000, 10L << Math.min(attempt, 6));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while retrying a conflicting write", e);
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && ownsClient) {
            client.close();
        }
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new StoreException("store is closed");
        }
    }

    /** A StoreException naming the failed call and DynamoDB's error code, never a key or a value. */
    static StoreException failure(String what, SdkException e) {
        String code = e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException aws
                        && aws.awsErrorDetails() != null
                ? ": " + aws.awsErrorDetails().errorCode()
                : "";
        return new StoreException(what + code, e);
    }
}
