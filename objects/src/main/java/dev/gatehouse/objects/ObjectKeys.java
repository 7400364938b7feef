package dev.gatehouse.objects;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Object keys and bucket names. A key is S3's 1..1024 UTF-8 bytes, and additionally may not hold anything that looks
 * like path traversal in any encoding: a {@code .} or {@code ..} segment (also after further percent-decoding, or after
 * Unicode compatibility normalisation, such as fullwidth dots), a backslash, NUL or another control character. Keys
 * never name files (object bytes live in files named by random ids), so this is defence in depth, and it keeps keys
 * safe for any client that does map them to paths.
 */
public final class ObjectKeys {

    /** S3's limit on a key, in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 1024;

    /** S3's rule for a bucket name (the subset without dots): 3..63 lower-case letters, digits and hyphens. */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]");

    private ObjectKeys() {}

    /** Whether {@code name} is a valid bucket name, as this server creates them. */
    public static boolean isBucketName(String name) {
        return BUCKET.matcher(name).matches();
    }

    /**
     * Checks an object key (already decoded from the request path).
     *
     * @throws S3Exception {@code KeyTooLongError} or {@code InvalidArgument}
     */
    static String requireValid(String key) {
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_KEY_BYTES) {
            throw new S3Exception(S3Error.of("KeyTooLongError", 400, "Your key is too long")
                    .with("MaxSizeAllowed", Integer.toString(MAX_KEY_BYTES))
                    .with("Size", Integer.toString(bytes)));
        }
        if (key.isEmpty()) {
            throw new S3Exception(S3Error.invalidArgument("Object key must not be empty."));
        }
        if (!isSafe(key)) {
            throw new S3Exception(
                    S3Error.invalidArgument("Object key is not allowed: it contains a path traversal segment, "
                                    + "a backslash or a control character.")
                            .with("ArgumentName", "key"));
        }
        return key;
    }

    /** Whether {@code key} is a valid object key: 1..1024 UTF-8 bytes and no traversal in any encoding. */
    public static boolean isValidKey(String key) {
        return !key.isEmpty() && key.getBytes(StandardCharsets.UTF_8).length <= MAX_KEY_BYTES && isSafe(key);
    }

    static boolean isSafe(String key) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '\\' || c < 0x20 || c == 0x7f) {
                return false;
            }
        }
        String candidate = key;
        // Up to three further decodings: %2e%2e, %252e%252e, %25252e… all refused.
        for (int round = 0; round < 4; round++) {
            String folded = Normalizer.normalize(candidate, Normalizer.Form.NFKC);
            if (folded.indexOf('\\') >= 0 || folded.indexOf('\0') >= 0) {
                return false;
            }
            for (String segment : folded.split("/", -1)) {
                if (segment.equals(".") || segment.equals("..")) {
                    return false;
                }
            }
            Optional<String> decoded = percentDecode(candidate);
            if (decoded.isEmpty() || decoded.get().equals(candidate)) {
                break;
            }
            candidate = decoded.get();
        }
        return true;
    }

    /**
     * Strict percent-decoding to UTF-8 ({@code +} stays {@code +}); empty when an escape is malformed or the bytes are not
     * UTF-8.
     */
    static Optional<String> percentDecode(String raw) {
        if (raw.indexOf('%') < 0) {
            return Optional.of(raw);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        byte[] in = raw.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '%') {
                if (i + 2 >= in.length) {
                    return Optional.empty();
                }
                int hi = Character.digit(in[i + 1], 16);
                int lo = Character.digit(in[i + 2], 16);
                if (hi < 0 || lo < 0) {
                    return Optional.empty();
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                out.write(in[i]);
            }
        }
        try {
            return Optional.of(StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out.toByteArray()))
                    .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /** The name a user-metadata header is stored under: lower-case, {@code x-amz-meta-} removed. */
    static String metadataName(String header) {
        return header.substring("x-amz-meta-".length()).toLowerCase(Locale.ROOT);
    }
}
