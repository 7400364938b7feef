package dev.gatehouse.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.stack.Resource;
import dev.gatehouse.stack.Stack;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BinaryOperator;

/** The stack's functions as other resources name them (a pool's triggers, a Lambda permission), by ARN or name. */
final class StackFunctions {

    private final Stack stack;
    private final BinaryOperator<String> attribute;

    /**
     * @param attribute a resource's attribute by logical id and name ({@code Ref}, {@code Arn}), as applied so far
     */
    StackFunctions(Stack stack, BinaryOperator<String> attribute) {
        this.stack = Objects.requireNonNull(stack, "stack cannot be null");
        this.attribute = Objects.requireNonNull(attribute, "attribute cannot be null");
    }

    /** Each trigger must be a function this stack runs: Gatehouse invokes no other. */
    void checkTriggers(String logicalId, ObjectNode triggers) {
        triggers.fields().forEachRemaining(entry -> {
            JsonNode value = entry.getValue();
            String arn = value.isObject() ? value.path("LambdaArn").asText() : value.asText();
            String property = "property LambdaConfig." + entry.getKey() + (value.isObject() ? ".LambdaArn" : "") + ": ";
            Resource.Function function = byArn(arn)
                    .orElseThrow(() -> new StackException("resource " + logicalId + ", " + property + arn
                            + " is not a function of this stack (Gatehouse invokes only the template's functions)"));
            if ("builtin".equals(function.runtime())) {
                throw new StackException("resource " + logicalId + ", " + property + function.logicalId()
                        + " is a built-in function, which cannot be a trigger");
            }
        });
    }

    /** The stack's function with that ARN (or name), a version or alias qualifier allowed. */
    Optional<Resource.Function> byArn(String arnOrName) {
        for (Resource resource : stack.resources()) {
            if (!(resource instanceof Resource.Function function)) {
                continue;
            }
            String arn = attribute.apply(function.logicalId(), "Arn");
            String name = attribute.apply(function.logicalId(), "Ref");
            if (arnOrName.equals(arn) || arnOrName.startsWith(arn + ":") || arnOrName.equals(name)) {
                return Optional.of(function);
            }
        }
        return Optional.empty();
    }
}
