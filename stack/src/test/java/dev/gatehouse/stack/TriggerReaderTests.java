package dev.gatehouse.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TriggerReaderTests {

    private static final String TEMPLATE = Templates.SAM
            + """
      Resources:
        Fn:
          Type: AWS::Serverless::Function
          Properties:
            Runtime: nodejs20.x
            Handler: index.handler
            CodeUri: src
        Pool:
          Type: AWS::Cognito::UserPool
          Properties:
            LambdaConfig:
      %s
        Allow:
          Type: AWS::Lambda::Permission
          Properties:
            Action: lambda:InvokeFunction
            FunctionName: !GetAtt Fn.Arn
            Principal: cognito-idp.amazonaws.com
            SourceArn: !GetAtt Pool.Arn
      """;

    /** The first pool's LambdaConfig, references written as {@code <Fn.Arn>}. */
    static Object lambdaConfig(Stack stack) {
        Resource.UserPool pool = stack.all(Resource.UserPool.class).get(0);
        return ((Map<?, ?>) Templates.plain(pool.properties())).get("LambdaConfig");
    }

    private static Stack read(String lambdaConfig) {
        return Templates.read(TEMPLATE.formatted(lambdaConfig.indent(8).stripTrailing()));
    }

    @Test
    void readWhenTriggersThenKeptAsArnsInCreateUserPoolNames() {
        Stack stack = read(
                """
        PreSignUp: !GetAtt Fn.Arn
        CustomMessage: !GetAtt Fn.Arn
        DefineAuthChallenge: !GetAtt Fn.Arn
        PreTokenGenerationConfig:
          LambdaVersion: V2_0
          LambdaArn: !GetAtt Fn.Arn
        """);
        assertThat(lambdaConfig(stack))
                .isEqualTo(Map.of(
                        "PreSignUp", "<Fn.Arn>",
                        "CustomMessage", "<Fn.Arn>",
                        "DefineAuthChallenge", "<Fn.Arn>",
                        "PreTokenGenerationConfig", Map.of("LambdaVersion", "V2_0", "LambdaArn", "<Fn.Arn>")));
        Resource.Permission permission = stack.all(Resource.Permission.class).get(0);
        assertThat(permission.principal()).isEqualTo("cognito-idp.amazonaws.com");
        assertThat(Templates.render(permission.functionName())).isEqualTo("<Fn.Arn>");
    }

    @Test
    void readWhenCustomSenderTriggerThenRefusedAtItsLine() {
        assertThatThrownBy(() -> read("CustomEmailSender: {LambdaVersion: V1_0, LambdaArn: !GetAtt Fn.Arn}"))
                .isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("template.yaml:13: resource Pool, property LambdaConfig.CustomEmailSender:")
                .hasMessageContaining("custom sender triggers are not supported");
    }

    @Test
    void readWhenUserMigrationOrKmsKeyThenRefused() {
        assertThatThrownBy(() -> read("UserMigration: !GetAtt Fn.Arn"))
                .hasMessageContaining(
                        "property LambdaConfig.UserMigration: the user migration trigger is not supported");
        assertThatThrownBy(() -> read("KMSKeyID: arn:aws:kms:us-east-1:123456789012:key/abc"))
                .hasMessageContaining("property LambdaConfig.KMSKeyID:");
    }

    @Test
    void readWhenUnknownTriggerKeyOrVersionThenRefused() {
        assertThatThrownBy(() -> read("PreSignup: !GetAtt Fn.Arn"))
                .hasMessageContaining("property LambdaConfig.PreSignup: is not supported by Gatehouse");
        assertThatThrownBy(() -> read("PreTokenGenerationConfig: {LambdaVersion: V9_0, LambdaArn: !GetAtt Fn.Arn}"))
                .hasMessageContaining("LambdaVersion: must be one of [V1_0, V2_0, V3_0], not V9_0");
    }

    @Test
    void readWhenPermissionForAnotherActionThenRefused() {
        String template = TEMPLATE.formatted("        PreSignUp: !GetAtt Fn.Arn")
                .replace("lambda:InvokeFunction", "lambda:GetFunction");
        assertThatThrownBy(() -> Templates.read(template))
                .hasMessageContaining("resource Allow, property Action: only lambda:InvokeFunction is supported");
    }

    private static final String EVENT_TEMPLATE = Templates.SAM
            + """
      Resources:
        Pool:
          Type: AWS::Cognito::UserPool
          Properties:
            LambdaConfig:
              CustomMessage: !GetAtt Other.Arn
        Other:
          Type: AWS::Serverless::Function
          Properties: {Runtime: nodejs20.x, Handler: index.other, CodeUri: src}
        Fn:
          Type: AWS::Serverless::Function
          Properties:
            Runtime: nodejs20.x
            Handler: index.handler
            CodeUri: src
            Events:
              Signup:
                Type: Cognito
                Properties:
                  UserPool: !Ref Pool
                  Trigger: %s
      """;

    @Test
    void readWhenSamCognitoEventThenFunctionJoinsThePoolsLambdaConfig() {
        Stack stack = Templates.read(EVENT_TEMPLATE.formatted("[PreSignUp, PostConfirmation]"));
        assertThat(lambdaConfig(stack))
                .isEqualTo(Map.of(
                        "CustomMessage", "<Other.Arn>", "PreSignUp", "<Fn.Arn>", "PostConfirmation", "<Fn.Arn>"));
    }

    @Test
    void readWhenSamCognitoEventTriggerRefusedOrTwiceThenRefused() {
        assertThatThrownBy(() -> Templates.read(EVENT_TEMPLATE.formatted("UserMigration")))
                .hasMessageContaining("resource Fn, property Events.Signup.Properties.Trigger: UserMigration:");
        assertThatThrownBy(() -> Templates.read(EVENT_TEMPLATE.formatted("CustomMessage")))
                .hasMessageContaining("CustomMessage of Pool is set twice");
        assertThatThrownBy(() -> Templates.read(EVENT_TEMPLATE.formatted("PreSignup")))
                .hasMessageContaining("PreSignup is not a trigger Gatehouse runs");
    }
}
