package dev.gatehouse.functions;

import java.io.InputStream;
import java.util.concurrent.CompletableFuture;

/** A started worker process, as the pool needs it; {@link Launcher} starts one. */
interface WorkerProcess {

    /** The process id, for logs. */
    long pid();

    /** The merged stdout and stderr of the process. */
    InputStream output();

    /** Completes with the exit status once the process has ended, however it ended. */
    CompletableFuture<Integer> exit();

    /** Ends the process and its descendants: politely, then by force after a grace. Idempotent. */
    void destroy();

    /** Starts a worker process. */
    @FunctionalInterface
    interface Launcher {
        /**
         * Starts the worker of {@code function} with exactly {@code environment}, in {@code taskRoot}.
         *
         * @throws java.io.IOException when the process cannot be started
         */
        WorkerProcess launch(
                FunctionSpec function, java.util.Map<String, String> environment, java.nio.file.Path taskRoot)
                throws java.io.IOException;
    }
}
