package dev.gatehouse.objects;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The body of CompleteMultipartUpload: {@code <CompleteMultipartUpload><Part><PartNumber>1</PartNumber>
 * <ETag>"…"</ETag></Part>…}. Read with patterns (the shape is fixed and small); checksum elements are ignored.
 *
 * @see <a href="https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html">CompleteMultipartUpload</a>
 */
final class CompleteRequest {

    private static final Pattern PART = Pattern.compile("<Part>(.*?)</Part>", Pattern.DOTALL);
    private static final Pattern NUMBER = Pattern.compile("<PartNumber>\\s*(\\d{1,5})\\s*</PartNumber>");
    private static final Pattern ETAG = Pattern.compile("<ETag>(.*?)</ETag>", Pattern.DOTALL);

    private CompleteRequest() {}

    /** The parts in document order. @throws S3Exception {@code MalformedXML} */
    static List<MultipartUploads.PartRef> parse(byte[] body) {
        String xml = new String(body, StandardCharsets.UTF_8);
        if (!xml.contains("<CompleteMultipartUpload")) {
            throw new S3Exception(S3Error.malformedXml());
        }
        List<MultipartUploads.PartRef> parts = new ArrayList<>();
        Matcher part = PART.matcher(xml);
        while (part.find()) {
            Matcher number = NUMBER.matcher(part.group(1));
            Matcher etag = ETAG.matcher(part.group(1));
            if (!number.find() || !etag.find()) {
                throw new S3Exception(S3Error.malformedXml());
            }
            String value = etag.group(1)
                    .trim()
                    .replace("&quot;", "\"")
                    .replace("&#34;", "\"")
                    .replace("&amp;", "&");
            parts.add(new MultipartUploads.PartRef(Integer.parseInt(number.group(1)), value));
        }
        if (parts.isEmpty()) {
            throw new S3Exception(S3Error.malformedXml());
        }
        return parts;
    }
}
