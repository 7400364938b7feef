package dev.gatehouse.userpool;

import java.security.SecureRandom;

/** Temporary passwords for AdminCreateUser that meet the pool's policy. */
final class TemporaryPasswords {

    private static final String UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private static final String LOWER = "abcdefghijkmnopqrstuvwxyz";
    private static final String DIGITS = "23456789";
    private static final String SYMBOLS = "^$*.[]{}()?!@#%&/,><:;|_~=+-";

    private TemporaryPasswords() {}

    static String generate(SecureRandom random, PasswordPolicy policy) {
        int length = Math.max(12, policy.minimumLength());
        String all = UPPER + LOWER + DIGITS + SYMBOLS;
        StringBuilder out = new StringBuilder();
        out.append(pick(random, UPPER))
                .append(pick(random, LOWER))
                .append(pick(random, DIGITS))
                .append(pick(random, SYMBOLS));
        while (out.length() < length) {
            out.append(pick(random, all));
        }
        for (int i = out.length() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            char c = out.charAt(i);
            out.setCharAt(i, out.charAt(j));
            out.setCharAt(j, c);
        }
        return out.toString();
    }

    private static char pick(SecureRandom random, String alphabet) {
        return alphabet.charAt(random.nextInt(alphabet.length()));
    }
}
