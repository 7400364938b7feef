package dev.gatehouse.userpool;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A ListUsers {@code Filter}: {@code attribute = "value"} or {@code attribute ^= "prefix"}, one attribute, quotes
 * inside the value escaped with a backslash (aws-wire.md A.4).
 */
record UserFilter(String attribute, String value, boolean prefix) {

    private static final Pattern SYNTAX =
            Pattern.compile("\\s*([\\w:]+)\\s*(=|\\^=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*");

    /** Empty for an empty filter; {@code InvalidParameterException} when it does not parse or names no index. */
    static Optional<UserFilter> parse(String filter) {
        if (filter.isBlank()) {
            return Optional.empty();
        }
        Matcher m = SYNTAX.matcher(filter);
        if (!m.matches()) {
            throw UserPoolErrors.invalidParameter("Error while parsing filter.");
        }
        String attribute = m.group(1);
        if (!"username".equals(attribute) && !UserRepository.SEARCHABLE.contains(attribute)) {
            throw UserPoolErrors.invalidParameter("Invalid search attribute: " + attribute);
        }
        String value = m.group(3).replaceAll("\\\\(.)", "$1");
        return Optional.of(new UserFilter(attribute, value, "^=".equals(m.group(2))));
    }
}
