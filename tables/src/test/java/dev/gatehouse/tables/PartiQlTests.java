package dev.gatehouse.tables;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PartiQlTests {

    private Api api;

    @BeforeEach
    void setUp() {
        api = new Api();
        api.table("notes", "S");
        api.table("users", null);
    }

    /** A JSON string member holding a statement (its quotes escaped past {@link Api}'s quote replacement). */
    private static String statement(String text) {
        return "'Statement':'" + text.replace("'", "\\u0027").replace("\"", "\\u0022") + "'";
    }

    private JsonNode execute(String text) {
        return api.ok("ExecuteStatement", "{" + statement(text) + "}");
    }

    private String executeError(String text) {
        return api.error("ExecuteStatement", "{" + statement(text) + "}");
    }

    @Test
    void insertThenSelectWhenKeyGivenThenItemReturned() {
        execute("INSERT INTO \"notes\" VALUE {'pk': 'u1', 'sk': 'n1', 'n': 1.50, 'tags': <<'a', 'b'>>, 'ok': true}");
        JsonNode items =
                execute("SELECT * FROM \"notes\" WHERE pk = 'u1' AND sk = 'n1'").get("Items");
        assertThat(items).hasSize(1);
        assertThat(items.get(0).get("n").get("N").asText()).isEqualTo("1.5");
        assertThat(items.get(0).get("tags").get("SS")).hasSize(2);
        assertThat(items.get(0).get("ok").get("BOOL").asBoolean()).isTrue();
    }

    @Test
    void insertWhenKeyExistsThenDuplicateItemAndItemUnchanged() {
        execute("INSERT INTO notes VALUE {'pk': 'u1', 'sk': 'n1', 'v': 'first'}");
        assertThat(executeError("INSERT INTO notes VALUE {'pk': 'u1', 'sk': 'n1', 'v': 'second'}"))
                .isEqualTo("Duplicate primary key exists in table");
        assertThat(api.type()).isEqualTo("com.amazonaws.dynamodb.v20120810#DuplicateItemException");
        assertThat(execute("SELECT v FROM notes WHERE pk = 'u1'")
                        .get("Items")
                        .get(0)
                        .get("v")
                        .get("S")
                        .asText())
                .isEqualTo("first");
    }

    @Test
    void selectWhenSortConditionAndFilterThenOnlyMatchingItems() {
        for (int i = 0; i < 5; i++) {
            execute("INSERT INTO notes VALUE {'pk': 'u1', 'sk': 'n" + i + "', 'size': " + i + "}");
        }
        JsonNode items = execute("SELECT sk FROM notes WHERE pk = 'u1' AND sk BETWEEN 'n1' AND 'n4' AND \"size\" <> 2")
                .get("Items");
        assertThat(items.findValuesAsText("S")).containsExactly("n1", "n3", "n4");
        assertThat(execute("SELECT * FROM notes WHERE pk = 'u1' AND begins_with(sk, 'n3')")
                        .get("Items"))
                .hasSize(1);
    }

    @Test
    void selectWhenNoKeyConditionThenScanWithFunctions() {
        execute("INSERT INTO notes VALUE {'pk': 'a', 'sk': '1', 'm': {'x': [1, 'two']}}");
        execute("INSERT INTO notes VALUE {'pk': 'b', 'sk': '1', 'name': 'alpha'}");
        assertThat(execute("SELECT pk FROM notes WHERE m IS MISSING")
                        .get("Items")
                        .findValuesAsText("S"))
                .containsExactly("b");
        assertThat(execute("SELECT pk FROM notes WHERE attribute_type(m.x, 'L') AND size(m.x) = 2")
                        .get("Items"))
                .hasSize(1);
        assertThat(execute("SELECT pk FROM notes WHERE contains(name, 'lph') OR pk IN ['zz']")
                        .get("Items"))
                .hasSize(1);
        JsonNode nested =
                execute("SELECT m.x[1] FROM notes WHERE pk = 'a'").get("Items").get(0);
        assertThat(nested.get("x").get("S").asText()).isEqualTo("two");
    }

    @Test
    void selectWhenLimitThenNextTokenPagesThroughAll() {
        for (int i = 0; i < 5; i++) {
            execute("INSERT INTO notes VALUE {'pk': 'u1', 'sk': 'n" + i + "'}");
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        do {
            String paging = token == null ? "" : ",'NextToken':'" + token + "'";
            JsonNode page = api.ok(
                    "ExecuteStatement",
                    "{" + statement("SELECT sk FROM notes WHERE pk = 'u1'") + ",'Limit':2" + paging + "}");
            seen.addAll(page.get("Items").findValuesAsText("S"));
            token = page.hasNonNull("NextToken") ? page.get("NextToken").asText() : null;
        } while (token != null);
        assertThat(seen).containsExactly("n0", "n1", "n2", "n3", "n4");
    }

    @Test
    void updateWhenSetRemoveAndArithmeticThenItemChanged() {
        execute("INSERT INTO users VALUE {'pk': 'u1', 'count': 1, 'gone': 'x', 'tags': <<'a'>>}");
        execute("UPDATE users SET \"count\" = \"count\" + 2 SET tags = set_add(tags, <<'b'>>) REMOVE gone "
                + "WHERE pk = 'u1'");
        JsonNode item =
                execute("SELECT * FROM users WHERE pk = 'u1'").get("Items").get(0);
        assertThat(item.get("count").get("N").asText()).isEqualTo("3");
        assertThat(item.has("gone")).isFalse();
        assertThat(item.get("tags").get("SS")).hasSize(2);
    }

    @Test
    void updateWhenItemAbsentOrConditionFalseThenConditionalCheckFailedAndNothingWritten() {
        executeError("UPDATE users SET v = 1 WHERE pk = 'nobody'");
        assertThat(api.type()).endsWith("#ConditionalCheckFailedException");
        execute("INSERT INTO users VALUE {'pk': 'u1', 'v': 1}");
        executeError("UPDATE users SET v = 2 WHERE pk = 'u1' AND v = 5");
        assertThat(execute("SELECT v FROM users WHERE pk = 'nobody'").get("Items"))
                .isEmpty();
        assertThat(execute("SELECT v FROM users WHERE pk = 'u1'")
                        .get("Items")
                        .get(0)
                        .get("v")
                        .get("N")
                        .asText())
                .isEqualTo("1");
    }

    @Test
    void updateOrDeleteWhenKeyNotFixedThenValidationException() {
        assertThat(executeError("DELETE FROM notes WHERE pk = 'u1'"))
                .isEqualTo("Where clause does not contain a mandatory equality on all key attributes");
        assertThat(api.type()).isEqualTo(TablesException.VALIDATION);
    }

    @Test
    void deleteWhenKeyGivenThenItemGone() {
        execute("INSERT INTO users VALUE {'pk': 'u1'}");
        execute("DELETE FROM users WHERE pk = 'u1'");
        assertThat(execute("SELECT * FROM users WHERE pk = 'u1'").get("Items")).isEmpty();
    }

    @Test
    void executeWhenParametersThenBoundInOrderAndCountChecked() {
        api.ok(
                "ExecuteStatement",
                "{" + statement("INSERT INTO users VALUE {'pk': ?, 'v': ?}") + ",'Parameters':[{'S':'p1'},{'N':'7'}]}");
        JsonNode items = api.ok(
                        "ExecuteStatement",
                        "{" + statement("SELECT v FROM users WHERE pk = ?") + ",'Parameters':[{'S':'p1'}]}")
                .get("Items");
        assertThat(items.get(0).get("v").get("N").asText()).isEqualTo("7");
        assertThat(api.error("ExecuteStatement", "{" + statement("SELECT v FROM users WHERE pk = ?") + "}"))
                .isEqualTo("Number of parameters in request and statement don't match.");
    }

    @Test
    void executeWhenMalformedOrUnknownTableThenErrors() {
        assertThat(executeError("SELECTT * FROMM users")).startsWith("Statement wasn't well formed");
        assertThat(api.type()).isEqualTo(TablesException.VALIDATION);
        executeError("SELECT * FROM missing WHERE pk = 'x'");
        assertThat(api.type()).isEqualTo(TablesException.RESOURCE_NOT_FOUND);
    }

    @Test
    void batchWhenOneStatementFailsThenOthersAnsweredAndErrorCoded() {
        execute("INSERT INTO users VALUE {'pk': 'u1'}");
        JsonNode responses = api.ok(
                        "BatchExecuteStatement",
                        "{'Statements':[{" + statement("SELECT * FROM users WHERE pk = 'u1'") + "},{"
                                + statement("SELECT * FROM nope WHERE pk = 'x'") + "}]}")
                .get("Responses");
        assertThat(responses.get(0).get("Item").get("pk").get("S").asText()).isEqualTo("u1");
        assertThat(responses.get(1).get("Error").get("Code").asText()).isEqualTo("ResourceNotFound");
        api.error("BatchExecuteStatement", "{'Statements':[]}");
        assertThat(api.type()).isEqualTo(TablesException.VALIDATION);
    }

    @Test
    void transactionWhenInsertDuplicatesThenCancelledWithDuplicateItemAndNothingWritten() {
        execute("INSERT INTO users VALUE {'pk': 'u1'}");
        String message = api.error(
                "ExecuteTransaction",
                "{'TransactStatements':[{" + statement("INSERT INTO users VALUE {'pk': 'u2'}") + "},{"
                        + statement("INSERT INTO users VALUE {'pk': 'u1'}") + "}]}");
        assertThat(message).endsWith("[None, DuplicateItem]");
        assertThat(api.type()).endsWith("#TransactionCanceledException");
        assertThat(execute("SELECT * FROM users WHERE pk = 'u2'").get("Items")).isEmpty();
        api.ok(
                "ExecuteTransaction",
                "{'TransactStatements':[{" + statement("INSERT INTO users VALUE {'pk': 'u2'}") + "},{"
                        + statement("UPDATE users SET v = 1 WHERE pk = 'u1'") + "}]}");
        assertThat(execute("SELECT v FROM users WHERE pk = 'u1'")
                        .get("Items")
                        .get(0)
                        .has("v"))
                .isTrue();
    }
}
