/**
 * The one AEAD everything sealed at rest or handed out sealed goes through: Tink's AES-256-GCM under a keyset, with
 * Tink's key-id prefix, and a reader for the AES-GCM layouts written before it.
 *
 * @see <a href="https://developers.google.com/tink/aead">Tink AEAD</a>
 */
@NullMarked
package dev.gatehouse.crypto;

import org.jspecify.annotations.NullMarked;
