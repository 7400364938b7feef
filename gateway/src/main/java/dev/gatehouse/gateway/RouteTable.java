package dev.gatehouse.gateway;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An API's routes and stages, matched as API Gateway matches them: the stage from the first path segment (or
 * {@code $default} without a prefix), then the most specific route for the method and path (literal segments before
 * parameters before a greedy {@code {proxy+}}, {@code ANY} last), then the {@code $default} route. Paths with
 * {@code .} or {@code ..} segments or malformed percent-escapes match nothing. Immutable.
 */
final class RouteTable {

    /** A route at run time: its throttle's bucket and the function name its in-process Lambda context shows. */
    record Entry(Api.Route route, Optional<TokenBucket> bucket, String function) {}

    /** A matched route: the stage, the path below the stage (decoded segments) and the path parameters. */
    record Match(Entry entry, String stage, List<String> path, Map<String, String> parameters) {}

    private final List<Entry> entries;
    private final java.util.Set<String> stages;

    RouteTable(List<Entry> entries, java.util.Set<String> stages) {
        this.entries = List.copyOf(entries);
        this.stages = java.util.Set.copyOf(stages);
    }

    List<Entry> entries() {
        return entries;
    }

    Optional<Match> match(String method, String rawPath) {
        Optional<List<String>> decoded = Paths.segments(rawPath);
        if (decoded.isEmpty()) {
            return Optional.empty();
        }
        List<String> segments = decoded.get();
        for (String segment : segments) {
            if (segment.equals(".") || segment.equals("..")) {
                return Optional.empty();
            }
        }
        String stage;
        List<String> path;
        if (!segments.isEmpty() && !segments.get(0).equals(RouteKey.DEFAULT) && stages.contains(segments.get(0))) {
            stage = segments.get(0);
            path = segments.subList(1, segments.size());
        } else if (stages.contains(RouteKey.DEFAULT)) {
            stage = RouteKey.DEFAULT;
            path = segments;
        } else {
            return Optional.empty();
        }
        return best(method.toUpperCase(Locale.ROOT), stage, path);
    }

    private Optional<Match> best(String method, String stage, List<String> path) {
        Optional<Match> best = Optional.empty();
        Entry fallback = null;
        for (Entry entry : entries) {
            RouteKey key = entry.route().key();
            if (key.isDefault()) {
                fallback = entry;
                continue;
            }
            Optional<Map<String, String>> parameters = key.match(method, path);
            if (parameters.isPresent()
                    && (best.isEmpty()
                            || RouteKey.compare(key, best.get().entry().route().key()) < 0)) {
                best = Optional.of(new Match(entry, stage, path, parameters.get()));
            }
        }
        if (best.isEmpty() && fallback != null) {
            best = Optional.of(new Match(fallback, stage, path, Map.of()));
        }
        return best;
    }
}
