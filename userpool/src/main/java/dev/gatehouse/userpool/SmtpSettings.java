package dev.gatehouse.userpool;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where and how {@link SmtpMessageSender} delivers mail.
 *
 * @param host the SMTP server
 * @param port its port (25, 587 with STARTTLS, 465 with implicit TLS)
 * @param tls transport security
 * @param username the login, or null to send without authenticating
 * @param password the password of {@code username}; never printed by {@link #toString()}
 * @param from the sender address
 * @param connectTimeout how long to wait for the connection
 * @param readTimeout how long to wait for each read and write
 */
public record SmtpSettings(
        String host,
        int port,
        Tls tls,
        @Nullable String username,
        @Nullable String password,
        String from,
        Duration connectTimeout,
        Duration readTimeout) {

    /** Default connect and read timeouts: a stuck mail server must not hold a worker thread for long. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** Transport security of the SMTP connection. */
    public enum Tls {
        /** Plain text; only for a relay on the same host or a test server. */
        NONE,
        /** Upgrade with STARTTLS, and refuse to send when the server cannot. */
        STARTTLS,
        /** TLS from the first byte (SMTPS, usually port 465). */
        TLS;

        /** Parses {@code none}, {@code starttls} or {@code tls}, in any case. */
        public static Tls parse(String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("SMTP TLS mode must be none, starttls or tls, not " + value, e);
            }
        }
    }

    public SmtpSettings {
        Objects.requireNonNull(host, "host cannot be null");
        Objects.requireNonNull(tls, "tls cannot be null");
        Objects.requireNonNull(from, "from cannot be null");
        Objects.requireNonNull(connectTimeout, "connectTimeout cannot be null");
        Objects.requireNonNull(readTimeout, "readTimeout cannot be null");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535");
        }
        if (from.isBlank()) {
            throw new IllegalArgumentException("from must not be blank");
        }
        if ((username == null) != (password == null)) {
            throw new IllegalArgumentException("username and password must be given together");
        }
        if (connectTimeout.isNegative()
                || connectTimeout.isZero()
                || readTimeout.isNegative()
                || readTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    /** Settings without authentication and with {@link #DEFAULT_TIMEOUT}s. */
    public static SmtpSettings of(String host, int port, Tls tls, String from) {
        return new SmtpSettings(host, port, tls, null, null, from, DEFAULT_TIMEOUT, DEFAULT_TIMEOUT);
    }

    /** The same settings, authenticating as {@code user}. */
    public SmtpSettings withCredentials(String user, String secret) {
        return new SmtpSettings(
                host,
                port,
                tls,
                Objects.requireNonNull(user, "user cannot be null"),
                Objects.requireNonNull(secret, "secret cannot be null"),
                from,
                connectTimeout,
                readTimeout);
    }

    /** The same settings with other timeouts. */
    public SmtpSettings withTimeouts(Duration connect, Duration read) {
        return new SmtpSettings(host, port, tls, username, password, from, connect, read);
    }

    public Optional<String> user() {
        return Optional.ofNullable(username);
    }

    public Optional<String> secret() {
        return Optional.ofNullable(password);
    }

    @Override
    public String toString() {
        return "SmtpSettings[host=" + host + ", port=" + port + ", tls=" + tls + ", username=" + username
                + ", password=" + (password == null ? "none" : "***") + ", from=" + from + ", connectTimeout="
                + connectTimeout + ", readTimeout=" + readTimeout + "]";
    }
}
