package dev.gatehouse.tables;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsError;
import dev.gatehouse.protocol.ServiceException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A DynamoDB error: its namespaced {@code __type}, its message, and the members some errors carry besides
 * ({@code Item} on a failed condition, {@code CancellationReasons} on a cancelled transaction).
 */
public final class TablesException extends ServiceException {

    private static final long serialVersionUID = 1L;

    static final String VALIDATION = "com.amazon.coral.validate#ValidationException";
    static final String SERIALIZATION = "com.amazon.coral.service#SerializationException";
    static final String UNKNOWN_OPERATION = "com.amazon.coral.service#UnknownOperationException";
    static final String ACCESS_DENIED = "com.amazon.coral.service#AccessDeniedException";
    private static final String NS = "com.amazonaws.dynamodb.v20120810#";
    static final String RESOURCE_NOT_FOUND = NS + "ResourceNotFoundException";
    static final String RESOURCE_IN_USE = NS + "ResourceInUseException";
    static final String CONDITIONAL_CHECK_FAILED = NS + "ConditionalCheckFailedException";
    static final String TRANSACTION_CANCELED = NS + "TransactionCanceledException";
    static final String DUPLICATE_ITEM = NS + "DuplicateItemException";
    static final String LIMIT_EXCEEDED = NS + "LimitExceededException";
    static final String IDEMPOTENT_MISMATCH = NS + "IdempotentParameterMismatchException";
    static final String INTERNAL = NS + "InternalServerError";

    private final transient @Nullable ObjectNode extra;

    TablesException(AwsError error, @Nullable ObjectNode extra) {
        super(error);
        this.extra = extra;
    }

    static TablesException of(String type, String message) {
        return new TablesException(AwsError.sender(type, message), null);
    }

    static TablesException validation(String message) {
        return of(VALIDATION, message);
    }

    static TablesException serialization(String message) {
        return of(SERIALIZATION, message);
    }

    /** Item operations on a missing table. */
    static TablesException tableNotFound() {
        return of(RESOURCE_NOT_FOUND, "Requested resource not found");
    }

    static TablesException conditionFailed(@Nullable ObjectNode extra) {
        return new TablesException(AwsError.sender(CONDITIONAL_CHECK_FAILED, "The conditional request failed"), extra);
    }

    /** Members written next to {@code __type} and the message. */
    Optional<ObjectNode> extra() {
        return Optional.ofNullable(extra);
    }
}
