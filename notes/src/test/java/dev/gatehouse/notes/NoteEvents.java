package dev.gatehouse.notes;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.RequestContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Events as API Gateway HTTP APIs send them to an AWS_IAM route called with Cognito identity-pool credentials
 * (payload 2.0; aws-wire.md §E.1.1): lower-case headers, optional members left out when empty, the caller under
 * {@code requestContext.authorizer.iam.cognitoIdentity}.
 */
final class NoteEvents {

    static final String POOL = "us-east-1:4f291106-8703-466b-8f2b-3ecee1ca56ce";

    private String method = "GET";
    private String routeKey = "GET /notes";
    private String path = "/notes";
    private final Map<String, String> pathParameters = new LinkedHashMap<>();
    private final Map<String, String> query = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private @Nullable String body;
    private boolean base64;
    private RequestContext.@Nullable Authorizer authorizer;

    private NoteEvents(String identityId) {
        this.authorizer = iam(identityId);
        headers.put("host", "abcdef1234.execute-api.us-east-1.amazonaws.com");
        headers.put("user-agent", "aws-sdk-java/2");
    }

    static NoteEvents as(String identityId) {
        return new NoteEvents(identityId);
    }

    /** The IAM authorizer block of a Cognito identity, as in the production sample of aws-wire.md §E.1.1. */
    static RequestContext.Authorizer iam(String identityId) {
        RequestContext.CognitoIdentity cognito = RequestContext.CognitoIdentity.builder()
                .withIdentityId(identityId)
                .withIdentityPoolId(POOL)
                .withAmr(
                        List.of(
                                "authenticated",
                                "cognito-idp.us-east-1.amazonaws.com/us-east-1_abcdef",
                                "cognito-idp.us-east-1.amazonaws.com/us-east-1_abcdef:CognitoSignIn:6418b458-d091-705e-122e-04bf2945fcdf"))
                .build();
        RequestContext.IAM iam = RequestContext.IAM
                .builder()
                .withAccessKey("ASIAXXXXXXXXXXXXXXXX")
                .withAccountId("123456789012")
                .withCallerId("AROAXXXXXXXXXXXXXXXXX:CognitoIdentityCredentials")
                .withCognitoIdentity(cognito)
                .withUserArn("arn:aws:sts::123456789012:assumed-role/AuthRole/CognitoIdentityCredentials")
                .withUserId("AROAXXXXXXXXXXXXXXXXX:CognitoIdentityCredentials")
                .build();
        return RequestContext.Authorizer.builder().withIam(iam).build();
    }

    NoteEvents post(String json) {
        return route("POST", "/notes", null).json(json);
    }

    NoteEvents getOne(String noteId) {
        return route("GET", "/notes/{id}", noteId);
    }

    NoteEvents put(String noteId, String json) {
        return route("PUT", "/notes/{id}", noteId).json(json);
    }

    NoteEvents deleteOne(String noteId) {
        return route("DELETE", "/notes/{id}", noteId);
    }

    NoteEvents list() {
        return route("GET", "/notes", null);
    }

    NoteEvents query(String name, String value) {
        query.put(name, value);
        return this;
    }

    NoteEvents header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    NoteEvents rawBody(@Nullable String text, boolean isBase64) {
        this.body = text;
        this.base64 = isBase64;
        return this;
    }

    NoteEvents authorizer(RequestContext.@Nullable Authorizer replacement) {
        this.authorizer = replacement;
        return this;
    }

    NoteEvents pathParameter(String name, String value) {
        pathParameters.put(name, value);
        return this;
    }

    private NoteEvents route(String httpMethod, String template, @Nullable String id) {
        method = httpMethod;
        routeKey = httpMethod + " " + template;
        path = "/notes";
        if (id != null) {
            pathParameters.put("id", id);
            path = "/notes/" + id;
        }
        return this;
    }

    private NoteEvents json(String json) {
        headers.put("content-type", "application/json");
        body = json;
        return this;
    }

    APIGatewayV2HTTPEvent build() {
        String rawQuery = query.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("&"));
        RequestContext context = RequestContext.builder()
                .withAccountId("123456789012")
                .withApiId("abcdef1234")
                .withDomainName("abcdef1234.execute-api.us-east-1.amazonaws.com")
                .withDomainPrefix("abcdef1234")
                .withHttp(RequestContext.Http.builder()
                        .withMethod(method)
                        .withPath(path)
                        .withProtocol("HTTP/1.1")
                        .withSourceIp("192.0.2.1")
                        .withUserAgent("aws-sdk-java/2")
                        .build())
                .withRequestId("JZHe5jGjIAMEPsA=")
                .withRouteKey(routeKey)
                .withStage("$default")
                .withTime("12/Mar/2020:19:03:58 +0000")
                .withTimeEpoch(1583348638390L)
                .withAuthorizer(authorizer)
                .build();
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(routeKey)
                .withRawPath(path)
                .withRawQueryString(rawQuery)
                .withHeaders(Map.copyOf(headers))
                .withRequestContext(context)
                .build();
        if (!query.isEmpty()) {
            event.setQueryStringParameters(Map.copyOf(query));
        }
        if (!pathParameters.isEmpty()) {
            event.setPathParameters(Map.copyOf(pathParameters));
        }
        if (body != null) {
            event.setBody(body);
            event.setIsBase64Encoded(base64);
        }
        return event;
    }
}
