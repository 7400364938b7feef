package dev.gatehouse.server.it;

import dev.gatehouse.functions.ExampleFunctions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Lays out an example of {@code examples/} whose functions are Node.js files and a Java build, as a user has it: the
 * given files copied, and {@code java/target/<jarName>} built from {@code java/src/main/java} (with {@code libraries}
 * on the class path and in the jar's {@code lib/}).
 */
final class TriggerExamples {

    private TriggerExamples() {}

    /** Returns the folder holding {@code <example>/}, under {@code target/it/<example>-src}. */
    static Path prepare(String example, List<String> files, List<Path> libraries, String jarName) {
        try {
            Path root = Path.of("target", "it", example + "-src").toAbsolutePath();
            Path source = Path.of("..", "examples", example);
            Path app = Files.createDirectories(root.resolve(example));
            for (String file : files) {
                Files.createDirectories(app.resolve(file).getParent());
                Files.copy(source.resolve(file), app.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
            Path target = Files.createDirectories(app.resolve("java").resolve("target"));
            Path classes = target.resolve("classes");
            List<Path> classpath = new ArrayList<>(libraries);
            classpath.add(ExampleFunctions.lambdaCore());
            ExampleFunctions.compile(
                    source.resolve("java").resolve("src").resolve("main").resolve("java"), classpath, classes);
            ExampleFunctions.jar(classes, libraries, target.resolve(jarName));
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
