package dev.gatehouse.store.dynamodb;

import dev.gatehouse.store.Query;
import dev.gatehouse.store.SortCondition;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A port query as a DynamoDB key condition plus where to start. DynamoDB rejects an {@code ExclusiveStartKey} that
 * the key condition does not match, and a portable cursor may come from a query with another condition; so a cursor
 * key outside the condition is resolved here: when it sorts before every match (in the query's direction) the query
 * starts from the beginning, and when after every match the page is empty.
 *
 * @param empty the query matches nothing after the cursor: no call is needed
 */
record QueryPlan(
        String keyCondition,
        Map<String, String> names,
        Map<String, AttributeValue> values,
        boolean forward,
        @Nullable Map<String, AttributeValue> startKey,
        boolean empty) {

    static QueryPlan of(String table, Query query, @Nullable String after) {
        Map<String, String> names = new HashMap<>(Map.of("#pk", DynamoDbItemStore.PK));
        Map<String, AttributeValue> values =
                new HashMap<>(Map.of(":pk", ItemCodec.partitionKey(table, query.partition())));
        String condition = "#pk = :pk" + sortCondition(query.sort(), names, values);
        Map<String, AttributeValue> start = null;
        boolean empty = false;
        if (after != null) {
            if (query.sort().matches(after)) {
                start = Map.of(DynamoDbItemStore.PK, values.get(":pk"), DynamoDbItemStore.SK, ItemCodec.sortKey(after));
            } else {
                // Outside the condition: before every match, or after every match, in ascending order.
                boolean beforeAll = sortsBeforeEveryMatch(query.sort(), after);
                empty = beforeAll != query.forward();
            }
        }
        return new QueryPlan(condition, names, values, query.forward(), start, empty);
    }

    Optional<Map<String, AttributeValue>> exclusiveStartKey() {
        return Optional.ofNullable(startKey);
    }

    private static String sortCondition(
            SortCondition sort, Map<String, String> names, Map<String, AttributeValue> values) {
        String expression;
        if (sort instanceof SortCondition.Equal c) {
            expression = "#sk = :s";
            values.put(":s", ItemCodec.sortKey(c.value()));
        } else if (sort instanceof SortCondition.BeginsWith c && !c.prefix().isEmpty()) {
            expression = "begins_with(#sk, :s)";
            values.put(":s", ItemCodec.sortKey(c.prefix()));
        } else if (sort instanceof SortCondition.Between c) {
            expression = "#sk BETWEEN :lo AND :hi";
            values.put(":lo", ItemCodec.sortKey(c.low()));
            values.put(":hi", ItemCodec.sortKey(c.high()));
        } else if (sort instanceof SortCondition.GreaterThan c) {
            expression = "#sk > :s";
            values.put(":s", ItemCodec.sortKey(c.value()));
        } else if (sort instanceof SortCondition.LessThan c) {
            expression = "#sk < :s";
            values.put(":s", ItemCodec.sortKey(c.value()));
        } else {
            return "";
        }
        names.put("#sk", DynamoDbItemStore.SK);
        return " AND " + expression;
    }

    /**
     * For a sort key the condition does not match: whether it sorts before every key the condition matches (else it
     * sorts after every one). Each condition matches one contiguous range of UTF-8 byte order.
     */
    private static boolean sortsBeforeEveryMatch(SortCondition sort, String key) {
        if (sort instanceof SortCondition.Equal c) {
            return compare(key, c.value()) < 0;
        } else if (sort instanceof SortCondition.BeginsWith c) {
            return compare(key, c.prefix()) < 0;
        } else if (sort instanceof SortCondition.Between c) {
            return compare(key, c.low()) < 0;
        } else if (sort instanceof SortCondition.GreaterThan) {
            return true;
        }
        return false;
    }

    private static int compare(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
