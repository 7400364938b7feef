package example.triggers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.CognitoUserPoolCustomMessageEvent;

/** The app's own text for every message the pool sends; the code goes where codeParameter stands. */
public class CustomMessage
        implements RequestHandler<CognitoUserPoolCustomMessageEvent, CognitoUserPoolCustomMessageEvent> {

    @Override
    public CognitoUserPoolCustomMessageEvent handleRequest(CognitoUserPoolCustomMessageEvent event, Context context) {
        event.getResponse().setEmailSubject("Welcome to the triggers app");
        event.getResponse()
                .setEmailMessage("Hello " + Rules.email(event.getRequest().getUserAttributes()) + ", your code is "
                        + event.getRequest().getCodeParameter() + " (" + event.getTriggerSource() + ")");
        return event;
    }
}
