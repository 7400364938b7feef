package dev.gatehouse.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One API action. Takes the request body, returns the response body (a record, map or JSON node Jackson can write),
 * or throws {@link ServiceException}.
 */
@FunctionalInterface
public interface Operation {

    /** How an operation is authorized before it runs. */
    enum Auth {
        /** No signature: authorized by the body (client id, session, access token) or by nothing. */
        NONE,
        /** SigV4-signed with account credentials; the dispatcher verifies before the operation runs. */
        SIGV4
    }

    Object handle(ObjectNode input, CallContext context);
}
