package dev.gatehouse.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Properties;

/** Fixtures of values sealed by earlier code, and the made-up keys they were sealed under. In the test-jar. */
public final class SealedFixtures {

    private SealedFixtures() {}

    /** The properties file {@code resource} on the class path of {@code anchor}'s module. */
    public static Properties load(Class<?> anchor, String resource) {
        Properties properties = new Properties();
        try (InputStream in = Objects.requireNonNull(anchor.getResourceAsStream(resource), resource + " is missing")) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    /** A 32-byte key counting up from {@code first}: {@code first, first + 1, …}. */
    public static byte[] countingKey(int first) {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (first + i);
        }
        return key;
    }
}
