package dev.gatehouse.store.postgres;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Item attributes as the {@code attributes} column holds them: a count, then each name and value as a length and
 * its UTF-8 bytes (big-endian 32-bit integers). Binary rather than jsonb because jsonb rejects U+0000, which
 * attribute values may hold, and because the store never looks inside attributes in SQL.
 */
final class AttributesCodec {

    private AttributesCodec() {}

    static byte[] encode(Map<String, String> attributes) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(attributes.size());
            for (Map.Entry<String, String> e : attributes.entrySet()) {
                writeString(out, e.getKey());
                writeString(out, e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * The attributes in {@code encoded}.
     *
     * @throws IllegalArgumentException if it is not in this codec's form
     */
    static Map<String, String> decode(byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            int count = in.readInt();
            if (count < 0 || count > encoded.length) {
                throw new IllegalArgumentException("attributes: bad count " + count);
            }
            Map<String, String> attributes = new HashMap<>();
            for (int i = 0; i < count; i++) {
                attributes.put(readString(in, encoded.length), readString(in, encoded.length));
            }
            if (in.available() != 0) {
                throw new IllegalArgumentException("attributes: trailing bytes");
            }
            return attributes;
        } catch (IOException e) {
            throw new IllegalArgumentException("attributes are truncated", e);
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readString(DataInputStream in, int limit) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > limit) {
            throw new IllegalArgumentException("attributes: bad length " + length);
        }
        byte[] utf8 = new byte[length];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
