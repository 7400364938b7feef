package dev.gatehouse.store.dynamodb;

import dev.gatehouse.store.Tables;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * Where the DynamoDB store lives.
 *
 * @param endpoint the DynamoDB endpoint, such as a local moto server's {@code http://127.0.0.1:5000}; null for the SDK's
 *     default for the region
 * @param region the region; null for the SDK's default chain ({@code AWS_REGION}, the profile, instance metadata)
 * @param tablePrefix prepended to {@link #TABLE_SUFFIX} to name the one DynamoDB table, such as {@code gatehouse-}
 */
public record DynamoDbSettings(@Nullable URI endpoint, @Nullable String region, String tablePrefix) {

    /** The default table prefix: the table is then {@code gatehouse-items}. */
    public static final String DEFAULT_TABLE_PREFIX = "gatehouse-";
    /** The one DynamoDB table is named {@code tablePrefix + TABLE_SUFFIX}. */
    public static final String TABLE_SUFFIX = "items";

    /**
     * Checks the settings.
     *
     * @throws IllegalArgumentException if the table name the prefix gives is not a valid DynamoDB table name, or the
     *     endpoint is not an absolute http(s) URL
     */
    public DynamoDbSettings {
        Objects.requireNonNull(tablePrefix, "tablePrefix cannot be null");
        Tables.requireValid(tablePrefix + TABLE_SUFFIX);
        if (endpoint != null
                && (!endpoint.isAbsolute()
                        || endpoint.getHost() == null
                        || !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme())))) {
            throw new IllegalArgumentException("the DynamoDB endpoint must be an http(s) URL, not " + endpoint);
        }
    }

    /** The name of the DynamoDB table. */
    public String tableName() {
        return tablePrefix + TABLE_SUFFIX;
    }

    public Optional<URI> endpointOverride() {
        return Optional.ofNullable(endpoint);
    }

    public Optional<String> regionName() {
        return Optional.ofNullable(region);
    }

    /**
     * A client for these settings: the URL-connection HTTP client, the SDK's standard retry mode (exponential backoff
     * with jitter on throttling and transient errors), and credentials from the SDK's default chain.
     */
    public DynamoDbClient newClient() {
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD));
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        if (region != null) {
            builder.region(Region.of(region));
        }
        return builder.build();
    }
}
