"""One bare mirror per leader in the cache: fetched, never checked out; nothing collected is lost.

Git sees a remote only after urls.check_url accepted it, through GitPython's Remote API with
its unsafe-protocol and unsafe-option guards on, in a mirror whose config allows only the
https and ssh protocols (and file, when local remotes are allowed), runs no hooks and
fetches no submodules. Every snapshot commit is pinned under refs/ledger-tt/seen/ so a
force-push on the leader's side cannot make git collect it away.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import git

from ..gitops import NO_PROMPT_ENV

BRANCH = "main"
TRACKING = f"refs/remotes/origin/{BRANCH}"


@dataclass
class Fetched:
    leader: str
    head: str | None = None  # the fetched branch head, or None when the fetch failed
    previous: str | None = None  # what the mirror had before this fetch
    rewritten: bool = False  # the new head does not descend from the previous one
    error: str | None = None
    unsigned: list[str] | None = None  # with --require-signed: new commits without a valid signature


def mirror_path(cache: Path, leader: str) -> Path:
    return Path(cache) / "mirrors" / f"{leader}.git"


def _settings(url: str, allow_local: bool) -> str:
    return f"{url}\n{'local' if allow_local else 'remote-only'}\n"


def open_mirror(cache: Path, leader: str, url: str, allow_local: bool) -> git.Repo:
    """The leader's bare mirror, created (or re-configured) only when its settings change:
    a warm run costs no config writes."""
    path = mirror_path(cache, leader)
    marker = path / "ledger-tt-settings"
    repo = git.Repo(path) if path.exists() else git.Repo.init(path, bare=True, mkdir=True)
    repo.git.update_environment(**NO_PROMPT_ENV, GIT_CONFIG_NOSYSTEM="1")
    wanted = _settings(url, allow_local)
    if not marker.exists() or marker.read_text() != wanted:
        with repo.config_writer() as config:
            config.set_value("core", "hooksPath", os.devnull)
            config.set_value("fetch", "recurseSubmodules", "false")
            config.set_value("transfer", "fsckObjects", "true")
            config.set_value("protocol", "allow", "never")
            config.set_value('protocol "https"', "allow", "always")
            config.set_value('protocol "ssh"', "allow", "always")
            config.set_value('protocol "file"', "allow", "always" if allow_local else "never")
        if "origin" in [r.name for r in repo.remotes]:
            repo.remote("origin").set_url(url, allow_unsafe_protocols=False)
        else:
            repo.create_remote("origin", url, allow_unsafe_protocols=False)
        marker.write_text(wanted)
    return repo


def rev(repo: git.Repo, ref: str) -> str | None:
    """A ref's commit id, read from the ref files (no git process)."""
    git_dir = Path(repo.git_dir)
    loose = git_dir / ref
    if loose.is_file():
        return loose.read_text().strip() or None
    packed = git_dir / "packed-refs"
    if packed.is_file():
        for line in packed.read_text().splitlines():
            if line.endswith(" " + ref) and not line.startswith(("#", "^")):
                return line.split(" ", 1)[0]
    return None


def is_ancestor(repo: git.Repo, old: str, new: str) -> bool:
    status, _out, _err = repo.git.merge_base("--is-ancestor", old, new, with_exceptions=False, with_extended_output=True)
    return status == 0


def fetch(cache: Path, leader: str, url: str, timeout: float, allow_local: bool, signers: str | None = None,
          trusted: str | None = None) -> Fetched:
    """Fetch the leader's branch into their mirror; report, never raise. One git process
    when nothing changed; GitPython's unsafe-protocol and unsafe-option checks run first."""
    result = Fetched(leader)
    try:
        git.Git.check_unsafe_protocols(url)
        repo = open_mirror(cache, leader, url, allow_local)
        result.previous = rev(repo, TRACKING)
        options = ["--quiet", "--no-tags", "--no-recurse-submodules"]
        git.Git.check_unsafe_options(options=options, unsafe_options=git.Remote.unsafe_git_fetch_options)
        repo.git.fetch(*options, "origin", f"+refs/heads/{BRANCH}:{TRACKING}", kill_after_timeout=timeout)
        result.head = rev(repo, TRACKING)
    except git.GitCommandError as err:
        text = " ".join((err.stderr or str(err)).replace("stderr:", "").split()).strip("' ")
        if err.status in (-9, 137) or "timed out" in text.lower():
            text = f"no answer within {timeout:g} s"
        result.error = text or f"git fetch failed ({err.status})"
        return result
    except (git.UnsafeProtocolError, git.UnsafeOptionError, ValueError, OSError) as err:
        result.error = str(err)
        return result
    if result.head is None:
        result.error = f"the remote has no '{BRANCH}' branch"
        return result
    if signers is not None and result.head != trusted:
        # every commit since the last accepted snapshot (trusted), quarantined or not
        since = trusted if trusted and is_ancestor(repo, trusted, result.head) else None
        result.unsigned = unsigned_commits(repo, since, result.head, signers)
    if result.head == result.previous:
        return result  # nothing new: nothing to pin
    repo.git.update_ref(f"refs/ledger-tt/seen/{result.head}", result.head)
    if result.previous and not is_ancestor(repo, result.previous, result.head):
        result.rewritten = True
        repo.git.update_ref(f"refs/ledger-tt/kept/{result.previous}", result.previous)
    return result


def unsigned_commits(repo: git.Repo, since: str | None, head: str, signers: str) -> list[str]:
    """New commits without a valid SSH signature by a key in `signers` (allowed-signers lines)."""
    span = f"{since}..{head}" if since else head
    commits = [c for c in repo.git.rev_list(span).split() if c]
    with tempfile.NamedTemporaryFile("w", suffix=".allowed", delete=False) as handle:
        handle.write(signers)
        allowed = handle.name
    try:
        bad = []
        for sha in commits:
            status, _o, _e = repo.git.execute(
                ["git", "-c", "gpg.format=ssh", "-c", f"gpg.ssh.allowedSignersFile={allowed}", "verify-commit", sha],
                with_exceptions=False, with_extended_output=True,
            )
            if status != 0:
                bad.append(sha)
        return bad
    finally:
        os.unlink(allowed)


def quarantine(cache: Path, leader: str, head: str) -> None:
    repo = git.Repo(mirror_path(cache, leader))
    repo.git.update_ref(f"refs/ledger-tt/quarantine/{head}", head)
