package dev.gatehouse.objects;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.ReadStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One PutObject or UploadPart body streamed to a temp file, then committed. On the event loop, bytes are hashed as
 * they pass (MD5 for the ETag, SHA-256 against a declared hex {@code x-amz-content-sha256}, the
 * {@code x-amz-checksum-*} algorithms), {@code aws-chunked} bodies decoded with their chunk signatures checked, and the
 * size held to the limit; only when everything verified is the file handed to the {@link Committer} on a worker. A
 * refused upload removes its temp file and changes nothing.
 */
final class S3Upload {

    private static final Logger LOG = LoggerFactory.getLogger(S3Upload.class);
    /** Representation headers stored with an object and served back. */
    private static final List<String> STORED_HEADERS = List.of(
            "content-type", "content-disposition", "content-encoding", "content-language", "cache-control", "expires");

    private static final int MAX_METADATA_BYTES = 2048;

    /** Makes a verified upload file permanent (on a worker); returns the response headers (ETag). */
    @FunctionalInterface
    interface Committer {
        Map<String, String> commit(
                java.nio.file.Path temp,
                long size,
                String etag,
                Map<String, String> stored,
                Map<String, String> metadata);
    }

    private final Vertx vertx;
    private final long maxObjectSize;
    private final S3Exchange exchange;
    private final ReadStream<Buffer> body;
    private final Map<String, List<String>> headers;
    private final Committer committer;
    private long minSize;
    private Consumer<Map<String, String>> onCommitted;
    private final java.nio.file.Path temp;
    private final Hashing hashing = new Hashing();
    private final Map<String, Checksums.Running> checksums = new LinkedHashMap<>();
    private final Map<String, String> expectedChecksums = new LinkedHashMap<>();
    private @Nullable AwsChunkedDecoder decoder;
    private @Nullable AsyncFile file;
    private long decodedBytes;
    private boolean failed;
    private final String contentSha256;

    /** The request's body, described by its headers (PutObject, UploadPart); answered 200 with the ETag. */
    S3Upload(Vertx vertx, ObjectStore store, long maxObjectSize, S3Exchange exchange, Committer committer) {
        this(vertx, store, maxObjectSize, exchange, exchange.request, exchange.headers(), committer);
    }

    /**
     * {@code body} (a browser upload's file), described by {@code headers} (lower-case names: the form's fields); the
     * caller chooses the answer with {@link #onCommitted}.
     */
    S3Upload(
            Vertx vertx,
            ObjectStore store,
            long maxObjectSize,
            S3Exchange exchange,
            ReadStream<Buffer> body,
            Map<String, List<String>> headers,
            Committer committer) {
        this.vertx = vertx;
        this.maxObjectSize = maxObjectSize;
        this.exchange = exchange;
        this.body = body;
        this.headers = headers;
        this.committer = committer;
        this.temp = store.newTempFile();
        this.contentSha256 = header("x-amz-content-sha256").map(String::trim).orElse("UNSIGNED-PAYLOAD");
        this.onCommitted = response -> exchange.respond(200, response);
    }

    /** Refuses a body shorter than {@code minSize} bytes ({@code EntityTooSmall}). */
    S3Upload minSize(long minSize) {
        this.minSize = minSize;
        return this;
    }

    /** Answers the request once the object is stored; given the response headers (ETag, checksums). */
    S3Upload onCommitted(Consumer<Map<String, String>> onCommitted) {
        this.onCommitted = onCommitted;
        return this;
    }

