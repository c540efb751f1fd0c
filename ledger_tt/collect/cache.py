"""Parsed files by blob id: a blob's bytes never change, so it is parsed once, ever.

The cache holds what the YAML loader made of each blob (values, positions, YAML problems);
checks that depend on the program or the leader run again on every collect (they are cheap).
One file per leader keeps memory per leader and lets leaders be collected in parallel. It is
marshal, not JSON: ten times quicker both ways, and the file is the collector's own (a damaged
or foreign one is only a slower run: it is ignored and rebuilt).
"""

from __future__ import annotations

import marshal
from pathlib import Path

from .. import yamlio
from ..problems import Problem


class ParseCache:
    """Parsed blobs by id; and, for one checking context at a time (program, leader, day),
    what the checks made of each file, so a new snapshot re-checks only its new files."""

    def __init__(self, cache_dir: Path, leader: str, context: str = ""):
        self.path = Path(cache_dir) / "parsed" / f"{leader}.marshal"
        self.entries: dict[str, tuple] = {}
        self.checked: dict[tuple[str, str], tuple] = {}
        self.first_seen: dict[tuple[str, str], str] = {}  # (path, blob) -> earliest time seen
        self.listed: list[str] = []  # snapshot commits already folded into first_seen
        self.context = context
        self.parsed = 0  # files parsed in this run
        self.dirty = False
        if self.path.exists():
            try:
                data = marshal.loads(self.path.read_bytes())
                self.entries = data["parsed"]
                self.first_seen, self.listed = data["first_seen"], data["listed"]
                if data.get("context") == context:
                    self.checked = data["checked"]
            except (OSError, ValueError, EOFError, TypeError, KeyError):
                self.entries, self.checked, self.first_seen, self.listed = {}, {}, {}, []  # only a slower run

    def load(self, sha: str, data_for, display: str, detailed: bool = False) -> yamlio.Loaded:
        """The parsed blob, from the cache or by parsing `data_for(sha)` now.

        Blobs are parsed quickly, without positions; ask for detailed=True to place a
        problem (the blob is parsed once more, with positions, and cached that way)."""
        hit = self.entries.get(sha)
        if hit is not None and (hit[4] or not detailed):
            return _from_cache(hit, display)
        loaded = yamlio.load(data_for(sha), display, positions=detailed)
        self.parsed += 1
        self.entries[sha] = _to_cache(loaded)
        self.dirty = True
        return loaded

    def outcome(self, sha: str, path: str):
        """(count, [(row values without late and commit, index)], [problem tuples]) of a file
        already checked in this context."""
        return self.checked.get((sha, path))

    def remember(self, sha: str, path: str, count: int, rows: list[tuple[tuple, int | None]], problems) -> None:
        self.checked[(sha, path)] = (count, rows, [(p.file, p.line, p.column, p.code, p.message) for p in problems])
        self.dirty = True

    def save(self) -> None:
        if self.dirty:
            data = {"parsed": self.entries, "context": self.context, "checked": self.checked,
                    "first_seen": self.first_seen, "listed": self.listed}
            yamlio.atomic_write(self.path, marshal.dumps(data), durable=False)


def _to_cache(loaded: yamlio.Loaded) -> tuple:
    return (loaded.value, loaded.positions, loaded.key_positions,
            [(p.line, p.column, p.code, p.message) for p in loaded.problems], loaded.detailed)


def _from_cache(data: tuple, display: str) -> yamlio.Loaded:
    value, positions, key_positions, problems, detailed = data
    loaded = yamlio.Loaded(display, value, detailed=detailed)
    loaded.positions, loaded.key_positions = positions, key_positions
    loaded.problems = [Problem(display, line, col, code, message) for line, col, code, message in problems]
    return loaded
