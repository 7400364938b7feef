package dev.gatehouse.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CompleteRequestTests {

    @Test
    void parseWhenSdkBodyThenPartsInOrder() {
        String xml =
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/"
                        + "doc/2006-03-01/\"><Part><ETag>&quot;aa&quot;</ETag><ChecksumCRC32>x</ChecksumCRC32><PartNumber>1</PartNumber>"
                        + "</Part><Part><PartNumber>2</PartNumber><ETag>\"bb\"</ETag></Part></CompleteMultipartUpload>";
        assertThat(CompleteRequest.parse(xml.getBytes(StandardCharsets.UTF_8)))
                .containsExactly(new MultipartUploads.PartRef(1, "\"aa\""), new MultipartUploads.PartRef(2, "\"bb\""));
    }

    @Test
    void parseWhenNoPartsThenMalformedXml() {
        assertThatThrownBy(() -> CompleteRequest.parse("<CompleteMultipartUpload/>".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(
                        S3Exception.class, e -> assertThat(e.error().code()).isEqualTo("MalformedXML"));
    }
}
