package dev.gatehouse.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * examples/misbehaving-functions run from the jar: Node.js handlers that throw, hang past their Timeout, exit the
 * process and print a megabyte are answered as an HTTP API answers them, and the stack keeps serving after each.
 */
class MisbehavingFunctionsIT {

  @RegisterExtension
  static final GatehouseProcess GATEHOUSE = GatehouseProcess.create("misbehaving-functions", "--template",
      Path.of("..", "examples", "misbehaving-functions", "template.yaml").toAbsolutePath().normalize().toString());

  @Test
  void handlerWhenThrowingThenInternalServerErrorAndTheStackKeepsServing() {
    assertAnswer("/throws", 500, "{\"message\":\"Internal Server Error\"}");
    assertAnswer("/throws", 500, "{\"message\":\"Internal Server Error\"}");
    assertAnswer("/fine", 200, "fine /fine");
  }

  @Test
  void handlerWhenHangingPastItsTimeoutThenServiceUnavailableAndTheNextRequestIsServed() {
    assertAnswer("/hangs", 503, "{\"message\":\"Service Unavailable\"}");
    assertAnswer("/hangs", 503, "{\"message\":\"Service Unavailable\"}");
    assertAnswer("/fine", 200, "fine /fine");
  }

  @Test
  void handlerWhenExitingTheProcessThenInternalServerErrorAndANewWorkerServesTheNext() {
    assertAnswer("/exits", 500, "{\"message\":\"Internal Server Error\"}");
    assertAnswer("/exits", 500, "{\"message\":\"Internal Server Error\"}");
    assertAnswer("/fine", 200, "fine /fine");
  }

  @Test
  void handlerWhenPrintingAMegabyteThenItsAnswerArrivesAndAgain() {
    assertAnswer("/chatty", 200, "printed a megabyte");
    assertAnswer("/chatty", 200, "printed a megabyte");
    assertAnswer("/fine", 200, "fine /fine");
  }

  private static void assertAnswer(String path, int status, String body) {
    HttpResponse<String> response = ApiCalls.send(HttpRequest.newBuilder(
        URI.create(GATEHOUSE.output("ApiEndpoint") + path)).GET().build());

    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(status);
    assertThat(response.body()).isEqualTo(body);
  }
}
