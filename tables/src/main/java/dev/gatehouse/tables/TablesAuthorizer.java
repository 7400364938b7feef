package dev.gatehouse.tables;

import dev.gatehouse.protocol.AwsRequest;
import java.util.List;

/**
 * Decides whether a DynamoDB request may run: verifies its SigV4 signature (signing name {@code dynamodb}) and
 * evaluates the caller's policy for each permission. The server supplies it; this module knows no credentials.
 */
@FunctionalInterface
public interface TablesAuthorizer {

    /** One action on one resource, such as {@code dynamodb:GetItem} on a table ARN. */
    record Permission(String action, String resourceArn) {}

    /**
     * Returns normally when every permission is allowed; otherwise throws a
     * {@link dev.gatehouse.protocol.ServiceException} with the error to send (a signature failure, or
     * {@code AccessDeniedException}).
     */
    void authorize(AwsRequest request, String operation, List<Permission> permissions);

    /** Allows everything; for tests and embedded use without an endpoint. */
    static TablesAuthorizer allowAll() {
        return (request, operation, permissions) -> {};
    }
}
