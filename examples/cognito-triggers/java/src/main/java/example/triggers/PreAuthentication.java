package example.triggers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.CognitoUserPoolPreAuthenticationEvent;

/** May refuse a sign-in before the password is checked. */
public class PreAuthentication
        implements RequestHandler<CognitoUserPoolPreAuthenticationEvent, CognitoUserPoolPreAuthenticationEvent> {

    @Override
    public CognitoUserPoolPreAuthenticationEvent handleRequest(
            CognitoUserPoolPreAuthenticationEvent event, Context context) {
        if (Rules.echo(event.getRequest().getUserAttributes())) {
            throw new IllegalStateException(event.getTriggerSource() + " for "
                    + Rules.email(event.getRequest().getUserAttributes()) + " on "
                    + event.getCallerContext().getClientId());
        }
        return event;
    }
}
