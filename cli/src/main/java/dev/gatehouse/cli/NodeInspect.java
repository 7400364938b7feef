package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Renders JSON the way Node's {@code console.dir} (util.inspect with its defaults) prints the equivalent JavaScript
 * value, so the CLI's answer reads like aws-api-gateway-cli-test's: unquoted identifier keys, single-quoted strings,
 * two-space indentation, nesting deeper than two levels shown as {@code [Object]} / {@code [Array]}, and an object or
 * array kept on one line when it fits in 80 columns and holds at most three levels of nesting. (Node's column grouping
 * of arrays longer than six entries is not reproduced: such arrays print one entry per line when they do not fit.)
 */
final class NodeInspect {

    private static final int BREAK_LENGTH = 80;
    private static final int DEPTH = 2;
    private static final int COMPACT = 3;
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_][a-zA-Z_0-9]*");

    private int indentation;
    private int currentDepth;

    private NodeInspect() {}

    /** The text {@code console.dir(value)} prints, without the trailing newline. */
    static String inspect(JsonNode value) {
        return new NodeInspect().format(value, 0);
    }

    private String format(JsonNode value, int recurseTimes) {
        if (value.isTextual()) {
            return quote(value.asText());
        }
        if (value.isNull() || value.isMissingNode()) {
            return "null";
        }
        if (value.isValueNode()) {
            return value.asText();
        }
        boolean array = value.isArray();
        if (value.isEmpty()) {
            return array ? "[]" : "{}";
        }
        if (recurseTimes > DEPTH) {
            return array ? "[Array]" : "[Object]";
        }
        int depth = recurseTimes + 1;
        currentDepth = depth;
        List<String> output = new ArrayList<>();
        if (array) {
            for (JsonNode element : value) {
                output.add(property(element, depth));
            }
        } else {
            Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                output.add(key(field.getKey()) + ": " + property(field.getValue(), depth));
            }
        }
        return reduceToSingleString(output, array ? "[" : "{", array ? "]" : "}", depth);
    }

    private String property(JsonNode value, int depth) {
        indentation += 2;
        try {
            return format(value, depth);
        } finally {
            indentation -= 2;
        }
    }

    private String reduceToSingleString(List<String> output, String open, String close, int depth) {
        if (currentDepth - depth < COMPACT) {
            int start = output.size() + indentation + open.length() + 10;
            if (isBelowBreakLength(output, start)) {
                String joined = String.join(", ", output);
                if (joined.indexOf('\n') < 0) {
                    return open + " " + joined + " " + close;
                }
            }
        }
        String newline = "\n" + " ".repeat(indentation);
        return open + newline + "  " + String.join("," + newline + "  ", output) + newline + close;
    }

    private static boolean isBelowBreakLength(List<String> output, int start) {
        int total = output.size() + start;
        if (total + output.size() > BREAK_LENGTH) {
            return false;
        }
        for (String entry : output) {
            total += entry.length();
            if (total > BREAK_LENGTH) {
                return false;
            }
        }
        return true;
    }

    private static String key(String name) {
        return IDENTIFIER.matcher(name).matches() ? name : quote(name);
    }

    /** Single quotes unless the text holds one; then double quotes, or backticks if it holds both. */
    static String quote(String text) {
        char quote = '\'';
        if (text.indexOf('\'') >= 0) {
            if (text.indexOf('"') < 0) {
                quote = '"';
            } else if (text.indexOf('`') < 0 && !text.contains("${")) {
                quote = '`';
            }
        }
        StringBuilder out = new StringBuilder(text.length() + 2).append(quote);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c == quote) {
                        out.append('\\').append(c);
                    } else if (c < 0x20 || c == 0x7f) {
                        out.append(String.format(java.util.Locale.ROOT, "\\x%02X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append(quote).toString();
    }
}
