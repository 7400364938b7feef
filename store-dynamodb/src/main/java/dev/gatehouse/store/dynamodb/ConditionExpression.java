package dev.gatehouse.store.dynamodb;

import dev.gatehouse.store.Condition;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A port {@link Condition} as a DynamoDB condition expression, evaluated at {@code now} (epoch milliseconds): an item
 * whose {@code _exp} is at or before now counts as absent, as the port requires, although DynamoDB may still hold it.
 */
record ConditionExpression(String expression, Map<String, String> names, Map<String, AttributeValue> values) {

    /** The expression for {@code condition}; empty for {@link Condition#none()}, which needs none. */
    static Optional<ConditionExpression> of(Condition condition, long now) {
        AttributeValue at = ItemCodec.number(now);
        if (condition instanceof Condition.NotExists) {
            // A missing _exp makes the comparison false, so a live item without expiry fails the condition.
            return Optional.of(new ConditionExpression(
                    "attribute_not_exists(#pk) OR #exp <= :now",
                    Map.of("#pk", DynamoDbItemStore.PK, "#exp", DynamoDbItemStore.EXPIRES),
                    Map.of(":now", at)));
        } else if (condition instanceof Condition.Exists) {
            return Optional.of(new ConditionExpression(
                    "attribute_exists(#pk) AND (attribute_not_exists(#exp) OR #exp > :now)",
                    Map.of("#pk", DynamoDbItemStore.PK, "#exp", DynamoDbItemStore.EXPIRES),
                    Map.of(":now", at)));
        } else if (condition instanceof Condition.AttributeEquals equals) {
            return Optional.of(new ConditionExpression(
                    "#a = :v AND (attribute_not_exists(#exp) OR #exp > :now)",
                    Map.of("#a", equals.name(), "#exp", DynamoDbItemStore.EXPIRES),
                    Map.of(":v", AttributeValue.fromS(equals.value()), ":now", at)));
        }
        return Optional.empty();
    }
}
