package dev.gatehouse.objects;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A ListObjectsV2 request's parameters, and its response body. The continuation token is opaque to clients: the last
 * key (or common prefix) of the previous page, base64url-encoded with a one-letter kind.
 *
 * @see <a href="https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html">ListObjectsV2</a>
 */
record ListRequest(
        String prefix,
        @Nullable String delimiter,
        int maxKeys,
        @Nullable String continuationToken,
        @Nullable String startAfter,
        boolean urlEncoding,
        String startKey,
        @Nullable String skipPrefix) {

    static final int MAX_KEYS = 1000;

    static ListRequest parse(Map<String, String> query) {
        String prefix = query.getOrDefault("prefix", "");
        String delimiter = query.get("delimiter");
        if (delimiter != null && delimiter.isEmpty()) {
            delimiter = null;
        }
        int maxKeys = MAX_KEYS;
        String max = query.get("max-keys");
        if (max != null) {
            try {
                maxKeys = Math.min(MAX_KEYS, Integer.parseInt(max));
            } catch (NumberFormatException e) {
                throw new S3Exception(
                        S3Error.invalidArgument("Provided max-keys not an integer or within integer range")
                                .with("ArgumentName", "max-keys")
                                .with("ArgumentValue", max));
            }
            if (maxKeys < 0) {
                throw new S3Exception(
                        S3Error.invalidArgument("Argument maxKeys must be an integer between 0 and 2147483647")
                                .with("ArgumentName", "maxKeys")
                                .with("ArgumentValue", max));
            }
        }
        String encoding = query.get("encoding-type");
        if (encoding != null && !encoding.equals("url")) {
            throw new S3Exception(S3Error.invalidArgument("Invalid Encoding Method specified in Request")
                    .with("ArgumentName", "encoding-type")
                    .with("ArgumentValue", encoding));
        }
        String token = query.get("continuation-token");
        String startAfter = query.get("start-after");
        String startKey = startAfter == null ? "" : startAfter;
        String skipPrefix = null;
        if (token != null) {
            String decoded = decodeToken(token);
            startKey = decoded.substring(1);
            if (decoded.charAt(0) == 'p') {
                skipPrefix = startKey;
            }
        }
        return new ListRequest(prefix, delimiter, maxKeys, token, startAfter, encoding != null, startKey, skipPrefix);
    }

    private static String decodeToken(String token) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (decoded.length() >= 2 && (decoded.charAt(0) == 'k' || decoded.charAt(0) == 'p')) {
                return decoded;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new S3Exception(S3Error.invalidArgument("The continuation token provided is incorrect")
                .with("ArgumentName", "continuation-token"));
    }

    static String token(String last, boolean isPrefix) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(((isPrefix ? "p" : "k") + last).getBytes(StandardCharsets.UTF_8));
    }

    byte[] toXml(String bucket, ObjectStore.ListPage page) {
        S3Xml xml = S3Xml.document()
                .openNamespaced("ListBucketResult")
                .element("Name", bucket)
                .element("Prefix", encode(prefix));
        if (delimiter != null) {
            xml.element("Delimiter", encode(delimiter));
        }
        xml.element("MaxKeys", Integer.toString(maxKeys))
                .element(
                        "KeyCount",
                        Integer.toString(
                                page.contents().size() + page.commonPrefixes().size()))
                .element("IsTruncated", Boolean.toString(page.truncated()));
        if (urlEncoding) {
            xml.element("EncodingType", "url");
        }
        if (continuationToken != null) {
            xml.element("ContinuationToken", continuationToken);
        }
        if (page.truncated() && page.last() != null) {
            xml.element("NextContinuationToken", token(Objects.requireNonNull(page.last()), page.lastIsPrefix()));
        }
        if (startAfter != null) {
            xml.element("StartAfter", encode(startAfter));
        }
        for (ObjectInfo info : page.contents()) {
            xml.open("Contents")
                    .element("Key", encode(info.key()))
                    .element("LastModified", S3Endpoint.isoMillis(info.lastModified()))
                    .element("ETag", info.etag())
                    .element("Size", Long.toString(info.size()))
                    .element("StorageClass", "STANDARD")
                    .close("Contents");
        }
        for (String common : page.commonPrefixes()) {
            xml.open("CommonPrefixes").element("Prefix", encode(common)).close("CommonPrefixes");
        }
        return xml.close("ListBucketResult").bytes();
    }

    private String encode(String value) {
        return urlEncoding ? urlEncode(value) : value;
    }

    /** Percent-encodes all but unreserved characters and {@code /}, as S3 does for {@code encoding-type=url}. */
    static String urlEncode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '_'
                    || c == '.'
                    || c == '~'
                    || c == '/') {
                out.append((char) c);
            } else {
                out.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
