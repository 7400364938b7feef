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

  private ExampleFunctions() {
  }

  /** Compiles the example into {@code dir}/classes and jars it into {@code dir}/java-functions.jar. */
  public static Path build(Path dir) throws IOException, URISyntaxException {
    Path classes = dir.resolve("classes");
    Files.createDirectories(classes);
    List<String> args = new ArrayList<>(List.of("--release", "17", "-d", classes.toString(), "-cp",
        Path.of(Context.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString()));
    try (Stream<Path> files = Files.walk(SOURCES)) {
      files.filter(f -> f.toString().endsWith(".java")).forEach(f -> args.add(f.toString()));
    }
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    if (compiler.run(null, null, null, args.toArray(String[]::new)) != 0) {
      throw new IllegalStateException("the example functions do not compile");
    }
    Path jar = dir.resolve("java-functions.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
        Files.copy(file, (OutputStream) out);
        out.closeEntry();
      }
    }
    return dir;
  }
}
