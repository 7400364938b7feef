package dev.gatehouse.objects;

import dev.gatehouse.iam.Decision;
import dev.gatehouse.iam.PolicyEvaluator;
import dev.gatehouse.iam.RequestContext;
import dev.gatehouse.iam.SigV4Verifier;
import dev.gatehouse.iam.SignatureException;
import dev.gatehouse.iam.SignedRequest;
import dev.gatehouse.iam.VerifiedCaller;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The S3 REST handler for path-style requests {@code /<bucket>} and {@code /<bucket>/<key>} on the AWS endpoint.
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
  private static final String EXPOSED_HEADERS = "ETag,x-amz-request-id,x-amz-id-2,x-amz-version-id,"
      + "x-amz-delete-marker,x-amz-server-side-encryption,x-amz-checksum-crc32,x-amz-checksum-crc32c,"
      + "x-amz-checksum-crc64nvme,x-amz-checksum-sha1,x-amz-checksum-sha256,x-amz-mp-parts-count,Content-Length,"
      + "Content-Type,Content-Range,Content-Disposition,Content-Encoding,Last-Modified,Accept-Ranges,Date";
  private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
  /** Representation headers stored with an object and served back. */
  private static final List<String> STORED_HEADERS = List.of("content-type", "content-disposition", "content-encoding",
      "content-language", "cache-control", "expires");
  private static final int MAX_METADATA_BYTES = 2048;
  private static final Map<String, String> RESPONSE_OVERRIDES = Map.of("response-content-type", "Content-Type",
      "response-content-disposition", "Content-Disposition", "response-content-encoding", "Content-Encoding",
      "response-content-language", "Content-Language", "response-cache-control", "Cache-Control",
      "response-expires", "Expires");
  /** S3's smallest part, except the last one. */
  static final long MIN_PART_SIZE = 5L << 20;
  private static final int MAX_XML_BODY = 1 << 20;

  private final Vertx vertx;
  private final ObjectStore store;
  private final String bucket;
  private final SigV4Verifier<ObjectCaller> verifier;
  private final Blocking blocking;
  private final long maxObjectSize;
  private final Clock clock;
  private volatile @Nullable BucketListing listing;

  public S3Endpoint(Vertx vertx, ObjectStore store, String bucket, SigV4Verifier<ObjectCaller> verifier,
      Blocking blocking, long maxObjectSize, Clock clock) {
    this.vertx = Objects.requireNonNull(vertx, "vertx cannot be null");
    this.store = Objects.requireNonNull(store, "store cannot be null");
    this.bucket = Objects.requireNonNull(bucket, "bucket cannot be null");
    this.verifier = Objects.requireNonNull(verifier, "verifier cannot be null");
    this.blocking = Objects.requireNonNull(blocking, "blocking cannot be null");
    this.clock = Objects.requireNonNull(clock, "clock cannot be null");
    if (maxObjectSize < 1) {
      throw new IllegalArgumentException("maxObjectSize must be positive");
    }
    this.maxObjectSize = maxObjectSize;
  }

  /**
   * Whether a request is for this endpoint: a path-style path whose first segment is this bucket, or any bucket name
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
    if (first.equals(bucket)) {
      return true;
    }
    return signedForS3(request) && ObjectKeys.isBucketName(first);
  }

  private static boolean signedForS3(HttpServerRequest request) {
    String authorization = Objects.requireNonNullElse(request.getHeader("authorization"), "");
    String query = Objects.requireNonNullElse(request.query(), "");
    return request.getHeader("x-amz-content-sha256") != null || authorization.contains("/s3/aws4_request")
        || query.contains("%2Fs3%2Faws4_request");
  }

  /** Answers {@code ListBuckets} ({@code GET /} signed for S3) with {@code listing}; without one, it is not served. */
  public S3Endpoint listingBuckets(BucketListing listing) {
    this.listing = Objects.requireNonNull(listing, "listing cannot be null");
    return this;
  }

  /** Handles one request; must be called on the request's event loop. */
  public void handle(HttpServerRequest request, String requestId, Completion completion) {
    Exchange exchange = new Exchange(request, requestId, completion, vertx.getOrCreateContext());
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

  private void route(Exchange exchange) {
    HttpServerRequest request = exchange.request;
    String rawPath = Objects.requireNonNullElse(request.path(), "/");
    int slash = rawPath.indexOf('/', 1);
    String requestBucket = slash < 0 ? rawPath.substring(1) : rawPath.substring(1, slash);
    String rawKey = slash < 0 ? "" : rawPath.substring(slash + 1);
    if (request.method() == HttpMethod.OPTIONS) {
      exchange.preflight();
      return;
    }
    BucketListing buckets = listing;
    if ("/".equals(rawPath) && buckets != null) {
      authorizeThen(exchange, BucketListing.ACTION, BucketListing.RESOURCE, Map.of(),
          caller -> exchange.respondXml(200, buckets.toXml()));
      return;
    }
    if (!requestBucket.equals(bucket)) {
      exchange.fail(S3Error.noSuchBucket(requestBucket));
      return;
    }
    String key = ObjectKeys.percentDecode(rawKey)
        .orElseThrow(() -> new S3Exception(S3Error.of("InvalidURI", 400, "Couldn't parse the specified URI.")));
    Map<String, String> query = QueryString.parse(Objects.requireNonNullElse(request.query(), ""));
    HttpMethod method = request.method();
    if (key.isEmpty()) {
      if (method == HttpMethod.GET && query.containsKey("list-type") && "2".equals(query.get("list-type"))) {
        authorizeThen(exchange, "s3:ListBucket", bucketArn(), listKeys(query), caller -> listObjects(exchange, query));
      } else if (method == HttpMethod.HEAD) {
        authorizeThen(exchange, "s3:ListBucket", bucketArn(), Map.of(), caller -> exchange.respond(200, Map.of()));
      } else if (method == HttpMethod.GET) {
        exchange.fail(S3Error.notImplemented().with("Detail", "Only ListObjectsV2 (list-type=2) is supported."));
      } else {
        exchange.fail(S3Error.methodNotAllowed(method.name(), "BUCKET"));
      }
      return;
    }
    ObjectKeys.requireValid(key);
    String objectArn = bucketArn() + "/" + key;
    if (query.containsKey("uploads") || query.containsKey("uploadId") || query.containsKey("partNumber")) {
      multipart(exchange, method, key, objectArn, query);
    } else if (method == HttpMethod.PUT) {
      if (exchange.header("x-amz-copy-source").isPresent()) {
        exchange.fail(S3Error.notImplemented().with("Detail", "CopyObject is not supported."));
        return;
      }
      checkDeclaredSize(exchange);
      authorizeThen(exchange, "s3:PutObject", objectArn, Map.of(), caller -> new Upload(exchange, key,
          (temp, size, etag, stored, metadata) -> Map.of("ETag",
              store.commit(bucket, key, temp, size, etag, stored, metadata).etag())).start());
    } else if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
      authorizeThen(exchange, "s3:GetObject", objectArn, Map.of(),
          caller -> blocking(exchange, () -> method == HttpMethod.GET ? store.headForRead(bucket, key)
              : store.head(bucket, key), info -> serve(exchange, key, info, query)));
    } else if (method == HttpMethod.DELETE) {
      authorizeThen(exchange, "s3:DeleteObject", objectArn, Map.of(),
          caller -> blocking(exchange, () -> store.deleteObject(bucket, key), deleted -> exchange.respond(204, Map.of())));
    } else {
      exchange.fail(S3Error.methodNotAllowed(method.name(), "OBJECT"));
    }
  }

  /** CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload. */
  private void multipart(Exchange exchange, HttpMethod method, String key, String objectArn, Map<String, String> query) {
    String uploadId = query.getOrDefault("uploadId", "");
    if (method == HttpMethod.POST && query.containsKey("uploads")) {
      Map<String, String> headers = storedHeaders(exchange);
      Map<String, String> metadata = metadata(exchange);
      authorizeThen(exchange, "s3:PutObject", objectArn, Map.of(), caller -> blocking(exchange,
          () -> store.createUpload(bucket, key, headers, metadata), id -> exchange.respondXml(200, S3Xml.document()
              .openNamespaced("InitiateMultipartUploadResult").element("Bucket", bucket).element("Key", key)
              .element("UploadId", id).close("InitiateMultipartUploadResult").bytes())));
    } else if (method == HttpMethod.PUT && query.containsKey("partNumber") && query.containsKey("uploadId")) {
      int part = partNumber(query.get("partNumber"));
      checkDeclaredSize(exchange);
      authorizeThen(exchange, "s3:PutObject", objectArn, Map.of(), caller -> blocking(exchange,
          () -> requireUpload(uploadId, key), upload -> new Upload(exchange, key, (temp, size, etag, stored, metadata) -> {
            store.commitPart(upload, part, temp, size, etag);
            return Map.of("ETag", etag);
          }).start()));
    } else if (method == HttpMethod.POST && query.containsKey("uploadId")) {
      authorizeThen(exchange, "s3:PutObject", objectArn, Map.of(), caller -> readSmallBody(exchange, body -> {
        List<ObjectStore.PartRef> parts = CompleteRequest.parse(body);
        blocking(exchange, () -> store.completeUpload(requireUpload(uploadId, key), parts, MIN_PART_SIZE,
            maxObjectSize), info -> exchange.respondXml(200, S3Xml.document()
                .openNamespaced("CompleteMultipartUploadResult").element("Location", "/" + bucket + "/" + key)
                .element("Bucket", bucket).element("Key", key).element("ETag", info.etag())
                .close("CompleteMultipartUploadResult").bytes()));
      }));
    } else if (method == HttpMethod.DELETE && query.containsKey("uploadId")) {
      authorizeThen(exchange, "s3:AbortMultipartUpload", objectArn, Map.of(), caller -> blocking(exchange, () -> {
        store.abortUpload(requireUpload(uploadId, key).uploadId());
        return Boolean.TRUE;
      }, done -> exchange.respond(204, Map.of())));
    } else {
      exchange.fail(S3Error.notImplemented().with("Detail", "Only Create/UploadPart/Complete/AbortMultipartUpload "
          + "are supported."));
    }
  }

  private ObjectStore.Upload requireUpload(String uploadId, String key) {
    return store.upload(uploadId, bucket, key).orElseThrow(() -> new S3Exception(S3Error.noSuchUpload(uploadId)));
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
        .with("ArgumentName", "partNumber").with("ArgumentValue", Objects.requireNonNullElse(value, "")));
  }

  /** Reads a small request body (an XML document) into memory, checking a declared SHA-256. */
  private void readSmallBody(Exchange exchange, Consumer<byte[]> then) {
    HttpServerRequest request = exchange.request;
    Buffer body = Buffer.buffer();
    boolean[] overflow = {false};
    request.handler(chunk -> {
      if (body.length() + chunk.length() > MAX_XML_BODY) {
        overflow[0] = true;
      } else {
        body.appendBuffer(chunk);
      }
    });
    request.endHandler(v -> {
      try {
        if (overflow[0]) {
          throw new S3Exception(S3Error.malformedXml());
        }
        byte[] bytes = body.getBytes();
        String declared = exchange.header("x-amz-content-sha256").map(String::trim).orElse("");
        if (isSha256Hex(declared) && !hex(sha256(bytes)).equals(declared.toLowerCase(Locale.ROOT))) {
          throw new S3Exception(S3Error.of("XAmzContentSHA256Mismatch", 400,
              "The provided 'x-amz-content-sha256' header does not match what was computed."));
        }
        then.accept(bytes);
      } catch (S3Exception e) {
        exchange.fail(e.error());
      }
    });
    request.exceptionHandler(e -> exchange.abandon());
    request.resume();
  }

  private static byte[] sha256(byte[] data) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(data);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  private String bucketArn() {
    return "arn:aws:s3:::" + bucket;
  }

  private static Map<String, String> listKeys(Map<String, String> query) {
    Map<String, String> keys = new LinkedHashMap<>();
    Optional.ofNullable(query.get("prefix")).ifPresent(v -> keys.put("s3:prefix", v));
    Optional.ofNullable(query.get("delimiter")).ifPresent(v -> keys.put("s3:delimiter", v));
    Optional.ofNullable(query.get("max-keys")).ifPresent(v -> keys.put("s3:max-keys", v));
    return keys;
  }

  private void checkDeclaredSize(Exchange exchange) {
    Optional<String> declared = exchange.header("x-amz-decoded-content-length")
        .or(() -> exchange.header("content-length"));
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
  private void authorizeThen(Exchange exchange, String action, String resource, Map<String, String> requestKeys,
      Consumer<ObjectCaller> next) {
    SignedRequest signed = new SignedRequest(exchange.request.method().name(),
        Objects.requireNonNullElse(exchange.request.path(), "/"), Objects.requireNonNullElse(exchange.request.query(), ""),
        exchange.headers(), new byte[0]);
    String sourceIp = Optional.ofNullable(exchange.request.remoteAddress()).map(SocketAddress::host).orElse("");
    blocking(exchange, () -> authorize(signed, action, resource, requestKeys, sourceIp), verified -> {
      exchange.verified = verified;
      next.accept(verified.principal());
    });
  }

  private VerifiedCaller<ObjectCaller> authorize(SignedRequest signed, String action, String resource,
      Map<String, String> requestKeys,
      String sourceIp) {
    Optional<S3Error> signatureVersion2 = S3Signatures.signatureVersion2(signed);
    if (signatureVersion2.isPresent()) {
      throw new S3Exception(signatureVersion2.get());
    }
    VerifiedCaller<ObjectCaller> verified;
    try {
      verified = verifier.verifyDeferringPayload(signed);
    } catch (SignatureException e) {
      throw new S3Exception(S3Signatures.error(e));
    }
    if (!verified.presigned() && signed.header("x-amz-content-sha256").isEmpty()) {
      throw new S3Exception(S3Error.invalidRequest("Missing required header for this request: x-amz-content-sha256"));
    }
    ObjectCaller caller = verified.principal();
    RequestContext.Builder context = RequestContext.builder(action, resource).currentTime(clock.instant())
        .put("aws:SourceIp", sourceIp).put("aws:SecureTransport", "false");
    caller.conditionKeys().forEach(context::put);
    requestKeys.forEach(context::put);
    Decision decision = PolicyEvaluator.evaluate(caller.policies(), context.build());
    if (!decision.allowed()) {
      throw new S3Exception(S3Error.accessDenied());
    }
    return verified;
  }

  private <T> void blocking(Exchange exchange, Supplier<T> work, Consumer<T> then) {
    CompletableFuture<T> future;
    try {
      future = blocking.submit(work);
    } catch (RuntimeException e) {
      exchange.fail(e instanceof S3Exception s3 ? s3.error() : S3Error.slowDown());
      return;
    }
    future.whenComplete((result, failure) -> exchange.context.runOnContext(v -> {
      try {
        if (failure != null) {
          Throwable cause = failure instanceof CompletionException && failure.getCause() != null
              ? failure.getCause() : failure;
          if (cause instanceof S3Exception s3) {
            exchange.fail(s3.error());
          } else {
            LOG.error("S3 request {} failed", exchange.requestId, cause);
            exchange.fail(S3Error.internalError());
          }
          return;
        }
        then.accept(result);
      } catch (S3Exception e) {
        exchange.fail(e.error());
      } catch (RuntimeException e) {
        LOG.error("S3 request {} failed", exchange.requestId, e);
        exchange.fail(S3Error.internalError());
      }
    }));
  }

  private void listObjects(Exchange exchange, Map<String, String> query) {
    ListRequest list = ListRequest.parse(query);
    blocking(exchange, () -> store.list(bucket, list.prefix(), list.delimiter(), list.maxKeys(), list.startKey(),
        list.skipPrefix()), page -> exchange.respondXml(200, list.toXml(bucket, page)));
  }

  private void serve(Exchange exchange, String key, Optional<ObjectInfo> found, Map<String, String> query) {
    if (found.isEmpty()) {
      exchange.fail(S3Error.noSuchKey(key));
      return;
    }
    ObjectInfo info = found.get();
    Map<String, String> headers = objectHeaders(info);
    // GetObject's response-* parameters (signed, as S3 requires): presigned download links set these.
    RESPONSE_OVERRIDES.forEach((parameter, header) -> Optional.ofNullable(query.get(parameter))
        .ifPresent(value -> {
          headers.keySet().removeIf(name -> name.equalsIgnoreCase(header));
          headers.put(header, value);
        }));
    Optional<String> ifNoneMatch = exchange.header("if-none-match");
    if (ifNoneMatch.isPresent()
        && (ifNoneMatch.get().trim().equals(info.etag()) || ifNoneMatch.get().trim().equals("*"))) {
      exchange.respond(304, headers);
      return;
    }
    Optional<String> ifMatch = exchange.header("if-match");
    if (ifMatch.isPresent() && !ifMatch.get().trim().equals(info.etag()) && !ifMatch.get().trim().equals("*")) {
      exchange.fail(S3Error.of("PreconditionFailed", 412, "At least one of the pre-conditions you specified did not hold")
          .with("Condition", "If-Match"));
      return;
    }
    long start = 0;
    long length = info.size();
    int status = 200;
    Optional<long[]> range = exchange.header("range").flatMap(value -> Ranges.parse(value, info.size()));
    if (exchange.header("range").isPresent() && range.isEmpty() && Ranges.unsatisfiable(exchange.header("range").get(),
        info.size())) {
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
    vertx.fileSystem().open(store.blobFile(info).toString(), new OpenOptions().setRead(true).setWrite(false))
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
    headers.put("Last-Modified", HTTP_DATE.format(info.lastModified()));
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

  /** Makes a verified upload file permanent (on a worker); returns the response headers (ETag). */
  @FunctionalInterface
  private interface Committer {
    Map<String, String> commit(java.nio.file.Path temp, long size, String etag, Map<String, String> stored,
        Map<String, String> metadata);
  }

  /** One PutObject or UploadPart body streamed to a temp file, then committed. */
  private final class Upload {
    private final Exchange exchange;
    private final String key;
    private final Committer committer;
    private final java.nio.file.Path temp = store.newTempFile();
    private final Hashing hashing = new Hashing();
    private final Map<String, Checksums.Running> checksums = new LinkedHashMap<>();
    private final Map<String, String> expectedChecksums = new LinkedHashMap<>();
    private @Nullable AwsChunkedDecoder decoder;
    private @Nullable AsyncFile file;
    private long decodedBytes;
    private boolean failed;
    private final String contentSha256;

    Upload(Exchange exchange, String key, Committer committer) {
      this.exchange = exchange;
      this.key = key;
      this.committer = committer;
      this.contentSha256 = exchange.header("x-amz-content-sha256").map(String::trim).orElse("UNSIGNED-PAYLOAD");
    }

    void start() {
      boolean streaming = contentSha256.startsWith("STREAMING-");
      if (streaming) {
        decoder = new AwsChunkedDecoder(exchange.verified == null ? Optional.empty()
            : exchange.verified.chunkSignatures(), this::decoded);
        exchange.header("x-amz-trailer").ifPresent(trailer -> {
          for (String name : trailer.split(",")) {
            String header = name.trim().toLowerCase(Locale.ROOT);
            Checksums.forHeader(header).ifPresent(running -> checksums.put(header, running));
          }
        });
      } else if (exchange.header("content-length").isEmpty() && !exchange.request.isEnded()
          && exchange.header("transfer-encoding").isEmpty()) {
        throw new S3Exception(S3Error.of("MissingContentLength", 411, "You must provide the Content-Length HTTP header."));
      }
      exchange.headers().forEach((name, values) -> Checksums.forHeader(name).ifPresent(running -> {
        checksums.put(name, running);
        expectedChecksums.put(name, values.get(0).trim());
      }));
      Map<String, String> stored = storedHeaders(exchange);
      Map<String, String> metadata = metadata(exchange);
      vertx.fileSystem().open(temp.toString(), new OpenOptions().setWrite(true).setCreateNew(true))
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
      HttpServerRequest request = exchange.request;
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
          blocking(exchange, () -> committer.commit(temp, size, etag, stored, metadata), committed -> {
            Map<String, String> headers = new LinkedHashMap<>(committed);
            checksums.forEach((name, running) -> headers.put(name, running.base64()));
            exchange.respond(200, headers);
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
        Optional<String> declared = exchange.header("x-amz-decoded-content-length");
        if (declared.isPresent() && !declared.get().trim().equals(Long.toString(decodedBytes))) {
          throw new S3Exception(S3Error.incompleteBody());
        }
      } else if (isSha256Hex(contentSha256)
          && !hex(hashing.raw.digest()).equals(contentSha256.toLowerCase(Locale.ROOT))) {
        throw new S3Exception(S3Error.of("XAmzContentSHA256Mismatch", 400,
            "The provided 'x-amz-content-sha256' header does not match what was computed.")
            .with("ClientComputedContentSHA256", contentSha256)
            .with("S3ComputedContentSHA256", hex(hashing.raw.digest())));
      }
      Optional<String> contentMd5 = exchange.header("content-md5");
      if (contentMd5.isPresent()) {
        String actual = Base64.getEncoder().encodeToString(cloneDigest(hashing.md5));
        if (!actual.equals(contentMd5.get().trim())) {
          throw new S3Exception(S3Error.badDigest("The Content-MD5 you specified did not match what we received."));
        }
      }
      expectedChecksums.forEach((name, expected) -> {
        Checksums.Running running = checksums.get(name);
        if (running != null && !running.base64().equals(expected)) {
          String algorithm = name.substring("x-amz-checksum-".length()).toUpperCase(Locale.ROOT);
          throw new S3Exception(S3Error.badDigest("The " + algorithm + " you specified did not match the calculated "
              + "checksum."));
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
  }

private static Map<String, String> storedHeaders(Exchange exchange) {
    Map<String, String> stored = new LinkedHashMap<>();
    for (String name : STORED_HEADERS) {
      exchange.header(name).ifPresent(value -> {
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

private static Map<String, String> metadata(Exchange exchange) {
    Map<String, String> metadata = new LinkedHashMap<>();
    int size = 0;
    for (Map.Entry<String, List<String>> header : exchange.headers().entrySet()) {
      if (header.getKey().startsWith("x-amz-meta-") && header.getKey().length() > "x-amz-meta-".length()) {
        String value = String.join(",", header.getValue());
        metadata.put(ObjectKeys.metadataName(header.getKey()), value);
        size += header.getKey().length() - "x-amz-meta-".length() + value.getBytes(StandardCharsets.UTF_8).length;
      }
    }
    if (size > MAX_METADATA_BYTES) {
      throw new S3Exception(S3Error.of("MetadataTooLarge", 400, "Your metadata headers exceed the maximum allowed "
          + "metadata size.").with("MaxSizeAllowed", Integer.toString(MAX_METADATA_BYTES)));
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

  private static boolean isSha256Hex(String value) {
    return value.length() == 64 && value.chars().allMatch(c -> Character.digit(c, 16) >= 0);
  }

  static String hex(byte[] bytes) {
    return java.util.HexFormat.of().formatHex(bytes);
  }

  /** One request and its response, written exactly once. */
  private static final class Exchange {
    private final HttpServerRequest request;
    private final String requestId;
    private final Completion completion;
    private final Context context;
    private @Nullable Map<String, List<String>> headers;
    private @Nullable VerifiedCaller<ObjectCaller> verified;
    private boolean closeAfter;
    private boolean done;

    Exchange(HttpServerRequest request, String requestId, Completion completion, Context context) {
      this.request = request;
      this.requestId = requestId;
      this.completion = completion;
      this.context = context;
    }

    Map<String, List<String>> headers() {
      Map<String, List<String>> current = headers;
      if (current == null) {
        current = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : request.headers()) {
          current.computeIfAbsent(entry.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(entry.getValue());
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
      out.put("Access-Control-Allow-Headers", header("access-control-request-headers").orElse("*"));
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
      Map<String, String> out = new LinkedHashMap<>();
      out.put("Content-Type", "application/xml");
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
        closeWhenRead();
      } else if (!request.isEnded()) {
        // The body was not wanted (an error before it was read): discard it so the connection can be reused.
        request.handler(ignored -> { });
        request.resume();
      }
    }

    /** Closes the connection once the client has sent its body; closing with unread bytes would reset it. */
    private void closeWhenRead() {
      if (request.isEnded()) {
        request.connection().close();
      } else {
        request.handler(ignored -> { });
        request.endHandler(v -> request.connection().close());
        request.exceptionHandler(e -> request.connection().close());
        request.resume();
      }
    }

    void abandon() {
      if (!done) {
        done = true;
        completion.done(0, null);
      }
    }
  }
}
