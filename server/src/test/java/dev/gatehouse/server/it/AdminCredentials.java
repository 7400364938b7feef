package dev.gatehouse.server.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The {@code [default]} access key pair of an AWS shared-credentials file, read without the SDK (for raw requests). */
record AdminCredentials(String accessKeyId, String secretAccessKey) {

    static AdminCredentials read(Path file) {
        Map<String, String> values = new HashMap<>();
        String section = "";
        try {
            for (String raw : Files.readAllLines(file)) {
                String line = raw.strip();
                if (line.startsWith("[") && line.endsWith("]")) {
                    section = line.substring(1, line.length() - 1).strip();
                } else if (section.equals("default") && line.contains("=")) {
                    int eq = line.indexOf('=');
                    values.put(
                            line.substring(0, eq).strip(),
                            line.substring(eq + 1).strip());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String id = values.get("aws_access_key_id");
        String secret = values.get("aws_secret_access_key");
        if (id == null || secret == null) {
            throw new IllegalStateException("no [default] aws_access_key_id / aws_secret_access_key in " + file);
        }
        return new AdminCredentials(id, secret);
    }
}
