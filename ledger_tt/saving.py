"""Creating ledgers and saving, editing and deleting records: one commit per change.

The CLI and the app both come here, so a record is checked by the same rules and
written the same way whichever door it came through.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from . import checks, yamlio
from .ledger import PROFILE, Entry, LedgerState, record_relpath, render_record
from .model import Profile, Record
from .program import Program

Finding = checks.Finding


class LedgerExists(Exception):
    pass


@dataclass(frozen=True)
class Saved:
    relpath: str
    path: Path
    commit: str
    text: str


def leader_id_from_name(name: str) -> str:
    """A leader id as districts make them: first initial and last name ("Ana Garcia" -> agarcia)."""
    parts = ["".join(ch for ch in part if ch.isalnum()) for part in name.lower().split()]
    parts = [p for p in parts if p]
    return (parts[0][0] + parts[-1]) if len(parts) > 1 else "".join(parts)


def init_ledger(root: Path, profile: Profile, program: Program) -> str:
    """Create a ledger repository with its profile, hook and first commit; returns the commit."""
    from . import gitops  # GitPython: ~50 ms to import, so not on the app's way to its first frame

    root = Path(root)
    if (root / PROFILE).exists() or (root / ".git").exists():
        raise LedgerExists(f"{root} already holds a ledger or a git repository; nothing was changed")
    unknown = [c for c in profile.campuses if program.campus(c) is None]
    if unknown:
        raise ValueError(f"campus {', '.join(unknown)} is not in program '{program.id}' ({', '.join(program.campuses)})")
    root.mkdir(parents=True, exist_ok=True)
    repo = gitops.init_repo(root)
    with repo.config_writer() as config:  # commits in a ledger are the leader's own
        config.set_value("user", "name", profile.name)
        config.set_value("user", "email", profile.email)
    yamlio.atomic_write(root / PROFILE, yamlio.dump_mapping(profile.model_dump()))
    (root / "activities").mkdir(exist_ok=True)
    (root / "activities" / ".gitkeep").touch()
    return gitops.commit(repo, f"Start {profile.name}'s ledger for {program.name}", add=[PROFILE, "activities/.gitkeep"])


def overlaps(a: Record, b: Record) -> bool:
    from .times import parse_time

    return a.date == b.date and parse_time(a.start) < parse_time(b.end) and parse_time(b.start) < parse_time(a.end)


def describe(record: Record) -> str:
    who = f" with {', '.join(record.people)}" if record.people else ""
    return f"{record.date} {record.start}-{record.end} {record.activity} at {record.campus}{who}"


def save_record(state: LedgerState, record: Record, replacing: Entry | None = None) -> Saved:
    """Write the record to its own file and commit it. When editing, the old file is
    replaced (a new name if the date or start changed) in the same commit. If the commit
    fails, the files are put back as they were, so the ledger never holds half a change."""
    if replacing is not None and replacing.index is not None:
        raise ValueError(f"{replacing.relpath} holds several records; edit that file by hand")
    from .sync import ledger_lock

    with ledger_lock(state.root):
        return _save_locked(state, record, replacing)


def _save_locked(state: LedgerState, record: Record, replacing: Entry | None) -> Saved:
    from . import gitops

    _refuse_fresh_overlaps(state, record, replacing)
    repo = gitops.open_repo(state.root)
    taken = {p.relative_to(state.root).as_posix() for p in (state.root / "activities").rglob("*.yaml")}
    taken |= {e.relpath for e in state.entries}
    if replacing is not None:
        taken.discard(replacing.relpath)
    relpath = record_relpath(record, taken)
    text = render_record(record)
    path = state.root / relpath
    old_path = state.root / replacing.relpath if replacing is not None else None
    old_text = old_path.read_bytes() if old_path is not None and old_path.exists() else None
    removed = [replacing.relpath] if replacing is not None and replacing.relpath != relpath else []
    yamlio.atomic_write(path, text)
    try:
        for rel in removed:
            (state.root / rel).unlink(missing_ok=True)
        verb = "Edit" if replacing is not None else "Log"
        sha = gitops.commit(repo, f"{verb} {describe(record)}", add=[relpath], remove=removed)
    except BaseException:
        _roll_back(repo, path, relpath, old_path, old_text, removed)
        raise
    return Saved(relpath, path, sha, text)


def _refuse_fresh_overlaps(state: LedgerState, record: Record, replacing: Entry | None) -> None:
    """Another window or device may have saved that day since this ledger was read: look at
    that day's files we have not seen (a glob, not a re-read) before taking the slot."""
    from .ledger import parse_records

    known = {e.relpath for e in state.entries} | ({replacing.relpath} if replacing else set())
    day_dir = state.root / "activities" / f"{record.date:%Y-%m}"
    for path in sorted(day_dir.glob(f"{record.date.isoformat()}-*.y*ml")):
        relpath = path.relative_to(state.root).as_posix()
        if relpath in known:
            continue
        entries, _problems = parse_records(yamlio.load_file(path, relpath), relpath, None)
        for other in entries:
            if overlaps(record, other.record):
                raise ValueError(f"{record.start}-{record.end} overlaps {other.record.start}-{other.record.end} in {relpath}, saved meanwhile by another window or device")


