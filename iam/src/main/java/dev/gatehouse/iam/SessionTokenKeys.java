package dev.gatehouse.iam;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 keys session tokens are sealed under, by key id: one active key seals, every key opens. Rotating means
 * adding a new active key and keeping the old ones until the last token sealed under them has expired (one hour).
 * Immutable.
 */
public final class SessionTokenKeys {

  /** Key ids are short ASCII names; they go into every token in clear. */
  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final int KEY_BYTES = 32;

  private final String activeKeyId;
  private final SecretKey activeKey;
  private final Map<String, SecretKey> keys;

  private SessionTokenKeys(String activeKeyId, SecretKey activeKey, Map<String, SecretKey> keys) {
    this.activeKeyId = activeKeyId;
    this.activeKey = activeKey;
    this.keys = keys;
  }

  /**
   * A key set.
   *
   * @param activeKeyId the key new tokens are sealed under; must be one of {@code keys}
   * @param keys raw 32-byte AES keys by id (copied)
   * @throws IllegalArgumentException if a key id is malformed, a key is not 32 bytes, or the active key is missing
   */
  public static SessionTokenKeys of(String activeKeyId, Map<String, byte[]> keys) {
    Objects.requireNonNull(activeKeyId, "activeKeyId cannot be null");
    Objects.requireNonNull(keys, "keys cannot be null");
    Map<String, SecretKey> copy = new LinkedHashMap<>();
    keys.forEach((id, key) -> {
      if (!KEY_ID.matcher(id).matches()) {
        throw new IllegalArgumentException("invalid session token key id: " + id);
      }
      if (key.length != KEY_BYTES) {
        throw new IllegalArgumentException("session token key " + id + " must be " + KEY_BYTES + " bytes");
      }
      copy.put(id, new SecretKeySpec(key.clone(), "AES"));
    });
    SecretKey active = copy.get(activeKeyId);
    if (active == null) {
      throw new IllegalArgumentException("active key " + activeKeyId + " is not in the key set");
    }
    return new SessionTokenKeys(activeKeyId, active, Collections.unmodifiableMap(copy));
  }

  public String activeKeyId() {
    return activeKeyId;
  }

  SecretKey activeKey() {
    return activeKey;
  }

  Optional<SecretKey> key(String keyId) {
    return Optional.ofNullable(keys.get(keyId));
  }

  /** Whether a key id is well formed; the sealer never looks up anything else. */
  static boolean isKeyId(String keyId) {
    return KEY_ID.matcher(keyId).matches();
  }

  @Override
  public String toString() {
    return "SessionTokenKeys[active=" + activeKeyId + ", ids=" + keys.keySet() + "]";
  }
}
