package dev.gatehouse.gateway;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Payload 2.0 for a function in a worker process: the event as JSON (the field names API Gateway sends) and the
 * function's JSON answer read by 2.0's rules, including the inferred answer for JSON without a {@code statusCode}.
 */
final class FunctionResponses {

    static final ObjectMapper JSON = new ObjectMapper();

    private FunctionResponses() {}

    /** The 2.0 event as API Gateway serialises it: absent maps omitted. */
    static byte[] v2Event(APIGatewayV2HTTPEvent event) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", event.getVersion());
        root.put("routeKey", event.getRouteKey());
        root.put("rawPath", event.getRawPath());
        root.put("rawQueryString", event.getRawQueryString());
        if (event.getCookies() != null) {
            ArrayNode cookies = root.putArray("cookies");
            event.getCookies().forEach(cookies::add);
        }
        root.set("headers", JSON.valueToTree(event.getHeaders()));
        if (event.getQueryStringParameters() != null) {
            root.set("queryStringParameters", JSON.valueToTree(event.getQueryStringParameters()));
        }
        root.set("requestContext", requestContext(event.getRequestContext()));
        if (event.getPathParameters() != null) {
            root.set("pathParameters", JSON.valueToTree(event.getPathParameters()));
        }
        if (event.getBody() != null) {
            root.put("body", event.getBody());
        }
        root.put("isBase64Encoded", event.getIsBase64Encoded());
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static ObjectNode requestContext(APIGatewayV2HTTPEvent.RequestContext context) {
        ObjectNode requestContext = JSON.createObjectNode();
        requestContext.put("accountId", context.getAccountId());
        requestContext.put("apiId", context.getApiId());
        authorizer(context.getAuthorizer()).ifPresent(node -> requestContext.set("authorizer", node));
        requestContext.put("domainName", context.getDomainName());
        requestContext.put("domainPrefix", context.getDomainPrefix());
        APIGatewayV2HTTPEvent.RequestContext.Http http = context.getHttp();
        requestContext
                .putObject("http")
                .put("method", http.getMethod())
                .put("path", http.getPath())
                .put("protocol", http.getProtocol())
                .put("sourceIp", http.getSourceIp())
                .put("userAgent", http.getUserAgent());
        requestContext.put("requestId", context.getRequestId());
        requestContext.put("routeKey", context.getRouteKey());
        requestContext.put("stage", context.getStage());
        requestContext.put("time", context.getTime());
        requestContext.put("timeEpoch", context.getTimeEpoch());
        return requestContext;
    }

    private static Optional<JsonNode> authorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer) {
        if (authorizer == null) {
            return Optional.empty();
        }
        ObjectNode node = JSON.createObjectNode();
        if (authorizer.getJwt() != null) {
            ObjectNode jwt = node.putObject("jwt");
            jwt.set("claims", JSON.valueToTree(authorizer.getJwt().getClaims()));
            jwt.set("scopes", JSON.valueToTree(authorizer.getJwt().getScopes()));
        }
        APIGatewayV2HTTPEvent.RequestContext.IAM iam = authorizer.getIam();
        if (iam != null) {
            ObjectNode out = node.putObject("iam");
            out.put("accessKey", iam.getAccessKey())
                    .put("accountId", iam.getAccountId())
                    .put("callerId", iam.getCallerId());
            APIGatewayV2HTTPEvent.RequestContext.CognitoIdentity cognito = iam.getCognitoIdentity();
            if (cognito == null) {
                out.putNull("cognitoIdentity");
            } else {
                ObjectNode identity = out.putObject("cognitoIdentity");
                identity.set("amr", JSON.valueToTree(cognito.getAmr()));
                identity.put("identityId", cognito.getIdentityId()).put("identityPoolId", cognito.getIdentityPoolId());
            }
            out.putNull("principalOrgId");
            out.put("userArn", iam.getUserArn()).put("userId", iam.getUserId());
        }
        return Optional.of(node);
    }

    /**
     * A function's payload 2.0 answer: an object with {@code statusCode} is read as a response; any other valid JSON is
     * API Gateway's inferred answer (200, {@code content-type: application/json}, the JSON text as the body, a JSON
     * string's value as it is). Empty when the answer is not JSON or its fields have the wrong types.
     */
    static Optional<GatewayResponse> v2(byte[] payload) {
        JsonNode node;
        try {
            node = JSON.readTree(payload);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (node == null || node.isMissingNode()) {
            return Optional.empty();
        }
        if (!node.isObject() || !node.has("statusCode")) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            headers.put("content-type", List.of("application/json"));
            String body = node.isTextual() ? node.textValue() : node.toString();
            return Optional.of(new GatewayResponse(200, headers, body.getBytes(StandardCharsets.UTF_8)));
        }
        try {
            APIGatewayV2HTTPResponse response = new APIGatewayV2HTTPResponse();
            response.setStatusCode(statusCode(node.get("statusCode")));
            response.setHeaders(EventsV1.stringMap(node.get("headers")));
            response.setMultiValueHeaders(EventsV1.listMap(node.get("multiValueHeaders")));
            JsonNode cookies = node.get("cookies");
            if (cookies != null && cookies.isArray()) {
                List<String> list = new ArrayList<>();
                cookies.forEach(cookie -> list.add(cookie.asText()));
                response.setCookies(list);
            }
            response.setBody(EventsV1.body(node.get("body")));
            response.setIsBase64Encoded(node.path("isBase64Encoded").asBoolean(false));
            return Optional.of(Events.response(response));
        } catch (IllegalArgumentException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    /** A status code: an integer, or a string of one (tolerated by API Gateway). */
    static int statusCode(JsonNode node) {
        if (node.isInt()) {
            return node.intValue();
        }
        if (node.isTextual() && node.textValue().matches("[0-9]{3}")) {
            return Integer.parseInt(node.textValue());
        }
        throw new IllegalArgumentException("statusCode is not an integer");
    }
}
