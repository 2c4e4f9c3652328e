"""Validates examples of an OpenAPI document against their schemas with openapi-schema-validator
(python-jsonschema with OpenAPI's vocabulary), an independent reader of the document.

Usage: validate_examples.py SPEC.json < PAIRS.json > REPORT.json

PAIRS is a JSON list of [example pointer, schema pointer] or [example pointer, schema pointer,
direction]: "write" for what requests send (openapi-schema-validator's write validator: a required
readOnly property may be absent, a readOnly one present is a complaint), "read" for answers (its
read validator: the same for writeOnly), anything else for neither. REPORT maps each example
pointer that breaks its schema to the list of complaints ("keyword: where message"). References are resolved
inside the document without expanding them, so recursive schemas are fine. A pair whose
pointers name nothing in the document is left out of the report.
"""

import json
import sys

from jsonschema.exceptions import best_match
from jsonschema.validators import extend
from openapi_schema_validator import (
    OAS30ReadValidator,
    OAS30Validator,
    OAS30WriteValidator,
    OAS31Validator,
    oas30_format_checker,
    oas31_format_checker,
)
from openapi_schema_validator import _keywords as oas_keywords
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012, DRAFT4


def resolve(doc, pointer):
    """The value at a JSON pointer, following a local `$ref` where the pointer goes through one
    (an example given as `{$ref: '#/components/examples/x'}`)."""
    node = doc
    for token in pointer.lstrip("/").split("/") if pointer else []:
        token = token.replace("~1", "/").replace("~0", "~")
        for _ in range(32):
            if isinstance(node, dict) and token not in node and "$ref" in node:
                node = resolve(doc, node["$ref"].lstrip("#"))
            else:
                break
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


def where(error):
    path = "/".join(str(p) for p in error.absolute_path)
    return "/" + path if path else "the body"


# OpenAPI 3.1 and 3.2 read readOnly and writeOnly as JSON Schema annotations: the library has no
# validators by direction for them, so these give 3.1 what its 3.0 ones do.
OAS31ReadValidator = extend(
    OAS31Validator,
    validators={"required": oas_keywords.read_required, "writeOnly": oas_keywords.read_writeOnly},
)
OAS31WriteValidator = extend(
    OAS31Validator,
    validators={"required": oas_keywords.write_required, "readOnly": oas_keywords.write_readOnly},
)

VALIDATORS = {
    False: {"read": OAS30ReadValidator, "write": OAS30WriteValidator},
    True: {"read": OAS31ReadValidator, "write": OAS31WriteValidator},
}


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        doc = json.load(f)
    pairs = json.load(sys.stdin)
    v31 = not str(doc.get("openapi", "")).startswith("3.0")
    plain, checker, spec = (
        (OAS31Validator, oas31_format_checker, DRAFT202012)
        if v31
        else (OAS30Validator, oas30_format_checker, DRAFT4)
    )
    registry = Registry().with_resource("urn:spec", Resource(contents=doc, specification=spec))
    report = {}
    for pair in pairs:
        example, schema = pair[0], pair[1]
        direction = pair[2] if len(pair) > 2 else None
        validator = VALIDATORS[v31].get(direction, plain)
        # An example the generator found where reading a 3.1 document moved it is not judged.
        try:
            instance = resolve(doc, example)
            resolve(doc, schema)
        except (KeyError, IndexError, ValueError, TypeError):
            continue
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
