package dev.gatehouse.server;

import dev.gatehouse.stack.Stack;
import dev.gatehouse.stack.TemplateReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which app the server runs: {@code --template FILE} (else the built-in recipe template shipped in the jar),
 * {@code --parameter-overrides} and {@code --stage}.
 *
 * @param template the user's template, or empty for the built-in one
 * @param stage namespaces the whole app: its pools, ids, data and outputs
 * @param watch whether a changed template is applied again while running ({@code --no-watch} turns it off)
 */
public record StackConfig(
        Optional<Path> template, Map<String, String> parameterOverrides, String stage, boolean watch) {

    /** The built-in template's resource name, next to this class. */
    static final String BUILT_IN = "recipe-template.yaml";
    /** The built-in stack's name ({@code AWS::StackName} in stage dev). */
    static final String BUILT_IN_NAME = "gatehouse";
    /** Stage names: a letter, then letters, digits and hyphens; at most 64 (usable in names and table prefixes). */
    private static final Pattern STAGE = Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,63}");

    public StackConfig {
        Objects.requireNonNull(template, "template cannot be null");
        parameterOverrides = Map.copyOf(parameterOverrides);
        Objects.requireNonNull(stage, "stage cannot be null");
        if (!STAGE.matcher(stage).matches()) {
            throw new IllegalArgumentException(
                    "stage must be a letter then letters, digits or hyphens (at most 64), not " + stage);
        }
    }

    /** A template watched for changes. */
    public StackConfig(Optional<Path> template, Map<String, String> parameterOverrides, String stage) {
        this(template, parameterOverrides, stage, true);
    }

    /** The built-in stack in stage {@code dev}. */
    public static StackConfig builtIn() {
        return new StackConfig(Optional.empty(), Map.of(), TemplateReader.DEFAULT_STAGE);
    }

    /** How errors name the template: its file name. */
    String fileName() {
        return template.map(Path::getFileName).map(Path::toString).orElse(BUILT_IN);
    }

    /** The template's text as it is now (for messages that point at its lines); empty when it cannot be read. */
    String text() {
        if (template.isEmpty()) {
            return builtInText();
        }
        try {
            return java.nio.file.Files.readString(template.get(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Whether this runs the recipe stack shipped in the jar. */
    boolean isBuiltIn() {
        return template.isEmpty();
    }

    /** Reads the template; throws {@link dev.gatehouse.stack.TemplateException} naming file, line, resource, property. */
    Stack read(String region, String accountId, Map<String, String> environment) {
        if (template.isPresent()) {
            Path file = template.get();
            Path dir = Objects.requireNonNull(file.toAbsolutePath().getParent(), "a file has a directory");
            String name = Optional.ofNullable(dir.getFileName())
                    .map(Path::toString)
                    .map(n -> n.replaceAll("[^A-Za-z0-9-]", "-"))
                    .orElse("app");
            return TemplateReader.read(
                    file, new TemplateReader.Options(stage, region, accountId, name, parameterOverrides, environment));
        }
        return TemplateReader.read(
                BUILT_IN,
                builtInText(),
                Path.of("").toAbsolutePath(),
                new TemplateReader.Options(stage, region, accountId, BUILT_IN_NAME, parameterOverrides, environment));
    }

    private static String builtInText() {
        try (InputStream in = Objects.requireNonNull(
                StackConfig.class.getResourceAsStream(BUILT_IN), "the built-in template is missing from the jar")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the built-in template", e);
        }
    }
}
