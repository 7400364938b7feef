package dev.gatehouse.cli;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentity.CognitoIdentityClient;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;

/**
 * The AWS SDK clients the CLI uses: pointed at {@code --endpoint} when given (else AWS's own endpoints for the
 * region), with no retries (a refused connection or a wrong password fails at once, with its own message) and bounded
 * timeouts.
 */
final class AwsClients {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

    private AwsClients() {}

    /** A user pool client; the public operations (InitiateAuth, SignUp, …) are sent unsigned by the SDK. */
    static CognitoIdentityProviderClient userPool(
            String region, Optional<URI> endpoint, AwsCredentialsProvider credentials) {
        var builder = CognitoIdentityProviderClient.builder()
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .httpClient(httpClient())
                .overrideConfiguration(
                        o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(CALL_TIMEOUT));
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /** An identity pool client: GetId and GetCredentialsForIdentity need no credentials. */
    static CognitoIdentityClient identityPool(String region, Optional<URI> endpoint) {
        var builder = CognitoIdentityClient.builder()
                .region(Region.of(region))
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .httpClient(httpClient())
                .overrideConfiguration(
                        o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(CALL_TIMEOUT));
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private static SdkHttpClient httpClient() {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(CONNECT_TIMEOUT)
                .socketTimeout(CALL_TIMEOUT)
                .build();
    }
}
