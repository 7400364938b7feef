package dev.gatehouse.userpool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FieldsTokenTextTests {

    @Test
    void isTokenTextWhenJwtThenTrue() {
        assertThat(Fields.isTokenText("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln-_="))
                .isTrue();
    }

    @Test
    void isTokenTextWhenEmptySpaceOrNonAsciiThenFalse() {
        assertThat(Fields.isTokenText("")).isFalse();
        assertThat(Fields.isTokenText("abc def")).isFalse();
        assertThat(Fields.isTokenText("abcé")).isFalse();
        assertThat(Fields.isTokenText("abc\u0100")).isFalse();
        assertThat(Fields.isTokenText("a+b/c")).isFalse();
    }

    @Test
    void isTokenTextWhenRandomTextThenSameAsThePattern() {
        Random random = new Random(19);
        String alphabet = "azAZ09-_=.+/ \n{}é\u0000\u007f\u0080\u2028";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(16);
            for (int j = 0; j < length; j++) {
                text.append(
                        random.nextInt(4) == 0
                                ? alphabet.charAt(random.nextInt(alphabet.length()))
                                : (char) ('a' + random.nextInt(26)));
            }
            String value = text.toString();
            assertThat(Fields.isTokenText(value))
                    .as(value)
                    .isEqualTo(Fields.TOKEN.matcher(value).matches());
        }
    }
}
