package dev.gatehouse.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Payload format 1.0 (REST APIs, and HTTP API routes that choose it): the event (lambda-and-templates.md §4.1) and the
 * response rules (§4.4).
 * <ul>
 *   <li>Empty maps are {@code null}; {@code headers}/{@code queryStringParameters} carry the last value of a repeated
 *       name, {@code multiValue*} every value in order.</li>
 *   <li>REST keeps header names as clients write them; Gatehouse receives them lower-cased, so it writes each in the
 *       canonical case ({@code Content-Type}, {@code X-Amz-Date}), which is what HTTP/1.1 clients send. HTTP APIs
 *       lower-case them.</li>
 *   <li>{@code AWS_IAM}: {@code requestContext.identity} names the caller (and its Cognito identity);
 *       {@code COGNITO_USER_POOLS}: {@code requestContext.authorizer.claims}; HTTP API JWT: {@code authorizer.claims}
 *       and {@code scopes}.</li>
 *   <li>The answer must be a JSON object with an integer {@code statusCode}, string maps of headers, a string (or
 *       null) {@code body}; anything else is a malformed proxy response. REST adds
 *       {@code Content-Type: application/json} when the function sets none.</li>
 * </ul>
 */
final class EventsV1 {

    private static final ObjectMapper JSON = FunctionResponses.JSON;

    private EventsV1() {}

    /** Everything the event needs besides the request itself. */
    record Context(
            ApiType apiType,
            RouteTable.Match match,
            Caller caller,
            String accountId,
            String apiId,
            String domainName,
            String requestId,
            Instant time) {}

