"""`ledger-tt check`: which ledgers and files to check, and the staged files for the hook."""

from __future__ import annotations

from pathlib import Path

from .ledger import PROFILE, find_ledger_root, is_record_path, load_ledger
from .problems import Problem, display_path


def _ledgers_under(directory: Path) -> list[Path]:
    root = find_ledger_root(directory)
    if root is not None:
        return [root]
    return sorted(p.parent for p in directory.rglob(PROFILE) if ".git" not in p.parts)


def check_paths(paths: list[Path]) -> list[Problem]:
    """Check whole ledgers (directories) and single files (with their ledger for context).

    A file outside any ledger cannot be checked against a program and is one problem."""
    whole: set[Path] = set()
    files: dict[Path, list[Path]] = {}
    problems: list[Problem] = []
    for path in paths:
        if not path.exists():
            raise FileNotFoundError(f"{path}: no such file or directory")
        if path.is_dir():
            found = _ledgers_under(path)
            if not found:
                problems.append(Problem(display_path(path), 1, 1, "bad-profile", "no ledger here (no ledger.yaml in or above it)"))
            whole.update(found)
            continue
        root = find_ledger_root(path.parent)
        if root is None:
            problems.append(Problem(display_path(path), 1, 1, "bad-profile", "the file is not inside a ledger (no ledger.yaml above it)"))
        else:
            files.setdefault(root, []).append(path)
    for root in sorted(whole):
        problems.extend(load_ledger(root).problems)
    for root, chosen in sorted(files.items()):
        if root in whole:
            continue
        problems.extend(load_ledger(root, only=chosen).problems)
    return problems


def check_staged(cwd: Path) -> list[Problem]:
    """The records as the next commit would hold them (what the pre-commit hook checks)."""
    from . import gitops

    root = find_ledger_root(cwd)
    if root is None:
        raise FileNotFoundError(f"{cwd} is not inside a ledger")
    repo = gitops.open_repo(root)
    staged = [(path, data) for path, data in gitops.staged_files(repo) if is_record_path(path)]
    return load_ledger(root, sources=staged).problems
