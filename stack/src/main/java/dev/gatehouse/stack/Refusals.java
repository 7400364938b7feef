package dev.gatehouse.stack;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Why Gatehouse refuses a Lambda feature a template commonly uses: the reason and what to do instead, in one
 * sentence, for the error that names the file, line, resource and property.
 */
final class Refusals {

    /** The runtimes Gatehouse runs: a worker JVM, a Node.js worker, or its own in-process handlers. */
    static final Set<String> RUNTIMES = Set.of(
            "java8.al2",
            "java11",
            "java17",
            "java21",
            "nodejs10.x",
            "nodejs12.x",
            "nodejs14.x",
            "nodejs16.x",
            "nodejs18.x",
            "nodejs20.x",
            "nodejs22.x",
            "builtin");

    private Refusals() {}

    /** Why {@code runtime}, which is not one of {@link #RUNTIMES}, is refused. */
    static String runtime(String runtime) {
        String lower = runtime.toLowerCase(Locale.ROOT);
        if (lower.startsWith("python")
                || lower.startsWith("provided")
                || lower.startsWith("ruby")
                || lower.startsWith("dotnet")
                || lower.startsWith("go1")) {
            return "runtime " + runtime + " is not supported yet: Gatehouse runs Java (java8.al2, java11, java17,"
                    + " java21) and Node.js (nodejs10.x to nodejs22.x) functions";
        }
        return "runtime " + runtime + " is not a Lambda runtime Gatehouse runs (" + new TreeSet<>(RUNTIMES) + ")";
    }

    /** Why a SAM function's event of {@code type} (other than Api and HttpApi) is refused. */
    static String samEvent(String type) {
        return switch (type) {
            case "Schedule", "ScheduleV2", "CloudWatchEvent", "EventBridgeRule" -> "event type " + type
                    + " is not supported: Gatehouse runs no scheduler or event bus (a local schedule would fire while"
                    + " you work); remove the event, or add an Api or HttpApi event to call the function";
            case "S3",
                    "SQS",
                    "SNS",
                    "DynamoDB",
                    "Kinesis",
                    "MSK",
                    "MQ",
                    "SelfManagedKafka",
                    "DocumentDB" -> "event type "
                    + type + " is not supported: Gatehouse delivers no " + type + " events; remove the event, or add an"
                    + " Api or HttpApi event to call the function";
            default -> "event type " + type + " is not supported (HttpApi, Api, Cognito)";
        };
    }

    /** Why a serverless.yml function's event {@code key} (other than http and httpApi) is refused. */
    static String serverlessEvent(String key) {
        return switch (key) {
            case "schedule", "eventBridge", "cloudwatchEvent" -> "event " + key + " is not supported: Gatehouse runs"
                    + " no scheduler or event bus; remove the event, or add an http or httpApi event to call the"
                    + " function";
            case "s3", "sqs", "sns", "stream", "kafka", "msk", "activemq", "rabbitmq", "alb", "websocket" -> "event "
                    + key + " is not supported: Gatehouse delivers only http, httpApi and cognitoUserPool events";
            default -> "event " + key + " is not supported (httpApi, http, cognitoUserPool)";
        };
    }

    /** Why {@code Layers} is refused. */
    static String layers() {
        return "layers are not supported: package what the layer holds with the function's code (CodeUri)";
    }
}
