package dev.gatehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WrkRunnerTests {

    private static final String OUTPUT =
            """
            Running 3s test @ http://127.0.0.1:40123/private?X-Amz-Algorithm=AWS4-HMAC-SHA256
              1 threads and 16 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency   452.10us    1.20ms  40.01ms   97.50%
                Req/Sec    35.12k     2.01k   38.00k    80.00%
              Latency Distribution
                 50%  210.00us
                 75%  320.00us
                 90%  510.00us
                 99%    6.50ms
              105360 requests in 3.00s, 14.27MB read
              Non-2xx or 3xx responses: 3
              Socket errors: connect 0, read 2, write 0, timeout 1
            Requests/sec:  35120.00
            Transfer/sec:      4.76MB
            """;

    @Test
    void parseWhenWrkSummaryThenRequestsRatePercentilesAndErrors() {
        Sample sample = WrkRunner.parse(OUTPUT);

        assertThat(sample.requests()).isEqualTo(105_360);
        assertThat(sample.perSecond()).isEqualTo(35_120.0);
        assertThat(sample.p50Micros()).isEqualTo(210);
        assertThat(sample.p99Micros()).isEqualTo(6_500);
        assertThat(sample.errors()).isEqualTo(6);
        assertThat(sample.firstError()).contains("6 errors");
        assertThat(sample.latencies()).isEmpty();
    }
}
