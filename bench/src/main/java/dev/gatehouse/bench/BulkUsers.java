package dev.gatehouse.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.store.Condition;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.ItemStore;
import dev.gatehouse.store.Key;
import dev.gatehouse.store.Write;
import dev.gatehouse.store.sqlite.SqliteItemStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Loads users straight into a stopped server's SQLite store ({@code gatehouse.db}), as copies of one template user
 * that the server itself made (AdminCreateUser, then AdminSetUserPassword Permanent): every row userpool wrote for it
 * in table {@code userpool-users} (the user, its {@code sub} lookup, its email alias and its ListUsers index entries)
 * is written again per user with the template's {@code sub} and email replaced by the copy's. So the copies carry what
 * a user made through the API carries, including the template's password hash (one Argon2id PHC string for all: same
 * password), and sign in and answer GetUser like it.
 *
 * <p>One difference: the sealed SRP verifier is bound to the user it was made for (pool and username are its
 * additional data) and computing one per user costs a 3072-bit modular exponentiation, so the copies keep the
 * template's, which does not open for them: USER_SRP_AUTH fails for a copy as a wrong password would; the row keeps
 * its real size.
 *
 * <p>Rows go in through the store's own table layout ({@code items (tbl, pk, sk, attributes, expires_at)}, sort keys
 * as UTF-8 BLOBs, attributes as the store's JSON text, see {@code SqliteItemStore}), in batches of large transactions
 * and in key order: the copies' {@code sub}s are random UUIDs handed out in sorted order and their emails are
 * zero-padded numbers, so every partition's sort keys rise with the copy's number and each insert appends to its
 * index. The store's own write API takes at most 100 writes per transaction, each checked and fsynced: far slower.
 */
final class BulkUsers {

    static final String TABLE = "userpool-users";
    private static final int ROWS_PER_COMMIT = 200_000;
    private static final int ROWS_PER_BATCH = 5_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {};

    private BulkUsers() {}

    /** The email of user number {@code i}: zero-padded so that emails sort as their numbers do. */
    static String email(int i) {
        return String.format(Locale.ROOT, "user-%07d@bench.example", i);
    }

    /** What a load wrote and how long it took. */
    record Loaded(int users, long rows, double seconds) {}

