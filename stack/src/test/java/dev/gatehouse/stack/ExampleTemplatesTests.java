package dev.gatehouse.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The templates under examples/ read as the guide (docs/your-own-app.md) says. */
class ExampleTemplatesTests {

    private static Stack read(String file, String stage) {
        return TemplateReader.read(
                Path.of("..", "examples").resolve(file),
                new TemplateReader.Options(stage, "us-east-1", Templates.ACCOUNT, "app", Map.of(), Map.of()));
    }

    @Test
    void readWhenSamExampleThenPoolsBothApisAndTheJavaFunction() {
        Stack stack = read("sam-app/template.yaml", "dev");

        assertThat(stack.name()).isEqualTo("app");
        assertThat(stack.all(Resource.Api.class))
                .extracting(Resource.Api::logicalId, Resource.Api::kind)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("HttpApi", Resource.ApiKind.HTTP),
                        org.assertj.core.groups.Tuple.tuple("RestApi", Resource.ApiKind.REST));
        Resource.Function whoami = (Resource.Function) stack.resource("Whoami").orElseThrow();
        assertThat(whoami.codeUri().orElseThrow()).endsWith("java-functions/target/java-functions.jar");
        assertThat(whoami.role()).map(Templates::render).contains("<WhoamiRole.Arn>");
    }

    @Test
    void readWhenSamExampleThenSdkFunctionsHaveTheirOwnRolesAndTheTable() {
        Stack stack = read("sam-app/template.yaml", "dev");

        Resource.Function files =
                (Resource.Function) stack.resource("WriteFile").orElseThrow();
        assertThat(files.role()).map(Templates::render).contains("<FilesWriterRole.Arn>");
        assertThat(files.environment().get("BUCKET"))
                .extracting(Templates::render)
                .isEqualTo("<Ref Files>");
        assertThat(stack.resource("Notes")).get().isInstanceOf(Resource.Table.class);
    }

    @Test
    void readWhenRolesAndBucketsExampleThenTwoBucketsAndRulesAndTokenMappings() {
        Stack stack = read("roles-and-buckets/template.yaml", "dev");

        assertThat(stack.all(Resource.Bucket.class))
                .extracting(Resource.Bucket::logicalId)
                .containsExactly("Uploads", "Reports");
        Resource.IdentityPoolRoleAttachment attachment =
                stack.all(Resource.IdentityPoolRoleAttachment.class).get(0);
        assertThat(attachment.roleMappings())
                .extracting(m -> Templates.render(m.identityProvider()), Resource.RoleMapping::type)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("<Users.ProviderName>:<Ref WebClient>", "Rules"),
                        org.assertj.core.groups.Tuple.tuple("<Users.ProviderName>:<Ref MobileClient>", "Token"));
        assertThat(stack.resources())
                .extracting(Resource::logicalId)
                .containsSubsequence("EditorRole", "IdentityRoles")
                .containsSubsequence("WebClient", "MobileClient", "IdentityRoles");
    }

    @Test
    void readWhenNotesNodejsExampleThenFiveNodeFunctionsOnOneTableAndRole() {
        Stack stack = read("notes-nodejs/template.yaml", "dev");

        assertThat(stack.all(Resource.Function.class))
                .hasSize(5)
                .allSatisfy(function -> {
                    assertThat(function.runtime()).isEqualTo("nodejs20.x");
                    assertThat(function.role()).map(Templates::render).contains("<NotesFunctionRole.Arn>");
                    assertThat(function.environment().get("TABLE_NAME"))
                            .extracting(Templates::render)
                            .isEqualTo("<Ref Notes>");
                })
                .extracting(Resource.Function::handler)
                .containsExactly(
                        "src/create.main", "src/get.main", "src/update.main", "src/delete.main", "src/list.main");
    }

    @Test
    void readWhenServerlessExampleThenTheSameKindsOfResources() {
        Stack stack = read("serverless-app/serverless.yml", "prod");

        assertThat(stack.name()).isEqualTo("notes-api-prod");
        assertThat(stack.all(Resource.Api.class))
                .extracting(Resource.Api::logicalId)
                .containsExactlyInAnyOrder("HttpApi", "ApiGatewayRestApi");
        Resource.Function whoami =
                (Resource.Function) stack.resource("WhoamiLambdaFunction").orElseThrow();
        assertThat(whoami.functionName()).contains("notes-api-prod-whoami");
        assertThat(whoami.environment().get("STAGE"))
                .extracting(Templates::render)
                .isEqualTo("prod");
        assertThat(whoami.environment().get("USER_POOL_ID"))
                .extracting(Templates::render)
                .isEqualTo("<Ref CognitoUserPool>");
        Resource.Role auth = (Resource.Role) stack.resource("CognitoAuthRole").orElseThrow();
        assertThat(Templates.plain(auth.policies().get(0).document()).toString())
                .contains("arn:aws:execute-api:us-east-1:123456789012:<Ref ApiGatewayRestApi>/*");
        assertThat(stack.all(Resource.UserPool.class)).hasSize(1);
        assertThat(stack.outputs())
                .extracting(Stack.Output::name)
                .contains("UserPoolId", "HttpApiUrl", "ServiceEndpoint");
    }

    @Test
    void readWhenRecipe003ServerlessYmlThenTheUntypedCognitoArnWithPseudoParametersIsAUserPoolAuthorizer() {
        Stack stack = TemplateReader.read(
                Path.of("..", "examples", "testauthsls", "serverless.yml"),
                new TemplateReader.Options("dev", "eu-west-1", Templates.ACCOUNT, "app", Map.of(), Map.of()));

        Resource.Function secured = (Resource.Function)
                stack.resource("HelloWorldSecuredLambdaFunction").orElseThrow();
        assertThat(secured.runtime()).isEqualTo("nodejs10.x");
        assertThat(stack.all(Resource.Api.class))
                .extracting(Resource.Api::logicalId)
                .containsExactly("ApiGatewayRestApi");
        assertThat(stack.all(Resource.UserPool.class)).hasSize(1);
    }

    @Test
    void readWhenRecipe004TemplateThenTwoNodeFunctionsOnOneHttpApi() {
        Stack stack = read("api-auth-cognito/template.yaml", "dev");

        assertThat(stack.all(Resource.Function.class))
                .extracting(Resource.Function::handler)
                .containsExactlyInAnyOrder("src/private.main", "src/public.main");
        assertThat(stack.all(Resource.Api.class)).extracting(Resource.Api::kind).containsExactly(Resource.ApiKind.HTTP);
    }
}
