"""The record and the ledger profile, as pydantic models.

Field-level rules (types, date and time formats, the `with` modes) live here and
raise errors whose type is the problem code. Rules that need the program or the
rest of the ledger (roster, window, overlaps) are checks in checks.py.
"""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, TypeAdapter, ValidationError
from pydantic_core import PydanticCustomError

from . import times
from .problems import Problem
from .yamlio import Loaded

WITH_MODES = ("individual", "group", "students", "self")
WITH_LABELS = {
    "individual": "With an individual teacher/administrator",
    "group": "With a group of teachers/administrators/parents",
    "students": "With students",
    "self": "By myself",
}
TIME_PATTERN = r"^\s*\d{1,2}(:\d{2})?\s*([AaPp]\.?\s*[Mm]\.?)?\s*$"


def _text(value: Any, code: str = "bad-type", what: str = "text") -> str:
    if not isinstance(value, str):
        kind = "a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else "empty"
        raise PydanticCustomError(code, "expected {what}, found {kind}", {"what": what, "kind": kind})
    return value


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return times.parse_date(_text(value, "bad-date", "a date"))
    except ValueError as err:
        raise PydanticCustomError("bad-date", str(err)) from None


def _time(value: Any) -> str:
    try:
        return times.normalize_time(_text(value, "bad-time", "a time"))
    except ValueError as err:
        raise PydanticCustomError("bad-time", str(err)) from None


def _with(value: Any) -> str:
    text = _text(value, "bad-with", "one of individual, group, students, self")
    if text not in WITH_MODES:
        close = difflib.get_close_matches(text.lower(), WITH_MODES, n=1)
        suggestion = f"; did you mean '{close[0]}'?" if close else ""
        raise PydanticCustomError(
            "bad-with", "'{value}' is not one of individual, group, students, self{suggestion}",
            {"value": text, "suggestion": suggestion},
        )
    return text


def _names(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):  # one name written without the list brackets
        return [value]
    if not isinstance(value, list):
        raise PydanticCustomError("bad-type", "people is a list of names")
    return value


def _optional_text(value: Any) -> str | None:
    return None if value is None else _text(value)


Text = Annotated[str, BeforeValidator(_text)]
OptionalText = Annotated[str | None, BeforeValidator(_optional_text)]
TimeText = Annotated[
    str, BeforeValidator(_time),
    Field(json_schema_extra={"pattern": TIME_PATTERN, "examples": ["08:30", "4:00 PM"]}),
]
DateValue = Annotated[dt.date, BeforeValidator(_date)]
WithMode = Annotated[Literal["individual", "group", "students", "self"], BeforeValidator(_with)]
Names = Annotated[list[Text], BeforeValidator(_names)]

class Record(BaseModel):
    """One leadership activity, as a leader logs it."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, title="ledger-tt activity record")

    date: DateValue = Field(description="Day of the activity, YYYY-MM-DD.")
    start: TimeText = Field(description='Start time: "8:30", "08:30", "16:00" or "4:00 PM"; stored as 24-hour "HH:MM".')
    end: TimeText = Field(description="End time, later than start on the same day.")
    campus: Text = Field(description="Campus id from the program, one of the leader's campuses.")
    activity: Text = Field(description="Activity code from the taxonomy (or its number 1-7, or 'other').")
    task: OptionalText = Field(None, description="Optional: one of the activity's examples.")
    with_: WithMode = Field(alias="with", description="individual | group | students | self")
    people: Names = Field(default_factory=list, description='Names as "Last, First". individual: exactly one, from the roster.')
    notes: OptionalText = Field(None, description="Optional notes; required for activity 'other'.")

    @property
    def minutes(self) -> int:
        return times.parse_time(self.end) - times.parse_time(self.start)

    @property
    def hours(self) -> float:
        return self.minutes / 60

    def as_fields(self) -> dict[str, Any]:
        """The record in file order, as `add` and the app write it."""
        from .yamlio import QuotedText

        return {
            "date": self.date,
            "start": QuotedText(self.start),
            "end": QuotedText(self.end),
            "campus": self.campus,
            "activity": self.activity,
            "task": self.task,
            "with": self.with_,
            "people": list(self.people),
            "notes": self.notes,
        }


class Profile(BaseModel):
    """ledger.yaml: whose ledger this is and which program it reports to."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    leader: Text = Field(description="Leader id, as in the program's leaders list.")
    name: Text
    email: Text
    campuses: list[Text] = Field(min_length=1)
    program: Text = Field(description="A built-in program name or a path to the program directory.")