    /**
     * Adds users {@code 1 .. total-1} as copies of user 0 ({@link #email}(0)), the only user of pool {@code poolId} in
     * {@code database}. The server must be stopped.
     */
    static Loaded load(Path database, String poolId, int total) throws SQLException {
        long start = System.nanoTime();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + database.toAbsolutePath())) {
            execute(db, "PRAGMA synchronous = OFF");
            execute(db, "PRAGMA cache_size = -262144");
            List<TemplateRow> template = template(db, poolId);
            String sub = templateSub(template, poolId);
            String[] subs = sortedSubs(total);
            db.setAutoCommit(false);
            long rows = 0;
            try (PreparedStatement insert = db.prepareStatement(
                    "INSERT INTO items (tbl, pk, sk, attributes, expires_at) VALUES (?, ?, ?, ?, ?)")) {
                for (TemplateRow row : template) {
                    for (int i = 1; i < total; i++) {
                        row.bind(insert, sub, email(0), subs[i], email(i));
                        insert.addBatch();
                        rows++;
                        if (rows % ROWS_PER_BATCH == 0) {
                            insert.executeBatch();
                        }
                        if (rows % ROWS_PER_COMMIT == 0) {
                            db.commit();
                        }
                    }
                }
                insert.executeBatch();
            }
            db.commit();
            db.setAutoCommit(true);
            execute(db, "PRAGMA wal_checkpoint(TRUNCATE)");
            return new Loaded(total - 1, rows, (System.nanoTime() - start) / 1e9);
        }
    }

    /**
     * For comparison, the rate of the store's own write API: {@code users} copies of the template user written to a
     * scratch database beside {@code database} through {@link SqliteItemStore#transact}, as many whole users per
     * transaction as its 100 writes allow (userpool writes one user per transaction). Users per second.
     */
    static double storeApiRate(Path database, String poolId, int users) throws Exception {
        List<TemplateRow> template;
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + database.toAbsolutePath())) {
            template = template(db, poolId);
        }
        String sub = templateSub(template, poolId);
        Path scratch = database.resolveSibling("store-api-scratch.db");
        int perTransaction = ItemStore.MAX_TRANSACT_WRITES / template.size();
        long start = System.nanoTime();
        try (SqliteItemStore store = SqliteItemStore.open(scratch)) {
            List<Write> writes = new ArrayList<>();
            for (int i = 1; i <= users; i++) {
                String newSub = UUID.randomUUID().toString();
                for (TemplateRow row : template) {
                    writes.add(row.write(sub, email(0), newSub, email(i)));
                }
                if (i % perTransaction == 0 || i == users) {
                    store.transact(writes);
                    writes.clear();
                }
            }
        } finally {
            for (String suffix : List.of("", "-wal", "-shm")) {
                Files.deleteIfExists(scratch.resolveSibling(scratch.getFileName() + suffix));
            }
        }
        return users / ((System.nanoTime() - start) / 1e9);
    }

    /** Random UUIDs (version 4, as the server makes), sorted; index 0 is unused (the template keeps its own). */
    private static String[] sortedSubs(int total) {
        String[] subs = new String[total];
        subs[0] = "";
        for (int i = 1; i < total; i++) {
            subs[i] = UUID.randomUUID().toString();
        }
        Arrays.sort(subs, 1, total);
        return subs;
    }

    /** One stored row of the template user, as text, to copy with the user's sub and email replaced. */
    private record TemplateRow(String pk, String sk, String attributes, long expiresAt, boolean expires) {

        void bind(PreparedStatement insert, String sub, String email, String newSub, String newEmail)
                throws SQLException {
            insert.setString(1, TABLE);
            insert.setString(2, swap(pk, sub, email, newSub, newEmail));
            insert.setBytes(3, swap(sk, sub, email, newSub, newEmail).getBytes(StandardCharsets.UTF_8));
            insert.setString(4, swap(attributes, sub, email, newSub, newEmail));
            if (expires) {
                insert.setLong(5, expiresAt);
            } else {
                insert.setNull(5, Types.INTEGER);
            }
        }

        Write write(String sub, String email, String newSub, String newEmail) throws IOException {
            Map<String, String> values = JSON.readValue(swap(attributes, sub, email, newSub, newEmail), MAP);
            Key key = Key.of(swap(pk, sub, email, newSub, newEmail), swap(sk, sub, email, newSub, newEmail));
            Item item = expires ? Item.expiring(key, values, Instant.ofEpochMilli(expiresAt)) : Item.of(key, values);
            return Write.put(TABLE, item, Condition.notExists());
        }

        private static String swap(String text, String sub, String email, String newSub, String newEmail) {
            return text.replace(sub, newSub).replace(email, newEmail);
        }
    }

    /** Every row of the pool's users table (only the template user exists yet). */
    private static List<TemplateRow> template(Connection db, String poolId) throws SQLException {
        List<TemplateRow> rows = new ArrayList<>();
        try (PreparedStatement select = db.prepareStatement(
                "SELECT pk, sk, attributes, expires_at FROM items WHERE tbl = ? AND pk >= ? AND pk < ? ORDER BY pk, sk")) {
            select.setString(1, TABLE);
            select.setString(2, poolId + "#");
            select.setString(3, poolId + "$");
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    String pk = result.getString(1);
                    String sk = new String(result.getBytes(2), StandardCharsets.UTF_8);
                    String attributes = result.getString(3);
                    long expiresAt = result.getLong(4);
                    rows.add(new TemplateRow(pk, sk, attributes, expiresAt, !result.wasNull()));
                }
            }
        }
        long users = rows.stream().filter(r -> r.pk().equals(poolId + "#user")).count();
        if (users != 1 || !rows.stream().anyMatch(r -> r.sk().contains(email(0)))) {
            throw new IllegalStateException("expected exactly the template user " + email(0) + " in " + poolId
                    + ", found " + users + " users in " + rows.size() + " rows");
        }
        return rows;
    }

    private static String templateSub(List<TemplateRow> rows, String poolId) {
        return rows.stream()
                .filter(r -> r.pk().equals(poolId + "#sub"))
                .map(TemplateRow::sk)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("the template user has no sub row"));
    }

    private static void execute(Connection db, String sql) throws SQLException {
        try (Statement statement = db.createStatement()) {
            statement.execute(sql);
        }
    }
}
