package dev.gatehouse.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.Consumer;

/**
 * Reading and finishing a Vert.x request's body, the same way on every endpoint. All methods run on the request's event
 * loop.
 *
 * <p>Why close only once the body is read: closing a connection while the client is still sending makes TCP reset it,
 * and the client can lose the response it was just sent (a 413 for a too-large body, say).
 */
public final class RequestBodies {

    private RequestBodies() {}

    /**
     * Reads the whole body into memory, keeping at most {@code maxBytes}. When the body ends, {@code onBody} gets it, or,
     * if it was longer, {@code onTooLarge} runs (the excess was read and dropped, so an answer reaches the client). If
     * the connection fails first, {@code onFailure} gets the cause. Resumes a paused request.
     */
    public static void readBounded(
            HttpServerRequest request,
            int maxBytes,
            Consumer<byte[]> onBody,
            Runnable onTooLarge,
            Consumer<Throwable> onFailure) {
        Buffer body = Buffer.buffer();
        boolean[] overflow = {false};
        request.handler(chunk -> {
            if (!overflow[0] && body.length() + chunk.length() <= maxBytes) {
                body.appendBuffer(chunk);
            } else {
                overflow[0] = true;
            }
        });
        request.exceptionHandler(onFailure::accept);
        request.endHandler(v -> {
            if (overflow[0]) {
                onTooLarge.run();
            } else {
                onBody.accept(body.getBytes());
            }
        });
        request.resume();
    }

    /** Whether the request's {@code Content-Length} says more than {@code maxBytes}; false when absent or not a number. */
    public static boolean declaredLongerThan(HttpServerRequest request, long maxBytes) {
        String declared = request.getHeader("content-length");
        if (declared == null) {
            return false;
        }
        try {
            return Long.parseLong(declared.trim()) > maxBytes;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Closes the connection once the client has sent its whole body (at once if it has), dropping what is left. */
    public static void closeWhenRead(HttpServerRequest request) {
        if (request.isEnded()) {
            request.connection().close();
        } else {
            request.handler(ignored -> {});
            request.endHandler(v -> request.connection().close());
            request.exceptionHandler(e -> request.connection().close());
            request.resume();
        }
    }

    /** Reads and drops a body no one wants, so the connection can serve the next request. */
    public static void discard(HttpServerRequest request) {
        if (!request.isEnded()) {
            request.handler(ignored -> {});
            request.resume();
        }
    }
}