_PYDANTIC_CODES = {
    "missing": "missing-field",
    "extra_forbidden": "unknown-key",
    "string_type": "bad-type",
    "list_type": "bad-type",
    "too_short": "bad-type",
    "model_type": "not-a-record",
    "model_attributes_type": "not-a-record",
    "dict_type": "not-a-record",
}


def field_findings(model: type[BaseModel], value: dict) -> tuple[BaseModel | None, list[tuple[tuple, str, str]]]:
    """Validate a mapping; every error as (path, code, message), in the words `check` prints."""
    try:
        return model.model_validate(value), []
    except ValidationError as err:
        return None, [_finding(model, e) for e in err.errors()]


def _finding(model: type[BaseModel], error: dict) -> tuple[tuple, str, str]:
    loc = tuple(error["loc"])
    code = error["type"] if error["type"] in _CUSTOM_CODES else _PYDANTIC_CODES.get(error["type"], "bad-type")
    if code == "unknown-key":
        known = [f.alias or name for name, f in model.model_fields.items()]
        close = difflib.get_close_matches(str(loc[-1]), known, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        return loc, code, f"unknown key '{loc[-1]}'{hint}"
    if code == "missing-field":
        return loc, code, f"missing field '{loc[-1]}'"
    return loc, code, error["msg"]


def validate(model: type[BaseModel], loaded: Loaded, base: tuple = ()) -> tuple[BaseModel | None, list[Problem]]:
    """Validate the value at `base` in a loaded file; every error becomes a located problem."""
    value = loaded.value
    for part in base:
        value = value[part]
    if not isinstance(value, dict):
        return None, [loaded.problem(base, "not-a-record", "expected a mapping of fields")]
    obj, findings = field_findings(model, value)
    problems = []
    for loc, code, message in findings:
        if code == "missing-field":  # point at the record, not at a key that is not there
            problems.append(loaded.problem(base, code, message))
        else:
            if code != "unknown-key":
                message = f"{'.'.join(str(p) for p in loc)}: {message}"
            problems.append(loaded.problem(base + loc, code, message, at_key=code == "unknown-key"))
    return obj, problems


_CUSTOM_CODES = {"bad-date", "bad-time", "bad-with", "bad-type"}


def _field_adapters() -> dict[str, TypeAdapter]:
    return {
        (info.alias or name): TypeAdapter(Annotated[(info.annotation, *info.metadata)])
        for name, info in Record.model_fields.items()
    }


_ADAPTERS: dict[str, TypeAdapter] = {}


def record_field_findings(value: dict) -> tuple[dict, list[tuple[tuple, str, str]]]:
    """Validate each record field on its own (the form checks field by field); returns the
    good values by attribute name and the findings of the others."""
    if not _ADAPTERS:
        _ADAPTERS.update(_field_adapters())
    good, findings = {}, []
    for key, raw in value.items():
        adapter = _ADAPTERS.get(key)
        if adapter is None:
            findings.append(_finding(Record, {"type": "extra_forbidden", "loc": (key,), "msg": ""}))
            continue
        try:
            good["with_" if key == "with" else key] = adapter.validate_python(raw)
        except ValidationError as err:
            for error in err.errors():
                error = dict(error, loc=(key, *error["loc"]))
                findings.append(_finding(Record, error))
    for name, info in Record.model_fields.items():
        key = info.alias or name
        if info.is_required() and key not in value:
            findings.append(((key,), "missing-field", f"missing field '{key}'"))
    return good, findings
