package dev.gatehouse.server;

import dev.gatehouse.iam.AccessKeys;
import dev.gatehouse.store.Condition;
import dev.gatehouse.store.ConditionFailedException;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.ItemStore;
import dev.gatehouse.store.Key;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a stack is created with once and keeps for the life of its data dir: the account id and the admin access key.
 * Created on first start with a conditional put, so two processes starting on the same store agree on one state;
 * every later start reads it back, which is why ids and keys are the same on every restart.
 *
 * @param accountId 12 digits, as AWS account ids
 * @param admin the admin access key pair
 * @param createdAt when the stack was first started
 */
record StackState(String accountId, AdminCredentials admin, Instant createdAt) {

    /** The store table of stack-wide settings. */
    static final String TABLE = "gatehouse-stack";

    static final Key KEY = Key.of("stack", "state");

    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");

    StackState {
        Objects.requireNonNull(accountId, "accountId cannot be null");
        Objects.requireNonNull(admin, "admin cannot be null");
        Objects.requireNonNull(createdAt, "createdAt cannot be null");
        if (!ACCOUNT_ID.matcher(accountId).matches()) {
            throw new IllegalArgumentException("account id must be 12 digits");
        }
    }

    /** The admin's ARN, as IAM names an account's root user. */
    String adminArn() {
        return "arn:aws:iam::" + accountId + ":root";
    }

    /** Reads the stack state, creating it on first start. Blocking. */
    static StackState loadOrCreate(ItemStore store, AccessKeys keys, SecureRandom random, Instant now) {
        Optional<StackState> existing = load(store);
        if (existing.isPresent()) {
            return existing.get();
        }
        StackState created = new StackState(
                newAccountId(random), new AdminCredentials(keys.newLongTermKeyId(), keys.newSecretAccessKey()), now);
        try {
            store.put(TABLE, created.toItem(), Condition.notExists());
            return created;
        } catch (ConditionFailedException e) {
            // Another process created it first: use theirs.
            return load(store).orElseThrow(() -> new IllegalStateException("stack state vanished after a conflict", e));
        }
    }

    static Optional<StackState> load(ItemStore store) {
        return store.get(TABLE, KEY).map(StackState::fromItem);
    }

    private Item toItem() {
        return Item.of(
                KEY,
                Map.of(
                        "accountId",
                        accountId,
                        "adminAccessKeyId",
                        admin.accessKeyId(),
                        "adminSecretAccessKey",
                        admin.secretAccessKey(),
                        "createdAt",
                        createdAt.toString()));
    }

    private static StackState fromItem(Item item) {
        return new StackState(
                required(item, "accountId"),
                new AdminCredentials(required(item, "adminAccessKeyId"), required(item, "adminSecretAccessKey")),
                Instant.parse(required(item, "createdAt")));
    }

    private static String required(Item item, String name) {
        return item.attribute(name).orElseThrow(() -> new IllegalStateException("stack state has no " + name));
    }

    /** A 12-digit id; AWS account ids never start with 0 in practice, so neither do ours (clients parse them as text). */
    private static String newAccountId(SecureRandom random) {
        StringBuilder id = new StringBuilder().append(1 + random.nextInt(9));
        for (int i = 1; i < 12; i++) {
            id.append(random.nextInt(10));
        }
        return id.toString();
    }

    @Override
    public String toString() {
        return "StackState[accountId=" + accountId + ", admin=" + admin + ", createdAt=" + createdAt + "]";
    }
}
