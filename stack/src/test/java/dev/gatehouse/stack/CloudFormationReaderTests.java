package dev.gatehouse.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CloudFormationReaderTests {

    private static final String POOL =
            """
      Resources:
        Pool:
          Type: AWS::Cognito::UserPool
          Properties:
            UserPoolName: %s
      Outputs:
        Out:
          Value: %s
      """;

    private static String output(String poolName, String outputValue) {
        return Templates.render(Templates.read(POOL.formatted(poolName, outputValue))
                .outputs()
                .get(0)
                .value());
    }

    @Test
    void readWhenShortFormsThenResolvedAsLongForms() {
        assertThat(output("p", "!Ref Pool")).isEqualTo("<Ref Pool>");
        assertThat(output("p", "!GetAtt Pool.Arn")).isEqualTo("<Pool.Arn>");
        assertThat(output("p", "!GetAtt [Pool, ProviderName]")).isEqualTo("<Pool.ProviderName>");
        assertThat(output("p", "{\"Fn::GetAtt\": [Pool, Arn]}")).isEqualTo("<Pool.Arn>");
        assertThat(output("p", "!Sub 'arn:${AWS::Partition}:x:${AWS::Region}:${AWS::AccountId}:${Pool}/${Pool.Arn}'"))
                .isEqualTo("arn:aws:x:us-east-1:123456789012:<Ref Pool>/<Pool.Arn>");
        assertThat(output("p", "!Sub '${!Literal}-${AWS::StackName}-${AWS::URLSuffix}'"))
                .isEqualTo("${Literal}-app-amazonaws.com");
        assertThat(output("p", "!Sub ['${a}-${b}', {a: x, b: !Ref Pool}]")).isEqualTo("x-<Ref Pool>");
        assertThat(output("p", "!Join ['-', [a, !Ref Pool, c]]")).isEqualTo("a-<Ref Pool>-c");
        assertThat(output("p", "!Select [1, !Split [',', 'a,b,c']]")).isEqualTo("b");
        assertThat(output("p", "!Join ['', !Split ['/', 'x/y']]")).isEqualTo("xy");
    }

    @Test
    void readWhenJsonTemplateThenSameModel() {
        Stack stack = Templates.read("{\"Resources\": {\"Pool\": {\"Type\": \"AWS::Cognito::UserPool\","
                + " \"Properties\": {\"UserPoolName\": {\"Fn::Sub\": \"${AWS::StackName}-users\"}}}}}");
        Resource.UserPool pool = stack.all(Resource.UserPool.class).get(0);
        assertThat(Templates.plain(pool.properties())).isEqualTo(Map.of("PoolName", "app-users"));
    }

    @Test
    void readWhenUserPoolHasMfaPropertiesThenKeptForCreateUserPool() {
        Stack stack = Templates.read(
                """
        Resources:
          Pool:
            Type: AWS::Cognito::UserPool
            Properties:
              UserPoolName: p
              MfaConfiguration: "ON"
              EnabledMfas: [SOFTWARE_TOKEN_MFA, EMAIL_OTP]
              EmailAuthenticationMessage: "Code {####}"
              EmailAuthenticationSubject: Code
              SmsAuthenticationMessage: "Code {####}"
              SmsConfiguration: {SnsCallerArn: "arn:aws:iam::123456789012:role/sms", ExternalId: x}
        """);
        Resource.UserPool pool = stack.all(Resource.UserPool.class).get(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> properties = (Map<String, Object>) Templates.plain(pool.properties());
        assertThat(properties)
                .containsEntry("MfaConfiguration", "ON")
                .containsEntry("EnabledMfas", java.util.List.of("SOFTWARE_TOKEN_MFA", "EMAIL_OTP"))
                .containsEntry("EmailAuthenticationMessage", "Code {####}")
                .containsEntry("EmailAuthenticationSubject", "Code")
                .containsEntry("SmsAuthenticationMessage", "Code {####}")
                .containsKey("SmsConfiguration");
    }

    @Test
    void readWhenParametersThenDefaultsOverridesAndChecks() {
        String template =
                """
        Parameters:
          Env:
            Type: String
            Default: test
            AllowedValues: [test, prod]
          Size:
            Type: Number
            Default: 8
          Names:
            Type: CommaDelimitedList
            Default: a,b
        Resources:
          Pool:
            Type: AWS::Cognito::UserPool
            Properties:
              UserPoolName: !Sub "${Env}-${Size}-${AWS::StackName}"
              Policies: {PasswordPolicy: {MinimumLength: !Ref Size}}
        Outputs:
          Second:
            Value: !Select [1, !Ref Names]
        """;
        Stack stack = Templates.read(template, Map.of("Env", "prod"), "prod");
        assertThat(Templates.plain(stack.all(Resource.UserPool.class).get(0).properties()))
                .isEqualTo(Map.of(
                        "PoolName",
                        "prod-8-app-prod",
                        "Policies",
                        Map.of("PasswordPolicy", Map.of("MinimumLength", 8L))));
        assertThat(Templates.render(stack.outputs().get(0).value())).isEqualTo("b");
        assertThat(stack.name()).isEqualTo("app-prod");
        assertThatThrownBy(() -> Templates.read(template, Map.of("Env", "staging"), "dev"))
                .isInstanceOf(TemplateException.class)
                .hasMessage(
                        "template.yaml:5: property Parameters.Env: value" + " \"staging\" is not one of AllowedValues");
        assertThatThrownBy(() -> Templates.read(template, Map.of("Nope", "x"), "dev"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("--parameter-overrides names [Nope]");
    }

    @Test
    void readWhenParameterWithoutValueThenRefused() {
        assertThatThrownBy(() -> Templates.read("Parameters:\n  X:\n    Type: String\nResources: {}\n"))
                .isInstanceOf(TemplateException.class)
                .hasMessage(
                        "template.yaml:3: property Parameters.X: has no Default and no --parameter-overrides value");
    }

    @Test
    void readWhenConditionsThenResourcesAndIfFollowThem() {
        String template =
                """
        Parameters:
          Env: {Type: String, Default: dev}
        Conditions:
          IsProd: !Equals [!Ref Env, prod]
          NotProd: !Not [!Condition IsProd]
          Both: !And [!Condition NotProd, !Or [!Equals [a, a], !Equals [a, b]]]
        Resources:
          ProdBucket:
            Type: AWS::S3::Bucket
            Condition: IsProd
          Bucket:
            Type: AWS::S3::Bucket
            Properties:
              BucketName: !If [Both, dev-bucket, !Ref AWS::NoValue]
        Outputs:
          Name:
            Value: !If [IsProd, !Ref ProdBucket, none]
        """;
        Stack dev = Templates.read(template);
        assertThat(dev.all(Resource.Bucket.class))
                .extracting(Resource.Bucket::logicalId)
                .containsExactly("Bucket");
        assertThat(dev.all(Resource.Bucket.class).get(0).bucketName())
                .map(Templates::render)
                .contains("dev-bucket");
        assertThat(Templates.render(dev.outputs().get(0).value())).isEqualTo("none");
        Stack prod = Templates.read(template, Map.of("Env", "prod"), "dev");
        assertThat(prod.all(Resource.Bucket.class)).hasSize(2);
        assertThat(prod.all(Resource.Bucket.class).get(1).bucketName()).isEmpty();
    }

    @Test
    void readWhenRefCycleThenCircularDependency() {
        String template =
                """
        Resources:
          A:
            Type: AWS::S3::Bucket
            Properties: {BucketName: !Ref B}
          B:
            Type: AWS::S3::Bucket
            Properties: {BucketName: !Sub "${C}-x"}
          C:
            Type: AWS::S3::Bucket
            DependsOn: A
        """;
        assertThatThrownBy(() -> Templates.read(template))
                .isInstanceOf(TemplateException.class)
                .hasMessage("template.yaml:3: resource A: Circular dependency between resources: [A, B, C]");
    }

    @Test
    void readWhenReferencesThenOrderedAfterWhatTheyNeed() {
        Stack stack = Templates.read(
                """
        Resources:
          Client:
            Type: AWS::Cognito::UserPoolClient
            Properties: {UserPoolId: !Ref Pool}
          Pool:
            Type: AWS::Cognito::UserPool
        """);
        assertThat(stack.resources()).extracting(Resource::logicalId).containsExactly("Pool", "Client");
    }

    @Test
    void readWhenUnsupportedThingsThenRefusedWithPosition() {
        assertRefused(
                "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n",
                "template.yaml:3: resource Q, property Type: resource type AWS::SQS::Queue is not supported"
                        + " (see docs/your-own-app.md)");
        assertRefused(
                "Resources:\n  P:\n    Type: AWS::Cognito::UserPool\n    Properties:\n      DeviceConfiguration: {}\n",
                "template.yaml:5: resource P, property DeviceConfiguration: is not supported by Gatehouse");
        assertRefused(
                "Resources:\n  P:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !FindInMap [a, b, c]\n",
                "template.yaml:5: resource P, property BucketName: intrinsic function Fn::FindInMap is not supported"
                        + " (supported: Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::Select, Fn::Split, Fn::If)");
        assertRefused(
                "Resources:\n  P:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Ref Nope\n",
                "template.yaml:5: resource P, property BucketName: Ref names Nope, which is neither a parameter nor a"
                        + " resource");
        assertRefused(
                "Resources:\n  P:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !GetAtt P.Nope\n",
                "template.yaml:5: resource P, property BucketName: Fn::GetAtt P.Nope: AWS::S3::Bucket has no attribute Nope"
                        + " that Gatehouse knows [Arn, DomainName, RegionalDomainName]");
        assertRefused(
                "Resources:\n  P:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Ref AWS::NotificationARNs\n",
                "template.yaml:5: resource P, property BucketName: pseudo parameter AWS::NotificationARNs is not supported"
                        + " (supported: AWS::Region, AWS::AccountId, AWS::StackName, AWS::Partition, AWS::URLSuffix, AWS::NoValue)");
        assertRefused(
                "Mappings: {}\nResources: {}\n",
                "template.yaml:1: section Mappings is not supported (supported:"
                        + " Parameters, Conditions, Globals, Resources, Outputs)");
        assertRefused(
                "Resources:\n  F:\n    Type: AWS::Serverless::Function\n",
                "template.yaml:3: resource F:"
                        + " AWS::Serverless::Function needs \"Transform: AWS::Serverless-2016-10-31\" at the top of the template");
        assertRefused(
                "Resources:\n  P:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Base64 x\n",
                "template.yaml:5: resource P, property BucketName: intrinsic function Fn::Base64 is not supported"
                        + " (supported: Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::Select, Fn::Split, Fn::If)");
    }

    @Test
    void readWhenYamlErrorsThenLineAndReason() {
        assertThatThrownBy(() -> Templates.read("Resources:\n  A: [unclosed\n  B: x\n"))
                .isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("template.yaml:3: not valid YAML or JSON");
        assertRefused(
                "Resources:\n  A: !Bogus x\n",
                "template.yaml:2: unknown tag !Bogus (CloudFormation's short"
                        + " forms are !Ref, !Sub, !GetAtt, !Join, !Select, !Split, !If, !Equals, !And, !Or, !Not, …)");
        assertRefused(
                "Resources:\n  A: {Type: AWS::S3::Bucket}\n  A: {Type: AWS::S3::Bucket}\n",
                "template.yaml:3: duplicate key A");
        assertRefused("", "template.yaml:1: the template is empty");
        assertRefused("- a\n", "template.yaml:1: a template is a map (Resources, or service and provider)");
    }

    @Test
    void readWhenCognitoIamAndBucketThenModel() {
        Stack stack = Templates.read(
                """
        Resources:
          Pool:
            Type: AWS::Cognito::UserPool
            Properties:
              UsernameAttributes: [email]
              AliasAttributes: [preferred_username]
              AutoVerifiedAttributes: [email]
              AccountRecoverySetting: {RecoveryMechanisms: [{Name: verified_email, Priority: 1}]}
              Schema: [{Name: email, Required: true}]
          Client:
            Type: AWS::Cognito::UserPoolClient
            Properties: {UserPoolId: !Ref Pool, ExplicitAuthFlows: [ALLOW_USER_SRP_AUTH], GenerateSecret: false}
          Ids:
            Type: AWS::Cognito::IdentityPool
            Properties:
              AllowUnauthenticatedIdentities: true
              CognitoIdentityProviders: [{ProviderName: !GetAtt Pool.ProviderName, ClientId: !Ref Client}]
          Role:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument: {Statement: []}
              ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]
              Policies:
                - PolicyName: p
                  PolicyDocument: {Statement: [{Effect: Allow, Action: s3:GetObject, Resource: !Sub "${Bucket.Arn}/*"}]}
          Attach:
            Type: AWS::Cognito::IdentityPoolRoleAttachment
            Properties: {IdentityPoolId: !Ref Ids, Roles: {authenticated: !GetAtt Role.Arn}}
          Bucket:
            Type: AWS::S3::Bucket
          Table:
            Type: AWS::DynamoDB::Table
            Properties: {TableName: t, BillingMode: PAY_PER_REQUEST}
        """);
        Resource.UserPool pool = stack.all(Resource.UserPool.class).get(0);
        assertThat(Templates.plain(pool.properties()))
                .isEqualTo(Map.of(
                        "PoolName",
                        "app-Pool",
                        "UsernameAttributes",
                        List.of("email"),
                        "AliasAttributes",
                        List.of("preferred_username"),
                        "AutoVerifiedAttributes",
                        List.of("email"),
                        "AccountRecoverySetting",
                        Map.of("RecoveryMechanisms", List.of(Map.of("Name", "verified_email", "Priority", 1L))),
                        "Schema",
                        List.of(Map.of("Name", "email", "Required", true))));
        Resource.IdentityPool ids = stack.all(Resource.IdentityPool.class).get(0);
        assertThat(ids.allowUnauthenticated()).isTrue();
        assertThat(Templates.render(ids.providers().get(0).providerName())).isEqualTo("<Pool.ProviderName>");
        Resource.Role role = stack.all(Resource.Role.class).get(0);
        assertThat(Templates.plain(role.policies().get(0).document()))
                .isEqualTo(Map.of(
                        "Statement",
                        List.of(Map.of("Effect", "Allow", "Action", "s3:GetObject", "Resource", "<Bucket.Arn>/*"))));
        assertThat(stack.all(Resource.IdentityPoolRoleAttachment.class).get(0).roles())
                .containsOnlyKeys("authenticated");
        assertThat(stack.all(Resource.Table.class))
                .extracting(Resource.Table::type)
                .containsExactly("AWS::DynamoDB::Table");
        assertThat(stack.resources())
                .extracting(Resource::logicalId)
                .containsSubsequence("Pool", "Client", "Ids")
                .containsSubsequence("Bucket", "Role", "Attach");
    }

    private static final String ROLE_MAPPINGS =
            """
        Resources:
          Attach:
            Type: AWS::Cognito::IdentityPoolRoleAttachment
            Properties:
              IdentityPoolId: pool
              Roles: {authenticated: arn:aws:iam::123456789012:role/a}
              RoleMappings:
        %s
        """;

    @Test
    void readWhenRoleMappingsThenRulesInOrderAndTokenMappingKeyedByProvider() {
        Stack stack = Templates.read(
                ROLE_MAPPINGS.formatted(
                        """
                Web:
                  IdentityProvider: !Sub cognito-idp.${AWS::Region}.amazonaws.com/p:web
                  Type: Rules
                  AmbiguousRoleResolution: AuthenticatedRole
                  RulesConfiguration:
                    Rules:
                      - {Claim: cognito:groups, MatchType: Contains, Value: editors, RoleARN: arn:aws:iam::1:role/e}
                      - {Claim: email, MatchType: NotEqual, Value: x, RoleARN: arn:aws:iam::1:role/o}
                cognito-idp.us-east-1.amazonaws.com/p:mobile:
                  Type: Token
                  AmbiguousRoleResolution: Deny
        """));

        List<Resource.RoleMapping> mappings =
                stack.all(Resource.IdentityPoolRoleAttachment.class).get(0).roleMappings();

        assertThat(mappings)
                .extracting(m -> Templates.render(m.identityProvider()))
                .containsExactly(
                        "cognito-idp.us-east-1.amazonaws.com/p:web", "cognito-idp.us-east-1.amazonaws.com/p:mobile");
        assertThat(mappings).extracting(Resource.RoleMapping::type).containsExactly("Rules", "Token");
        assertThat(mappings.get(1).ambiguousRoleResolution()).contains("Deny");
        assertThat(mappings.get(0).rules())
                .extracting(Resource.MappingRule::matchType)
                .containsExactly("Contains", "NotEqual");
        assertThat(Templates.render(mappings.get(0).rules().get(0).roleArn())).isEqualTo("arn:aws:iam::1:role/e");
        assertThat(mappings.get(1).rules()).isEmpty();
    }

    @Test
    void readWhenRoleMappingWrongThenRefusedWithLineAndProperty() {
        assertRefused(
                ROLE_MAPPINGS.formatted(
                        """
                Web: {Type: Rules, AmbiguousRoleResolution: Deny, RulesConfiguration: {Rules: [
                  {Claim: c, MatchType: Like, Value: v, RoleARN: r}]}}
        """),
                "template.yaml:9: resource Attach, property RoleMappings.Web.RulesConfiguration.Rules.MatchType: must be"
                        + " one of Equals, Contains, StartsWith, NotEqual, not \"Like\"");
        assertRefused(
                ROLE_MAPPINGS.formatted("        Web: {Type: Token}\n"),
                "template.yaml:8: resource Attach, property RoleMappings.Web: property AmbiguousRoleResolution is"
                        + " required (Cognito requires it for every mapping)");
        assertRefused(
                ROLE_MAPPINGS.formatted("        Web: {Type: Rules, AmbiguousRoleResolution: Deny}\n"),
                "template.yaml:8: resource Attach, property RoleMappings.Web: property RulesConfiguration is required"
                        + " for a mapping of type Rules");
        assertRefused(
                ROLE_MAPPINGS.formatted("        Web: {Type: Token, AmbiguousRoleResolution: Deny, Extra: 1}\n"),
                "template.yaml:8: resource Attach, property RoleMappings.Web.Extra: is not supported by Gatehouse");
    }

    @Test
    void readWhenManagedPolicyOtherThanBasicExecutionThenRefused() {
        assertRefused(
                """
        Resources:
          Role:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument: {}
              ManagedPolicyArns: [arn:aws:iam::aws:policy/AmazonS3FullAccess]
        """,
                "template.yaml:6: resource Role, property ManagedPolicyArns: managed policy"
                        + " arn:aws:iam::aws:policy/AmazonS3FullAccess is not supported: write its statements as an inline policy"
                        + " (only AWSLambdaBasicExecutionRole, which grants logs only, is accepted)");
    }

    static void assertRefused(String template, String message) {
        assertThatThrownBy(() -> Templates.read(template))
                .isInstanceOf(TemplateException.class)
                .hasMessage(message);
    }
}
