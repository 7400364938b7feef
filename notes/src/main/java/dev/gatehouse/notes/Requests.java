package dev.gatehouse.notes;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads what the handlers need from an API Gateway event (payload 2.0) and validates it. Every refusal is a
 * {@link NotesException} with a clear message; nothing here reads the store.
 */
final class Requests {

    /** The largest request body read at all; larger ones are refused with 413 before parsing. */
    static final int MAX_BODY_BYTES = 1024 * 1024;
    /** The largest note content, in UTF-8 bytes. */
    static final int MAX_CONTENT_BYTES = 64 * 1024;
    /** The longest attachment name, in UTF-8 bytes (a common file-system limit for one name). */
    static final int MAX_ATTACHMENT_BYTES = 255;
    /** Page sizes of {@code GET /notes}. */
    static final int DEFAULT_LIMIT = 100;

    static final int MAX_LIMIT = 100;
    /** Longer than any cursor the store issues for a note id. */
    static final int MAX_CURSOR_CHARS = 2048;

    /** The partition key limit of the store, which an identity id must respect. */
    private static final int MAX_IDENTITY_BYTES = 1024;

    private static final Pattern NOTE_ID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern LIMIT = Pattern.compile("[0-9]{1,4}");

    private static final ObjectMapper JSON = JsonMapper.builder()
            // {"content":"a","content":"b"} is ambiguous: refuse it rather than pick one.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Requests() {}

    /**
     * The caller's Cognito identity id, from {@code requestContext.authorizer.iam.cognitoIdentity.identityId} only.
     *
     * @throws NotesException 403 when the event has none (an unsigned route, a JWT route, a plain IAM user)
     */
    static String identityId(APIGatewayV2HTTPEvent event) {
        return Optional.ofNullable(event.getRequestContext())
                .map(APIGatewayV2HTTPEvent.RequestContext::getAuthorizer)
                .map(APIGatewayV2HTTPEvent.RequestContext.Authorizer::getIam)
                .map(APIGatewayV2HTTPEvent.RequestContext.IAM::getCognitoIdentity)
                .map(APIGatewayV2HTTPEvent.RequestContext.CognitoIdentity::getIdentityId)
                .filter(id -> !id.isBlank() && isWellFormed(id) && utf8Length(id) <= MAX_IDENTITY_BYTES)
                .orElseThrow(NotesException::forbidden);
    }

    /**
     * The note id of the path, {@code pathParameters.id}: a UUID in canonical lower-case form.
     *
     * @throws NotesException 404 for anything else, exactly as for a note that does not exist
     */
    static String noteId(APIGatewayV2HTTPEvent event) {
        Map<String, String> path = event.getPathParameters();
        String id = path == null ? null : path.get("id");
        if (id == null || !NOTE_ID.matcher(id).matches()) {
            throw NotesException.notFound();
        }
        return id;
    }

    /**
     * The body of a create or update: a JSON object with a {@code content} string and an optional {@code attachment}
     * string (null or absent for none). Other members, including {@code userId} and {@code noteId}, are ignored.
     *
     * @throws NotesException 400 for a malformed or invalid body, 413 for one over {@link #MAX_BODY_BYTES}
     */
    static NoteInput noteInput(APIGatewayV2HTTPEvent event) {
        JsonNode body = jsonObject(bodyText(event));
        JsonNode content = body.get("content");
        if (content == null || content.isNull()) {
            throw NotesException.badRequest("\"content\" is required.");
        }
        if (!content.isTextual()) {
            throw NotesException.badRequest("\"content\" must be a string.");
        }
        String text = content.textValue();
        if (text.isEmpty()) {
            throw NotesException.badRequest("\"content\" must not be empty.");
        }
        if (!isWellFormed(text)) {
            throw NotesException.badRequest("\"content\" must be valid Unicode (it has an unpaired surrogate).");
        }
        if (utf8Length(text) > MAX_CONTENT_BYTES) {
            throw NotesException.badRequest("\"content\" must be at most " + MAX_CONTENT_BYTES + " bytes (UTF-8).");
        }
        JsonNode attachment = body.get("attachment");
        if (attachment == null || attachment.isNull()) {
            return new NoteInput(text, null);
        }
        if (!attachment.isTextual()) {
            throw NotesException.badRequest("\"attachment\" must be a string or null.");
        }
        return new NoteInput(text, attachmentName(attachment.textValue()));
    }

