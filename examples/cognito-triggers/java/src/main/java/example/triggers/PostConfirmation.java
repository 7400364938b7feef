package example.triggers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.CognitoUserPoolPostConfirmationEvent;
import java.util.Map;

/** Runs once a user is confirmed (by code, by an administrator, or by a password reset). */
public class PostConfirmation
        implements RequestHandler<CognitoUserPoolPostConfirmationEvent, CognitoUserPoolPostConfirmationEvent> {

    @Override
    public CognitoUserPoolPostConfirmationEvent handleRequest(
            CognitoUserPoolPostConfirmationEvent event, Context context) {
        Map<String, String> attributes = event.getRequest().getUserAttributes();
        if (Rules.echo(attributes)) {
            throw new IllegalStateException(event.getTriggerSource() + " " + attributes.get("cognito:user_status") + " "
                    + attributes.get("email_verified"));
        }
        return event;
    }
}
