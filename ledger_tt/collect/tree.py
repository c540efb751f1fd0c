"""Reading one snapshot from the object store: `ls-tree -r -l` and blobs through one cat-file --batch."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

import git

from ..ledger import PROFILE, is_record_path
from ..yamlio import MAX_FILE_BYTES

HARMLESS = {".gitkeep", ".gitignore", "README.md", "README", "README.txt"}


@dataclass(frozen=True)
class Item:
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
        name = PurePosixPath(item.path).name
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
    """Blob contents through GitPython's persistent `git cat-file --batch` process."""
    out = {}
    for sha in shas:
        if sha not in out:
            out[sha] = repo.odb.stream(bytes.fromhex(sha)).read()
    return out


def blob_map(repo: git.Repo, commit: str) -> dict[str, str]:
    """path -> blob id of every regular file at a commit (for first-seen times)."""
    return {i.path: i.sha for i in list_tree(repo, commit) if i.kind == "blob"}
