package dev.gatehouse.store;

import java.util.Comparator;

/**
 * Compares strings in UTF-8 byte order, which is Unicode code point order. It differs from {@link String#compareTo}
 * (UTF-16 code unit order) only when a supplementary character (a surrogate pair) meets a character from U+E000 up.
 */
public final class Utf8Order {

    public static final Comparator<String> COMPARATOR = Utf8Order::compare;

    private Utf8Order() {}

    /** Negative, zero or positive as {@code a}'s UTF-8 bytes sort before, with or after {@code b}'s. */
    public static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    /** Whether every surrogate in {@code s} is part of a pair, so that it survives a round trip through UTF-8. */
    static boolean isWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    static String requireWellFormed(String s, String name) {
        if (!isWellFormed(s)) {
            throw new IllegalArgumentException(name + " must not contain unpaired surrogates");
        }
        return s;
    }
}
