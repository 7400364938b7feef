package dev.gatehouse.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Attribute values and items between DynamoDB's JSON and {@link Value}s: parsing with DynamoDB's checks and messages,
 * writing, and sizes as DynamoDB counts them.
 *
 * @see <a href="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html">Item sizes</a>
 */
final class Attributes {

    /** 400 KB. */
    static final int MAX_ITEM_BYTES = 400 * 1024;
    /** Levels of nesting an item may have, the item itself counting as one. */
    static final int MAX_DEPTH = 32;

    static final int MAX_NAME_BYTES = 65535;
    private static final String INVALID = "One or more parameter values were invalid: ";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private Attributes() {}

    /** An item (a map of names to values), checked as PutItem checks one. */
    static Map<String, Value> parseItem(JsonNode node) {
        if (!node.isObject()) {
            throw TablesException.serialization("Unexpected value type in payload");
        }
        Map<String, Value> item = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            item.put(field.getKey(), parse(field.getValue(), 2));
        }
        return item;
    }

    /** One attribute value. */
    static Value parse(JsonNode node) {
        return parse(node, 1);
    }

    private static Value parse(JsonNode node, int depth) {
        if (!node.isObject()) {
            throw TablesException.serialization("Unexpected value type in payload");
        }
        String type = null;
        JsonNode content = null;
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!isType(field.getKey()) || field.getValue().isNull()) {
                continue;
            }
            if (type != null) {
                throw TablesException.validation("Supplied AttributeValue has more than one datatypes set, "
                        + "must contain exactly one of the supported datatypes");
            }
            type = field.getKey();
            content = field.getValue();
        }
        if (type == null || content == null) {
            throw TablesException.validation(
                    "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
        }
        return parseTyped(type, content, depth);
    }

    private static boolean isType(String name) {
        return switch (name) {
            case "S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS" -> true;
            default -> false;
        };
    }

    private static Value parseTyped(String type, JsonNode content, int depth) {
        return switch (type) {
            case "S" -> new Value.S(text(content));
            case "N" -> new Value.N(Numbers.parse(text(content)));
            case "B" -> new Value.B(binary(content));
            case "BOOL" -> new Value.Bool(bool(content));
            case "NULL" -> parseNull(content);
            case "M" -> parseMap(content, depth);
            case "L" -> parseList(content, depth);
            case "SS" -> parseStringSet(content);
            case "NS" -> parseNumberSet(content);
            default -> parseBinarySet(content);
        };
    }

    private static Value parseNull(JsonNode content) {
        if (!bool(content)) {
            throw TablesException.validation(INVALID + "Null attribute value types must have the value of true");
        }
        return new Value.Null();
    }

    private static void checkDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw TablesException.validation("Nesting Levels have exceeded supported limits");
        }
    }

    private static Value parseMap(JsonNode content, int depth) {
        checkDepth(depth);
        if (!content.isObject()) {
            throw TablesException.serialization("Unexpected value type in payload");
        }
        Map<String, Value> map = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = content.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            map.put(field.getKey(), parse(field.getValue(), depth + 1));
        }
        return new Value.M(map);
    }

    private static Value parseList(JsonNode content, int depth) {
        checkDepth(depth);
        List<Value> list = new ArrayList<>();
        for (JsonNode element : array(content)) {
            list.add(parse(element, depth + 1));
        }
        return new Value.L(list);
    }

    private static Value parseStringSet(JsonNode content) {
        List<String> values = new ArrayList<>();
        for (JsonNode element : array(content)) {
            values.add(text(element));
        }
        if (values.isEmpty()) {
            throw TablesException.validation(INVALID + "An string set  may not be empty");
        }
        Set<String> set = new LinkedHashSet<>(values);
        if (set.size() != values.size()) {
            throw TablesException.validation(INVALID + "Input collection " + values + " contains duplicates.");
        }
        return new Value.SS(set);
    }

    private static Value parseNumberSet(JsonNode content) {
        List<String> texts = new ArrayList<>();
        Set<BigDecimal> set = new LinkedHashSet<>();
        for (JsonNode element : array(content)) {
            String text = text(element);
            texts.add(text);
            set.add(Numbers.parse(text));
        }
        if (texts.isEmpty()) {
            throw TablesException.validation(INVALID + "An number set  may not be empty");
        }
        if (set.size() != texts.size()) {
            throw TablesException.validation(INVALID + "Input collection " + texts + " contains duplicates.");
        }
        return new Value.NS(set);
    }

    private static Value parseBinarySet(JsonNode content) {
        List<String> texts = new ArrayList<>();
        Set<Value.Bytes> set = new LinkedHashSet<>();
        for (JsonNode element : array(content)) {
            texts.add(element.asText());
            set.add(binary(element));
        }
        if (texts.isEmpty()) {
            throw TablesException.validation(INVALID + "Binary sets should not be empty");
        }
        if (set.size() != texts.size()) {
            throw TablesException.validation(INVALID + "Input collection " + texts + "of type BS contains duplicates.");
        }
        return new Value.BS(set);
    }

    private static Iterable<JsonNode> array(JsonNode content) {
        if (!content.isArray()) {
            throw TablesException.serialization("Unrecognized collection type class java.lang.String");
        }
        return content;
    }

    private static String text(JsonNode node) {
        if (!node.isTextual()) {
            throw TablesException.serialization(
                    (node.isNumber() ? "NUMBER_VALUE" : node.isBoolean() ? "TRUE_VALUE" : "START_OBJECT")
                            + " cannot be converted to String");
        }
        return node.textValue();
    }

    private static boolean bool(JsonNode node) {
        if (!node.isBoolean()) {
            throw TablesException.serialization("Unexpected value type in payload");
        }
        return node.booleanValue();
    }

    private static Value.Bytes binary(JsonNode node) {
        String text = text(node);
        if (text.length() % 4 != 0) {
            throw TablesException.serialization(
                    "Base64 encoded length is expected a multiple of 4 bytes but found: " + text.length());
        }
        try {
            return new Value.Bytes(Base64.getDecoder().decode(text));
        } catch (IllegalArgumentException e) {
            throw TablesException.serialization("Invalid Base64 character found in the input");
        }
    }

    /** The JSON form of an item. */
    static ObjectNode write(Map<String, Value> item) {
        ObjectNode node = JSON.objectNode();
        item.forEach((name, value) -> node.set(name, write(value)));
        return node;
    }

    /** The JSON form of a value, such as {@code {"N":"42"}}. */
    static ObjectNode write(Value value) {
        ObjectNode node = JSON.objectNode();
        if (value instanceof Value.S s) {
            node.put("S", s.value());
        } else if (value instanceof Value.N n) {
            node.put("N", n.text());
        } else if (value instanceof Value.B b) {
            node.put("B", b.value().base64());
        } else if (value instanceof Value.Bool b) {
            node.put("BOOL", b.value());
        } else if (value instanceof Value.Null) {
            node.put("NULL", true);
        } else if (value instanceof Value.M m) {
            node.set("M", write(m.value()));
        } else if (value instanceof Value.L l) {
            ArrayNode array = node.putArray("L");
            l.value().forEach(element -> array.add(write(element)));
        } else if (value instanceof Value.SS ss) {
            ArrayNode array = node.putArray("SS");
            ss.value().forEach(array::add);
        } else if (value instanceof Value.NS ns) {
            ArrayNode array = node.putArray("NS");
            ns.value().forEach(n -> array.add(Numbers.format(n)));
        } else if (value instanceof Value.BS bs) {
            ArrayNode array = node.putArray("BS");
            bs.value().forEach(b -> array.add(b.base64()));
        }
        return node;
    }

    /** An item's size: the UTF-8 bytes of each name plus the size of each value. */
    static long size(Map<String, Value> item) {
        long size = 0;
        for (Map.Entry<String, Value> e : item.entrySet()) {
            size += utf8(e.getKey()) + size(e.getValue());
        }
        return size;
    }

    /** A value's size as DynamoDB counts it; a map or list costs 3 bytes plus 1 per element. */
    static long size(Value value) {
        if (value instanceof Value.S s) {
            return utf8(s.value());
        } else if (value instanceof Value.N n) {
            return Numbers.size(n.value());
        } else if (value instanceof Value.B b) {
            return b.value().length();
        } else if (value instanceof Value.M m) {
            long size = 3;
            for (Map.Entry<String, Value> e : m.value().entrySet()) {
                size += 1 + utf8(e.getKey()) + size(e.getValue());
            }
            return size;
        } else if (value instanceof Value.L l) {
            long size = 3;
            for (Value element : l.value()) {
                size += 1 + size(element);
            }
            return size;
        } else if (value instanceof Value.SS ss) {
            return ss.value().stream().mapToLong(Attributes::utf8).sum();
        } else if (value instanceof Value.NS ns) {
            return ns.value().stream().mapToLong(Numbers::size).sum();
        } else if (value instanceof Value.BS bs) {
            return bs.value().stream().mapToLong(Value.Bytes::length).sum();
        }
        return 1;
    }

    static int utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Whether the set value holds no elements (a DELETE can empty one). */
    static boolean isEmptySet(Value value) {
        return value instanceof Value.SS ss && ss.value().isEmpty()
                || value instanceof Value.NS ns && ns.value().isEmpty()
                || value instanceof Value.BS bs && bs.value().isEmpty();
    }
}
