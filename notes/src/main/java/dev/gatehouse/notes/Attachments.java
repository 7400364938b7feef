package dev.gatehouse.notes;

/**
 * Deletes a note's attachment object; implemented outside this module (the local object store, or S3 on AWS).
 *
 * <p>The object is {@code private/<identityId>/<attachment>} in the stack's attachments bucket: the caller's private
 * prefix, which the auth role may write to. {@link NotesApi} calls this after the note itself is deleted, with an
 * attachment name it has validated as a plain file name (no {@code /}, {@code \}, {@code .}, {@code ..} or control
 * characters), and logs a failure instead of failing the request.
 */
@FunctionalInterface
public interface Attachments {

    /**
     * Deletes the object {@code private/<identityId>/<attachment>}; deleting an absent object is not an error.
     * Blocking; may throw any {@link RuntimeException} on failure.
     */
    void delete(String identityId, String attachment);
}
