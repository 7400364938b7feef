package dev.gatehouse.notes;

import dev.gatehouse.store.Item;
import dev.gatehouse.store.Key;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A stored note: item {@code (userId, noteId)} of table {@link NotesApi#TABLE}, the recipe's DynamoDB table layout.
 * {@code version} counts writes, for conditional updates and ETags; it is not part of the JSON a client sees.
 */
record Note(
        String userId, String noteId, String content, @Nullable String attachmentName, long createdAt, long version) {

    static final String USER_ID = "userId";
    static final String NOTE_ID = "noteId";
    static final String CONTENT = "content";
    static final String ATTACHMENT = "attachment";
    static final String CREATED_AT = "createdAt";
    static final String VERSION = "version";

    Optional<String> attachment() {
        return Optional.ofNullable(attachmentName);
    }

    Key key() {
        return Key.of(userId, noteId);
    }

    /** This note with the input's content and attachment (a PUT replaces both), one version later. */
    Note replacedBy(NoteInput input) {
        return new Note(userId, noteId, input.content(), input.attachmentName(), createdAt, version + 1);
    }

    /** The strong entity tag of this version. */
    String etag() {
        return "\"" + version + "\"";
    }

    Item toItem() {
        Map<String, String> attributes = new HashMap<>();
        attributes.put(USER_ID, userId);
        attributes.put(NOTE_ID, noteId);
        attributes.put(CONTENT, content);
        attachment().ifPresent(a -> attributes.put(ATTACHMENT, a));
        attributes.put(CREATED_AT, Long.toString(createdAt));
        attributes.put(VERSION, Long.toString(version));
        return Item.of(key(), attributes);
    }

    /** The note an item of the notes table holds; a malformed item is a bug, so it throws {@link IllegalStateException}. */
    static Note fromItem(Item item) {
        try {
            return new Note(
                    item.key().partition(),
                    item.key().sort(),
                    required(item, CONTENT),
                    item.attribute(ATTACHMENT).orElse(null),
                    Long.parseLong(required(item, CREATED_AT)),
                    Long.parseLong(required(item, VERSION)));
        } catch (NumberFormatException e) {
            throw new IllegalStateException("a stored note has a malformed number", e);
        }
    }

    /** The recipe's JSON for a note: {@code userId, noteId, content, attachment} (when there is one), {@code createdAt}. */
    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put(USER_ID, userId);
        json.put(NOTE_ID, noteId);
        json.put(CONTENT, content);
        attachment().ifPresent(a -> json.put(ATTACHMENT, a));
        json.put(CREATED_AT, createdAt);
        return json;
    }

    private static String required(Item item, String name) {
        return item.attribute(name).orElseThrow(() -> new IllegalStateException("a stored note has no " + name));
    }
}
