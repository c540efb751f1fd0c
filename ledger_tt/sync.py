"""Keeping a ledger safe and in step with its remote: recover, commit pending, fetch, merge, push.

Nothing here ever prompts: credentials come from the user's git set-up or the step fails
fast (GIT_TERMINAL_PROMPT=0, SSH BatchMode, a timeout on every network step). A failed
fetch or push leaves every record committed locally; the next sync sends them.
"""

from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import git

from . import gitops
from .ledger import ACTIVITIES, PROFILE, is_record_path, load_ledger

NETWORK_TIMEOUT = float(os.environ.get("LEDGER_TT_NETWORK_TIMEOUT", "30"))
STALE_LOCK_SECONDS = 30
BRANCH = "main"


class SyncConflict(Exception):
    """Both sides changed the same record: the person must choose."""

    def __init__(self, conflicts: list["Conflict"]):
        self.conflicts = conflicts
        super().__init__(f"{len(conflicts)} record(s) changed on both devices")


@dataclass
class Conflict:
    path: str
    mine: str | None  # None: deleted on this device
    theirs: str | None  # None: deleted on the other


@dataclass
class SyncReport:
    committed: list[str] = field(default_factory=list)  # hand-edited files committed
    held_back: list[str] = field(default_factory=list)  # files with problems, not committed
    recovered: list[str] = field(default_factory=list)  # what recovery did
    fetched: bool = False
    merged: bool = False
    pushed: bool = False
    unpushed: int | None = None
    error: str | None = None  # why fetch or push failed
    problems: list = field(default_factory=list)  # after the merge: e.g. overlaps it created

    def lines(self) -> list[str]:
        out = list(self.recovered)
        if self.committed:
            out.append(f"Committed {len(self.committed)} file(s) edited outside the app: {', '.join(self.committed)}")
        if self.held_back:
            out.append(f"Not committed (fix them first, see `ledger-tt check`): {', '.join(self.held_back)}")
        if self.error:
            out.append(f"Not synced: {self.error}")
            if self.unpushed:
                out.append(f"{self.unpushed} commit(s) are safe in your ledger and will be pushed by the next sync.")
        elif self.pushed:
            out.append("Synced: everything is pushed." + (" Changes from your other device were merged." if self.merged else ""))
        if self.problems:
            out.append(f"{len(self.problems)} problem(s) after merging; see `ledger-tt check`.")
        return out


# ---------------------------------------------------------------- the ledger lock


@contextmanager
def ledger_lock(root: Path, timeout: float = 10.0):
    """One writer at a time per ledger, across processes (two app windows, app + `add`)."""
    path = Path(root) / ".git" / "ledger-tt.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise gitops.GitError("another ledger-tt is saving to this ledger; try again in a moment") from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# ---------------------------------------------------------------- recovery


def recover(root: Path) -> list[str]:
    """Undo what a crash left behind: stale git locks and our half-written temp files.

    Call it holding ledger_lock(), or it could sweep away another writer's temp file.
    A record that was written but not committed is finished by commit_pending()."""
    notes = []
    git_dir = Path(root) / ".git"
    for lock in (git_dir / "index.lock", git_dir / "HEAD.lock", git_dir / "refs" / "heads" / f"{BRANCH}.lock"):
        if lock.exists() and _stale(lock):
            lock.unlink(missing_ok=True)
            notes.append(f"Removed a stale {lock.name} left by a git that stopped mid-way.")
    for tmp in Path(root).joinpath(ACTIVITIES).rglob(".*.tmp"):
        tmp.unlink(missing_ok=True)
        notes.append(f"Removed an unfinished write: {tmp.relative_to(root)}")
    return notes


def _stale(lock: Path) -> bool:
    """A lock is stale when it is old, or when no git process is running at all."""
    try:
        age = time.time() - lock.stat().st_mtime
    except FileNotFoundError:
        return False
    return age > STALE_LOCK_SECONDS or not _git_running()


