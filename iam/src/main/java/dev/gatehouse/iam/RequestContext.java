package dev.gatehouse.iam;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a policy is evaluated against: the action ({@code execute-api:Invoke}), the resource ARN and the condition keys.
 *
 * <p>Condition keys are case-insensitive, as in IAM ({@code aws:userid} = {@code AWS:UserId}); each key has one or more
 * values ({@code cognito-identity.amazonaws.com:amr} has several). A key with no values is absent.
 *
 * <p>The resource must be passed exactly as the service canonicalises it: IAM matches the string as given and never
 * normalises paths, so {@code private/A/../B/x} is <em>not</em> {@code private/B/x} to the evaluator. A caller that
 * resolves {@code ..} or percent-escapes later than the policy check would open a traversal hole.
 *
 * @see <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html">Global condition keys</a>
 */
public final class RequestContext {

    private final String action;
    private final String resource;
    /** The keys fixed in advance, shared by every context started from them. */
    private final Keys fixed;
    /** The keys set on the builder: they win over {@link #fixed}; an empty list hides a fixed key. */
    private final Map<String, List<String>> keys;

    private RequestContext(Builder builder) {
        this.action = builder.action;
        this.resource = builder.resource;
        this.fixed = builder.fixed;
        // The builder's map itself: the builder copies it before any later change (see Builder#writable).
        this.keys = Collections.unmodifiableMap(builder.keys);
        builder.shared = true;
    }

    /** Starts a context for {@code action} (e.g. {@code execute-api:Invoke}) on {@code resource} (an ARN). */
    public static Builder builder(String action, String resource) {
        return new Builder(action, resource, Keys.NONE);
    }

    /**
     * Starts a context for {@code action} on {@code resource} that already holds {@code fixed}, the keys known before
     * the request (a caller's own); keys put on the builder replace them.
     */
    public static Builder builder(String action, String resource, Keys fixed) {
        return new Builder(action, resource, Objects.requireNonNull(fixed, "fixed cannot be null"));
    }

    public String action() {
        return action;
    }

    public String resource() {
        return resource;
    }

    /** The values of {@code key} (case-insensitive); empty when the key is absent. */
    public List<String> values(String key) {
        String folded = fold(key);
        List<String> own = keys.get(folded);
        return own != null ? own : fixed.keys.getOrDefault(folded, List.of());
    }

    static String fold(String key) {
        if (isFolded(key)) {
            return key;
        }
        String known = KNOWN_KEYS.get(key); // a literal's hash is computed once: found without folding anew
        return known != null ? known : key.toLowerCase(Locale.ROOT);
    }

    /** No ASCII upper-case letter and nothing outside ASCII: {@code toLowerCase(Locale.ROOT)} would not change it. */
    static boolean isFolded(String key) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if ((c >= 'A' && c <= 'Z') || c >= 0x80) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        // Keys only: values may be identifiers the caller does not want in logs.
        Set<String> present = new TreeSet<>();
        fixed.keys.keySet().forEach(present::add);
        keys.forEach((key, values) -> {
            if (values.isEmpty()) {
                present.remove(key);
            } else {
                present.add(key);
            }
        });
        return "RequestContext[action=" + action + ", resource=" + resource + ", keys=" + present + "]";
    }

    /**
     * Condition keys known before any request, such as a caller's identity: folded and copied once, so that the many
     * contexts started from them ({@link RequestContext#builder(String, String, Keys)}) share them. Immutable.
     */
    public static final class Keys {
        static final Keys NONE = new Keys(Map.of());

        private final Map<String, List<String>> keys;

        private Keys(Map<String, List<String>> keys) {
            this.keys = keys;
        }

        /**
         * The keys of {@code keys} in its iteration order: a later key that folds to an earlier one (same key in another
         * case) replaces it, and a key with no values is absent.
         */
        public static Keys of(Map<String, List<String>> keys) {
            Map<String, List<String>> folded = new LinkedHashMap<>();
            keys.forEach((key, values) -> {
                String name = fold(Builder.requireText(key, "key"));
                List<String> copy = List.copyOf(Objects.requireNonNull(values, "values cannot be null"));
                if (copy.isEmpty()) {
                    folded.remove(name);
                } else {
                    folded.put(name, copy);
                }
            });
            return new Keys(Collections.unmodifiableMap(folded));
        }

        @Override
        public String toString() {
            return "RequestContext.Keys" + new TreeSet<>(keys.keySet()); // names only, as RequestContext#toString
        }
    }

    /** The global keys Gatehouse itself puts on every request, as written, and folded. A constant table, not a memo. */
    private static final Map<String, String> KNOWN_KEYS = Stream.of(
                    "aws:CurrentTime",
                    "aws:EpochTime",
                    "aws:SourceIp",
                    "aws:SecureTransport",
                    "aws:PrincipalArn",
                    "aws:PrincipalAccount",
                    "aws:PrincipalType")
            .collect(Collectors.toUnmodifiableMap(key -> key, key -> key.toLowerCase(Locale.ROOT)));

    /** The time keys of one second, formatted once: every request in that second carries the same values. */
    private record Second(long epochSecond, String iso, String epoch) {}

    private static volatile Second lastSecond = new Second(Long.MIN_VALUE, "", "");

    /** Builds a {@link RequestContext}. Later values for the same key (in any case) replace earlier ones. */
    public static final class Builder {
        private final String action;
        private final String resource;
        private final Keys fixed;
        private Map<String, List<String>> keys = new LinkedHashMap<>();
        /** Set once {@link #build} handed {@link #keys} to a context, which must not see later changes. */
        private boolean shared;

        private Builder(String action, String resource, Keys fixed) {
            this.action = requireText(action, "action");
            this.resource = requireText(resource, "resource");
            this.fixed = fixed;
        }

        /** Sets a single-valued key. */
        public Builder put(String key, String value) {
            return put(key, List.of(Objects.requireNonNull(value, "value cannot be null")));
        }

        /** Sets a (possibly multi-valued) key; an empty list makes the key absent. */
        public Builder put(String key, List<String> values) {
            String folded = fold(requireText(key, "key"));
            List<String> copy = List.copyOf(Objects.requireNonNull(values, "values cannot be null"));
            if (copy.isEmpty() && !fixed.keys.containsKey(folded)) {
                writable().remove(folded);
            } else {
                writable().put(folded, copy); // an empty list hides the fixed key of that name
            }
            return this;
        }

        private Map<String, List<String>> writable() {
            if (shared) {
                keys = new LinkedHashMap<>(keys);
                shared = false;
            }
            return keys;
        }

        /** Sets {@code aws:CurrentTime} (ISO 8601, seconds) and {@code aws:EpochTime} from {@code now}. */
        public Builder currentTime(Instant now) {
            long epochSecond =
                    Objects.requireNonNull(now, "now cannot be null").getEpochSecond(); // whole seconds, floored
            Second last = lastSecond;
            if (last.epochSecond() != epochSecond) {
                last = new Second(
                        epochSecond,
                        DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(epochSecond)),
                        Long.toString(epochSecond));
                lastSecond = last;
            }
            put("aws:CurrentTime", last.iso());
            return put("aws:EpochTime", last.epoch());
        }

        public RequestContext build() {
            return new RequestContext(this);
        }

        private static String requireText(String value, String name) {
            if (value == null) { // not requireNonNull(value, name + …): that builds the message on every call
                throw new NullPointerException(name + " cannot be null");
            }
            if (value.isEmpty()) {
                throw new IllegalArgumentException(name + " cannot be empty");
            }
            return value;
        }
    }
}
