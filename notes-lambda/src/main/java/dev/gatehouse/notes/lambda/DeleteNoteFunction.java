package dev.gatehouse.notes.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.gatehouse.notes.NotesApi;

/**
 * {@code DELETE /notes/{id}}: deletes a note and its attachment.
 *
 * <p>Lambda handler {@code dev.gatehouse.notes.lambda.DeleteNoteFunction::handleRequest},
 * for an API Gateway HTTP API route with {@code AWS_IAM} authorization (payload format 2.0); see
 * {@link NotesLambdaSettings} for its environment.
 */
public final class DeleteNoteFunction implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler;

    /** The constructor Lambda calls: the container's API, built from the environment on first use. */
    public DeleteNoteFunction() {
        this(NotesContainer.api());
    }

    DeleteNoteFunction(NotesApi api) {
        this.handler = api.delete();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return handler.handleRequest(event, context);
    }
}
