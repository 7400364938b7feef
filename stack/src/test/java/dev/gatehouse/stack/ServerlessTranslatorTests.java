package dev.gatehouse.stack;

import static dev.gatehouse.stack.CloudFormationReaderTests.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerlessTranslatorTests {

    /** Recipes 002/003 in shape: REST with aws_iam and a Cognito authorizer, HTTP API with JWT, variables. */
    private static final String APP =
            """
      service: notes-app
      frameworkVersion: "3"
      plugins:
        - serverless-offline
      custom:
        tableName: ${self:service}-${sls:stage}-notes
      provider:
        name: aws
        runtime: java17
        stage: ${opt:stage, 'dev'}
        region: us-east-1
        environment:
          TABLE: ${self:custom.tableName}
          FROM_ENV: ${env:TABLE_ENV, 'fallback'}
          EMPTY: ${env:EMPTY_ENV, 'fallback'}
          MISSING: ${env:NOT_SET, 'fallback'}
          REGION: "#{AWS::Region}"
        iam:
          role:
            statements:
              - Effect: Allow
                Action: [s3:GetObject]
                Resource: arn:aws:s3:::bucket/*
        httpApi:
          cors: true
          authorizers:
            users:
              identitySource: $request.header.Authorization
              issuerUrl: https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc
              audience: [client]
      functions:
        private:
          handler: example.Private::handleRequest
          package: {artifact: target/app.jar}
          events:
            - http: {path: private, method: get, authorizer: aws_iam, cors: true}
        claims:
          handler: example.Claims::handleRequest
          events:
            - http:
                path: claims
                method: get
                authorizer: {name: users, type: COGNITO_USER_POOLS, arn: !GetAtt CognitoUserPool.Arn}
        hello-world:
          handler: example.Hello::handleRequest
          timeout: 12
          environment: {TABLE: own}
          events:
            - httpApi: 'GET /hello'
            - httpApi: {method: post, path: /secure, authorizer: {name: users, scopes: [email]}}
            - httpApi: {method: get, path: /iam, authorizer: {type: aws_iam}}
      resources:
        Resources:
          CognitoUserPool:
            Type: AWS::Cognito::UserPool
            Properties:
              UserPoolName: ${self:service}-${sls:stage}
        Outputs:
          PoolId:
            Value: !Ref CognitoUserPool
      """;

    @Test
    void readWhenServerlessYmlThenFunctionsApisRoleAndResources() {
        Stack stack = Templates.read(APP, Map.of(), "prod");
        assertThat(stack.name()).isEqualTo("notes-app-prod");
        Resource.Function hello = (Resource.Function)
                stack.resource("HelloDashworldLambdaFunction").orElseThrow();
        assertThat(hello.functionName()).contains("notes-app-prod-hello-world");
        assertThat(hello.runtime()).isEqualTo("java17");
        assertThat(hello.timeoutSeconds()).isEqualTo(12);
        assertThat(hello.memoryMb()).isEqualTo(1024);
        assertThat(hello.codeUri()).contains("/app");
        assertThat(hello.environment().get("TABLE"))
                .extracting(Templates::render)
                .isEqualTo("own");
        assertThat(hello.environment().get("FROM_ENV"))
                .extracting(Templates::render)
                .isEqualTo("from-env");
        assertThat(hello.environment().get("EMPTY"))
                .extracting(Templates::render)
                .isEqualTo("");
        assertThat(hello.environment().get("MISSING"))
                .extracting(Templates::render)
                .isEqualTo("fallback");
        assertThat(hello.environment().get("REGION"))
                .extracting(Templates::render)
                .isEqualTo("us-east-1");
        assertThat(hello.role()).map(Templates::render).contains("<IamRoleLambdaExecution.Arn>");
        Resource.Function priv =
                (Resource.Function) stack.resource("PrivateLambdaFunction").orElseThrow();
        assertThat(priv.environment().get("TABLE"))
                .extracting(Templates::render)
                .isEqualTo("notes-app-prod-notes");
        assertThat(priv.codeUri()).contains("/app/target/app.jar");

        Resource.Role role =
                (Resource.Role) stack.resource("IamRoleLambdaExecution").orElseThrow();
        assertThat(role.roleName()).map(Templates::render).contains("notes-app-prod-us-east-1-lambdaRole");
        assertThat(Templates.plain(role.policies().get(0).document()))
                .isEqualTo(Map.of(
                        "Version",
                        "2012-10-17",
                        "Statement",
                        List.of(Map.of(
                                "Effect",
                                "Allow",
                                "Action",
                                List.of("s3:GetObject"),
                                "Resource",
                                "arn:aws:s3:::bucket/*"))));

        Resource.Api http = (Resource.Api) stack.resource("HttpApi").orElseThrow();
        assertThat(http.cors()).isPresent();
        assertThat(http.routes())
                .containsExactly(
                        new Resource.Route("GET", "/hello", "HelloDashworldLambdaFunction", Optional.empty(), "2.0"),
                        new Resource.Route(
                                "POST",
                                "/secure",
                                "HelloDashworldLambdaFunction",
                                Optional.of(new Resource.RouteAuth.Named("users", List.of("email"))),
                                "2.0"),
                        new Resource.Route(
                                "GET",
                                "/iam",
                                "HelloDashworldLambdaFunction",
                                Optional.of(new Resource.RouteAuth.AwsIam()),
                                "2.0"));
        Resource.Api rest = (Resource.Api) stack.resource("ApiGatewayRestApi").orElseThrow();
        assertThat(rest.stageName()).isEqualTo("prod");
        assertThat(rest.cors()).isPresent();
        assertThat(rest.routes())
                .containsExactly(
                        new Resource.Route(
                                "GET",
                                "/private",
                                "PrivateLambdaFunction",
                                Optional.of(new Resource.RouteAuth.AwsIam()),
                                "1.0"),
                        new Resource.Route(
                                "GET",
                                "/claims",
                                "ClaimsLambdaFunction",
                                Optional.of(new Resource.RouteAuth.Named("users", List.of())),
                                "1.0"));
        assertThat(((Resource.Authorizer.CognitoUserPools) rest.authorizers().get("users")).userPoolArns())
                .extracting(Templates::render)
                .containsExactly("<CognitoUserPool.Arn>");

        Resource.UserPool pool = stack.all(Resource.UserPool.class).get(0);
        assertThat(Templates.plain(pool.properties())).isEqualTo(Map.of("PoolName", "notes-app-prod"));
        assertThat(stack.outputs())
                .extracting(Stack.Output::name)
                .containsExactly("HttpApiUrl", "ServiceEndpoint", "PoolId");
        assertThat(Templates.render(stack.outputs().get(1).value()))
                .isEqualTo("https://<Ref ApiGatewayRestApi>.execute-api.us-east-1.amazonaws.com/prod");
    }

    @Test
    void readWhenOlderIamRoleStatementsAndAuthorizerIdThenSameModel() {
        Stack stack = Templates.read(
                """
        service: old
        provider:
          name: aws
          runtime: nodejs18.x
          iamRoleStatements:
            - {Effect: Allow, Action: execute-api:Invoke, Resource: "*"}
        functions:
          f:
            handler: src/private.main
            events:
              - http:
                  path: /notes
                  method: post
                  authorizer: {type: COGNITO_USER_POOLS, authorizerId: {Ref: ApiGatewayAuthorizer}}
        resources:
          Resources:
            ApiGatewayAuthorizer:
              Type: AWS::ApiGateway::Authorizer
              Properties:
                Name: users
                Type: COGNITO_USER_POOLS
                IdentitySource: method.request.header.Authorization
                RestApiId: {Ref: ApiGatewayRestApi}
                ProviderARNs: [arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc]
        """);
        Resource.Role role =
                (Resource.Role) stack.resource("IamRoleLambdaExecution").orElseThrow();
        assertThat(role.policies()).hasSize(1);
        Resource.Api rest = (Resource.Api) stack.resource("ApiGatewayRestApi").orElseThrow();
        assertThat(rest.stageName()).isEqualTo("dev");
        assertThat(rest.routes().get(0).auth())
                .contains(new Resource.RouteAuth.Named("ApiGatewayAuthorizer", List.of()));
        assertThat(stack.resource("ApiGatewayAuthorizer")).isEmpty();
    }

    @Test
    void readWhenServerlessConstructsNotRunThenRefused() {
        assertRefused(
                "service: s\nprovider: {name: aws, runtime: java17}\nfunctions:\n  f:\n    handler: h\n"
                        + "    events:\n      - sqs: arn\n",
                "template.yaml:7: resource f, property events.sqs: event sqs is not supported (httpApi, http, cognitoUserPool)");
        assertRefused(
                "service: s\nprovider: {name: aws, runtime: java17}\nfunctions:\n  f:\n    handler: h\n"
                        + "    events:\n      - http: {path: x, method: get, authorizer: myAuthFn}\n",
                "template.yaml:7: resource f,"
                        + " property events.http.authorizer: Lambda authorizers are not supported (aws_iam or a Cognito user pool)");
        assertRefused(
                "service: s\nprovider: {name: aws, stage: \"${ssm:/x}\"}\n",
                "template.yaml:2: variable source ssm: is" + " not supported (self, opt, env, sls, aws)");
        assertRefused(
                "service: s\nprovider: {name: aws, stage: \"${env:NOT_SET}\"}\n",
                "template.yaml:2: Cannot resolve" + " variable ${env:NOT_SET}: no value and no fallback");
        assertRefused(
                "service: s\nprovider: {name: aws, region: eu-west-1}\n",
                "template.yaml:2: property"
                        + " provider.region: is eu-west-1 but Gatehouse runs us-east-1: start it with --region");
        assertRefused(
                "service: s\nplugins: [serverless-webpack]\nprovider: {name: aws}\n",
                "template.yaml:2: property"
                        + " plugins: plugin \"serverless-webpack\" is not supported ([serverless-offline, serverless-pseudo-parameters])");
    }

    @Test
    void readWhenSelfVariableRefersToItselfThenRefused() {
        assertRefused(
                "service: s\ncustom:\n  a: ${self:custom.b}\n  b: ${self:custom.a}\n"
                        + "provider: {name: aws, stage: \"${self:custom.a}\"}\n",
                "template.yaml:3: ${self:custom.b} refers to itself");
    }

    private static final String TRIGGERS =
            """
      service: triggers
      provider: {name: aws, runtime: nodejs20.x}
      functions:
        signup:
          handler: handler.preSignUp
          events:
            - cognitoUserPool: {pool: my-users, trigger: PreSignUp%s}
        tokens:
          handler: handler.preToken
          events:
            - cognitoUserPool: {pool: my-users, trigger: PreTokenGeneration}
      resources:
        Resources:
          CognitoUserPoolMyDashusers:
            Type: AWS::Cognito::UserPool
            Properties:
              UsernameAttributes: [email]
      """;

    @Test
    void readWhenCognitoUserPoolEventsThenOnePoolNamedByTheFrameworkWithBothTriggers() {
        Stack stack = Templates.read(TRIGGERS.formatted(""));
        Resource.UserPool pool = stack.all(Resource.UserPool.class).get(0);
        assertThat(pool.logicalId()).isEqualTo("CognitoUserPoolMyDashusers");
        assertThat(Templates.plain(pool.properties()))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("PoolName", "my-users")
                .containsEntry("UsernameAttributes", List.of("email"));
        assertThat(TriggerReaderTests.lambdaConfig(stack))
                .isEqualTo(Map.of(
                        "PreSignUp", "<SignupLambdaFunction.Arn>", "PreTokenGeneration", "<TokensLambdaFunction.Arn>"));
    }

    @Test
    void readWhenCognitoUserPoolEventOfExistingPoolThenRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Templates.read(TRIGGERS.formatted(", existing: true")))
                .hasMessageContaining("resource signup, property events.cognitoUserPool.existing: a pool made outside"
                        + " this service is not supported: declare it under resources as CognitoUserPoolMyDashusers");
    }
}
