package dev.gatehouse.server;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The stack's admin access key: the long-term key that signs the user pool's admin operations.
 *
 * @param accessKeyId an {@code AKIA…} id
 * @param secretAccessKey the 40-character secret; never logged, and hidden by {@link #toString()}
 */
record AdminCredentials(String accessKeyId, String secretAccessKey) {

    /** What AWS's key formats allow; anything else could break the INI file it is written to. */
    private static final Pattern KEY_ID = Pattern.compile("[A-Z0-9]{16,128}");

    private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9+/]{40}");

    AdminCredentials {
        Objects.requireNonNull(accessKeyId, "accessKeyId cannot be null");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey cannot be null");
        if (!KEY_ID.matcher(accessKeyId).matches()
                || !SECRET.matcher(secretAccessKey).matches()) {
            throw new IllegalArgumentException("not an AWS access key pair");
        }
    }

    /**
     * The AWS shared-credentials file text: a {@code [default]} profile with the key id and secret. The region is not
     * a credentials-file setting (the CLI reads it from the config file, {@code --region} or {@code AWS_REGION}).
     *
     * @see <a href="https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html">Configuration and credential file settings</a>
     */
    String toSharedCredentialsFile() {
        return "# Gatehouse admin credentials. Use with: AWS_SHARED_CREDENTIALS_FILE=<this file> aws ... --endpoint-url ...\n"
                + "[default]\n"
                + "aws_access_key_id = " + accessKeyId + "\n"
                + "aws_secret_access_key = " + secretAccessKey + "\n";
    }

    /** Writes {@link #toSharedCredentialsFile()} to {@code file}, readable by its owner only. */
    void writeTo(Path file) {
        DataDirectory.writeOwnerOnly(file, toSharedCredentialsFile());
    }

    @Override
    public String toString() {
        return "AdminCredentials[accessKeyId=" + accessKeyId + ", secretAccessKey=***]";
    }
}
