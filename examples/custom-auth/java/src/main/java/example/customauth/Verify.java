package example.customauth;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/** VerifyAuthChallengeResponse: the answer is right when it is the code that Create kept, compared in constant time. */
public class Verify implements RequestHandler<Map<String, Object>, Map<String, Object>> {

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    Map<String, Object> request = Events.map(event, "request");
    Object code = Events.map(request, "privateChallengeParameters").get("code");
    Object answer = request.get("challengeAnswer");
    boolean correct = code != null && answer != null && MessageDigest.isEqual(
        code.toString().getBytes(StandardCharsets.UTF_8), answer.toString().getBytes(StandardCharsets.UTF_8));
    Events.map(event, "response").put("answerCorrect", correct);
    return event;
  }
}