    /**
     * An attachment name: one file name under the caller's private prefix, so it can never name another object.
     * 1 to {@link #MAX_ATTACHMENT_BYTES} UTF-8 bytes, not {@code .} or {@code ..}, no {@code /} or {@code \}, no control
     * characters, valid Unicode.
     */
    static String attachmentName(String name) {
        if (name.isEmpty()) {
            throw NotesException.badRequest("\"attachment\" must not be empty; send null or leave it out for none.");
        }
        if (!isWellFormed(name)) {
            throw NotesException.badRequest("\"attachment\" must be valid Unicode (it has an unpaired surrogate).");
        }
        if (utf8Length(name) > MAX_ATTACHMENT_BYTES) {
            throw NotesException.badRequest(
                    "\"attachment\" must be at most " + MAX_ATTACHMENT_BYTES + " bytes (UTF-8).");
        }
        if (name.equals(".")
                || name.equals("..")
                || name.indexOf('/') >= 0
                || name.indexOf('\\') >= 0
                || name.codePoints().anyMatch(Character::isISOControl)) {
            throw NotesException.badRequest("\"attachment\" must be a plain file name: not \".\" or \"..\", "
                    + "without \"/\", \"\\\" or control characters.");
        }
        return name;
    }

    /** The query parameters, or none. */
    static Map<String, String> query(APIGatewayV2HTTPEvent event) {
        Map<String, String> query = event.getQueryStringParameters();
        return query == null ? Map.of() : query;
    }

    /**
     * The {@code limit} query parameter: 1 to {@link #MAX_LIMIT}; {@link #DEFAULT_LIMIT} when absent or empty.
     *
     * @throws NotesException 400 otherwise
     */
    static int limit(Map<String, String> query) {
        String limit = query.get("limit");
        if (limit == null || limit.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        if (LIMIT.matcher(limit).matches()) {
            int value = Integer.parseInt(limit);
            if (value >= 1 && value <= MAX_LIMIT) {
                return value;
            }
        }
        throw NotesException.badRequest("\"limit\" must be an integer from 1 to " + MAX_LIMIT + ".");
    }

    /** The {@code cursor} query parameter; empty when absent or empty (the first page). Checked by the caller. */
    static Optional<String> cursor(Map<String, String> query) {
        String cursor = query.get("cursor");
        if (cursor == null || cursor.isEmpty()) {
            return Optional.empty();
        }
        if (cursor.length() > MAX_CURSOR_CHARS) {
            throw invalidCursor();
        }
        return Optional.of(cursor);
    }

    static NotesException invalidCursor() {
        return NotesException.badRequest("\"cursor\" is not a cursor this API issued for you; "
                + "pass the value of a previous response's nextCursor.");
    }

    /** The {@code If-Match} header (names are lower-case in payload 2.0; any case is accepted). */
    static Optional<String> ifMatch(APIGatewayV2HTTPEvent event) {
        Map<String, String> headers = event.getHeaders();
        if (headers == null) {
            return Optional.empty();
        }
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (header.getKey().equalsIgnoreCase("if-match") && header.getValue() != null) {
                return Optional.of(header.getValue());
            }
        }
        return Optional.empty();
    }

    /** Whether an {@code If-Match} value names {@code etag} or is {@code *} (strong comparison, RFC 9110 §13.1.1). */
    static boolean matches(String ifMatch, String etag) {
        for (String tag : ifMatch.split(",", -1)) {
            String trimmed = tag.trim();
            if (trimmed.equals("*") || trimmed.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static String bodyText(APIGatewayV2HTTPEvent event) {
        String body = event.getBody();
        if (body == null || body.isEmpty()) {
            throw NotesException.badRequest("The request body must be a JSON object with a \"content\" string.");
        }
        if (!event.getIsBase64Encoded()) {
            if (utf8Length(body) > MAX_BODY_BYTES) {
                throw NotesException.tooLarge(MAX_BODY_BYTES);
            }
            return body;
        }
        // A binary content type makes the gateway base64 the body; a JSON body sent that way is still a JSON body.
        if (body.length() > (MAX_BODY_BYTES / 3 + 1) * 4) {
            throw NotesException.tooLarge(MAX_BODY_BYTES);
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(body);
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw NotesException.badRequest("The request body is not UTF-8 JSON.");
        }
    }

    private static JsonNode jsonObject(String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            throw NotesException.badRequest("The request body is not valid JSON" + where + ".");
        }
        if (node == null || !node.isObject()) {
            throw NotesException.badRequest("The request body must be a JSON object with a \"content\" string.");
        }
        return node;
    }

    /** Whether the string has no unpaired surrogate, so it has a UTF-8 form. */
    static boolean isWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** The UTF-8 length of a well-formed string (an unpaired surrogate counts as the 3 bytes of its replacement). */
    static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
