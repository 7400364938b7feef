package dev.gatehouse.objects;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An S3 error as it appears on the wire: {@code <Error><Code>…</Code><Message>…</Message>…<RequestId>…</RequestId>
 * </Error>} with the HTTP status. {@code details} are the extra elements S3 adds for some codes ({@code Key},
 * {@code BucketName}, {@code Method}…), in order. Codes and messages are S3's.
 *
 * @see <a href="https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html">Error responses</a>
 */
public record S3Error(String code, int status, String message, Map<String, String> details) {

    public S3Error {
        Objects.requireNonNull(code, "code cannot be null");
        Objects.requireNonNull(message, "message cannot be null");
        details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    static S3Error of(String code, int status, String message) {
        return new S3Error(code, status, message, Map.of());
    }

    S3Error with(String element, String value) {
        Map<String, String> more = new LinkedHashMap<>(details);
        more.put(element, value);
        return new S3Error(code, status, message, more);
    }

    static S3Error noSuchKey(String key) {
        return of("NoSuchKey", 404, "The specified key does not exist.").with("Key", key);
    }

    static S3Error noSuchBucket(String bucket) {
        return of("NoSuchBucket", 404, "The specified bucket does not exist").with("BucketName", bucket);
    }

    static S3Error accessDenied() {
        return of("AccessDenied", 403, "Access Denied");
    }

    static S3Error accessDenied(String message) {
        return of("AccessDenied", 403, message);
    }

    static S3Error invalidArgument(String message) {
        return of("InvalidArgument", 400, message);
    }

    static S3Error invalidRequest(String message) {
        return of("InvalidRequest", 400, message);
    }

    static S3Error entityTooLarge(long maxSize) {
        return of("EntityTooLarge", 400, "Your proposed upload exceeds the maximum allowed size")
                .with("MaxSizeAllowed", Long.toString(maxSize));
    }

    static S3Error methodNotAllowed(String method, String resourceType) {
        return of("MethodNotAllowed", 405, "The specified method is not allowed against this resource.")
                .with("Method", method)
                .with("ResourceType", resourceType);
    }

    static S3Error notImplemented() {
        return of("NotImplemented", 501, "A header you provided implies functionality that is not implemented");
    }

    static S3Error internalError() {
        return of("InternalError", 500, "We encountered an internal error. Please try again.");
    }

    static S3Error slowDown() {
        return of("SlowDown", 503, "Please reduce your request rate.");
    }

    static S3Error badDigest(String message) {
        return of("BadDigest", 400, message);
    }

    static S3Error incompleteBody() {
        return of(
                "IncompleteBody",
                400,
                "You did not provide the number of bytes specified by the Content-Length HTTP header");
    }

    static S3Error invalidRange(long size) {
        return of("InvalidRange", 416, "The requested range is not satisfiable")
                .with("ActualObjectSize", Long.toString(size));
    }

    static S3Error malformedXml() {
        return of(
                "MalformedXML",
                400,
                "The XML you provided was not well-formed or did not validate against our published " + "schema");
    }

    static S3Error noSuchUpload(String uploadId) {
        return of(
                        "NoSuchUpload",
                        404,
                        "The specified upload does not exist. The upload ID may be invalid, or the upload "
                                + "may have been aborted or completed.")
                .with("UploadId", uploadId);
    }
}
