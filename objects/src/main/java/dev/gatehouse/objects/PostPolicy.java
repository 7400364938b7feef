package dev.gatehouse.objects;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The policy document of an S3 browser upload ({@code POST /<bucket>}, form field {@code policy}): its expiration and
 * the conditions every form field must meet.
 *
 * <p>Design note. A condition is {@code {"field": "value"}} or {@code ["eq", "$field", "value"]} (exact),
 * {@code ["starts-with", "$field", "prefix"]} (for {@code Content-Type}, every comma-separated value), or
 * {@code ["content-length-range", min, max]} (the file's size, checked as it streams). Field names are compared
 * without case; {@code bucket} is the bucket of the URL. Every form field must be named by a condition, except
 * {@code policy}, the signature fields, {@code file} and {@code x-ignore-*}; a field a condition names must be
 * present. Failures are S3's {@code AccessDenied} "Invalid according to Policy: …"; a document that is not valid
 * base64 JSON of that shape is {@code InvalidPolicyDocument}.
 *
 * @see <a href="https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html">Creating a POST
 *     policy</a>
 */
final class PostPolicy {

    /** Fields no condition needs to name. */
    private static final Set<String> EXEMPT =
            Set.of("policy", "signature", "x-amz-signature", "awsaccesskeyid", "file");

    private final Instant expiration;
    private final List<Condition> conditions;
    private final long minLength;
    private final long maxLength;

    private PostPolicy(Instant expiration, List<Condition> conditions, long minLength, long maxLength) {
        this.expiration = expiration;
        this.conditions = conditions;
        this.minLength = minLength;
        this.maxLength = maxLength;
    }

    /** One exact or prefix condition on a field (lower-case name, without {@code $}). */
    private record Condition(String operator, String field, String value, String text) {}

    /** Parses the base64 text of the {@code policy} field. */
    static PostPolicy parse(String base64) {
        JsonObject document;
        try {
            document = new JsonObject(new String(Base64.getMimeDecoder().decode(base64), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
            throw invalid("Invalid Policy: Invalid JSON.");
        }
        Object expiration = document.getValue("expiration");
        Object conditions = document.getValue("conditions");
        if (!(expiration instanceof String expires)) {
            throw invalid("Invalid Policy: Policy missing expiration.");
        }
        if (!(conditions instanceof JsonArray list)) {
            throw invalid("Invalid Policy: Policy missing conditions.");
        }
        Instant expiresAt;
        try {
            expiresAt = Instant.parse(expires);
        } catch (DateTimeParseException e) {
            throw invalid("Invalid Policy: Invalid 'expiration' value: '" + expires + "'");
        }
        return fromConditions(expiresAt, list);
    }

    private static PostPolicy fromConditions(Instant expiresAt, JsonArray list) {
        List<Condition> conditions = new ArrayList<>();
        long min = 0;
        long max = Long.MAX_VALUE;
        for (Object entry : list) {
            if (entry instanceof JsonObject exact && exact.size() == 1) {
                String name = exact.fieldNames().iterator().next();
                if (!(exact.getValue(name) instanceof String value)) {
                    throw invalid("Invalid Policy: Invalid Simple-Condition: value must be a string.");
                }
                conditions.add(new Condition("eq", name.toLowerCase(Locale.ROOT), value, exact.encode()));
            } else if (entry instanceof JsonArray array
                    && array.size() == 3
                    && "content-length-range".equalsIgnoreCase(String.valueOf(array.getValue(0)))) {
                min = Math.max(min, length(array.getValue(1)));
                max = Math.min(max, length(array.getValue(2)));
            } else if (entry instanceof JsonArray array
                    && array.size() == 3
                    && array.getValue(1) instanceof String field
                    && field.startsWith("$")
                    && array.getValue(2) instanceof String value
                    && (array.getValue(0) instanceof String operator)
                    && (operator.equalsIgnoreCase("eq") || operator.equalsIgnoreCase("starts-with"))) {
                conditions.add(new Condition(
                        operator.toLowerCase(Locale.ROOT),
                        field.substring(1).toLowerCase(Locale.ROOT),
                        value,
                        array.encode()));
            } else {
                throw invalid("Invalid Policy: Invalid Condition: " + String.valueOf(entry));
            }
        }
        return new PostPolicy(expiresAt, List.copyOf(conditions), min, max);
    }

    private static long length(Object value) {
        try {
            long length = value instanceof Number number
                    ? number.longValue()
                    : Long.parseLong(String.valueOf(value).trim());
            if (length >= 0) {
                return length;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid("Invalid Policy: Invalid content-length-range value: " + value);
    }

    /**
     * Checks the expiration against {@code now} and every condition against the form's {@code fields} (lower-case
     * names; {@code bucket} included, the bucket of the URL).
     *
     * @throws S3Exception AccessDenied "Invalid according to Policy: …" naming what failed
     */
    void check(Map<String, String> fields, Instant now) {
        // Boundary: the policy is valid through its expiration instant.
        if (now.isAfter(expiration)) {
            throw denied("Policy expired.");
        }
        Set<String> named = new HashSet<>();
        for (Condition condition : conditions) {
            named.add(condition.field());
            String value = fields.get(condition.field());
            if (value == null || !meets(condition, value)) {
                throw denied("Policy Condition failed: " + condition.text());
            }
        }
        for (String field : fields.keySet()) {
            if (!named.contains(field)
                    && !EXEMPT.contains(field)
                    && !field.startsWith("x-ignore-")
                    && !field.equals("bucket")) {
                throw denied("Extra input fields: " + field);
            }
        }
    }

    private static boolean meets(Condition condition, String value) {
        if (condition.operator().equals("eq")) {
            return value.equals(condition.value());
        }
        if (condition.field().equals("content-type")) {
            for (String part : value.split(",", -1)) {
                if (!part.trim().startsWith(condition.value())) {
                    return false;
                }
            }
            return true;
        }
        return value.startsWith(condition.value());
    }

    /** The smallest file size the policy allows (0 when it sets none). */
    long minLength() {
        return minLength;
    }

    /** The largest file size the policy allows ({@link Long#MAX_VALUE} when it sets none). */
    long maxLength() {
        return maxLength;
    }

    private static S3Exception denied(String why) {
        return new S3Exception(S3Error.accessDenied("Invalid according to Policy: " + why));
    }

    private static S3Exception invalid(String message) {
        return new S3Exception(S3Error.of("InvalidPolicyDocument", 400, message));
    }
}
