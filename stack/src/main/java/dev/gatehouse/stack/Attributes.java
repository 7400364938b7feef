package dev.gatehouse.stack;

import java.util.Map;
import java.util.Set;

/** The {@code Fn::GetAtt} attributes Gatehouse knows per resource type. */
final class Attributes {

    static final Map<String, Set<String>> BY_TYPE = Map.ofEntries(
            Map.entry("AWS::Cognito::UserPool", Set.of("Arn", "ProviderName", "ProviderURL", "UserPoolId")),
            Map.entry("AWS::Cognito::UserPoolClient", Set.of("ClientId", "Name")),
            Map.entry("AWS::Cognito::IdentityPool", Set.of("Id", "Name")),
            Map.entry("AWS::IAM::Role", Set.of("Arn", "RoleId")),
            Map.entry("AWS::S3::Bucket", Set.of("Arn", "DomainName", "RegionalDomainName")),
            Map.entry("AWS::Serverless::Function", Set.of("Arn")),
            Map.entry("AWS::Lambda::Function", Set.of("Arn")),
            Map.entry("AWS::Serverless::HttpApi", Set.of("ApiEndpoint", "ApiId")),
            Map.entry("AWS::Serverless::Api", Set.of("RootResourceId", "RestApiId")),
            Map.entry("AWS::DynamoDB::Table", Set.of("Arn")),
            Map.entry("AWS::Serverless::SimpleTable", Set.of("Arn")));

    /**
     * Gatehouse's own endpoints, as pseudo parameters for Outputs: known once the server listens. Not CloudFormation:
     * the built-in template uses them so its outputs read as today's.
     */
    static final Set<String> GATEHOUSE_PSEUDO = Set.of(
            "Gatehouse::AwsEndpoint",
            "Gatehouse::ApiEndpoint",
            "Gatehouse::WebEndpoint",
            "Gatehouse::AdminCredentialsFile");

    private Attributes() {}

    static boolean supported(String type, String attribute) {
        return BY_TYPE.getOrDefault(type, Set.of()).contains(attribute);
    }
}
