package dev.gatehouse.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * examples/misbehaving-functions run from the jar: Node.js handlers that throw, hang past their Timeout, exit the
 * process and print a megabyte are answered as an HTTP API answers them, and the stack keeps serving after each.
 */
class MisbehavingFunctionsIT {

    @RegisterExtension
    static final GatehouseProcess GATEHOUSE = GatehouseProcess.create(
            "misbehaving-functions",
            "--template",
            Path.of("..", "examples", "misbehaving-functions", "template.yaml")
                    .toAbsolutePath()
                    .normalize()
                    .toString());

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "/throws | 500 | {\"message\":\"Internal Server Error\"}",
                "/hangs  | 503 | {\"message\":\"Service Unavailable\"}",
                "/exits  | 500 | {\"message\":\"Internal Server Error\"}",
                "/chatty | 200 | printed a megabyte"
            })
    void handlerWhenMisbehavingThenAnsweredAsApiGatewayDoesTwiceAndTheStackKeepsServing(
            String path, int status, String body) {
        // twice: the second request reaches a new worker where the first one ended (timeout, exit)
        assertAnswer(path, status, body);
        assertAnswer(path, status, body);
        assertAnswer("/fine", 200, "fine /fine");
    }

    private static void assertAnswer(String path, int status, String body) {
        HttpResponse<String> response =
                ApiCalls.send(HttpRequest.newBuilder(URI.create(GATEHOUSE.output("ApiEndpoint") + path))
                        .GET()
                        .build());

        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(status);
        assertThat(response.body()).isEqualTo(body);
    }
}
