package dev.gatehouse.userpool;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** What a successful authentication returns ({@code AuthenticationResult}); no refresh token on a refresh. */
public record IssuedTokens(String idToken, String accessToken, @Nullable String refreshToken, long expiresIn) {

    public IssuedTokens {
        Objects.requireNonNull(idToken, "idToken cannot be null");
        Objects.requireNonNull(accessToken, "accessToken cannot be null");
    }

    public Optional<String> refresh() {
        return Optional.ofNullable(refreshToken);
    }
}
