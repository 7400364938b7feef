package example.triggers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.CognitoUserPoolPostAuthenticationEvent;

/** Runs after each sign-in, before its tokens; failing withholds them. */
public class PostAuthentication
        implements RequestHandler<CognitoUserPoolPostAuthenticationEvent, CognitoUserPoolPostAuthenticationEvent> {

    @Override
    public CognitoUserPoolPostAuthenticationEvent handleRequest(
            CognitoUserPoolPostAuthenticationEvent event, Context context) {
        if (Rules.email(event.getRequest().getUserAttributes()).startsWith("audit")) {
            throw new IllegalStateException(
                    event.getTriggerSource() + " newDeviceUsed=" + event.getRequest().getNewDeviceUsed());
        }
        return event;
    }
}
