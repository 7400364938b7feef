package dev.gatehouse.iam;

/**
 * A token that code must hold to read the bytes of a {@link SecretBytes}, so every place that touches secret key
 * material can be found by searching for {@link #insecure()}.
 */
public final class SecretKeyAccess {

    private static final SecretKeyAccess INSTANCE = new SecretKeyAccess();

    private SecretKeyAccess() {}

    /** Grants access; call it only where the secret must leave its holder (signing, writing a credentials file). */
    public static SecretKeyAccess insecure() {
        return INSTANCE;
    }
}
