package dev.gatehouse.stack;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * YAML or JSON text to {@link Node}s with positions. SnakeYAML's {@code compose} keeps every node's tag and mark, so
 * CloudFormation's short forms ({@code !Ref}, {@code !Sub}, {@code !GetAtt A.B}…) become their long forms here, and
 * an unknown tag is refused with its line instead of being read as text. JSON is read as the YAML it is.
 */
final class TemplateParser {

    /** Short-form tags, each {@code !X} → {@code Fn::X} except {@code !Ref} and {@code !Condition}. */
    static final Set<String> SHORT_FORMS = Set.of(
            "Ref",
            "Condition",
            "Sub",
            "GetAtt",
            "Join",
            "Select",
            "Split",
            "If",
            "Equals",
            "And",
            "Or",
            "Not",
            "FindInMap",
            "ImportValue",
            "GetAZs",
            "Base64",
            "Cidr",
            "Transform",
            "Length",
            "ToJsonString");

    private TemplateParser() {}

    static Node parse(String file, String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(50);
        options.setCodePointLimit(8 << 20);
        Yaml yaml = new Yaml(options);
        org.yaml.snakeyaml.nodes.Node root;
        try {
            root = yaml.compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new TemplateException(
                    new Pos(file, mark == null ? 0 : mark.getLine() + 1),
                    "not valid YAML or JSON: "
                            + firstLine(String.valueOf(e.getProblem() == null ? e.getMessage() : e.getProblem())));
        } catch (YAMLException e) {
            throw new TemplateException(
                    new Pos(file, 0), "not valid YAML or JSON: " + firstLine(String.valueOf(e.getMessage())));
        }
        if (root == null) {
            throw new TemplateException(new Pos(file, 1), "the template is empty");
        }
        return new TemplateParser.Converter(file).convert(root);
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    private record Converter(String file) {

        Node convert(org.yaml.snakeyaml.nodes.Node node) {
            Pos pos = new Pos(file, node.getStartMark().getLine() + 1);
            Tag tag = node.getTag();
            String tagText = tag.getValue();
            if (tagText.startsWith("!") && !tagText.startsWith("!!") && !tag.startsWith(Tag.PREFIX)) {
                return shortForm(tagText.substring(1), node, pos);
            }
            return plain(node, pos);
        }

        private Node plain(org.yaml.snakeyaml.nodes.Node node, Pos pos) {
            if (node instanceof ScalarNode scalar) {
                boolean quoted = scalar.getScalarStyle() != DumperOptions.ScalarStyle.PLAIN;
                boolean isNull = !quoted && Tag.NULL.equals(scalar.getTag());
                return new Node.Scalar(isNull ? "" : scalar.getValue(), quoted, pos);
            }
            if (node instanceof SequenceNode seq) {
                List<Node> items = new ArrayList<>();
                seq.getValue().forEach(item -> items.add(convert(item)));
                return new Node.Seq(items, pos);
            }
            MappingNode map = (MappingNode) node;
            LinkedHashMap<String, Node> entries = new LinkedHashMap<>();
            for (NodeTuple tuple : map.getValue()) {
                if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                    throw new TemplateException(pos, "a map key must be text");
                }
                if (entries.put(key.getValue(), convert(tuple.getValueNode())) != null) {
                    throw new TemplateException(
                            new Pos(file, key.getStartMark().getLine() + 1), "duplicate key " + key.getValue());
                }
            }
            return new Node.MapNode(entries, pos);
        }

        private Node shortForm(String name, org.yaml.snakeyaml.nodes.Node node, Pos pos) {
            if (!SHORT_FORMS.contains(name)) {
                throw new TemplateException(
                        pos,
                        "unknown tag !" + name + " (CloudFormation's short forms are !Ref, !Sub,"
                                + " !GetAtt, !Join, !Select, !Split, !If, !Equals, !And, !Or, !Not, …)");
            }
            Node value = plain(node, pos);
            if ("GetAtt".equals(name) && value instanceof Node.Scalar s) {
                // !GetAtt A.B splits at the first dot only: B may contain dots (Outputs.X).
                int dot = s.text().indexOf('.');
                if (dot <= 0 || dot == s.text().length() - 1) {
                    throw new TemplateException(pos, "!GetAtt needs Resource.Attribute, not \"" + s.text() + "\"");
                }
                value = new Node.Seq(
                        List.of(
                                new Node.Scalar(s.text().substring(0, dot), false, pos),
                                new Node.Scalar(s.text().substring(dot + 1), false, pos)),
                        pos);
            }
            String key = "Ref".equals(name) || "Condition".equals(name) ? name : "Fn::" + name;
            LinkedHashMap<String, Node> entries = new LinkedHashMap<>();
            entries.put(key, value);
            return new Node.MapNode(entries, pos);
        }
    }

    /** Lower-cased text for case-insensitive keywords (authorizer types, methods). */
    static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }
}
