package dev.gatehouse.server;

import java.util.concurrent.CompletionStage;

/**
 * Asked by the endpoints before a request reaches the stack: whether the stack that serves is the one its template
 * describes now, and if not, a way to wait until it is (see {@link StackReloader}).
 */
interface StackGate {

    /** Whether the stack is current; cheap enough for every request. */
    boolean current();

    /** Completes once the template as it is now has been applied, or tried (a failed apply keeps the last good stack). */
    CompletionStage<Void> refresh();
}
