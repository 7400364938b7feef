package dev.gatehouse.notes.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.gatehouse.notes.NotesApi;

/**
 * {@code GET /notes/{id}}: reads one of the caller's notes.
 *
 * <p>Lambda handler {@code dev.gatehouse.notes.lambda.GetNoteFunction::handleRequest},
 * for an API Gateway HTTP API route with {@code AWS_IAM} authorization (payload format 2.0); see
 * {@link NotesLambdaSettings} for its environment.
 */
public final class GetNoteFunction implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler;

    /** The constructor Lambda calls: the container's API, built from the environment on first use. */
    public GetNoteFunction() {
        this(NotesContainer.api());
    }

    GetNoteFunction(NotesApi api) {
        this.handler = api.get();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return handler.handleRequest(event, context);
    }
}
