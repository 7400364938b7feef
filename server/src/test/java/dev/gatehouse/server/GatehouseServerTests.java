package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole server in-process on a free port with a temporary data dir: one socket-level smoke test. */
class GatehouseServerTests {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private GatehouseServer server;

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void startWhenFreshDataDirThenServesAndWritesOwnerOnlyFilesAndOutputs() throws Exception {
    Path outputsFile = dir.resolve("outputs.json");
    server = new GatehouseServer(config().withOutputsFile(outputsFile));

    StackOutputs outputs = server.start();

    String endpoint = "http://127.0.0.1:" + server.awsPort();
    assertThat(server.awsPort()).isPositive();
    assertThat(outputs.get("AwsEndpoint")).contains(endpoint);
    assertThat(outputs.get("Region")).contains("us-east-1");
    JsonNode written = JSON.readTree(Files.readString(outputsFile));
    assertThat(written.get("AwsEndpoint").asText()).isEqualTo(endpoint);
    Path credentials = Path.of(written.get("AdminCredentialsFile").asText());
    assertThat(credentials).isEqualTo(dir.resolve("data/admin-credentials"));
    assertThat(Files.readString(credentials)).contains("[default]").contains("aws_access_key_id = AKIA");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data")))).isEqualTo("rwx------");
    assertThat(dir.resolve("data/gatehouse.db")).exists();

    HttpResponse<String> notFound = http.send(HttpRequest.newBuilder(URI.create(endpoint + "/nothing")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(notFound.statusCode()).isEqualTo(404);
    assertThat(notFound.headers().firstValue("x-amzn-RequestId")).isPresent();

    HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(endpoint + "/"))
        .header("X-Amz-Target", "AWSCognitoIdentityProviderService.NoSuchOperation")
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(unknown.body()).get("__type").asText()).isEqualTo("UnknownOperationException");
  }

  @Test
  void startWhenRestartedOnSameDataDirThenSameIdsAndKeys() throws Exception {
    server = new GatehouseServer(config());
    StackOutputs first = server.start();
    String firstCredentials = Files.readString(dir.resolve("data/admin-credentials"));
    server.stop();

    server = new GatehouseServer(config());
    StackOutputs second = server.start();

    assertThat(Files.readString(dir.resolve("data/admin-credentials"))).isEqualTo(firstCredentials);
    assertThat(second.get("UserPoolId")).isEqualTo(first.get("UserPoolId"));
    assertThat(second.get("UserPoolClientId")).isEqualTo(first.get("UserPoolClientId"));
  }

  @Test
  void stopWhenStartedThenPortClosed() throws Exception {
    server = new GatehouseServer(config());
    server.start();
    URI uri = URI.create("http://127.0.0.1:" + server.awsPort() + "/");

    server.stop();

    assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(ConnectException.class);
  }

  private ServerConfig config() {
    return ServerConfig.defaults(dir.resolve("data")).withAwsPort(0).withWorkers(2, 8);
  }
}
