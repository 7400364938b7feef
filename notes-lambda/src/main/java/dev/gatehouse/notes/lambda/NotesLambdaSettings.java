package dev.gatehouse.notes.lambda;

import dev.gatehouse.store.dynamodb.DynamoDbSettings;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the notes functions read from their environment, once per container:
 * <ul>
 *   <li>{@code ATTACHMENTS_BUCKET} (required): the bucket holding {@code private/<identityId>/<file>} objects;</li>
 *   <li>{@code TABLE_PREFIX} (default {@code gatehouse-}): the DynamoDB table is {@code <prefix>items}, the one the
 *       Gatehouse nodes of the stack use;</li>
 *   <li>{@code AWS_REGION} (set by Lambda): the region of DynamoDB and S3;</li>
 *   <li>{@code DYNAMODB_ENDPOINT}, {@code S3_ENDPOINT} (optional): other endpoints, such as moto's server or an
 *       S3-compatible store (addressed path-style).</li>
 * </ul>
 * Credentials come from the SDK's default chain: on Lambda, the function role's keys in the environment.
 *
 * @param store where the notes live
 * @param bucket the attachments bucket
 * @param s3Endpoint the S3 endpoint, or null for AWS's
 */
record NotesLambdaSettings(DynamoDbSettings store, String bucket, @Nullable URI s3Endpoint) {

    static final String BUCKET = "ATTACHMENTS_BUCKET";
    static final String TABLE_PREFIX = "TABLE_PREFIX";
    static final String REGION = "AWS_REGION";
    static final String DYNAMODB_ENDPOINT = "DYNAMODB_ENDPOINT";
    static final String S3_ENDPOINT = "S3_ENDPOINT";

    NotesLambdaSettings {
        Objects.requireNonNull(store, "store cannot be null");
        Objects.requireNonNull(bucket, "bucket cannot be null");
    }

    /**
     * The settings {@code env} gives.
     *
     * @throws IllegalArgumentException naming the variable that is missing or invalid
     */
    static NotesLambdaSettings fromEnvironment(Map<String, String> env) {
        String bucket = value(env, BUCKET)
                .orElseThrow(() -> new IllegalArgumentException("set " + BUCKET + " to the attachments bucket"));
        String prefix = value(env, TABLE_PREFIX).orElse(DynamoDbSettings.DEFAULT_TABLE_PREFIX);
        String region = value(env, REGION).orElse(null);
        URI dynamoDb = value(env, DYNAMODB_ENDPOINT)
                .map(v -> uri(DYNAMODB_ENDPOINT, v))
                .orElse(null);
        URI s3 = value(env, S3_ENDPOINT).map(v -> uri(S3_ENDPOINT, v)).orElse(null);
        DynamoDbSettings store;
        try {
            store = new DynamoDbSettings(dynamoDb, region, prefix);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "invalid " + TABLE_PREFIX + " or " + DYNAMODB_ENDPOINT + ": " + e.getMessage(), e);
        }
        return new NotesLambdaSettings(store, bucket, s3);
    }

    Optional<URI> s3EndpointOverride() {
        return Optional.ofNullable(s3Endpoint);
    }

    Optional<String> region() {
        return store.regionName();
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    private static URI uri(String name, String value) {
        try {
            URI uri = new URI(value);
            if (!uri.isAbsolute() || uri.getHost() == null) {
                throw new IllegalArgumentException(name + " must be an absolute URL, not " + value);
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(name + " must be an absolute URL, not " + value, e);
        }
    }
}
