package dev.gatehouse.objects;

import dev.gatehouse.iam.SigV2Verifier;
import dev.gatehouse.iam.SigV4PolicyVerifier;
import dev.gatehouse.iam.SignatureException;
import dev.gatehouse.iam.VerifiedCaller;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerFileUpload;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * S3's browser upload: {@code POST /<bucket>} with a {@code multipart/form-data} body, what HTML forms and boto3's
 * {@code generate_presigned_post} send.
 *
 * <p>Design note. The fields before the file are read first (fields after it are ignored, as on S3). The file is held
 * back while a worker checks the policy's signature (SigV4: {@code x-amz-algorithm}, {@code x-amz-credential},
 * {@code x-amz-date}, {@code x-amz-signature}; SigV2: {@code AWSAccessKeyId}, {@code signature}), the policy's
 * conditions ({@link PostPolicy}) and the signer's IAM policy for {@code s3:PutObject} on the key ({@code ${filename}}
 * replaced by the file's name). Only then is the file streamed through {@link S3Upload}, its size held to the policy's
 * {@code content-length-range}. The answer follows {@code success_action_redirect} (303) or
 * {@code success_action_status} (200, 201 with an XML {@code PostResponse}, or the default 204).
 *
 * @see <a href="https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html">POST Object</a>
 */
final class S3PostObject {

    /** The signer's IAM decision for an action on a resource; throws AccessDenied unless allowed. */
    @FunctionalInterface
    interface Decider {
        void decide(
                ObjectCaller caller, String action, String resource, Map<String, String> requestKeys, String sourceIp);
    }

    /** Form fields stored with the object, as the matching headers of PutObject. */
    private static final List<String> STORED_FIELDS = List.of(
            "content-type",
            "content-disposition",
            "content-encoding",
            "content-language",
            "cache-control",
            "expires",
            "content-md5");

    private final Vertx vertx;
    private final ObjectStore store;
    private final String bucket;
    private final long maxObjectSize;
    private final Clock clock;
    private final SigV2Verifier<ObjectCaller> sigV2;
    private final SigV4PolicyVerifier<ObjectCaller> sigV4;
    private final Decider decider;

    S3PostObject(
            Vertx vertx,
            ObjectStore store,
            String bucket,
            long maxObjectSize,
            Clock clock,
            SigV2Verifier<ObjectCaller> sigV2,
            SigV4PolicyVerifier<ObjectCaller> sigV4,
            Decider decider) {
        this.vertx = vertx;
        this.store = store;
        this.bucket = bucket;
        this.maxObjectSize = maxObjectSize;
        this.clock = clock;
        this.sigV2 = sigV2;
        this.sigV4 = sigV4;
        this.decider = decider;
    }

    /** What a checked form allows: where the file goes, its size bounds, what is stored with it, how to answer. */
    private record Accepted(
            String key,
            long minSize,
            long maxSize,
            Map<String, List<String>> headers,
            int status,
            Optional<String> redirect) {}

    /** A worker's verdict on the form: accepted, or S3's error. */
    private record Verdict(@Nullable Accepted accepted, @Nullable S3Error error) {}

    /** Handles the request; it must be paused, with its body unread. */
    void handle(S3Exchange exchange) {
        HttpServerRequest request = exchange.request;
        boolean[] sawFile = {false};
        request.setExpectMultipart(true);
        request.uploadHandler(upload -> {
            if (sawFile[0]) {
                upload.handler(ignored -> {}); // S3 reads one file and ignores what follows it
                return;
            }
            sawFile[0] = true;
            upload.pause();
            // Vert.x adds the fields decoded with the file's first bytes once this handler returns: read them after it.
            vertx.runOnContext(v -> check(exchange, upload));
        });
        request.endHandler(v -> {
            if (!sawFile[0]) {
                exchange.fail(S3Error.invalidArgument("POST requires exactly one file upload per request.")
                        .with("ArgumentName", "file"));
            }
        });
        request.exceptionHandler(e -> exchange.abandon());
        request.resume();
    }

    private void check(S3Exchange exchange, HttpServerFileUpload upload) {
        HttpServerRequest request = exchange.request;
        Map<String, List<String>> fields = fields(request.formAttributes());
        String filename = upload.filename();
        String sourceIp = Optional.ofNullable(request.remoteAddress())
                .map(SocketAddress::host)
                .orElse("");
        exchange.blocking(() -> verdict(fields, filename, sourceIp), verdict -> {
            if (verdict.accepted() != null) {
                receive(exchange, upload, verdict.accepted());
            } else {
                upload.handler(ignored -> {});
                upload.resume();
                exchange.fail(java.util.Objects.requireNonNull(verdict.error(), "error"));
            }
        });
    }

