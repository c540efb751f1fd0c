"""Hand-edited files that fail `check`: file, line and message, with the hint of the chosen one."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from ..widgets.status import StatusLine


class ProblemsScreen(Screen):
    BINDINGS = [Binding("r", "recheck", "Check again")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="problems-title")
        yield DataTable(id="problems", cursor_type="row", zebra_stripes=True)
        yield Static(id="problem-hint")
        yield StatusLine()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("file", "line", "code", "message")
        self.fill()

    def fill(self) -> None:
        problems = self.app.state.problems
        table = self.query_one(DataTable)
        table.clear()
        for p in problems:
            table.add_row(p.file, f"{p.line}:{p.column}", p.code, p.message)
        title = self.query_one("#problems-title", Static)
        if problems:
            title.update(f"{len(problems)} problem(s) in files edited by hand. They are left out of entries and summaries until fixed; "
                         "fix them in an editor, then press r.")
        else:
            title.update("✓ No problems: every file passes `ledger-tt check`.")
        self._show_hint(0)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_hint(event.cursor_row)

    def _show_hint(self, index: int) -> None:
        problems = self.app.state.problems
        hint = self.query_one("#problem-hint", Static)
        if 0 <= index < len(problems):
            p = problems[index]
            hint.update(f"{p.file}:{p.line}:{p.column}: {p.message}\nhint: {p.hint}")
        else:
            hint.update("")

    def action_recheck(self) -> None:
        self.app.reload(then=self.fill)
