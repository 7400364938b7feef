package dev.gatehouse.userpool;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.store.Page;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code NextToken}s of the list operations: the store's cursor behind a scope (operation, pool, parent), so a token
 * is refused by any other listing, Base64url so it is always non-blank characters.
 */
final class PageTokens {

    private PageTokens() {}

    static String encode(String scope, String cursor) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((scope + "|" + cursor).getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor inside {@code token}; {@code InvalidParameterException} for a token of another scope or garbage. */
    static Optional<String> decode(String scope, Optional<String> token) {
        if (token.isEmpty()) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getUrlDecoder().decode(token.get()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (!decoded.startsWith(scope + "|") || decoded.length() == scope.length() + 1) {
            throw invalid();
        }
        return Optional.of(decoded.substring(scope.length() + 1));
    }

    /**
     * One page of a list operation: {@code query} runs with the cursor inside {@code token}; a token of another scope,
     * or a cursor the store refuses, is {@code InvalidParameterException}.
     */
    static Page page(String scope, Optional<String> token, Function<Optional<String>, Page> query) {
        Optional<String> cursor = decode(scope, token);
        try {
            return query.apply(cursor);
        } catch (IllegalArgumentException e) { // a cursor of another partition, or not one at all
            throw invalid();
        }
    }

    /** Puts {@code NextToken} into {@code response} when more items may follow {@code page}. */
    static void putNext(ObjectNode response, String scope, Page page) {
        page.cursor().ifPresent(next -> response.put("NextToken", encode(scope, next)));
    }

    static dev.gatehouse.protocol.ServiceException invalid() {
        return UserPoolErrors.invalidParameter("Invalid pagination token.");
    }
}
