package dev.gatehouse.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The web app's files (the {@code web} module's Vite build, packaged under {@link #CLASSPATH_PREFIX}), read into
 * memory once at start-up so that serving them never blocks the event loop and never touches the file system: a
 * request path is only ever a key into this map, so no path, however encoded, can reach a file outside it.
 *
 * <p>Lookup: the percent-decoded path must be absolute and free of {@code .}/{@code ..} segments, backslashes and
 * control characters ({@link #normalize}); {@code /} is {@code index.html}; a missing path whose last segment has no
 * dot is a client-side route and gets {@code index.html}; any other missing path is not found.
 */
final class WebAssets {

    /** Where the {@code web} module puts the built app in its jar. */
    static final String CLASSPATH_PREFIX = "dev/gatehouse/web/static/";

    static final String INDEX = "index.html";

    private static final Map<String, String> CONTENT_TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("map", "application/json"),
            Map.entry("webmanifest", "application/manifest+json"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("txt", "text/plain; charset=utf-8"));

    /**
     * One file of the app.
     *
     * @param immutable true for Vite's content-hashed files under {@code assets/}, which may be cached for a year
     */
    record Asset(String path, byte[] body, String contentType, String etag, boolean immutable) {}

    private final Map<String, Asset> files;

    private WebAssets(Map<String, Asset> files) {
        this.files = Map.copyOf(files);
    }

    /** An app of these files (path relative to the app root, such as {@code assets/index-abc.js}, to content). */
    static WebAssets of(Map<String, byte[]> contents) {
        Map<String, Asset> files = new HashMap<>();
        contents.forEach((path, body) -> files.put(path, asset(path, body)));
        return new WebAssets(files);
    }

    /** Reads the app from the class path; empty when the build has no web app (no {@code index.html}). Blocking. */
    static WebAssets fromClasspath(ClassLoader loader) {
        URL index = loader.getResource(CLASSPATH_PREFIX + INDEX);
        if (index == null) {
            return of(Map.of());
        }
        try {
            return of("jar".equals(index.getProtocol()) ? readJar(index) : readDirectory(index));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the web app from " + index, e);
        }
    }

    /** The number of files; 0 when the build has no web app. */
    int size() {
        return files.size();
    }

    /** The file a request path names, {@code index.html} for client-side routes, or empty (not found). */
    Optional<Asset> find(String rawPath) {
        Optional<String> path = normalize(rawPath);
        if (path.isEmpty()) {
            return Optional.empty();
        }
        String name = path.get().isEmpty() ? INDEX : path.get();
        Asset exact = files.get(name);
        if (exact != null) {
            return Optional.of(exact);
        }
        String last = name.substring(name.lastIndexOf('/') + 1);
        return last.contains(".") || name.startsWith("assets/")
                ? Optional.empty()
                : Optional.ofNullable(files.get(INDEX));
    }

    /**
     * The path relative to the app root ({@code ""} for {@code /}), percent-decoded as UTF-8, or empty when it is not a
     * plain absolute path: bad escapes, {@code .} or {@code ..} segments, empty segments, backslashes, control
     * characters.
     */
    static Optional<String> normalize(String rawPath) {
        if (rawPath == null || !rawPath.startsWith("/")) {
            return Optional.empty();
        }
        Optional<String> decoded = percentDecode(rawPath.substring(1));
        if (decoded.isEmpty()) {
            return Optional.empty();
        }
        String path = decoded.get();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') {
                return Optional.empty();
            }
        }
        if (path.isEmpty()) {
            return Optional.of("");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || ".".equals(segment) || "..".equals(segment)) {
                return Optional.empty();
            }
        }
        return Optional.of(path);
    }

    private static Optional<String> percentDecode(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= text.length()) {
                    return Optional.empty();
                }
                int high = Character.digit(text.charAt(i + 1), 16);
                int low = Character.digit(text.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return Optional.empty();
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else if (c > 0x7f) {
                return Optional.empty();
            } else {
                bytes.write(c);
            }
        }
        byte[] raw = bytes.toByteArray();
        try {
            return Optional.of(StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(raw))
                    .toString());
        } catch (java.nio.charset.CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static Asset asset(String path, byte[] body) {
        Objects.requireNonNull(path, "path cannot be null");
        Objects.requireNonNull(body, "body cannot be null");
        String extension = path.substring(path.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        String type = CONTENT_TYPES.getOrDefault(extension, "application/octet-stream");
        return new Asset(path, body.clone(), type, etag(body), path.startsWith("assets/"));
    }

    private static String etag(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static Map<String, byte[]> readJar(URL index) throws IOException {
        Map<String, byte[]> contents = new HashMap<>();
        JarURLConnection connection = (JarURLConnection) index.openConnection();
        connection.setUseCaches(false);
        try (JarFile jar = connection.getJarFile()) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                if (!entry.isDirectory() && entry.getName().startsWith(CLASSPATH_PREFIX)) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        contents.put(entry.getName().substring(CLASSPATH_PREFIX.length()), in.readAllBytes());
                    }
                }
            }
        }
        return contents;
    }

    private static Map<String, byte[]> readDirectory(URL index) throws IOException {
        Path root;
        try {
            root = Objects.requireNonNull(Path.of(index.toURI()).getParent(), "index.html has a parent directory");
        } catch (URISyntaxException e) {
            throw new IOException("not a file URL: " + index, e);
        }
        Map<String, byte[]> contents = new HashMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                contents.put(
                        root.relativize(file).toString().replace(java.io.File.separatorChar, '/'),
                        Files.readAllBytes(file));
            }
        }
        return contents;
    }
}
