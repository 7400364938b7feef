package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * APIs of a watched template, in process: an API added while running gets a listener of its own and its URL in the
 * outputs; a route removed answers 404 from the next request on; the server keeps serving throughout.
 */
class LiveApisTests {

    private static final String ONE_API =
            """
      Transform: AWS::Serverless-2016-10-31
      Globals:
        Function: {Runtime: builtin}
      Resources:
        First:
          Type: AWS::Serverless::HttpApi
        Hello:
          Type: AWS::Serverless::Function
          Properties:
            Handler: hello.public
            Events:
              Get: {Type: HttpApi, Properties: {ApiId: !Ref First, Path: /public, Method: GET}}
      %s
      Outputs:
        FirstEndpoint: {Value: !Sub "https://${First}.execute-api.${AWS::Region}.amazonaws.com"}
      %s
      """;

    private static final String SECOND_API =
            """
        Second:
          Type: AWS::Serverless::HttpApi
        Hello2:
          Type: AWS::Serverless::Function
          Properties:
            Handler: hello.public
            Events:
              Get: {Type: HttpApi, Properties: {ApiId: !Ref Second, Path: /again, Method: GET}}
      """;

    private static final String SECOND_OUTPUT =
            """
        SecondEndpoint: {Value: !Sub "https://${Second}.execute-api.${AWS::Region}.amazonaws.com"}
      """;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private void save(String text, long second) throws IOException {
        Path template = dir.resolve("app").resolve("template.yaml");
        Files.createDirectories(template.getParent());
        Files.writeString(template, text);
        Files.setLastModifiedTime(template, FileTime.fromMillis(second * 1000));
    }

    private int get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    @Test
    void saveWhenApiAddedThenItIsServedOnItsOwnListenerAndWhenRouteRemovedThen404() throws Exception {
        save(ONE_API.formatted("", ""), 1);
        GatehouseServer server = new GatehouseServer(
                ServerConfig.defaults(dir.resolve("data")).withAwsPort(0).withWorkers(2, 8),
                Clock.systemUTC(),
                StoreFactory.SQLITE,
                new StackConfig(Optional.of(dir.resolve("app").resolve("template.yaml")), Map.of(), "dev"));
        try {
            String first = server.start().get("FirstEndpoint").orElseThrow();
            assertThat(get(first + "/public")).isEqualTo(200);

            save(ONE_API.formatted(SECOND_API, SECOND_OUTPUT), 2);
            assertThat(get(first + "/public")).isEqualTo(200); // this request waits for the re-apply
            String second = server.outputs().orElseThrow().get("SecondEndpoint").orElseThrow();
            assertThat(second).isNotEqualTo(first);
            assertThat(get(second + "/again")).isEqualTo(200);
            assertThat(server.outputs().orElseThrow().get("FirstEndpoint")).contains(first);

            save(ONE_API.formatted(SECOND_API, SECOND_OUTPUT).replace("Path: /public", "Path: /moved"), 3);
            assertThat(get(first + "/public")).isEqualTo(404);
            assertThat(get(first + "/moved")).isEqualTo(200);
            assertThat(get(second + "/again")).isEqualTo(200);
        } finally {
            server.stop();
        }
    }
}
