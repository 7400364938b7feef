package dev.gatehouse.stack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * SAM's {@code Cognito} function events ({@code UserPool: !Ref Pool}, {@code Trigger: PreSignUp} or a list): as the
 * SAM transform does, each adds the function's ARN to the pool's {@code LambdaConfig}, once every resource is read.
 */
final class CognitoEvents {

    private record Wiring(String pool, String trigger, String function, Props props) {}

    private final List<Wiring> wirings = new ArrayList<>();

    /** Reads one event's {@code Properties}. */
    void read(String function, Props props) {
        Value.Text pool = props.requiredScalar("UserPool");
        if (pool.parts().size() != 1 || !(pool.parts().get(0) instanceof Value.Part.Ref ref)) {
            throw props.error("UserPool", "must be a Ref of an AWS::Cognito::UserPool of this template");
        }
        List<String> triggers = props.texts("Trigger");
        if (triggers.isEmpty()) {
            throw props.error(null, "property Trigger is required");
        }
        for (String trigger : triggers) {
            TriggerReader.refusal(trigger).ifPresent(reason -> {
                throw props.error("Trigger", trigger + ": " + reason);
            });
            if (!TriggerReader.TRIGGERS.contains(trigger)) {
                throw props.error("Trigger", trigger + " is not a trigger Gatehouse runs " + TriggerReader.TRIGGERS);
            }
            wirings.add(new Wiring(ref.logicalId(), trigger, function, props));
        }
        props.done();
    }

    /** Puts each event's function into its pool's {@code LambdaConfig}. */
    void applyTo(List<Resource> resources) {
        for (Wiring wiring : wirings) {
            int index = indexOf(resources, wiring.pool());
            if (index < 0) {
                throw wiring.props()
                        .error("UserPool", wiring.pool() + " is not an AWS::Cognito::UserPool of this template");
            }
            Resource.UserPool pool = (Resource.UserPool) resources.get(index);
            LinkedHashMap<String, Value> properties =
                    new LinkedHashMap<>(pool.properties().entries());
            LinkedHashMap<String, Value> config = new LinkedHashMap<>();
            if (properties.get("LambdaConfig") instanceof Value.MapValue given) {
                config.putAll(given.entries());
            }
            if (config.containsKey(wiring.trigger())) {
                throw wiring.props()
                        .error(
                                "Trigger",
                                wiring.trigger() + " of " + wiring.pool() + " is set twice (LambdaConfig or another"
                                        + " event)");
            }
            config.put(wiring.trigger(), new Value.Text(List.of(new Value.Part.Att(wiring.function(), "Arn")), false));
            properties.put("LambdaConfig", new Value.MapValue(config));
            resources.set(index, new Resource.UserPool(pool.logicalId(), new Value.MapValue(properties)));
        }
    }

    private static int indexOf(List<Resource> resources, String logicalId) {
        for (int i = 0; i < resources.size(); i++) {
            if (resources.get(i) instanceof Resource.UserPool pool
                    && pool.logicalId().equals(logicalId)) {
                return i;
            }
        }
        return -1;
    }
}
