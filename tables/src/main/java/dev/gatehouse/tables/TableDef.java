package dev.gatehouse.tables;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A table as the catalog keeps it. {@code storeId} is new for every CreateTable, so a table re-created under an old
 * name never sees the old table's items.
 */
record TableDef(
        String name,
        String tableId,
        String storeId,
        KeyDef hash,
        @Nullable KeyDef range,
        List<KeyDef> attributeDefinitions,
        List<IndexDef> indexes,
        String billingMode,
        long readCapacity,
        long writeCapacity,
        double created,
        @Nullable String ttlAttribute,
        boolean deletionProtection,
        @Nullable String streamViewType,
        String tableClass) {

    /** An attribute name and its key type ({@code S}, {@code N} or {@code B}). */
    record KeyDef(String name, String type) {}

    /** A secondary index. */
    record IndexDef(
            String name,
            boolean global,
            KeyDef hash,
            @Nullable KeyDef range,
            String projectionType,
            List<String> nonKeyAttributes,
            long readCapacity,
            long writeCapacity) {}

    Optional<KeyDef> rangeKey() {
        return Optional.ofNullable(range);
    }

    Optional<IndexDef> index(String indexName) {
        return indexes.stream().filter(i -> i.name().equals(indexName)).findFirst();
    }

    /** The names of the table's key attributes. */
    List<String> keyNames() {
        return range == null ? List.of(hash.name()) : List.of(hash.name(), range.name());
    }

    TableDef withTtl(@Nullable String attribute) {
        return new TableDef(
                name,
                tableId,
                storeId,
                hash,
                range,
                attributeDefinitions,
                indexes,
                billingMode,
                readCapacity,
                writeCapacity,
                created,
                attribute,
                deletionProtection,
                streamViewType,
                tableClass);
    }

    TableDef withIndexes(List<IndexDef> newIndexes, List<KeyDef> definitions) {
        return new TableDef(
                name,
                tableId,
                storeId,
                hash,
                range,
                definitions,
                newIndexes,
                billingMode,
                readCapacity,
                writeCapacity,
                created,
                ttlAttribute,
                deletionProtection,
                streamViewType,
                tableClass);
    }

    TableDef withSettings(
            String newBilling, long read, long write, boolean protection, @Nullable String stream, String newClass) {
        return new TableDef(
                name,
                tableId,
                storeId,
                hash,
                range,
                attributeDefinitions,
                indexes,
                newBilling,
                read,
                write,
                created,
                ttlAttribute,
                protection,
                stream,
                newClass);
    }
}
