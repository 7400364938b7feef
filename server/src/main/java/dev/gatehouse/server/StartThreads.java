package dev.gatehouse.server;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Parts of a start that need nothing from each other, run on threads of their own so that a start uses the machine's
 * other cores (start-up to ready, issue 19). Each part is one daemon thread that ends with its part.
 */
final class StartThreads {

    private StartThreads() {}

    /** {@code part} on a new daemon thread named {@code name}; its result, or its failure, in the future. */
    static <T> CompletableFuture<T> begin(String name, Supplier<T> part) {
        CompletableFuture<T> result = new CompletableFuture<>();
        daemon(name, () -> {
            try {
                result.complete(part.get());
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** {@code work} on a new daemon thread named {@code name}, nobody waiting for it. */
    static void daemon(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** The part's result, or its own exception (not wrapped) when it failed. */
    static <T> T join(CompletableFuture<T> part) {
        try {
            return part.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** Waits for the part to end, whichever way: a start that fails must not release what the part is still taking. */
    static void settle(CompletableFuture<?> part) {
        part.handle((result, failure) -> null).join();
    }
}
