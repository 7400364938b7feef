package dev.gatehouse.gateway;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Payload format 2.0: the event API Gateway builds from a request, and how it reads the handler's response. */
final class Events {

    private static final DateTimeFormatter CLF = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    /** The last second formatted: requests in the same second share its text instead of formatting it again. */
    private static volatile Stamp lastStamp = new Stamp(Long.MIN_VALUE, "");

    private record Stamp(long epochSecond, String text) {}

    private Events() {}

    /** Everything the event needs besides the request itself. */
    record Context(
            String routeKey,
            String stage,
            Map<String, String> pathParameters,
            String accountId,
            String apiId,
            String domainName,
            String requestId,
            Instant time,
            APIGatewayV2HTTPEvent.RequestContext.@Nullable Authorizer authorizer) {}

    static APIGatewayV2HTTPEvent event(GatewayRequest request, Context context) {
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        request.headers().forEach((name, values) -> {
            if (name.equals("cookie")) {
                for (String value : values) {
                    for (String cookie : value.split(";")) {
                        if (!cookie.isBlank()) {
                            cookies.add(cookie.trim());
                        }
                    }
                }
            } else {
                headers.put(name, values.size() == 1 ? values.get(0) : String.join(",", values));
            }
        });
        Map<String, String> query = queryParameters(request.rawQuery());
        APIGatewayV2HTTPEvent.RequestContext.Http http = APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                .withMethod(request.method())
                .withPath(request.rawPath())
                .withProtocol(request.protocol())
                .withSourceIp(request.sourceIp())
                .withUserAgent(request.header("user-agent").orElse(""))
                .build();
        APIGatewayV2HTTPEvent.RequestContext requestContext = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withAccountId(context.accountId())
                .withApiId(context.apiId())
                .withDomainName(context.domainName())
                .withDomainPrefix(domainPrefix(context.domainName()))
                .withHttp(http)
                .withRequestId(context.requestId())
                .withRouteKey(context.routeKey())
                .withStage(context.stage())
                .withTime(clf(context.time()))
                .withTimeEpoch(context.time().toEpochMilli())
                .withAuthorizer(context.authorizer())
                .build();
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(context.routeKey())
                .withRawPath(request.rawPath())
                .withRawQueryString(request.rawQuery())
                .withHeaders(headers)
                .withRequestContext(requestContext)
                .build();
        if (!cookies.isEmpty()) {
            event.setCookies(cookies);
        }
        if (!query.isEmpty()) {
            event.setQueryStringParameters(query);
        }
        if (!context.pathParameters().isEmpty()) {
            event.setPathParameters(context.pathParameters());
        }
        if (request.body().length > 0) {
            Optional<String> text = isText(request.header("content-type")) ? utf8(request.body()) : Optional.empty();
            if (text.isPresent()) {
                event.setBody(text.get());
                event.setIsBase64Encoded(false);
            } else {
                event.setBody(Base64.getEncoder().encodeToString(request.body()));
                event.setIsBase64Encoded(true);
            }
        }
        return event;
    }

    /** {@code queryStringParameters}: each name decoded once, the values of a repeated name joined with commas. */
    static Map<String, String> queryParameters(String rawQuery) {
        Map<String, String> query = new LinkedHashMap<>();
        int length = rawQuery.length();
        int start = 0;
        while (start < length) {
            int amp = rawQuery.indexOf('&', start);
            int end = amp < 0 ? length : amp;
            if (end > start) {
                int eq = rawQuery.indexOf('=', start);
                boolean hasValue = eq >= 0 && eq < end;
                String name = Paths.decodeQuery(rawQuery.substring(start, hasValue ? eq : end));
                String value = hasValue ? Paths.decodeQuery(rawQuery.substring(eq + 1, end)) : "";
                query.merge(name, value, (a, b) -> a + "," + b);
            }
            start = end + 1;
        }
        return query;
    }

