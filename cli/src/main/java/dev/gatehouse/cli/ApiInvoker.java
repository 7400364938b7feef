package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * Step 3: signs the API request with SigV4 for {@code execute-api} (AWS SDK v2 {@link AwsV4HttpSigner}) and sends it
 * with {@code java.net.http}. The answer is read like axios does for the tool: JSON if it parses, else the text.
 */
final class ApiInvoker {

    /** What {@code console.dir} shows of the response. */
    record ApiResponse(int status, String statusText, JsonNode data) {
        boolean isError() {
            return status >= 400;
        }
    }

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    private static final String SERVICE = "execute-api";
    /** Headers java.net.http sets itself and refuses from callers; they were signed with the values it sends. */
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade");

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final HttpClient http;
    private final Clock clock;

    ApiInvoker(HttpClient http, Clock clock) {
        this.http = Objects.requireNonNull(http, "http cannot be null");
        this.clock = Objects.requireNonNull(clock, "clock cannot be null");
    }

    static HttpClient defaultHttpClient() {
        return HttpClient.newBuilder()
                .connectTimeout(AwsClients.CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * Signs and sends.
     *
     * @throws CliException ({@link ExitCodes#API_UNREACHABLE}) if there is no answer
     */
    ApiResponse invoke(ApiRequest request, String region, AwsSessionCredentialsIdentity credentials) {
        byte[] body = request.body().orElse(new byte[0]);
        SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder()
                .method(SdkHttpMethod.fromValue(request.method()))
                .uri(request.uri());
        request.headers().forEach(unsigned::putHeader);
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(credentials)
                .request(unsigned.build())
                .payload(() -> new ByteArrayInputStream(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SERVICE)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock));
        HttpRequest.Builder builder = HttpRequest.newBuilder(signed.request().getUri())
                .timeout(request.timeout().orElse(DEFAULT_TIMEOUT))
                .method(
                        request.method(),
                        request.body().isPresent()
                                ? HttpRequest.BodyPublishers.ofByteArray(body)
                                : HttpRequest.BodyPublishers.noBody());
        for (Map.Entry<String, List<String>> header : signed.request().headers().entrySet()) {
            if (!RESTRICTED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                header.getValue().forEach(value -> builder.header(header.getKey(), value));
            }
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new CliException(
                    ExitCodes.API_UNREACHABLE,
                    "API request failed: "
                            + Failures.unreachable(
                                    e,
                                    "the API at " + request.uri().getScheme() + "://"
                                            + request.uri().getRawAuthority()),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.API_UNREACHABLE, "API request interrupted", e);
        }
        return new ApiResponse(response.statusCode(), ReasonPhrases.of(response.statusCode()), data(response.body()));
    }

    /** The body as JSON if it parses, else as a string (axios' default response transform). */
    static JsonNode data(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        if (!text.isBlank()) {
            try {
                JsonNode parsed = JSON.readTree(text);
                if (parsed != null) {
                    return parsed;
                }
            } catch (IOException e) {
                // not JSON: shown as text
            }
        }
        return JsonNodeFactory.instance.textNode(text);
    }
}
