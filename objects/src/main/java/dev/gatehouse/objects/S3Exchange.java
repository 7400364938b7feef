package dev.gatehouse.objects;

import dev.gatehouse.http.RequestBodies;
import dev.gatehouse.iam.VerifiedCaller;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One S3 request and its response, written exactly once: S3's headers ({@code x-amz-request-id}, {@code Date}), CORS
 * for any origin (so browsers can read {@code ETag} and {@code x-amz-*}), S3's XML errors (no body for {@code HEAD}),
 * file bodies streamed, and the connection kept (the unread body discarded) or closed once the body is read. Blocking
 * work runs through {@link #blocking} and comes back on the request's event loop.
 */
final class S3Exchange {

    private static final Logger LOG = LoggerFactory.getLogger(S3Exchange.class);
    private static final String EXPOSED_HEADERS = "ETag,x-amz-request-id,x-amz-id-2,x-amz-version-id,"
            + "x-amz-delete-marker,x-amz-server-side-encryption,x-amz-checksum-crc32,x-amz-checksum-crc32c,"
            + "x-amz-checksum-crc64nvme,x-amz-checksum-sha1,x-amz-checksum-sha256,x-amz-mp-parts-count,Content-Length,"
            + "Content-Type,Content-Range,Content-Disposition,Content-Encoding,Last-Modified,Accept-Ranges,Date";
    static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    final HttpServerRequest request;
    final String requestId;
    private final S3Endpoint.Completion completion;
    private final Context context;
    private final S3Endpoint.Blocking blocking;
    private @Nullable Map<String, List<String>> headers;

    @Nullable
    VerifiedCaller<ObjectCaller> verified;
    /** Answer with {@code Connection: close}, and close once the body is read (a body too large to read). */
    boolean closeAfter;

    private boolean done;

    S3Exchange(
            HttpServerRequest request,
            String requestId,
            S3Endpoint.Completion completion,
            Context context,
            S3Endpoint.Blocking blocking) {
        this.request = request;
        this.requestId = requestId;
        this.completion = completion;
        this.context = context;
        this.blocking = blocking;
    }

    Map<String, List<String>> headers() {
        Map<String, List<String>> current = headers;
        if (current == null) {
            current = new LinkedHashMap<>();
            for (Map.Entry<String, String> entry : request.headers()) {
                current.computeIfAbsent(entry.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(entry.getValue());
            }
            headers = current;
        }
        return current;
    }

    Optional<String> header(String name) {
        List<String> values = headers().get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    void preflight() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("Access-Control-Allow-Methods", "GET, PUT, POST, DELETE, HEAD");
        out.put(
                "Access-Control-Allow-Headers",
                header("access-control-request-headers").orElse("*"));
        out.put("Access-Control-Max-Age", "3000");
        out.put("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method");
        respond(200, out);
    }

    void fail(S3Error error) {
        byte[] body = request.method() == HttpMethod.HEAD ? new byte[0] : S3Xml.error(error, requestId);
        Map<String, String> out = new LinkedHashMap<>();
        out.put("Content-Type", "application/xml");
        write(error.status(), out, Buffer.buffer(body), error.code());
    }

    void respond(int status, Map<String, String> out) {
        Map<String, String> all = new LinkedHashMap<>(out);
        all.putIfAbsent("Content-Length", "0");
        if (request.method() == HttpMethod.HEAD) {
            writeHeadersOnly(status, all);
        } else {
            write(status, all, Buffer.buffer(), null);
        }
    }

    void respondXml(int status, byte[] body) {
        respondXml(status, Map.of(), body);
    }

    void respondXml(int status, Map<String, String> headers, byte[] body) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("Content-Type", "application/xml");
        out.putAll(headers);
        write(status, out, Buffer.buffer(body), null);
    }

    private void writeHeadersOnly(int status, Map<String, String> out) {
        if (!begin(status, out)) {
            return;
        }
        request.response().end();
        finish(status, null);
    }

    private void write(int status, Map<String, String> out, Buffer body, @Nullable String errorCode) {
        Map<String, String> all = new LinkedHashMap<>(out);
        if (request.method() != HttpMethod.HEAD) {
            all.put("Content-Length", Integer.toString(body.length()));
        }
        if (!begin(status, all)) {
            return;
        }
        request.response().end(body);
        finish(status, errorCode);
    }

    void stream(int status, Map<String, String> out, AsyncFile file, long from, long count) {
        if (!begin(status, out)) {
            file.close();
            return;
        }
        file.setReadPos(from).setReadLength(count);
        file.pipeTo(request.response()).onComplete(result -> {
            file.close();
            finish(result.succeeded() ? status : 0, null);
        });
    }

    private boolean begin(int status, Map<String, String> out) {
        if (done) {
            return false;
        }
        done = true;
        HttpServerResponse response = request.response();
        if (response.ended() || response.closed()) {
            completion.done(0, null);
            return false;
        }
        response.setStatusCode(status);
        out.forEach(response::putHeader);
        response.putHeader("x-amz-request-id", requestId);
        response.putHeader("x-amz-id-2", requestId);
        response.putHeader("Date", HTTP_DATE.format(java.time.Instant.now()));
        response.putHeader("Server", "Gatehouse");
        String origin = header("origin").orElse("*");
        response.putHeader("Access-Control-Allow-Origin", origin);
        if (!origin.equals("*")) {
            response.putHeader("Vary", "Origin");
        }
        response.putHeader("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        if (closeAfter) {
            response.putHeader("Connection", "close");
        }
        return true;
    }

    private void finish(int status, @Nullable String errorCode) {
        completion.done(status, errorCode);
        if (closeAfter) {
            RequestBodies.closeWhenRead(request);
        } else {
            // The body was not wanted (an error before it was read): discard it so the connection can be reused.
            RequestBodies.discard(request);
        }
    }

    void abandon() {
        if (!done) {
            done = true;
            completion.done(0, null);
        }
    }

    /** Runs {@code work} on a worker, then {@code then} on the event loop; a failure in either is answered as S3 does. */
    <T> void blocking(Supplier<T> work, Consumer<T> then) {
        CompletableFuture<T> future;
        try {
            future = blocking.submit(work);
        } catch (RuntimeException e) {
            fail(e instanceof S3Exception s3 ? s3.error() : S3Error.slowDown());
            return;
        }
        future.whenComplete((result, failure) -> context.runOnContext(v -> {
            try {
                if (failure != null) {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause()
                            : failure;
                    if (cause instanceof S3Exception s3) {
                        fail(s3.error());
                    } else {
                        LOG.error("S3 request {} failed", requestId, cause);
                        fail(S3Error.internalError());
                    }
                    return;
                }
                then.accept(result);
            } catch (S3Exception e) {
                fail(e.error());
            } catch (RuntimeException e) {
                LOG.error("S3 request {} failed", requestId, e);
                fail(S3Error.internalError());
            }
        }));
    }
}
