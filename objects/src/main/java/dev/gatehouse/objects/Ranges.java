package dev.gatehouse.objects;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A single HTTP byte range ({@code bytes=a-b}, {@code bytes=a-}, {@code bytes=-n}), as S3 serves it: a syntactically
 * invalid or multi-range header is ignored (the whole object is served), an unsatisfiable one is {@code InvalidRange}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9110#section-14.1.2">RFC 9110 byte ranges</a>
 */
final class Ranges {

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d{0,18})-(\\d{0,18})");

    private Ranges() {}

    /** The inclusive {@code [first, last]} bytes to serve; empty to serve the whole object. */
    static Optional<long[]> parse(String header, long size) {
        Matcher m = RANGE.matcher(header.trim());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return Optional.empty();
        }
        if (m.group(1).isEmpty()) {
            long suffix = Long.parseLong(m.group(2));
            if (suffix == 0 || size == 0) {
                return Optional.empty();
            }
            return Optional.of(new long[] {Math.max(0, size - suffix), size - 1});
        }
        long first = Long.parseLong(m.group(1));
        long last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
        if (first >= size || (!m.group(2).isEmpty() && Long.parseLong(m.group(2)) < first)) {
            return Optional.empty();
        }
        return Optional.of(new long[] {first, last});
    }

    /** Whether the header is a valid range that no byte of the object satisfies. */
    static boolean unsatisfiable(String header, long size) {
        Matcher m = RANGE.matcher(header.trim());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return false;
        }
        if (m.group(1).isEmpty()) {
            return Long.parseLong(m.group(2)) == 0;
        }
        boolean backwards = !m.group(2).isEmpty() && Long.parseLong(m.group(2)) < Long.parseLong(m.group(1));
        return !backwards && Long.parseLong(m.group(1)) >= size;
    }
}
