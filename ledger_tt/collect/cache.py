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
    def __init__(self, cache_dir: Path, leader: str):
        self.path = Path(cache_dir) / "parsed" / f"{leader}.marshal"
        self.entries: dict[str, dict] = {}
        self.parsed = 0  # files parsed in this run
        self.dirty = False
        if self.path.exists():
            try:
                self.entries = marshal.loads(self.path.read_bytes())
                if not isinstance(self.entries, dict):
                    self.entries = {}
            except (OSError, ValueError, EOFError, TypeError):
                self.entries = {}  # a damaged cache is only a slower run

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

    def save(self) -> None:
        if self.dirty:
            yamlio.atomic_write(self.path, marshal.dumps(self.entries), durable=False)


def _to_cache(loaded: yamlio.Loaded) -> tuple:
    return (loaded.value, loaded.positions, loaded.key_positions,
            [(p.line, p.column, p.code, p.message) for p in loaded.problems], loaded.detailed)


def _from_cache(data: tuple, display: str) -> yamlio.Loaded:
    value, positions, key_positions, problems, detailed = data
    loaded = yamlio.Loaded(display, value, detailed=detailed)
    loaded.positions, loaded.key_positions = positions, key_positions
    loaded.problems = [Problem(display, line, col, code, message) for line, col, code, message in problems]
    return loaded
