package example.triggers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.CognitoUserPoolPreSignUpEvent;

/** Refuses one domain, confirms another without a code. */
public class PreSignUp implements RequestHandler<CognitoUserPoolPreSignUpEvent, CognitoUserPoolPreSignUpEvent> {

    @Override
    public CognitoUserPoolPreSignUpEvent handleRequest(CognitoUserPoolPreSignUpEvent event, Context context) {
        String domain = Rules.domain(event.getRequest().getUserAttributes());
        if (domain.equals("blocked.example")) {
            throw new IllegalArgumentException("Registration from this domain is not allowed.");
        }
        if (domain.equals("trusted.example") && event.getTriggerSource().equals("PreSignUp_SignUp")) {
            event.getResponse().setAutoConfirmUser(true);
            event.getResponse().setAutoVerifyEmail(true);
        }
        return event;
    }
}
