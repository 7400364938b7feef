package dev.gatehouse.stack;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A property value with every intrinsic resolved that can be resolved from the template alone. What only applying the
 * stack knows (a user pool's id, an API's id, an ARN) stays a {@link Part.Ref} or {@link Part.Att} inside a {@link
 * Text}, rendered by {@link #render} once the physical resources exist.
 */
public sealed interface Value {

    /** A piece of a text value. */
    sealed interface Part {
        /** Literal text. */
        record Lit(String text) implements Part {}

        /** {@code Ref} of a resource: what that resource's type answers to Ref (an id, a name, an ARN). */
        record Ref(String logicalId) implements Part {}

        /** {@code Fn::GetAtt} of a resource attribute. */
        record Att(String logicalId, String attribute) implements Part {}
    }

    /**
     * A scalar: literal parts and references, concatenated. {@code plain} when it was an unquoted YAML scalar, so
     * {@code 8} and {@code true} render as a number and a boolean.
     */
    record Text(List<Part> parts, boolean plain) implements Value {
        public Text {
            parts = List.copyOf(parts);
        }

        public static Text of(String literal) {
            return new Text(List.of(new Part.Lit(literal)), false);
        }

        /** The text when it has no reference. */
        public Optional<String> literal() {
            StringBuilder text = new StringBuilder();
            for (Part part : parts) {
                if (!(part instanceof Part.Lit lit)) {
                    return Optional.empty();
                }
                text.append(lit.text());
            }
            return Optional.of(text.toString());
        }

        /** The text with each reference replaced by {@code lookup}. */
        public String render(Function<Part, String> lookup) {
            StringBuilder text = new StringBuilder();
            parts.forEach(part -> text.append(part instanceof Part.Lit lit ? lit.text() : lookup.apply(part)));
            return text.toString();
        }
    }

    record ListValue(List<Value> items) implements Value {
        public ListValue {
            items = List.copyOf(items);
        }
    }

    record MapValue(Map<String, Value> entries) implements Value {
        public MapValue {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        public Optional<Value> get(String key) {
            return Optional.ofNullable(entries.get(key));
        }
    }

    /**
     * Plain Java data: a {@link String}, {@link Long}, {@link Double} or {@link Boolean} for a scalar, a {@link List},
     * a {@link Map} in order; each reference replaced by {@code lookup}.
     */
    static Object render(Value value, Function<Part, String> lookup) {
        if (value instanceof Text text) {
            String rendered = text.render(lookup);
            return text.plain() ? typed(rendered) : rendered;
        }
        if (value instanceof ListValue list) {
            List<Object> out = new ArrayList<>();
            list.items().forEach(item -> out.add(render(item, lookup)));
            return out;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        ((MapValue) value).entries().forEach((key, item) -> out.put(key, render(item, lookup)));
        return out;
    }

    /** The resources this value refers to. */
    static List<String> references(Value value) {
        List<String> ids = new ArrayList<>();
        collect(value, ids);
        return ids;
    }

    private static void collect(Value value, List<String> ids) {
        if (value instanceof Text text) {
            text.parts().forEach(part -> {
                if (part instanceof Part.Ref ref) {
                    ids.add(ref.logicalId());
                } else if (part instanceof Part.Att att) {
                    ids.add(att.logicalId());
                }
            });
        } else if (value instanceof ListValue list) {
            list.items().forEach(item -> collect(item, ids));
        } else {
            ((MapValue) value).entries().values().forEach(item -> collect(item, ids));
        }
    }

    Pattern INTEGER = Pattern.compile("-?\\d{1,18}");
    Pattern DECIMAL = Pattern.compile("-?\\d+\\.\\d+");

    private static Object typed(String text) {
        if ("true".equals(text) || "false".equals(text)) {
            return Boolean.valueOf(text);
        }
        if (INTEGER.matcher(text).matches()) {
            return Long.valueOf(text);
        }
        return DECIMAL.matcher(text).matches() ? Double.valueOf(text) : text;
    }
}
