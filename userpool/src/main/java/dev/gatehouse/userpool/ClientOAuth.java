package dev.gatehouse.userpool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The hosted-UI and OAuth members of an app client (CreateUserPoolClient, UpdateUserPoolClient): kept exactly as
 * given and echoed by Describe, after Cognito's cross-member rules. The model's own constraints (lengths, patterns,
 * enums) are checked from the model by the operations.
 */
final class ClientOAuth {

    /** Members stored as given when present. */
    private static final List<String> ECHOED = List.of(
            "SupportedIdentityProviders",
            "CallbackURLs",
            "LogoutURLs",
            "DefaultRedirectURI",
            "AllowedOAuthFlows",
            "AllowedOAuthScopes",
            "AnalyticsConfiguration",
            "RefreshTokenRotation");

    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");

    private ClientOAuth() {}

    /** Checks the OAuth members of {@code request} and copies them into the client document {@code doc}. */
    static void copy(ObjectNode request, ObjectNode doc) {
        List<String> flows = strings(request.path("AllowedOAuthFlows"));
        List<String> callbacks = strings(request.path("CallbackURLs"));
        if (flows.contains("client_credentials") && flows.size() > 1) {
            throw oauthFlow("client_credentials flow can not be selected along with code flow or implicit flow.");
        }
        if ((flows.contains("code") || flows.contains("implicit")) && callbacks.isEmpty()) {
            throw oauthFlow("CallbackUrls can not be empty when code flow or implicit flow is selected");
        }
        if (flows.contains("client_credentials")
                && !request.path("GenerateSecret").asBoolean(false)
                && !request.has("ClientSecret")) {
            throw oauthFlow("client_credentials flow can not be selected if client does not have a client secret.");
        }
        for (String url : callbacks) {
            checkUrl("CallbackURLs", url);
        }
        for (String url : strings(request.path("LogoutURLs"))) {
            checkUrl("LogoutURLs", url);
        }
        String defaultRedirect = request.path("DefaultRedirectURI").asText("");
        if (!defaultRedirect.isEmpty() && !callbacks.contains(defaultRedirect)) {
            throw UserPoolErrors.invalidParameter("DefaultRedirectURI must be one of the CallbackURLs.");
        }
        for (String member : ECHOED) {
            JsonNode value = request.get(member);
            if (value != null && !value.isNull()) {
                doc.set(member, value.deepCopy());
            }
        }
        doc.put(
                "AllowedOAuthFlowsUserPoolClient",
                request.path("AllowedOAuthFlowsUserPoolClient").asBoolean(false));
    }

    /** Every name in {@code SupportedIdentityProviders} is {@code COGNITO} or a provider of the pool. */
    static void checkProviders(ObjectNode request, java.util.function.BiPredicate<String, String> exists) {
        String poolId = request.path("UserPoolId").asText();
        for (String provider : strings(request.path("SupportedIdentityProviders"))) {
            if (!exists.test(poolId, provider)) {
                throw UserPoolErrors.invalidParameter(
                        "The provider " + provider + " does not exist for User Pool " + poolId + ".");
            }
        }
    }

    /** Every scope in {@code AllowedOAuthScopes} exists: {@code ScopeDoesNotExistException} otherwise. */
    static void checkScopes(ObjectNode request, java.util.function.BiPredicate<String, String> exists) {
        String poolId = request.path("UserPoolId").asText();
        for (String scope : strings(request.path("AllowedOAuthScopes"))) {
            if (!exists.test(poolId, scope)) {
                throw UserPoolErrors.error("ScopeDoesNotExistException", "Invalid scope requested: " + scope);
            }
        }
    }

    /** HTTPS, or HTTP to a loopback host, or an app's own scheme; never a fragment (model CallbackURLs doc). */
    private static void checkUrl(String member, String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw UserPoolErrors.invalidParameter(member + " must be valid URLs: " + url);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.isEmpty() || uri.getFragment() != null) {
            throw UserPoolErrors.invalidParameter(member + " must be valid URLs: " + url);
        }
        if ("http".equals(scheme)
                && !LOOPBACK.contains(String.valueOf(uri.getHost()).toLowerCase(Locale.ROOT))) {
            throw UserPoolErrors.invalidParameter(member + " must use HTTPS except for localhost: " + url);
        }
    }

    private static dev.gatehouse.protocol.ServiceException oauthFlow(String message) {
        return UserPoolErrors.error(UserPoolErrors.INVALID_OAUTH_FLOW, message);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
