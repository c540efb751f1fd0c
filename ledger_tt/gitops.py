"""Git for a leader's ledger, through GitPython, never prompting for anything."""

from __future__ import annotations

import shlex
import sys
import time
from pathlib import Path

import git

# No credential prompt may ever hang the app or a script.
NO_PROMPT_ENV = {
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_ASKPASS": "true",
    "SSH_ASKPASS": "true",
    "GCM_INTERACTIVE": "never",
    "GIT_SSH_COMMAND": "ssh -o BatchMode=yes -o ConnectTimeout=10",
}

HOOK = """#!/bin/sh
# Installed by `ledger-tt init`: refuse a commit whose staged records fail `ledger-tt check`.
# Bypass with `git commit --no-verify` (the collector checks every record again).
if command -v ledger-tt >/dev/null 2>&1; then
    exec ledger-tt check --staged
fi
exec {python} -m ledger_tt check --staged
"""


class GitError(Exception):
    """A git step failed; the message says which and why, in one line."""


def open_repo(root: Path) -> git.Repo:
    try:
        repo = git.Repo(root)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise GitError(f"{root} is not a git repository; run `ledger-tt init {root}` first") from None
    repo.git.update_environment(**NO_PROMPT_ENV)
    return repo


def init_repo(root: Path) -> git.Repo:
    repo = git.Repo.init(root, initial_branch="main")
    repo.git.update_environment(**NO_PROMPT_ENV)
    install_hook(root)
    return repo


def install_hook(root: Path) -> Path:
    hook = root / ".git" / "hooks" / "pre-commit"
    hook.parent.mkdir(parents=True, exist_ok=True)
    hook.write_text(HOOK.format(python=shlex.quote(sys.executable)))
    hook.chmod(0o755)
    return hook


def commit(repo: git.Repo, message: str, add: list[str] = (), remove: list[str] = ()) -> str:
    """Stage the paths and commit them; returns the new commit's full id.

    Our own records were checked just before, so the commit skips the hook (it would
    check them again at the cost of a Python start). A git run by hand that holds the
    index for a moment is waited for, briefly."""
    from .faults import crash_point

    try:
        _retry_on_lock(lambda: _stage(repo, add, remove))
        crash_point("add")
        _retry_on_lock(lambda: repo.git.commit("--no-verify", "--quiet", "-m", message, "--", *add, *remove))
        crash_point("commit")
        return repo.head.commit.hexsha
    except git.GitCommandError as err:
        raise GitError(_one_line(err)) from None


def _stage(repo: git.Repo, add, remove) -> None:
    if add:
        repo.git.add("--", *add)
    if remove:
        repo.git.rm("--cached", "--quiet", "--ignore-unmatch", "--", *remove)


def _retry_on_lock(step, attempts: int = 8):
    for attempt in range(attempts):
        try:
            return step()
        except git.GitCommandError as err:
            if "index.lock" not in str(err) or attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


def staged_files(repo: git.Repo) -> list[tuple[str, bytes]]:
    """(path, staged bytes) of every regular file in the index: what a commit would hold."""
    out = []
    for row in filter(None, repo.git.ls_files("--stage", "-z").split("\0")):
        meta, path = row.split("\t", 1)
        mode, sha, _stage = meta.split()
        if mode in ("100644", "100755"):
            out.append((path, repo.odb.stream(bytes.fromhex(sha)).read()))
    return out


def unpushed_count(repo: git.Repo) -> int | None:
    """Commits on HEAD that the upstream does not have; None when there is no remote."""
    try:
        if not repo.remotes:
            return None
        branch = repo.active_branch
        tracking = branch.tracking_branch()
        if tracking is None or not tracking.is_valid():
            return int(repo.git.rev_list("--count", "HEAD"))
        return int(repo.git.rev_list("--count", f"{tracking.name}..HEAD"))
    except (git.GitCommandError, ValueError, TypeError):
        return None


def _one_line(err: git.GitCommandError) -> str:
    text = (err.stderr or err.stdout or str(err)).strip()
    text = text.replace("stderr: ", "").strip().strip("'").strip()
    return " ".join(text.split()) or f"git {err.command} failed with status {err.status}"
