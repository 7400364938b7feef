package dev.gatehouse.server.it;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import software.amazon.awssdk.http.SdkHttpRequest;

/** Calls to an API endpoint with java.net.http, signed requests included. */
final class ApiCalls {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private ApiCalls() {}

    /** The SDK request as a java.net.http GET; java.net.http sets Host itself (the value the signer signed). */
    static HttpRequest copy(SdkHttpRequest signed) {
        HttpRequest.Builder request = HttpRequest.newBuilder(signed.getUri())
                .timeout(Duration.ofSeconds(20))
                .GET();
        signed.headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("host")) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return request.build();
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
