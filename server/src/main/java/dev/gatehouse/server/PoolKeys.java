package dev.gatehouse.server;

import com.nimbusds.jose.jwk.JWKSet;
import dev.gatehouse.gateway.JwksSource;
import dev.gatehouse.userpool.TokenService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.ParseException;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool's keys for the JWT authorizer, which asks on the event loop when a token names an unknown {@code kid}:
 * read once here (blocking, at start-up), then every fetch answers from memory and re-reads in the background, so
 * a rotated key is accepted from the next refresh on.
 */
final class PoolKeys implements JwksSource {

    private static final Logger LOG = LoggerFactory.getLogger(PoolKeys.class);

    private final TokenService tokens;
    private final String poolId;
    private final Executor refresher;
    private final AtomicBoolean reading = new AtomicBoolean();
    private volatile JWKSet current;

    PoolKeys(TokenService tokens, String poolId, Executor refresher) {
        this.tokens = tokens;
        this.poolId = poolId;
        this.refresher = Objects.requireNonNull(refresher, "refresher cannot be null");
        try {
            this.current = read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public JWKSet fetch() {
        if (reading.compareAndSet(false, true)) {
            try {
                refresher.execute(() -> {
                    try {
                        current = read();
                    } catch (IOException | RuntimeException e) {
                        LOG.warn("could not re-read the keys of {}: {}", poolId, e.toString());
                    } finally {
                        reading.set(false);
                    }
                });
            } catch (RuntimeException e) {
                reading.set(false);
            }
        }
        return current;
    }

    private JWKSet read() throws IOException {
        try {
            return JWKSet.parse(tokens.jwks(poolId));
        } catch (ParseException e) {
            throw new IOException("the pool's JWKS does not parse", e);
        }
    }
}
