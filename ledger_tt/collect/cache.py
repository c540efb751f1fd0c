"""Parsed files by blob id: a blob's bytes never change, so it is parsed once, ever.

The cache holds what the YAML loader made of each blob (values, positions, YAML problems);
checks that depend on the program or the leader run again on every collect (they are cheap).
One JSON file per leader keeps memory per leader and lets leaders be collected in parallel.
"""

from __future__ import annotations

import json
from pathlib import Path

from .. import yamlio
from ..problems import Problem


class ParseCache:
    def __init__(self, cache_dir: Path, leader: str):
        self.path = Path(cache_dir) / "parsed" / f"{leader}.json"
        self.entries: dict[str, dict] = {}
        self.parsed = 0  # files parsed in this run
        self.dirty = False
        if self.path.exists():
            try:
                self.entries = json.loads(self.path.read_text())
            except (OSError, ValueError):
                self.entries = {}  # a damaged cache is only a slower run

    def load(self, sha: str, data_for, display: str) -> yamlio.Loaded:
        """The parsed blob, from the cache or by parsing `data_for(sha)` now."""
        hit = self.entries.get(sha)
        if hit is not None:
            return _from_json(hit, display)
        loaded = yamlio.load(data_for(sha), display)
        self.parsed += 1
        self.entries[sha] = _to_json(loaded)
        self.dirty = True
        return loaded

    def save(self) -> None:
        if self.dirty:
            yamlio.atomic_write(self.path, json.dumps(self.entries, separators=(",", ":")))


def _to_json(loaded: yamlio.Loaded) -> dict:
    return {
        "value": loaded.value,
        "pos": [[list(k), *v] for k, v in loaded.positions.items()],
        "keys": [[list(k), *v] for k, v in loaded.key_positions.items()],
        "problems": [[p.line, p.column, p.code, p.message] for p in loaded.problems],
    }


def _from_json(data: dict, display: str) -> yamlio.Loaded:
    loaded = yamlio.Loaded(display, data["value"])
    loaded.positions = {tuple(k): (line, col) for k, line, col in data["pos"]}
    loaded.key_positions = {tuple(k): (line, col) for k, line, col in data["keys"]}
    loaded.problems = [Problem(display, line, col, code, message) for line, col, code, message in data["problems"]]
    return loaded
