package dev.gatehouse.stack;

import static dev.gatehouse.stack.CloudFormationReaderTests.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SamReaderTests {

    @Test
    void readWhenFunctionEventsWithoutApiThenImplicitApisAndGeneratedRole() {
        Stack stack = Templates.read(
                Templates.SAM
                        + """
        Globals:
          Function:
            Runtime: java17
            Timeout: 10
            Environment: {Variables: {SHARED: a, OWN: global}}
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Handler: example.Handler::handleRequest
              CodeUri: target/app.jar
              MemorySize: 512
              ReservedConcurrentExecutions: 2
              Environment: {Variables: {OWN: mine, BUCKET: !Ref Bucket}}
              Policies:
                - AWSLambdaBasicExecutionRole
                - Statement: [{Effect: Allow, Action: s3:PutObject, Resource: !Sub "${Bucket.Arn}/*"}]
              Events:
                Hello:
                  Type: HttpApi
                  Properties: {Path: /hello, Method: get}
                Rest:
                  Type: Api
                  Properties: {Path: "/items/{id}", Method: any, Auth: {Authorizer: AWS_IAM}}
          Bucket:
            Type: AWS::S3::Bucket
        Outputs:
          Url:
            Value: !Sub "https://${ServerlessHttpApi}.execute-api.${AWS::Region}.amazonaws.com"
        """);
        Resource.Function fn = stack.all(Resource.Function.class).get(0);
        assertThat(fn.runtime()).isEqualTo("java17");
        assertThat(fn.timeoutSeconds()).isEqualTo(10);
        assertThat(fn.memoryMb()).isEqualTo(512);
        assertThat(fn.reservedConcurrency()).contains(2);
        assertThat(fn.codeUri()).contains("/app/target/app.jar");
        assertThat(fn.environment()).containsOnlyKeys("SHARED", "OWN", "BUCKET");
        assertThat(Templates.render(fn.environment().get("OWN"))).isEqualTo("mine");
        assertThat(Templates.render(fn.environment().get("BUCKET"))).isEqualTo("<Ref Bucket>");
        assertThat(fn.role()).map(Templates::render).contains("<FnRole.Arn>");
        Resource.Role role = (Resource.Role) stack.resource("FnRole").orElseThrow();
        assertThat(role.policies()).hasSize(1);
        Resource.Api http = (Resource.Api) stack.resource("ServerlessHttpApi").orElseThrow();
        assertThat(http.kind()).isEqualTo(Resource.ApiKind.HTTP);
        assertThat(http.routes()).containsExactly(new Resource.Route("GET", "/hello", "Fn", Optional.empty(), "2.0"));
        Resource.Api rest = (Resource.Api) stack.resource("ServerlessRestApi").orElseThrow();
        assertThat(rest.kind()).isEqualTo(Resource.ApiKind.REST);
        assertThat(rest.stageName()).isEqualTo("Prod");
        assertThat(rest.routes())
                .containsExactly(new Resource.Route(
                        "ANY", "/items/{id}", "Fn", Optional.of(new Resource.RouteAuth.AwsIam()), "1.0"));
        assertThat(Templates.render(stack.outputs().get(0).value()))
                .isEqualTo("https://<Ref ServerlessHttpApi>.execute-api.us-east-1.amazonaws.com");
    }

    @Test
    void readWhenExplicitHttpApiThenAuthorizersCorsAndDefaults() {
        Stack stack = Templates.read(
                Templates.SAM
                        + """
        Resources:
          Pool: {Type: AWS::Cognito::UserPool}
          Client: {Type: AWS::Cognito::UserPoolClient, Properties: {UserPoolId: !Ref Pool}}
          Api:
            Type: AWS::Serverless::HttpApi
            Properties:
              StageName: v1
              CorsConfiguration: {AllowOrigins: [https://app.example], AllowMethods: [GET], AllowCredentials: true,
                MaxAge: 600}
              Auth:
                DefaultAuthorizer: AWS_IAM
                EnableIamAuthorizer: true
                Authorizers:
                  Jwt:
                    JwtConfiguration:
                      issuer: !Sub "https://cognito-idp.${AWS::Region}.amazonaws.com/${Pool}"
                      audience: [!Ref Client]
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: builtin
              Handler: hello.public
              Events:
                Open: {Type: HttpApi, Properties: {ApiId: !Ref Api, Path: /open, Method: GET, Auth: {Authorizer: NONE}}}
                Jwt:
                  Type: HttpApi
                  Properties: {ApiId: !Ref Api, Path: /me, Method: GET, Auth: {Authorizer: Jwt, AuthorizationScopes: [email]}}
                Iam: {Type: HttpApi, Properties: {ApiId: !Ref Api, Path: /iam, Method: POST}}
        """);
        Resource.Api api = (Resource.Api) stack.resource("Api").orElseThrow();
        assertThat(api.stageName()).isEqualTo("v1");
        assertThat(api.defaultAuth()).isEqualTo(new Resource.RouteAuth.AwsIam());
        assertThat(api.cors())
                .contains(new Resource.Cors(
                        List.of("https://app.example"), List.of("GET"), List.of(), List.of(), Optional.of(600), true));
        Resource.Authorizer.Jwt jwt =
                (Resource.Authorizer.Jwt) api.authorizers().get("Jwt");
        assertThat(Templates.render(jwt.issuer())).isEqualTo("https://cognito-idp.us-east-1.amazonaws.com/<Ref Pool>");
        assertThat(jwt.audience()).extracting(Templates::render).containsExactly("<Ref Client>");
        assertThat(api.routes())
                .extracting(Resource.Route::auth)
                .containsExactly(
                        Optional.of(new Resource.RouteAuth.None()),
                        Optional.of(new Resource.RouteAuth.Named("Jwt", List.of("email"))),
                        Optional.empty());
        assertThat(stack.all(Resource.Role.class))
                .as("built-in functions get no generated role")
                .isEmpty();
        assertThat(stack.resources().get(stack.resources().size() - 1).logicalId())
                .isEqualTo("Api");
    }

    @Test
    void readWhenRestApiThenCognitoAuthorizerCorsAndGatewayResponses() {
        Stack stack = Templates.read(
                Templates.SAM
                        + """
        Resources:
          Pool: {Type: AWS::Cognito::UserPool}
          Api:
            Type: AWS::Serverless::Api
            Properties:
              StageName: dev
              Cors: "'*'"
              Auth:
                DefaultAuthorizer: Users
                Authorizers:
                  Users: {UserPoolArn: !GetAtt Pool.Arn}
              GatewayResponses:
                DEFAULT_5XX:
                  ResponseParameters: {Headers: {Access-Control-Allow-Origin: "'*'"}}
          Fourxx:
            Type: AWS::ApiGateway::GatewayResponse
            Properties:
              ResponseType: DEFAULT_4XX
              RestApiId: !Ref Api
              ResponseParameters:
                gatewayresponse.header.Access-Control-Allow-Origin: "'*'"
                gatewayresponse.header.Access-Control-Allow-Headers: "'*'"
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: nodejs20.x
              Handler: src/private.main
              CodeUri: .
              Events:
                Get: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /private, Method: GET}}
        """);
        Resource.Api api = (Resource.Api) stack.resource("Api").orElseThrow();
        assertThat(api.defaultAuth()).isEqualTo(new Resource.RouteAuth.Named("Users", List.of()));
        Resource.Authorizer.CognitoUserPools users =
                (Resource.Authorizer.CognitoUserPools) api.authorizers().get("Users");
        assertThat(users.userPoolArns()).extracting(Templates::render).containsExactly("<Pool.Arn>");
        assertThat(users.identitySource()).isEqualTo("Authorization");
        assertThat(api.cors()).map(Resource.Cors::allowOrigins).contains(List.of("*"));
        assertThat(api.gatewayResponses())
                .extracting(Resource.GatewayResponse::responseType)
                .containsExactlyInAnyOrder("DEFAULT_4XX", "DEFAULT_5XX");
        assertThat(api.gatewayResponses())
                .filteredOn(r -> r.responseType().equals("DEFAULT_4XX"))
                .first()
                .extracting(Resource.GatewayResponse::headers)
                .isEqualTo(Map.of("Access-Control-Allow-Origin", "*", "Access-Control-Allow-Headers", "*"));
    }

    @Test
    void readWhenSamConstructsNotRunThenRefused() {
        assertRefused(
                Templates.SAM
                        + """
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: cobol
              Handler: x
              CodeUri: .
        """,
                "template.yaml:6: resource Fn, property Runtime: runtime cobol is not supported ([builtin, java11,"
                        + " java17, java21, java8.al2, nodejs10.x, nodejs12.x, nodejs14.x, nodejs16.x, nodejs18.x, nodejs20.x,"
                        + " nodejs22.x, provided.al2, provided.al2023, python3.10,"
                        + " python3.11, python3.12, python3.13, python3.9])");
        assertRefused(
                Templates.SAM
                        + """
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: java17
              Handler: x
              CodeUri: .
              Events:
                Q: {Type: SQS, Properties: {Queue: q}}
        """,
                "template.yaml:10: resource Fn, property Events.Q.Type: event type SQS is not supported (HttpApi, Api, Cognito)");
        assertRefused(
                Templates.SAM
                        + """
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: java17
              Handler: x
              CodeUri: .
              Policies: [S3CrudPolicy: {BucketName: b}]
        """,
                "template.yaml:9: resource Fn, property Policies: SAM policy templates are not supported: write the"
                        + " statements inline ({Statement: [...]})");
        assertRefused(
                Templates.SAM
                        + """
        Resources:
          Api:
            Type: AWS::Serverless::HttpApi
            Properties:
              Auth:
                Authorizers:
                  L: {FunctionArn: arn}
        """,
                "template.yaml:8: resource Api, property Auth.Authorizers.L: only JWT authorizers (JwtConfiguration) are"
                        + " supported; Lambda authorizers are not");
        assertRefused(
                Templates.SAM
                        + """
        Resources:
          Api:
            Type: AWS::Serverless::HttpApi
            Properties:
              Auth: {DefaultAuthorizer: Missing}
        """,
                "template.yaml:6: resource Api: authorizer Missing is not defined in Auth.Authorizers of API Api");
        assertRefused(
                Templates.SAM + """
        Globals:
          Table: {}
        Resources: {}
        """,
                "template.yaml:3: Globals section Table is not supported ([Api, Function, HttpApi, SimpleTable])");
    }
}
