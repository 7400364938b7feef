#!/usr/bin/env python3
"""Derives the JSON types of every operation's input members from a botocore service model.

Writes a compact table (operation -> nested type description) that protocol's InputShapes reads, so that a member of
the wrong JSON type is answered with SerializationException even when the operation never reads it, as AWS's
deserializer does. Only types are kept: names, no documentation, no constraints.

usage: gen-input-shapes.py MODEL.json OUT.json
"""
import json
import sys

SCALARS = {"string": "string", "boolean": "boolean", "integer": "integer", "long": "integer",
           "timestamp": "timestamp", "blob": "blob", "double": "number", "float": "number"}


def describe(shapes, name, stack):
    shape = shapes[name]
    kind = shape["type"]
    if kind in SCALARS:
        return SCALARS[kind]
    if name in stack:  # recursive shapes: stop checking below the cycle
        return "any"
    stack = stack | {name}
    if kind == "list":
        return {"list": describe(shapes, shape["member"]["shape"], stack)}
    if kind == "map":
        return {"map": describe(shapes, shape["value"]["shape"], stack)}
    if kind == "structure":
        return {"structure": {m: describe(shapes, s["shape"], stack) for m, s in sorted(shape["members"].items())}}
    raise ValueError("unknown shape type " + kind)


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
