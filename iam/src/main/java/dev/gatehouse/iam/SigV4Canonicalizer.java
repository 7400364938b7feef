package dev.gatehouse.iam;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * The canonical-request building blocks of SigV4: URI, query string and header canonicalisation.
 *
 * <p>Design note. Everything works on UTF-8 bytes, never on decoded {@code String}s, so a request carrying invalid
 * UTF-8 or stray {@code %} signs still canonicalises deterministically (and then simply fails to match). Encoding is
 * RFC 3986: only {@code A-Z a-z 0-9 - _ . ~} stay literal, every other byte becomes {@code %XX} with upper-case hex.
 * <ul>
 *   <li>URI, all services except S3: the path as sent has its dot segments and empty segments removed, then every byte
 *       except unreserved and {@code /} is encoded, including {@code %}: {@code a%20b} signs as {@code a%2520b}
 *       ("double encoding"). S3: the path is used as sent, not normalised; well-formed escapes are kept, and any
 *       literal byte that should have been escaped is escaped.</li>
 *   <li>Query: each name and value is percent-decoded ({@code +} stays a plus) and encoded again, sorted by encoded
 *       name then value; a parameter without {@code =} gets an empty value.</li>
 *   <li>Headers: values trimmed, internal whitespace runs (space, tab, folded line breaks) collapsed to one space,
 *       repeated headers joined with {@code ,} in arrival order.</li>
 * </ul>
 *
 * @see <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html">Create a signed AWS API request</a>
 */
final class SigV4Canonicalizer {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private SigV4Canonicalizer() {}

    /** One query parameter, both as decoded text (for reading {@code X-Amz-*} values) and in canonical encoding. */
    record QueryParameter(String name, String value, String encodedName, String encodedValue) {}

    static String canonicalUri(String rawPath, SigV4Verifier.PathMode mode) {
        String path = rawPath.isEmpty() ? "/" : rawPath;
        return switch (mode) {
            case NORMALIZED_DOUBLE_ENCODED -> encode(normalize(path).getBytes(StandardCharsets.UTF_8), true);
            case AS_SENT -> encodeKeepingEscapes(path.getBytes(StandardCharsets.UTF_8));
        };
    }

    /**
     * True when {@code rawPath} is its own canonical URI in every {@link SigV4Verifier.PathMode}: it starts with
     * {@code /}, has only unreserved characters and slashes (nothing to encode), and no empty, {@code .} or {@code ..}
     * segment except an empty last one (nothing to normalise). The usual API path, such as {@code /private}.
     */
    static boolean isCanonicalUri(String rawPath) {
        int length = rawPath.length();
        if (length == 0 || rawPath.charAt(0) != '/') {
            return false;
        }
        int segmentStart = 1;
        for (int i = 1; i <= length; i++) {
            char c = i < length ? rawPath.charAt(i) : '/';
            if (c == '/') {
                int segmentLength = i - segmentStart;
                boolean last = i == length;
                if ((segmentLength == 0 && !last) || isDotSegment(rawPath, segmentStart, segmentLength)) {
                    return false;
                }
                segmentStart = i + 1;
            } else if (c >= 0x80 || !isUnreserved((byte) c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDotSegment(String path, int start, int length) {
        return (length == 1 && path.charAt(start) == '.')
                || (length == 2 && path.charAt(start) == '.' && path.charAt(start + 1) == '.');
    }

    /** Removes empty and {@code .} segments and resolves {@code ..}; keeps a trailing slash. */
    static String normalize(String path) {
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                segments.pollLast();
            } else {
                segments.addLast(segment);
            }
        }
        StringJoiner joined = new StringJoiner("/", "/", "");
        segments.forEach(joined::add);
        String normalized = joined.toString();
        return path.endsWith("/") && !segments.isEmpty() ? normalized + "/" : normalized;
    }

    static List<QueryParameter> parseQuery(String rawQuery) {
        if (rawQuery.isEmpty()) {
            return new ArrayList<>();
        }
        List<QueryParameter> parameters = new ArrayList<>(8);
        int length = rawQuery.length();
        int start = 0;
        while (start <= length) {
            int amp = rawQuery.indexOf('&', start);
            int end = amp < 0 ? length : amp;
            if (end > start) {
                int eq = rawQuery.indexOf('=', start);
                boolean hasValue = eq >= 0 && eq < end;
                parameters.add(parameter(rawQuery, start, hasValue ? eq : end, hasValue ? eq + 1 : end, end));
            }
            start = end + 1;
        }
        return parameters;
    }

    /** The parameter whose raw name is {@code rawQuery[nameFrom, nameTo)} and raw value {@code [valueFrom, valueTo)}. */
    private static QueryParameter parameter(String rawQuery, int nameFrom, int nameTo, int valueFrom, int valueTo) {
        String name = rawQuery.substring(nameFrom, nameTo);
        String value = rawQuery.substring(valueFrom, valueTo);
        boolean plainName = isUnreservedText(name);
        boolean plainValue = isUnreservedText(value);
        if (plainName && plainValue) {
            // The usual case (X-Amz-* names, a base64url session token, hex): nothing to decode, nothing to encode.
            return new QueryParameter(name, value, name, value);
        }
        byte[] decodedName = plainName ? null : percentDecode(name);
        byte[] decodedValue = plainValue ? null : percentDecode(value);
        return new QueryParameter(
                decodedName == null ? name : new String(decodedName, StandardCharsets.UTF_8),
                decodedValue == null ? value : new String(decodedValue, StandardCharsets.UTF_8),
                decodedName == null ? name : encode(decodedName, false),
                decodedValue == null ? value : encode(decodedValue, false));
    }

    /**
     * True when every character of {@code text} is unreserved ({@code A-Z a-z 0-9 - _ . ~}): then it decodes to itself
     * (no {@code %}) and encodes to itself.
     */
    static boolean isUnreservedText(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x80 || !UNRESERVED[c]) {
                return false;
            }
        }
        return true;
    }

