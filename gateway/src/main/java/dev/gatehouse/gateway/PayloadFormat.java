package dev.gatehouse.gateway;

/**
 * The Lambda proxy integration's payload format version: the event the function gets and how its answer is read.
 * HTTP APIs default to {@link #V2_0}; REST APIs always use {@link #V1_0}.
 */
public enum PayloadFormat {
    V1_0("1.0"),
    V2_0("2.0");

    private final String version;

    PayloadFormat(String version) {
        this.version = version;
    }

    /** {@code 1.0} or {@code 2.0}, as templates write {@code PayloadFormatVersion}. */
    public String version() {
        return version;
    }

    /**
     * Parses {@code PayloadFormatVersion}.
     *
     * @throws IllegalArgumentException for anything but {@code 1.0} and {@code 2.0}
     */
    public static PayloadFormat of(String version) {
        for (PayloadFormat format : values()) {
            if (format.version.equals(version)) {
                return format;
            }
        }
        throw new IllegalArgumentException("PayloadFormatVersion must be 1.0 or 2.0, not " + version);
    }
}
