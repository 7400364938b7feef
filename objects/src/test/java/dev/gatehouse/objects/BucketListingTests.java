package dev.gatehouse.objects;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BucketListingTests {

    @Test
    void toXmlWhenListedThenListAllMyBucketsResultWithOwnerAndTheBucket() {
        BucketListing listing = new BucketListing(
                "gatehouse-attachments-abc", Instant.parse("2024-05-01T10:20:30.123456Z"), "123456789012");

        String xml = new String(listing.toXml(), StandardCharsets.UTF_8);

        assertThat(xml)
                .startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListAllMyBucketsResult xmlns=\""
                        + S3Xml.NAMESPACE + "\"><Owner><ID>" + listing.ownerId() + "</ID></Owner><Buckets><Bucket>"
                        + "<Name>gatehouse-attachments-abc</Name><CreationDate>2024-05-01T10:20:30.123Z</CreationDate></Bucket>"
                        + "</Buckets></ListAllMyBucketsResult>");
        assertThat(listing.ownerId())
                .matches("[0-9a-f]{64}")
                .isEqualTo(new BucketListing("other", Instant.EPOCH, "123456789012").ownerId())
                .isNotEqualTo(new BucketListing("other", Instant.EPOCH, "210987654321").ownerId());
    }
}
