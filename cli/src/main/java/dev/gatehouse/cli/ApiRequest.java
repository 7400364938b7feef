package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API request to sign and send, built as aws-api-gateway-client builds it from the tool's options: the invoke
 * URL's path, then the path template with its {@code {name}} variables replaced by the percent-encoded
 * {@code --params} values (RFC 6570 simple expansion; a missing one expands to nothing), the
 * {@code queryParams} of {@code --additional-params} sorted by name, its {@code headers} over the defaults
 * {@code Content-Type: application/json} and {@code Accept: application/json}, and the body as compact JSON.
 *
 * @param headers header names as given, in order
 * @param body empty when nothing is sent (a body of JSON {@code null} or {@code ""})
 * @param timeout {@code additionalParams.timeout} in milliseconds, if given and positive
 */
record ApiRequest(
        String method, URI uri, Map<String, String> headers, Optional<byte[]> body, Optional<Duration> timeout) {

    private static final Pattern VARIABLE = Pattern.compile("\\{([^{}]*)}");
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");

    ApiRequest {
        Objects.requireNonNull(method, "method cannot be null");
        Objects.requireNonNull(uri, "uri cannot be null");
        headers = Map.copyOf(new TreeMap<>(headers));
    }

    /** This request with one more header (replacing one of the same name, whatever its case). */
    ApiRequest withHeader(String name, String value) {
        Map<String, String> more = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        more.putAll(headers);
        more.put(name, value);
        return new ApiRequest(method, uri, more, body, timeout);
    }

    /**
     * The request for these options.
     *
     * @param params {@code --params}: a JSON object of path variables
     * @param additionalParams {@code --additional-params}: {@code headers}, {@code queryParams}, {@code timeout}
     * @param body the parsed {@code --body}
     * @throws CliException ({@link ExitCodes#USAGE}) if the invoke URL or the resulting URL is not a valid http(s) URL
     */
    static ApiRequest of(
            String invokeUrl,
            String pathTemplate,
            String method,
            JsonNode params,
            JsonNode additionalParams,
            JsonNode body) {
        checkInvokeUrl(invokeUrl);
        String verb = method.toUpperCase(Locale.ROOT);
        if (!METHODS.contains(verb)) {
            throw new CliException(
                    ExitCodes.USAGE, "--method must be one of " + new TreeSet<>(METHODS) + ", not " + method);
        }
        StringBuilder url = new StringBuilder(stripTrailingSlash(invokeUrl)).append(expand(pathTemplate, params));
        String query = query(additionalParams.path("queryParams"));
        if (!query.isEmpty()) {
            url.append('?').append(query);
        }
        URI uri;
        try {
            uri = URI.create(url.toString());
        } catch (IllegalArgumentException e) {
            throw new CliException(
                    ExitCodes.USAGE,
                    "The request URL " + url + " is not valid (check --invoke-url and" + " --path-template): "
                            + e.getMessage(),
                    e);
        }
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put("Content-Type", "application/json");
        headers.put("Accept", "application/json");
        Iterator<Map.Entry<String, JsonNode>> given =
                additionalParams.path("headers").fields();
        while (given.hasNext()) {
            Map.Entry<String, JsonNode> header = given.next();
            headers.put(header.getKey(), header.getValue().asText());
        }
        Optional<byte[]> payload =
                body.isNull() || (body.isTextual() && body.asText().isEmpty())
                        ? Optional.empty()
                        : Optional.of(body.toString().getBytes(StandardCharsets.UTF_8));
        long millis = additionalParams.path("timeout").asLong(0);
        Optional<Duration> timeout = millis > 0 ? Optional.of(Duration.ofMillis(millis)) : Optional.empty();
        return new ApiRequest(verb, uri, headers, payload, timeout);
    }

    private static void checkInvokeUrl(String invokeUrl) {
        URI base;
        try {
            base = URI.create(invokeUrl);
        } catch (IllegalArgumentException e) {
            throw new CliException(
                    ExitCodes.USAGE, "--invoke-url " + invokeUrl + " is not a URL: " + e.getMessage(), e);
        }
        String scheme = base.getScheme();
        if (scheme == null
                || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || base.getHost() == null) {
            throw new CliException(
                    ExitCodes.USAGE,
                    "--invoke-url must be an http(s) URL such as"
                            + " http://127.0.0.1:9230 (the stack's ApiEndpoint), not " + invokeUrl);
        }
    }

    /** The path template with {@code {name}} replaced by the encoded value of {@code params.name}. */
    static String expand(String pathTemplate, JsonNode params) {
        Matcher matcher = VARIABLE.matcher(pathTemplate);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            JsonNode value = params.path(matcher.group(1));
            String text = value.isMissingNode() || value.isNull() ? "" : value.asText();
            matcher.appendReplacement(out, Matcher.quoteReplacement(encode(text)));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** {@code name=value} pairs, sorted by name, both percent-encoded (RFC 3986 unreserved characters kept). */
    static String query(JsonNode queryParams) {
        Map<String, String> sorted = new TreeMap<>();
        queryParams
                .fields()
                .forEachRemaining(e -> sorted.put(e.getKey(), e.getValue().asText()));
        StringBuilder out = new StringBuilder();
        sorted.forEach((name, value) -> {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(encode(name)).append('=').append(encode(value));
        });
        return out.toString();
    }

    /** Percent-encodes every byte of the UTF-8 text except the RFC 3986 unreserved characters. */
    static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