    private Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    void start() {
        boolean streaming = contentSha256.startsWith("STREAMING-");
        if (streaming) {
            decoder = new AwsChunkedDecoder(
                    exchange.verified == null ? Optional.empty() : exchange.verified.chunkSignatures(), this::decoded);
            header("x-amz-trailer").ifPresent(trailer -> {
                for (String name : trailer.split(",")) {
                    String header = name.trim().toLowerCase(Locale.ROOT);
                    Checksums.forHeader(header).ifPresent(running -> checksums.put(header, running));
                }
            });
        } else if (body == exchange.request
                && header("content-length").isEmpty()
                && !exchange.request.isEnded()
                && header("transfer-encoding").isEmpty()) {
            throw new S3Exception(
                    S3Error.of("MissingContentLength", 411, "You must provide the Content-Length HTTP header."));
        }
        headers.forEach((name, values) -> Checksums.forHeader(name).ifPresent(running -> {
            checksums.put(name, running);
            expectedChecksums.put(name, values.get(0).trim());
        }));
        Map<String, String> stored = storedHeaders(headers);
        Map<String, String> metadata = metadata(headers);
        vertx.fileSystem()
                .open(
                        temp.toString(),
                        new OpenOptions().setWrite(true).setCreateNew(true).setPerms(OwnerOnlyFiles.FILE_PERMS))
                .onComplete(opened -> {
                    if (opened.failed()) {
                        LOG.error("S3 request {}: cannot create an upload file", exchange.requestId, opened.cause());
                        exchange.fail(S3Error.internalError());
                        return;
                    }
                    file = opened.result();
                    receive(stored, metadata);
                });
    }

    private void receive(Map<String, String> stored, Map<String, String> metadata) {
        ReadStream<Buffer> request = body;
        AsyncFile out = Objects.requireNonNull(file, "file is open");
        out.exceptionHandler(e -> abort(S3Error.internalError(), e));
        request.handler(chunk -> {
            if (failed) {
                return;
            }
            try {
                byte[] bytes = chunk.getBytes();
                if (!contentSha256.startsWith("STREAMING-")) {
                    hashing.raw.update(bytes);
                    decoded(bytes, 0, bytes.length);
                } else {
                    Objects.requireNonNull(decoder, "decoder").feed(bytes);
                }
                if (pendingWrite.length() > 0) {
                    out.write(pendingWrite);
                    pendingWrite = Buffer.buffer();
                }
                if (out.writeQueueFull()) {
                    request.pause();
                    out.drainHandler(v -> request.resume());
                }
            } catch (S3Exception e) {
                abort(e.error(), null);
            }
        });
        request.exceptionHandler(e -> {
            failed = true;
            closeAndDiscard();
            exchange.abandon();
        });
        request.endHandler(v -> {
            if (failed) {
                return;
            }
            try {
                verifyBody();
            } catch (S3Exception e) {
                abort(e.error(), null);
                return;
            }
            out.close().onComplete(closed -> {
                if (closed.failed()) {
                    abort(S3Error.internalError(), closed.cause());
                    return;
                }
                String etag = "\"" + hex(hashing.md5.digest()) + "\"";
                long size = decodedBytes;
                exchange.blocking(() -> committer.commit(temp, size, etag, stored, metadata), committed -> {
                    Map<String, String> headers = new LinkedHashMap<>(committed);
                    checksums.forEach((name, running) -> headers.put(name, running.base64()));
                    onCommitted.accept(headers);
                });
            });
        });
        request.resume();
    }

    private Buffer pendingWrite = Buffer.buffer();

    private void decoded(byte[] data, int offset, int length) {
        decodedBytes += length;
        if (decodedBytes > maxObjectSize) {
            exchange.closeAfter = true;
            throw new S3Exception(S3Error.entityTooLarge(maxObjectSize));
        }
        hashing.md5.update(data, offset, length);
        checksums.values().forEach(running -> running.update(data, offset, length));
        pendingWrite.appendBytes(data, offset, length);
    }

