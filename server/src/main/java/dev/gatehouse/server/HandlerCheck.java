package dev.gatehouse.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * Checks at start that a function's code and handler exist, so a template naming a missing class or file fails
 * before anything serves (Lambda itself only finds out at the first invocation, as an init error). Java: the class of
 * {@code package.Class[::method]} in the classes directory, the jar or zip, or a jar under its {@code lib/}. Node.js:
 * the module file of {@code path/file.export}.
 */
final class HandlerCheck {

    private HandlerCheck() {}

    static void check(String logicalId, String runtime, String handler, Path code) {
        if (!Files.exists(code)) {
            throw new StackException("resource " + logicalId + ", property CodeUri: " + code + " does not exist"
                    + " (build the function first)");
        }
        boolean found = runtime.startsWith("java") ? javaClass(code, handler) : nodeModule(code, handler);
        if (!found) {
            throw new StackException("resource " + logicalId + ", property Handler: " + handler + " is not in " + code
                    + (runtime.startsWith("java") ? " (no class " + className(handler) + ")" : ""));
        }
    }

    private static String className(String handler) {
        int method = handler.indexOf("::");
        return method < 0 ? handler : handler.substring(0, method);
    }

    private static boolean javaClass(Path code, String handler) {
        String entry = className(handler).replace('.', '/') + ".class";
        try {
            if (Files.isDirectory(code)) {
                return Files.exists(code.resolve(entry))
                        || jars(code.resolve("lib")).stream().anyMatch(j -> inZip(j, entry));
            }
            return inZip(code, entry) || nestedLibHas(code, entry);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + code, e);
        }
    }

    private static List<Path> jars(Path dir) throws IOException {
        List<Path> jars = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.jar")) {
                files.forEach(jars::add);
            }
        }
        return jars;
    }

    private static boolean inZip(Path zip, String entry) {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            return file.getEntry(entry) != null;
        } catch (IOException e) {
            return false;
        }
    }

    /** A Lambda zip may carry the handler in a jar under {@code lib/}. */
    private static boolean nestedLibHas(Path zip, String entry) throws IOException {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (ZipEntry lib : java.util.Collections.list(file.entries())) {
                if (lib.getName().startsWith("lib/") && lib.getName().endsWith(".jar") && nestedHas(file, lib, entry)) {
                    return true;
                }
            }
        } catch (java.util.zip.ZipException e) {
            return false;
        }
        return false;
    }

    private static boolean nestedHas(ZipFile file, ZipEntry lib, String entry) throws IOException {
        try (ZipInputStream nested = new ZipInputStream(file.getInputStream(lib))) {
            for (ZipEntry e = nested.getNextEntry(); e != null; e = nested.getNextEntry()) {
                if (e.getName().equals(entry)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean nodeModule(Path code, String handler) {
        int dot = handler.lastIndexOf('.');
        if (dot <= 0 || !Files.isDirectory(code)) {
            return false;
        }
        String module = handler.substring(0, dot);
        return Files.exists(code.resolve(module + ".js"))
                || Files.exists(code.resolve(module + ".mjs"))
                || Files.exists(code.resolve(module + ".cjs"));
    }
}
