package dev.gatehouse.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Reads a template into a {@link Stack}: SAM/CloudFormation (YAML or JSON) or a Serverless Framework
 * {@code serverless.yml}, told apart by content ({@code service} and {@code provider} at the top make it the latter).
 * Every construct Gatehouse does not run is refused with a {@link TemplateException} naming file, line, resource and
 * property.
 *
 * <pre>{@code
 * Stack stack = TemplateReader.read(Path.of("template.yaml"), new TemplateReader.Options("dev", "us-east-1",
 *     "123456789012", "my-app", Map.of("Env", "test"), System.getenv()));
 * }</pre>
 */
public final class TemplateReader {

    /** The stage every stack runs in unless told otherwise. */
    public static final String DEFAULT_STAGE = "dev";

    /**
     * What a template is read with.
     *
     * @param stage {@code --stage}: {@code dev} unless set
     * @param stackName the stack's base name; the stack is {@code <stackName>} in stage {@code dev}, else
     *     {@code <stackName>-<stage>}
     * @param parameterOverrides {@code --parameter-overrides}: each must name a parameter of the template
     * @param environment what {@code ${env:…}} of serverless.yml reads
     */
    public record Options(
            String stage,
            String region,
            String accountId,
            String stackName,
            Map<String, String> parameterOverrides,
            Map<String, String> environment) {

        public Options {
            Objects.requireNonNull(stage, "stage cannot be null");
            Objects.requireNonNull(region, "region cannot be null");
            Objects.requireNonNull(accountId, "accountId cannot be null");
            Objects.requireNonNull(stackName, "stackName cannot be null");
            parameterOverrides = Map.copyOf(parameterOverrides);
            environment = Map.copyOf(environment);
        }

        /** The stack's name in this stage ({@code AWS::StackName}). */
        public String stageStackName() {
            return DEFAULT_STAGE.equals(stage) ? stackName : stackName + "-" + stage;
        }
    }

    private TemplateReader() {}

    /** Reads {@code file}; code paths resolve against its directory. */
    public static Stack read(Path file, Options options) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the template " + file, e);
        }
        Path dir = file.toAbsolutePath().getParent();
        return read(
                file.getFileName().toString(), text, Objects.requireNonNull(dir, "a file has a directory"), options);
    }

    /** Reads a template's text; {@code fileName} is how errors name it. */
    public static Stack read(String fileName, String text, Path baseDir, Options options) {
        Node root = TemplateParser.parse(fileName, text);
        if (!(root instanceof Node.MapNode map)) {
            throw new TemplateException(root.pos(), "a template is a map (Resources, or service and provider)");
        }
        TemplateReader.Options effective = options;
        if (map.entries().containsKey("service") && map.entries().containsKey("provider")) {
            // The Framework names the stack after the service.
            if (map.entries().get("service") instanceof Node.Scalar service
                    && !service.text().contains("${")) {
                effective = new Options(
                        options.stage(),
                        options.region(),
                        options.accountId(),
                        service.text(),
                        options.parameterOverrides(),
                        options.environment());
            }
            root = ServerlessTranslator.translate(map, effective);
        }
        return new CloudFormationReader((Node.MapNode) root, baseDir, effective).read();
    }
}
