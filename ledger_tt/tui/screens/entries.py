"""The leader's records, newest first, filtered the manual's three ways, with the total hours."""

from __future__ import annotations

import datetime as dt

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Select, Static

from ...entries import Filter, select
from ...model import WITH_LABELS
from ...times import parse_date
from ..widgets.status import StatusLine


class EntriesScreen(Screen):
    BINDINGS = [
        Binding("enter", "edit", "Edit", show=True),
        Binding("delete,ctrl+d", "delete", "Delete"),
        Binding("ctrl+r", "clear_filters", "Clear filters"),
    ]

    def compose(self) -> ComposeResult:
        taxonomy = self.app.state.program.taxonomy
        yield Header()
        with Horizontal(id="filters"):
            yield Input(placeholder="from YYYY-MM-DD", id="from", compact=True)
            yield Input(placeholder="to YYYY-MM-DD", id="to", compact=True)
            yield Select([(a.short, a.code) for a in taxonomy.activities], prompt="any activity", id="activity", compact=True)
            yield Select([(label.replace("With ", "").replace("a group of ", "group: "), mode) for mode, label in WITH_LABELS.items()],
                         prompt="anyone", id="with", compact=True)
        yield Static(id="filter-error", classes="error")
        yield DataTable(id="entries", cursor_type="row", zebra_stripes=True)
        yield Static(id="total")
        yield StatusLine()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("date", "start", "end", "hours", "activity", "with", "people")
        self.fill()
        table.focus()

    def current_filter(self) -> Filter | None:
        error = self.query_one("#filter-error", Static)
        dates: list[dt.date | None] = []
        for widget_id in ("from", "to"):
            text = self.query_one(f"#{widget_id}", Input).value.strip()
            try:
                dates.append(parse_date(text) if text else None)
            except ValueError as err:
                error.update(f"✗ {widget_id}: {err}")
                error.display = True
                return None
        error.display = False

        def chosen(widget_id: str):
            value = self.query_one(f"#{widget_id}", Select).value
            return None if value in (Select.NULL, Select.BLANK) else value

        return Filter(dates[0], dates[1], chosen("activity"), chosen("with"))

    def fill(self) -> None:
        flt = self.current_filter()
        if flt is None:
            return
        state = self.app.state
        taxonomy = state.program.taxonomy
        self.shown = select(state.entries, flt, taxonomy)
        table = self.query_one(DataTable)
        table.clear()
        for entry in self.shown:
            r = entry.record
            table.add_row(r.date.isoformat(), r.start, r.end, f"{r.hours:.2f}", taxonomy.label(r.activity), r.with_,
                          "; ".join(r.people), key=entry.relpath + f"#{entry.index}")
        total = sum(e.record.hours for e in self.shown)
        loading = "" if self.app.loaded else "  (still reading your ledger…)"
        self.query_one("#total", Static).update(
            f"{len(self.shown)} activit{'y' if len(self.shown) == 1 else 'ies'} shown, {total:.2f} hours{loading}"
            "  ·  Enter edits, Del deletes"
        )

    @on(Input.Changed)
    @on(Select.Changed)
    def _refilter(self) -> None:
        self.fill()

    def selected(self):
        table = self.query_one(DataTable)
        if not self.shown or table.cursor_row is None or table.cursor_row >= len(self.shown):
            return None
        return self.shown[table.cursor_row]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_edit()

    def action_edit(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        if entry.index is not None:
            self.notify(f"{entry.relpath} holds several records; edit it by hand", severity="warning")
            return
        from .log import LogScreen

        self.app.push_screen(LogScreen(entry))

    def action_delete(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        from .dialogs import ConfirmDialog

        r = entry.record
        question = f"Delete the activity of {r.date} {r.start}-{r.end} ({self.app.state.program.taxonomy.label(r.activity)})?\nThe deletion is its own commit."
        self.app.push_screen(ConfirmDialog(question), lambda yes: yes and self.app.delete_entry(entry))

    def action_clear_filters(self) -> None:
        for widget_id in ("from", "to"):
            self.query_one(f"#{widget_id}", Input).value = ""
        for widget_id in ("activity", "with"):
            self.query_one(f"#{widget_id}", Select).clear()
        self.fill()

    def on_screen_resume(self) -> None:
        self.fill()
