"""The committed JSON Schema matches the model, and describes the files ledger-tt writes."""

from __future__ import annotations

import json

import jsonschema

from ledger_tt import yamlio
from ledger_tt.schemagen import SCHEMA_FILE, render

from .conftest import SAMPLE_LEDGERS


def test_committed_schema_matches_the_model():
    assert SCHEMA_FILE.read_text() == render(), "run `ledger-tt schema --write` and commit schema/record.schema.json"


def test_sample_records_validate_against_the_schema_and_mistakes_do_not():
    schema = json.loads(SCHEMA_FILE.read_text())
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    files = sorted(SAMPLE_LEDGERS.glob("*/activities/*/*.yaml"))[:50]
    assert files
    for path in files:
        validator.validate(yamlio.load_file(path).value)
    wrong = yamlio.load_file(files[0]).value | {"activty": "planning"}
    assert not validator.is_valid(wrong)
    assert not validator.is_valid(yamlio.load_file(files[0]).value | {"start": "eight"})
