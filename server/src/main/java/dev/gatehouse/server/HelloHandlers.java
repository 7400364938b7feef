package dev.gatehouse.server;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Optional;

/**
 * The default stack's handlers: the recipe's functions, as Java Lambda handlers (event payload 2.0). Each reads only its
 * event and formats a string: no store, no I/O, no locks. That is what lets {@link NotesStack} declare their routes
 * {@code Invocation.NON_BLOCKING}; a change that makes one of them wait must take that declaration away.
 */
final class HelloHandlers {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HelloHandlers() {}

    /** {@code GET /public}: a plain greeting for anyone. */
    static final class PublicHello implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
        @Override
        public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
            return text("Hello stranger!");
        }
    }

    /** {@code GET /private} (AWS_IAM): greets the caller by the Cognito identity id the signed request resolved to. */
    static final class PrivateHello implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
        @Override
        public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
            Optional<String> identityId = Optional.ofNullable(event.getRequestContext())
                    .map(APIGatewayV2HTTPEvent.RequestContext::getAuthorizer)
                    .map(APIGatewayV2HTTPEvent.RequestContext.Authorizer::getIam)
                    .map(APIGatewayV2HTTPEvent.RequestContext.IAM::getCognitoIdentity)
                    .map(APIGatewayV2HTTPEvent.RequestContext.CognitoIdentity::getIdentityId);
            // The route is AWS_IAM, so the gateway only invokes this with a verified caller; a caller without a Cognito
            // identity (a plain IAM user) has none to greet.
            return text("Hello " + identityId.orElse("user") + "!");
        }
    }

    /** {@code GET /api/helloWorld}: the recipe's unsecured endpoint, a JSON string. */
    static final class HelloWorld implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
        @Override
        public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
            return jsonString("Hello from an unsecured endpoint", Map.of("Access-Control-Allow-Origin", "*"));
        }
    }

    /** {@code GET /api/helloWorldSecured} (JWT): the recipe's secured endpoint, with the caller's {@code email} claim. */
    static final class HelloWorldSecured implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
        @Override
        public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
            Optional<String> email = Optional.ofNullable(event.getRequestContext())
                    .map(APIGatewayV2HTTPEvent.RequestContext::getAuthorizer)
                    .map(APIGatewayV2HTTPEvent.RequestContext.Authorizer::getJwt)
                    .map(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT::getClaims)
                    .map(claims -> claims.get("email"));
            // The recipe's wording, typo included: clients written against it compare this text.
            return jsonString(
                    "Hello from an secured endpoint -> " + email.orElse("undefined"),
                    Map.of("Access-Control-Allow-Origin", "*", "Access-Control-Allow-Credentials", "true"));
        }
    }

    /** Status 200 and a body, no headers: what the recipe's SST functions return. */
    private static APIGatewayV2HTTPResponse text(String body) {
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(200)
                .withBody(body)
                .build();
    }

    /**
     * A body that is a JSON string, as {@code JSON.stringify('…')} makes it, with the recipe's headers (the API's CORS
     * configuration replaces CORS headers on the way out).
     */
    private static APIGatewayV2HTTPResponse jsonString(String value, Map<String, String> headers) {
        try {
            return APIGatewayV2HTTPResponse.builder()
                    .withStatusCode(200)
                    .withHeaders(headers)
                    .withBody(JSON.writeValueAsString(value))
                    .build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a string always serializes", e);
        }
    }
}
