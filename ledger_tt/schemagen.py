"""The JSON Schema of a record file, generated from the model (schema/record.schema.json).

Editors with the YAML language server complete and check a record as it is typed:
    # yaml-language-server: $schema=../../schema/record.schema.json
A test fails when the committed file drifts from the model; `ledger-tt schema --write` refreshes it.
"""

from __future__ import annotations

import json

from .model import Record
from .paths import SCHEMA_DIR
from .program import load_taxonomy

SCHEMA_FILE = SCHEMA_DIR / "record.schema.json"


def record_schema() -> dict:
    record = Record.model_json_schema(by_alias=True)
    taxonomy = load_taxonomy()
    codes = [a.code for a in taxonomy.activities] + [str(a.number) for a in taxonomy.activities if a.number]
    record["properties"]["activity"]["enum"] = codes
    record["properties"]["date"]["format"] = "date"
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://ledger-tt.example/schema/record.schema.json",
        "title": "ledger-tt activity file: one record, or a list of records",
        "oneOf": [{"$ref": "#/$defs/Record"}, {"type": "array", "items": {"$ref": "#/$defs/Record"}, "minItems": 1}],
        "$defs": {"Record": record},
    }


def render() -> str:
    return json.dumps(record_schema(), indent=2, ensure_ascii=False) + "\n"
