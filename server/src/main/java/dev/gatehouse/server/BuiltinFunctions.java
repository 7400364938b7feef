package dev.gatehouse.server;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.gatehouse.gateway.Invocation;
import dev.gatehouse.gateway.RouteOption;
import dev.gatehouse.notes.NotesApi;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The handlers that ship inside Gatehouse, for functions with {@code Runtime: builtin} (the recipe's stack), by
 * {@code Handler}. They run in-process: the hello handlers only format a string from their event, so they run where
 * the request was authorized ({@link Invocation#NON_BLOCKING}); the notes handlers use the store and run on their
 * routes' bounded pools.
 */
final class BuiltinFunctions {

    /** A handler and the route options it needs. */
    record Builtin(
            RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler, List<RouteOption> options) {}

    private final Map<String, Builtin> handlers;

    BuiltinFunctions(NotesApi notes) {
        List<RouteOption> nonBlocking = List.of(Invocation.NON_BLOCKING);
        this.handlers = Map.of(
                "hello.public", new Builtin(new HelloHandlers.PublicHello(), nonBlocking),
                "hello.private", new Builtin(new HelloHandlers.PrivateHello(), nonBlocking),
                "hello.world", new Builtin(new HelloHandlers.HelloWorld(), nonBlocking),
                "hello.worldSecured", new Builtin(new HelloHandlers.HelloWorldSecured(), nonBlocking),
                "notes.create", new Builtin(notes.create(), List.of()),
                "notes.list", new Builtin(notes.list(), List.of()),
                "notes.get", new Builtin(notes.get(), List.of()),
                "notes.update", new Builtin(notes.update(), List.of()),
                "notes.delete", new Builtin(notes.delete(), List.of()));
    }

    Optional<Builtin> find(String handler) {
        return Optional.ofNullable(handlers.get(handler));
    }

    /** The handler names, for error messages. */
    String names() {
        return new TreeSet<>(handlers.keySet()).toString();
    }
}
