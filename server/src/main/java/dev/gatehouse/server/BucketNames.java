package dev.gatehouse.server;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The names of a stack's buckets: generated as CloudFormation generates them when a template names none
 * ({@code <stack>-<logical id>-<random>}, lower case, at most 63 characters), and checked against S3's naming rules
 * and each other when it does.
 *
 * @see <a href="https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html">Bucket naming rules</a>
 */
final class BucketNames {

    private static final int MAX_LENGTH = 63;
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern IP_ADDRESS = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");

    private BucketNames() {}

    /** {@code <stack>-<logicalId>-<suffix>} in lower case, what S3 does not allow dropped, shortened to fit 63. */
    static String generated(String stackName, String logicalId, String suffix) {
        String prefix = (clean(stackName) + "-" + clean(logicalId)).replaceAll("-{2,}", "-");
        int room = MAX_LENGTH - suffix.length() - 1;
        if (prefix.length() > room) {
            prefix = prefix.substring(0, room);
        }
        prefix = prefix.replaceAll("^-+|-+$", "");
        return (prefix.isEmpty() ? "bucket" : prefix) + "-" + suffix;
    }

    private static String clean(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "");
    }

    /**
     * {@code name} when S3 would create it and no other bucket of the stack has it.
     *
     * @throws StackException naming the resource otherwise
     */
    static String check(String logicalId, String name, List<String> taken) {
        if (!NAME.matcher(name).matches()
                || name.contains("..")
                || IP_ADDRESS.matcher(name).matches()) {
            throw new StackException("resource " + logicalId + ", property BucketName: " + name + " is not a valid"
                    + " bucket name (3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a"
                    + " letter or digit)");
        }
        if (taken.contains(name)) {
            throw new StackException(
                    "resource " + logicalId + ", property BucketName: " + name + " already exists" + " in this stack");
        }
        return name;
    }
}
