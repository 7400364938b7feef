package dev.gatehouse.server.it;

import com.amazonaws.services.lambda.runtime.Context;
import java.io.File;
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

/**
 * Builds examples/java-sdk-functions as a Lambda deployment package: its classes at the root and the AWS SDK for Java
 * v2 in {@code lib/} (Lambda's layout; the example's own Maven build shades them in instead), taken from this test's
 * class path, with the URL-connection HTTP client only (the handlers name it).
 */
final class SdkExampleFunctions {

  private static final Path SOURCES = Path.of("..", "examples", "java-sdk-functions", "src", "main", "java");

  private SdkExampleFunctions() {
  }

  /** Compiles the example into {@code dir}/classes and packs it into {@code dir}/java-sdk-functions.jar. */
  static Path build(Path dir) throws IOException, URISyntaxException {
    Path classes = Files.createDirectories(dir.resolve("classes"));
    List<Path> sdk = sdkJars();
    List<String> classpath = new ArrayList<>();
    classpath.add(Path.of(Context.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
    sdk.forEach(jar -> classpath.add(jar.toString()));
    List<String> args = new ArrayList<>(List.of("--release", "17", "-d", classes.toString(), "-cp",
        String.join(File.pathSeparator, classpath)));
    try (Stream<Path> files = Files.walk(SOURCES)) {
      files.filter(f -> f.toString().endsWith(".java")).forEach(f -> args.add(f.toString()));
    }
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    if (compiler.run(null, null, null, args.toArray(String[]::new)) != 0) {
      throw new IllegalStateException("the SDK example functions do not compile");
    }
    Path jar = dir.resolve("java-sdk-functions.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        add(out, classes.relativize(file).toString().replace('\\', '/'), file);
      }
      for (Path library : sdk) {
        add(out, "lib/" + library.getFileName(), library);
      }
    }
    return jar;
  }

  private static void add(JarOutputStream out, String name, Path file) throws IOException {
    out.putNextEntry(new JarEntry(name));
    Files.copy(file, (OutputStream) out);
    out.closeEntry();
  }

  /** The SDK's jars on this class path and what they need, without the HTTP clients the example does not use. */
  private static List<Path> sdkJars() {
    List<Path> jars = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String path = entry.replace('\\', '/');
      boolean sdk = path.contains("/software/amazon/awssdk/") || path.contains("/org/reactivestreams/")
          || path.contains("/org/slf4j/slf4j-api/") || path.contains("/software/amazon/eventstream/");
      boolean otherClient = path.contains("/apache-client/") || path.contains("/apache5-client/")
          || path.contains("/netty-nio-client/") || path.contains("/aws-crt-client/");
      if (sdk && !otherClient && path.endsWith(".jar")) {
        jars.add(Path.of(entry));
      }
    }
    return jars;
  }
}
