package example.sdk;

import java.util.LinkedHashMap;
import java.util.Map;

/** API Gateway proxy answers: a status and a plain-text body. */
final class Answers {

  private Answers() {
  }

  static Map<String, Object> text(int status, String body) {
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("statusCode", status);
    response.put("headers", Map.of("Content-Type", "text/plain"));
    response.put("body", body);
    return response;
  }
}
