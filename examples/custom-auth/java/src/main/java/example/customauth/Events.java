package example.customauth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading Cognito's trigger events as the maps the Lambda runtime hands a {@code Map<String, Object>} handler. */
final class Events {

  static final int MAX_TRIES = 3;

  private Events() {}

  /** The object under {@code name}, made (and put back) when it is missing or null. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Map<String, Object> parent, String name) {
    Object value = parent.get(name);
    if (value instanceof Map<?, ?> map) {
      return (Map<String, Object>) map;
    }
    Map<String, Object> made = new LinkedHashMap<>();
    parent.put(name, made);
    return made;
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> session(Map<String, Object> request) {
    Object session = request.get("session");
    return session instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
  }

  /** How many custom challenges the session has answered so far. */
  static int tries(List<Map<String, Object>> session) {
    return (int) session.stream().filter(s -> "CUSTOM_CHALLENGE".equals(s.get("challengeName"))).count();
  }
}
