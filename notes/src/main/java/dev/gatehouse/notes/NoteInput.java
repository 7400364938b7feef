package dev.gatehouse.notes;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The validated body of {@code POST /notes} and {@code PUT /notes/{id}}.
 *
 * @param content the note's text, non-empty
 * @param attachmentName a plain file name under the caller's private prefix, or null for none
 */
record NoteInput(String content, @Nullable String attachmentName) {

    Optional<String> attachment() {
        return Optional.ofNullable(attachmentName);
    }
}
