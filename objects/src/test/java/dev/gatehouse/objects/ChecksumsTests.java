package dev.gatehouse.objects;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChecksumsTests {

    // Check values of "123456789" from the CRC catalogue (https://reveng.sourceforge.io/crc-catalogue/):
    // CRC-32 cbf43926, CRC-32C e3069283, CRC-64/NVME ae8b14860a799888; SHA-1 and SHA-256 of the same string.
    @ParameterizedTest
    @CsvSource({
        "crc32, y/Q5Jg==",
        "crc32c, 4waSgw==",
        "crc64nvme, rosUhgp5mIg=",
        "sha1, 98O8HYCOBHMq32eZZczDTKeuNEE=",
        "sha256, FeKw08M4keuw8e9gnsQZQgwg4yDOlMZfvIwzEkSOsiU="
    })
    void base64WhenCheckStringThenCatalogueValue(String algorithm, String expected) {
        Checksums.Running running = Checksums.forAlgorithm(algorithm).orElseThrow();
        byte[] data = "123456789".getBytes(StandardCharsets.US_ASCII);
        running.update(data, 0, 4);
        running.update(data, 4, 5);
        assertThat(running.base64()).isEqualTo(expected);
    }
}