def _roll_back(repo, path: Path, relpath: str, old_path: Path | None, old_text: bytes | None, removed: list[str]) -> None:
    if old_path is not None and old_text is not None:
        yamlio.atomic_write(old_path, old_text.decode("utf-8"))
    if old_path != path:
        path.unlink(missing_ok=True)
    try:
        repo.git.reset("-q", "--", relpath, *removed)
    except Exception:  # an unborn or locked index: the files themselves are already back
        pass


def delete_record(state: LedgerState, entry: Entry) -> str:
    from . import gitops

    if entry.index is not None:
        raise ValueError(f"{entry.relpath} holds several records; edit that file by hand")
    from .sync import ledger_lock

    repo = gitops.open_repo(state.root)
    path = state.root / entry.relpath
    with ledger_lock(state.root):
        old_text = path.read_bytes() if path.exists() else None
        path.unlink(missing_ok=True)
        try:
            return gitops.commit(repo, f"Delete {describe(entry.record)}", remove=[entry.relpath])
        except BaseException:
            if old_text is not None:
                yamlio.atomic_write(path, old_text.decode("utf-8"))
            raise


def clone_ledger(url: str, root: Path) -> Profile:
    """A second device: clone the ledger, install the hook, commit as the leader."""
    from . import gitops

    from .ledger import read_profile
    from .sync import _network, validate_remote_url

    url = validate_remote_url(url)
    root = Path(root)
    if root.exists() and any(root.iterdir()):
        raise LedgerExists(f"{root} is not empty; nothing was changed")
    import git

    repo = git.Repo.init(root, initial_branch="main")
    repo.git.update_environment(**gitops.NO_PROMPT_ENV)
    repo.git.remote("add", "origin", "--", url)
    _network(repo, "fetch", "--quiet", "--no-recurse-submodules", "origin")
    repo.git.checkout("-q", "-b", "main", "--track", "origin/main")
    gitops.install_hook(root)
    profile, problems = read_profile(root)
    if profile is None:
        raise ValueError(f"{url} does not hold a ledger: " + "; ".join(p.message for p in problems))
    with repo.config_writer() as config:
        config.set_value("user", "name", profile.name)
        config.set_value("user", "email", profile.email)
    return profile


def check_draft(fields: dict, state: LedgerState, today: dt.date, replacing: str | None = None) -> tuple[Record | None, list[Finding]]:
    """A record from typed text (the form, or `add`'s flags), with every finding by field.

    Empty optional text is left out. Each field is checked on its own, then every rule
    whose fields are good runs, so a wrong time does not hide a wrong campus. The
    activity is stored by its code even when typed as the manual's number. The words are
    the ones `check` prints for the same mistake in a file."""
    from .model import record_field_findings

    value = {k: v for k, v in fields.items() if v not in (None, "", [])}
    good, found = record_field_findings(value)
    if "activity" in good and (activity := state.program.taxonomy.resolve(good["activity"])) is not None:
        good["activity"] = activity.code
    findings: list[Finding] = [(".".join(str(p) for p in loc), code, message) for loc, code, message in found]
    draft = Record.model_construct(**good)
    ctx = checks.Context(state.program, state.profile, today)
    findings.extend(checks.run_record_checks(draft, ctx, partial=True))
    if not found:
        findings.extend(_overlap_findings(draft, state, replacing))
    return (draft if not findings else None), findings


def _overlap_findings(record: Record, state: LedgerState, replacing: str | None) -> list[Finding]:
    findings = []
    for other in state.entries:
        if other.relpath != replacing and overlaps(record, other.record):
            findings.append(
                ("start", "overlap", f"{record.start}-{record.end} overlaps {other.record.start}-{other.record.end} in {other.relpath}")
            )
    return findings
