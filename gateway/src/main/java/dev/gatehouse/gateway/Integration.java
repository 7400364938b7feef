package dev.gatehouse.gateway;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.gatehouse.functions.FunctionInvoker;
import java.util.Objects;

/**
 * What a route invokes: a Lambda-style handler in this process ({@link #handler}, payload 2.0, the built-in
 * functions), or a function run by the functions module in a worker process ({@link #function}), with either payload
 * format.
 */
public sealed interface Integration permits Integration.Handler, Integration.Function {

    /** An in-process handler of payload 2.0 events. */
    static Integration handler(RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler) {
        return new Handler(handler);
    }

    /**
     * A function invoked through {@code invoker} by name ({@code AWS_PROXY} integration), with its event in
     * {@code format}.
     */
    static Integration function(FunctionInvoker invoker, String functionName, PayloadFormat format) {
        return new Function(invoker, functionName, format);
    }

    /** An in-process handler. */
    record Handler(RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler) implements Integration {
        public Handler {
            Objects.requireNonNull(handler, "handler cannot be null");
        }
    }

    /** A function of the functions module. */
    record Function(FunctionInvoker invoker, String functionName, PayloadFormat format) implements Integration {
        public Function {
            Objects.requireNonNull(invoker, "invoker cannot be null");
            Objects.requireNonNull(functionName, "functionName cannot be null");
            Objects.requireNonNull(format, "format cannot be null");
        }
    }
}
