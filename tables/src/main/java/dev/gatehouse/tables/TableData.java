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
  private static final String NO_SORT = "-";
  private static final char SEPARATOR = '\u0001';
  private static final int MAX_SORT_TEXT = 900;
  static final ObjectMapper JSON = JsonMapper.builder().build();

  static {
    JSON.getFactory().setStreamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
        .maxNestingDepth(200).maxStringLength(20 << 20).build());
  }

  private final ItemStore store;
  private final Clock clock;

  /** A stored item with the version its row carries. */
  record Stored(Map<String, Value> item, String version) {
  }

  TableData(ItemStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  ItemStore store() {
    return store;
  }

  // ---- catalog

  Optional<TableDef> table(String name) {
    return store.get(CATALOG, Key.of("t", name)).flatMap(row -> row.attribute("d")).map(TableData::readDef);
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
    return store.get(CATALOG, Key.of("tags", def.tableId())).flatMap(row -> row.attribute("d"))
        .map(TableData::readTags).orElseGet(LinkedHashMap::new);
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
    return store.get(ITEMS, storeKey(table, key)).map(TableData::stored);
  }

  static Stored stored(Item row) {
    Map<String, Value> item = parseStoredItem(row.attribute("i").orElse("{}"));
    return new Stored(item, row.attribute("v").orElse(""));
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
        return old == null ? Write.check(ITEMS, storeKey, Condition.notExists()) : Write.delete(ITEMS, storeKey,
            condition());
      }
      Map<String, String> attributes = Map.of("i", Attributes.write(next).toString(), "v", version);
      try {
        return Write.put(ITEMS, Item.of(storeKey, attributes), condition());
      } catch (IllegalArgumentException e) {
        throw TablesException.validation("Item size has exceeded the maximum allowed size");
      }
    }

    /** Partition markers and index entries the new item needs, written before the commit. */
    void prepare() {
      if (next == null) {
        return;
      }
      marker(table.storeId(), next.get(table.hash().name()));
      for (TableDef.IndexDef index : table.indexes()) {
        Optional<Key> entry = indexKey(table, index, next);
        if (entry.isPresent()) {
          marker(table.storeId() + "/" + index.name(), next.get(index.hash().name()));
          store.put(INDEX, Item.of(entry.get(), Map.of("k", Attributes.write(keyOf(table, next)).toString(),
              "w", version)), Condition.none());
        }
      }
    }

    /** Removes the old item's index entries that the new item no longer has. */
    void cleanUp() {
      if (old == null) {
        return;
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
        store.put(PARTS, Item.of(marker, Map.of("k", Attributes.write(hash).toString())), Condition.none());
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
    if (hash == null || !hash.type().equals(index.hash().type())
        || index.range() != null && (range == null || !range.type().equals(index.range().type()))) {
      return Optional.empty();
    }
    String sort = (range == null ? "" : sortText(range)) + SEPARATOR
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
    store.transact(writes);
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
