"""After a save: the record as stored, its file, its commit, and whether it is pushed."""

from __future__ import annotations

import time

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Static

from ...saving import Saved
from ..widgets.status import StatusLine


class ConfirmScreen(Screen):
    BINDINGS = [Binding("n", "log_another", "Log another"), Binding("v", "view_entries", "View entries")]

    def __init__(self, saved: Saved, edited: bool = False, timing: tuple[float, float] | None = None) -> None:
        super().__init__()
        self.saved = saved
        self.edited = edited
        self.submitted_at, self.saved_in = timing or (None, None)
        self.shown_in: float | None = None  # submit to this screen on view (bench/tui.py reads it)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="confirm"):
            yield Static(f"✓ Activity {'updated' if self.edited else 'saved'}", id="confirm-title")
            yield Static(self.saved.text.rstrip(), id="confirm-record")
            yield Static(f"File:   {self.saved.relpath}\nCommit: {self.saved.commit[:10]}", id="confirm-where")
            yield Static(self.app.push_state_text(), id="confirm-pushed")
            with Horizontal(id="buttons"):
                yield Button("Log another (n)", variant="primary", id="another")
                yield Button("View entries (v)", id="view-entries")
        yield StatusLine()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#another", Button).focus()
        if self.submitted_at is not None:
            self.call_after_refresh(self._shown)

    def _shown(self) -> None:
        self.shown_in = time.perf_counter() - self.submitted_at

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_log_another() if event.button.id == "another" else self.action_view_entries()

    def action_log_another(self) -> None:
        self.app.action_log()

    def action_view_entries(self) -> None:
        self.app.action_entries()
