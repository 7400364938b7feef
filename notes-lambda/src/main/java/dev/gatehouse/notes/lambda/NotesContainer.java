package dev.gatehouse.notes.lambda;

import dev.gatehouse.notes.NotesApi;
import dev.gatehouse.store.dynamodb.DynamoDbItemStore;
import java.time.Clock;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * What a Lambda container builds once and every invocation reuses: the DynamoDB store, the S3 client and the
 * {@link NotesApi} over them. Lambda runs one invocation at a time per container, and the clients are thread-safe
 * anyway. Built on first use, during the first invocation's init, from the process environment.
 */
final class NotesContainer {

    private NotesContainer() {}

    /** The container's API, built from {@link System#getenv()} on first call. */
    static NotesApi api() {
        return Holder.API;
    }

    /** An API over the store and bucket {@code settings} name. Blocking: opens (and if needed creates) the table. */
    static NotesApi create(NotesLambdaSettings settings, Clock clock) {
        DynamoDbItemStore store = DynamoDbItemStore.open(settings.store(), clock);
        return new NotesApi(store, clock, new S3Attachments(s3Client(settings), settings.bucket()));
    }

    private static S3Client s3Client(NotesLambdaSettings settings) {
        S3ClientBuilder builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD));
        settings.region().ifPresent(r -> builder.region(Region.of(r)));
        // A custom endpoint is an S3-compatible store, which is addressed path-style (/<bucket>/<key>).
        settings.s3EndpointOverride()
                .ifPresent(uri -> builder.endpointOverride(uri).forcePathStyle(true));
        return builder.build();
    }

    /** Initialised by the JVM on first access: once per container, thread-safe, no locking afterwards. */
    private static final class Holder {
        static final NotesApi API = create(NotesLambdaSettings.fromEnvironment(System.getenv()), Clock.systemUTC());
    }
}
