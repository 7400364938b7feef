package dev.gatehouse.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A REST API's gateway responses ({@code AWS::ApiGateway::GatewayResponse}, SAM {@code GatewayResponses}): the
 * status, headers and body template of the answers API Gateway gives itself. An answer of a type looks up its own
 * response, then {@code DEFAULT_4XX} or {@code DEFAULT_5XX} by its status, then keeps API Gateway's default
 * (lambda-and-templates.md §4.5). Function answers are never changed.
 *
 * <p>Header values are single-quoted literals ({@code "'*'"}) or request values ({@code method.request.header.Origin},
 * {@code method.request.querystring.q}); a header the request lacks is not sent. A body template is JSON text in
 * which {@code $context.error.messageString} (the message, quoted), {@code $context.error.message},
 * {@code $context.error.responseType} and {@code $context.requestId} are replaced; any other reference is refused when
 * the response is defined.
 */
public final class GatewayResponses {

    /** The response types API Gateway defines. */
    public static final Set<String> TYPES = Set.of(
            "ACCESS_DENIED",
            "API_CONFIGURATION_ERROR",
            "AUTHORIZER_CONFIGURATION_ERROR",
            "AUTHORIZER_FAILURE",
            "BAD_REQUEST_PARAMETERS",
            "BAD_REQUEST_BODY",
            "DEFAULT_4XX",
            "DEFAULT_5XX",
            "EXPIRED_TOKEN",
            "INTEGRATION_FAILURE",
            "INTEGRATION_TIMEOUT",
            "INVALID_API_KEY",
            "INVALID_SIGNATURE",
            "MISSING_AUTHENTICATION_TOKEN",
            "QUOTA_EXCEEDED",
            "REQUEST_TOO_LARGE",
            "RESOURCE_NOT_FOUND",
            "THROTTLED",
            "UNAUTHORIZED",
            "UNSUPPORTED_MEDIA_TYPE",
            "WAF_FILTERED");

    /** None: every answer as API Gateway's default. */
    public static final GatewayResponses NONE = new GatewayResponses(Map.of());

    private static final Pattern REFERENCE = Pattern.compile("\\$(?:context\\.[A-Za-z.]+|\\{[^}]*\\})");
    private static final Set<String> TEMPLATE_VARIABLES = Set.of(
            "$context.error.messageString",
            "$context.error.message",
            "$context.error.responseType",
            "$context.requestId");

    private record Response(OptionalInt statusCode, Map<String, String> headers, Optional<String> template) {}

    private final Map<String, Response> responses;

