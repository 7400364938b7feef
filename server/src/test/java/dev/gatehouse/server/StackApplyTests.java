package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.identity.RolePolicies;
import dev.gatehouse.store.ItemStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Applying a template is idempotent by logical id: a restart finds the pool (and its users) and the identity pool
 * instead of creating them again, while what Gatehouse holds per start (a role's policy) follows the template.
 */
class StackApplyTests {

    private static final String TEMPLATE =
            """
      Parameters:
        Action: {Type: String, Default: s3:GetObject}
      Resources:
        Users:
          Type: AWS::Cognito::UserPool
          Properties: {UsernameAttributes: [email]}
        Client:
          Type: AWS::Cognito::UserPoolClient
          Properties: {UserPoolId: !Ref Users}
        Ids:
          Type: AWS::Cognito::IdentityPool
          Properties:
            CognitoIdentityProviders: [{ProviderName: !GetAtt Users.ProviderName, ClientId: !Ref Client}]
        Role:
          Type: AWS::IAM::Role
          Properties:
            AssumeRolePolicyDocument: {}
            Policies:
              - PolicyName: p
                PolicyDocument: {Statement: [{Effect: Allow, Action: !Ref Action, Resource: "*"}]}
        Attach:
          Type: AWS::Cognito::IdentityPoolRoleAttachment
          Properties: {IdentityPoolId: !Ref Ids, Roles: {authenticated: !GetAtt Role.Arn}}
      Outputs:
        UserPoolId: {Value: !Ref Users}
        IdentityPoolId: {Value: !Ref Ids}
        RoleArn: {Value: !GetAtt Role.Arn}
      """;

    @TempDir
    Path dir;

    private StackOutputs run(Map<String, String> overrides) {
        GatehouseServer server = new GatehouseServer(
                ServerConfig.defaults(dir.resolve("data")).withAwsPort(0).withWorkers(2, 8),
                Clock.systemUTC(),
                StoreFactory.SQLITE,
                new StackConfig(Optional.of(dir.resolve("app").resolve("template.yaml")), overrides, "dev"));
        try {
            return server.start();
        } finally {
            server.stop();
        }
    }

    private String policy(String roleArn) {
        try (ItemStore store = StoreFactory.SQLITE.open(
                DataDirectory.open(dir.resolve("data")).privateDatabase(), Clock.systemUTC())) {
            return new RolePolicies(store, Clock.systemUTC()).document(roleArn).orElseThrow();
        }
    }

    @Test
    void startWhenTemplateAppliedAgainThenSameIdsAndChangedPolicy() throws IOException {
        Files.createDirectories(dir.resolve("app"));
        Files.writeString(dir.resolve("app").resolve("template.yaml"), TEMPLATE);

        StackOutputs first = run(Map.of());
        assertThat(first.get("RoleArn").orElseThrow()).matches("arn:aws:iam::\\d{12}:role/app-Role-[A-Z0-9]{12}");
        assertThat(policy(first.get("RoleArn").orElseThrow())).contains("s3:GetObject");
        assertThat(first.asMap())
                .containsKeys("AwsEndpoint", "AdminCredentialsFile", "WebEndpoint")
                .doesNotContainKey("ApiEndpoint");

        StackOutputs second = run(Map.of("Action", "s3:PutObject"));
        assertThat(second.get("UserPoolId")).isEqualTo(first.get("UserPoolId"));
        assertThat(second.get("IdentityPoolId")).isEqualTo(first.get("IdentityPoolId"));
        assertThat(second.get("RoleArn")).isEqualTo(first.get("RoleArn"));
        assertThat(policy(second.get("RoleArn").orElseThrow()))
                .contains("s3:PutObject")
                .doesNotContain("s3:GetObject");
    }

    @Test
    void startWhenFunctionCodeMissingThenStackExceptionNamingTemplateResourceAndProperty() throws IOException {
        Files.createDirectories(dir.resolve("app"));
        Files.writeString(
                dir.resolve("app").resolve("template.yaml"),
                """
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties: {Runtime: java17, Handler: example.Hello, CodeUri: target/missing.jar}
        """);

        assertThatThrownBy(() -> run(Map.of()))
                .isInstanceOf(StackException.class)
                .hasMessageStartingWith("template.yaml: resource Fn, property CodeUri: ")
                .hasMessageEndingWith("does not exist (build the function" + " first)");
    }

    @Test
    void startWhenRoleMappingNamesAProviderThePoolDoesNotTrustThenRefusedAsSetIdentityPoolRolesRefusesIt()
            throws IOException {
        Files.createDirectories(dir.resolve("app"));
        Files.writeString(
                dir.resolve("app").resolve("template.yaml"),
                TEMPLATE.replace(
                        "Roles: {authenticated: !GetAtt Role.Arn}}",
                        """
                        Roles: {authenticated: !GetAtt Role.Arn},
                          RoleMappings: {Other: {IdentityProvider: !Sub "${Users.ProviderName}:notaclient",
                            Type: Token, AmbiguousRoleResolution: Deny}}}"""));

        assertThatThrownBy(() -> run(Map.of()))
                .isInstanceOf(StackException.class)
                .hasMessageStartingWith(
                        "template.yaml: resource Attach: (cognito-idp.us-east-1.amazonaws.com/us-east-1_")
                .hasMessageEndingWith(
                        ":notaclient) is not a valid RoleMapping ProviderName or is not a configured provider.");
    }

    private static final String TABLES =
            """
      Transform: AWS::Serverless-2016-10-31
      Resources:
        Simple:
          Type: AWS::Serverless::SimpleTable
          Properties: {PrimaryKey: {Name: noteId, Type: String}, Tags: {team: notes}}
        Full:
          Type: AWS::DynamoDB::Table
          Properties:
            TableName: !Sub ${AWS::StackName}-full
            BillingMode: PAY_PER_REQUEST
            AttributeDefinitions: [{AttributeName: pk, AttributeType: S}, {AttributeName: sk, AttributeType: N}]
            KeySchema: [{AttributeName: pk, KeyType: HASH}, {AttributeName: sk, KeyType: RANGE}]
      Outputs:
        Simple: {Value: !Ref Simple}
        SimpleArn: {Value: !GetAtt Simple.Arn}
        Full: {Value: !Ref Full}
      """;

    @Test
    void startWhenServerlessResourcesHaveATableThenCreatedAndRefIsItsStageName() throws IOException {
        Files.createDirectories(dir.resolve("app"));
        Files.writeString(
                dir.resolve("app").resolve("serverless.yml"),
                """
        service: notes
        provider: {name: aws, runtime: nodejs20.x, stage: dev, region: us-east-1}
        resources:
          Resources:
            NotesTable:
              Type: AWS::DynamoDB::Table
              Properties:
                TableName: ${self:service}-${sls:stage}-notes
                BillingMode: PAY_PER_REQUEST
                AttributeDefinitions: [{AttributeName: noteId, AttributeType: S}]
                KeySchema: [{AttributeName: noteId, KeyType: HASH}]
          Outputs:
            Table: {Value: !Ref NotesTable}
            TableArn: {Value: !GetAtt NotesTable.Arn}
        """);
        GatehouseServer server = new GatehouseServer(
                ServerConfig.defaults(dir.resolve("data")).withAwsPort(0).withWorkers(2, 8),
                Clock.systemUTC(),
                StoreFactory.SQLITE,
                new StackConfig(Optional.of(dir.resolve("app").resolve("serverless.yml")), Map.of(), "dev"));
        try {
            StackOutputs outputs = server.start();

            assertThat(outputs.get("Table")).contains("notes-dev-notes");
            assertThat(outputs.get("TableArn").orElseThrow())
                    .matches("arn:aws:dynamodb:us-east-1:\\d{12}:table/" + "notes-dev-notes");
            assertThat(server.tables()).isPresent();
        } finally {
            server.stop();
        }
    }

    private StackOutputs runTables(String template, java.util.function.Consumer<GatehouseServer> whileRunning)
            throws IOException {
        return StackUpdateTests.runTemplate(dir, template, whileRunning);
    }

    @Test
    void startWhenTemplateHasTablesThenCreatedUnderTheirNamesWithTheirKeysAndRefIsTheName() throws IOException {
        StackOutputs outputs = runTables(TABLES, server -> {});

        assertThat(outputs.get("Simple").orElseThrow()).matches("app-Simple-[A-Z0-9]{12}");
        assertThat(outputs.get("SimpleArn").orElseThrow())
                .matches("arn:aws:dynamodb:us-east-1:\\d{12}:table/"
                        + outputs.get("Simple").orElseThrow());
        assertThat(outputs.get("Full").orElseThrow()).isEqualTo("app-full");
    }

    @Test
    void startWhenTableHasUnsupportedPropertyThenStackExceptionNamingIt() {
        assertThatThrownBy(() -> runTables(
                        """
        Resources:
          Ttl:
            Type: AWS::DynamoDB::Table
            Properties:
              AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
              KeySchema: [{AttributeName: pk, KeyType: HASH}]
              ContributorInsightsSpecification: {Enabled: true}
        """,
                        server -> {}))
                .isInstanceOf(StackException.class)
                .hasMessageStartingWith("template.yaml: resource Ttl, property"
                        + " ContributorInsightsSpecification: not supported for tables yet");
    }

    @Test
    void startWhenTableKeySchemaInvalidThenStackExceptionWithDynamoDbsMessage() {
        assertThatThrownBy(() -> runTables(
                        """
        Resources:
          Bad:
            Type: AWS::DynamoDB::Table
            Properties:
              BillingMode: PAY_PER_REQUEST
              AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
              KeySchema: [{AttributeName: other, KeyType: HASH}]
        """,
                        server -> {}))
                .isInstanceOf(StackException.class)
                .hasMessageStartingWith("template.yaml: resource Bad: ");
    }
}
