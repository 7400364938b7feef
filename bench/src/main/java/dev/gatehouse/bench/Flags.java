package dev.gatehouse.bench;

/** What the benches' flag parsers share. */
final class Flags {

    private Flags() {}

    /** {@code value} as an int in {@code min..max}; otherwise {@link IllegalArgumentException}. */
    static int bounded(String value, int min, int max) {
        int n = Integer.parseInt(value);
        if (n < min || n > max) {
            throw new IllegalArgumentException(value + " is not in " + min + ".." + max);
        }
        return n;
    }
}
