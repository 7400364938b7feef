package dev.gatehouse.store.dynamodb;

import dev.gatehouse.store.Item;
import dev.gatehouse.store.Key;
import dev.gatehouse.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Items to DynamoDB attribute maps and back; see {@link DynamoDbItemStore} for the layout. */
final class ItemCodec {

    private static final char SEPARATOR = '#';

    private ItemCodec() {}

    static Map<String, AttributeValue> key(String table, Key key) {
        return Map.of(
                DynamoDbItemStore.PK, partitionKey(table, key.partition()), DynamoDbItemStore.SK, sortKey(key.sort()));
    }

    static AttributeValue partitionKey(String table, String partition) {
        return AttributeValue.fromS(table + SEPARATOR + partition);
    }

    static AttributeValue sortKey(String sort) {
        return AttributeValue.fromB(SdkBytes.fromByteArray(sort.getBytes(StandardCharsets.UTF_8)));
    }

    static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    static Map<String, AttributeValue> encode(String table, Item item) {
        Map<String, AttributeValue> out = new HashMap<>(key(table, item.key()));
        item.attributes().forEach((name, value) -> out.put(name, AttributeValue.fromS(value)));
        item.expiry().ifPresent(at -> {
            out.put(DynamoDbItemStore.EXPIRES, number(at.toEpochMilli()));
            // TTL counts whole seconds; rounding up means DynamoDB never deletes an item before it has expired.
            out.put(DynamoDbItemStore.TTL, number(Math.floorDiv(at.toEpochMilli() + 999, 1000)));
        });
        return out;
    }

    static Item decode(Map<String, AttributeValue> raw) {
        AttributeValue pk = raw.get(DynamoDbItemStore.PK);
        AttributeValue sk = raw.get(DynamoDbItemStore.SK);
        if (pk == null || pk.s() == null || sk == null || sk.b() == null) {
            throw new StoreException("a DynamoDB item lacks its key");
        }
        int split = pk.s().indexOf(SEPARATOR);
        if (split < 0) {
            throw new StoreException("a DynamoDB item has a malformed partition key");
        }
        Key key = Key.of(pk.s().substring(split + 1), sk.b().asUtf8String());
        Map<String, String> attributes = new HashMap<>();
        Instant expiresAt = null;
        for (Map.Entry<String, AttributeValue> e : raw.entrySet()) {
            String name = e.getKey();
            if (name.equals(DynamoDbItemStore.EXPIRES) && e.getValue().n() != null) {
                expiresAt = Instant.ofEpochMilli(Long.parseLong(e.getValue().n()));
            } else if (!name.startsWith("_") && e.getValue().s() != null) {
                attributes.put(name, e.getValue().s());
            }
        }
        return new Item(key, attributes, expiresAt);
    }
}
