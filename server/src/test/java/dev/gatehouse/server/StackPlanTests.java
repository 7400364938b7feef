package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsJson;
import dev.gatehouse.stack.Stack;
import dev.gatehouse.stack.TemplateReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a changed template does to resources that exist: updated in place, or refused when it needs replacement. */
class StackPlanTests {

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) AwsJson.mapper().readTree(text.replace('\'', '"'));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void userPoolWhenPasswordPolicyChangesThenUpdateUserPoolWithoutCreateOnlyMembers() {
        ObjectNode before =
                json("{'PoolName':'p','UsernameAttributes':['email'],'Schema':[{'Name':'email','Required':true}],"
                        + "'Policies':{'PasswordPolicy':{'MinimumLength':8}}}");
        ObjectNode after =
                json("{'PoolName':'p','UsernameAttributes':['email'],'Schema':[{'Name':'email','Required':true}],"
                        + "'Policies':{'PasswordPolicy':{'MinimumLength':12}}}");

        StackPlan.Change change = StackPlan.userPool("Users", "us-east-1_abc", before, after);

        assertThat(change.refusals()).isEmpty();
        assertThat(change.added()).isEmpty();
        assertThat(change.requests()).singleElement().satisfies(request -> {
            assertThat(request.path("UserPoolId").asText()).isEqualTo("us-east-1_abc");
            assertThat(request.path("Policies")
                            .path("PasswordPolicy")
                            .path("MinimumLength")
                            .asInt())
                    .isEqualTo(12);
            assertThat(request.has("UsernameAttributes")).isFalse();
            assertThat(request.has("Schema")).isFalse();
        });
    }

    @Test
    void userPoolWhenUsernameAttributesChangeThenRefusedNamingTheProperty() {
        ObjectNode before = json("{'UsernameAttributes':['email']}");
        ObjectNode after = json("{'UsernameAttributes':['phone_number']}");

        StackPlan.Change change = StackPlan.userPool("Users", "id", before, after);

        assertThat(change.requests()).isEmpty();
        assertThat(change.refusals()).singleElement().satisfies(refusal -> {
            assertThat(refusal.logicalId()).isEqualTo("Users");
            assertThat(refusal.property()).isEqualTo("UsernameAttributes");
            assertThat(refusal.reason()).contains("Replacement").contains("users");
        });
    }

    @Test
    void userPoolWhenAliasAttributesAddedThenRefused() {
        StackPlan.Change change = StackPlan.userPool("Users", "id", json("{}"), json("{'AliasAttributes':['email']}"));

        assertThat(change.refusals()).extracting(StackPlan.Refusal::property).containsExactly("AliasAttributes");
    }

    @Test
    void userPoolWhenCustomAttributeAddedThenAddCustomAttributes() {
        ObjectNode before = json("{'Schema':[{'Name':'email','Required':true}]}");
        ObjectNode after = json("{'Schema':[{'Name':'email','Required':true},"
                + "{'Name':'tenant','AttributeDataType':'String','Mutable':true}]}");

        StackPlan.Change change = StackPlan.userPool("Users", "id", before, after);

        assertThat(change.refusals()).isEmpty();
        assertThat(change.added())
                .singleElement()
                .satisfies(added -> assertThat(added.path("Name").asText()).isEqualTo("tenant"));
    }

    @Test
    void userPoolWhenSchemaAttributeChangedRemovedOrStandardAddedThenRefused() {
        ObjectNode before = json("{'Schema':[{'Name':'email','Required':true},{'Name':'tenant','Mutable':true}]}");
        ObjectNode after = json("{'Schema':[{'Name':'email','Required':false},{'Name':'name','Required':true}]}");

        StackPlan.Change change = StackPlan.userPool("Users", "id", before, after);

        assertThat(change.refusals())
                .extracting(StackPlan.Refusal::reason)
                .anySatisfy(reason -> assertThat(reason).startsWith("attribute email changed"))
                .anySatisfy(reason -> assertThat(reason).startsWith("attribute tenant removed"))
                .anySatisfy(reason -> assertThat(reason).startsWith("standard attribute name added"));
        assertThat(change.requests()).isEmpty();
    }

    @Test
    void clientWhenTokenValidityChangesThenUpdateUserPoolClientWithoutGenerateSecret() {
        ObjectNode before = json("{'UserPoolId':'p','GenerateSecret':false,'AccessTokenValidity':60}");
        ObjectNode after = json("{'UserPoolId':'p','GenerateSecret':false,'AccessTokenValidity':30}");

        StackPlan.Change change = StackPlan.client("Client", "c1", before, after);

        assertThat(change.refusals()).isEmpty();
        assertThat(change.requests()).singleElement().satisfies(request -> {
            assertThat(request.path("ClientId").asText()).isEqualTo("c1");
            assertThat(request.path("AccessTokenValidity").asInt()).isEqualTo(30);
            assertThat(request.has("GenerateSecret")).isFalse();
        });
    }

    @Test
    void clientWhenGenerateSecretOrPoolChangesThenRefused() {
        StackPlan.Change change = StackPlan.client(
                "Client", "c1", json("{'UserPoolId':'p'}"), json("{'UserPoolId':'q','GenerateSecret':true}"));

        assertThat(change.refusals())
                .extracting(StackPlan.Refusal::property)
                .containsExactly("UserPoolId", "GenerateSecret");
    }

    private static final String TABLE = "{'TableName':'t','KeySchema':[{'AttributeName':'pk','KeyType':'HASH'}],"
            + "'AttributeDefinitions':[{'AttributeName':'pk','AttributeType':'S'}],'BillingMode':'PROVISIONED',"
            + "'ProvisionedThroughput':{'ReadCapacityUnits':5,'WriteCapacityUnits':5}";

    @Test
    void tableWhenThroughputChangesThenOneUpdateTable() {
        StackPlan.Change change = StackPlan.table(
                "Items",
                json(TABLE + "}"),
                json(TABLE.replace("'ReadCapacityUnits':5", "'ReadCapacityUnits':10") + "}"));

        assertThat(change.refusals()).isEmpty();
        assertThat(change.requests()).singleElement().satisfies(request -> {
            assertThat(request.path("TableName").asText()).isEqualTo("t");
            assertThat(request.path("ProvisionedThroughput")
                            .path("ReadCapacityUnits")
                            .asInt())
                    .isEqualTo(10);
        });
    }

    @Test
    void tableWhenIndexChangedAndAnotherAddedThenDeleteAndCreatesOnePerRequest() {
        String byOwner = "{'IndexName':'byOwner','KeySchema':[{'AttributeName':'owner','KeyType':'HASH'}],"
                + "'Projection':{'ProjectionType':'ALL'}}";
        String byOwnerKeys = byOwner.replace("'ALL'", "'KEYS_ONLY'");
        String byDate = "{'IndexName':'byDate','KeySchema':[{'AttributeName':'date','KeyType':'HASH'}],"
                + "'Projection':{'ProjectionType':'ALL'}}";

        StackPlan.Change change = StackPlan.table(
                "Items",
                json(TABLE + ",'GlobalSecondaryIndexes':[" + byOwner + "]}"),
                json(TABLE + ",'GlobalSecondaryIndexes':[" + byOwnerKeys + "," + byDate + "]}"));

        assertThat(change.requests())
                .extracting(request -> request.path("GlobalSecondaryIndexUpdates")
                        .get(0)
                        .fieldNames()
                        .next())
                .containsExactly("Delete", "Create", "Create");
        assertThat(change.requests().get(2).has("AttributeDefinitions")).isTrue();
    }

    @Test
    void tableWhenTimeToLiveTurnedOnThenUpdateTimeToLive() {
        StackPlan.Change change = StackPlan.table(
                "Items",
                json(TABLE + "}"),
                json(TABLE + ",'TimeToLiveSpecification':{'AttributeName':'expires','Enabled':true}}"));

        assertThat(change.requests()).singleElement().satisfies(request -> assertThat(
                        request.path("TimeToLiveSpecification").path("Enabled").asBoolean())
                .isTrue());
    }

    @Test
    void tableWhenKeySchemaOrNameChangesThenRefused() {
        StackPlan.Change change = StackPlan.table(
                "Items",
                json(TABLE + "}"),
                json(TABLE.replace("'TableName':'t'", "'TableName':'u'")
                                .replace(
                                        "'KeyType':'HASH'}]",
                                        "'KeyType':'HASH'},{'AttributeName':'sk','KeyType':'RANGE'}]")
                        + "}"));

        assertThat(change.refusals()).extracting(StackPlan.Refusal::property).containsExactly("TableName", "KeySchema");
        assertThat(change.requests()).isEmpty();
    }

    @Test
    void removedWhenFunctionsRolesPoolsAndTablesLeaveThenFunctionsAndRolesGoAndTheRestIsKept() {
        Stack before = stack(
                """
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Users: {Type: AWS::Cognito::UserPool}
          Client: {Type: AWS::Cognito::UserPoolClient, Properties: {UserPoolId: !Ref Users}}
          Items: {Type: AWS::Serverless::SimpleTable}
          Role: {Type: AWS::IAM::Role, Properties: {AssumeRolePolicyDocument: {}}}
          Fn: {Type: AWS::Serverless::Function, Properties: {Runtime: builtin, Handler: hello, Role: !GetAtt Role.Arn}}
        """);
        Stack after = stack(
                """
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Other: {Type: AWS::Serverless::SimpleTable}
        """);

        StackPlan.Removed removed = StackPlan.removed(before, after);

        assertThat(removed.functions()).containsExactly("Fn");
        assertThat(removed.roles()).containsExactly("Role");
        assertThat(removed.kept())
                .containsExactly(
                        Map.entry("Users", "user pool"),
                        Map.entry("Client", "app client"),
                        Map.entry("Items", "table"));
    }

    @Test
    void refusedWhenDescribedThenOneLinePerRefusalWithTheTemplateLine() {
        String text =
                """
        Resources:
          Users:
            Type: AWS::Cognito::UserPool
            Properties:
              UsernameAttributes: [phone_number]
        """;
        StackPlan.Refused refused = new StackPlan.Refused(
                List.of(new StackPlan.Refusal("Users", "UsernameAttributes", "needs replacement")));

        assertThat(refused.describe("template.yaml", text))
                .isEqualTo("template.yaml:5: resource Users, property UsernameAttributes: needs replacement");
    }

    private static Stack stack(String text) {
        return TemplateReader.read(
                "template.yaml",
                text,
                Path.of("").toAbsolutePath(),
                new TemplateReader.Options("dev", "us-east-1", "123456789012", "app", Map.of(), Map.of()));
    }
}
