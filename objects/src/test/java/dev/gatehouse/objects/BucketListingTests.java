package dev.gatehouse.objects;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BucketListingTests {

    @Test
    void toXmlWhenListedThenListAllMyBucketsResultWithOwnerAndTheBucket() {
        BucketListing listing = new BucketListing(
                List.of("gatehouse-attachments-abc"), Instant.parse("2024-05-01T10:20:30.123456Z"), "123456789012");

        String xml = new String(listing.toXml(), StandardCharsets.UTF_8);

        assertThat(xml)
                .startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListAllMyBucketsResult xmlns=\""
                        + S3Xml.NAMESPACE + "\"><Owner><ID>" + listing.ownerId() + "</ID></Owner><Buckets><Bucket>"
                        + "<Name>gatehouse-attachments-abc</Name><CreationDate>2024-05-01T10:20:30.123Z</CreationDate></Bucket>"
                        + "</Buckets></ListAllMyBucketsResult>");
        assertThat(listing.ownerId())
                .matches("[0-9a-f]{64}")
                .isEqualTo(new BucketListing(List.of("other"), Instant.EPOCH, "123456789012").ownerId())
                .isNotEqualTo(new BucketListing(List.of("other"), Instant.EPOCH, "210987654321").ownerId());
    }

    @Test
    void toXmlWhenSeveralBucketsThenEachOnceInNameOrder() {
        BucketListing listing = new BucketListing(List.of("uploads", "reports", "uploads"), Instant.EPOCH, "1");

        String xml = new String(listing.toXml(), StandardCharsets.UTF_8);

        assertThat(xml)
                .contains("<Buckets><Bucket><Name>reports</Name><CreationDate>1970-01-01T00:00:00Z</CreationDate>"
                        + "</Bucket><Bucket><Name>uploads</Name>")
                .containsOnlyOnce("<Name>uploads</Name>");
    }
}