    static byte[] event(GatewayRequest request, Context context) {
        boolean rest = context.apiType() == ApiType.REST;
        RouteKey key = context.match().entry().route().key();
        String resource = key.isDefault()
                ? RouteKey.DEFAULT
                : key.key().substring(key.key().indexOf(' ') + 1);
        String path = "/" + String.join("/", context.match().path());
        ObjectNode root = JSON.createObjectNode();
        if (!rest) {
            root.put("version", "1.0");
        }
        root.put("resource", resource);
        root.put("path", path);
        root.put("httpMethod", request.method());
        headers(root, request, rest);
        query(root, request.rawQuery());
        root.set(
                "pathParameters",
                context.match().parameters().isEmpty()
                        ? null
                        : JSON.valueToTree(context.match().parameters()));
        root.putNull("stageVariables");
        root.set("requestContext", requestContext(request, context, resource));
        body(root, request.body());
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void headers(ObjectNode root, GatewayRequest request, boolean rest) {
        ObjectNode single = JSON.createObjectNode();
        ObjectNode multi = JSON.createObjectNode();
        request.headers().forEach((name, values) -> {
            String shown = rest ? canonical(name) : name;
            single.put(shown, values.get(values.size() - 1));
            ArrayNode all = multi.putArray(shown);
            values.forEach(all::add);
        });
        root.set("headers", single.isEmpty() ? null : single);
        root.set("multiValueHeaders", multi.isEmpty() ? null : multi);
    }

    /** {@code x-amz-date} → {@code X-Amz-Date}. */
    static String canonical(String name) {
        StringBuilder out = new StringBuilder(name.length());
        boolean upper = true;
        for (char c : name.toCharArray()) {
            out.append(upper ? Character.toUpperCase(c) : c);
            upper = c == '-';
        }
        return out.toString();
    }

    private static void query(ObjectNode root, String rawQuery) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = Paths.decodeQuery(eq < 0 ? pair : pair.substring(0, eq));
            values.computeIfAbsent(name, n -> new ArrayList<>())
                    .add(eq < 0 ? "" : Paths.decodeQuery(pair.substring(eq + 1)));
        }
        if (values.isEmpty()) {
            root.putNull("queryStringParameters");
            root.putNull("multiValueQueryStringParameters");
            return;
        }
        ObjectNode single = root.putObject("queryStringParameters");
        ObjectNode multi = root.putObject("multiValueQueryStringParameters");
        values.forEach((name, list) -> {
            single.put(name, list.get(list.size() - 1));
            ArrayNode all = multi.putArray(name);
            list.forEach(all::add);
        });
    }

    private static ObjectNode requestContext(GatewayRequest request, Context context, String resource) {
        String stage = context.match().stage();
        ObjectNode out = JSON.createObjectNode();
        out.put("resourceId", context.apiType() == ApiType.REST ? resourceId(resource) : null);
        out.put("resourcePath", resource);
        out.put("httpMethod", request.method());
        out.put("extendedRequestId", context.requestId());
        out.put("requestTime", Events.clf(context.time()));
        out.put(
                "path",
                stage.equals(RouteKey.DEFAULT)
                        ? "/" + String.join("/", context.match().path())
                        : "/" + stage + "/" + String.join("/", context.match().path()));
        out.put("accountId", context.accountId());
        out.put("protocol", request.protocol());
        out.put("stage", stage);
        int dot = context.domainName().indexOf('.');
        out.put(
                "domainPrefix",
                dot < 0 ? context.domainName() : context.domainName().substring(0, dot));
        out.put("requestTimeEpoch", context.time().toEpochMilli());
        out.put("requestId", context.requestId());
        out.set("identity", identity(request, context.caller()));
        out.put("domainName", context.domainName());
        out.put("apiId", context.apiId());
        authorizer(context.caller()).ifPresent(node -> out.set("authorizer", node));
        return out;
    }

    /** A stable 6-character resource id per resource path, as API Gateway gives each resource one. */
    private static String resourceId(String resource) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        int hash = resource.hashCode();
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            id.append(alphabet.charAt(Math.floorMod(hash, alphabet.length())));
            hash = hash / alphabet.length() + 7919 * (i + 1);
        }
        return id.toString();
    }

    private static ObjectNode identity(GatewayRequest request, Caller caller) {
        ObjectNode identity = JSON.createObjectNode();
        for (String name : List.of("cognitoIdentityPoolId", "accountId", "cognitoIdentityId", "caller")) {
            identity.putNull(name);
        }
        identity.put("sourceIp", request.sourceIp());
        for (String name : List.of(
                "principalOrgId",
                "accessKey",
                "cognitoAuthenticationType",
                "cognitoAuthenticationProvider",
                "userArn")) {
            identity.putNull(name);
        }
        identity.put("userAgent", request.header("user-agent").orElse(null));
        identity.putNull("user");
        if (caller instanceof Caller.Iam) {
            Caller.Iam iam = (Caller.Iam) caller;
            IamPrincipal principal = iam.principal();
            identity.put("accountId", principal.accountId());
            identity.put("caller", principal.callerId());
            identity.put("accessKey", iam.accessKey());
            identity.put("userArn", principal.userArn());
            identity.put("user", principal.userId());
            principal.cognitoIdentity().ifPresent(cognito -> {
                identity.put("cognitoIdentityPoolId", cognito.identityPoolId());
                identity.put("cognitoIdentityId", cognito.identityId());
                List<String> amr = cognito.amr();
                identity.put("cognitoAuthenticationType", amr.isEmpty() ? null : amr.get(0));
                identity.put(
                        "cognitoAuthenticationProvider",
                        amr.size() < 2 ? null : String.join(",", amr.subList(1, amr.size())));
            });
        }
        return identity;
    }

    private static Optional<ObjectNode> authorizer(Caller caller) {
        if (caller instanceof Caller.CognitoUserPool) {
            ObjectNode node = JSON.createObjectNode();
            node.set("claims", JSON.valueToTree(((Caller.CognitoUserPool) caller).claims()));
            return Optional.of(node);
        }
        if (caller instanceof Caller.Jwt) {
            Caller.Jwt jwt = (Caller.Jwt) caller;
            ObjectNode node = JSON.createObjectNode();
            node.set("claims", JSON.valueToTree(jwt.claims()));
            node.set(
                    "scopes",
                    jwt.scopes()
                            .map(scopes -> (JsonNode) JSON.valueToTree(scopes))
                            .orElse(null));
            return Optional.of(node);
        }
        return Optional.empty();
    }

    private static void body(ObjectNode root, byte[] body) {
        if (body.length == 0) {
            root.putNull("body");
            root.put("isBase64Encoded", false);
            return;
        }
        try {
            root.put(
                    "body",
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(body))
                            .toString());
            root.put("isBase64Encoded", false);
        } catch (CharacterCodingException e) {
            root.put("body", Base64.getEncoder().encodeToString(body));
            root.put("isBase64Encoded", true);
        }
    }

    /** Reads a 1.0 answer; empty when it is a malformed proxy response. */
    static Optional<GatewayResponse> response(byte[] payload, ApiType apiType) {
        try {
            JsonNode node = JSON.readTree(payload);
            if (node == null || !node.isObject() || !node.has("statusCode")) {
                return Optional.empty();
            }
            int status = FunctionResponses.statusCode(node.get("statusCode"));
            if (status < 100 || status > 599) {
                return Optional.empty();
            }
            Map<String, List<String>> headers = new LinkedHashMap<>();
            Map<String, String> single = stringMap(node.get("headers"));
            if (single != null) {
                single.forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), List.of(value)));
            }
            Map<String, List<String>> multi = listMap(node.get("multiValueHeaders"));
            if (multi != null) {
                multi.forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
            }
            if (apiType == ApiType.REST) {
                headers.putIfAbsent("content-type", List.of("application/json"));
            }
            String body = body(node.get("body"));
            byte[] bytes = body == null
                    ? new byte[0]
                    : node.path("isBase64Encoded").asBoolean(false)
                            ? Base64.getDecoder().decode(body)
                            : body.getBytes(StandardCharsets.UTF_8);
            return Optional.of(new GatewayResponse(status, headers, bytes));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A JSON object of scalars as strings; null when absent or null. */
    static @Nullable Map<String, String> stringMap(@Nullable JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("headers is not an object");
        }
        Map<String, String> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(field -> {
            if (!field.getValue().isValueNode()) {
                throw new IllegalArgumentException("a header value is not a string");
            }
            if (!field.getValue().isNull()) {
                out.put(field.getKey(), field.getValue().asText());
            }
        });
        return out;
    }

    /** A JSON object of arrays of scalars; null when absent or null. */
    static @Nullable Map<String, List<String>> listMap(@Nullable JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("multiValueHeaders is not an object");
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(field -> {
            if (!field.getValue().isArray()) {
                throw new IllegalArgumentException("a multi-value header is not an array");
            }
            List<String> values = new ArrayList<>();
            field.getValue().forEach(value -> values.add(value.asText()));
            out.put(field.getKey(), values);
        });
        return out;
    }

    /** The body: a string, or null; any other JSON type makes the answer malformed. */
    static @Nullable String body(@Nullable JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new IllegalArgumentException("body is not a string");
        }
        return node.textValue();
    }
}
