package dev.gatehouse.iam;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The headers of one HTTP request: names lower-cased, each name's values in arrival order (the same name sent in
 * several cases is one entry). Immutable, so a request's headers are copied once, where the request is received, and
 * then shared by everything that reads them (the gateway's request, the SigV4 verifier's {@link SignedRequest}).
 */
public final class HeaderMap extends AbstractMap<String, List<String>> {

    private static final HeaderMap EMPTY = new HeaderMap(Map.of());

    private final Map<String, List<String>> headers;

    private HeaderMap(Map<String, List<String>> headers) {
        this.headers = headers;
    }

    /** {@code headers} with names lower-cased and values copied; {@code headers} itself if it is a {@link HeaderMap}. */
    public static HeaderMap of(Map<String, ? extends List<String>> headers) {
        Objects.requireNonNull(headers, "headers cannot be null");
        if (headers instanceof HeaderMap) {
            return (HeaderMap) headers;
        }
        Builder builder = builder();
        headers.forEach((name, values) -> values.forEach(value -> builder.add(name, value)));
        return builder.build();
    }

    /** No headers. */
    public static HeaderMap empty() {
        return EMPTY;
    }

    /** Collects headers one value at a time, as a server reads them. */
    public static Builder builder() {
        return new Builder();
    }

    /** All values of the header {@code lowerCaseName} (already lower case); empty when absent. */
    public List<String> values(String lowerCaseName) {
        return headers.getOrDefault(lowerCaseName, List.of());
    }

    /** The first value of the header {@code lowerCaseName} (already lower case), or null when absent. */
    public @Nullable String first(String lowerCaseName) {
        List<String> values = headers.get(lowerCaseName);
        return values == null ? null : values.get(0);
    }

    @Override
    public @Nullable List<String> get(@Nullable Object name) {
        return headers.get(name);
    }

    @Override
    public boolean containsKey(@Nullable Object name) {
        return headers.containsKey(name);
    }

    @Override
    public int size() {
        return headers.size();
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super List<String>> action) {
        headers.forEach(action);
    }

    @Override
    public Set<String> keySet() {
        return headers.keySet();
    }

    @Override
    public Set<Entry<String, List<String>>> entrySet() {
        return headers.entrySet();
    }

    @Override
    public String toString() {
        return "HeaderMap" + headers.keySet(); // names only: values may carry tokens
    }

    /** Builds a {@link HeaderMap}; not thread-safe, and used once. */
    public static final class Builder {
        private final Map<String, List<String>> headers = new LinkedHashMap<>();
        /** Set when a name got a second value: its list is then growable until {@link #build}. */
        private boolean repeated;

        private boolean built;

        private Builder() {}

        /** Adds one value of {@code name} (any case), after the values it already has. */
        public Builder add(String name, String value) {
            Objects.requireNonNull(value, "value cannot be null");
            if (built) {
                throw new IllegalStateException("this builder has built its HeaderMap already");
            }
            String lower = RequestContext.isFolded(Objects.requireNonNull(name, "name cannot be null"))
                    ? name
                    : name.toLowerCase(Locale.ROOT);
            List<String> earlier = headers.get(lower);
            if (earlier == null) {
                headers.put(lower, List.of(value));
            } else {
                List<String> all = earlier instanceof ArrayList ? earlier : new ArrayList<>(earlier);
                all.add(value);
                headers.put(lower, all);
                repeated = true;
            }
            return this;
        }

        public HeaderMap build() {
            built = true;
            if (headers.isEmpty()) {
                return EMPTY;
            }
            if (repeated) {
                headers.replaceAll((name, values) -> List.copyOf(values));
            }
            return new HeaderMap(Collections.unmodifiableMap(headers));
        }
    }
}