    private static Map<String, List<String>> fields(MultiMap attributes) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : attributes) {
            fields.computeIfAbsent(entry.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(entry.getValue());
        }
        return fields;
    }

    private Verdict verdict(Map<String, List<String>> fields, String filename, String sourceIp) {
        try {
            return new Verdict(accept(fields, filename, sourceIp), null);
        } catch (S3Exception e) {
            return new Verdict(null, e.error());
        }
    }

    private Accepted accept(Map<String, List<String>> fields, String filename, String sourceIp) {
        Map<String, String> single = new LinkedHashMap<>();
        fields.forEach((name, values) -> {
            if (values.size() > 1) {
                throw new S3Exception(S3Error.invalidArgument("Field " + name + " may be given only once.")
                        .with("ArgumentName", name));
            }
            single.put(name, values.get(0));
        });
        VerifiedCaller<ObjectCaller> caller = authenticate(single);
        PostPolicy policy = PostPolicy.parse(required(single, "policy"));
        Map<String, String> checked = new LinkedHashMap<>(single);
        checked.put("bucket", bucket);
        policy.check(checked, clock.instant());
        String key = required(single, "key").replace("${filename}", filename);
        ObjectKeys.requireValid(key);
        decider.decide(caller.principal(), "s3:PutObject", "arn:aws:s3:::" + bucket + "/" + key, Map.of(), sourceIp);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        fields.forEach((name, values) -> {
            if (STORED_FIELDS.contains(name) || name.startsWith("x-amz-meta-") || name.startsWith("x-amz-checksum-")) {
                headers.put(name, values);
            }
        });
        return new Accepted(
                key,
                policy.minLength(),
                Math.min(policy.maxLength(), maxObjectSize),
                headers,
                successStatus(single.get("success_action_status")),
                Optional.ofNullable(single.getOrDefault("success_action_redirect", single.get("redirect")))
                        .filter(S3PostObject::isRedirectUrl));
    }

    /** The signer of the policy: SigV4 when {@code x-amz-algorithm} is given, else SigV2; no signature is anonymous. */
    private VerifiedCaller<ObjectCaller> authenticate(Map<String, String> fields) {
        try {
            if (fields.containsKey("x-amz-algorithm")) {
                return sigV4.verify(
                        fields.get("x-amz-algorithm"),
                        required(fields, "x-amz-credential"),
                        required(fields, "x-amz-date"),
                        fields.get("x-amz-security-token"),
                        required(fields, "policy"),
                        required(fields, "x-amz-signature"));
            }
            if (fields.containsKey("awsaccesskeyid")) {
                return sigV2.verifyPolicy(
                        fields.get("awsaccesskeyid"),
                        fields.get("x-amz-security-token"),
                        required(fields, "policy"),
                        required(fields, "signature"));
            }
        } catch (SignatureException e) {
            throw new S3Exception(S3Signatures.error(e));
        }
        // An unsigned form is an anonymous request, and the bucket is not public.
        throw new S3Exception(S3Error.accessDenied());
    }

    private static String required(Map<String, String> fields, String name) {
        String value = fields.get(name);
        if (value == null) {
            throw new S3Exception(S3Error.invalidArgument("Bucket POST must contain a field named '" + name
                            + "'.  If it is " + "specified, please check the order of the fields.")
                    .with("ArgumentName", name));
        }
        return value;
    }

    /** An absolute http(s) URL, one line: S3 ignores a redirect field that is not a valid URL. */
    private static boolean isRedirectUrl(String value) {
        if (value.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
            return false;
        }
        try {
            java.net.URI uri = new java.net.URI(value);
            return uri.isAbsolute()
                    && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()));
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static int successStatus(@Nullable String value) {
        if (value == null) {
            return 204;
        }
        return switch (value.trim()) {
            case "200" -> 200;
            case "201" -> 201;
            default -> 204; // S3 answers 204 for any other value
        };
    }

    private void receive(S3Exchange exchange, HttpServerFileUpload upload, Accepted form) {
        new S3Upload(
                        vertx,
                        store,
                        form.maxSize(),
                        exchange,
                        upload,
                        form.headers(),
                        (temp, size, etag, stored, metadata) -> Map.of(
                                "ETag",
                                store.commit(bucket, form.key(), temp, size, etag, stored, metadata)
                                        .etag()))
                .minSize(form.minSize())
                .onCommitted(headers -> answer(exchange, form, headers.getOrDefault("ETag", "")))
                .start();
    }

    private void answer(S3Exchange exchange, Accepted form, String etag) {
        List<String> segments = new ArrayList<>();
        for (String segment : form.key().split("/", -1)) {
            segments.add(encode(segment));
        }
        String location = "/" + bucket + "/" + String.join("/", segments);
        if (form.redirect().isPresent()) {
            String target = form.redirect().get();
            exchange.respond(
                    303,
                    Map.of(
                            "Location",
                            target + (target.contains("?") ? "&" : "?") + "bucket=" + encode(bucket) + "&key="
                                    + encode(form.key()) + "&etag=" + encode(etag)));
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ETag", etag);
        headers.put("Location", location);
        if (form.status() == 201) {
            exchange.respondXml(
                    201,
                    headers,
                    S3Xml.document()
                            .open("PostResponse")
                            .element("Location", location)
                            .element("Bucket", bucket)
                            .element("Key", form.key())
                            .element("ETag", etag)
                            .close("PostResponse")
                            .bytes());
        } else {
            exchange.respond(form.status(), headers);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
