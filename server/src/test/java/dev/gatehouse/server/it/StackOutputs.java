package dev.gatehouse.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The stack outputs the server writes to {@code --outputs-file} once it is ready to serve. */
record StackOutputs(
        String region, URI awsEndpoint, String userPoolId, String userPoolClientId, Path adminCredentialsFile) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The outputs in {@code file}, or empty while the file is absent, incomplete or not yet valid JSON. */
    static Optional<StackOutputs> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(file.toFile());
            if (node == null || !node.isObject()) {
                return Optional.empty();
            }
            for (String field :
                    new String[] {"Region", "AwsEndpoint", "UserPoolId", "UserPoolClientId", "AdminCredentialsFile"}) {
                if (!node.path(field).isTextual()) {
                    return Optional.empty();
                }
            }
            return Optional.of(new StackOutputs(
                    node.get("Region").asText(),
                    URI.create(node.get("AwsEndpoint").asText()),
                    node.get("UserPoolId").asText(),
                    node.get("UserPoolClientId").asText(),
                    Path.of(node.get("AdminCredentialsFile").asText())));
        } catch (IOException e) {
            return Optional.empty(); // still being written
        }
    }

    /** The issuer of the default pool's tokens: the URL its JWKS and discovery document are served under. */
    String issuer() {
        return issuer(userPoolId);
    }

    String issuer(String poolId) {
        return stripSlash(awsEndpoint.toString()) + "/" + poolId;
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
