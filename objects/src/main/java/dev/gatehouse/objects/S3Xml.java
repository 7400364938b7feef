package dev.gatehouse.objects;

import java.nio.charset.StandardCharsets;

/** S3's XML bodies, written by hand: a few fixed shapes, every text escaped. */
final class S3Xml {

    static final String NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";
    private static final String PROLOG = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

    private final StringBuilder out = new StringBuilder(PROLOG);

    private S3Xml() {}

    static S3Xml document() {
        return new S3Xml();
    }

    S3Xml open(String name) {
        out.append('<').append(name).append('>');
        return this;
    }

    S3Xml openNamespaced(String name) {
        out.append('<').append(name).append(" xmlns=\"").append(NAMESPACE).append("\">");
        return this;
    }

    S3Xml close(String name) {
        out.append("</").append(name).append('>');
        return this;
    }

    S3Xml element(String name, String text) {
        return open(name).text(text).close(name);
    }

    S3Xml text(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                case '\r' -> out.append("&#13;");
                case '\n' -> out.append("&#10;");
                default -> {
                    // Other control characters cannot appear in XML 1.0 at all: written as a character reference.
                    if (c < 0x20 && c != '\t') {
                        out.append("&#").append((int) c).append(';');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return this;
    }

    byte[] bytes() {
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code <Error>} with the code, message, details and request id. */
    static byte[] error(S3Error error, String requestId) {
        S3Xml xml = document().open("Error").element("Code", error.code()).element("Message", error.message());
        error.details().forEach(xml::element);
        return xml.element("RequestId", requestId)
                .element("HostId", requestId)
                .close("Error")
                .bytes();
    }
}
