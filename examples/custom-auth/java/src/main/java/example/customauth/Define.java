package example.customauth;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.List;
import java.util.Map;

/**
 * DefineAuthChallenge: the password first when the client started with {@code SRP_A}, then a one-time code with
 * {@value Events#MAX_TRIES} tries; tokens once a code was right.
 */
public class Define implements RequestHandler<Map<String, Object>, Map<String, Object>> {

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    Map<String, Object> request = Events.map(event, "request");
    List<Map<String, Object>> session = Events.session(request);
    Map<String, Object> last = session.isEmpty() ? Map.of() : session.get(session.size() - 1);
    boolean userNotFound = Boolean.TRUE.equals(request.get("userNotFound"));
    Map<String, Object> response = Events.map(event, "response");
    response.put("issueTokens", false);
    response.put("failAuthentication", false);
    if ("SRP_A".equals(last.get("challengeName"))) {
      response.put("challengeName", "PASSWORD_VERIFIER");
    } else if ("CUSTOM_CHALLENGE".equals(last.get("challengeName")) && Boolean.TRUE.equals(last.get("challengeResult"))) {
      response.put("issueTokens", !userNotFound);
      response.put("failAuthentication", userNotFound);
    } else if (Events.tries(session) >= Events.MAX_TRIES) {
      response.put("failAuthentication", true);
    } else {
      response.put("challengeName", "CUSTOM_CHALLENGE");
    }
    return event;
  }
}
