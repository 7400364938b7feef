package dev.gatehouse.userpool;

import java.util.Collection;
import java.util.Map;

/**
 * The rules for changing and removing a user's attributes, shared by the admin and the self-service operations:
 * names must be in the pool's schema; {@code sub} is never written; an empty value removes the attribute (as Cognito
 * documents for AdminUpdateUserAttributes and UpdateUserAttributes); required attributes cannot be removed; a new
 * email or phone number is unverified unless the same call sets it verified.
 */
final class AttributeEdits {

    private AttributeEdits() {}

    /**
     * Applies {@code changes} to {@code user} (not saved). Returns whether the email changed and is now unverified, so
     * the caller sends a code when the pool auto-verifies email.
     */
    static boolean update(PoolConfig pool, User user, Map<String, String> changes, boolean admin) {
        PoolContext.checkAttributes(pool, changes);
        for (String name : changes.keySet()) {
            if (!pool.isMutable(name) || !admin && (name.startsWith("dev:") || name.endsWith("_verified"))) {
                throw UserPoolErrors.notAuthorized("A client attempted to write unauthorized attribute");
            }
        }
        String oldEmail = user.email().orElse("");
        String oldPhone = user.phoneNumber().orElse("");
        for (Map.Entry<String, String> change : changes.entrySet()) {
            if (change.getValue().isEmpty()) {
                remove(pool, user, change.getKey());
            } else {
                user.attributes.put(change.getKey(), change.getValue());
            }
        }
        unverifyChangedPhone(user, changes, oldPhone);
        boolean emailChanged =
                changes.containsKey("email") && !changes.get("email").equals(oldEmail);
        if (emailChanged && !changes.containsKey("email_verified")) {
            if (user.email().isPresent()) {
                user.attributes.put("email_verified", "false");
            }
            return user.email().isPresent();
        }
        return false;
    }

    /** A new phone number is unverified (an SMS MFA code verifies it) unless the same call sets it verified. */
    static void unverifyChangedPhone(User user, Map<String, String> changes, String oldPhone) {
        String phone = changes.get("phone_number");
        if (phone != null
                && !phone.isEmpty()
                && !phone.equals(oldPhone)
                && !changes.containsKey("phone_number_verified")) {
            user.attributes.put("phone_number_verified", "false");
        }
    }

    /** Removes {@code names} from {@code user} (not saved). */
    static void delete(PoolConfig pool, User user, Collection<String> names, boolean admin) {
        for (String name : names) {
            if (!pool.hasAttribute(name)) {
                throw UserPoolErrors.invalidParameter(
                        "Invalid user attributes: " + name + ": Attribute does not exist in the schema.");
            }
            if ("sub".equals(name) || !admin && (name.startsWith("dev:") || !pool.isMutable(name))) {
                throw UserPoolErrors.notAuthorized("A client attempted to write unauthorized attribute");
            }
        }
        names.forEach(name -> remove(pool, user, name));
    }

    private static void remove(PoolConfig pool, User user, String name) {
        if (pool.requiredAttributes().contains(name)
                || pool.usernameAttributes().contains(name)) {
            throw UserPoolErrors.invalidParameter(
                    "Attributes did not conform to the schema: " + name + ": The attribute is required\n");
        }
        user.attributes.remove(name);
        if ("email".equals(name) || "phone_number".equals(name)) {
            user.attributes.remove(name + "_verified");
        }
    }
}
