"""Reading one snapshot from the object store: `ls-tree -r -l` and blobs through one cat-file --batch."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from typing import NamedTuple

import git

from ..ledger import PROFILE, is_record_path
from ..yamlio import MAX_FILE_BYTES

HARMLESS = {".gitkeep", ".gitignore", "README.md", "README", "README.txt"}


class Item(NamedTuple):
    mode: str
    kind: str  # blob | commit | tree
    sha: str
    size: int | None
    path: str


@dataclass
class Snapshot:
    profile: Item | None
    records: list[Item]
    refused: list[tuple[Item, str, str]]  # (item, code, message)


def list_tree(repo: git.Repo, commit: str) -> list[Item]:
    out = repo.git.ls_tree("-r", "-l", "-z", "--full-tree", commit)
    items = []
    for row in filter(None, out.split("\0")):
        meta, path = row.split("\t", 1)
        mode, kind, sha, size = meta.split()
        items.append(Item(mode, kind, sha, None if size == "-" else int(size), path))
    return items


def classify(items: list[Item]) -> Snapshot:
    """Sort a snapshot's entries into the profile, record files, and what is refused (and why)."""
    snapshot = Snapshot(None, [], [])
    for item in items:
        name = item.path.rsplit("/", 1)[-1]
        if item.mode == "120000":
            snapshot.refused.append((item, "symlink", f"{item.path} is a symbolic link; a ledger holds plain files"))
        elif item.kind == "commit" or item.mode == "160000":
            snapshot.refused.append((item, "submodule", f"{item.path} is a submodule; a ledger holds plain files"))
        elif item.path == PROFILE or is_record_path(item.path):
            if item.size is not None and item.size > MAX_FILE_BYTES:
                snapshot.refused.append((item, "file-too-large", f"file is {item.size:,} bytes; the limit is {MAX_FILE_BYTES:,}"))
            elif item.path == PROFILE:
                snapshot.profile = item
            else:
                snapshot.records.append(item)
        elif name in HARMLESS and (item.path.count("/") == 0 or item.path.startswith("activities/")):
            continue
        else:
            snapshot.refused.append((item, "outside-layout", f"{item.path} is outside the ledger layout (ledger.yaml, activities/**.yaml)"))
    return snapshot


def read_blobs(repo: git.Repo, shas: list[str]) -> dict[str, bytes]:
    """Blob contents from one `git cat-file --batch`, every id written at once.

    (GitPython's persistent cat-file answers one object per round trip: for a ledger of
    600 files that is most of a cold collect.)"""
    wanted = list(dict.fromkeys(shas))
    if not wanted:
        return {}
    proc = subprocess.run(["git", "cat-file", "--batch"], cwd=repo.git_dir, input="\n".join(wanted).encode() + b"\n",
                          capture_output=True, check=True, env={"PATH": os.environ.get("PATH", ""), "GIT_CONFIG_NOSYSTEM": "1"})
    data, out, pos = proc.stdout, {}, 0
    for sha in wanted:
        header_end = data.index(b"\n", pos)
        header = data[pos:header_end].split()
        if len(header) != 3 or header[1] != b"blob":
            raise ValueError(f"{sha} is not a blob in {repo.git_dir}")
        size = int(header[2])
        out[sha] = data[header_end + 1:header_end + 1 + size]
        pos = header_end + 1 + size + 1
    return out


def blob_map(repo: git.Repo, commit: str) -> dict[str, str]:
    """path -> blob id of every file at a commit (for first-seen times; no sizes needed)."""
    out = {}
    for row in repo.git.ls_tree("-r", "-z", "--full-tree", commit).split("\0"):
        if row:
            meta, path = row.split("\t", 1)
            out[path] = meta.rsplit(" ", 1)[1]
    return out
