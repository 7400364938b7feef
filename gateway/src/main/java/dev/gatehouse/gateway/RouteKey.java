package dev.gatehouse.gateway;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed route key: {@code $default}, or {@code METHOD /path} where the method may be {@code ANY} and path segments
 * are literals, {@code {name}} (one segment) or a final {@code {name+}} (the rest of the path).
 */
final class RouteKey {

    static final String DEFAULT = "$default";

    private enum Kind {
        LITERAL,
        PARAMETER,
        GREEDY
    }

    private record Segment(Kind kind, String text) {}

    private final String key;
    private final String method;
    private final List<Segment> segments;

    private RouteKey(String key, String method, List<Segment> segments) {
        this.key = key;
        this.method = method;
        this.segments = segments;
    }

    static RouteKey parse(String key) {
        Objects.requireNonNull(key, "key cannot be null");
        if (key.equals(DEFAULT)) {
            return new RouteKey(key, "ANY", List.of());
        }
        int space = key.indexOf(' ');
        if (space <= 0 || key.indexOf(' ', space + 1) >= 0 || !key.startsWith("/", space + 1)) {
            throw new IllegalArgumentException("route key must be '$default' or 'METHOD /path': " + key);
        }
        String method = key.substring(0, space);
        if (!method.equals(method.toUpperCase(Locale.ROOT))) {
            throw new IllegalArgumentException("route method must be upper case: " + key);
        }
        String path = key.substring(space + 1);
        List<Segment> segments = new ArrayList<>();
        List<String> parts =
                path.equals("/") ? List.of() : List.of(path.substring(1).split("/", -1));
        for (int i = 0; i < parts.size(); i++) {
            String part = parts.get(i);
            if (part.startsWith("{") && part.endsWith("}") && part.length() > 2) {
                String name = part.substring(1, part.length() - 1);
                if (name.endsWith("+")) {
                    if (i != parts.size() - 1 || name.length() == 1) {
                        throw new IllegalArgumentException("a greedy {name+} must be the last segment: " + key);
                    }
                    segments.add(new Segment(Kind.GREEDY, name.substring(0, name.length() - 1)));
                } else {
                    segments.add(new Segment(Kind.PARAMETER, name));
                }
            } else if (part.contains("{") || part.contains("}")) {
                throw new IllegalArgumentException("a path variable must be a whole segment: " + key);
            } else {
                segments.add(new Segment(Kind.LITERAL, part));
            }
        }
        return new RouteKey(key, method, List.copyOf(segments));
    }

    String key() {
        return key;
    }

    boolean isDefault() {
        return key.equals(DEFAULT);
    }

    boolean isAnyMethod() {
        return method.equals("ANY");
    }

    boolean greedy() {
        return !segments.isEmpty() && segments.get(segments.size() - 1).kind() == Kind.GREEDY;
    }

    /** The path parameters when this route's path matches the decoded {@code path} segments. */
    Optional<Map<String, String>> match(String requestMethod, List<String> path) {
        if (!isAnyMethod() && !method.equals(requestMethod)) {
            return Optional.empty();
        }
        // A greedy variable takes one segment or more; otherwise every segment is matched by one of the route's.
        if (greedy() ? path.size() < segments.size() : path.size() != segments.size()) {
            return Optional.empty();
        }
        Map<String, String> parameters =
                null; // made for the first variable: most routes tried have none, or fail first
        for (int i = 0; i < segments.size(); i++) {
            Segment segment = segments.get(i);
            String value = path.get(i);
            if (segment.kind() == Kind.LITERAL) {
                if (!segment.text().equals(value)) {
                    return Optional.empty();
                }
                continue;
            }
            if (parameters == null) {
                parameters = new LinkedHashMap<>();
            }
            if (segment.kind() == Kind.GREEDY) {
                parameters.put(segment.text(), String.join("/", path.subList(i, path.size())));
                return Optional.of(parameters);
            }
            if (value.isEmpty()) {
                return Optional.empty();
            }
            parameters.put(segment.text(), value);
        }
        return Optional.of(parameters == null ? Map.of() : parameters);
    }

    /**
     * Orders matching routes by API Gateway's priority, most preferred first: non-greedy before greedy, then segment by
     * segment a literal before a variable (longer literal prefixes first for greedy routes), then an explicit method
     * before {@code ANY}.
     */
    static int compare(RouteKey a, RouteKey b) {
        if (a.greedy() != b.greedy()) {
            return a.greedy() ? 1 : -1;
        }
        int n = Math.min(a.segments.size(), b.segments.size());
        for (int i = 0; i < n; i++) {
            int byKind = a.segments.get(i).kind().compareTo(b.segments.get(i).kind());
            if (byKind != 0) {
                return byKind;
            }
        }
        if (a.segments.size() != b.segments.size()) {
            // Only greedy routes of different lengths can both match: the longer one is more specific.
            return Integer.compare(b.segments.size(), a.segments.size());
        }
        return Boolean.compare(a.isAnyMethod(), b.isAnyMethod());
    }

    @Override
    public String toString() {
        return key;
    }
}
