package dev.gatehouse.notes;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.gatehouse.store.Condition;
import dev.gatehouse.store.ConditionFailedException;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.ItemStore;
import dev.gatehouse.store.Key;
import dev.gatehouse.store.Page;
import dev.gatehouse.store.Query;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recipe's notes API as Lambda handlers (payload format 2.0), one per route. Design note:
 * <ul>
 *   <li><b>Who:</b> the owner of every note is the caller's Cognito identity id,
 *       {@code requestContext.authorizer.iam.cognitoIdentity.identityId}, and nothing else: a {@code userId} in the
 *       body, path or query is ignored. An event without one answers 403; there is no default user.</li>
 *   <li><b>Layout:</b> table {@value #TABLE}, partition key {@code userId}, sort key {@code noteId}: a caller can only
 *       ever address its own partition, so another user's note reads exactly as a missing one (404) and is never
 *       written. Note ids are UUIDv7 ({@link NoteIds}), so sort-key order is creation order and {@code GET /notes}
 *       is one descending range read.</li>
 *   <li><b>Concurrency:</b> every item carries a {@code version}. Updates and deletes are conditional on the version
 *       they read; on a conflict they re-read and retry, so concurrent PUTs apply one after the other and none is lost
 *       silently, a PUT or DELETE of a note deleted meanwhile answers 404 (never resurrects it), and a client that
 *       sends {@code If-Match} with the note's ETag gets 412 instead of overwriting a newer version.</li>
 *   <li><b>Errors:</b> {@code {"status":false,"error":"…"}} with 400 (bad input), 403, 404, 409, 412 or 413; bad input
 *       never reaches the store. Failures of the store propagate (the gateway answers 500).</li>
 * </ul>
 * Handlers block on the store; run them off any event loop. See {@code docs/notes-api.md} for the wire contract.
 */
public final class NotesApi {

    /** The notes table. */
    public static final String TABLE = "notes";
    /** The response header that carries the next page's cursor of {@code GET /notes}, when there is one. */
    public static final String NEXT_CURSOR_HEADER = "x-next-cursor";

    private static final Logger LOG = LoggerFactory.getLogger(NotesApi.class);
    /** Conflicting writes retried before answering 409; each retry means another writer succeeded. */
    private static final int WRITE_ATTEMPTS = 5;

    private final ItemStore store;
    private final Clock clock;
    private final Attachments attachments;
    private final NoteIds ids;

    /**
     * The API over {@code store}, stamping {@code createdAt} from {@code clock} and deleting attachments of deleted
     * notes through {@code attachments}.
     */
    public NotesApi(ItemStore store, Clock clock, Attachments attachments) {
        this.store = Objects.requireNonNull(store, "store cannot be null");
        this.clock = Objects.requireNonNull(clock, "clock cannot be null");
        this.attachments = Objects.requireNonNull(attachments, "attachments cannot be null");
        this.ids = new NoteIds(clock, new SecureRandom());
    }

    /**
     * {@code POST /notes} {@code {"content":"…","attachment":"…"}}: 200 with the new note, {@code {"userId","noteId",
     * "content","attachment","createdAt"}} ({@code attachment} only when given; {@code createdAt} in epoch ms).
     */
    public RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> create() {
        return (event, context) -> answer(event, this::createNote);
    }

    /** {@code GET /notes/{id}}: 200 with the caller's note, or 404. */
    public RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> get() {
        return (event, context) -> answer(event, this::getNote);
    }

    /** {@code PUT /notes/{id}} {@code {"content":"…","attachment":"…"}}: replaces both; 200 {@code {"status":true}}. */
    public RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> update() {
        return (event, context) -> answer(event, this::updateNote);
    }

    /**
     * {@code DELETE /notes/{id}}: 200 {@code {"status":true}}, then deletes the note's attachment unless another of the
     * caller's notes names the same file. A failure to delete the attachment is logged; the note stays deleted.
     */
    public RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> delete() {
        return (event, context) -> answer(event, this::deleteNote);
    }

    /**
     * {@code GET /notes}: the caller's notes, newest first. Without {@code limit} or {@code cursor} the body is the
     * recipe's JSON array (the first page); with either it is {@code {"notes":[…],"nextCursor":"…"|null}}. Both forms
     * send the next page's cursor in {@value #NEXT_CURSOR_HEADER} when more notes follow.
     */
    public RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> list() {
        return (event, context) -> answer(event, this::listNotes);
    }

    @FunctionalInterface
    private interface Operation {
        APIGatewayV2HTTPResponse apply(String userId, APIGatewayV2HTTPEvent event);
    }

    private static APIGatewayV2HTTPResponse answer(APIGatewayV2HTTPEvent event, Operation operation) {
        try {
            return operation.apply(Requests.identityId(event), event);
        } catch (NotesException refusal) {
            return Responses.error(refusal);
        }
    }

    private APIGatewayV2HTTPResponse createNote(String userId, APIGatewayV2HTTPEvent event) {
        NoteInput input = Requests.noteInput(event);
        for (int attempt = 1; ; attempt++) {
            Note note = new Note(userId, ids.next(), input.content(), input.attachmentName(), clock.millis(), 1);
            try {
                store.put(TABLE, note.toItem(), Condition.notExists());
                return Responses.note(note);
            } catch (ConditionFailedException e) {
                // Only a UUIDv7 collision (62 random bits within one millisecond) gets here.
                if (attempt == WRITE_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private APIGatewayV2HTTPResponse getNote(String userId, APIGatewayV2HTTPEvent event) {
        return Responses.note(find(userId, Requests.noteId(event)).orElseThrow(NotesException::notFound));
    }

    private APIGatewayV2HTTPResponse updateNote(String userId, APIGatewayV2HTTPEvent event) {
        String noteId = Requests.noteId(event);
        NoteInput input = Requests.noteInput(event);
        Optional<String> ifMatch = Requests.ifMatch(event);
        for (int attempt = 1; ; attempt++) {
            Note current = find(userId, noteId).orElseThrow(NotesException::notFound);
            requireMatch(ifMatch, current);
            Note next = current.replacedBy(input);
            try {
                store.put(
                        TABLE,
                        next.toItem(),
                        Condition.attributeEquals(Note.VERSION, Long.toString(current.version())));
                return Responses.ok(Map.of("etag", next.etag()));
            } catch (ConditionFailedException e) {
                if (attempt == WRITE_ATTEMPTS) {
                    throw NotesException.conflict();
                }
            }
        }
    }

    private APIGatewayV2HTTPResponse deleteNote(String userId, APIGatewayV2HTTPEvent event) {
        String noteId = Requests.noteId(event);
        Optional<String> ifMatch = Requests.ifMatch(event);
        for (int attempt = 1; ; attempt++) {
            Note current = find(userId, noteId).orElseThrow(NotesException::notFound);
            requireMatch(ifMatch, current);
            try {
                // Conditional on the version read, so the attachment deleted below is the one of the note deleted.
                store.delete(
                        TABLE,
                        current.key(),
                        Condition.attributeEquals(Note.VERSION, Long.toString(current.version())));
            } catch (ConditionFailedException e) {
                if (attempt == WRITE_ATTEMPTS) {
                    throw NotesException.conflict();
                }
                continue;
            }
            current.attachment().ifPresent(attachment -> deleteAttachment(userId, noteId, attachment));
            return Responses.ok(Map.of());
        }
    }

    private APIGatewayV2HTTPResponse listNotes(String userId, APIGatewayV2HTTPEvent event) {
        Map<String, String> query = Requests.query(event);
        boolean paged = query.containsKey("limit") || query.containsKey("cursor");
        int limit = Requests.limit(query);
        Optional<String> cursor = Requests.cursor(query);
        Query range = Query.partition(userId).withLimit(limit).descending().after(cursor.orElse(null));
        Page page;
        try {
            page = store.query(TABLE, range);
        } catch (IllegalArgumentException e) {
            // The store's answer to a malformed cursor or one issued for another partition (another user's).
            throw Requests.invalidCursor();
        }
        List<Map<String, Object>> notes = new ArrayList<>();
        for (Item item : page.items()) {
            notes.add(Note.fromItem(item).toJson());
        }
        Map<String, String> headers =
                page.cursor().map(c -> Map.of(NEXT_CURSOR_HEADER, c)).orElse(Map.of());
        if (!paged) {
            return Responses.json(200, notes, headers);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("notes", notes);
        body.put("nextCursor", page.cursor().orElse(null));
        return Responses.json(200, body, headers);
    }

    private Optional<Note> find(String userId, String noteId) {
        return store.get(TABLE, Key.of(userId, noteId)).map(Note::fromItem);
    }

    private static void requireMatch(Optional<String> ifMatch, Note current) {
        if (ifMatch.isPresent() && !Requests.matches(ifMatch.get(), current.etag())) {
            throw NotesException.preconditionFailed();
        }
    }

    /**
     * Deletes the attachment of a deleted note unless another of the caller's notes still names it (the recipe's
     * command creates {@code hello.jpg} notes over and over). Never throws: the note is already gone.
     */
    private void deleteAttachment(String userId, String noteId, String attachment) {
        try {
            if (stillReferenced(userId, attachment)) {
                LOG.debug("kept attachment of deleted note {}: another note of {} names it", noteId, userId);
                return;
            }
            attachments.delete(userId, attachment);
        } catch (RuntimeException e) {
            LOG.warn("note {} of {} was deleted but its attachment was not: {}", noteId, userId, e.toString());
        }
    }

    private boolean stillReferenced(String userId, String attachment) {
        Query query = Query.partition(userId).withLimit(Query.MAX_LIMIT);
        while (true) {
            Page page = store.query(TABLE, query);
            for (Item item : page.items()) {
                if (item.attribute(Note.ATTACHMENT).filter(attachment::equals).isPresent()) {
                    return true;
                }
            }
            Optional<String> next = page.cursor();
            if (next.isEmpty()) {
                return false;
            }
            query = query.after(next.get());
        }
    }
}
