package dev.gatehouse.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An identity pool as stored: its description (the {@code IdentityPool} shape the API returns) and its roles
 * ({@code {"Roles": {...}, "RoleMappings": {...}}}).
 */
record StoredPool(ObjectNode description, ObjectNode roles) {

    /** A user pool and app client the identity pool trusts ({@code CognitoIdentityProviders[]}). */
    record Provider(String providerName, String clientId) {}

    String id() {
        return description.path("IdentityPoolId").asText();
    }

    String name() {
        return description.path("IdentityPoolName").asText();
    }

    boolean allowUnauthenticated() {
        return description.path("AllowUnauthenticatedIdentities").asBoolean(false);
    }

    List<Provider> providers() {
        List<Provider> providers = new ArrayList<>();
        for (JsonNode provider : description.path("CognitoIdentityProviders")) {
            providers.add(new Provider(
                    provider.path("ProviderName").asText(),
                    provider.path("ClientId").asText()));
        }
        return providers;
    }

    /** The role ARN for {@code authenticated} or {@code unauthenticated}. */
    Optional<String> role(String type) {
        JsonNode arn = roles.path("Roles").path(type);
        return arn.isTextual() ? Optional.of(arn.asText()) : Optional.empty();
    }
}
