package dev.gatehouse.bench;

import io.vertx.core.MultiMap;
import java.net.URI;
import java.time.Duration;
import java.util.function.Supplier;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/** The load driver's SigV4 signatures (the AWS SDK's signer, service execute-api): headers or a presigned URL. */
public final class Signatures {

    private static final String REGION = "us-east-1";
    /** A signature is made once and reused for up to this long (the presigned URLs are valid for 5 minutes). */
    private static final Duration SIGNATURE_REUSE = Duration.ofMinutes(4);

    private Signatures() {}

    /** One signature (headers or a presigned path) reused until it is {@link #SIGNATURE_REUSE} old. */
    static <T> Supplier<T> reused(Supplier<T> signer) {
        return new Supplier<>() {
            private volatile T signed = signer.get();
            private volatile long signedAt = System.nanoTime();

            @Override
            public T get() {
                if (System.nanoTime() - signedAt > SIGNATURE_REUSE.toNanos()) {
                    signed = signer.get();
                    signedAt = System.nanoTime();
                }
                return signed;
            }
        };
    }

    /**
     * A GET of {@code uri} signed by the SDK's {@code AwsV4HttpSigner} as execute-api in us-east-1: in the headers, or
     * ({@code presigned}) in the query string, valid 5 minutes, the session token among the signed parameters.
     */
    public static SdkHttpRequest signedGet(String uri, AwsSessionCredentialsIdentity identity, boolean presigned) {
        SdkHttpRequest unsigned = SdkHttpRequest.builder()
                .method(SdkHttpMethod.GET)
                .uri(URI.create(uri))
                .build();
        return AwsV4HttpSigner.create()
                .sign(r -> {
                    r.identity(identity)
                            .request(unsigned)
                            .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "execute-api")
                            .putProperty(AwsV4HttpSigner.REGION_NAME, REGION);
                    if (presigned) {
                        r.putProperty(
                                        AwsV4FamilyHttpSigner.AUTH_LOCATION,
                                        AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                                .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, Duration.ofMinutes(5));
                    }
                })
                .request();
    }

    /** A presigned URL's path and query for a GET of {@code uri}: {@link #signedGet} with the signature in the query. */
    static String presign(String uri, AwsSessionCredentialsIdentity identity) {
        URI presigned = signedGet(uri, identity, true).getUri();
        return presigned.getRawPath() + "?" + presigned.getRawQuery();
    }

    /** SigV4 headers for a GET of {@code uri} as execute-api; Host is left to the HTTP client (same value). */
    static MultiMap sign(String uri, AwsSessionCredentialsIdentity identity) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        signedGet(uri, identity, false).headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("host")) {
                values.forEach(value -> headers.add(name, value));
            }
        });
        return headers;
    }
}
