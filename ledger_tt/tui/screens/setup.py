"""First run: who you are and your campus; creates your ledger (as `init` does) and remembers it."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Label, Select, Static

from ...program import Program


class SetupScreen(Screen):
    def __init__(self, program: Program, folder: Path) -> None:
        super().__init__()
        self.program = program
        self.folder = folder

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="form"):
            yield Static(f"Welcome! Set up your time-tracking ledger for {self.program.name}.", id="form-title")
            with Horizontal(classes="row"):
                yield Label("Your name", classes="label")
                yield Input(placeholder="First Last", id="name", compact=True)
            with Horizontal(classes="row"):
                yield Label("Email", classes="label")
                yield Input(placeholder="you@school.org", id="email", compact=True)
            with Horizontal(classes="row"):
                yield Label("Campus", classes="label")
                yield Select([(c.name, c.id) for c in self.program.campuses.values()], prompt="Choose your campus", id="campus", compact=True)
            with Horizontal(classes="row"):
                yield Label("Folder", classes="label")
                yield Input(str(self.folder), id="folder", compact=True)
            yield Static("", id="err-general", classes="error")
            yield Button("Create my ledger", variant="primary", id="create")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    @on(Button.Pressed, "#create")
    @on(Input.Submitted)
    def create(self) -> None:
        from ...model import Profile
        from ...saving import LedgerExists, init_ledger, leader_id_from_name

        name = " ".join(self.query_one("#name", Input).value.split())
        email = self.query_one("#email", Input).value.strip()
        campus = self.query_one("#campus", Select).value
        folder = Path(self.query_one("#folder", Input).value.strip()).expanduser()
        missing = [what for what, ok in (("your name", name), ("an email with @", "@" in email), ("a campus", campus not in (Select.NULL, Select.BLANK))) if not ok]
        error = self.query_one("#err-general", Static)
        if missing:
            error.update("✗ Please give " + ", ".join(missing) + ".")
            error.display = True
            return
        try:
            profile = Profile(leader=leader_id_from_name(name), name=name, email=email, campuses=[campus], program=self.program.id)
            init_ledger(folder, profile, self.program)
        except (LedgerExists, ValueError, OSError) as err:
            error.update(f"✗ {err}")
            error.display = True
            return
        self.app.open_ledger(folder, remember=True)
