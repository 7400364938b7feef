package dev.gatehouse.tables;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.gatehouse.store.Condition;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.ItemStore;
import dev.gatehouse.store.Key;
import dev.gatehouse.store.Page;
import dev.gatehouse.store.Query;
import dev.gatehouse.store.SortCondition;
import dev.gatehouse.store.Write;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * How tables live in the {@link ItemStore}. Design note:
 * <ul>
 *   <li>The catalog is one store partition ({@code tables.catalog}/{@code t}), one row per table holding its
 *       {@link TableDef} as JSON.</li>
 *   <li>An item is one row of {@code tables.items}: partition {@code <storeId>|<typed partition key>}, sort key an
 *       order-preserving text form of the sort key ({@code -} for a table without one), attribute {@code i} the item
 *       as DynamoDB JSON and {@code v} a version that every write changes: writes are optimistic, conditioned on the
 *       version they read, and retried on a race, so conditions over any attribute are atomic on every adapter.</li>
 *   <li>Scans need every partition: {@code tables.parts} lists each partition key ever written (a marker written
 *       before the item). Markers of emptied partitions stay until the table is deleted; a scan skips them.</li>
 *   <li>An index entry is a row of {@code tables.index} under the index key, pointing at the table key. Entries are
 *       written before the item commits and stale ones removed after; a read through an index fetches the item and
 *       keeps it only if its index key still matches, so a race or a crash can leave a harmless stale entry but
 *       never a wrong answer.</li>
 * </ul>
 */
final class TableData {

    static final String CATALOG = "tables.catalog";
    static final String ITEMS = "tables.items";
    static final String PARTS = "tables.parts";
    static final String INDEX = "tables.index";
    static final String CHUNKS = "tables.chunks";
    /** Characters of item JSON per store row: the store counts 3 bytes a character against its 400 KB. */
    static final int CHUNK_CHARS = 100_000;

    private static final String NO_SORT = "-";
    private static final char SEPARATOR = '\u0001';
    private static final int MAX_SORT_TEXT = 900;
    static final ObjectMapper JSON = JsonMapper.builder().build();

