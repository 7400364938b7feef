package dev.gatehouse.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ObjectKeysTests {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "..",
                ".",
                "a/../b",
                "private/x/..",
                "../etc/passwd",
                "a/./b",
                "%2e%2e/x",
                "a/%2E%2E/b",
                "%252e%252e/x",
                "%25252e%25252e/x",
                "a\\b",
                "..\\x",
                "a%5c..%5cb",
                "a\u0000b",
                "a\nb",
                "a/\uff0e\uff0e/b",
                "a/.%2e/b"
            })
    void requireValidWhenTraversalThenInvalidArgument(String key) {
        assertThatThrownBy(() -> ObjectKeys.requireValid(key))
                .isInstanceOfSatisfying(
                        S3Exception.class, e -> assertThat(e.error().code()).isEqualTo("InvalidArgument"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "private/us-east-1:abc/photo.jpg",
                "a..b",
                "...",
                "a/.../b",
                "dir/",
                "日本語/ファイル.txt",
                "100%/done",
                "a+b c"
            })
    void requireValidWhenOrdinaryKeyThenAccepted(String key) {
        assertThat(ObjectKeys.requireValid(key)).isEqualTo(key);
    }

    @Test
    void requireValidWhenLongerThan1024BytesThenKeyTooLong() {
        assertThat(ObjectKeys.requireValid("é".repeat(512))).hasSize(512);
        assertThatThrownBy(() -> ObjectKeys.requireValid("é".repeat(512) + "x"))
                .isInstanceOfSatisfying(
                        S3Exception.class, e -> assertThat(e.error().code()).isEqualTo("KeyTooLongError"));
    }

    @Test
    void percentDecodeWhenMalformedThenEmpty() {
        assertThat(ObjectKeys.percentDecode("a%2")).isEmpty();
        assertThat(ObjectKeys.percentDecode("a%zz")).isEmpty();
        assertThat(ObjectKeys.percentDecode("%C3%28")).isEmpty();
        assertThat(ObjectKeys.percentDecode("%C3%A9+x")).contains("é+x");
    }

    @Test
    void isBucketNameWhenS3RulesThenChecked() {
        assertThat(ObjectKeys.isBucketName("gatehouse-attachments-abc123def456"))
                .isTrue();
        assertThat(ObjectKeys.isBucketName("ab")).isFalse();
        assertThat(ObjectKeys.isBucketName("Upper")).isFalse();
        assertThat(ObjectKeys.isBucketName("us-east-1_abc")).isFalse();
        assertThat(ObjectKeys.isBucketName("-abc")).isFalse();
    }
}