def _git_running() -> bool:
    proc = Path("/proc")
    if not proc.is_dir():
        return True  # cannot tell: trust the age alone
    for entry in proc.iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "git":
                    return True
            except OSError:
                continue
    return False


def pending_paths(repo: git.Repo) -> list[str]:
    """Record files (and the profile) changed, added or deleted but not committed."""
    out = repo.git.status("--porcelain", "-z", "--untracked-files=all", "--", ACTIVITIES, PROFILE)
    paths = []
    for item in filter(None, out.split("\0")):
        path = item[3:]
        if is_record_path(path) or path == PROFILE:
            paths.append(path)
    return sorted(set(paths))


def commit_pending(root: Path) -> tuple[list[str], list[str]]:
    """Commit record files changed outside the app (or left by a crash) that pass the checks.

    Returns (committed, held back). A deleted record is committed as a deletion."""
    repo = gitops.open_repo(root)
    pending = pending_paths(repo)
    if not pending:
        return [], []
    state = load_ledger(root)
    bad = {p.file for p in state.problems}
    display = {e.relpath: e.file for e in state.entries}
    held, good = [], []
    for path in pending:
        shown = display.get(path, path)
        exists = (Path(root) / path).exists()
        if exists and (path in state.bad_files or shown in bad or (path == PROFILE and state.profile is None)):
            held.append(path)
        else:
            good.append(path)
    if good:
        present = [p for p in good if (Path(root) / p).exists()]
        gone = [p for p in good if not (Path(root) / p).exists()]
        gitops.commit(repo, f"Commit {len(good)} record file(s) changed outside the app", add=present, remove=gone)
    return good, held


# ---------------------------------------------------------------- remote


def validate_remote_url(url: str) -> str:
    """Refuse what could make git run something: transport helpers and option-like URLs."""
    url = url.strip()
    if not url or url.startswith("-"):
        raise ValueError(f"'{url}' is not a repository URL")
    if "::" in url.split("/", 1)[0] or url.lower().startswith("ext:"):
        raise ValueError(f"'{url}': transport helpers (like ext::) are not allowed")
    if any(c in url for c in "\n\r\0$`"):
        raise ValueError(f"'{url}' holds characters that are not allowed in a remote URL")
    return url


def set_remote(root: Path, url: str) -> None:
    url = validate_remote_url(url)
    repo = gitops.open_repo(root)
    if "origin" in [r.name for r in repo.remotes]:
        repo.git.remote("set-url", "origin", "--", url)
    else:
        repo.git.remote("add", "origin", "--", url)


def remote_url(root: Path) -> str | None:
    repo = gitops.open_repo(root)
    return repo.remotes.origin.url if "origin" in [r.name for r in repo.remotes] else None


def _network(repo: git.Repo, *args: str) -> None:
    try:
        repo.git.execute(["git", *args], kill_after_timeout=NETWORK_TIMEOUT, env={**os.environ, **gitops.NO_PROMPT_ENV})
    except git.GitCommandError as err:
        reason = gitops._one_line(err)
        if err.status == -9 or "killed" in reason.lower():
            reason = f"the remote did not answer within {NETWORK_TIMEOUT:g} s"
        raise gitops.GitError(reason) from None


def sync(root: Path, prefer: str | None = None) -> SyncReport:
    """Recover, commit pending, fetch, merge, push. A conflict raises SyncConflict unless
    `prefer` ("mine" or "theirs") settles every conflicted record that way."""
    report = SyncReport()
    with ledger_lock(root):
        report.recovered = recover(root)
        report.committed, report.held_back = commit_pending(root)
        repo = gitops.open_repo(root)
        if not repo.remotes:
            report.error = "no remote is set (run `ledger-tt remote URL`)"
            report.unpushed = None
            return report
        try:
            _network(repo, "fetch", "--quiet", "--no-recurse-submodules", "origin")
            report.fetched = True
            _merge(repo, report, prefer)
            _network(repo, "push", "--quiet", "--set-upstream", "origin", f"HEAD:refs/heads/{BRANCH}")
            repo.git.branch(f"--set-upstream-to=origin/{BRANCH}")
            report.pushed = True
        except gitops.GitError as err:
            report.error = str(err)
        report.unpushed = gitops.unpushed_count(repo)
    if report.merged:
        report.problems = load_ledger(root).problems
    return report


