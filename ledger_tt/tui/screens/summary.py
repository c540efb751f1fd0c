"""Hours by activity, hours per week and the people most seen: what a leader brings to a check-in."""

from __future__ import annotations

import datetime as dt

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Select, Static

from ...summary import Range, current_period_range, month_range, period_range, render_text, rows_from_entries, summarize
from ...times import parse_date
from ..widgets.status import StatusLine


class SummaryScreen(Screen):
    def compose(self) -> ComposeResult:
        cal = self.app.state.program.calendar
        options = [("Current period", "current")]
        options += [(p.label, f"period:{p.number}") for p in cal.periods]
        month, seen = cal.start.replace(day=1), []
        while month <= cal.end:
            seen.append((f"{month:%B %Y}", f"month:{month:%Y-%m}"))
            month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        options += seen
        yield Header()
        with Horizontal(id="range-bar"):
            yield Select(options, value="current", allow_blank=False, id="range", compact=True)
            yield Input(placeholder="from YYYY-MM-DD", id="from", compact=True)
            yield Input(placeholder="to YYYY-MM-DD", id="to", compact=True)
            yield Button("Apply range", id="apply", compact=True)
        with VerticalScroll():
            yield Static(id="summary")
        yield StatusLine()
        yield Footer()

    def on_mount(self) -> None:
        self.show(self.chosen_range())

    def chosen_range(self) -> Range:
        cal = self.app.state.program.calendar
        value = self.query_one("#range", Select).value
        if isinstance(value, str) and value.startswith("period:"):
            return period_range(cal, int(value.split(":")[1]))
        if isinstance(value, str) and value.startswith("month:"):
            year, month = map(int, value.split(":")[1].split("-"))
            return month_range(cal, year, month)
        return current_period_range(cal, self.app.today)

    def show(self, rng: Range) -> None:
        state = self.app.state
        rows = rows_from_entries(state.entries, state.program.taxonomy)
        summary = summarize(rows, rng, state.program.calendar, state.program.taxonomy)
        width = max(10, min(40, self.size.width - 56)) if self.size.width else 20
        self.query_one("#summary", Static).update(render_text(summary, state.program.taxonomy, width))

    @on(Select.Changed, "#range")
    def _range_changed(self) -> None:
        self.show(self.chosen_range())

    @on(Button.Pressed, "#apply")
    @on(Input.Submitted)
    def _apply(self) -> None:
        try:
            start = parse_date(self.query_one("#from", Input).value)
            end = parse_date(self.query_one("#to", Input).value)
        except ValueError as err:
            self.notify(f"Range not applied: {err}", severity="warning")
            return
        if end < start:
            self.notify("Range not applied: 'to' is before 'from'", severity="warning")
            return
        self.show(Range(start, end, f"{start} to {end}"))

    def on_screen_resume(self) -> None:
        self.show(self.chosen_range())
