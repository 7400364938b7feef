package dev.gatehouse.stack;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code Fn::Sub}: {@code ${Name}} is a variable of the second form's map, a parameter, a pseudo parameter or a
 * resource's Ref; {@code ${A.B}} is {@code Fn::GetAtt [A, B]}; {@code ${!Literal}} is written as {@code ${Literal}}.
 */
final class Sub {

    private Sub() {}

    static Value resolve(Resolver resolver, Node arg, Where where) {
        String template;
        Map<String, Value> variables = new HashMap<>();
        if (arg instanceof Node.Seq seq) {
            List<Node> args = Resolver.list(arg, 2, "Fn::Sub", where);
            template = resolver.text(args.get(0), where);
            if (!(args.get(1) instanceof Node.MapNode map)) {
                throw where.error(args.get(1), "Fn::Sub's variables must be a map");
            }
            map.entries().forEach((name, node) -> variables.put(name, resolver.scalar(node, where.property(name))));
        } else {
            template = resolver.text(arg, where);
        }
        return new Value.Text(parts(template, variables, resolver, arg, where), false);
    }

    private static List<Value.Part> parts(
            String template, Map<String, Value> variables, Resolver resolver, Node at, Where where) {
        List<Value.Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf("${", i);
            if (open < 0) {
                literal.append(template, i, template.length());
                break;
            }
            literal.append(template, i, open);
            int close = template.indexOf('}', open);
            if (close < 0) {
                throw where.error(at, "Fn::Sub has an unclosed ${ in \"" + template + "\"");
            }
            String name = template.substring(open + 2, close);
            i = close + 1;
            if (name.startsWith("!")) {
                literal.append("${").append(name.substring(1)).append('}');
                continue;
            }
            if (literal.length() > 0) {
                parts.add(new Value.Part.Lit(literal.toString()));
                literal.setLength(0);
            }
            parts.addAll(((Value.Text) variable(name.trim(), variables, resolver, at, where)).parts());
        }
        if (literal.length() > 0 || parts.isEmpty()) {
            parts.add(new Value.Part.Lit(literal.toString()));
        }
        return parts;
    }

    private static Value variable(String name, Map<String, Value> variables, Resolver resolver, Node at, Where where) {
        Value own = variables.get(name);
        if (own != null) {
            return own;
        }
        int dot = name.indexOf('.');
        if (dot > 0 && !name.startsWith("AWS::")) {
            return resolver.att(name.substring(0, dot), name.substring(dot + 1), at, where);
        }
        Value value = resolver.refName(name, at, where);
        if (!(value instanceof Value.Text)) {
            throw where.error(at, "Fn::Sub variable " + name + " is " + Resolver.describe(value) + ", not text");
        }
        return value;
    }
}
