package dev.gatehouse.server;

import com.nimbusds.jose.jwk.JWKSet;
import dev.gatehouse.gateway.JwksSource;
import dev.gatehouse.userpool.TokenService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.ParseException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool's keys for the JWT authorizer, which asks on the event loop when a token names an unknown {@code kid}:
 * read once here (blocking, at start-up), then every fetch answers from memory and re-reads from the store in the
 * background (at most once a second; the token service limits forced store reads further), so a key another node
 * rotated in is accepted from the next request on. An unchanged key set is answered as the same instance, which
 * tells the authorizer that nothing newer is known yet.
 */
final class PoolKeys implements JwksSource {

    private static final Logger LOG = LoggerFactory.getLogger(PoolKeys.class);
    private static final long MIN_REREAD_NANOS = 1_000_000_000L;
    private static final long MIN_DIRECT_NANOS = 50_000_000L;

    private final TokenService tokens;
    private final String poolId;
    private final Executor refresher;
    private final AtomicBoolean reading = new AtomicBoolean();
    private volatile Known current;
    private volatile long lastRead = System.nanoTime() - MIN_REREAD_NANOS;
    private volatile long lastDirect = System.nanoTime() - MIN_DIRECT_NANOS;

    /** The key set as read, with its text, to keep the instance while the text does not change. */
    private record Known(String text, JWKSet keys) {}

    /** Before the pool's key set exists. */
    private static final Known NONE = new Known("", new JWKSet());

    PoolKeys(TokenService tokens, String poolId, Executor refresher) {
        this.tokens = tokens;
        this.poolId = poolId;
        this.refresher = Objects.requireNonNull(refresher, "refresher cannot be null");
        try {
            Optional<String> existing = tokens.existingJwks(poolId);
            this.current = existing.isPresent() ? known(existing.get()) : NONE;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (current == NONE) {
            // No key set yet, so no token of this pool exists anywhere: generating its RSA keys (the largest part of a
            // first start) need not hold up the start. The read below creates them in the background; a token issued
            // before it ends creates them itself, and fetch() then takes them from the token service.
            reading.set(true);
            refresher.execute(this::reread);
        }
    }

    @Override
    public JWKSet fetch() {
        if (current == NONE) {
            takeExisting();
        }
        if (System.nanoTime() - lastRead >= MIN_REREAD_NANOS && reading.compareAndSet(false, true)) {
            try {
                refresher.execute(this::reread);
            } catch (RuntimeException e) {
                reading.set(false);
            }
        }
        return current.keys();
    }

    /**
     * Until the background read has ended: the set a token issued meanwhile created, from the token service (in its
     * memory when this node issued the token, else one store read), at most once per {@link #MIN_DIRECT_NANOS}, so
     * unknown kids before the set exists cannot turn every request into a read.
     */
    private void takeExisting() {
        long now = System.nanoTime();
        if (now - lastDirect < MIN_DIRECT_NANOS) {
            return;
        }
        lastDirect = now;
        try {
            Optional<String> existing = tokens.existingJwks(poolId);
            if (existing.isPresent() && current == NONE) {
                current = known(existing.get());
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not read the keys of {}: {}", poolId, e.toString());
        }
    }

    @Override
    public boolean answersFromMemory() {
        return true;
    }

    /** From the store, not the token service's cache: asked for because a token named a kid this set lacks. */
    private void reread() {
        try {
            String text = tokens.jwksReloaded(poolId);
            if (!text.equals(current.text())) {
                current = known(text);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not re-read the keys of {}: {}", poolId, e.toString());
        } finally {
            lastRead = System.nanoTime();
            reading.set(false);
        }
    }

    private static Known known(String jwks) throws IOException {
        try {
            return new Known(jwks, JWKSet.parse(jwks));
        } catch (ParseException e) {
            throw new IOException("the pool's JWKS does not parse", e);
        }
    }
}
