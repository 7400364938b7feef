package dev.gatehouse.userpool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;

/**
 * The known-answer vector {@code src/test/resources/srp/srp-test-vector.json}, a copy of
 * {@code shared/reference/srp-test-vector.json} (see {@code shared/reference/srp.md} section 2.4).
 */
final class SrpTestVector {

    final JsonNode root;

    private SrpTestVector(JsonNode root) {
        this.root = root;
    }

    static SrpTestVector load() {
        try (InputStream in = SrpTestVector.class.getResourceAsStream("/srp/srp-test-vector.json")) {
            if (in == null) {
                throw new IllegalStateException("srp/srp-test-vector.json is missing");
            }
            return new SrpTestVector(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String input(String name) {
        return root.path("inputs").path(name).asText();
    }

    BigInteger inputHex(String name) {
        return new BigInteger(input(name), 16);
    }

    String output(String name) {
        return root.path(name).asText();
    }

    BigInteger outputHex(String name) {
        return new BigInteger(output(name), 16);
    }
}
