"""A record changed on two devices: both versions side by side, the person chooses."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static

from ...sync import Conflict


class ConflictScreen(ModalScreen[dict]):
    """Walks through the conflicts one by one; dismisses with {path: "mine" | "theirs"}."""

    BINDINGS = [Binding("m", "choose('mine')", "Keep mine"), Binding("t", "choose('theirs')", "Keep theirs")]
    DEFAULT_CSS = """
    ConflictScreen { align: center middle; }
    ConflictScreen > Vertical { width: 96%; height: auto; max-height: 95%; border: thick $warning; background: $surface; padding: 0 1; }
    ConflictScreen Horizontal { height: auto; }
    ConflictScreen .version { width: 1fr; border: round $primary; padding: 0 1; height: auto; }
    ConflictScreen Button { margin-right: 2; }
    """

    def __init__(self, conflicts: list[Conflict]) -> None:
        super().__init__()
        self.conflicts = conflicts
        self.index = 0
        self.choices: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(id="conflict-title")
            with Horizontal():
                yield Static(id="mine", classes="version")
                yield Static(id="theirs", classes="version")
            with Horizontal():
                yield Button("Keep mine (m)", variant="primary", id="keep-mine")
                yield Button("Keep theirs (t)", id="keep-theirs")
        yield Footer()

    def on_mount(self) -> None:
        self.show()

    def show(self) -> None:
        conflict = self.conflicts[self.index]
        self.query_one("#conflict-title", Static).update(
            f"{conflict.path} was changed on this device and on another ({self.index + 1} of {len(self.conflicts)}). Which one is right?"
        )
        self.query_one("#mine", Static).update("This device:\n\n" + (conflict.mine or "(deleted here)"))
        self.query_one("#theirs", Static).update("Other device:\n\n" + (conflict.theirs or "(deleted there)"))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_choose("mine" if event.button.id == "keep-mine" else "theirs")

    def action_choose(self, which: str) -> None:
        self.choices[self.conflicts[self.index].path] = which
        self.index += 1
        if self.index == len(self.conflicts):
            self.dismiss(self.choices)
        else:
            self.show()
