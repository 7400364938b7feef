package dev.gatehouse.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a deploy of the stack prints: the names clients are configured with ({@code Region}, {@code AwsEndpoint},
 * {@code ApiEndpoint}, {@code UserPoolId}, {@code IdentityPoolId}, {@code AttachmentsBucket}, ...: see
 * {@code GatehouseServer}); names keep their insertion order in both renderings, the text block and the JSON file.
 */
public final class StackOutputs {

    private static final ObjectMapper JSON =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private final Map<String, String> values;

    private StackOutputs(LinkedHashMap<String, String> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** Outputs in this order. */
    public static StackOutputs of(Map<String, String> ordered) {
        Objects.requireNonNull(ordered, "ordered cannot be null");
        LinkedHashMap<String, String> copy = new LinkedHashMap<>();
        ordered.forEach((name, value) -> copy.put(
                Objects.requireNonNull(name, "name cannot be null"),
                Objects.requireNonNull(value, "value of " + name + " cannot be null")));
        return new StackOutputs(copy);
    }

    /** One output by name, such as {@code UserPoolId}. */
    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** The outputs in their order. */
    public Map<String, String> asMap() {
        return values;
    }

    /** The block printed at start-up: {@code Outputs:} then one {@code Name: value} line per output. */
    public String toText() {
        StringBuilder text = new StringBuilder("\nOutputs:\n");
        values.forEach((name, value) ->
                text.append("  ").append(name).append(": ").append(value).append('\n'));
        return text.append('\n').toString();
    }

    /** One JSON object of the outputs. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(asMap()) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serializes", e);
        }
    }

    /**
     * Writes {@link #toJson()} to {@code file} so that a reader never sees a partial file: a temporary file in the same
     * directory, then a rename over the target.
     */
    public void writeJson(Path file) {
        Path target = file.toAbsolutePath();
        Path dir = Objects.requireNonNull(target.getParent(), "an absolute path has a parent");
        try {
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            try {
                Files.write(temp, toJson().getBytes(StandardCharsets.UTF_8));
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the outputs file " + target, e);
        }
    }

    @Override
    public String toString() {
        return "StackOutputs" + asMap();
    }
}
