package dev.gatehouse.stack;

import java.nio.file.Path;
import java.util.Map;

/** Reads templates given as text, as {@code template.yaml} in stage dev of us-east-1. */
final class Templates {

    static final String ACCOUNT = "123456789012";
    static final String SAM = "Transform: AWS::Serverless-2016-10-31\n";

    private Templates() {}

    static Stack read(String text) {
        return read(text, Map.of(), "dev");
    }

    static Stack read(String text, Map<String, String> overrides, String stage) {
        return TemplateReader.read(
                "template.yaml",
                text,
                Path.of("/app"),
                new TemplateReader.Options(
                        stage,
                        "us-east-1",
                        ACCOUNT,
                        "app",
                        overrides,
                        Map.of("TABLE_ENV", "from-env", "EMPTY_ENV", "")));
    }

    /** Renders a value with references written as {@code <Ref X>} and {@code <X.Attr>}. */
    static String render(Value.Text text) {
        return text.render(part -> part instanceof Value.Part.Ref ref
                ? "<Ref " + ref.logicalId() + ">"
                : "<" + ((Value.Part.Att) part).logicalId() + "." + ((Value.Part.Att) part).attribute() + ">");
    }

    static Object plain(Value value) {
        return Value.render(
                value,
                part -> part instanceof Value.Part.Ref ref
                        ? "<Ref " + ref.logicalId() + ">"
                        : "<" + ((Value.Part.Att) part).logicalId() + "." + ((Value.Part.Att) part).attribute() + ">");
    }
}