    /** Orders parameters as the canonical query string lists them: by encoded name, then encoded value. */
    private static int compareCanonically(QueryParameter a, QueryParameter b) {
        int byName = a.encodedName().compareTo(b.encodedName());
        return byName != 0 ? byName : a.encodedValue().compareTo(b.encodedValue());
    }

    /**
     * The parameters that enter the canonical query string (all but {@code excludedName}), in its order: an insertion
     * sort, stable, and no work for parameters already in order (a query has a handful).
     */
    private static QueryParameter[] signedInOrder(List<QueryParameter> parameters, @Nullable String excludedName) {
        QueryParameter[] signed = new QueryParameter[parameters.size()];
        int count = 0;
        for (QueryParameter parameter : parameters) {
            if (parameter.name().equals(excludedName)) {
                continue;
            }
            int at = count++;
            while (at > 0 && compareCanonically(signed[at - 1], parameter) > 0) {
                signed[at] = signed[at - 1];
                at--;
            }
            signed[at] = parameter;
        }
        return count == signed.length ? signed : Arrays.copyOf(signed, count);
    }

    /** The canonical query string of all parameters except those named {@code excludedName} (decoded, exact case). */
    static String canonicalQuery(List<QueryParameter> parameters, @Nullable String excludedName) {
        StringJoiner joined = new StringJoiner("&");
        for (QueryParameter p : signedInOrder(parameters, excludedName)) {
            joined.add(p.encodedName() + "=" + p.encodedValue());
        }
        return joined.toString();
    }

    /** Writes {@link #canonicalQuery}'s text into {@code out}, without building it. */
    static void writeCanonicalQuery(
            CanonicalBytes out, List<QueryParameter> parameters, @Nullable String excludedName) {
        QueryParameter[] signed = signedInOrder(parameters, excludedName);
        for (int i = 0; i < signed.length; i++) {
            if (i > 0) {
                out.append('&');
            }
            out.append(signed[i].encodedName()).append('=').append(signed[i].encodedValue());
        }
    }

    /** One {@code name:value\n} line per signed header, in the order given. A signed header that is absent is empty. */
    static String canonicalHeaders(SignedRequest request, List<String> signedHeaders) {
        StringBuilder block = new StringBuilder(1024);
        for (String name : signedHeaders) {
            List<String> values = request.headerValues(name);
            block.append(name).append(':');
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    block.append(',');
                }
                block.append(trimAll(values.get(i)));
            }
            block.append('\n');
        }
        return block.toString();
    }

    /** Trims and collapses every run of whitespace to a single space. */
    static String trimAll(String value) {
        if (alreadyTrimmed(value)) {
            return value; // the usual case: nothing to trim or collapse, so no copy
        }
        StringBuilder out = new StringBuilder(value.length());
        boolean pendingSpace = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                pendingSpace = out.length() > 0;
            } else {
                if (pendingSpace) {
                    out.append(' ');
                    pendingSpace = false;
                }
                out.append(c);
            }
        }
        return out.toString();
    }

    /** No leading or trailing whitespace, no tab, CR or LF, no two spaces in a row. */
    static boolean alreadyTrimmed(String value) {
        int length = value.length();
        if (length == 0) {
            return true;
        }
        if (value.charAt(0) == ' ' || value.charAt(length - 1) == ' ') {
            return false;
        }
        // indexOf is vectorised by the JIT: four passes over a long value (a session token) beat one char-by-char pass.
        return value.indexOf('\t') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0 && !value.contains("  ");
    }

    static byte[] percentDecode(String text) {
        byte[] in = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '%' && i + 2 < in.length && hexValue(in[i + 1]) >= 0 && hexValue(in[i + 2]) >= 0) {
                out.write(hexValue(in[i + 1]) << 4 | hexValue(in[i + 2]));
                i += 2;
            } else {
                out.write(in[i]);
            }
        }
        return out.toByteArray();
    }

    /** RFC 3986 encoding of every byte outside the unreserved set (and outside {@code /} when {@code keepSlash}). */
    static String encode(byte[] bytes, boolean keepSlash) {
        StringBuilder out = new StringBuilder(bytes.length + 16);
        for (byte b : bytes) {
            if (isUnreserved(b) || (keepSlash && b == '/')) {
                out.append((char) b);
            } else {
                appendEscape(out, b);
            }
        }
        return out.toString();
    }

    private static String encodeKeepingEscapes(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length + 16);
        for (int i = 0; i < bytes.length; i++) {
            byte b = bytes[i];
            if (isUnreserved(b) || b == '/') {
                out.append((char) b);
            } else if (b == '%' && i + 2 < bytes.length && hexValue(bytes[i + 1]) >= 0 && hexValue(bytes[i + 2]) >= 0) {
                out.append('%').append((char) bytes[i + 1]).append((char) bytes[i + 2]);
                i += 2;
            } else {
                appendEscape(out, b);
            }
        }
        return out.toString();
    }

    private static void appendEscape(StringBuilder out, byte b) {
        out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
    }

    private static boolean isUnreserved(byte b) {
        return b >= 0 && UNRESERVED[b];
    }

    /** By ASCII code: {@code A-Z a-z 0-9 - _ . ~}, RFC 3986's unreserved characters. */
    private static final boolean[] UNRESERVED = unreservedTable();

    private static boolean[] unreservedTable() {
        boolean[] table = new boolean[128];
        for (int c = 0; c < 128; c++) {
            table[c] = (c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '_'
                    || c == '.'
                    || c == '~';
        }
        return table;
    }

    private static int hexValue(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }
}