    private void verifyBody() {
        if (decoder != null) {
            decoder.finish();
            decoder.trailers().forEach((name, value) -> {
                if (checksums.containsKey(name)) {
                    expectedChecksums.put(name, value);
                }
            });
            Optional<String> declared = header("x-amz-decoded-content-length");
            if (declared.isPresent() && !declared.get().trim().equals(Long.toString(decodedBytes))) {
                throw new S3Exception(S3Error.incompleteBody());
            }
        } else if (isSha256Hex(contentSha256)
                && !hex(hashing.raw.digest()).equals(contentSha256.toLowerCase(Locale.ROOT))) {
            throw new S3Exception(S3Error.of(
                            "XAmzContentSHA256Mismatch",
                            400,
                            "The provided 'x-amz-content-sha256' header does not match what was computed.")
                    .with("ClientComputedContentSHA256", contentSha256)
                    .with("S3ComputedContentSHA256", hex(hashing.raw.digest())));
        }
        if (decodedBytes < minSize) {
            throw new S3Exception(S3Error.of(
                            "EntityTooSmall", 400, "Your proposed upload is smaller than the minimum " + "allowed size")
                    .with("ProposedSize", Long.toString(decodedBytes))
                    .with("MinSizeAllowed", Long.toString(minSize)));
        }
        Optional<String> contentMd5 = header("content-md5");
        if (contentMd5.isPresent()) {
            String actual = Base64.getEncoder().encodeToString(cloneDigest(hashing.md5));
            if (!actual.equals(contentMd5.get().trim())) {
                throw new S3Exception(
                        S3Error.badDigest("The Content-MD5 you specified did not match what we received."));
            }
        }
        expectedChecksums.forEach((name, expected) -> {
            Checksums.Running running = checksums.get(name);
            if (running != null && !running.base64().equals(expected)) {
                String algorithm = name.substring("x-amz-checksum-".length()).toUpperCase(Locale.ROOT);
                throw new S3Exception(S3Error.badDigest(
                        "The " + algorithm + " you specified did not match the calculated " + "checksum."));
            }
        });
    }

    private void abort(S3Error error, @Nullable Throwable cause) {
        if (failed) {
            return;
        }
        failed = true;
        if (cause != null) {
            LOG.error("S3 request {}: upload failed", exchange.requestId, cause);
        }
        closeAndDiscard();
        exchange.fail(error);
    }

    private void closeAndDiscard() {
        AsyncFile out = file;
        if (out == null) {
            return;
        }
        out.close().onComplete(ignored -> vertx.fileSystem().delete(temp.toString()));
    }

    /** The representation headers to store with the object ({@code aws-chunked} removed from the encoding). */
    static Map<String, String> storedHeaders(Map<String, List<String>> headers) {
        Map<String, String> stored = new LinkedHashMap<>();
        for (String name : STORED_HEADERS) {
            List<String> values = headers.getOrDefault(name, List.of());
            values.stream().findFirst().ifPresent(value -> {
                if (name.equals("content-encoding")) {
                    String rest = removeAwsChunked(value);
                    if (!rest.isEmpty()) {
                        stored.put(name, rest);
                    }
                } else {
                    stored.put(name, value);
                }
            });
        }
        return stored;
    }

    /** The {@code x-amz-meta-*} headers, at most 2 KiB of names and values ({@code MetadataTooLarge}). */
    static Map<String, String> metadata(Map<String, List<String>> headers) {
        Map<String, String> metadata = new LinkedHashMap<>();
        int size = 0;
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            if (header.getKey().startsWith("x-amz-meta-") && header.getKey().length() > "x-amz-meta-".length()) {
                String value = String.join(",", header.getValue());
                metadata.put(ObjectKeys.metadataName(header.getKey()), value);
                size += header.getKey().length()
                        - "x-amz-meta-".length()
                        + value.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        if (size > MAX_METADATA_BYTES) {
            throw new S3Exception(S3Error.of(
                            "MetadataTooLarge",
                            400,
                            "Your metadata headers exceed the maximum allowed " + "metadata size.")
                    .with("MaxSizeAllowed", Integer.toString(MAX_METADATA_BYTES)));
        }
        return metadata;
    }

    private static byte[] cloneDigest(java.security.MessageDigest digest) {
        try {
            return ((java.security.MessageDigest) digest.clone()).digest();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("digest cannot be cloned", e);
        }
    }

    /** MD5 of the object, SHA-256 of the raw body. */
    private static final class Hashing {
        private final java.security.MessageDigest md5 = digest("MD5");
        private final java.security.MessageDigest raw = digest("SHA-256");

        private static java.security.MessageDigest digest(String algorithm) {
            try {
                return java.security.MessageDigest.getInstance(algorithm);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(algorithm + " is not available", e);
            }
        }
    }

    static String removeAwsChunked(String contentEncoding) {
        List<String> rest = new ArrayList<>();
        for (String part : contentEncoding.split(",")) {
            String trimmed = part.trim();
            if (!trimmed.isEmpty() && !trimmed.equalsIgnoreCase("aws-chunked")) {
                rest.add(trimmed);
            }
        }
        return String.join(",", rest);
    }

    static boolean isSha256Hex(String value) {
        return value.length() == 64 && value.chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }

    static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }
}