    static {
        JSON.getFactory()
                .setStreamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
                        .maxNestingDepth(200)
                        .maxStringLength(20 << 20)
                        .build());
    }

    private final ItemStore store;
    private final Clock clock;

    /** A stored item with the version its row carries and the number of chunk rows holding its JSON (0: inline). */
    record Stored(Map<String, Value> item, String version, int chunks) {}

    TableData(ItemStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    ItemStore store() {
        return store;
    }

    Clock clock() {
        return clock;
    }

    // ---- catalog

    Optional<TableDef> table(String name) {
        return store.get(CATALOG, Key.of("t", name))
                .flatMap(row -> row.attribute("d"))
                .map(TableData::readDef);
    }

    void createTable(TableDef def) {
        store.put(CATALOG, Item.of(Key.of("t", def.name()), Map.of("d", writeJson(def))), Condition.notExists());
    }

    void replaceTable(TableDef def) {
        store.put(CATALOG, Item.of(Key.of("t", def.name()), Map.of("d", writeJson(def))), Condition.exists());
    }

    void removeTable(TableDef def) {
        store.delete(CATALOG, Key.of("t", def.name()), Condition.none());
    }

    /** Up to {@code limit} table names after {@code after}, in name order. */
    List<String> tableNames(@Nullable String after, int limit) {
        SortCondition sort = after == null ? SortCondition.any() : SortCondition.greaterThan(after);
        Page page = store.query(CATALOG, new Query("t", sort, Math.min(limit, Query.MAX_LIMIT), true, null));
        return page.items().stream().map(i -> i.key().sort()).toList();
    }

    /** A table's tags, in the order they were first set. */
    Map<String, String> tags(TableDef def) {
        return store.get(CATALOG, Key.of("tags", def.tableId()))
                .flatMap(row -> row.attribute("d"))
                .map(TableData::readTags)
                .orElseGet(LinkedHashMap::new);
    }

    void setTags(TableDef def, Map<String, String> tags) {
        if (tags.isEmpty()) {
            store.delete(CATALOG, Key.of("tags", def.tableId()), Condition.none());
        } else {
            store.put(CATALOG, Item.of(Key.of("tags", def.tableId()), Map.of("d", writeJson(tags))), Condition.none());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> readTags(String json) {
        try {
            return new LinkedHashMap<String, String>(JSON.readValue(json, LinkedHashMap.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable tags", e);
        }
    }

    private static TableDef readDef(String json) {
        try {
            return JSON.readValue(json, TableDef.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable table definition", e);
        }
    }

    static String writeJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    // ---- keys

    /** The store key of an item. */
    static Key storeKey(TableDef table, Map<String, Value> key) {
        Value hash = java.util.Objects.requireNonNull(key.get(table.hash().name()), "the key has its hash attribute");
        TableDef.KeyDef range = table.range();
        String sort = range == null ? NO_SORT : sortText(key.get(range.name()));
        return Key.of(table.storeId() + "|" + partText(hash), sort);
    }

    /** Equality-only text of a partition key value, short enough for a store key. */
    static String partText(Value value) {
        String text;
        if (value instanceof Value.S s) {
            text = "s" + s.value();
        } else if (value instanceof Value.N n) {
            text = "n" + n.text();
        } else {
            text = "b" + ((Value.B) value).value().base64();
        }
        return Attributes.utf8(text) > 960 ? "h" + sha256(text) : text;
    }

    /**
     * Order-preserving text of a sort key value: strings as themselves (UTF-8 order is DynamoDB's), numbers in a
     * sign-exponent-digits form, binary as hex. Texts longer than the store allows keep a prefix and a hash, so such
     * keys order by their first bytes only.
     */
    static String sortText(@Nullable Value value) {
        if (value == null) {
            return NO_SORT;
        }
        String text;
        if (value instanceof Value.S s) {
            text = s.value();
        } else if (value instanceof Value.N n) {
            text = numberText(n.value());
        } else {
            text = HexFormat.of().formatHex(((Value.B) value).value().toArray());
        }
        if (Attributes.utf8(text) <= 1024 - 40) {
            return text;
        }
        StringBuilder prefix = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int size = Attributes.utf8(new String(Character.toChars(cp)));
            if (bytes + size > MAX_SORT_TEXT) {
                break;
            }
            prefix.appendCodePoint(cp);
            bytes += size;
            i += Character.charCount(cp);
        }
        return prefix + "\u007f" + sha256(text).substring(0, 32);
    }

    /** Zero is "1"; positives "2" + exponent + digits; negatives "0" + inverted exponent + inverted digits + "~". */
    static String numberText(BigDecimal number) {
        if (number.signum() == 0) {
            return "1";
        }
        BigDecimal stripped = number.stripTrailingZeros();
        int exponent = stripped.precision() - stripped.scale() - 1;
        String digits = stripped.unscaledValue().abs().toString();
        if (number.signum() > 0) {
            return "2" + String.format("%03d", exponent + 200) + digits;
        }
        StringBuilder inverted = new StringBuilder();
        for (char c : digits.toCharArray()) {
            inverted.append((char) ('9' - c + '0'));
        }
        return "0" + String.format("%03d", 400 - (exponent + 200)) + inverted + "~";
    }

    static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    // ---- items

    Optional<Stored> get(TableDef table, Map<String, Value> key) {
        return store.get(ITEMS, storeKey(table, key)).flatMap(this::read);
    }

    /**
     * The item a row holds. A large item's JSON is in chunk rows named by the row's version; if a concurrent write
     * replaced the row and removed those chunks, the row is read again.
     */
    Optional<Stored> read(Item row) {
        Item current = row;
        for (int attempt = 0; attempt < 50; attempt++) {
            Optional<Stored> stored = load(current);
            if (stored.isPresent()) {
                return stored;
            }
            Optional<Item> again = store.get(ITEMS, current.key());
            if (again.isEmpty()) {
                return Optional.empty();
            }
            current = again.get();
        }
        throw new IllegalStateException("an item's chunks kept changing while it was read");
    }

    private Optional<Stored> load(Item row) {
        String version = row.attribute("v").orElse("");
        int chunks = row.attribute("c").map(Integer::parseInt).orElse(0);
        if (chunks == 0) {
            return Optional.of(new Stored(parseStoredItem(row.attribute("i").orElse("{}")), version, 0));
        }
        StringBuilder json = new StringBuilder();
        String partition = chunkPartition(row.key(), version);
        String cursor = null;
        int found = 0;
        do {
            Page page = store.query(CHUNKS, new Query(partition, SortCondition.any(), 10, true, cursor));
            for (Item chunk : page.items()) {
                json.append(chunk.attribute("j").orElse(""));
                found++;
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        return found == chunks
                ? Optional.of(new Stored(parseStoredItem(json.toString()), version, chunks))
                : Optional.empty();
    }

    private static String chunkPartition(Key row, String version) {
        return sha256(row.partition() + "\u0000" + row.sort() + "\u0000" + version);
    }

    private void deleteChunks(Key row, String version, int chunks) {
        String partition = chunkPartition(row, version);
        for (int i = 0; i < chunks; i++) {
            store.delete(CHUNKS, Key.of(partition, String.format("%06d", i)), Condition.none());
        }
    }

    static Map<String, Value> parseStoredItem(String json) {
        try {
            return Attributes.parseItem(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable stored item", e);
        }
    }

    /** Whether the table's TTL attribute says this item has expired (epoch seconds, at most 5 years in the past). */
    boolean expired(TableDef table, Map<String, Value> item) {
        if (table.ttlAttribute() == null || !(item.get(table.ttlAttribute()) instanceof Value.N n)) {
            return false;
        }
        long now = clock.instant().getEpochSecond();
        BigDecimal expiry = n.value();
        return expiry.compareTo(BigDecimal.valueOf(now)) <= 0
                && expiry.compareTo(BigDecimal.valueOf(now - 5L * 366 * 24 * 3600)) >= 0;
    }

    /** One item's change: the store writes that commit it, and the work before and after the commit. */
    final class Change {
        final TableDef table;
        final Map<String, Value> key;
        final @Nullable Stored old;
        final @Nullable Map<String, Value> next;
        final String version = UUID.randomUUID().toString();
        private @Nullable String json;

        Change(TableDef table, Map<String, Value> key, @Nullable Stored old, @Nullable Map<String, Value> next) {
            this.table = table;
            this.key = key;
            this.old = old;
            this.next = next;
        }

        Condition condition() {
            return old == null ? Condition.notExists() : Condition.attributeEquals("v", old.version());
        }

        /** The store write that commits the change; null for a delete of nothing. */
        Write write() {
            Key storeKey = storeKey(table, key);
            if (next == null) {
                return old == null
                        ? Write.check(ITEMS, storeKey, Condition.notExists())
                        : Write.delete(ITEMS, storeKey, condition());
            }
            String text = json();
            Map<String, String> attributes = text.length() <= CHUNK_CHARS
                    ? Map.of("i", text, "v", version)
                    : Map.of("c", Integer.toString(chunkCount(text)), "v", version);
            try {
                return Write.put(ITEMS, Item.of(storeKey, attributes), condition());
            } catch (IllegalArgumentException e) {
                throw TablesException.validation("Item size has exceeded the maximum allowed size");
            }
        }

        private String json() {
            String text = json;
            if (text == null) {
                text = Attributes.write(java.util.Objects.requireNonNull(next, "a put has an item"))
                        .toString();
                json = text;
            }
            return text;
        }

        private int chunkCount(String text) {
            return (text.length() + CHUNK_CHARS - 1) / CHUNK_CHARS;
        }

        /** Partition markers, index entries and chunks the new item needs, written before the commit. */
        void prepare() {
            if (next == null) {
                return;
            }
            String text = json();
            if (text.length() > CHUNK_CHARS) {
                String partition = chunkPartition(storeKey(table, key), version);
                for (int i = 0; i < chunkCount(text); i++) {
                    String part = text.substring(i * CHUNK_CHARS, Math.min(text.length(), (i + 1) * CHUNK_CHARS));
                    store.put(
                            CHUNKS,
                            Item.of(Key.of(partition, String.format("%06d", i)), Map.of("j", part)),
                            Condition.none());
                }
            }
            marker(table.storeId(), next.get(table.hash().name()));
            for (TableDef.IndexDef index : table.indexes()) {
                Optional<Key> entry = indexKey(table, index, next);
                if (entry.isPresent()) {
                    marker(
                            table.storeId() + "/" + index.name(),
                            next.get(index.hash().name()));
                    store.put(
                            INDEX,
                            Item.of(
                                    entry.get(),
                                    Map.of(
                                            "k",
                                            Attributes.write(keyOf(table, next)).toString(),
                                            "w",
                                            version)),
                            Condition.none());
                }
            }
        }

        /** Removes the chunks written for a change that did not commit. */
        void abandon() {
            if (next != null && json().length() > CHUNK_CHARS) {
                deleteChunks(storeKey(table, key), version, chunkCount(json()));
            }
        }

        /** Removes the old item's chunks, and its index entries that the new item no longer has. */
        void cleanUp() {
            if (old == null) {
                return;
            }
            if (old.chunks() > 0) {
                deleteChunks(storeKey(table, key), old.version(), old.chunks());
            }
            for (TableDef.IndexDef index : table.indexes()) {
                Optional<Key> before = indexKey(table, index, old.item());
                Optional<Key> after = next == null ? Optional.empty() : indexKey(table, index, next);
                if (before.isPresent() && !before.equals(after)) {
                    try {
                        store.delete(INDEX, before.get(), Condition.attributeEquals("w", old.version()));
                    } catch (dev.gatehouse.store.ConditionFailedException e) {
                        // rewritten by a later change of the same item: that entry is current
                    }
                }
            }
        }

        private void marker(String partition, @Nullable Value hash) {
            if (hash == null) {
                return;
            }
            Key marker = Key.of(partition, partText(hash));
            if (store.get(PARTS, marker).isEmpty()) {
                store.put(
                        PARTS,
                        Item.of(marker, Map.of("k", Attributes.write(hash).toString())),
                        Condition.none());
            }
        }
    }

    /** The table key attributes of an item. */
    static Map<String, Value> keyOf(TableDef table, Map<String, Value> item) {
        Map<String, Value> key = new LinkedHashMap<>();
        for (String name : table.keyNames()) {
            Value value = item.get(name);
            if (value != null) {
                key.put(name, value);
            }
        }
        return key;
    }

    /** The index entry key of an item, when the item has the index's key attributes with the defined types. */
    static Optional<Key> indexKey(TableDef table, TableDef.IndexDef index, Map<String, Value> item) {
        Value hash = item.get(index.hash().name());
        Value range = index.range() == null ? null : item.get(index.range().name());
        if (hash == null
                || !hash.type().equals(index.hash().type())
                || index.range() != null
                        && (range == null || !range.type().equals(index.range().type()))) {
            return Optional.empty();
        }
        String sort = (range == null ? "" : sortText(range))
                + SEPARATOR
                + sha256(storeKey(table, keyOf(table, item)).toString()).substring(0, 24);
        return Optional.of(Key.of(table.storeId() + "/" + index.name() + "|" + partText(hash), sort));
    }

    static String indexPartition(TableDef table, TableDef.IndexDef index, Value hash) {
        return table.storeId() + "/" + index.name() + "|" + partText(hash);
    }

    /** Index entry sort text for a start key: entries after it follow this text. */
    static String indexSort(TableDef table, TableDef.IndexDef index, Map<String, Value> item) {
        return indexKey(table, index, item).map(Key::sort).orElse("");
    }

    /** Commits changes atomically; a lost race throws {@link dev.gatehouse.store.ConditionFailedException}. */
    void commit(List<Change> changes) {
        changes.forEach(Change::prepare);
        List<Write> writes = new ArrayList<>();
        changes.forEach(c -> writes.add(c.write()));
        try {
            store.transact(writes);
        } catch (dev.gatehouse.store.ConditionFailedException e) {
            changes.forEach(Change::abandon);
            throw e;
        }
        changes.forEach(Change::cleanUp);
    }

    /** A page of rows of one store partition. */
    Page rows(String storeTable, String partition, SortCondition sort, boolean forward, @Nullable String cursor) {
        return store.query(storeTable, new Query(partition, sort, 200, forward, cursor));
    }

    /** Deletes every row a table owns: items, partition markers, index entries. Best effort, page by page. */
    void purge(TableDef table) {
        List<String> partitions = new ArrayList<>();
        partitions.add(table.storeId());
        table.indexes().forEach(i -> partitions.add(table.storeId() + "/" + i.name()));
        for (String markerPartition : partitions) {
            String target = markerPartition.equals(table.storeId()) ? ITEMS : INDEX;
            Page markers;
            do {
                markers = store.query(PARTS, Query.partition(markerPartition).withLimit(100));
                for (Item marker : markers.items()) {
                    String partition = markerPartition + "|" + marker.key().sort();
                    Page rows;
                    do {
                        rows = store.query(target, Query.partition(partition).withLimit(100));
                        for (Item row : rows.items()) {
                            store.delete(target, row.key(), Condition.none());
                            int chunks =
                                    row.attribute("c").map(Integer::parseInt).orElse(0);
                            if (chunks > 0) {
                                deleteChunks(row.key(), row.attribute("v").orElse(""), chunks);
                            }
                        }
                    } while (rows.cursor().isPresent());
                    store.delete(PARTS, marker.key(), Condition.none());
                }
            } while (markers.cursor().isPresent());
        }
    }

    static Value parseValue(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            return Attributes.parse(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable stored value", e);
        }
    }
}
