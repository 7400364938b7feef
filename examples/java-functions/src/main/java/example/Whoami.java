package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An API Gateway proxy handler (payload 1.0): answers who called, from where API Gateway puts it, namely the identity
 * id of an AWS_IAM caller ({@code requestContext.identity.cognitoIdentityId}) and the email of a Cognito user-pool
 * caller ({@code requestContext.authorizer.claims.email}). {@code /fail} throws, {@code /slow} outlives its timeout.
 */
public class Whoami implements RequestHandler<Map<String, Object>, Map<String, Object>> {

  @Override
  @SuppressWarnings("unchecked")
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    String path = String.valueOf(event.get("path"));
    if (path.endsWith("/fail")) {
      throw new IllegalStateException("failing on purpose");
    }
    if (path.endsWith("/slow")) {
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Map<String, Object> requestContext = (Map<String, Object>) event.get("requestContext");
    Map<String, Object> identity = (Map<String, Object>) requestContext.get("identity");
    Map<String, Object> authorizer = (Map<String, Object>) requestContext.get("authorizer");
    Object email = authorizer == null ? null : ((Map<String, Object>) authorizer.get("claims")).get("email");
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("statusCode", 200);
    response.put("headers", Map.of("Content-Type", "text/plain"));
    response.put("body", "identity=" + identity.get("cognitoIdentityId") + " email=" + email + " path=" + path);
    return response;
  }
}