def _merge(repo: git.Repo, report: SyncReport, prefer: str | None) -> None:
    try:
        theirs = repo.git.rev_parse("--verify", "--quiet", f"refs/remotes/origin/{BRANCH}")
    except git.GitCommandError:
        return  # an empty remote: nothing to integrate
    if repo.git.merge_base("--is-ancestor", theirs, "HEAD", with_exceptions=False, with_extended_output=True)[0] == 0:
        return  # we already have everything
    report.merged = True
    status, _out, _err = repo.git.merge(
        "--no-edit", "--no-verify", "-m", "Merge changes from another device", theirs,
        with_exceptions=False, with_extended_output=True,
    )
    if status == 0:
        return
    conflicts = _conflicts(repo)
    if not conflicts:
        repo.git.merge("--abort", with_exceptions=False)
        raise gitops.GitError(f"the merge with the remote failed: {_err.strip() or _out.strip()}")
    if prefer not in ("mine", "theirs"):
        repo.git.merge("--abort")
        raise SyncConflict(conflicts)
    resolve(repo, {c.path: prefer for c in conflicts}, conflicts)


def _conflicts(repo: git.Repo) -> list[Conflict]:
    out = repo.git.diff("--name-only", "--diff-filter=U", "-z")
    conflicts = []
    for path in filter(None, out.split("\0")):
        conflicts.append(Conflict(path, _stage(repo, 2, path), _stage(repo, 3, path)))
    return conflicts


def _stage(repo: git.Repo, stage: int, path: str) -> str | None:
    status, out, _err = repo.git.show(f":{stage}:{path}", with_exceptions=False, with_extended_output=True, strip_newline_in_stdout=False)
    return out if status == 0 else None


def resolve(repo: git.Repo, choices: dict[str, str], conflicts: list[Conflict]) -> str:
    """Settle each conflicted record as chosen ("mine" or "theirs") and commit the merge."""
    root = Path(repo.working_tree_dir)
    for conflict in conflicts:
        chosen = conflict.mine if choices[conflict.path] == "mine" else conflict.theirs
        path = root / conflict.path
        if chosen is None:
            path.unlink(missing_ok=True)
            repo.git.rm("--quiet", "--cached", "--ignore-unmatch", "--", conflict.path)
        else:
            from .yamlio import atomic_write

            atomic_write(path, chosen)
            repo.git.add("--", conflict.path)
    kept = ", ".join(f"{c.path} ({choices[c.path]})" for c in conflicts)
    repo.git.commit("--no-verify", "--quiet", "-m", f"Merge changes from another device; kept {kept}")
    return repo.head.commit.hexsha


def sync_with_choices(root: Path, choices: dict[str, str]) -> SyncReport:
    """Redo a sync whose conflicts the person has settled record by record."""
    with ledger_lock(root):
        repo = gitops.open_repo(root)
        theirs = repo.git.rev_parse(f"refs/remotes/origin/{BRANCH}")
        status, _o, _e = repo.git.merge("--no-edit", "--no-verify", theirs, with_exceptions=False, with_extended_output=True)
        if status != 0:
            resolve(repo, choices, _conflicts(repo))
    return sync(root)


def status_of(root: Path, today) -> dict:
    """What `ledger-tt status` and the app's status line report."""
    from .program import find_program, load_program
    from .ledger import read_profile

    profile, _problems = read_profile(root)
    program = load_program(find_program(profile.program, root), today) if profile else None  # ProgramError: the caller says so
    repo = gitops.open_repo(root)
    pending = pending_paths(repo)
    unpushed = gitops.unpushed_count(repo)
    period = program.calendar.period_of(today) if program else None
    return {"profile": profile, "program": program, "period": period, "pending": pending, "unpushed": unpushed,
            "remote": remote_url(root)}