    /** Where payload 2.0 puts the caller: {@code authorizer.iam} or {@code authorizer.jwt}; null for none. */
    static APIGatewayV2HTTPEvent.RequestContext.@Nullable Authorizer authorizer(Caller caller) {
        if (caller instanceof Caller.Jwt) {
            Caller.Jwt jwt = (Caller.Jwt) caller;
            APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT claims =
                    APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT
                            .builder()
                            .withClaims(jwt.claims())
                            .withScopes(jwt.scopes().orElse(null))
                            .build();
            return APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                    .withJwt(claims)
                    .build();
        }
        if (caller instanceof Caller.CognitoUserPool) {
            APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT claims =
                    APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT
                            .builder()
                            .withClaims(((Caller.CognitoUserPool) caller).claims())
                            .build();
            return APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                    .withJwt(claims)
                    .build();
        }
        if (!(caller instanceof Caller.Iam)) {
            return null;
        }
        Caller.Iam signed = (Caller.Iam) caller;
        IamPrincipal principal = signed.principal();
        APIGatewayV2HTTPEvent.RequestContext.IAM iam = APIGatewayV2HTTPEvent.RequestContext.IAM
                .builder()
                .withAccessKey(signed.accessKey())
                .withAccountId(principal.accountId())
                .withCallerId(principal.callerId())
                .withUserArn(principal.userArn())
                .withUserId(principal.userId())
                .withCognitoIdentity(principal
                        .cognitoIdentity()
                        .map(identity -> APIGatewayV2HTTPEvent.RequestContext.CognitoIdentity.builder()
                                .withAmr(identity.amr())
                                .withIdentityId(identity.identityId())
                                .withIdentityPoolId(identity.identityPoolId())
                                .build())
                        .orElse(null))
                .build();
        return APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                .withIam(iam)
                .build();
    }

    /** The event's {@code time}, {@code 12/Mar/2026:19:03:58 +0000}. */
    static String clf(Instant time) {
        Stamp stamp = lastStamp;
        long second = time.getEpochSecond();
        if (stamp.epochSecond() != second) {
            stamp = new Stamp(second, CLF.format(time));
            lastStamp = stamp;
        }
        return stamp.text();
    }

    /** The first label of the domain name: {@code a1b2c3d4e5} for {@code a1b2c3d4e5.execute-api.us-east-1…}. */
    private static String domainPrefix(String domainName) {
        int dot = domainName.indexOf('.');
        return dot < 0 ? domainName : domainName.substring(0, dot);
    }

    /**
     * Which bodies are passed as text: {@code text/*}, JSON, XML, JavaScript, form and GraphQL types, and bodies without
     * a content type that are valid UTF-8. Everything else is base64.
     */
    static boolean isText(Optional<String> contentType) {
        if (contentType.isEmpty()) {
            return true;
        }
        String type = contentType.get().toLowerCase(Locale.ROOT);
        return type.startsWith("text/")
                || type.contains("json")
                || type.contains("xml")
                || type.contains("javascript")
                || type.startsWith("application/x-www-form-urlencoded")
                || type.contains("graphql");
    }

    private static Optional<String> utf8(byte[] body) {
        try {
            return Optional.of(StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /**
     * Maps a handler's response. A response without a status code (0) is API Gateway's "no statusCode" case: 200,
     * {@code content-type: application/json}, the body as given. {@code headers} and {@code multiValueHeaders} are
     * merged (multi-value wins), each cookie becomes a {@code set-cookie}, a base64 body is decoded.
     */
    static GatewayResponse response(APIGatewayV2HTTPResponse response) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        Map<String, String> single = response.getHeaders();
        if (single != null) {
            single.forEach((name, value) -> {
                if (value != null) {
                    headers.put(name.toLowerCase(Locale.ROOT), List.of(value));
                }
            });
        }
        Map<String, List<String>> multi = response.getMultiValueHeaders();
        if (multi != null) {
            multi.forEach((name, values) -> {
                if (values != null) {
                    headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values));
                }
            });
        }
        List<String> cookies = response.getCookies();
        if (cookies != null && !cookies.isEmpty()) {
            List<String> setCookies = new ArrayList<>(headers.getOrDefault("set-cookie", List.of()));
            setCookies.addAll(cookies);
            headers.put("set-cookie", setCookies);
        }
        int status = response.getStatusCode();
        if (status == 0) {
            status = 200;
            headers.putIfAbsent("content-type", List.of("application/json"));
        }
        if (status < 100 || status > 599) {
            throw new IllegalStateException("handler returned status " + status);
        }
        String body = response.getBody();
        byte[] bytes;
        if (body == null) {
            bytes = new byte[0];
        } else if (response.getIsBase64Encoded()) {
            bytes = Base64.getDecoder().decode(body);
        } else {
            bytes = body.getBytes(StandardCharsets.UTF_8);
        }
        return new GatewayResponse(status, headers, bytes);
    }
}
