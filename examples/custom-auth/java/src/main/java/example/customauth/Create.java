package example.customauth;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;

/**
 * CreateAuthChallenge: a six-digit code, kept in {@code privateChallengeParameters} (never sent to the client) and
 * delivered. A real app emails or texts it; this example writes it to {@code $CODE_DIR/<userName>}, its local outbox.
 */
public class Create implements RequestHandler<Map<String, Object>, Map<String, Object>> {

  private static final SecureRandom RANDOM = new SecureRandom();

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    Map<String, Object> request = Events.map(event, "request");
    String code = String.format("%06d", RANDOM.nextInt(1_000_000));
    if (!Boolean.TRUE.equals(request.get("userNotFound"))) {
      deliver(String.valueOf(event.get("userName")), code);
    }
    int tries = Events.tries(Events.session(request));
    Map<String, Object> response = Events.map(event, "response");
    response.put("publicChallengeParameters", Map.of("delivery", "outbox", "triesLeft", String.valueOf(Events.MAX_TRIES - tries)));
    response.put("privateChallengeParameters", Map.of("code", code));
    response.put("challengeMetadata", "CODE");
    return event;
  }

  private static void deliver(String userName, String code) {
    try {
      Path outbox = Files.createDirectories(Path.of(System.getenv("CODE_DIR")));
      Files.writeString(outbox.resolve(userName), code, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
