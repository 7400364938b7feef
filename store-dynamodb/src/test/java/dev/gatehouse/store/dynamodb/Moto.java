package dev.gatehouse.store.dynamodb;

import dev.gatehouse.store.testing.MotoServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** One DynamoDB client on the JVM's shared moto server (an open-source DynamoDB-API engine); tests keep apart by table. */
final class Moto {

    private static DynamoDbClient client;

    private Moto() {}

    static synchronized DynamoDbClient client() {
        if (client == null) {
            client = DynamoDbClient.builder()
                    .endpointOverride(MotoServer.shared().endpoint())
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("moto", "moto")))
                    .httpClient(UrlConnectionHttpClient.create())
                    .build();
        }
        return client;
    }
}
