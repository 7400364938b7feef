package dev.gatehouse.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeaderMapTests {

    @Test
    void ofWhenNamesInSeveralCasesThenOneLowerCaseEntryInArrivalOrder() {
        Map<String, List<String>> sent = new LinkedHashMap<>();
        sent.put("Host", List.of("example.com"));
        sent.put("X-Amz-Date", List.of("20260312T190358Z"));
        sent.put("x-custom", List.of("a"));
        sent.put("X-CUSTOM", List.of("b", "c"));
        sent.put("x-empty", List.of());

        HeaderMap headers = HeaderMap.of(sent);

        assertThat(headers.keySet()).containsExactly("host", "x-amz-date", "x-custom");
        assertThat(headers.values("x-custom")).containsExactly("a", "b", "c");
        assertThat(headers.first("x-custom")).isEqualTo("a");
        assertThat(headers.first("x-empty")).isNull();
        assertThat(headers.values("missing")).isEmpty();
        assertThat(headers)
                .isEqualTo(Map.of(
                        "host",
                        List.of("example.com"),
                        "x-amz-date",
                        List.of("20260312T190358Z"),
                        "x-custom",
                        List.of("a", "b", "c")));
    }

    @Test
    void ofWhenAlreadyHeaderMapThenSameInstanceAndLaterChangesToSourceNotSeen() {
        List<String> values = new ArrayList<>(List.of("one"));
        Map<String, List<String>> sent = new LinkedHashMap<>();
        sent.put("x-list", values);

        HeaderMap headers = HeaderMap.of(sent);
        values.add("two");
        sent.put("x-later", List.of("x"));

        assertThat(HeaderMap.of(headers)).isSameAs(headers);
        assertThat(headers.values("x-list")).containsExactly("one");
        assertThat(headers.containsKey("x-later")).isFalse();
    }

    @Test
    void builderWhenRepeatedNameThenValuesKeptInOrderAndImmutable() {
        HeaderMap headers = HeaderMap.builder()
                .add("Cookie", "a=1")
                .add("Accept", "*/*")
                .add("cookie", "b=2")
                .add("COOKIE", "c=3")
                .build();

        assertThat(headers.keySet()).containsExactly("cookie", "accept");
        assertThat(headers.values("cookie")).containsExactly("a=1", "b=2", "c=3");
        assertThatThrownBy(() -> headers.values("cookie").add("d=4")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> headers.put("x", List.of("y"))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> headers.keySet().remove("cookie")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void builderWhenUsedAfterBuildThenRefused() {
        HeaderMap.Builder builder = HeaderMap.builder().add("host", "example.com");
        HeaderMap headers = builder.build();

        assertThatThrownBy(() -> builder.add("x-late", "1")).isInstanceOf(IllegalStateException.class);
        assertThat(headers.keySet()).containsExactly("host");
    }

    @Test
    void toStringWhenValuesHoldTokensThenNamesOnly() {
        HeaderMap headers = HeaderMap.builder()
                .add("X-Amz-Security-Token", "secret-token-value")
                .build();

        assertThat(headers.toString()).contains("x-amz-security-token").doesNotContain("secret-token-value");
        assertThat(HeaderMap.builder().build()).isSameAs(HeaderMap.empty()).isEmpty();
    }
}
