/**
 * Gatehouse gateway: API Gateway HTTP APIs in plain Java, independent of any HTTP server.
 *
 * <p>An {@link dev.gatehouse.gateway.Api} declares routes to Lambda-style handlers
 * ({@code RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>}) with NONE, AWS_IAM or JWT authorization,
 * CORS, throttling and stages. A {@link dev.gatehouse.gateway.Gateway} serves one API: the server turns each HTTP
 * request into a {@link dev.gatehouse.gateway.GatewayRequest} (with the {@code Host} header exactly as received, since
 * SigV4 signs it) and writes the {@link dev.gatehouse.gateway.GatewayResponse} back, one header line per value.
 */
@NullMarked
package dev.gatehouse.gateway;

import org.jspecify.annotations.NullMarked;
