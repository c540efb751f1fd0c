"""Problems are values: every check returns them, nothing on bad data raises.

A problem carries its location (file, line, column, 1-based), a stable lowercase
code, a message that says what is wrong and a hint that says how to fix it.
The codes and their hints live in CODES so the README, the tests and the JSON
output all speak the same words.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

# code -> the hint printed under every problem of that code.
CODES: dict[str, str] = {
    # the file itself
    "yaml-syntax": "Fix the YAML syntax at the marked place (an unclosed quote or a bad indent is typical).",
    "yaml-alias": "Write the value out in full; anchors and aliases (&name, *name) are not allowed in ledgers.",
    "yaml-tag": "Remove the tag (the '!...' before the value); quote the value if it should be text.",
    "yaml-duplicate-key": "Keep one of the two keys; a record may name each field once.",
    "yaml-multiple-documents": "Put one record per file, or a list of records ('- date: ...') in one document.",
    "file-too-large": "A ledger file holds a few records; split it or remove what is not a record.",
    "file-unreadable": "Check that the file exists, is readable and is UTF-8 text.",
    "not-a-record": "A record is a mapping of fields ('date: 2013-11-04', 'start: \"08:00\"', ...).",
    # fields
    "unknown-key": "Remove the key or correct its spelling; the fields are: date, start, end, campus, activity, task, with, people, notes.",
    "missing-field": "Add the field; date, start, end, campus, activity and with are required.",
    "bad-type": "Write the value as text, a list of names, or leave it out, as the field expects.",
    "bad-date": "Write the date as YYYY-MM-DD, e.g. 2013-11-04.",
    "bad-time": 'Write the time as "8:30", "08:30", "16:00" or "4:00 PM".',
    "bad-with": "Use one of: individual, group, students, self.",
    # record rules
    "end-before-start": "The end time must be later than the start time on the same day.",
    "too-long": "Split a long stretch into activities of at most 12 hours.",
    "outside-window": "Log only activities inside the program's tracking window.",
    "in-future": "Log an activity once it has happened; check the date.",
    "unknown-campus": "Use a campus id of the program (see `ledger-tt program`).",
    "not-your-campus": "Use one of the campuses in your ledger.yaml profile, or ask the coordinator to add the campus.",
    "unknown-activity": "Use an activity code of the taxonomy (or its number 1-7, or 'other').",
    "unknown-task": "Choose a task from the activity's examples, or leave 'task' out and describe it in notes.",
    "individual-needs-one-person": "With 'individual', name exactly one person: people: [\"Last, First\"].",
    "not-on-roster": "Pick the name from the campus roster; if the person is not on it, record 'with: group' and write the name.",
    "people-required": "Name everyone involved as \"Last, First\", one entry per person.",
    "self-has-people": "With 'self', leave 'people' out; use 'group' or 'individual' when others took part.",
    "name-format": "Write names as \"Last, First\" (e.g. \"Doe, Jane\").",
    "name-has-title": "Write the name without Mr./Mrs./Ms./Dr.: \"Doe, Jane\".",
    "notes-required": "Activity 'other' needs notes that say what you did.",
    # across records
    "overlap": "Two activities of one leader cannot overlap; correct a time or remove one record.",
    # the ledger
    "bad-profile": "Fix ledger.yaml: it needs leader, name, email, campuses and program.",
    "check-crashed": "This is a bug in ledger-tt; please report it with the file.",
}

# Codes only the collector reports (about a leader's repository as a whole).
COLLECT_CODES: dict[str, str] = {
    "bad-url": "Fix the leader's remote in leaders.yaml: https://, ssh:// or user@host:path (local paths need --allow-local).",
    "shared-remote": "Give each leader their own remote in leaders.yaml.",
    "unreachable": "Check the URL and the leader's access; the last good snapshot is used meanwhile.",
    "history-rewritten": "Ask the leader why history was rewritten; the older commits are kept in the mirror under refs/ledger-tt/kept/.",
    "unsigned-commit": "Ask the leader to sign commits with their registered SSH key (git config gpg.format ssh).",
    "forged-leader": "The ledger.yaml must name the leader whose remote it is; fix the profile or the leaders list.",
    "copied-ledger": "Two remotes hold the same ledger; find out whose it is.",
    "symlink": "Replace the link with the file itself.",
    "submodule": "Remove the submodule; a ledger holds plain record files.",
    "outside-layout": "Keep only ledger.yaml and activities/**.yaml in a ledger.",
}


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    column: int
    code: str
    message: str
    severity: str = "error"
    related: tuple[str, ...] = field(default=(), compare=False)

    @property
    def hint(self) -> str:
        return CODES.get(self.code) or COLLECT_CODES.get(self.code, "")

    def format(self) -> str:
        head = f"{self.file}:{self.line}:{self.column}: {self.severity}[{self.code}]: {self.message}"
        return f"{head}\n  hint: {self.hint}" if self.hint else head

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("related")
        data["hint"] = self.hint
        return data


def display_path(path: Path | str, base: Path | None = None) -> str:
    """A short path for messages: relative to base (or the cwd) when inside it."""
    path = Path(path)
    for root in (base, Path.cwd()):
        if root is None:
            continue
        try:
            return str(path.resolve().relative_to(root.resolve()))
        except ValueError:
            continue
    return str(path)


def format_text(problems: list[Problem]) -> str:
    return "\n".join(p.format() for p in problems)


def format_json(problems: list[Problem]) -> str:
    return json.dumps([p.as_dict() for p in problems], indent=2)
