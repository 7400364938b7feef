#!/usr/bin/env python3
"""Derives every operation's input members from a botocore service model: JSON types and constraints.

Writes a compact table (operation -> nested type description) that protocol's InputShapes reads, so that a member of
the wrong JSON type is answered with SerializationException even when the operation never reads it, as AWS's
deserializer does, and so that operations can check the model's constraints (required members, lengths, ranges,
patterns, enums) without restating them by hand. No documentation is kept.

A type is a scalar name, or {"structure": {member: type}}, {"list": type}, {"map": type}. A type with constraints is
wrapped: {"type": <type>, "min": n, "max": n, "pattern": re, "enum": [...], "required": [...], "sensitive": true}.

usage: gen-input-shapes.py MODEL.json OUT.json
"""
import json
import sys

SCALARS = {"string": "string", "boolean": "boolean", "integer": "integer", "long": "integer",
           "timestamp": "timestamp", "blob": "blob", "double": "number", "float": "number"}
CONSTRAINTS = ("min", "max", "pattern", "enum", "required", "sensitive")


def describe(shapes, name, stack):
    shape = shapes[name]
    kind = shape["type"]
    if kind in SCALARS:
        return constrained(shape, SCALARS[kind])
    if name in stack:  # recursive shapes: stop checking below the cycle
        return "any"
    stack = stack | {name}
    if kind == "list":
        return constrained(shape, {"list": describe(shapes, shape["member"]["shape"], stack)})
    if kind == "map":
        return constrained(shape, {"map": describe(shapes, shape["value"]["shape"], stack)})
    if kind == "structure":
        members = {m: describe(shapes, s["shape"], stack) for m, s in sorted(shape["members"].items())}
        return constrained(shape, {"structure": members})
    raise ValueError("unknown shape type " + kind)


def constrained(shape, type_):
    found = {k: shape[k] for k in CONSTRAINTS if k in shape and shape[k] not in (None, [], False)}
    if not found:
        return type_
    found["type"] = type_
    return found


def main(model_path, out_path):
    model = json.load(open(model_path))
    shapes = model["shapes"]
    table = {}
    for op, spec in sorted(model["operations"].items()):
        if "input" in spec:
            table[op] = describe(shapes, spec["input"]["shape"], frozenset())
    with open(out_path, "w") as out:
        json.dump(table, out, separators=(",", ":"), sort_keys=True)
        out.write("\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
