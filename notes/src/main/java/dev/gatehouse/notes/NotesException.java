package dev.gatehouse.notes;

/**
 * A request the notes API refuses, with its HTTP status and the text of the error body
 * ({@code {"status":false,"error":"…"}}). Messages never hold note content.
 */
final class NotesException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The one answer for a note that does not exist, belongs to someone else, or has an invalid id. */
    static final String NOT_FOUND = "Note not found.";

    private final int status;

    NotesException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }

    static NotesException badRequest(String message) {
        return new NotesException(400, message);
    }

    static NotesException forbidden() {
        return new NotesException(403, "The request has no Cognito identity; sign it with identity-pool credentials.");
    }

    static NotesException notFound() {
        return new NotesException(404, NOT_FOUND);
    }

    static NotesException conflict() {
        return new NotesException(409, "The note kept changing while it was being written; retry.");
    }

    static NotesException preconditionFailed() {
        return new NotesException(412, "The note has changed since the version named in If-Match.");
    }

    static NotesException tooLarge(int maxBytes) {
        return new NotesException(413, "The request body is larger than " + maxBytes + " bytes.");
    }
}
