package dev.gatehouse.objects;

import dev.gatehouse.http.RequestBodies;
import dev.gatehouse.iam.CredentialResolver;
import dev.gatehouse.iam.SigV2Verifier;
import dev.gatehouse.iam.SigV4PolicyVerifier;
import dev.gatehouse.iam.SigV4Verifier;
import dev.gatehouse.iam.SignedRequest;
import io.vertx.core.Vertx;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The S3 REST handler for path-style requests {@code /<bucket>} and {@code /<bucket>/<key>} on the AWS endpoint, for
 * the stack's buckets: each its own objects (the store keys them by bucket), each authorized by its own ARN.
 *
 * <p>Design note. A request is paused on arrival. Its SigV4 signature ({@link SigV4Verifier#verifyDeferringPayload},
 * service {@code s3}), the caller's policy decision and every store access run on the server's worker pool; the event
 * loop only parses, streams bodies to and from files through Vert.x's asynchronous file API, hashes bytes as they pass
 * (MD5 for the ETag, SHA-256 for a declared {@code x-amz-content-sha256}, the {@code x-amz-checksum-*} algorithms) and
 * decodes {@code aws-chunked} bodies, checking chunk signatures. An upload is written to a temp file and committed
 * (fsync, rename, metadata) only once everything verified, so a refused upload changes nothing. Errors are S3's XML
 * with {@code x-amz-request-id}; responses carry CORS headers for any origin, so browsers (Amplify Storage) can read
 * {@code ETag} and {@code x-amz-*}.
 */
public final class S3Endpoint {

    /** Runs blocking work off the event loop. May throw at once when it is saturated (answered {@code SlowDown}). */
    @FunctionalInterface
    public interface Blocking {
        <T> CompletableFuture<T> submit(Supplier<T> work);
    }

    /** Told once per request when its response was written (or the client went away: status 0). */
    @FunctionalInterface
    public interface Completion {
        void done(int status, @Nullable String errorCode);
    }

    private static final Logger LOG = LoggerFactory.getLogger(S3Endpoint.class);
    private static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern(
                    "uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final Map<String, String> RESPONSE_OVERRIDES = Map.of(
            "response-content-type",
            "Content-Type",
            "response-content-disposition",
            "Content-Disposition",
            "response-content-encoding",
            "Content-Encoding",
            "response-content-language",
            "Content-Language",
            "response-cache-control",
            "Cache-Control",
            "response-expires",
            "Expires");
    /** S3 allows 15 minutes between a request's time and its own. */
    static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(15);
    /** S3's smallest part, except the last one. */
    static final long MIN_PART_SIZE = 5L << 20;

    private static final int MAX_XML_BODY = 1 << 20;

    private final Vertx vertx;
    private final ObjectStore store;
    private final Map<String, S3PostObject> buckets = new LinkedHashMap<>();
    private final S3Authorizer authorizer;
    private final Blocking blocking;
    private final long maxObjectSize;
    private volatile @Nullable BucketListing listing;

    /**
     * The endpoint for {@code buckets} (at least one), its callers resolved by {@code callers} (access key and session
     * token), its signatures scoped to {@code region}.
     */
    public S3Endpoint(
            Vertx vertx,
            ObjectStore store,
            Collection<String> buckets,
            CredentialResolver<ObjectCaller> callers,
            String region,
            Blocking blocking,
            long maxObjectSize,
            Clock clock) {
        this.vertx = Objects.requireNonNull(vertx, "vertx cannot be null");
        this.store = Objects.requireNonNull(store, "store cannot be null");
        Objects.requireNonNull(buckets, "buckets cannot be null");
        if (buckets.isEmpty()) {
            throw new IllegalArgumentException("buckets cannot be empty");
        }
        Objects.requireNonNull(callers, "callers cannot be null");
        Objects.requireNonNull(region, "region cannot be null");
        this.blocking = Objects.requireNonNull(blocking, "blocking cannot be null");
        Objects.requireNonNull(clock, "clock cannot be null");
        if (maxObjectSize < 1) {
            throw new IllegalArgumentException("maxObjectSize must be positive");
        }
        this.maxObjectSize = maxObjectSize;
        this.authorizer = new S3Authorizer(callers, region, clock);
        SigV2Verifier<ObjectCaller> sigV2 = new SigV2Verifier<>(callers, region, clock);
        SigV4PolicyVerifier<ObjectCaller> sigV4 = new SigV4PolicyVerifier<>(callers, region, clock);
        for (String bucket : buckets) {
            this.buckets.put(
                    bucket,
                    new S3PostObject(vertx, store, bucket, maxObjectSize, clock, sigV2, sigV4, authorizer::decide));
        }
    }

    /**
     * Whether a request is for this endpoint: a path-style path whose first segment is one of its buckets, or any bucket name
     * when the request is signed for S3 (so S3 clients get {@code NoSuchBucket}, and other paths stay the host's).
     */
    public boolean accepts(HttpServerRequest request) {
        String rawPath = Objects.requireNonNullElse(request.path(), "");
        if ("/".equals(rawPath)) {
            return listing != null && request.method() == HttpMethod.GET && signedForS3(request); // ListBuckets
        }
        if (!rawPath.startsWith("/") || rawPath.length() < 2) {
            return false;
        }
        int slash = rawPath.indexOf('/', 1);
        String first = slash < 0 ? rawPath.substring(1) : rawPath.substring(1, slash);
        if (buckets.containsKey(first)) {
            return true;
        }
        return signedForS3(request) && ObjectKeys.isBucketName(first);
    }

    private static boolean signedForS3(HttpServerRequest request) {
        String authorization = Objects.requireNonNullElse(request.getHeader("authorization"), "");
        String query = Objects.requireNonNullElse(request.query(), "");
        return request.getHeader("x-amz-content-sha256") != null
                || authorization.contains("/s3/aws4_request")
                || query.contains("%2Fs3%2Faws4_request")
                || query.contains("AWSAccessKeyId=");
    }

    /** Answers {@code ListBuckets} ({@code GET /} signed for S3) with {@code listing}; without one, it is not served. */
    public S3Endpoint listingBuckets(BucketListing listing) {
        this.listing = Objects.requireNonNull(listing, "listing cannot be null");
        return this;
    }

    /** Handles one request; must be called on the request's event loop. */
    public void handle(HttpServerRequest request, String requestId, Completion completion) {
        S3Exchange exchange = new S3Exchange(request, requestId, completion, vertx.getOrCreateContext(), blocking);
        try {
            request.pause();
            route(exchange);
        } catch (S3Exception e) {
            exchange.fail(e.error());
        } catch (RuntimeException e) {
            LOG.error("S3 request {} failed", requestId, e);
            exchange.fail(S3Error.internalError());
        }
    }

    private void route(S3Exchange exchange) {
        HttpServerRequest request = exchange.request;
        String rawPath = Objects.requireNonNullElse(request.path(), "/");
        int slash = rawPath.indexOf('/', 1);
        String bucket = slash < 0 ? rawPath.substring(1) : rawPath.substring(1, slash);
        String rawKey = slash < 0 ? "" : rawPath.substring(slash + 1);
        if (request.method() == HttpMethod.OPTIONS) {
            exchange.preflight();
            return;
        }
        BucketListing all = listing;
        if ("/".equals(rawPath) && all != null) {
            authorizeThen(
                    exchange,
                    BucketListing.ACTION,
                    BucketListing.RESOURCE,
                    Map.of(),
                    caller -> exchange.respondXml(200, all.toXml()));
            return;
        }
        S3PostObject postObject = buckets.get(bucket);
        if (postObject == null) {
            exchange.fail(S3Error.noSuchBucket(bucket));
            return;
        }
        String key = ObjectKeys.percentDecode(rawKey)
                .orElseThrow(() -> new S3Exception(S3Error.of("InvalidURI", 400, "Couldn't parse the specified URI.")));
        Map<String, String> query = QueryString.parse(Objects.requireNonNullElse(request.query(), ""));
        HttpMethod method = request.method();
        if (key.isEmpty()) {
            if (method == HttpMethod.GET && query.containsKey("list-type") && "2".equals(query.get("list-type"))) {
                authorizeThen(
                        exchange,
                        "s3:ListBucket",
                        bucketArn(bucket),
                        listKeys(query),
                        caller -> listObjects(exchange, bucket, query));
            } else if (method == HttpMethod.HEAD) {
                authorizeThen(
                        exchange,
                        "s3:ListBucket",
                        bucketArn(bucket),
                        Map.of(),
                        caller -> exchange.respond(200, Map.of()));
            } else if (method == HttpMethod.POST
                    && exchange.header("content-type")
                            .map(type -> type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data"))
                            .orElse(false)) {
                postObject.handle(exchange);
            } else if (method == HttpMethod.GET) {
                exchange.fail(
                        S3Error.notImplemented().with("Detail", "Only ListObjectsV2 (list-type=2) is supported."));
            } else {
                exchange.fail(S3Error.methodNotAllowed(method.name(), "BUCKET"));
            }
            return;
        }
        ObjectKeys.requireValid(key);
        String objectArn = bucketArn(bucket) + "/" + key;
        if (query.containsKey("uploads") || query.containsKey("uploadId") || query.containsKey("partNumber")) {
            multipart(exchange, method, bucket, key, objectArn, query);
        } else if (method == HttpMethod.PUT) {
            if (exchange.header("x-amz-copy-source").isPresent()) {
                exchange.fail(S3Error.notImplemented().with("Detail", "CopyObject is not supported."));
                return;
            }
            checkDeclaredSize(exchange);
            authorizeThen(
                    exchange,
                    "s3:PutObject",
                    objectArn,
                    Map.of(),
                    caller -> upload(
                            exchange,
                            (temp, size, etag, stored, metadata) -> Map.of(
                                    "ETag",
                                    store.commit(bucket, key, temp, size, etag, stored, metadata)
                                            .etag())));
        } else if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
            authorizeThen(
                    exchange,
                    "s3:GetObject",
                    objectArn,
                    Map.of(),
                    caller -> exchange.blocking(
                            () -> method == HttpMethod.GET ? store.headForRead(bucket, key) : store.head(bucket, key),
                            info -> serve(exchange, key, info, query)));
        } else if (method == HttpMethod.DELETE) {
            authorizeThen(
                    exchange,
                    "s3:DeleteObject",
                    objectArn,
                    Map.of(),
                    caller -> exchange.blocking(
                            () -> store.deleteObject(bucket, key), deleted -> exchange.respond(204, Map.of())));
        } else {
            exchange.fail(S3Error.methodNotAllowed(method.name(), "OBJECT"));
        }
    }

    /** CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload. */
    private void multipart(
            S3Exchange exchange,
            HttpMethod method,
            String bucket,
            String key,
            String objectArn,
            Map<String, String> query) {
        String uploadId = query.getOrDefault("uploadId", "");
        if (method == HttpMethod.POST && query.containsKey("uploads")) {
            Map<String, String> headers = S3Upload.storedHeaders(exchange.headers());
            Map<String, String> metadata = S3Upload.metadata(exchange.headers());
            authorizeThen(
                    exchange,
                    "s3:PutObject",
                    objectArn,
                    Map.of(),
                    caller -> exchange.blocking(
                            () -> store.uploads().createUpload(bucket, key, headers, metadata),
                            id -> exchange.respondXml(
                                    200,
                                    S3Xml.document()
                                            .openNamespaced("InitiateMultipartUploadResult")
                                            .element("Bucket", bucket)
                                            .element("Key", key)
                                            .element("UploadId", id)
                                            .close("InitiateMultipartUploadResult")
                                            .bytes())));
        } else if (method == HttpMethod.PUT && query.containsKey("partNumber") && query.containsKey("uploadId")) {
            int part = partNumber(query.get("partNumber"));
            checkDeclaredSize(exchange);
            authorizeThen(
                    exchange,
                    "s3:PutObject",
                    objectArn,
                    Map.of(),
                    caller -> exchange.blocking(
                            () -> requireUpload(uploadId, bucket, key),
                            upload -> upload(exchange, (temp, size, etag, stored, metadata) -> {
                                store.uploads().commitPart(upload, part, temp, size, etag);
                                return Map.of("ETag", etag);
                            })));
        } else if (method == HttpMethod.POST && query.containsKey("uploadId")) {
            authorizeThen(
                    exchange,
                    "s3:PutObject",
                    objectArn,
                    Map.of(),
                    caller -> readSmallBody(exchange, body -> {
                        List<MultipartUploads.PartRef> parts = CompleteRequest.parse(body);
                        exchange.blocking(
                                () -> store.uploads()
                                        .completeUpload(
                                                requireUpload(uploadId, bucket, key),
                                                parts,
                                                MIN_PART_SIZE,
                                                maxObjectSize),
                                info -> exchange.respondXml(
                                        200,
                                        S3Xml.document()
                                                .openNamespaced("CompleteMultipartUploadResult")
                                                .element("Location", "/" + bucket + "/" + key)
                                                .element("Bucket", bucket)
                                                .element("Key", key)
                                                .element("ETag", info.etag())
                                                .close("CompleteMultipartUploadResult")
                                                .bytes()));
                    }));
        } else if (method == HttpMethod.DELETE && query.containsKey("uploadId")) {
            authorizeThen(
                    exchange,
                    "s3:AbortMultipartUpload",
                    objectArn,
                    Map.of(),
                    caller -> exchange.blocking(
                            () -> {
                                store.uploads()
                                        .abortUpload(requireUpload(uploadId, bucket, key)
                                                .uploadId());
                                return Boolean.TRUE;
                            },
                            done -> exchange.respond(204, Map.of())));
        } else {
            exchange.fail(S3Error.notImplemented()
                    .with("Detail", "Only Create/UploadPart/Complete/AbortMultipartUpload " + "are supported."));
        }
    }

    /** Streams the request's body to a temp file and, once it verified, hands it to {@code committer}. */
    private void upload(S3Exchange exchange, S3Upload.Committer committer) {
        new S3Upload(vertx, store, maxObjectSize, exchange, committer).start();
    }

    private MultipartUploads.Upload requireUpload(String uploadId, String bucket, String key) {
        return store.uploads()
                .upload(uploadId, bucket, key)
                .orElseThrow(() -> new S3Exception(S3Error.noSuchUpload(uploadId)));
    }

    private static int partNumber(@Nullable String value) {
        try {
            int number = Integer.parseInt(Objects.requireNonNullElse(value, ""));
            if (number >= 1 && number <= 10_000) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new S3Exception(S3Error.invalidArgument("Part number must be an integer between 1 and 10000, inclusive")
                .with("ArgumentName", "partNumber")
                .with("ArgumentValue", Objects.requireNonNullElse(value, "")));
    }

    /** Reads a small request body (an XML document) into memory, checking a declared SHA-256. */
    private void readSmallBody(S3Exchange exchange, Consumer<byte[]> then) {
        RequestBodies.readBounded(
                exchange.request,
                MAX_XML_BODY,
                bytes -> {
                    try {
                        String declared = exchange.header("x-amz-content-sha256")
                                .map(String::trim)
                                .orElse("");
                        if (S3Upload.isSha256Hex(declared)
                                && !S3Upload.hex(sha256(bytes)).equals(declared.toLowerCase(Locale.ROOT))) {
                            throw new S3Exception(S3Error.of(
                                    "XAmzContentSHA256Mismatch",
                                    400,
                                    "The provided 'x-amz-content-sha256' header does not match what was computed."));
                        }
                        then.accept(bytes);
                    } catch (S3Exception e) {
                        exchange.fail(e.error());
                    }
                },
                () -> exchange.fail(S3Error.malformedXml()),
                e -> exchange.abandon());
    }

    private static byte[] sha256(byte[] data) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static String bucketArn(String bucket) {
        return "arn:aws:s3:::" + bucket;
    }

    private static Map<String, String> listKeys(Map<String, String> query) {
        Map<String, String> keys = new LinkedHashMap<>();
        Optional.ofNullable(query.get("prefix")).ifPresent(v -> keys.put("s3:prefix", v));
        Optional.ofNullable(query.get("delimiter")).ifPresent(v -> keys.put("s3:delimiter", v));
        Optional.ofNullable(query.get("max-keys")).ifPresent(v -> keys.put("s3:max-keys", v));
        return keys;
    }

    private void checkDeclaredSize(S3Exchange exchange) {
        Optional<String> declared =
                exchange.header("x-amz-decoded-content-length").or(() -> exchange.header("content-length"));
        if (declared.isPresent()) {
            long size;
            try {
                size = Long.parseLong(declared.get().trim());
            } catch (NumberFormatException e) {
                throw new S3Exception(S3Error.invalidArgument("Invalid content length."));
            }
            if (size > maxObjectSize) {
                exchange.closeAfter = true;
                throw new S3Exception(S3Error.entityTooLarge(maxObjectSize));
            }
        }
    }

    /** Verifies the signature and the policy on a worker, then runs {@code next} on the event loop. */
    private void authorizeThen(
            S3Exchange exchange,
            String action,
            String resource,
            Map<String, String> requestKeys,
            Consumer<ObjectCaller> next) {
        SignedRequest signed = new SignedRequest(
                exchange.request.method().name(),
                Objects.requireNonNullElse(exchange.request.path(), "/"),
                Objects.requireNonNullElse(exchange.request.query(), ""),
                exchange.headers(),
                new byte[0]);
        String sourceIp = Optional.ofNullable(exchange.request.remoteAddress())
                .map(SocketAddress::host)
                .orElse("");
        exchange.blocking(() -> authorizer.authorize(signed, action, resource, requestKeys, sourceIp), verified -> {
            exchange.verified = verified;
            next.accept(verified.principal());
        });
    }

    private void listObjects(S3Exchange exchange, String bucket, Map<String, String> query) {
        ListRequest list = ListRequest.parse(query);
        exchange.blocking(
                () -> store.list(
                        bucket, list.prefix(), list.delimiter(), list.maxKeys(), list.startKey(), list.skipPrefix()),
                page -> exchange.respondXml(200, list.toXml(bucket, page)));
    }

    private void serve(S3Exchange exchange, String key, Optional<ObjectInfo> found, Map<String, String> query) {
        if (found.isEmpty()) {
            exchange.fail(S3Error.noSuchKey(key));
            return;
        }
        ObjectInfo info = found.get();
        Map<String, String> headers = objectHeaders(info);
        // GetObject's response-* parameters (signed, as S3 requires): presigned download links set these.
        RESPONSE_OVERRIDES.forEach(
                (parameter, header) -> Optional.ofNullable(query.get(parameter)).ifPresent(value -> {
                    headers.keySet().removeIf(name -> name.equalsIgnoreCase(header));
                    headers.put(header, value);
                }));
        Optional<String> ifNoneMatch = exchange.header("if-none-match");
        if (ifNoneMatch.isPresent()
                && (ifNoneMatch.get().trim().equals(info.etag())
                        || ifNoneMatch.get().trim().equals("*"))) {
            exchange.respond(304, headers);
            return;
        }
        Optional<String> ifMatch = exchange.header("if-match");
        if (ifMatch.isPresent()
                && !ifMatch.get().trim().equals(info.etag())
                && !ifMatch.get().trim().equals("*")) {
            exchange.fail(S3Error.of(
                            "PreconditionFailed", 412, "At least one of the pre-conditions you specified did not hold")
                    .with("Condition", "If-Match"));
            return;
        }
        long start = 0;
        long length = info.size();
        int status = 200;
        Optional<long[]> range = exchange.header("range").flatMap(value -> Ranges.parse(value, info.size()));
        if (exchange.header("range").isPresent()
                && range.isEmpty()
                && Ranges.unsatisfiable(exchange.header("range").get(), info.size())) {
            exchange.fail(S3Error.invalidRange(info.size()));
            return;
        }
        if (range.isPresent()) {
            start = range.get()[0];
            length = range.get()[1] - start + 1;
            status = 206;
            headers.put("Content-Range", "bytes " + start + "-" + range.get()[1] + "/" + info.size());
        }
        headers.put("Content-Length", Long.toString(length));
        if (exchange.request.method() == HttpMethod.HEAD || length == 0) {
            exchange.respond(status, headers);
            return;
        }
        long from = start;
        long count = length;
        int finalStatus = status;
        vertx.fileSystem()
                .open(
                        store.blobFile(info).toString(),
                        new OpenOptions().setRead(true).setWrite(false))
                .onComplete(opened -> {
                    if (opened.failed()) {
                        // Deleted or replaced since the metadata was read.
                        exchange.fail(S3Error.noSuchKey(key));
                        return;
                    }
                    exchange.stream(finalStatus, headers, opened.result(), from, count);
                });
    }

    private static Map<String, String> objectHeaders(ObjectInfo info) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ETag", info.etag());
        headers.put("Last-Modified", S3Exchange.HTTP_DATE.format(info.lastModified()));
        headers.put("Accept-Ranges", "bytes");
        headers.put("Content-Type", info.contentType());
        info.headers().forEach((name, value) -> {
            if (!name.equals("content-type")) {
                headers.put(name, value);
            }
        });
        info.metadata().forEach((name, value) -> headers.put("x-amz-meta-" + name, value));
        return headers;
    }

    static String isoMillis(java.time.Instant instant) {
        return ISO_MILLIS.format(instant);
    }
}
