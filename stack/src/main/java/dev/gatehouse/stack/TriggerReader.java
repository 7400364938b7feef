package dev.gatehouse.stack;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A user pool's {@code LambdaConfig} (its triggers) and the {@code AWS::Lambda::Permission} that lets Cognito invoke
 * a trigger. The triggers Gatehouse runs are kept, each an ARN the stack renders ({@code !GetAtt Fn.Arn}); those it
 * does not run are refused by name, so a template never deploys with a trigger that would silently not fire.
 */
final class TriggerReader {

    /** LambdaConfig keys whose functions Gatehouse invokes. */
    static final List<String> TRIGGERS = List.of(
            "PreSignUp",
            "PostConfirmation",
            "PreAuthentication",
            "PostAuthentication",
            "PreTokenGeneration",
            "CustomMessage",
            "DefineAuthChallenge",
            "CreateAuthChallenge",
            "VerifyAuthChallengeResponse");

    /** LambdaConfig keys Cognito has and Gatehouse does not run, with why. */
    private static final Map<String, String> REFUSED = Map.of(
            "UserMigration",
            "the user migration trigger is not supported by Gatehouse (create the users instead)",
            "CustomEmailSender",
            "custom sender triggers are not supported by Gatehouse (they need KMS to encrypt the code);"
                    + " use CustomMessage to change the emailed text",
            "CustomSMSSender",
            "custom sender triggers are not supported by Gatehouse (they need KMS to encrypt the code);"
                    + " use CustomMessage to change the text",
            "KMSKeyID",
            "is only used by custom sender triggers, which Gatehouse does not support",
            "InboundFederation",
            "the inbound federation trigger is not supported by Gatehouse (it has no federated sign-in)");

    private static final List<String> LAMBDA_VERSIONS = List.of("V1_0", "V2_0", "V3_0");

    private TriggerReader() {}

    /** Why Gatehouse refuses a trigger Cognito has; empty for one it runs. */
    static Optional<String> refusal(String trigger) {
        return Optional.ofNullable(REFUSED.get(trigger));
    }

    /** The pool's LambdaConfig with the keys Gatehouse runs; a refused or unknown key throws at its line. */
    static Value.MapValue lambdaConfig(Props config) {
        LinkedHashMap<String, Value> out = new LinkedHashMap<>();
        for (String key : config.keys()) {
            String reason = REFUSED.get(key);
            if (reason != null) {
                throw config.error(key, reason);
            }
        }
        for (String key : TRIGGERS) {
            config.scalar(key).ifPresent(arn -> out.put(key, arn));
        }
        config.map("PreTokenGenerationConfig").ifPresent(version -> {
            LinkedHashMap<String, Value> nested = new LinkedHashMap<>();
            String lambdaVersion = version.requiredText("LambdaVersion");
            if (!LAMBDA_VERSIONS.contains(lambdaVersion)) {
                throw version.error("LambdaVersion", "must be one of " + LAMBDA_VERSIONS + ", not " + lambdaVersion);
            }
            nested.put("LambdaVersion", Value.Text.of(lambdaVersion));
            nested.put("LambdaArn", version.requiredScalar("LambdaArn"));
            version.done();
            out.put("PreTokenGenerationConfig", new Value.MapValue(nested));
        });
        config.done();
        return new Value.MapValue(out);
    }

    /**
     * {@code AWS::Lambda::Permission}: checked and kept so that a template reads as it deploys. Gatehouse does not
     * enforce resource policies: a trigger runs whether or not its permission is in the template.
     */
    static Resource.Permission permission(String id, Props props) {
        String action = props.requiredText("Action");
        if (!action.equals("lambda:InvokeFunction") && !action.equals("lambda:*")) {
            throw props.error("Action", "only lambda:InvokeFunction is supported, not " + action);
        }
        Value.Text function = props.requiredScalar("FunctionName");
        String principal = props.requiredText("Principal");
        Optional<Value.Text> sourceArn = props.scalar("SourceArn");
        props.accept("SourceAccount");
        props.done();
        return new Resource.Permission(id, function, principal, sourceArn);
    }
}
