package dev.gatehouse.userpool;

import dev.gatehouse.store.Key;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A user as stored: identity, status, password hash, attributes, pending codes and sign-in throttle state. Mutable
 * while one operation works on it; {@link UserRepository} saves it under an optimistic version check. It also holds the
 * sealed SRP verifier.
 */
final class User {

    /** Cognito's {@code UserStatusType} values that this pool produces; stored and sent by {@link #name()}. */
    enum Status {
        UNCONFIRMED,
        CONFIRMED,
        FORCE_CHANGE_PASSWORD,
        RESET_REQUIRED
    }

    final String userPoolId;
    final String username;
    final String sub;
    Status status;
    boolean enabled = true;
    Instant created;
    Instant modified;

    @Nullable
    String passwordHash;
    /** The SRP salt and verifier, sealed by {@link SrpVerifierSealer}; null for a user stored before SRP existed. */
    @Nullable
    String srpVerifier;

    @Nullable
    Instant passwordExpiresAt;
    /** The verified TOTP secret, sealed by {@link SrpVerifierSealer#sealTotp}; null before a token is verified. */
    @Nullable
    String totpSecret;
    /** A TOTP secret given by AssociateSoftwareToken and not verified yet, sealed. */
    @Nullable
    String totpPending;
    /** The last 30-second step whose TOTP code was accepted: codes of this step or earlier are refused. */
    long totpLastStep;
    /**
     * Wrong MFA codes (TOTP, SMS or email) since the last right one: they lock the user out as wrong passwords do.
     */
    int totpFailures;
    /** Whether TOTP is an enabled MFA factor (SetUserMFAPreference, or MFA_SETUP). */
    boolean totpEnabled;
    /** Whether SMS codes are an enabled MFA factor (SetUserMFAPreference or the legacy SetUserSettings). */
    boolean smsMfaEnabled;
    /** Whether email codes are an enabled MFA factor (SetUserMFAPreference, or MFA_SETUP by email). */
    boolean emailMfaEnabled;
    /** The preferred MFA factor ({@code SMS_MFA}, {@code SOFTWARE_TOKEN_MFA}, {@code EMAIL_OTP}), or null. */
    @Nullable
    String preferredMfa;

    final Map<String, String> attributes = new LinkedHashMap<>();

    @Nullable
    OneTimeCode confirmCode;

    @Nullable
    OneTimeCode resetCode;

    @Nullable
    OneTimeCode verifyCode;

    int failedSignIns;

    @Nullable
    Instant lastSignInAttempt;

    @Nullable
    Instant lockedUntil;
    /** The stored version this copy was read at; 0 for a user not yet stored. */
    long version;
    /** The alias items the stored copy holds, so a save can remove the ones that no longer apply. */
    Set<Key> storedAliases = Set.of();
    /** The ListUsers index items the stored copy holds. */
    Set<Key> storedIndex = Set.of();

    User(String userPoolId, String username, String sub, Status status, Instant created) {
        this.userPoolId = Objects.requireNonNull(userPoolId, "userPoolId cannot be null");
        this.username = Objects.requireNonNull(username, "username cannot be null");
        this.sub = Objects.requireNonNull(sub, "sub cannot be null");
        this.status = Objects.requireNonNull(status, "status cannot be null");
        this.created = Objects.requireNonNull(created, "created cannot be null");
        this.modified = created;
        attributes.put("sub", sub);
    }

    /** Which pending code. */
    enum CodeKind {
        CONFIRM,
        RESET,
        VERIFY
    }

    @Nullable
    OneTimeCode code(CodeKind kind) {
        return switch (kind) {
            case CONFIRM -> confirmCode;
            case RESET -> resetCode;
            case VERIFY -> verifyCode;
        };
    }

    void setCode(CodeKind kind, @Nullable OneTimeCode code) {
        switch (kind) {
            case CONFIRM -> confirmCode = code;
            case RESET -> resetCode = code;
            case VERIFY -> verifyCode = code;
        }
    }

    Optional<String> attribute(String name) {
        return Optional.ofNullable(attributes.get(name));
    }

    Optional<String> email() {
        return attribute("email").filter(e -> !e.isEmpty());
    }

    Optional<String> phoneNumber() {
        return attribute("phone_number").filter(p -> !p.isEmpty());
    }

    boolean emailVerified() {
        return "true".equals(attributes.get("email_verified"));
    }

    /** The attributes tokens carry: everything but {@code sub}, which tokens carry as their own claim. */
    TokenSubject tokenSubject() {
        Map<String, String> claims = new LinkedHashMap<>(attributes);
        claims.remove("sub");
        return new TokenSubject(userPoolId, sub, username, claims, java.util.List.of());
    }
}
