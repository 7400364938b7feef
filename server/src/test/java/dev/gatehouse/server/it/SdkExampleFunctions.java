package dev.gatehouse.server.it;

import dev.gatehouse.functions.ExampleFunctions;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds examples/java-sdk-functions as a Lambda deployment package: its classes at the root and the AWS SDK for Java
 * v2 in {@code lib/} (Lambda's layout; the example's own Maven build shades them in instead), taken from this test's
 * class path, with the URL-connection HTTP client only (the handlers name it).
 */
final class SdkExampleFunctions {

    private static final Path SOURCES = Path.of("..", "examples", "java-sdk-functions", "src", "main", "java");

    private SdkExampleFunctions() {}

    /** Compiles the example into {@code dir}/classes and packs it into {@code dir}/java-sdk-functions.jar. */
    static Path build(Path dir) throws IOException, URISyntaxException {
        Path classes = dir.resolve("classes");
        List<Path> sdk = sdkJars();
        List<Path> classpath = new ArrayList<>(sdk);
        classpath.add(ExampleFunctions.lambdaCore());
        ExampleFunctions.compile(SOURCES, classpath, classes);
        Path jar = dir.resolve("java-sdk-functions.jar");
        ExampleFunctions.jar(classes, sdk, jar);
        return jar;
    }

    /** The SDK's jars on this class path and what they need, without the HTTP clients the example does not use. */
    private static List<Path> sdkJars() {
        List<Path> jars = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String path = entry.replace('\\', '/');
            boolean sdk = path.contains("/software/amazon/awssdk/")
                    || path.contains("/org/reactivestreams/")
                    || path.contains("/org/slf4j/slf4j-api/")
                    || path.contains("/software/amazon/eventstream/");
            boolean otherClient = path.contains("/apache-client/")
                    || path.contains("/apache5-client/")
                    || path.contains("/netty-nio-client/")
                    || path.contains("/aws-crt-client/");
            if (sdk && !otherClient && path.endsWith(".jar")) {
                jars.add(Path.of(entry));
            }
        }
        return jars;
    }
}
