package example.triggers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.CognitoUserPoolPreTokenGenerationEventV2;
import com.amazonaws.services.lambda.runtime.events.CognitoUserPoolPreTokenGenerationEventV2.AccessTokenGeneration;
import com.amazonaws.services.lambda.runtime.events.CognitoUserPoolPreTokenGenerationEventV2.ClaimsAndScopeOverrideDetails;
import com.amazonaws.services.lambda.runtime.events.CognitoUserPoolPreTokenGenerationEventV2.IdTokenGeneration;
import java.util.Map;

/** Version 2 of the pre token generation event: claims in both tokens, and a scope in the access token. */
public class PreTokenGeneration
        implements RequestHandler<CognitoUserPoolPreTokenGenerationEventV2, CognitoUserPoolPreTokenGenerationEventV2> {

    @Override
    public CognitoUserPoolPreTokenGenerationEventV2 handleRequest(
            CognitoUserPoolPreTokenGenerationEventV2 event, Context context) {
        IdTokenGeneration id = new IdTokenGeneration();
        id.setClaimsToAddOrOverride(Map.of("tier", "gold", "trigger_source", event.getTriggerSource()));
        id.setClaimsToSuppress(new String[] {"email_verified"});
        AccessTokenGeneration access = new AccessTokenGeneration();
        access.setClaimsToAddOrOverride(Map.of("tier", "gold"));
        access.setScopesToAdd(new String[] {"orders/read"});
        ClaimsAndScopeOverrideDetails details = new ClaimsAndScopeOverrideDetails();
        details.setIdTokenGeneration(id);
        details.setAccessTokenGeneration(access);
        event.getResponse().setClaimsAndScopeOverrideDetails(details);
        return event;
    }
}
