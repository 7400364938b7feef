package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * A template changed while Gatehouse was stopped is applied at the next start as an update: the pool, client and
 * table keep their ids, users and items and take the new settings; a change that needs replacement stops the start,
 * naming the line.
 */
class StackUpdateTests {

    private static final String TEMPLATE =
            """
      Resources:
        Users:
          Type: AWS::Cognito::UserPool
          Properties:
            UsernameAttributes: [%s]
            Policies: {PasswordPolicy: {MinimumLength: %d}}
        Client:
          Type: AWS::Cognito::UserPoolClient
          Properties: {UserPoolId: !Ref Users, RefreshTokenValidity: %d}
        Items:
          Type: AWS::DynamoDB::Table
          Properties:
            BillingMode: PAY_PER_REQUEST
            KeySchema: [{AttributeName: pk, KeyType: HASH}]
      %s
      Outputs:
        UserPoolId: {Value: !Ref Users}
        ClientId: {Value: !Ref Client}
        Table: {Value: !Ref Items}
      """;

    private static final String KEY_ONLY =
            """
            AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
      """;

    private static final String INDEX_AND_TTL =
            """
            AttributeDefinitions: [{AttributeName: pk, AttributeType: S}, {AttributeName: owner, AttributeType: S}]
            GlobalSecondaryIndexes:
              - IndexName: byOwner
                KeySchema: [{AttributeName: owner, KeyType: HASH}]
                Projection: {ProjectionType: ALL}
            TimeToLiveSpecification: {AttributeName: expires, Enabled: true}
      """;

    @TempDir
    Path dir;

    private StackOutputs run(String template, Consumer<GatehouseServer> whileRunning) throws IOException {
        return runTemplate(dir, template, whileRunning);
    }

    /**
     * Starts a server on {@code dir/data} running {@code dir/app/template.yaml} (written from {@code template}, not
     * watched), runs {@code whileRunning}, stops it; the outputs.
     */
    static StackOutputs runTemplate(Path dir, String template, Consumer<GatehouseServer> whileRunning)
            throws IOException {
        Files.createDirectories(dir.resolve("app"));
        Files.writeString(dir.resolve("app").resolve("template.yaml"), template);
        GatehouseServer server = new GatehouseServer(
                ServerConfig.defaults(dir.resolve("data")).withAwsPort(0).withWorkers(2, 8),
                Clock.systemUTC(),
                StoreFactory.SQLITE,
                new StackConfig(Optional.of(dir.resolve("app").resolve("template.yaml")), Map.of(), "dev", false));
        try {
            StackOutputs outputs = server.start();
            whileRunning.accept(server);
            return outputs;
        } finally {
            server.stop();
        }
    }

    private AwsCredentialsProvider admin() {
        ProfileFile file = ProfileFile.builder()
                .content(dir.resolve("data").resolve("admin-credentials"))
                .type(ProfileFile.Type.CREDENTIALS)
                .build();
        return ProfileCredentialsProvider.builder()
                .profileFile(file)
                .profileName("default")
                .build();
    }

    private CognitoIdentityProviderClient cognito(GatehouseServer server) {
        return local(CognitoIdentityProviderClient.builder(), server);
    }

    private DynamoDbClient dynamoDb(GatehouseServer server) {
        return local(DynamoDbClient.builder(), server);
    }

    /** A client of {@code server}'s AWS endpoint signing with the admin key. */
    private <B extends AwsClientBuilder<B, C>, C> C local(B builder, GatehouseServer server) {
        return builder.region(Region.US_EAST_1)
                .endpointOverride(URI.create("http://127.0.0.1:" + server.awsPort()))
                .credentialsProvider(admin())
                .build();
    }

    @Test
    void startWhenSettingsChangedSinceLastRunThenUpdatedInPlaceKeepingUsersAndItems() throws IOException {
        StackOutputs first = run(TEMPLATE.formatted("email", 8, 30, KEY_ONLY), server -> {
            try (CognitoIdentityProviderClient cognito = cognito(server);
                    DynamoDbClient dynamoDb = dynamoDb(server)) {
                cognito.adminCreateUser(r -> r.userPoolId(
                                server.outputs().orElseThrow().get("UserPoolId").orElseThrow())
                        .username("kept@example.com"));
                dynamoDb.putItem(r -> r.tableName(
                                server.outputs().orElseThrow().get("Table").orElseThrow())
                        .item(Map.of("pk", AttributeValue.fromS("a"), "owner", AttributeValue.fromS("me"))));
            }
        });

        StackOutputs second = run(TEMPLATE.formatted("email", 12, 60, INDEX_AND_TTL), server -> {
            try (CognitoIdentityProviderClient cognito = cognito(server);
                    DynamoDbClient dynamoDb = dynamoDb(server)) {
                String poolId = first.get("UserPoolId").orElseThrow();
                assertThat(cognito.describeUserPool(r -> r.userPoolId(poolId))
                                .userPool()
                                .policies()
                                .passwordPolicy()
                                .minimumLength())
                        .isEqualTo(12);
                assertThat(cognito.describeUserPoolClient(r -> r.userPoolId(poolId)
                                        .clientId(first.get("ClientId").orElseThrow()))
                                .userPoolClient()
                                .refreshTokenValidity())
                        .isEqualTo(60);
                assertThat(cognito.adminGetUser(r -> r.userPoolId(poolId).username("kept@example.com"))
                                .username())
                        .isNotBlank();
                String table = first.get("Table").orElseThrow();
                assertThat(dynamoDb.query(r -> r.tableName(table)
                                        .indexName("byOwner")
                                        .keyConditionExpression("#o = :o")
                                        .expressionAttributeNames(Map.of("#o", "owner"))
                                        .expressionAttributeValues(Map.of(":o", AttributeValue.fromS("me"))))
                                .count())
                        .isEqualTo(1);
                assertThat(dynamoDb.describeTimeToLive(r -> r.tableName(table))
                                .timeToLiveDescription()
                                .timeToLiveStatus())
                        .isEqualTo(TimeToLiveStatus.ENABLED);
            }
        });

        assertThat(second.get("UserPoolId")).isEqualTo(first.get("UserPoolId"));
        assertThat(second.get("ClientId")).isEqualTo(first.get("ClientId"));
        assertThat(second.get("Table")).isEqualTo(first.get("Table"));
    }

    @Test
    void startWhenUsernameAttributesChangedSinceLastRunThenRefusedNamingLineResourceAndProperty() throws IOException {
        run(TEMPLATE.formatted("email", 8, 30, KEY_ONLY), server -> {});

        assertThatThrownBy(() -> run(TEMPLATE.formatted("phone_number", 8, 30, KEY_ONLY), server -> {}))
                .isInstanceOf(StackException.class)
                .hasMessageStartingWith("template.yaml:5: resource Users, property UsernameAttributes: changing it"
                        + " requires replacing the user pool");
        // Refused before anything changed: the old template still starts.
        assertThat(run(TEMPLATE.formatted("email", 8, 30, KEY_ONLY), server -> {})
                        .get("UserPoolId"))
                .isPresent();
    }
}
