package dev.gatehouse.store.postgres;

import dev.gatehouse.store.Query;
import dev.gatehouse.store.SortCondition;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The SQL of one query page: {@code tbl} and {@code pk} fixed, {@code sk} bounded below and above by the sort
 * condition and the cursor (each bound a byte string, inclusive or not), live rows only, and one row more than the
 * limit to learn whether more follow. PostgreSQL turns the bounds into an index range scan of the primary key.
 */
final class RangeSelect {

    private final StringBuilder sql =
            new StringBuilder("SELECT sk, attributes, expires_at FROM items WHERE tbl = ? AND pk = ?");
    private final List<Object> parameters = new ArrayList<>();

    private RangeSelect(String table, byte[] partition) {
        parameters.add(table);
        parameters.add(partition);
    }

    static RangeSelect of(String table, Query query, @Nullable String after, long nowMillis) {
        RangeSelect select = new RangeSelect(table, utf8(query.partition()));
        select.sortCondition(query.sort());
        if (after != null) {
            select.bound(query.forward() ? " > ?" : " < ?", utf8(after));
        }
        select.sql
                .append(" AND (expires_at IS NULL OR expires_at > ?) ORDER BY sk ")
                .append(query.forward() ? "ASC" : "DESC")
                .append(" LIMIT ?");
        select.parameters.add(nowMillis);
        select.parameters.add(query.limit() + 1);
        return select;
    }

    PreparedStatement prepare(Connection connection) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql.toString());
        try {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
            return statement;
        } catch (SQLException e) {
            statement.close();
            throw e;
        }
    }

    String sql() {
        return sql.toString();
    }

    private void sortCondition(SortCondition sort) {
        if (sort instanceof SortCondition.Equal c) {
            bound(" = ?", utf8(c.value()));
        } else if (sort instanceof SortCondition.BeginsWith c && !c.prefix().isEmpty()) {
            byte[] prefix = utf8(c.prefix());
            bound(" >= ?", prefix);
            bound(" < ?", prefixEnd(prefix));
        } else if (sort instanceof SortCondition.Between c) {
            bound(" >= ?", utf8(c.low()));
            bound(" <= ?", utf8(c.high()));
        } else if (sort instanceof SortCondition.GreaterThan c) {
            bound(" > ?", utf8(c.value()));
        } else if (sort instanceof SortCondition.LessThan c) {
            bound(" < ?", utf8(c.value()));
        }
    }

    private void bound(String comparison, byte[] value) {
        sql.append(" AND sk").append(comparison);
        parameters.add(value);
    }

    /**
     * The least byte string above every one that starts with {@code prefix}: UTF-8 text never ends in 0xFF, so
     * incrementing the last byte cannot carry.
     */
    private static byte[] prefixEnd(byte[] prefix) {
        byte[] end = prefix.clone();
        end[end.length - 1]++;
        return end;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
