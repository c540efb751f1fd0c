"""The one module that reads and writes ledger YAML.

Reading builds values straight from the parser's events (libyaml's C parser when
present), so what the person wrote is what the model sees: every scalar stays
the text that was typed. `start: 8:30` is "8:30", never the YAML 1.1 integer
510; `with: no` is "no", never false. Only an empty value, `~` and `null` mean
"nothing". Anchors, aliases, tags, duplicate keys, several documents and
oversized input are refused as problems, each with its line and column.

Writing is atomic: a temp file in the same directory, fsync, rename, and an
fsync of the directory so the rename itself survives a crash.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .faults import crash_point
from .problems import Problem

try:  # libyaml: about ten times faster than the pure-Python parser
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - exercised only without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 256 * 1024
MAX_DEPTH = 8
NULL_WORDS = {"", "~", "null", "Null", "NULL"}

Path_ = tuple  # a path into the loaded value: ("people", 0), (2, "start"), ...


@dataclass
class Loaded:
    """A parsed file: its value, where each part of it was written, and its problems."""

    file: str
    value: Any = None
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    detailed: bool = True  # positions recorded (False only from a quick load without problems)

    def where(self, path: Path_) -> tuple[int, int]:
        """The (line, column) of the value at path, or of its nearest written parent."""
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, (1, 1))

    def problem(self, path: Path_, code: str, message: str, *, at_key: bool = False) -> Problem:
        line, col = (self.key_positions.get(path) if at_key else None) or self.where(path)
        return Problem(self.file, line, col, code, message)


class _Refused(Exception):
    def __init__(self, mark, code: str, message: str):
        self.mark, self.code, self.message = mark, code, message


def _pos(mark) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


class _NeedsDetail(Exception):
    """A quick load (no positions) met a problem: load again with positions to place it."""


class _Builder:
    def __init__(self, loaded: Loaded, track: bool = True):
        self.loaded = loaded
        self.track = track

    def report(self, mark, code: str, message: str) -> None:
        if not self.track:
            raise _NeedsDetail
        line, col = _pos(mark)
        self.loaded.problems.append(Problem(self.loaded.file, line, col, code, message))

    def node(self, event, events, path: Path_, depth: int) -> Any:
        """Build one value; refused constructs are reported and read as nothing, so
        the rest of the file is still checked. (Plain scalars inside mappings and
        sequences, nearly every event of a record, are handled inline: no call each.)"""
        kind = type(event)
        if kind is yaml.AliasEvent:
            self.report(event.start_mark, "yaml-alias", f"alias '*{event.anchor}' is not allowed")
            return None
        if event.anchor:
            self.report(event.start_mark, "yaml-alias", f"anchor '&{event.anchor}' is not allowed")
        if event.tag is not None:
            self.report(event.start_mark, "yaml-tag", f"tag '{event.tag}' is not allowed")
        if depth > MAX_DEPTH:
            raise _Refused(event.start_mark, "not-a-record", "values are nested too deeply for a record")
        track = self.track
        positions = self.loaded.positions
        if track:
            mark = event.start_mark
            positions[path] = (mark.line + 1, mark.column + 1)
        if kind is _Scalar:
            return None if event.style == "" and event.value in NULL_WORDS else event.value
        if kind is yaml.SequenceStartEvent:
            items: list[Any] = []
            for ev in events:
                kind = type(ev)
                if kind is yaml.SequenceEndEvent:
                    return items
                if kind is _Scalar and ev.anchor is None and ev.tag is None:
                    if track:
                        mark = ev.start_mark
                        positions[path + (len(items),)] = (mark.line + 1, mark.column + 1)
                    items.append(None if ev.style == "" and ev.value in NULL_WORDS else ev.value)
                else:
                    items.append(self.node(ev, events, path + (len(items),), depth + 1))
        if kind is yaml.MappingStartEvent:
            mapping: dict[str, Any] = {}
            keys = self.loaded.key_positions
            for ev in events:
                if type(ev) is yaml.MappingEndEvent:
                    return mapping
                if type(ev) is not _Scalar:
                    raise _Refused(ev.start_mark, "not-a-record", "a key must be plain text")
                key = ev.value
                here = path + (key,)
                if key in mapping:
                    if not track:
                        raise _NeedsDetail
                    first = keys[here]
                    self.report(ev.start_mark, "yaml-duplicate-key", f"key '{key}' appears twice (first on line {first[0]})")
                    self.node(next(events), events, ("<duplicate>",) + path, depth + 1)
                    continue
                if track:
                    mark = ev.start_mark
                    keys[here] = (mark.line + 1, mark.column + 1)
                value = next(events)
                if type(value) is _Scalar and value.anchor is None and value.tag is None:
                    if track:
                        mark = value.start_mark
                        positions[here] = (mark.line + 1, mark.column + 1)
                    mapping[key] = None if value.style == "" and value.value in NULL_WORDS else value.value
                else:
                    mapping[key] = self.node(value, events, here, depth + 1)
        raise _Refused(event.start_mark, "yaml-syntax", "unexpected YAML structure")


_Scalar = yaml.ScalarEvent


def load(data: bytes | str, file: str, positions: bool = True) -> Loaded:
    """Parse one ledger file. Never raises on bad input: problems are in the result.

    positions=False is the collector's quick pass: no line and column bookkeeping, and the
    first problem of any kind makes it start over with positions (problems are rare, and
    every one must say where it is). Check `loaded.detailed` to know which you got."""
    if not positions:
        try:
            return _load(data, file, track=False)
        except _NeedsDetail:
            pass
    return _load(data, file, track=True)


def _load(data: bytes | str, file: str, track: bool) -> Loaded:
    loaded = Loaded(file)
    raw = data.encode() if isinstance(data, str) else data
    if len(raw) > MAX_FILE_BYTES:
        loaded.problems.append(
            Problem(file, 1, 1, "file-too-large", f"file is {len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,}")
        )
        return loaded
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        loaded.problems.append(Problem(file, 1, 1, "file-unreadable", f"not UTF-8 text ({err.reason} at byte {err.start})"))
        return loaded
    loaded.detailed = track
    events = yaml.parse(text, Loader=_Loader)
    builder = _Builder(loaded, track)
    documents = 0
    try:
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise _Refused(event.start_mark, "yaml-multiple-documents", "a ledger file holds one YAML document")
                loaded.value = builder.node(next(events), events, (), 0)
    except _Refused as refused:
        if not track:
            raise _NeedsDetail from None
        line, col = _pos(refused.mark)
        loaded.value = None
        loaded.problems.append(Problem(file, line, col, refused.code, refused.message))
    except yaml.MarkedYAMLError as err:
        if not track:
            raise _NeedsDetail from None
        mark = err.problem_mark or err.context_mark
        line, col = _pos(mark)
        loaded.value = None
        reason = err.problem or err.context or "invalid YAML"
        loaded.problems.append(Problem(file, line, col, "yaml-syntax", reason))
    except yaml.YAMLError as err:  # e.g. a reader error on control characters
        if not track:
            raise _NeedsDetail from None
        loaded.value = None
        loaded.problems.append(Problem(file, 1, 1, "yaml-syntax", str(err).splitlines()[0]))
    return loaded


def load_file(path: Path, display: str | None = None) -> Loaded:
    display = display or str(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as err:
        loaded = Loaded(display)
        loaded.problems.append(Problem(display, 1, 1, "file-unreadable", err.strerror or str(err)))
        return loaded
    return load(raw, display)


# ---------------------------------------------------------------- writing

_PLAIN_SAFE = re.compile(r"^[A-Za-z][A-Za-z0-9 .,'()/&+_-]*[A-Za-z0-9.)]$|^[A-Za-z]$")
_NOT_PLAIN_WORDS = {"yes", "no", "on", "off", "true", "false", "y", "n", "null"}


def scalar(value: str) -> str:
    """Text as a YAML scalar that every YAML reader (1.1 or 1.2) reads back as this text."""
    if _PLAIN_SAFE.match(value) and value.lower() not in _NOT_PLAIN_WORDS and ": " not in value and " #" not in value:
        return value
    return quoted(value)


# Characters YAML may not hold raw (outside its printable set), or would read as a line break.
_ESCAPE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def quoted(value: str) -> str:
    """A YAML double-quoted scalar: a JSON string with YAML's unprintables escaped too."""
    return _ESCAPE.sub(lambda m: f"\\u{ord(m[0]):04x}", json.dumps(value, ensure_ascii=False))


def dump_mapping(fields: dict[str, Any]) -> str:
    """A flat mapping in the given key order; values are text, dates, lists of text or None (left out)."""
    lines = []
    for key, value in fields.items():
        if value is None or value == []:
            continue
        if isinstance(value, dt.date):
            lines.append(f"{key}: {value.isoformat()}")
        elif isinstance(value, list):
            lines.append(f"{key}: [{', '.join(quoted(v) for v in value)}]")
        elif isinstance(value, QuotedText):
            lines.append(f"{key}: {quoted(str(value))}")
        else:
            lines.append(f"{key}: {scalar(str(value))}")
    return "\n".join(lines) + "\n"


class QuotedText(str):
    """Text that is always written quoted (times: "08:30" is text to every YAML reader)."""


def atomic_write(path: Path, text: str | bytes, durable: bool = True) -> None:
    """Write text to path so that a crash leaves the old file or the new one, never half.

    durable=False skips the fsyncs: for caches, which a crash may lose but never corrupt."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8") if isinstance(text, str) else text)
            handle.flush()
            crash_point("write")
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
        crash_point("rename")
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    if not durable:
        return
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
