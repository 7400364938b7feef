package dev.gatehouse.notes.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.gatehouse.notes.NotesApi;

/**
 * {@code GET /notes}: the caller's notes, newest first.
 *
 * <p>Lambda handler {@code dev.gatehouse.notes.lambda.ListNotesFunction::handleRequest},
 * for an API Gateway HTTP API route with {@code AWS_IAM} authorization (payload format 2.0); see
 * {@link NotesLambdaSettings} for its environment.
 */
public final class ListNotesFunction implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler;

    /** The constructor Lambda calls: the container's API, built from the environment on first use. */
    public ListNotesFunction() {
        this(NotesContainer.api());
    }

    ListNotesFunction(NotesApi api) {
        this.handler = api.list();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return handler.handleRequest(event, context);
    }
}
