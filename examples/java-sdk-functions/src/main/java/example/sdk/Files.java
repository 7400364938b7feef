package example.sdk;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * An HTTP API handler (payload 2.0) that stores the request body in the stack's bucket ({@code BUCKET}) under the key
 * of the query's {@code key}, with the function's own execution role: the SDK takes the role's credentials, the region
 * and the endpoint ({@code AWS_ENDPOINT_URL}) from the environment Lambda (here Gatehouse) sets. What the role's policy
 * refuses comes back as S3's error, which the handler reports as it is.
 */
public class Files implements RequestHandler<Map<String, Object>, Map<String, Object>> {

  /** Built once per worker, as Lambda's guidance says: warm invocations reuse its connections. */
  private static final S3Client S3 = S3Client.builder().httpClient(UrlConnectionHttpClient.create())
      .forcePathStyle(true).build();

  @Override
  @SuppressWarnings("unchecked")
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    Map<String, Object> query = (Map<String, Object>) event.get("queryStringParameters");
    String key = query == null ? null : (String) query.get("key");
    if (key == null || key.isEmpty()) {
      return Answers.text(400, "key is required");
    }
    Object body = event.get("body");
    try {
      String etag = S3.putObject(r -> r.bucket(System.getenv("BUCKET")).key(key).contentType("text/plain"),
          RequestBody.fromString(body == null ? "" : body.toString())).eTag();
      return Answers.text(200, "written " + key + " " + etag);
    } catch (S3Exception e) {
      return Answers.text(e.statusCode(), e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage());
    }
  }
}
