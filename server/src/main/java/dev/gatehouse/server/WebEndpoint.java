package dev.gatehouse.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.LoggerFactory;

/**
 * The web endpoint's HTTP handler: the notes web app ({@link WebAssets}) and {@code GET /config.json}, the app's
 * configuration built at start-up from the stack's outputs, so one build of the app works on any ports.
 * <ul>
 *   <li>{@code GET|HEAD /config.json}: {@link #configJson}, never cached.</li>
 *   <li>{@code GET|HEAD} anything else: the file, {@code index.html} for client-side routes, or 404. Vite's hashed
 *       {@code /assets/*} are cacheable for a year; everything else is revalidated ({@code ETag},
 *       {@code If-None-Match} → 304).</li>
 *   <li>Other methods: 405.</li>
 * </ul>
 * Everything is answered from memory on the event loop; a file asked for while the files are still being read at
 * start-up (on a thread of its own: {@link GatehouseServer}) is answered once they are, without blocking the loop.
 */
final class WebEndpoint implements Handler<HttpServerRequest> {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Stack output name → the key the app reads from {@code /config.json}. Nothing else (no file paths) goes out. */
    private static final Map<String, String> CONFIG_KEYS = orderedKeys();

    private final CompletableFuture<WebAssets> assets;
    private final byte[] config;
    private final String contentSecurityPolicy;

    /**
     * @param assets the app's files
     * @param outputs the stack's outputs: the endpoints, pool and client ids the app is configured with
     */
    WebEndpoint(WebAssets assets, StackOutputs outputs) {
        this(CompletableFuture.completedFuture(Objects.requireNonNull(assets, "assets cannot be null")), outputs);
    }

    /**
     * @param assets the app's files, still being read at start-up: a request for a file waits for them (off the event
     *     loop), {@code /config.json} does not
     * @param outputs the stack's outputs
     */
    WebEndpoint(CompletableFuture<WebAssets> assets, StackOutputs outputs) {
        this.assets = Objects.requireNonNull(assets, "assets cannot be null");
        this.config = configJson(outputs);
        // The app talks to its own origin (config.json) and to the AWS and API endpoints; nothing else.
        String endpoints = (outputs.get("AwsEndpoint").orElse("") + " "
                        + outputs.get("ApiEndpoint").orElse(""))
                .trim();
        this.contentSecurityPolicy = "default-src 'self'; connect-src 'self' " + endpoints
                + "; img-src 'self' data: blob: "
                + outputs.get("AwsEndpoint").orElse("") + "; style-src 'self' 'unsafe-inline'; object-src 'none';"
                + " base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
    }

    /** The app's configuration: the outputs it needs, under camel-case keys ({@code userPoolId}, {@code apiEndpoint}). */
    static byte[] configJson(StackOutputs outputs) {
        Map<String, String> values = new LinkedHashMap<>();
        CONFIG_KEYS.forEach((output, key) -> outputs.get(output).ifPresent(value -> values.put(key, value)));
        try {
            return JSON.writeValueAsBytes(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serializes", e);
        }
    }

    @Override
    public void handle(HttpServerRequest request) {
        HttpServerResponse response = request.response();
        response.putHeader("X-Content-Type-Options", "nosniff");
        response.putHeader("Referrer-Policy", "no-referrer");
        HttpMethod method = request.method();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            response.putHeader("Allow", "GET, HEAD");
            plain(request, 405, "Method Not Allowed");
            return;
        }
        String path = request.path() == null ? "/" : request.path();
        if ("/config.json".equals(path)) {
            response.putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store");
            send(request, 200, config);
            return;
        }
        if (assets.isDone() && !assets.isCompletedExceptionally()) {
            serveFile(request, path, assets.join());
            return;
        }
        Context context = Vertx.currentContext();
        request.pause();
        assets.whenComplete((files, failure) -> context.runOnContext(ignored -> {
            request.resume();
            if (failure != null) {
                LoggerFactory.getLogger(WebEndpoint.class).error("The web app could not be read", failure);
                plain(request, 500, "The web app could not be read; the server's log says why.");
            } else {
                serveFile(request, path, files);
            }
        }));
    }

    private void serveFile(HttpServerRequest request, String path, WebAssets assets) {
        HttpServerResponse response = request.response();
        Optional<WebAssets.Asset> found = assets.find(path);
        if (found.isEmpty()) {
            plain(
                    request,
                    WebAssets.normalize(path).isPresent() ? 404 : 400,
                    assets.size() == 0 ? "This build has no web app (build the web module)." : "Not Found");
            return;
        }
        WebAssets.Asset asset = found.get();
        response.putHeader("Content-Type", asset.contentType())
                .putHeader("ETag", asset.etag())
                .putHeader("Cache-Control", asset.immutable() ? "public, max-age=31536000, immutable" : "no-cache");
        if (asset.contentType().startsWith("text/html")) {
            response.putHeader("Content-Security-Policy", contentSecurityPolicy).putHeader("X-Frame-Options", "DENY");
        }
        String condition = request.getHeader("if-none-match");
        if (condition != null && condition.contains(asset.etag())) {
            response.setStatusCode(304).end();
            return;
        }
        send(request, 200, asset.body());
    }

    private static void plain(HttpServerRequest request, int status, String text) {
        request.response()
                .putHeader("Content-Type", "text/plain; charset=utf-8")
                .putHeader("Cache-Control", "no-store");
        send(request, status, (text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpServerRequest request, int status, byte[] body) {
        HttpServerResponse response = request.response().setStatusCode(status);
        if (request.method() == HttpMethod.HEAD) {
            response.putHeader("Content-Length", Integer.toString(body.length)).end();
        } else {
            response.end(Buffer.buffer(body));
        }
    }

    private static Map<String, String> orderedKeys() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("Region", "region");
        keys.put("AwsEndpoint", "awsEndpoint");
        keys.put("ApiEndpoint", "apiEndpoint");
        keys.put("UserPoolId", "userPoolId");
        keys.put("UserPoolClientId", "userPoolClientId");
        keys.put("IdentityPoolId", "identityPoolId");
        keys.put("AttachmentsBucket", "attachmentsBucket");
        keys.put("WebEndpoint", "webEndpoint");
        return java.util.Collections.unmodifiableMap(keys);
    }
}
