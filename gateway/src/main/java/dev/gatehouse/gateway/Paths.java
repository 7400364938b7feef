package dev.gatehouse.gateway;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Percent-decoding of path segments and query components. */
final class Paths {

    private Paths() {}

    /** The decoded segments of {@code rawPath} ({@code /} gives none); empty when an escape is malformed. */
    static Optional<List<String>> segments(String rawPath) {
        if (rawPath.isEmpty() || rawPath.equals("/")) {
            return Optional.of(List.of());
        }
        String path = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        List<String> segments = new ArrayList<>();
        for (String raw : path.split("/", -1)) {
            Optional<String> decoded = decode(raw, false);
            if (decoded.isEmpty()) {
                return Optional.empty();
            }
            segments.add(decoded.get());
        }
        return Optional.of(segments);
    }

    /** Decodes a query name or value ({@code +} is a space); a malformed escape is kept as sent. */
    static String decodeQuery(String raw) {
        return decode(raw, true).orElse(raw);
    }

    private static Optional<String> decode(String raw, boolean plusIsSpace) {
        if (raw.indexOf('%') < 0 && (!plusIsSpace || raw.indexOf('+') < 0)) {
            return Optional.of(raw);
        }
        // At most three bytes per character (an escape is three characters for one byte; a char encodes to at most 3).
        byte[] out = new byte[raw.length() * 3];
        int length = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return Optional.empty();
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return Optional.empty();
                }
                out[length++] = (byte) (hi * 16 + lo);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                out[length++] = ' ';
            } else if (c < 0x80) {
                out[length++] = (byte) c;
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                System.arraycopy(bytes, 0, out, length, bytes.length);
                length += bytes.length;
            }
        }
        return Optional.of(new String(out, 0, length, StandardCharsets.UTF_8));
    }
}
