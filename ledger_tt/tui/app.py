"""The leader's app: log, confirm, review, edit, summarize, see problems.

Each top-level screen is a Textual mode, so moving between them never throws away a
half-filled form. The ledger is read in a worker thread after the form is shown;
saving, deleting and reading git state run in workers too, so the UI never waits on disk
or on git.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App
from textual.binding import Binding

from .. import config, yamlio
from ..ledger import Entry, LedgerState, load_ledger, parse_records, read_profile
from ..paths import DEFAULT_PROGRAM, data_dir
from ..program import ProgramError, find_program, load_program
from ..times import today as _today
from .widgets.status import StatusLine, status_text

if TYPE_CHECKING:
    from ..saving import Saved


class LedgerApp(App):
    TITLE = "ledger-tt"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("f2", "log", "Log"),
        Binding("f3", "entries", "Entries"),
        Binding("f4", "summary", "Summary"),
        Binding("f5", "problems", "Problems"),
        Binding("f6", "sync", "Sync"),
        Binding("ctrl+t", "toggle_theme", "Theme"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(self, ledger: Path | None, today: dt.date | None = None) -> None:
        super().__init__()
        self.root = Path(ledger) if ledger else None
        self.today = today or _today()
        self.state: LedgerState | None = None
        self.loaded = False
        self._loaded_event = threading.Event()
        self.unpushed: int | None = None
        self.theme = "textual-dark"

    # ------------------------------------------------------------------ start-up
    def on_mount(self) -> None:
        from .screens.entries import EntriesScreen
        from .screens.log import LogScreen
        from .screens.problems import ProblemsScreen
        from .screens.summary import SummaryScreen

        self.add_mode("log", LogScreen)
        self.add_mode("entries", EntriesScreen)
        self.add_mode("summary", SummaryScreen)
        self.add_mode("problems", ProblemsScreen)
        if self.root is not None and (self.root / "ledger.yaml").is_file():
            self.open_ledger(self.root)
        else:
            self.show_setup()

    def show_setup(self) -> None:
        from .screens.setup import SetupScreen

        try:
            program = load_program(find_program(DEFAULT_PROGRAM), self.today)
        except ProgramError as err:
            self.exit(return_code=1, message=str(err))
            return
        self.push_screen(SetupScreen(program, self.root or data_dir() / "ledger"))

    def open_ledger(self, root: Path, remember: bool = False) -> None:
        """Show the form at once (profile and program are quick to read); read the records behind it."""
        self.root = Path(root)
        profile, problems = read_profile(self.root)
        program = None
        if profile is not None:
            try:
                program = load_program(find_program(profile.program, self.root), self.today)
            except ProgramError as err:
                problems = err.problems
        if profile is None or program is None:
            text = "\n".join(p.format() for p in problems)
            self.exit(return_code=1, message=f"The ledger at {self.root} cannot be opened:\n{text}")
            return
        if remember:
            config.remember_ledger(self.root)
        self.state = LedgerState(self.root, profile, program)
        self.sub_title = f"{profile.name} · {program.name}"
        while len(self.screen_stack) > 1 and not self._current_mode_is_real():
            self.pop_screen()
        self.switch_mode("log")
        # Read the records once the form is on screen: the read holds the GIL for a while.
        self.call_after_refresh(self.reload)

    def _current_mode_is_real(self) -> bool:
        return self.current_mode in ("log", "entries", "summary", "problems")

    @work(thread=True, exclusive=True, exit_on_error=False, group="load")
    def reload(self, then=None) -> None:
        """Read every record and problem of the ledger (and git's push state) in the background."""
        from .. import gitops  # GitPython takes ~35 ms to import: not on the way to the first frame
        from ..sync import commit_pending, ledger_lock, recover

        notes: list[str] = []
        if (self.root / ".git").exists() and not self.loaded:
            # the first read: finish what a crash or a hand edit left uncommitted, and say so
            try:
                with ledger_lock(self.root):
                    notes = recover(self.root)
                    committed, held = commit_pending(self.root)
                if committed:
                    notes.append(f"Committed {len(committed)} file(s) changed outside the app: {', '.join(committed)}")
                if held:
                    notes.append(f"Not committed, they have problems (F5): {', '.join(held)}")
            except Exception as err:  # a broken repository must not stop the app from opening
                notes.append(f"Could not check for uncommitted changes: {err}")
        state = load_ledger(self.root, program=self.state.program, today=self.today)
        unpushed = gitops.unpushed_count(gitops.open_repo(self.root)) if (self.root / ".git").exists() else None
        self.call_from_thread(self._loaded, state, unpushed, then)
        for note in notes:
            self.call_from_thread(self.notify, note, timeout=10)

    def _loaded(self, state: LedgerState, unpushed: int | None, then) -> None:
        self.state = state
        self.unpushed = unpushed
        self.loaded = True
        self._loaded_event.set()
        self.refresh_status()
        if then is not None:
            then()
        elif hasattr(self.screen, "fill"):
            self.screen.fill()
        if state.problems and self.current_mode == "log":
            files = len({p.file for p in state.problems})
            self.notify(f"{len(state.problems)} problem(s) in {files} file(s) edited by hand: press F5 to see them.",
                        severity="warning", timeout=8)

    def wait_until_loaded(self, timeout: float = 60) -> None:
        """For workers that need every record (the overlap check before a save)."""
        if not self._loaded_event.wait(timeout):
            raise TimeoutError("the ledger is still being read; try again in a moment")

    # ------------------------------------------------------------------ status
    def status(self) -> str:
        if self.state is None:
            return ""
        return status_text(self.state.program.calendar, self.today, self.unpushed, len(self.state.problems), self.state.profile.name)

    def push_state_text(self) -> str:
        if self.unpushed is None:
            return "Push: no remote is set, so this record is kept in your ledger on this computer (see `ledger-tt remote`)."
        if self.unpushed == 0:
            return "Push: ✓ pushed"
        return f"Push: not yet pushed ({self.unpushed} commit(s) waiting)"

    def refresh_status(self) -> None:
        for line in self.screen.query(StatusLine):
            line.update(self.status())

    # ------------------------------------------------------------------ changes
    def record_saved(self, saved: Saved, edited: bool, timing: tuple[float, float] | None = None) -> None:
        """Put the saved record into the in-memory ledger (no re-read) and show the confirmation."""
        from .screens.confirm import ConfirmScreen

        replaced = getattr(self.screen, "entry", None)
        loaded = yamlio.load(saved.text, saved.relpath)
        entries, _problems = parse_records(loaded, saved.relpath, None)
        keep = [e for e in self.state.entries if e.relpath not in {saved.relpath, getattr(replaced, "relpath", None)}]
        self.state.entries = keep + entries
        if self.unpushed is not None:
            self.unpushed += 1
            self.action_sync(quiet=True)
        if edited:
            self.pop_screen()
            self.notify(f"Updated {saved.relpath} (commit {saved.commit[:8]})")
            if hasattr(self.screen, "fill"):
                self.screen.fill()
            self.refresh_status()
        else:
            self.push_screen(ConfirmScreen(saved, timing=timing))

    def delete_entry(self, entry: Entry) -> None:
        self._delete(entry)

    @work(thread=True, exclusive=True, exit_on_error=False, group="save")
    def _delete(self, entry: Entry) -> None:
        from ..saving import delete_record

        try:
            sha = delete_record(self.state, entry)
        except Exception as err:
            self.call_from_thread(self.notify, f"Not deleted: {err}", severity="error", timeout=10)
            return
        self.call_from_thread(self._deleted, entry, sha)

    def _deleted(self, entry: Entry, sha: str) -> None:
        self.state.entries = [e for e in self.state.entries if e.relpath != entry.relpath]
        if self.unpushed is not None:
            self.unpushed += 1
            self.action_sync(quiet=True)
        self.notify(f"Deleted {entry.relpath} (commit {sha[:8]})")
        if hasattr(self.screen, "fill"):
            self.screen.fill()

    # ------------------------------------------------------------------ sync
    def action_sync(self, quiet: bool = False) -> None:
        if self.state is not None:
            self._sync(quiet)

    @work(thread=True, exclusive=True, exit_on_error=False, group="sync")
    def _sync(self, quiet: bool, choices: dict | None = None) -> None:
        """Fetch, merge and push in the background; the form stays usable throughout."""
        from ..sync import SyncConflict, sync, sync_with_choices

        try:
            report = sync_with_choices(self.root, choices) if choices else sync(self.root)
        except SyncConflict as conflict:
            self.call_from_thread(self._ask_conflicts, conflict.conflicts)
            return
        except Exception as err:
            self.call_from_thread(self.notify, f"Sync failed: {err}", severity="error", timeout=10)
            return
        self.call_from_thread(self._synced, report, quiet)

    def _ask_conflicts(self, conflicts) -> None:
        from .screens.conflict import ConflictScreen

        self.push_screen(ConflictScreen(conflicts), lambda choices: self._sync(False, choices))

    def _synced(self, report, quiet: bool) -> None:
        self.unpushed = report.unpushed
        self.refresh_status()
        if report.merged or report.committed:
            self.reload()
        if report.error:
            self.notify(" ".join(report.lines()), severity="warning" if report.unpushed else "information", timeout=10)
        elif not quiet or report.merged:
            self.notify(" ".join(report.lines()) or "Synced.")

    # ------------------------------------------------------------------ navigation
    def _fresh_form(self) -> None:
        """Leaving the confirmation: the log mode goes back to its form, emptied for the next one."""
        from .screens.log import LogScreen

        self.pop_screen()
        for screen in self.screen_stack:
            if isinstance(screen, LogScreen) and screen.entry is None:
                screen.reset()

    def action_log(self) -> None:
        if self.state is None:
            return
        from .screens.confirm import ConfirmScreen

        if isinstance(self.screen, ConfirmScreen):
            self._fresh_form()
        self.switch_mode("log")

    def _switch(self, mode: str) -> None:
        if self.state is None:
            return
        from .screens.confirm import ConfirmScreen

        if isinstance(self.screen, ConfirmScreen):
            self._fresh_form()
        self.switch_mode(mode)
        self.refresh_status()

    def action_entries(self) -> None:
        self._switch("entries")

    def action_summary(self) -> None:
        self._switch("summary")

    def action_problems(self) -> None:
        self._switch("problems")

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"


def make_app(ledger: Path | None, today: dt.date | None = None) -> LedgerApp:
    """The app as the CLI and the tests build it."""
    return LedgerApp(ledger, today)


def run_app(ledger_opt: str | None) -> int:
    root = config.configured_ledger(ledger_opt)
    app = make_app(root)
    app.run()
    return app.return_code or 0