    private GatewayResponses(Map<String, Response> responses) {
        this.responses = Map.copyOf(responses);
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean isEmpty() {
        return responses.isEmpty();
    }

    /** {@code error} as this API answers it for {@code request}. */
    GatewayResponse apply(GatewayError error, GatewayRequest request, String requestId) {
        GatewayResponse original = error.response();
        Response response = responses.get(error.type());
        if (response == null) {
            int status = original.status();
            response = responses.get(status >= 500 ? "DEFAULT_5XX" : status >= 400 ? "DEFAULT_4XX" : "");
        }
        if (response == null) {
            return original;
        }
        Map<String, List<String>> headers = new LinkedHashMap<>(original.headers());
        for (Map.Entry<String, String> header : response.headers().entrySet()) {
            value(header.getValue(), request)
                    .ifPresent(v -> headers.put(header.getKey().toLowerCase(Locale.ROOT), List.of(v)));
        }
        byte[] body = original.body();
        if (response.template().isPresent()) {
            body = render(response.template().get(), message(original), error.type(), requestId)
                    .getBytes(StandardCharsets.UTF_8);
        }
        return new GatewayResponse(response.statusCode().orElse(original.status()), headers, body);
    }

    private static Optional<String> value(String mapping, GatewayRequest request) {
        if (mapping.length() >= 2 && mapping.startsWith("'") && mapping.endsWith("'")) {
            return Optional.of(mapping.substring(1, mapping.length() - 1));
        }
        if (mapping.startsWith("method.request.header.")) {
            return request.header(mapping.substring("method.request.header.".length()));
        }
        String name = mapping.substring("method.request.querystring.".length());
        for (String pair : request.rawQuery().split("&")) {
            int eq = pair.indexOf('=');
            if (Paths.decodeQuery(eq < 0 ? pair : pair.substring(0, eq)).equals(name)) {
                return Optional.of(eq < 0 ? "" : Paths.decodeQuery(pair.substring(eq + 1)));
            }
        }
        return Optional.empty();
    }

    private static String message(GatewayResponse response) {
        try {
            JsonNode body = FunctionResponses.JSON.readTree(response.body());
            JsonNode message = body.has("message") ? body.get("message") : body.path("Message");
            return message.asText("");
        } catch (IOException e) {
            return "";
        }
    }

    private static String render(String template, String message, String type, String requestId) {
        Matcher references = REFERENCE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (references.find()) {
            String value =
                    switch (references.group()) {
                        case "$context.error.messageString" -> FunctionResponses.JSON
                                .getNodeFactory()
                                .textNode(message)
                                .toString();
                        case "$context.error.message" -> message;
                        case "$context.error.responseType" -> type;
                        default -> requestId;
                    };
            references.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        references.appendTail(out);
        return out.toString();
    }

    /** Builds {@link GatewayResponses}. */
    public static final class Builder {
        private final Map<String, Response> responses = new LinkedHashMap<>();

        private Builder() {}

        /**
         * Defines the response of one type.
         *
         * @param type such as {@code DEFAULT_4XX}, {@code UNAUTHORIZED} ({@link #TYPES})
         * @param statusCode the status to answer instead of the default; empty: keep it
         * @param headers header names to {@code 'literal'} or {@code method.request.header|querystring.<name>} values
         * @param jsonTemplate the {@code application/json} body template; empty: keep the default body
         * @throws IllegalArgumentException for an unknown type, a status outside 100–599, a header value of another form,
         *     or a template reference other than those listed in the class description
         */
        public Builder response(
                String type, OptionalInt statusCode, Map<String, String> headers, Optional<String> jsonTemplate) {
            Objects.requireNonNull(type, "type cannot be null");
            if (!TYPES.contains(type)) {
                throw new IllegalArgumentException("unknown gateway response type " + type + " (one of " + TYPES + ")");
            }
            if (statusCode.isPresent() && (statusCode.getAsInt() < 100 || statusCode.getAsInt() > 599)) {
                throw new IllegalArgumentException(type + ": StatusCode must be between 100 and 599");
            }
            headers.forEach((name, value) -> {
                boolean literal = value.length() >= 2 && value.startsWith("'") && value.endsWith("'");
                if (!literal
                        && !value.startsWith("method.request.header.")
                        && !value.startsWith("method.request.querystring.")) {
                    throw new IllegalArgumentException(type + ": header " + name + " must be a quoted literal ('…') or "
                            + "method.request.header.<name> or method.request.querystring.<name>, not " + value);
                }
            });
            jsonTemplate.ifPresent(template -> {
                Matcher references = REFERENCE.matcher(template);
                while (references.find()) {
                    if (!TEMPLATE_VARIABLES.contains(references.group())) {
                        throw new IllegalArgumentException(type + ": the response template's " + references.group()
                                + " is not supported (only " + TEMPLATE_VARIABLES + ")");
                    }
                }
                if (template.contains("#set") || template.contains("#if") || template.contains("#foreach")) {
                    throw new IllegalArgumentException(
                            type + ": VTL directives in response templates are not supported");
                }
            });
            responses.put(type, new Response(statusCode, Map.copyOf(headers), jsonTemplate));
            return this;
        }

        public GatewayResponses build() {
            return new GatewayResponses(responses);
        }
    }
}
