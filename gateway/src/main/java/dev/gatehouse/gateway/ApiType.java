package dev.gatehouse.gateway;

/**
 * Which API Gateway an {@link Api} behaves as. They differ in what the gateway itself answers
 * (lambda-and-templates.md §4.5): an unknown route is 404 {@code Not Found} on an HTTP API and 403
 * {@code Missing Authentication Token} on a REST API; a failed integration is 500 {@code Internal Server Error} and
 * 502 {@code Internal server error}; an integration timeout is 503 and 504 {@code Endpoint request timed out}. A REST
 * API always serves under a stage ({@code /Prod/…}), sends payload 1.0 with header names as the client wrote them,
 * and has gateway responses ({@code DEFAULT_4XX}, …).
 */
public enum ApiType {
    /** {@code AWS::ApiGatewayV2::Api}, {@code AWS::Serverless::HttpApi}, serverless.yml {@code httpApi} events. */
    HTTP,
    /** {@code AWS::ApiGateway::RestApi}, {@code AWS::Serverless::Api}, serverless.yml {@code http} events. */
    REST
}
