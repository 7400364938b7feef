package dev.gatehouse.objects;

import java.util.LinkedHashMap;
import java.util.Map;

/** The query parameters of an S3 request, decoded; the first value of a repeated name wins. */
final class QueryString {

    private QueryString() {}

    /**
     * Decodes {@code name=value&…}; a name without {@code =} has the empty value ({@code ?uploads}).
     *
     * @throws S3Exception {@code InvalidArgument} for a malformed escape
     */
    static Map<String, String> parse(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.putIfAbsent(name, value);
        }
        return params;
    }

    private static String decode(String raw) {
        return ObjectKeys.percentDecode(raw.replace('+', ' '))
                .orElseThrow(() -> new S3Exception(S3Error.invalidArgument("Malformed query string.")));
    }
}
