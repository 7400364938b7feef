package dev.gatehouse.functions;

import com.amazonaws.services.lambda.runtime.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Builds examples/java-functions as its own Maven build would: compiled classes, and a jar of them. */
public final class ExampleFunctions {

    public static final Path SOURCES = Path.of("..", "examples", "java-functions", "src", "main", "java");

    private ExampleFunctions() {}

    /** Compiles the example into {@code dir}/classes and jars it into {@code dir}/java-functions.jar. */
    public static Path build(Path dir) throws IOException, URISyntaxException {
        Path classes = dir.resolve("classes");
        compile(SOURCES, List.of(lambdaCore()), classes);
        jar(classes, List.of(), dir.resolve("java-functions.jar"));
        return dir;
    }

    /** The jar of {@code aws-lambda-java-core}, which the Lambda runtime provides to every Java function. */
    public static Path lambdaCore() throws URISyntaxException {
        return Path.of(Context.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
    }

    /** Compiles every {@code .java} file under {@code sources} for Java 17 against {@code classpath}. */
    public static void compile(Path sources, List<Path> classpath, Path classes) throws IOException {
        Files.createDirectories(classes);
        List<String> args = new ArrayList<>(List.of(
                "--release",
                "17",
                "-d",
                classes.toString(),
                "-cp",
                String.join(
                        java.io.File.pathSeparator,
                        classpath.stream().map(Path::toString).toList())));
        try (Stream<Path> files = Files.walk(sources)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> args.add(f.toString()));
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler.run(null, null, null, args.toArray(String[]::new)) != 0) {
            throw new IllegalStateException("the example functions under " + sources + " do not compile");
        }
    }

    /** Jars {@code classes} at the root and {@code libraries} under {@code lib/}, Lambda's deployment layout. */
    public static void jar(Path classes, List<Path> libraries, Path jar) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                add(out, classes.relativize(file).toString().replace('\\', '/'), file);
            }
            for (Path library : libraries) {
                add(out, "lib/" + library.getFileName(), library);
            }
        }
    }

    private static void add(JarOutputStream out, String name, Path file) throws IOException {
        out.putNextEntry(new JarEntry(name));
        Files.copy(file, (OutputStream) out);
        out.closeEntry();
    }
}
