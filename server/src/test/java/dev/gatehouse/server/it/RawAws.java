package dev.gatehouse.server.it;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * AWS JSON 1.1 requests built by hand with {@link java.net.http.HttpClient}, for what an SDK would never send
 * (malformed bodies, unknown targets) and for signatures with chosen flaws; and API requests signed for
 * {@code execute-api}, as a browser or the CLI sends them.
 */
final class RawAws {

    static final String TARGET_PREFIX = "AWSCognitoIdentityProviderService.";
    static final String CONTENT_TYPE = "application/x-amz-json-1.1";

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private RawAws() {}

    /** {@code POST /} with {@code X-Amz-Target: AWSCognitoIdentityProviderService.<operation>} and {@code body}. */
    static HttpResponse<String> post(URI endpoint, String operation, String body) {
        return send(HttpRequest.newBuilder(root(endpoint))
                .header("X-Amz-Target", TARGET_PREFIX + operation)
                .header("Content-Type", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** {@code POST /} with the given headers, exactly. */
    static HttpResponse<String> post(URI endpoint, Map<String, String> headers, String body) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(root(endpoint)).POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(builder::header);
        return send(builder);
    }

    /**
     * {@code POST /} signed with SigV4 by the AWS SDK's signer, for {@code service} in {@code region} at the time of
     * {@code clock}; then {@code sentBody} (which may differ from the signed body) is sent. {@code operation} is a
     * Cognito operation's name, or a whole target with its service's prefix ({@code GatehouseAdmin.RotateSigningKeys}).
     */
    static HttpResponse<String> postSigned(
            URI endpoint,
            String operation,
            String signedBody,
            String sentBody,
            AdminCredentials credentials,
            String region,
            String service,
            Clock clock) {
        byte[] signedBytes = signedBody.getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(root(endpoint))
                .putHeader("Content-Type", CONTENT_TYPE)
                .putHeader("X-Amz-Target", operation.contains(".") ? operation : TARGET_PREFIX + operation)
                .build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(
                        AwsCredentialsIdentity.create(credentials.accessKeyId(), credentials.secretAccessKey()))
                .request(request)
                .payload(() -> new ByteArrayInputStream(signedBytes))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock));
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(root(endpoint)).POST(HttpRequest.BodyPublishers.ofString(sentBody));
        signed.request().forEachHeader((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!lower.equals("host") && !lower.equals("content-length")) {
                values.forEach(v -> builder.header(name, v));
            }
        });
        return send(builder);
    }

    /**
     * {@code method uri} with a JSON body (or none), SigV4-signed for {@code execute-api} in us-east-1 by the AWS SDK's
     * signer; java.net.http sets Host and Content-Length itself, to the values that were signed.
     */
    static HttpRequest executeApi(URI uri, String method, @Nullable String json, AwsCredentialsIdentity identity) {
        SdkHttpRequest.Builder unsigned =
                SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
        if (json != null) {
            unsigned.putHeader("content-type", "application/json");
        }
        SdkHttpRequest signed = AwsV4HttpSigner.create()
                .sign(r -> {
                    r.identity(identity)
                            .request(unsigned.build())
                            .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "execute-api")
                            .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1");
                    if (json != null) {
                        r.payload(ContentStreamProvider.fromUtf8String(json));
                    }
                })
                .request();
        HttpRequest.Builder request = HttpRequest.newBuilder(signed.getUri())
                .timeout(Duration.ofSeconds(20))
                .method(
                        method,
                        json == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        signed.headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("host") && !name.equalsIgnoreCase("content-length")) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return request.build();
    }

    static URI root(URI endpoint) {
        String s = endpoint.toString();
        return URI.create(s.endsWith("/") ? s : s + "/");
    }

    private static HttpResponse<String> send(HttpRequest.Builder builder) {
        try {
            return HTTP.send(builder.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
