package dev.gatehouse.objects;

import java.util.Objects;

/** A request fails with an S3 error; the endpoint renders it once, as S3's XML. */
public class S3Exception extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient S3Error error;

    public S3Exception(S3Error error) {
        super(error.code() + ": " + error.message(), null, false, false);
        this.error = Objects.requireNonNull(error, "error cannot be null");
    }

    public S3Error error() {
        return error;
    }
}
