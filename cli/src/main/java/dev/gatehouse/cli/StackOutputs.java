package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The outputs file the server writes with {@code --outputs-file}: one JSON object of strings ({@code Region},
 * {@code AwsEndpoint}, {@code ApiEndpoint}, {@code UserPoolId}, {@code UserPoolClientId}, {@code IdentityPoolId},
 * {@code AdminCredentialsFile}, later {@code AttachmentsBucket}). Values that are not strings are ignored.
 */
record StackOutputs(Path file, Map<String, String> values) {

    static final String REGION = "Region";
    static final String AWS_ENDPOINT = "AwsEndpoint";
    static final String API_ENDPOINT = "ApiEndpoint";
    static final String USER_POOL_ID = "UserPoolId";
    static final String USER_POOL_CLIENT_ID = "UserPoolClientId";
    static final String IDENTITY_POOL_ID = "IdentityPoolId";
    static final String ADMIN_CREDENTIALS_FILE = "AdminCredentialsFile";

    private static final ObjectMapper JSON = new ObjectMapper();

    StackOutputs {
        Objects.requireNonNull(file, "file cannot be null");
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** No outputs: every value must come from options. */
    static StackOutputs none() {
        return new StackOutputs(Path.of(""), Map.of());
    }

    /**
     * Reads {@code file}.
     *
     * @throws CliException ({@link ExitCodes#USAGE}) if it is missing, unreadable or not a JSON object
     */
    static StackOutputs read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new CliException(
                    ExitCodes.USAGE,
                    "The outputs file " + file + " does not exist. Start the stack with"
                            + " `java -jar server/target/gatehouse.jar --outputs-file " + file
                            + "` (it writes the file once it serves).");
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "Cannot read the outputs file " + file + ": " + e.getMessage(), e);
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (IOException e) {
            String why = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            throw new CliException(ExitCodes.USAGE, "The outputs file " + file + " is not JSON: " + why, e);
        }
        if (root == null || !root.isObject()) {
            throw new CliException(
                    ExitCodes.USAGE, "The outputs file " + file + " is not a JSON object of stack outputs.");
        }
        Map<String, String> values = new LinkedHashMap<>();
        root.fields().forEachRemaining(field -> {
            if (field.getValue().isTextual()) {
                values.put(field.getKey(), field.getValue().asText());
            }
        });
        return new StackOutputs(file, values);
    }

    /** One output by name. */
    Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** {@code AdminCredentialsFile}, relative to the outputs file's directory if it is a relative path. */
    Optional<Path> adminCredentialsFile() {
        return get(ADMIN_CREDENTIALS_FILE).map(Path::of).map(path -> {
            Path dir = file.toAbsolutePath().getParent();
            return path.isAbsolute() || dir == null ? path : dir.resolve(path);
        });
    }

    /** The outputs as the server prints them: {@code Name: value} lines. */
    String toText() {
        StringBuilder text = new StringBuilder();
        values.forEach(
                (name, value) -> text.append(name).append(": ").append(value).append('\n'));
        return text.toString();
    }
}
