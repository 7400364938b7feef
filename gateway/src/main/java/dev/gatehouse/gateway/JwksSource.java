package dev.gatehouse.gateway;

import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.net.URI;
import java.text.ParseException;
import java.util.Objects;

/**
 * Where a {@link JwtAuthorizer} gets the issuer's signing keys. The server passes the user pool's keys in-process;
 * {@link #fromUrl} reads a {@code jwks_uri}. Called on the request thread only when the cached set lacks a token's
 * {@code kid} (at most once per refresh interval; at every unknown {@code kid} from a source that
 * {@linkplain #answersFromMemory answers from memory}), so an in-process source keeps the event loop free.
 */
@FunctionalInterface
public interface JwksSource {

    /**
     * The issuer's current key set. A source that {@linkplain #answersFromMemory answers from memory} returns the same
     * instance while it knows nothing newer.
     */
    JWKSet fetch() throws IOException;

    /**
     * Whether {@link #fetch} answers from memory without blocking (re-reading, if at all, in the background): the
     * authorizer then asks at every unknown {@code kid} instead of at most every 10 seconds.
     */
    default boolean answersFromMemory() {
        return false;
    }

    /** A fixed key set. */
    static JwksSource of(JWKSet keys) {
        Objects.requireNonNull(keys, "keys cannot be null");
        return new JwksSource() {
            @Override
            public JWKSet fetch() {
                return keys;
            }

            @Override
            public boolean answersFromMemory() {
                return true;
            }
        };
    }

    /** Reads {@code jwksUri} with API Gateway's limits (1,500 ms timeout, 150,000 bytes). Blocks while fetching. */
    static JwksSource fromUrl(URI jwksUri) {
        Objects.requireNonNull(jwksUri, "jwksUri cannot be null");
        return () -> {
            try {
                return JWKSet.load(jwksUri.toURL(), 1_500, 1_500, 150_000);
            } catch (ParseException e) {
                throw new IOException("JWKS is not a JSON Web Key Set", e);
            }
        };
    }
}
