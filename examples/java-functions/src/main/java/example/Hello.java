package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A RequestHandler that tells what it sees: its environment, its context and its input. The input may ask it to
 * misbehave: {@code {"sleep": ms}}, {@code {"throw": "message"}}, {@code {"exit": status}}.
 */
public class Hello implements RequestHandler<Map<String, Object>, Map<String, Object>> {

  private static final String[] SHOWN = {"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_LAMBDA_FUNCTION_NAME", "_HANDLER",
      "LAMBDA_TASK_ROOT", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_LOG_GROUP_NAME",
      "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_LAMBDA_RUNTIME_API", "AWS_EXECUTION_ENV", "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "GREETING", "TZ"};

  private static int invocations;

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
    invocations++;
    System.out.println("hello from " + context.getFunctionName());
    if (input.containsKey("sleep")) {
      try {
        Thread.sleep(((Number) input.get("sleep")).longValue());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (input.containsKey("throw")) {
      throw new IllegalStateException(String.valueOf(input.get("throw")));
    }
    if (input.containsKey("exit")) {
      System.exit(((Number) input.get("exit")).intValue());
    }
    Map<String, Object> env = new LinkedHashMap<>();
    for (String name : SHOWN) {
      env.put(name, System.getenv(name));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("env", env);
    out.put("requestId", context.getAwsRequestId());
    out.put("functionName", context.getFunctionName());
    out.put("invokedFunctionArn", context.getInvokedFunctionArn());
    out.put("memoryLimitInMB", context.getMemoryLimitInMB());
    out.put("remainingTimeInMillis", context.getRemainingTimeInMillis());
    out.put("identityId", context.getIdentity() == null ? null : context.getIdentity().getIdentityId());
    out.put("maxHeapMb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
    out.put("invocations", invocations);
    out.put("input", input);
    return out;
  }
}
