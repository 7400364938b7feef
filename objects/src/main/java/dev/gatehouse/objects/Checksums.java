package dev.gatehouse.objects;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * S3's additional checksums ({@code x-amz-checksum-<algorithm>}, base64 of the big-endian value): CRC32, CRC32C,
 * CRC64NVME, SHA1, SHA256. Computed over the decoded object bytes.
 *
 * @see <a href="https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html">Checking object integrity</a>
 */
final class Checksums {

    /** The algorithms, in {@code x-amz-checksum-*} header spelling. */
    static final List<String> ALGORITHMS = List.of("crc32", "crc32c", "crc64nvme", "sha1", "sha256");

    private Checksums() {}

    /** A running checksum. */
    interface Running {
        void update(byte[] data, int offset, int length);

        /** The base64 value of everything seen so far. */
        String base64();
    }

    /** The checksum named by a header such as {@code x-amz-checksum-crc32}; empty when not one of {@link #ALGORITHMS}. */
    static Optional<Running> forHeader(String header) {
        String name = header.toLowerCase(Locale.ROOT);
        if (!name.startsWith("x-amz-checksum-")) {
            return Optional.empty();
        }
        return forAlgorithm(name.substring("x-amz-checksum-".length()));
    }

    static Optional<Running> forAlgorithm(String algorithm) {
        return switch (algorithm.toLowerCase(Locale.ROOT)) {
            case "crc32" -> Optional.of(crc(new CRC32(), 4));
            case "crc32c" -> Optional.of(crc(new CRC32C(), 4));
            case "crc64nvme" -> Optional.of(crc(new Crc64Nvme(), 8));
            case "sha1" -> Optional.of(digest("SHA-1"));
            case "sha256" -> Optional.of(digest("SHA-256"));
            default -> Optional.empty();
        };
    }

    private static Running crc(Checksum checksum, int bytes) {
        return new Running() {
            @Override
            public void update(byte[] data, int offset, int length) {
                checksum.update(data, offset, length);
            }

            @Override
            public String base64() {
                ByteBuffer value = ByteBuffer.allocate(8).putLong(checksum.getValue());
                byte[] out = new byte[bytes];
                System.arraycopy(value.array(), 8 - bytes, out, 0, bytes);
                return Base64.getEncoder().encodeToString(out);
            }
        };
    }

    private static Running digest(String algorithm) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is not available", e);
        }
        return new Running() {
            @Override
            public void update(byte[] data, int offset, int length) {
                digest.update(data, offset, length);
            }

            @Override
            public String base64() {
                try {
                    return Base64.getEncoder().encodeToString(((MessageDigest) digest.clone()).digest());
                } catch (CloneNotSupportedException e) {
                    throw new IllegalStateException(algorithm + " cannot be cloned", e);
                }
            }
        };
    }

    /** CRC-64/NVME: reflected polynomial 0x9A6C9329AC4BC9B5, initial value and final XOR all ones. */
    static final class Crc64Nvme implements Checksum {
        private static final long[] TABLE = new long[256];

        static {
            for (int n = 0; n < 256; n++) {
                long crc = n;
                for (int k = 0; k < 8; k++) {
                    crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x9A6C9329AC4BC9B5L : crc >>> 1;
                }
                TABLE[n] = crc;
            }
        }

        private long crc = -1L;

        @Override
        public void update(int b) {
            crc = TABLE[(int) ((crc ^ b) & 0xff)] ^ (crc >>> 8);
        }

        @Override
        public void update(byte[] b, int off, int len) {
            long value = crc;
            for (int i = off; i < off + len; i++) {
                value = TABLE[(int) ((value ^ b[i]) & 0xff)] ^ (value >>> 8);
            }
            crc = value;
        }

        @Override
        public long getValue() {
            return ~crc;
        }

        @Override
        public void reset() {
            crc = -1L;
        }
    }
}
