package dev.gatehouse.server;

/**
 * A stack that reads but cannot be applied as written (a missing handler class, an issuer that is no pool of this
 * Gatehouse, a runtime not served yet): the message names the template, the resource and the property. Reported at
 * start as one line, like a {@link dev.gatehouse.stack.TemplateException}.
 */
final class StackException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    StackException(String message) {
        super(message);
    }

    StackException(String message, Throwable cause) {
        super(message, cause);
    }
}
