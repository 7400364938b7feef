package dev.gatehouse.functions;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The command line of each runtime's worker, and the runtime files Gatehouse ships in its jar, unpacked once into
 * {@code <workDir>/runtimes/}.
 *
 * <ul>
 *   <li>Java: a JVM (the one running Gatehouse) whose class path is Amazon's runtime interface client and nothing
 *       else; the client loads the function from its working directory, the task root, as on Lambda (classes at the
 *       root, dependencies in {@code lib/}). {@code MemorySize} is the heap bound.</li>
 *   <li>Node.js: {@code node} with Gatehouse's bootstrap; {@code MemorySize} is the old-space bound.</li>
 * </ul>
 */
final class Runtimes implements WorkerProcess.Launcher {

    /** The runtime interface client's entry point; it takes the handler as its only argument. */
    static final String JAVA_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";

    private static final String RESOURCES = "/dev/gatehouse/functions/";

    private final Path runtimeDir;
    private final String javaCommand;
    private final String nodeCommand;
    /**
     * Where the client loads its native library from instead of unpacking it itself: it would copy it to the fixed
     * {@code /tmp/.libaws-lambda-jni.so} at every start, and two workers starting at once then load a file being
     * rewritten (SIGBUS in the dynamic loader); that path is also shared by every user of the machine.
     */
    static final String JNI_PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";

    private volatile List<Path> javaClasspath = List.of();
    private volatile Path nativeLibrary = Path.of("");
    private volatile Path nodeBootstrap = Path.of("");

    Runtimes(Path workDir, String javaCommand, String nodeCommand) {
        this.runtimeDir = workDir.resolve("runtimes");
        this.javaCommand = Objects.requireNonNull(javaCommand, "javaCommand cannot be null");
        this.nodeCommand = Objects.requireNonNull(nodeCommand, "nodeCommand cannot be null");
    }

    /** The java launcher of the JVM running Gatehouse. */
    static String currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Override
    public WorkerProcess launch(FunctionSpec function, Map<String, String> environment, Path taskRoot)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command(function))
                .directory(taskRoot.toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().clear();
        builder.environment().putAll(environment);
        return new OsProcess(builder.start());
    }

    /** The worker's command line. */
    List<String> command(FunctionSpec function) throws IOException {
        List<String> command = new ArrayList<>();
        if (function.isJava()) {
            command.add(javaCommand);
            command.add("-Xmx" + function.memoryMb() + "m");
            // Lambda's Java runtimes start a short-lived JVM the same way: the serial collector, the C1 compiler only.
            command.add("-XX:+UseSerialGC");
            command.add("-XX:TieredStopAtLevel=1");
            command.add("-XX:-UsePerfData");
            command.add("-Xshare:auto");
            command.add("-D" + JNI_PROPERTY + "=" + nativeLibrary());
            command.add("-cp");
            command.add(String.join(
                    java.io.File.pathSeparator,
                    javaClasspath().stream().map(Path::toString).toList()));
            command.add(JAVA_MAIN);
            command.add(function.handler());
        } else {
            command.add(nodeCommand);
            command.add("--max-old-space-size=" + function.memoryMb());
            command.add(nodeBootstrap().toString());
        }
        return command;
    }

    /** Where the runtime lives ({@code LAMBDA_RUNTIME_DIR}). */
    Path runtimeDir(FunctionSpec function) {
        return runtimeDir.resolve(function.isJava() ? "java" : "nodejs");
    }

    private synchronized List<Path> javaClasspath() throws IOException {
        if (javaClasspath.isEmpty()) {
            List<Path> jars = new ArrayList<>();
            for (String name : resourceText("java-runtime.txt").split("\n")) {
                if (!name.isBlank()) {
                    jars.add(unpack(
                            "java-runtime/" + name.trim(),
                            runtimeDir.resolve("java").resolve(name.trim())));
                }
            }
            javaClasspath = List.copyOf(jars);
        }
        return javaClasspath;
    }

    /** The client's native library for this machine, unpacked from its jar once. */
    private synchronized Path nativeLibrary() throws IOException {
        if (nativeLibrary.toString().isEmpty()) {
            Path clientJar = javaClasspath().get(0);
            String name = nativeLibraryName();
            Path target = runtimeDir.resolve("java").resolve(name);
            try (ZipFile jar = new ZipFile(clientJar.toFile())) {
                ZipEntry entry = jar.getEntry("jni/" + name);
                if (entry == null) {
                    throw new IOException("the runtime interface client has no native library " + name);
                }
                Path temporary = Files.createTempFile(target.getParent(), name, ".part");
                try (InputStream in = jar.getInputStream(entry)) {
                    Files.copy(in, temporary, StandardCopyOption.REPLACE_EXISTING);
                }
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            nativeLibrary = target;
        }
        return nativeLibrary;
    }

    /** {@code libaws-lambda-jni.linux[_musl]-<arch>.so}, as the client names its builds. */
    static String nativeLibraryName() {
        String arch = System.getProperty("os.arch", "");
        String cpu = arch.equals("aarch64") || arch.equals("arm64") ? "aarch_64" : "x86_64";
        boolean musl =
                Files.exists(Path.of("/lib/ld-musl-x86_64.so.1")) || Files.exists(Path.of("/lib/ld-musl-aarch64.so.1"));
        return "libaws-lambda-jni.linux" + (musl ? "_musl" : "") + "-" + cpu + ".so";
    }

    private synchronized Path nodeBootstrap() throws IOException {
        if (nodeBootstrap.toString().isEmpty()) {
            nodeBootstrap =
                    unpack("nodejs/bootstrap.mjs", runtimeDir.resolve("nodejs").resolve("bootstrap.mjs"));
        }
        return nodeBootstrap;
    }

    /** Copies a resource of this jar to {@code target}, replacing what is there (an older Gatehouse's copy). */
    private static Path unpack(String resource, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        try (InputStream in = Runtimes.class.getResourceAsStream(RESOURCES + resource)) {
            if (in == null) {
                throw new IOException("the runtime file " + resource + " is missing from Gatehouse's jar");
            }
            Path temporary = Files.createTempFile(
                    target.getParent(), target.getFileName().toString(), ".part");
            Files.copy(in, temporary, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return target;
    }

    private static String resourceText(String resource) {
        try (InputStream in = Runtimes.class.getResourceAsStream(RESOURCES + resource)) {
            if (in == null) {
                throw new IllegalStateException("the runtime file " + resource + " is missing from Gatehouse's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
