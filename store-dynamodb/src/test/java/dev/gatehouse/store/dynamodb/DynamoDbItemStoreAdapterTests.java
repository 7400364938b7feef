package dev.gatehouse.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.store.Condition;
import dev.gatehouse.store.Cursors;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.Key;
import dev.gatehouse.store.MutableClock;
import dev.gatehouse.store.Page;
import dev.gatehouse.store.Query;
import dev.gatehouse.store.SortCondition;
import dev.gatehouse.store.StoreException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/** What only the DynamoDB adapter promises, beyond the contract: its table, its item layout, its cursors. */
class DynamoDbItemStoreAdapterTests {

    private static final String TABLE = "items";

    private final MutableClock clock = MutableClock.at("2024-01-01T00:00:00Z");
    private final DynamoDbClient client = Moto.client();
    private final String tableName = "adapter-" + UUID.randomUUID();

    @Test
    void openWhenTableMissingThenCreatesOnDemandTableKeyedByStringAndBinary() {
        DynamoDbItemStore.open(client, tableName, clock, false).close();
        TableDescription table =
                client.describeTable(r -> r.tableName(tableName)).table();
        assertThat(table.billingModeSummary().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
        assertThat(table.keySchema())
                .extracting(k -> k.attributeName() + " " + k.keyType())
                .containsExactly("_pk " + KeyType.HASH, "_sk " + KeyType.RANGE);
        assertThat(table.attributeDefinitions())
                .extracting(AttributeDefinition::attributeType)
                .containsExactlyInAnyOrder(ScalarAttributeType.S, ScalarAttributeType.B);
    }

    @Test
    void openWhenTableHasAnotherKeySchemaThenStoreException() {
        client.createTable(r -> r.tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S)));
        assertThatThrownBy(() -> DynamoDbItemStore.open(client, tableName, clock, false))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("another key schema");
    }

    @Test
    void openWhenTwoStoresShareTheTableThenEachSeesTheOthersWrites() {
        try (DynamoDbItemStore a = DynamoDbItemStore.open(client, tableName, clock, false);
                DynamoDbItemStore b = DynamoDbItemStore.open(client, tableName, clock, false)) {
            a.put(TABLE, Item.of(Key.of("user", "alice"), Map.of("v", "1")), Condition.notExists());
            assertThat(b.get(TABLE, Key.of("user", "alice"))).isPresent();
            assertThatThrownBy(() -> b.put(TABLE, Item.of(Key.of("user", "alice"), Map.of()), Condition.notExists()))
                    .isInstanceOf(dev.gatehouse.store.ConditionFailedException.class);
        }
    }

    @Test
    void putStoresSortKeyAsUtf8BytesAndExpiryAsMillisAndTtlSecondsRoundedUp() {
        Instant expiry = Instant.parse("2024-01-01T00:00:10.001Z");
        try (DynamoDbItemStore store = DynamoDbItemStore.open(client, tableName, clock, false)) {
            store.put(TABLE, Item.expiring(Key.of("p", "\u00E9"), Map.of("a", "1"), expiry), Condition.none());
        }
        Map<String, AttributeValue> raw =
                client.scan(r -> r.tableName(tableName)).items().get(0);
        assertThat(raw.get("_pk").s()).isEqualTo("items#p");
        assertThat(raw.get("_sk").b().asByteArray()).isEqualTo("\u00E9".getBytes(StandardCharsets.UTF_8));
        assertThat(raw.get("_exp").n()).isEqualTo(Long.toString(expiry.toEpochMilli()));
        assertThat(raw.get("_ttl").n()).isEqualTo(Long.toString(expiry.getEpochSecond() + 1));
        assertThat(raw.get("a").s()).isEqualTo("1");
    }

    @Test
    void queryWhenCursorOutsideSortConditionThenStartsOverOrEnds() {
        try (DynamoDbItemStore store = DynamoDbItemStore.open(client, tableName, clock, false)) {
            for (String s : List.of("a", "b", "c", "d")) {
                store.put(TABLE, Item.of(Key.of("p", s), Map.of()), Condition.none());
            }
            Query between = Query.partition("p").withSort(SortCondition.between("b", "c"));
            assertThat(sortKeys(store.query(TABLE, between.after(Cursors.encode("p", "a")))))
                    .containsExactly("b", "c");
            assertThat(sortKeys(store.query(TABLE, between.after(Cursors.encode("p", "d")))))
                    .isEmpty();
            assertThat(sortKeys(store.query(TABLE, between.descending().after(Cursors.encode("p", "d")))))
                    .containsExactly("c", "b");
            assertThat(sortKeys(store.query(TABLE, between.descending().after(Cursors.encode("p", "a")))))
                    .isEmpty();
            Query prefix = Query.partition("p").withSort(SortCondition.beginsWith("c"));
            assertThat(sortKeys(store.query(TABLE, prefix.after(Cursors.encode("p", "bz")))))
                    .containsExactly("c");
            assertThat(sortKeys(store.query(TABLE, prefix.after(Cursors.encode("p", "d")))))
                    .isEmpty();
        }
    }

    @Test
    void settingsWhenPrefixOrEndpointInvalidThenIllegalArgument() {
        assertThatThrownBy(() -> new DynamoDbSettings(null, null, "bad prefix "))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DynamoDbSettings(URI.create("ftp://127.0.0.1/"), null, "gatehouse-"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new DynamoDbSettings(URI.create("http://127.0.0.1:8000"), "eu-west-1", "gh-").tableName())
                .isEqualTo("gh-items");
    }

    private static List<String> sortKeys(Page page) {
        return page.items().stream().map(i -> i.key().sort()).toList();
    }
}
