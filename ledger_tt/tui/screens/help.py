"""The activity examples from the manual's Appendix B, one key (F1) away from the form."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Markdown


class ExamplesScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close")]
    DEFAULT_CSS = """
    ExamplesScreen { align: center middle; }
    ExamplesScreen > VerticalScroll { width: 90%; height: 90%; border: round $accent; background: $surface; padding: 0 1; }
    """

    def __init__(self, selected: str | None = None) -> None:
        super().__init__()
        self.selected = selected

    def compose(self) -> ComposeResult:
        taxonomy = self.app.state.program.taxonomy
        parts = ["# Activities and their examples", "", "Use **Other** only in the rarest cases, and say what you did in the notes.", ""]
        ordered = sorted(taxonomy.activities, key=lambda a: a.code != self.selected)
        for activity in ordered:
            mark = " ← chosen" if activity.code == self.selected else ""
            parts.append(f"## {activity.number or '·'}. {activity.name}{mark}")
            parts += [f"- {example}" for example in activity.examples] or ["- (anything the seven categories do not cover; notes required)"]
            parts.append("")
        with VerticalScroll():
            yield Markdown("\n".join(parts))
        yield Footer()

    def action_dismiss(self) -> None:
        self.dismiss(None)
