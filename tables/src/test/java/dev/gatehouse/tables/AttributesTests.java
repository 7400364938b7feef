package dev.gatehouse.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AttributesTests {

    private static JsonNode json(String text) {
        try {
            return TableData.JSON.readTree(text.replace('\'', '"'));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String message(Runnable action) {
        try {
            action.run();
        } catch (TablesException e) {
            return e.error().message();
        }
        throw new AssertionError("no error");
    }

    // Normalisation observed on DynamoDB (conformance suite tier3/limits/numberPrecision).
    @ParameterizedTest
    @CsvSource({
        "00042,42",
        "1.0,1",
        "3.140,3.14",
        "1.5E2,150",
        "-0,0",
        "0.000,0",
        "-12.50,-12.5",
        "12345678901234567890123456789012345678," + "12345678901234567890123456789012345678"
    })
    void parseWhenNumberThenNormalisedText(String input, String expected) {
        assertThat(Numbers.format(Numbers.parse(input))).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dog", "NaN", "Infinity", "-Infinity", "0x10", "1,5", "1e", "--1", "1.2.3"})
    void parseWhenNotANumberThenNumericValueMessage(String input) {
        assertThat(message(() -> Numbers.parse(input)))
                .isEqualTo("The parameter cannot be converted to a numeric value: " + input);
    }

    @Test
    void formatWhenSmallestMagnitudeThenPlainDigits() {
        assertThat(Numbers.format(Numbers.parse("1e-130"))).isEqualTo("0." + "0".repeat(129) + "1");
    }

    @Test
    void parseWhenLimitsThenDynamoDbsMessages() {
        assertThat(Numbers.parse("9.9999999999999999999999999999999999999E+125"))
                .isNotNull();
        assertThat(message(() -> Numbers.parse("1E+126")))
                .isEqualTo("Number overflow. Attempting to store a number with magnitude larger than supported range");
        assertThat(message(() -> Numbers.parse("1E-131")))
                .isEqualTo(
                        "Number underflow. Attempting to store a number with magnitude smaller than supported range");
        assertThat(message(() -> Numbers.parse("1.00000000000000000000000000000000000001")))
                .isEqualTo("Attempting to store more than 38 significant digits in a Number");
        assertThat(message(() -> Numbers.parse(""))).isEqualTo("The parameter cannot be converted to a numeric value");
    }

    @Test
    void equalsWhenNumbersDifferOnlyInFormThenEqual() {
        assertThat(new Value.N(Numbers.parse("100"))).isEqualTo(new Value.N(Numbers.parse("1E2")));
        assertThat(Attributes.parse(json("{'NS':['1','2']}"))).isEqualTo(Attributes.parse(json("{'NS':['2.0','1']}")));
    }

    @Test
    void parseWhenNumberSetHasEqualValuesThenDuplicates() {
        assertThat(message(() -> Attributes.parse(json("{'NS':['1','1.0']}"))))
                .isEqualTo("One or more parameter values were invalid: Input collection [1, 1.0] contains duplicates.");
    }

    @Test
    void parseWhenEmptySetsThenRefused() {
        assertThat(message(() -> Attributes.parse(json("{'BS':[]}"))))
                .isEqualTo("One or more parameter values were invalid: Binary sets should not be empty");
        assertThat(message(() -> Attributes.parse(json("{'M':{'a':{'L':[{'SS':[]}]}}}"))))
                .isEqualTo("One or more parameter values were invalid: An string set  may not be empty");
    }

    @Test
    void parseWhenTwoTypesThenMoreThanOneDatatype() {
        assertThat(message(() -> Attributes.parse(json("{'S':'a','N':'1'}"))))
                .isEqualTo(
                        "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
    }

    @Test
    void parseWhenEmptyStringAndEmptyCollectionsThenAllowed() {
        Map<String, Value> item = Attributes.parseItem(json("{'s':{'S':''},'b':{'B':''},'l':{'L':[]},'m':{'M':{}}}"));
        assertThat(item).hasSize(4);
    }

    @Test
    void parseWhenBase64MalformedThenSerializationException() {
        assertThatThrownBy(() -> Attributes.parse(json("{'B':'abc'}")))
                .isInstanceOfSatisfying(
                        TablesException.class,
                        e -> assertThat(e.error().code()).isEqualTo(TablesException.SERIALIZATION));
        assertThatThrownBy(() -> Attributes.parse(json("{'B':'ab!='}"))).isInstanceOf(TablesException.class);
    }

    @Test
    void parseWhenNestedDeeperThan32LevelsThenRefused() {
        String deep = "{'S':'x'}";
        for (int i = 0; i < 31; i++) {
            deep = "{'M':{'a':" + deep + "}}";
        }
        String ok = deep;
        assertThat(Attributes.parseItem(json("{'top':" + ok + "}"))).isNotEmpty();
        assertThat(message(() -> Attributes.parseItem(json("{'top':{'M':{'a':" + ok + "}}}"))))
                .isEqualTo("Nesting Levels have exceeded supported limits");
    }

    @Test
    void sizeWhenItemThenNamesPlusValuesAsDynamoDbCounts() {
        Map<String, Value> item = Attributes.parseItem(
                json("{'ab':{'S':'héllo'},'n':{'N':'123'},'t':{'BOOL':true},'l':{'L':[{'S':'x'},{'NULL':true}]},"
                        + "'m':{'M':{'k':{'S':'v'}}},'ss':{'SS':['a','bc']}}"));
        // ab: 2 + 6; n: 1 + 3; t: 1 + 1; l: 1 + 3 + (1 + 1) + (1 + 1); m: 1 + 3 + 1 + 1 + 1; ss: 2 + 3
        assertThat(Attributes.size(item)).isEqualTo(8 + 4 + 2 + 8 + 7 + 5);
    }

    @Test
    void numberSizeWhenDigitsThenAboutOneBytePerTwoDigits() {
        assertThat(Numbers.size(BigDecimal.ZERO)).isEqualTo(1);
        assertThat(Numbers.size(new BigDecimal("1"))).isEqualTo(2);
        assertThat(Numbers.size(new BigDecimal("-1"))).isEqualTo(3);
        assertThat(Numbers.size(new BigDecimal("12345678901234567890123456789012345678")))
                .isEqualTo(20);
    }

    @Test
    void sortTextWhenNumbersThenOrderMatchesNumericOrder() {
        String[] ordered = {"-1e10", "-100", "-1.5", "-1", "-0.5", "0", "1e-130", "0.5", "1", "1.5", "2", "10", "1e125"
        };
        for (int i = 1; i < ordered.length; i++) {
            String before = TableData.numberText(Numbers.parse(ordered[i - 1]));
            String after = TableData.numberText(Numbers.parse(ordered[i]));
            assertThat(Evaluator.compareUtf8(before, after))
                    .as(ordered[i - 1] + " < " + ordered[i])
                    .isNegative();
        }
    }

    @Test
    void compareUtf8WhenSupplementaryCharacterThenByteOrderNotUtf16Order() {
        // U+FF5E sorts before U+1F600 in UTF-8 bytes, after it in UTF-16 code units.
        assertThat(Evaluator.compareUtf8("\uFF5E", "\uD83D\uDE00")).isNegative();
        assertThat("\uFF5E".compareTo("\uD83D\uDE00")).isPositive();
    }
}
