package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The event's {@code queryStringParameters}, against the split-and-decode mapping it replaced (issue 19). */
class QueryParametersTests {

    @Test
    void queryParametersWhenRandomQueriesThenSameAsSplitAndDecodeEachPair() {
        Random random = new Random(19);
        String[] pieces = {
            "a",
            "Z",
            "9",
            "-",
            "%2F",
            "%2f",
            "%41",
            "%e2%82%ac",
            "%zz",
            "%",
            "%4",
            "+",
            " ",
            "=",
            "&",
            "&&",
            "\u00e9",
            "\u20ac",
            "\ud83d\ude00",
            "X-Amz-Credential",
            "x".repeat(40)
        };
        for (int n = 0; n < 5_000; n++) {
            StringBuilder query = new StringBuilder();
            int length = random.nextInt(9);
            for (int i = 0; i < length; i++) {
                query.append(pieces[random.nextInt(pieces.length)]);
            }
            String rawQuery = query.toString();

            assertThat(Events.queryParameters(rawQuery)).as(rawQuery).containsExactlyEntriesOf(reference(rawQuery));
        }
    }

    @Test
    void queryParametersWhenPresignedUrlThenDecodedValuesAndRepeatsJoined() {
        Map<String, String> query = Events.queryParameters(
                "X-Amz-Credential=ASIA%2F20260101%2Fus-east-1%2Fexecute-api%2Faws4_request&a=1&a=2&b&c=x+y%21");

        assertThat(query)
                .containsExactly(
                        Map.entry("X-Amz-Credential", "ASIA/20260101/us-east-1/execute-api/aws4_request"),
                        Map.entry("a", "1,2"),
                        Map.entry("b", ""),
                        Map.entry("c", "x y!"));
    }

    private static Map<String, String> reference(String rawQuery) {
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            query.merge(name, value, (a, b) -> a + "," + b);
        }
        return query;
    }

    /** The decoding before issue 19: byte by byte through a stream, each other character encoded on its own. */
    private static String decode(String raw) {
        return referenceDecode(raw).orElse(raw);
    }

    private static Optional<String> referenceDecode(String raw) {
        if (raw.indexOf('%') < 0 && raw.indexOf('+') < 0) {
            return Optional.of(raw);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
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
                out.write(hi * 16 + lo);
                i += 2;
            } else if (c == '+') {
                out.write(' ');
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
            }
        }
        return Optional.of(out.toString(StandardCharsets.UTF_8));
    }
}
