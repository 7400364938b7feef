package dev.gatehouse.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An HTTP API's {@code CorsConfiguration}. When set, the gateway answers preflight requests itself and puts the
 * configured headers on every response (errors included), replacing any CORS headers a handler returns.
 */
public final class CorsConfig {

    private final List<String> allowOrigins;
    private final List<String> allowMethods;
    private final List<String> allowHeaders;
    private final List<String> exposeHeaders;
    private final boolean allowCredentials;
    private final int maxAge;

    private CorsConfig(Builder builder) {
        this.allowOrigins = List.copyOf(builder.allowOrigins);
        this.allowMethods = List.copyOf(builder.allowMethods);
        this.allowHeaders = List.copyOf(builder.allowHeaders);
        this.exposeHeaders = List.copyOf(builder.exposeHeaders);
        this.allowCredentials = builder.allowCredentials;
        this.maxAge = builder.maxAge;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The {@code Access-Control-Allow-Origin} value for {@code origin}, or empty when the origin is not allowed. */
    Optional<String> allowedOrigin(String origin) {
        for (String allowed : allowOrigins) {
            if (allowed.equals("*")) {
                return Optional.of(allowCredentials ? origin : "*");
            }
            if (allowed.equalsIgnoreCase(origin)) {
                return Optional.of(origin);
            }
        }
        return Optional.empty();
    }

    boolean methodAllowed(String method) {
        return allowMethods.stream().anyMatch(m -> m.equals("*") || m.equalsIgnoreCase(method));
    }

    List<String> allowMethods() {
        return allowMethods;
    }

    List<String> allowHeaders() {
        return allowHeaders;
    }

    List<String> exposeHeaders() {
        return exposeHeaders;
    }

    boolean allowCredentials() {
        return allowCredentials;
    }

    int maxAge() {
        return maxAge;
    }

    /** Builds a {@link CorsConfig}; everything defaults to empty, credentials false, no max age. */
    public static final class Builder {
        private final List<String> allowOrigins = new ArrayList<>();
        private final List<String> allowMethods = new ArrayList<>();
        private final List<String> allowHeaders = new ArrayList<>();
        private final List<String> exposeHeaders = new ArrayList<>();
        private boolean allowCredentials;
        private int maxAge = -1;

        private Builder() {}

        public Builder allowOrigins(String... origins) {
            allowOrigins.addAll(List.of(origins));
            return this;
        }

        public Builder allowMethods(String... methods) {
            for (String method : methods) {
                allowMethods.add(method.toUpperCase(Locale.ROOT));
            }
            return this;
        }

        public Builder allowHeaders(String... headers) {
            for (String header : headers) {
                allowHeaders.add(header.toLowerCase(Locale.ROOT));
            }
            return this;
        }

        public Builder exposeHeaders(String... headers) {
            for (String header : headers) {
                exposeHeaders.add(header.toLowerCase(Locale.ROOT));
            }
            return this;
        }

        public Builder allowCredentials(boolean allowCredentials) {
            this.allowCredentials = allowCredentials;
            return this;
        }

        /** Seconds a browser may cache a preflight answer, -1..86400; -1 (the default) sends no max age. */
        public Builder maxAge(int maxAge) {
            if (maxAge < -1 || maxAge > 86_400) {
                throw new IllegalArgumentException("maxAge must be between -1 and 86400");
            }
            this.maxAge = maxAge;
            return this;
        }

        public CorsConfig build() {
            Objects.requireNonNull(allowOrigins, "allowOrigins cannot be null");
            return new CorsConfig(this);
        }
    }
}
