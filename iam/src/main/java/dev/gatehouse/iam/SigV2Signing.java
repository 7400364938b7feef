package dev.gatehouse.iam;

import dev.gatehouse.iam.SigV4Canonicalizer.QueryParameter;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * S3's Signature Version 2 string to sign, and its HMAC-SHA1. The string is the verb, {@code Content-MD5},
 * {@code Content-Type}, the date (the {@code Expires} seconds for a presigned URL), the {@code x-amz-*} headers
 * (lower-cased, sorted, values joined with commas, whitespace folded), then the resource: the path as sent and the
 * sub-resources among the query parameters, sorted, with their values decoded.
 *
 * @see <a href="https://docs.aws.amazon.com/AmazonS3/latest/userguide/RESTAuthentication.html">Signing and
 *     authenticating REST requests</a>
 */
final class SigV2Signing {

    /** The query parameters that are part of the signed resource (S3's list, as the SDKs sign them). */
    static final Set<String> SUB_RESOURCES = Set.of(
            "accelerate",
            "acl",
            "cors",
            "defaultObjectAcl",
            "delete",
            "lifecycle",
            "location",
            "logging",
            "notification",
            "partNumber",
            "policy",
            "requestPayment",
            "restore",
            "tagging",
            "torrent",
            "uploadId",
            "uploads",
            "versionId",
            "versioning",
            "versions",
            "website",
            "response-content-type",
            "response-content-language",
            "response-expires",
            "response-cache-control",
            "response-content-disposition",
            "response-content-encoding",
            "storageClass",
            "replication",
            "analytics",
            "metrics",
            "inventory",
            "select",
            "select-type",
            "object-lock");

    private SigV2Signing() {}

    /**
     * The string to sign for {@code request} with {@code date} on the date line. For a presigned URL the
     * {@code x-amz-*}, {@code Content-Type} and {@code Content-MD5} values may also come from the query (the SDKs move
     * them there); a header wins over the query for {@code Content-Type} and {@code Content-MD5}.
     *
     * @throws SignatureException when an {@code x-amz-*} name is given both as a header and as a query parameter
     */
    static String stringToSign(SignedRequest request, List<QueryParameter> query, String date)
            throws SignatureException {
        Map<String, List<String>> amz = new TreeMap<>();
        request.headers().forEach((name, values) -> {
            if (name.startsWith("x-amz-")) {
                amz.put(name, values);
            }
        });
        String contentMd5 = request.header("content-md5").orElse("");
        String contentType = request.header("content-type").orElse("");
        for (QueryParameter parameter : query) {
            String name = parameter.name().toLowerCase(Locale.ROOT);
            if (name.startsWith("x-amz-")) {
                if (request.headers().containsKey(name)) {
                    throw new SignatureException(
                            SignatureException.Reason.AUTHORIZATION_QUERY_PARAMETERS,
                            "'" + name + "' is given both as a header and as a query parameter.");
                }
                amz.computeIfAbsent(name, n -> new ArrayList<>()).add(parameter.value());
            } else if (name.equals("content-md5") && contentMd5.isEmpty()) {
                contentMd5 = parameter.value();
            } else if (name.equals("content-type") && contentType.isEmpty()) {
                contentType = parameter.value();
            }
        }
        StringBuilder out = new StringBuilder(256)
                .append(request.method())
                .append('\n')
                .append(contentMd5.trim())
                .append('\n')
                .append(contentType.trim())
                .append('\n')
                .append(date)
                .append('\n');
        amz.forEach((name, values) -> {
            out.append(name).append(':');
            for (int i = 0; i < values.size(); i++) {
                out.append(i > 0 ? "," : "").append(SigV4Canonicalizer.trimAll(values.get(i)));
            }
            out.append('\n');
        });
        return out.append(canonicalResource(request.rawPath(), query)).toString();
    }

    /** The path as sent, then {@code ?} and the sub-resources sorted by name, {@code name} or {@code name=value}. */
    static String canonicalResource(String rawPath, List<QueryParameter> query) {
        Map<String, String> sub = new TreeMap<>();
        for (QueryParameter parameter : query) {
            if (SUB_RESOURCES.contains(parameter.name())) {
                sub.put(parameter.name(), parameter.value().isEmpty() ? "" : "=" + parameter.value());
            }
        }
        StringBuilder resource = new StringBuilder(rawPath.isEmpty() ? "/" : rawPath);
        String separator = "?";
        for (Map.Entry<String, String> entry : sub.entrySet()) {
            resource.append(separator).append(entry.getKey()).append(entry.getValue());
            separator = "&";
        }
        return resource.toString();
    }

    /** Base64 of the HMAC-SHA1 of {@code data} under {@code secret}. */
    static String sign(SecretBytes secret, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.toByteArray(SecretKeyAccess.insecure()), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA1 is not available", e);
        }
    }

    /** Whether {@code provided} is {@code expected}, compared in constant time. */
    static boolean matches(String expected, String provided) {
        return MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII), provided.getBytes(StandardCharsets.UTF_8));
    }
}
