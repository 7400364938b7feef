package dev.gatehouse.objects;

import dev.gatehouse.iam.ChunkSignatureChain;
import dev.gatehouse.iam.SignatureException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Decodes an S3 {@code aws-chunked} body incrementally, as it arrives:
 * {@code <hex size>[;chunk-signature=<sig>]\r\n<data>\r\n} … a zero-size chunk, then optional trailing headers
 * ({@code name:value\r\n}, with {@code x-amz-trailer-signature} when signed) and an empty line. With a
 * {@link ChunkSignatureChain}, every chunk signature and the trailer signature are checked; without one, signatures
 * are refused (the unsigned form has none). Not thread-safe; feed bytes in order.
 *
 * @see <a href="https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html">Transferring payload in multiple chunks</a>
 */
final class AwsChunkedDecoder {

    /** Receives decoded object bytes. */
    @FunctionalInterface
    interface Sink {
        void accept(byte[] data, int offset, int length);
    }

    private enum State {
        HEADER,
        DATA,
        DATA_END,
        TRAILER,
        DONE
    }

    private static final int MAX_LINE = 4096;

    private final @Nullable ChunkSignatureChain chain;
    private final Sink sink;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final Map<String, String> trailers = new LinkedHashMap<>();
    private final StringBuilder canonicalTrailers = new StringBuilder();
    private final MessageDigest chunkDigest;
    private State state = State.HEADER;
    private long remaining;
    private @Nullable String chunkSignature;
    private boolean lastChunk;
    private @Nullable String trailerSignature;

    AwsChunkedDecoder(Optional<ChunkSignatureChain> chain, Sink sink) {
        this.chain = chain.orElse(null);
        this.sink = Objects.requireNonNull(sink, "sink cannot be null");
        try {
            this.chunkDigest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /**
     * Decodes the next bytes of the body.
     *
     * @throws S3Exception for a malformed body ({@code IncompleteBody}/{@code InvalidArgument}) or a wrong signature
     *     ({@code SignatureDoesNotMatch})
     */
    void feed(byte[] data) {
        int i = 0;
        while (i < data.length) {
            switch (state) {
                case DATA -> {
                    int n = (int) Math.min(remaining, data.length - i);
                    sink.accept(data, i, n);
                    chunkDigest.update(data, i, n);
                    remaining -= n;
                    i += n;
                    if (remaining == 0) {
                        state = State.DATA_END;
                    }
                }
                case DONE -> throw malformed("Unexpected data after the end of the aws-chunked body.");
                default -> {
                    byte b = data[i++];
                    if (b == '\n') {
                        String text = lineText();
                        line.reset();
                        onLine(text);
                    } else {
                        if (line.size() >= MAX_LINE) {
                            throw malformed("An aws-chunked line is too long.");
                        }
                        line.write(b);
                    }
                }
            }
        }
    }

    /**
     * Checks that the body ended where it should, and the trailer signature.
     *
     * @throws S3Exception {@code IncompleteBody} when the body stopped early
     */
    void finish() {
        if (state != State.DONE) {
            throw new S3Exception(S3Error.incompleteBody());
        }
    }

    /** Trailing headers, names lower-case. */
    Map<String, String> trailers() {
        return trailers;
    }

    private String lineText() {
        String text = line.toString(StandardCharsets.UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    private void onLine(String text) {
        switch (state) {
            case HEADER -> chunkHeader(text);
            case DATA_END -> {
                if (!text.isEmpty()) {
                    throw malformed("An aws-chunked chunk is longer than its declared size.");
                }
                endChunk();
                state = State.HEADER;
            }
            case TRAILER -> trailerLine(text);
            default -> throw malformed("Malformed aws-chunked body.");
        }
    }

    private void chunkHeader(String text) {
        int semicolon = text.indexOf(';');
        String size = (semicolon < 0 ? text : text.substring(0, semicolon)).trim();
        chunkSignature = null;
        if (semicolon >= 0) {
            for (String extension : text.substring(semicolon + 1).split(";")) {
                String trimmed = extension.trim();
                if (trimmed.startsWith("chunk-signature=")) {
                    chunkSignature = trimmed.substring("chunk-signature=".length());
                }
            }
        }
        if (size.isEmpty() || size.length() > 15) {
            throw malformed("Malformed aws-chunked chunk size.");
        }
        try {
            remaining = Long.parseLong(size, 16);
        } catch (NumberFormatException e) {
            throw malformed("Malformed aws-chunked chunk size.");
        }
        if (remaining < 0) {
            throw malformed("Malformed aws-chunked chunk size.");
        }
        chunkDigest.reset();
        if (remaining == 0) {
            lastChunk = true;
            endChunk();
            state = State.TRAILER;
        } else {
            state = State.DATA;
        }
    }

    private void endChunk() {
        byte[] digest = chunkDigest.digest();
        if (chain != null) {
            if (chunkSignature == null) {
                throw signatureMismatch();
            }
            try {
                chain.verifyChunk(digest, chunkSignature);
            } catch (SignatureException e) {
                throw signatureMismatch();
            }
        } else if (chunkSignature != null) {
            throw malformed("Chunk signatures are not expected for this x-amz-content-sha256.");
        }
        if (lastChunk) {
            state = State.TRAILER;
        }
    }

    private void trailerLine(String text) {
        if (text.isEmpty()) {
            if (chain != null && !trailers.isEmpty()) {
                if (trailerSignature == null) {
                    throw signatureMismatch();
                }
                try {
                    chain.verifyTrailer(canonicalTrailers.toString(), trailerSignature);
                } catch (SignatureException e) {
                    throw signatureMismatch();
                }
            }
            state = State.DONE;
            return;
        }
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw malformed("Malformed aws-chunked trailing header.");
        }
        String name = text.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = text.substring(colon + 1).trim();
        if (name.equals("x-amz-trailer-signature")) {
            trailerSignature = value;
        } else {
            trailers.put(name, value);
            canonicalTrailers.append(name).append(':').append(value).append('\n');
        }
    }

    private static S3Exception malformed(String message) {
        return new S3Exception(S3Error.invalidArgument(message));
    }

    static S3Exception signatureMismatch() {
        return new S3Exception(S3Error.of(
                "SignatureDoesNotMatch",
                403,
                "The request signature we calculated does not "
                        + "match the signature you provided. Check your key and signing method."));
    }
}
