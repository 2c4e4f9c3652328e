"""Validates examples of an OpenAPI document against their schemas with openapi-schema-validator
(python-jsonschema with OpenAPI's vocabulary), an independent reader of the document.

Usage: validate_examples.py SPEC.json < PAIRS.json > REPORT.json

PAIRS is a JSON list of [example pointer, schema pointer]; REPORT maps each example pointer that
breaks its schema to the list of complaints ("keyword: where message"). References are resolved
inside the document without expanding them, so recursive schemas are fine.
"""

import json
import sys

from jsonschema.exceptions import best_match
from openapi_schema_validator import (
    OAS30Validator,
    OAS31Validator,
    oas30_format_checker,
    oas31_format_checker,
)
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012, DRAFT4


def resolve(doc, pointer):
    node = doc
    for token in pointer.lstrip("/").split("/") if pointer else []:
        token = token.replace("~1", "/").replace("~0", "~")
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


def where(error):
    path = "/".join(str(p) for p in error.absolute_path)
    return "/" + path if path else "the body"


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        doc = json.load(f)
    pairs = json.load(sys.stdin)
    v31 = str(doc.get("openapi", "")).startswith("3.1")
    validator, checker, spec = (
        (OAS31Validator, oas31_format_checker, DRAFT202012)
        if v31
        else (OAS30Validator, oas30_format_checker, DRAFT4)
    )
    registry = Registry().with_resource("urn:spec", Resource(contents=doc, specification=spec))
    report = {}
    for example, schema in pairs:
        instance = resolve(doc, example)
        check = validator(
            {"$ref": "urn:spec#" + schema},
            registry=registry,
            format_checker=checker,
        )
        errors = sorted(check.iter_errors(instance), key=lambda e: list(e.absolute_path))
        if errors:
            leaves = [best_match([e]) for e in errors]
            report[example] = [
                f"{e.validator}: {where(e)} {e.message[:300]}" for e in leaves
            ]
    json.dump(report, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
