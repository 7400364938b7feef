package example.sdk;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/**
 * An HTTP API handler (payload 2.0) that writes an item ({@code noteId} from the query's {@code id}, the request body as
 * {@code content}) into its template's table ({@code TABLE}, or the query's {@code table}) and reads it back, with the
 * function's execution role. The SDK takes the credentials, region and endpoint from the environment; what the role's
 * policy refuses comes back as DynamoDB's error, reported as it is.
 */
public class Items implements RequestHandler<Map<String, Object>, Map<String, Object>> {

  private static final DynamoDbClient DYNAMODB = DynamoDbClient.builder()
      .httpClient(UrlConnectionHttpClient.create()).build();

  @Override
  @SuppressWarnings("unchecked")
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    Map<String, Object> query = (Map<String, Object>) event.get("queryStringParameters");
    String id = query == null ? null : (String) query.get("id");
    if (id == null || id.isEmpty()) {
      return Answers.text(400, "id is required");
    }
    String table = query.containsKey("table") ? (String) query.get("table") : System.getenv("TABLE");
    Object body = event.get("body");
    Map<String, AttributeValue> key = Map.of("noteId", AttributeValue.fromS(id));
    Map<String, AttributeValue> item = new LinkedHashMap<>(key);
    item.put("content", AttributeValue.fromS(body == null ? "" : body.toString()));
    try {
      DYNAMODB.putItem(r -> r.tableName(table).item(item));
      Map<String, AttributeValue> read = DYNAMODB.getItem(r -> r.tableName(table).key(key).consistentRead(true))
          .item();
      return Answers.text(200, "read " + read.get("noteId").s() + " " + read.get("content").s());
    } catch (DynamoDbException e) {
      return Answers.text(e.statusCode(), e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage());
    }
  }
}
