package dev.gatehouse.stack;

import org.jspecify.annotations.Nullable;

/** Which resource and property a value belongs to, for error messages. */
record Where(@Nullable String resource, @Nullable String property) {

    static final Where TEMPLATE = new Where(null, null);

    static Where resource(String logicalId) {
        return new Where(logicalId, null);
    }

    Where property(String name) {
        return new Where(resource, property == null ? name : property + "." + name);
    }

    TemplateException error(Node at, String reason) {
        return new TemplateException(at.pos(), resource, property, reason);
    }
}
