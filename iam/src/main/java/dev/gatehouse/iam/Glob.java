package dev.gatehouse.iam;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A resolved pattern: characters, each either literal or a wildcard ({@code *} any run, possibly empty; {@code ?} exactly
 * one character). Knowing per character whether it is a wildcard is what keeps substituted values literal.
 */
final class Glob {

    private final char[] chars;
    private final boolean[] wild;
    /** The six ARN parts (or fewer), computed on first use; a benign race, the list is immutable. */
    private volatile @Nullable List<Glob> arnParts;

    private Glob(char[] chars, boolean[] wild) {
        this.chars = chars;
        this.wild = wild;
    }

    /** A pattern where {@code *} and {@code ?} in {@code text} are wildcards (Action entries, which take no variables). */
    static Glob of(String text) {
        return new Builder().append(text, true).build();
    }

    /** True when the pattern is the single wildcard {@code *}, which matches everything including non-ARNs. */
    boolean matchesEverything() {
        return chars.length == 1 && wild[0] && chars[0] == '*';
    }

    /** Matches the whole of {@code value}; with {@code ignoreCase}, letters compare case-insensitively. */
    boolean matches(String value, boolean ignoreCase) {
        return matches(value, 0, value.length(), ignoreCase);
    }

    /** Matches the whole of {@code value[from, to)}. */
    private boolean matches(String value, int from, int to, boolean ignoreCase) {
        int p = 0;
        int s = from;
        int starP = -1;
        int starS = 0;
        while (s < to) {
            if (p < chars.length && isStar(p)) {
                starP = p++;
                starS = s;
            } else if (p < chars.length && (isQuestion(p) || same(chars[p], value.charAt(s), ignoreCase))) {
                p++;
                s++;
            } else if (starP >= 0) {
                // Backtrack: let the last * swallow one more character.
                p = starP + 1;
                s = ++starS;
            } else {
                return false;
            }
        }
        while (p < chars.length && isStar(p)) {
            p++;
        }
        return p == chars.length;
    }

    /**
     * Matches an ARN the way IAM matches Resource and ArnLike: the first five colon-separated parts (arn, partition,
     * service, region, account) one by one, so a {@code *} there cannot run into the next part, then the rest (the resource
     * part, which may hold colons and slashes) as one string. Case-sensitive. The pattern {@code *} matches anything; a
     * pattern and value that both have fewer than six parts (not ARNs) are matched as whole strings; an ARN never matches a
     * pattern with another number of parts, so {@code arn:aws:sns:*:topic} cannot stretch its {@code *} over two parts.
     */
    boolean matchesArn(String value) {
        if (matchesEverything()) {
            return true;
        }
        List<Glob> patternParts = arnParts;
        if (patternParts == null) {
            patternParts = List.copyOf(split(':', 6));
            arnParts = patternParts;
        }
        // The value's first five colons, found in place (as value.split(":", 6) would cut it, without the copies).
        int[] colons = new int[5];
        int found = 0;
        for (int i = value.indexOf(':'); i >= 0 && found < 5; i = value.indexOf(':', i + 1)) {
            colons[found++] = i;
        }
        boolean valueIsArn = found == 5;
        if (patternParts.size() < 6 && !valueIsArn) {
            return matches(value, false);
        }
        if (patternParts.size() < 6 || !valueIsArn) {
            return false;
        }
        for (int i = 0; i < 6; i++) {
            int from = i == 0 ? 0 : colons[i - 1] + 1;
            int to = i == 5 ? value.length() : colons[i];
            if (!patternParts.get(i).matches(value, from, to, false)) {
                return false;
            }
        }
        return true;
    }

    private List<Glob> split(char separator, int limit) {
        List<Glob> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < chars.length && out.size() < limit - 1; i++) {
            if (chars[i] == separator && !wild[i]) {
                out.add(slice(start, i));
                start = i + 1;
            }
        }
        out.add(slice(start, chars.length));
        return out;
    }

    private Glob slice(int from, int to) {
        return new Glob(Arrays.copyOfRange(chars, from, to), Arrays.copyOfRange(wild, from, to));
    }

    private boolean isStar(int p) {
        return wild[p] && chars[p] == '*';
    }

    private boolean isQuestion(int p) {
        return wild[p] && chars[p] == '?';
    }

    private static boolean same(char a, char b, boolean ignoreCase) {
        if (a == b) {
            return true;
        }
        return ignoreCase
                && Character.toLowerCase(Character.toUpperCase(a)) == Character.toLowerCase(Character.toUpperCase(b));
    }

    static final class Builder {
        private final StringBuilder chars = new StringBuilder();
        private final List<Boolean> wild = new ArrayList<>();

        Builder append(String text, boolean wildcards) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                chars.append(c);
                wild.add(wildcards && (c == '*' || c == '?'));
            }
            return this;
        }

        Glob build() {
            boolean[] flags = new boolean[wild.size()];
            for (int i = 0; i < flags.length; i++) {
                flags[i] = wild.get(i);
            }
            return new Glob(chars.toString().toCharArray(), flags);
        }
    }
}
