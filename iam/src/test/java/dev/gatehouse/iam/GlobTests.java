package dev.gatehouse.iam;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobTests {

    @ParameterizedTest(name = "{0} ~ ''{1}'' = {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "*|''|true",
                "?|''|false",
                "a*|a|true",
                "*a|ba|true",
                "*a|ab|false",
                "a*b*c|aXXbYYc|true",
                "a*b*c|aXXbYY|false",
                "a**b|ab|true",
                "a?c|abc|true",
                "a?c|ac|false",
                "abc|abcd|false",
            })
    void matchesWhenPatternThenWholeStringSemantics(String pattern, String value, boolean expected) {
        assertThat(Glob.of(pattern).matches(value, false)).isEqualTo(expected);
    }

    @Test
    void matchesWhenManyStarsAndNoMatchThenFalse() {
        // Single-backtrack matching is O(pattern x value); a naive recursive matcher would take exponential time here.
        String value = "a".repeat(5_000);

        assertThat(Glob.of("*a*a*a*a*a*a*a*a*a*a*b").matches(value, false)).isFalse();
    }

    @Test
    void matchesWhenIgnoreCaseThenLettersFold() {
        assertThat(Glob.of("iam:*AccessKey*").matches("IAM:LISTACCESSKEYS", true))
                .isTrue();
        assertThat(Glob.of("iam:*AccessKey*").matches("IAM:LISTACCESSKEYS", false))
                .isFalse();
    }

    @Test
    void matchesArnWhenValueHasExtraColonsThenOnlyResourcePartAbsorbsThem() {
        Glob pattern = Glob.of("arn:aws:s3:::b/*");

        assertThat(pattern.matchesArn("arn:aws:s3:::b/x:y:z")).isTrue();
        assertThat(Glob.of("arn:aws:sqs:*:123:q").matchesArn("arn:aws:sqs:us-east-1:9:123:q"))
                .isFalse();
    }

    @Test
    void matchesArnWhenValueHasFourOrFiveColonsThenArnOnlyWithFive() {
        assertThat(Glob.of("arn:aws:s3:::*").matchesArn("arn:aws:s3:::")).isTrue();
        assertThat(Glob.of("arn:aws:s3:::*").matchesArn("arn:aws:s3::")).isFalse();
        assertThat(Glob.of("arn:aws:s3::*").matchesArn("arn:aws:s3::")).isTrue();
        assertThat(Glob.of("arn:*:s3:::b").matchesArn("arn:aws:x:s3:::b")).isFalse();
        assertThat(Glob.of("arn:aws:execute-api:us-east-1:1:a/*")
                        .matchesArn("arn:aws:execute-api:us-east-1:1:a/s/GET/"))
                .isTrue();
        assertThat(Glob.of("arn:aws:execute-api:us-east-1:1:a/*")
                        .matchesArn("arn:aws:execute-api:us-east-1:2:a/s/GET/"))
                .isFalse();
    }

    @Test
    void matchesArnWhenNeitherIsAnArnThenWholeString() {
        assertThat(Glob.of("topic*").matchesArn("topic-a")).isTrue();
        assertThat(Glob.of("topic*").matchesArn("arn:aws:sns:us-east-1:1:topic-a"))
                .isFalse();
    }
}
