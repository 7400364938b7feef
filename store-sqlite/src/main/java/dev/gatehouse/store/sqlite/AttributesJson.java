package dev.gatehouse.store.sqlite;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/** Item attributes as the JSON object text the {@code attributes} column holds: {@code {"name":"value",…}}. */
final class AttributesJson {

    private static final JsonFactory JSON = new JsonFactory();

    private AttributesJson() {}

    static String write(Map<String, String> attributes) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = JSON.createGenerator(out)) {
            generator.writeStartObject();
            for (Map.Entry<String, String> e : attributes.entrySet()) {
                generator.writeStringField(e.getKey(), e.getValue());
            }
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * The attributes in {@code json}.
     *
     * @throws IllegalArgumentException if it is not a JSON object of strings
     */
    static Map<String, String> read(String json) {
        Map<String, String> attributes = new HashMap<>();
        try (JsonParser parser = JSON.createParser(json)) {
            expect(parser.nextToken(), JsonToken.START_OBJECT);
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
                expect(token, JsonToken.FIELD_NAME);
                String name = parser.currentName();
                expect(parser.nextToken(), JsonToken.VALUE_STRING);
                attributes.put(name, parser.getText());
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("attributes are not valid JSON", e);
        }
        return attributes;
    }

    private static void expect(JsonToken actual, JsonToken expected) {
        if (actual != expected) {
            throw new IllegalArgumentException("attributes JSON: expected " + expected + " but found " + actual);
        }
    }
}
