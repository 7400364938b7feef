package dev.gatehouse.stack;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A template that cannot run as written: the message names the file and line and, where known, the resource and
 * property, such as {@code template.yaml:12: resource Fn, property Runtime: runtime "cobol" is not supported}.
 */
public final class TemplateException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final @Nullable String resource;
    private final @Nullable String property;
    private final String reason;

    TemplateException(Pos pos, @Nullable String resource, @Nullable String property, String reason) {
        super(render(pos, resource, property, reason));
        this.file = pos.file();
        this.line = pos.line();
        this.resource = resource;
        this.property = property;
        this.reason = reason;
    }

    TemplateException(Pos pos, String reason) {
        this(pos, null, null, reason);
    }

    private static String render(Pos pos, @Nullable String resource, @Nullable String property, String reason) {
        StringBuilder text = new StringBuilder(pos.toString()).append(": ");
        if (resource != null) {
            text.append("resource ").append(resource).append(property == null ? ": " : ", ");
        }
        if (property != null) {
            text.append("property ").append(property).append(": ");
        }
        return text.append(reason).toString();
    }

    /** The template file as named to the reader. */
    public String file() {
        return file;
    }

    /** The 1-based line, 0 when the whole file is at fault. */
    public int line() {
        return line;
    }

    public Optional<String> resource() {
        return Optional.ofNullable(resource);
    }

    public Optional<String> property() {
        return Optional.ofNullable(property);
    }

    /** The message without its position. */
    public String reason() {
        return reason;
    }
}
