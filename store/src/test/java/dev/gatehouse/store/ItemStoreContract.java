package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The guarantees of {@link ItemStore}, run against every adapter: each adapter's tests extend this class and
 * implement {@link #newStore}. Test methods are public so that subclasses in other packages inherit them.
 */
public abstract class ItemStoreContract {

    protected static final String TABLE = "items";
    protected static final String OTHER_TABLE = "other-items";

    protected final MutableClock clock = MutableClock.at("2024-01-01T00:00:00Z");
    protected ItemStore store;

    /** A new, empty store whose expiry decisions follow {@code clock}. */
    protected abstract ItemStore newStore(MutableClock clock);

    @BeforeEach
    void openStore() {
        store = newStore(clock);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    // ---- get / put / delete

    @Test
    public void getWhenAbsentThenEmpty() {
        assertThat(store.get(TABLE, Key.of("p", "s"))).isEmpty();
    }

    @Test
    public void putThenGetReturnsEqualItem() {
        Item item = new Item(
                Key.of("p", "s"),
                Map.of("a", "1", "b", "zwei", "c", ""),
                clock.instant().plusSeconds(60));
        store.put(TABLE, item, Condition.none());
        assertThat(store.get(TABLE, Key.of("p", "s"))).contains(item);
    }

    @Test
    public void putWhenItemHasNoAttributesThenReadsBackEmpty() {
        store.put(TABLE, Item.of(Key.of("p", "s"), Map.of()), Condition.none());
        assertThat(store.get(TABLE, Key.of("p", "s")))
                .hasValueSatisfying(i -> assertThat(i.attributes()).isEmpty());
    }

    @Test
    public void putWhenKeyExistsThenReplacesWholeItem() {
        store.put(TABLE, item("p", "s", "a", "1", "b", "2"), Condition.none());
        store.put(TABLE, item("p", "s", "a", "3"), Condition.none());
        assertThat(store.get(TABLE, Key.of("p", "s"))).contains(item("p", "s", "a", "3"));
    }

    @Test
    public void putWhenExpiryHasNanosThenReadsBackTruncatedToMillis() {
        Instant expiry = clock.instant().plusSeconds(10).plusNanos(123_456_789);
        store.put(TABLE, new Item(Key.of("p", "s"), Map.of(), expiry), Condition.none());
        assertThat(store.get(TABLE, Key.of("p", "s")).flatMap(Item::expiry))
                .contains(clock.instant().plusSeconds(10).plusMillis(123));
    }

    @Test
    public void putWhenValuesAreUnicodeAndLargeThenRoundTrips() {
        String large = "x".repeat(100_000);
        Item item =
                item("p", "s", "text", "héllo \"wörld\" \\ \n\t\u0000 \uD83D\uDE00 \u2028 </script>", "large", large);
        store.put(TABLE, item, Condition.none());
        assertThat(store.get(TABLE, Key.of("p", "s"))).contains(item);
    }

    @Test
    public void putWhenKeysHoldWildcardsAndNulThenTreatsThemLiterally() {
        store.put(TABLE, item("a%_\u0000b", "s%_\u0000", "v", "1"), Condition.none());
        store.put(TABLE, item("a%_\u0000bc", "s%_\u0000x", "v", "2"), Condition.none());
        store.put(TABLE, item("aXYZb", "sXYZ", "v", "3"), Condition.none());
        assertThat(store.get(TABLE, Key.of("a%_\u0000b", "s%_\u0000")))
                .contains(item("a%_\u0000b", "s%_\u0000", "v", "1"));
        assertThat(store.get(TABLE, Key.of("aXYb", "sXY"))).isEmpty();
        assertThat(sortKeys(store.query(TABLE, Query.partition("a%_\u0000b")))).containsExactly("s%_\u0000");
        assertThat(sortKeys(store.query(TABLE, Query.partition("a%_\u0000b").withSort(SortCondition.beginsWith("s%")))))
                .containsExactly("s%_\u0000");
    }

    @Test
    public void deleteThenGetEmpty() {
        store.put(TABLE, item("p", "s"), Condition.none());
        store.delete(TABLE, Key.of("p", "s"), Condition.none());
        assertThat(store.get(TABLE, Key.of("p", "s"))).isEmpty();
    }

    @Test
    public void deleteWhenAbsentAndNoConditionThenNoError() {
        assertThatNoException().isThrownBy(() -> store.delete(TABLE, Key.of("p", "s"), Condition.none()));
    }

    @Test
    public void deleteLeavesOtherSortKeysOfPartition() {
        store.put(TABLE, item("p", "a"), Condition.none());
        store.put(TABLE, item("p", "b"), Condition.none());
        store.delete(TABLE, Key.of("p", "a"), Condition.none());
        assertThat(sortKeys(store.query(TABLE, Query.partition("p")))).containsExactly("b");
    }

    // ---- conditions

    @Test
    public void putWhenNotExistsAndAbsentThenWrites() {
        store.put(TABLE, item("p", "s", "v", "1"), Condition.notExists());
        assertThat(store.get(TABLE, Key.of("p", "s"))).contains(item("p", "s", "v", "1"));
    }

    @Test
    public void putWhenNotExistsAndPresentThenConditionFailedAndUnchanged() {
        store.put(TABLE, item("p", "s", "v", "1"), Condition.none());
        assertConditionFailed(() -> store.put(TABLE, item("p", "s", "v", "2"), Condition.notExists()), 0);
        assertThat(store.get(TABLE, Key.of("p", "s"))).contains(item("p", "s", "v", "1"));
    }

    @Test
    public void putWhenExistsAndAbsentThenConditionFailedAndNothingWritten() {
        assertConditionFailed(() -> store.put(TABLE, item("p", "s"), Condition.exists()), 0);
        assertThat(store.get(TABLE, Key.of("p", "s"))).isEmpty();
    }

    @Test
    public void putWhenExistsAndPresentThenWrites() {
        store.put(TABLE, item("p", "s", "v", "1"), Condition.none());
        store.put(TABLE, item("p", "s", "v", "2"), Condition.exists());
        assertThat(store.get(TABLE, Key.of("p", "s"))).contains(item("p", "s", "v", "2"));
    }

    @Test
    public void putWhenAttributeEqualsMatchesThenWrites() {
        store.put(TABLE, item("p", "s", "version", "1"), Condition.none());
        store.put(TABLE, item("p", "s", "version", "2"), Condition.attributeEquals("version", "1"));
        assertThat(store.get(TABLE, Key.of("p", "s"))).contains(item("p", "s", "version", "2"));
    }

    @Test
    public void putWhenAttributeEqualsDiffersThenConditionFailed() {
        store.put(TABLE, item("p", "s", "version", "1"), Condition.none());
        assertConditionFailed(
                () -> store.put(TABLE, item("p", "s", "version", "3"), Condition.attributeEquals("version", "2")), 0);
        assertThat(store.get(TABLE, Key.of("p", "s"))).contains(item("p", "s", "version", "1"));
    }

    @Test
    public void putWhenAttributeEqualsAndAttributeMissingThenConditionFailed() {
        store.put(TABLE, item("p", "s", "other", "1"), Condition.none());
        assertConditionFailed(() -> store.put(TABLE, item("p", "s"), Condition.attributeEquals("version", "1")), 0);
    }

    @Test
    public void putWhenAttributeEqualsAndItemAbsentThenConditionFailed() {
        assertConditionFailed(() -> store.put(TABLE, item("p", "s"), Condition.attributeEquals("version", "1")), 0);
        assertThat(store.get(TABLE, Key.of("p", "s"))).isEmpty();
    }

    @Test
    public void deleteWhenConditionFalseThenConditionFailedAndItemKept() {
        store.put(TABLE, item("p", "s", "version", "1"), Condition.none());
        assertConditionFailed(
                () -> store.delete(TABLE, Key.of("p", "s"), Condition.attributeEquals("version", "2")), 0);
        assertConditionFailed(() -> store.delete(TABLE, Key.of("p", "s"), Condition.notExists()), 0);
        assertThat(store.get(TABLE, Key.of("p", "s"))).isPresent();
    }

    @Test
    public void deleteWhenExistsAndAbsentThenConditionFailed() {
        assertConditionFailed(() -> store.delete(TABLE, Key.of("p", "s"), Condition.exists()), 0);
    }

    @Test
    public void deleteWhenAttributeEqualsMatchesThenDeletes() {
        store.put(TABLE, item("p", "s", "version", "1"), Condition.none());
        store.delete(TABLE, Key.of("p", "s"), Condition.attributeEquals("version", "1"));
        assertThat(store.get(TABLE, Key.of("p", "s"))).isEmpty();
    }

    @Test
    public void conditionFailedExceptionNamesTableAndKey() {
        store.put(TABLE, item("p", "s"), Condition.none());
        assertThatThrownBy(() -> store.put(TABLE, item("p", "s"), Condition.notExists()))
                .isInstanceOfSatisfying(ConditionFailedException.class, e -> {
                    assertThat(e.table()).isEqualTo(TABLE);
                    assertThat(e.key()).isEqualTo(Key.of("p", "s"));
                });
    }

    // ---- transact

    @Test
    public void transactWhenAllConditionsHoldThenAppliesEveryWrite() {
        store.put(TABLE, item("p", "old", "version", "1"), Condition.none());
        store.put(TABLE, item("p", "checked", "version", "7"), Condition.none());
        store.transact(List.of(
                Write.put(TABLE, item("p", "new"), Condition.notExists()),
                Write.delete(TABLE, Key.of("p", "old"), Condition.attributeEquals("version", "1")),
                Write.check(TABLE, Key.of("p", "checked"), Condition.attributeEquals("version", "7")),
                Write.put(OTHER_TABLE, item("q", "x"), Condition.none())));
        assertThat(sortKeys(store.query(TABLE, Query.partition("p")))).containsExactly("checked", "new");
        assertThat(store.get(OTHER_TABLE, Key.of("q", "x"))).isPresent();
    }

    @Test
    public void transactWhenConditionAtIndexFailsThenWritesNothingAndReportsIndex() {
        store.put(TABLE, item("p", "a", "v", "1"), Condition.none());
        store.put(TABLE, item("p", "b", "v", "1"), Condition.none());
        List<Write> writes = List.of(
                Write.put(TABLE, item("p", "a", "v", "2"), Condition.exists()),
                Write.delete(TABLE, Key.of("p", "b"), Condition.none()),
                Write.put(TABLE, item("p", "c"), Condition.notExists()),
                Write.put(TABLE, item("p", "d"), Condition.exists()),
                Write.put(OTHER_TABLE, item("p", "e"), Condition.none()));
        assertConditionFailed(() -> store.transact(writes), 3);
        assertThat(store.query(TABLE, Query.partition("p")).items())
                .containsExactly(item("p", "a", "v", "1"), item("p", "b", "v", "1"));
        assertThat(store.query(OTHER_TABLE, Query.partition("p")).items()).isEmpty();
    }

    @Test
    public void transactWhenCheckFailsThenWritesNothing() {
        assertConditionFailed(
                () -> store.transact(List.of(
                        Write.put(TABLE, item("p", "a"), Condition.none()),
                        Write.check(TABLE, Key.of("p", "missing"), Condition.exists()))),
                1);
        assertThat(store.get(TABLE, Key.of("p", "a"))).isEmpty();
    }

    @Test
    public void transactWhenFirstWriteFailsThenReportsIndexZero() {
        store.put(TABLE, item("p", "a"), Condition.none());
        assertConditionFailed(
                () -> store.transact(List.of(
                        Write.put(TABLE, item("p", "a"), Condition.notExists()),
                        Write.put(TABLE, item("p", "b"), Condition.none()))),
                0);
        assertThat(store.get(TABLE, Key.of("p", "b"))).isEmpty();
    }

    @Test
    public void transactWhenSameKeyTwiceThenIllegalArgumentAndNothingWritten() {
        List<Write> writes = List.of(
                Write.put(TABLE, item("p", "a"), Condition.none()),
                Write.put(TABLE, item("p", "b"), Condition.none()),
                Write.check(TABLE, Key.of("p", "a"), Condition.none()));
        assertThatThrownBy(() -> store.transact(writes)).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.query(TABLE, Query.partition("p")).items()).isEmpty();
    }

    @Test
    public void transactWhenSameKeyInDifferentTablesThenAllowed() {
        store.transact(List.of(
                Write.put(TABLE, item("p", "a", "t", "1"), Condition.none()),
                Write.put(OTHER_TABLE, item("p", "a", "t", "2"), Condition.none())));
        assertThat(store.get(TABLE, Key.of("p", "a"))).contains(item("p", "a", "t", "1"));
        assertThat(store.get(OTHER_TABLE, Key.of("p", "a"))).contains(item("p", "a", "t", "2"));
    }

    @Test
    public void transactWhenHundredWritesThenAppliesAll() {
        store.transact(puts(100));
        assertThat(collectAll(Query.partition("p").withLimit(1000))).hasSize(100);
    }

    @Test
    public void transactWhenMoreThanHundredWritesThenIllegalArgumentAndNothingWritten() {
        assertThatThrownBy(() -> store.transact(puts(101))).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.query(TABLE, Query.partition("p")).items()).isEmpty();
    }

    @Test
    public void transactWhenEmptyThenIllegalArgument() {
        assertThatThrownBy(() -> store.transact(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- expiry

    @Test
    public void getWhenExpiryPassedThenEmpty() {
        store.put(TABLE, expiring("p", "s", Duration.ofSeconds(10)), Condition.none());
        clock.advance(Duration.ofSeconds(11));
        assertThat(store.get(TABLE, Key.of("p", "s"))).isEmpty();
    }

    @Test
    public void getWhenExpiryEqualsNowThenEmpty() {
        store.put(TABLE, expiring("p", "s", Duration.ofSeconds(10)), Condition.none());
        clock.advance(Duration.ofSeconds(10));
        assertThat(store.get(TABLE, Key.of("p", "s"))).isEmpty();
    }

    @Test
    public void getWhenExpiryOneMilliAfterNowThenPresent() {
        store.put(TABLE, expiring("p", "s", Duration.ofSeconds(10)), Condition.none());
        clock.advance(Duration.ofSeconds(10).minusMillis(1));
        assertThat(store.get(TABLE, Key.of("p", "s"))).isPresent();
    }

    @Test
    public void putWhenAlreadyExpiredThenInvisible() {
        store.put(TABLE, expiring("p", "s", Duration.ZERO), Condition.none());
        assertThat(store.get(TABLE, Key.of("p", "s"))).isEmpty();
        assertThat(store.query(TABLE, Query.partition("p")).items()).isEmpty();
    }

    @Test
    public void queryWhenSomeItemsExpiredThenSkipsThem() {
        store.put(TABLE, expiring("p", "a", Duration.ofSeconds(5)), Condition.none());
        store.put(TABLE, item("p", "b"), Condition.none());
        store.put(TABLE, expiring("p", "c", Duration.ofSeconds(20)), Condition.none());
        store.put(TABLE, expiring("p", "d", Duration.ofSeconds(10)), Condition.none());
        clock.advance(Duration.ofSeconds(10));
        assertThat(sortKeys(store.query(TABLE, Query.partition("p")))).containsExactly("b", "c");
        assertThat(collectAll(Query.partition("p").withLimit(1))).containsExactly("b", "c");
    }

    @Test
    public void putWhenNotExistsAndItemExpiredThenWrites() {
        store.put(TABLE, expiring("p", "s", Duration.ofSeconds(10)), Condition.none());
        clock.advance(Duration.ofSeconds(10));
        store.put(TABLE, item("p", "s", "v", "new"), Condition.notExists());
        assertThat(store.get(TABLE, Key.of("p", "s"))).contains(item("p", "s", "v", "new"));
    }

    @Test
    public void conditionsWhenItemExpiredThenTreatItAsAbsent() {
        store.put(
                TABLE,
                new Item(Key.of("p", "s"), Map.of("v", "1"), clock.instant().plusSeconds(10)),
                Condition.none());
        clock.advance(Duration.ofSeconds(10));
        assertConditionFailed(() -> store.put(TABLE, item("p", "s"), Condition.exists()), 0);
        assertConditionFailed(() -> store.put(TABLE, item("p", "s"), Condition.attributeEquals("v", "1")), 0);
        assertConditionFailed(() -> store.delete(TABLE, Key.of("p", "s"), Condition.exists()), 0);
        assertConditionFailed(
                () -> store.transact(List.of(Write.check(TABLE, Key.of("p", "s"), Condition.exists()))), 0);
        store.transact(List.of(Write.check(TABLE, Key.of("p", "s"), Condition.notExists())));
    }

    @Test
    public void putWhenReplacingExpiringItemWithoutExpiryThenLivesOn() {
        store.put(TABLE, expiring("p", "s", Duration.ofSeconds(10)), Condition.none());
        store.put(TABLE, item("p", "s"), Condition.exists());
        clock.advance(Duration.ofDays(365));
        assertThat(store.get(TABLE, Key.of("p", "s"))).isPresent();
    }

    @Test
    public void writesWhenManyItemsExpireThenOthersStayVisible() {
        for (int i = 0; i < 50; i++) {
            store.put(TABLE, expiring("p", "e" + i, Duration.ofSeconds(1)), Condition.none());
        }
        store.put(TABLE, item("p", "keep"), Condition.none());
        clock.advance(Duration.ofHours(2));
        // Writes after the expiry give adapters the chance to sweep; the survivor must stay.
        store.put(TABLE, item("p", "later"), Condition.none());
        store.put(TABLE, item("q", "x"), Condition.none());
        assertThat(collectAll(Query.partition("p").withLimit(7))).containsExactly("keep", "later");
    }

    // ---- sort conditions and order

    @Test
    public void queryWhenEachSortConditionThenMatchesForwardAndBackward() {
        for (String s : List.of("a", "ab", "abc", "b", "ba", "c")) {
            store.put(TABLE, item("p", s), Condition.none());
        }
        assertSortCondition(SortCondition.any(), "a", "ab", "abc", "b", "ba", "c");
        assertSortCondition(SortCondition.equalTo("ab"), "ab");
        assertSortCondition(SortCondition.equalTo("zz"));
        assertSortCondition(SortCondition.beginsWith("ab"), "ab", "abc");
        assertSortCondition(SortCondition.beginsWith("b"), "b", "ba");
        assertSortCondition(SortCondition.beginsWith(""), "a", "ab", "abc", "b", "ba", "c");
        assertSortCondition(SortCondition.beginsWith("x"));
        assertSortCondition(SortCondition.between("ab", "b"), "ab", "abc", "b");
        assertSortCondition(SortCondition.between("ab", "ab"), "ab");
        assertSortCondition(SortCondition.between("aa", "bz"), "ab", "abc", "b", "ba");
        assertSortCondition(SortCondition.greaterThan("ab"), "abc", "b", "ba", "c");
        assertSortCondition(SortCondition.greaterThan("c"));
        assertSortCondition(SortCondition.lessThan("b"), "a", "ab", "abc");
        assertSortCondition(SortCondition.lessThan("a"));
    }

    @Test
    public void queryOrdersSortKeysInUtf8ByteOrderNotUtf16Order() {
        // U+FF21 (fullwidth A) is 0xFF21 in UTF-16 but U+1F600 is the surrogate pair 0xD83D 0xDE00, so String.compareTo
        // puts the emoji first; in UTF-8 (EF BC A1 vs F0 9F 98 80) and in code points the emoji comes last.
        List<String> expected = List.of("Z", "a", "\u00E9", "\uE000", "\uFF21", "\uD83D\uDE00", "\uD83D\uDE00x");
        assertThat("\uD83D\uDE00".compareTo("\uFF21")).isNegative();
        List<String> shuffled = new ArrayList<>(expected);
        Collections.reverse(shuffled);
        shuffled.forEach(s -> store.put(TABLE, item("p", s), Condition.none()));
        assertThat(collectAll(Query.partition("p"))).containsExactlyElementsOf(expected);
        assertThat(collectAll(Query.partition("p").withLimit(2))).containsExactlyElementsOf(expected);
        assertThat(collectAll(Query.partition("p").withLimit(3).descending()))
                .containsExactlyElementsOf(reversed(expected));
        assertSortCondition(SortCondition.greaterThan("\uFF21"), "\uD83D\uDE00", "\uD83D\uDE00x");
        assertSortCondition(SortCondition.lessThan("\uD83D\uDE00"), "Z", "a", "\u00E9", "\uE000", "\uFF21");
        assertSortCondition(SortCondition.between("\uE000", "\uD83D\uDE00"), "\uE000", "\uFF21", "\uD83D\uDE00");
        assertSortCondition(SortCondition.beginsWith("\uD83D\uDE00"), "\uD83D\uDE00", "\uD83D\uDE00x");
    }

    @Test
    public void queryWhenBeginsWithEndsInHighByteCharactersThenExactPrefixOnly() {
        for (String s :
                List.of("a\u007F", "a\u007Fz", "a\u0080", "\u00E9", "\u00E9t\u00E9", "\u00EA", "\uFFFF", "\uFFFFa")) {
            store.put(TABLE, item("p", s), Condition.none());
        }
        assertSortCondition(SortCondition.beginsWith("a\u007F"), "a\u007F", "a\u007Fz");
        assertSortCondition(SortCondition.beginsWith("\u00E9"), "\u00E9", "\u00E9t\u00E9");
        assertSortCondition(SortCondition.beginsWith("\uFFFF"), "\uFFFF", "\uFFFFa");
    }

    @Test
    public void queryReturnsOnlyTheQueriedPartition() {
        store.put(TABLE, item("p", "a"), Condition.none());
        store.put(TABLE, item("p2", "b"), Condition.none());
        store.put(TABLE, item("P", "c"), Condition.none());
        store.put(OTHER_TABLE, item("p", "d"), Condition.none());
        assertThat(sortKeys(store.query(TABLE, Query.partition("p")))).containsExactly("a");
        assertThat(sortKeys(store.query(TABLE, Query.partition("q")))).isEmpty();
        assertThat(sortKeys(store.query("never-written", Query.partition("p")))).isEmpty();
    }

    // ---- pagination

    @Test
    public void queryWhenManyPagesThenCursorsVisitEveryItemOnce() {
        List<String> expected =
                IntStream.range(0, 250).mapToObj(i -> String.format("k%04d", i)).collect(Collectors.toList());
        List<Write> batch = new ArrayList<>();
        for (String s : expected) {
            batch.add(Write.put(TABLE, item("p", s), Condition.none()));
            if (batch.size() == 100) {
                store.transact(batch);
                batch.clear();
            }
        }
        store.transact(batch);
        assertThat(collectAll(Query.partition("p").withLimit(7))).containsExactlyElementsOf(expected);
        assertThat(collectAll(Query.partition("p").withLimit(7).descending()))
                .containsExactlyElementsOf(reversed(expected));
        assertThat(collectAll(Query.partition("p").withLimit(250))).containsExactlyElementsOf(expected);
        assertThat(collectAll(Query.partition("p").withLimit(1000))).containsExactlyElementsOf(expected);
        assertThat(collectAll(Query.partition("p").withLimit(11).withSort(SortCondition.between("k0100", "k0199"))))
                .containsExactlyElementsOf(expected.subList(100, 200));
    }

    @Test
    public void queryWhenPageIsFullThenItHoldsLimitItems() {
        store.transact(puts(10));
        Page first = store.query(TABLE, Query.partition("p").withLimit(4));
        assertThat(first.items()).hasSize(4);
        assertThat(first.cursor()).isPresent();
        Page exact = store.query(TABLE, Query.partition("p").withLimit(10));
        assertThat(exact.items()).hasSize(10);
        exact.cursor().ifPresent(c -> assertThat(
                        store.query(TABLE, Query.partition("p").after(c)).items())
                .isEmpty());
        assertThat(store.query(TABLE, Query.partition("p").withLimit(11)).cursor())
                .isEmpty();
    }

    @Test
    public void queryWhenItemsWrittenBetweenPagesThenNoneLostOrRepeated() {
        for (int i = 0; i < 40; i += 2) {
            store.put(TABLE, item("p", String.format("k%03d", i)), Condition.none());
        }
        List<String> seen = new ArrayList<>();
        Set<String> mustSee = new HashSet<>();
        Optional<String> cursor = Optional.empty();
        int page = 0;
        do {
            Page p = store.query(TABLE, Query.partition("p").withLimit(5).after(cursor.orElse(null)));
            seen.addAll(sortKeys(p));
            cursor = p.cursor();
            if (cursor.isPresent()) {
                // Between pages: write odd keys behind and ahead of the cursor, and rewrite an already seen item.
                String last = seen.get(seen.size() - 1);
                for (String key :
                        List.of(String.format("k%03d", 2 * page + 1), String.format("k%03d", 39 - 2 * page))) {
                    store.put(TABLE, item("p", key), Condition.none());
                    if (key.compareTo(last) > 0) {
                        mustSee.add(key);
                    }
                }
                store.put(TABLE, item("p", "k000", "rewritten", String.valueOf(page)), Condition.none());
            }
            page++;
        } while (cursor.isPresent());
        assertThat(seen).doesNotHaveDuplicates().isSorted();
        assertThat(seen)
                .containsAll(IntStream.range(0, 20)
                        .mapToObj(i -> String.format("k%03d", 2 * i))
                        .toList());
        assertThat(mustSee).isNotEmpty();
        assertThat(seen).containsAll(mustSee);
    }

    @Test
    public void queryWhenCursorFromAnotherPartitionThenIllegalArgument() {
        store.transact(puts(5));
        String cursor =
                store.query(TABLE, Query.partition("p").withLimit(2)).cursor().orElseThrow();
        assertThatThrownBy(() -> store.query(TABLE, Query.partition("q").after(cursor)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    public void queryWhenCursorMalformedThenIllegalArgument() {
        assertThatThrownBy(() -> store.query(TABLE, Query.partition("p").after("not a cursor!")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.query(TABLE, Query.partition("p").after("AA")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    public void queryWhenCursorFromOtherAdapterThenResumes() {
        store.transact(puts(5));
        String cursor = Cursors.encode("p", "k0001");
        assertThat(sortKeys(store.query(TABLE, Query.partition("p").after(cursor))))
                .containsExactly("k0002", "k0003", "k0004");
        assertThat(sortKeys(store.query(TABLE, Query.partition("p").descending().after(cursor))))
                .containsExactly("k0000");
    }

    @Test
    public void countWhenPartitionHasExpiredItemsAndNeighboursThenCountsItsLiveItemsOnly() {
        store.put(TABLE, item("p", "a"), Condition.none());
        store.put(TABLE, item("p", "b"), Condition.none());
        store.put(TABLE, expiring("p", "c", Duration.ofSeconds(10)), Condition.none());
        store.put(TABLE, expiring("p", "d", Duration.ofSeconds(20)), Condition.none());
        store.put(TABLE, item("p2", "a"), Condition.none());
        store.put(TABLE, item("q", "a"), Condition.none());
        store.put(OTHER_TABLE, item("p", "z"), Condition.none());
        clock.advance(Duration.ofSeconds(10));

        assertThat(store.count(TABLE, "p")).isEqualTo(3);
        assertThat(store.count(TABLE, "absent")).isZero();
    }

    @Test
    public void countWhenPartitionSpansPagesThenCountsEveryItem() {
        List<Write> writes = new ArrayList<>();
        for (int i = 0; i < Query.MAX_LIMIT + 5; i++) {
            writes.add(Write.put(TABLE, item("p", String.format(java.util.Locale.ROOT, "s%05d", i)), Condition.none()));
            if (writes.size() == ItemStore.MAX_TRANSACT_WRITES) {
                store.transact(writes);
                writes.clear();
            }
        }
        store.transact(writes);

        assertThat(store.count(TABLE, "p")).isEqualTo(Query.MAX_LIMIT + 5);
    }

    @Test
    public void queryLimitMustBeBetweenOneAndThousand() {
        assertThatThrownBy(() -> Query.partition("p").withLimit(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Query.partition("p").withLimit(1001)).isInstanceOf(IllegalArgumentException.class);
        store.transact(puts(3));
        assertThat(collectAll(Query.partition("p").withLimit(1))).containsExactly("k0000", "k0001", "k0002");
    }

    // ---- concurrency

    @Test
    public void putWhenThreadsRaceOnVersionThenNoUpdateIsLost() throws Exception {
        store.put(TABLE, item("p", "counter", "version", "0"), Condition.none());
        int threads = 4;
        int incrementsEach = 25;
        AtomicInteger conflicts = new AtomicInteger();
        runConcurrently(threads, () -> {
            for (int i = 0; i < incrementsEach; i++) {
                while (true) {
                    String version = store.get(TABLE, Key.of("p", "counter"))
                            .orElseThrow()
                            .attribute("version")
                            .orElseThrow();
                    String next = String.valueOf(Integer.parseInt(version) + 1);
                    try {
                        store.put(
                                TABLE,
                                item("p", "counter", "version", next),
                                Condition.attributeEquals("version", version));
                        break;
                    } catch (ConditionFailedException e) {
                        conflicts.incrementAndGet();
                    }
                }
            }
            return null;
        });
        assertThat(store.get(TABLE, Key.of("p", "counter")).flatMap(i -> i.attribute("version")))
                .contains(String.valueOf(threads * incrementsEach));
    }

    @Test
    public void transactWhenThreadsRaceForSameUniqueKeyThenExactlyOneWins() throws Exception {
        int threads = 6;
        AtomicInteger winners = new AtomicInteger();
        AtomicInteger index = new AtomicInteger();
        runConcurrently(threads, () -> {
            String user = "user" + index.getAndIncrement();
            try {
                store.transact(List.of(
                        Write.put(TABLE, item("user", user), Condition.notExists()),
                        Write.put(TABLE, item("email", "alice@example.com", "owner", user), Condition.notExists())));
                winners.incrementAndGet();
            } catch (ConditionFailedException e) {
                assertThat(e.index()).isEqualTo(1);
            }
            return null;
        });
        assertThat(winners).hasValue(1);
        String owner = store.get(TABLE, Key.of("email", "alice@example.com"))
                .orElseThrow()
                .attribute("owner")
                .orElseThrow();
        assertThat(sortKeys(store.query(TABLE, Query.partition("user")))).containsExactly(owner);
    }

    @Test
    public void readsWhileWritingThenSeeWholeItems() throws Exception {
        int threads = 3;
        runConcurrently(threads, () -> {
            for (int i = 0; i < 30; i++) {
                String v = String.valueOf(i);
                store.transact(List.of(
                        Write.put(TABLE, item("p", "a", "v", v), Condition.none()),
                        Write.put(TABLE, item("p", "b", "v", v), Condition.none())));
                assertThat(store.query(TABLE, Query.partition("p")).items()).hasSize(2);
            }
            return null;
        });
        assertThat(store.query(TABLE, Query.partition("p")).items()).hasSize(2);
    }

    // ---- tables and lifecycle

    @Test
    public void tablesAreIsolated() {
        store.put(TABLE, item("p", "s", "t", "1"), Condition.none());
        assertThat(store.get(OTHER_TABLE, Key.of("p", "s"))).isEmpty();
        store.put(OTHER_TABLE, item("p", "s", "t", "2"), Condition.notExists());
        store.delete(TABLE, Key.of("p", "s"), Condition.none());
        assertThat(store.get(OTHER_TABLE, Key.of("p", "s"))).contains(item("p", "s", "t", "2"));
    }

    @Test
    public void callsWhenTableNameInvalidThenIllegalArgument() {
        for (String bad : List.of("ab", "a b", "x".repeat(256), "t\u00E9ble", "a/b")) {
            assertThatThrownBy(() -> store.get(bad, Key.of("p", "s"))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.put(bad, item("p", "s"), Condition.none()))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.delete(bad, Key.of("p", "s"), Condition.none()))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.query(bad, Query.partition("p")))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.transact(List.of(Write.put(bad, item("p", "s"), Condition.none()))))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        store.put("a-b.c_D9", item("p", "s"), Condition.none());
        store.put("x".repeat(255), item("p", "s"), Condition.none());
    }

    @Test
    public void callsAfterCloseThenStoreException() {
        store.put(TABLE, item("p", "s"), Condition.none());
        store.close();
        assertThatThrownBy(() -> store.get(TABLE, Key.of("p", "s"))).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.put(TABLE, item("p", "s"), Condition.none()))
                .isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.delete(TABLE, Key.of("p", "s"), Condition.none()))
                .isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.query(TABLE, Query.partition("p"))).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.transact(List.of(Write.check(TABLE, Key.of("p", "s"), Condition.none()))))
                .isInstanceOf(StoreException.class);
        assertThatNoException().isThrownBy(store::close);
    }

    // ---- helpers

    protected static Item item(String partition, String sort, String... nameValues) {
        Map<String, String> attributes = new java.util.HashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            attributes.put(nameValues[i], nameValues[i + 1]);
        }
        return Item.of(Key.of(partition, sort), attributes);
    }

    protected Item expiring(String partition, String sort, Duration ttl) {
        return Item.expiring(
                Key.of(partition, sort),
                Map.of("ttl", ttl.toString()),
                clock.instant().plus(ttl));
    }

    protected static List<String> sortKeys(Page page) {
        return page.items().stream().map(i -> i.key().sort()).collect(Collectors.toList());
    }

    /** Every sort key the query returns, following cursors to the end. */
    protected List<String> collectAll(Query query) {
        List<String> keys = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        int pages = 0;
        do {
            Page page = store.query(TABLE, query.after(cursor.orElse(null)));
            assertThat(page.items().size()).isLessThanOrEqualTo(query.limit());
            keys.addAll(sortKeys(page));
            cursor = page.cursor();
            assertThat(++pages).as("pages").isLessThan(10_000);
        } while (cursor.isPresent());
        return keys;
    }

    private void assertSortCondition(SortCondition condition, String... expected) {
        List<String> forward = List.of(expected);
        assertThat(collectAll(Query.partition("p").withSort(condition)))
                .as("%s forward", condition)
                .containsExactlyElementsOf(forward);
        assertThat(collectAll(Query.partition("p").withSort(condition).withLimit(1)))
                .as("%s forward paged", condition)
                .containsExactlyElementsOf(forward);
        assertThat(collectAll(Query.partition("p").withSort(condition).descending()))
                .as("%s backward", condition)
                .containsExactlyElementsOf(reversed(forward));
        assertThat(collectAll(
                        Query.partition("p").withSort(condition).descending().withLimit(2)))
                .as("%s backward paged", condition)
                .containsExactlyElementsOf(reversed(forward));
    }

    private static List<Write> puts(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> Write.put(TABLE, item("p", String.format("k%04d", i)), Condition.none()))
                .collect(Collectors.toList());
    }

    private static List<String> reversed(List<String> list) {
        List<String> copy = new ArrayList<>(list);
        Collections.reverse(copy);
        return copy;
    }

    private static void assertConditionFailed(Runnable call, int index) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ConditionFailedException.class, e -> assertThat(e.index())
                .isEqualTo(index));
    }

    private static void runConcurrently(int threads, Callable<Void> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Void>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            for (Future<Void> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
