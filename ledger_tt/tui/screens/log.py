"""The log form, in the manual's order, checked live with the same rules and words as `check`.

The same screen edits an existing record (entry=...). Nothing typed is ever lost:
a refused or failed save keeps every field as it was.
"""

from __future__ import annotations

import time
from collections import defaultdict

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Label, Select, Static, TextArea

from ...ledger import Entry
from ...model import WITH_LABELS
from ...problems import CODES
from ..widgets.roster import RosterPicker
from ..widgets.status import StatusLine

FIELDS = ("campus", "date", "start", "end", "activity", "task", "with", "people", "notes")


class LogScreen(Screen):
    BINDINGS = [
        Binding("ctrl+s", "submit", "Save", priority=True),
        Binding("f1", "examples", "Examples"),
        Binding("escape", "cancel", "Back", show=False),
    ]

    def __init__(self, entry: Entry | None = None) -> None:
        super().__init__()
        self.entry = entry
        self.touched: set[str] = set()
        self.submitted = False
        self.saving = False

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        app = self.app
        program, profile = app.state.program, app.state.profile
        record = self.entry.record if self.entry else None
        campus = record.campus if record else profile.campuses[0]
        activity = program.taxonomy.resolve(record.activity).code if record and program.taxonomy.resolve(record.activity) else None
        yield Header(show_clock=False)
        with VerticalScroll(id="form"):
            yield Static(self._title(), id="form-title")
            yield from self._row("Campus", Select(
                [(program.campuses[c].name if c in program.campuses else c, c) for c in profile.campuses],
                value=campus, allow_blank=False, id="campus", compact=True))
            yield from self._row("Date", Input(record.date.isoformat() if record else app.today.isoformat(), placeholder="YYYY-MM-DD", id="date", compact=True))
            yield Static("", id="warn-date", classes="warning")
            with Horizontal(classes="row"):
                yield Label("Start", classes="label")
                yield Input(record.start if record else "", placeholder="8:30", id="start", compact=True, classes="time")
                yield Label("End", classes="label short")
                yield Input(record.end if record else "", placeholder="4:00 PM", id="end", compact=True, classes="time")
            yield Static("", id="err-start", classes="error")
            yield Static("", id="err-end", classes="error")
            yield from self._row("Activity", Select(
                [(f"{a.number or '·'} {a.name}", a.code) for a in program.taxonomy.activities],
                value=activity if activity else Select.NULL, prompt="Choose the activity (F1: examples)", id="activity", compact=True))
            yield from self._row("Task", Select(self._task_options(activity), prompt="(optional) one of the examples",
                                                value=record.task if record and record.task in self._examples(activity) else Select.NULL, id="task", compact=True))
            yield from self._row("With whom", Select(
                [(label, mode) for mode, label in WITH_LABELS.items()],
                value=record.with_ if record else Select.NULL, prompt="individual, group, students or yourself", id="with", compact=True))
            with Vertical(id="person-box", classes="row"):
                yield Label("Who (from the roster)", classes="label wide")
                yield RosterPicker(program.campus(campus), record.people[0] if record and record.with_ == "individual" and record.people else None, id="person")
            with Vertical(id="names-box", classes="row"):
                yield Label('Names, one per line, as "Last, First"', classes="label wide")
                yield TextArea("\n".join(record.people) if record and record.with_ in ("group", "students") else "", id="names")
            yield Static("", id="err-people", classes="error")
            yield from self._row("Notes", Input((record.notes or "") if record else "", placeholder="optional; required for Other", id="notes", compact=True))
            yield Static("", id="err-general", classes="error")
            with Horizontal(id="buttons"):
                yield Button("Save changes (ctrl+s)" if self.entry else "Submit (ctrl+s)", variant="primary", id="submit")
                if self.entry:
                    yield Button("Cancel (esc)", id="cancel")
        yield StatusLine()
        yield Footer()

    def _row(self, label: str, widget) -> ComposeResult:
        with Horizontal(classes="row"):
            yield Label(label, classes="label")
            yield widget
        yield Static("", id=f"err-{widget.id}", classes="error")

    def _title(self) -> str:
        if self.entry:
            return f"Edit {self.entry.relpath}"
        return f"Log an activity — {self.app.state.profile.name}"

    def _examples(self, code: str | None) -> list[str]:
        activity = self.app.state.program.taxonomy.resolve(code) if code else None
        return list(activity.examples) if activity else []

    def _task_options(self, code: str | None) -> list[tuple[str, str]]:
        return [(e, e) for e in self._examples(code)]

    def on_mount(self) -> None:
        self._show_people_box()
        self.query_one("#start" if not self.entry else "#date", Input).focus()
        self.validate()

    def reset(self) -> None:
        """An empty form for the next activity (campus and date stay: the next one is likely the same)."""
        for widget_id in ("start", "end", "notes"):
            self.query_one(f"#{widget_id}", Input).value = ""
        for widget_id in ("activity", "task", "with"):
            self.query_one(f"#{widget_id}", Select).clear()
        self.query_one("#names", TextArea).text = ""
        self.query_one(RosterPicker).clear()
        self.touched.clear()
        self.submitted = False
        self._show_people_box()
        self.validate()
        self.query_one("#start", Input).focus()

    # ------------------------------------------------------------------ reading the form
    def fields(self) -> dict:
        def select(widget_id: str):
            value = self.query_one(f"#{widget_id}", Select).value
            return None if value in (Select.NULL, Select.BLANK) else value

        with_ = select("with")
        if with_ == "individual":
            chosen = self.query_one(RosterPicker).chosen
            people = [chosen] if chosen else []
        elif with_ in ("group", "students"):
            people = [line.strip() for line in self.query_one("#names", TextArea).text.splitlines() if line.strip()]
        else:
            people = []
        return {
            "date": self.query_one("#date", Input).value.strip(),
            "start": self.query_one("#start", Input).value.strip(),
            "end": self.query_one("#end", Input).value.strip(),
            "campus": select("campus"),
            "activity": select("activity"),
            "task": select("task"),
            "with": with_,
            "people": people,
            "notes": self.query_one("#notes", Input).value.strip(),
        }

    def validate(self) -> list[tuple[str, str, str]]:
        """Check the whole draft; show each finding under its field (once touched)."""
        from ...saving import check_draft

        state = self.app.state
        _record, findings = check_draft(self.fields(), state, self.app.today, self.entry.relpath if self.entry else None)
        by_field: dict[str, list[str]] = defaultdict(list)
        for field, code, message in findings:
            name = field.split(".")[0] or "general"
            if name not in FIELDS:
                name = "general"
            if code == "missing-field" and not self.submitted:
                continue
            if not self.submitted and name not in self.touched and name != "general":
                continue
            hint = CODES.get(code, "")
            by_field[name].append(f"✗ {message}" + (f" — {hint}" if code in ("bad-time", "name-format", "name-has-title", "not-on-roster") else ""))
        self._warn_if_late()
        for name in ("campus", "date", "start", "end", "activity", "task", "with", "people", "notes", "general"):
            widget = self.query_one(f"#err-{name}", Static)
            text = "\n".join(by_field.get(name, []))
            widget.update(text)
            widget.display = bool(text)
        return findings

    def _warn_if_late(self) -> None:
        """A record of a period whose deadline has passed may still be saved, but is late."""
        from ...times import parse_date

        warning = self.query_one("#warn-date", Static)
        text = ""
        try:
            day = parse_date(self.query_one("#date", Input).value)
        except ValueError:
            day = None
        period = self.app.state.program.calendar.period_of(day) if day else None
        if period is not None and period.end < self.app.today:
            change = "changing" if self.entry else "logging"
            text = (f"⚠ Period {period.number} closed on {period.end:%b %-d}: {change} it now is allowed, "
                    "but coordinators will see it as late.")
        warning.update(text)
        warning.display = bool(text)

    # ------------------------------------------------------------------ reacting
    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        if event.input.id in FIELDS:
            self.touched.add(event.input.id)
            self.validate()

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        name = event.select.id
        if name not in FIELDS:
            return
        self.touched.add(name)
        if name == "campus":
            self.query_one(RosterPicker).set_campus(self.app.state.program.campus(event.value))
        elif name == "activity":
            task = self.query_one("#task", Select)
            task.set_options(self._task_options(None if event.value is Select.NULL else event.value))
        elif name == "with":
            self._show_people_box()
        self.validate()

    @on(TextArea.Changed, "#names")
    def _names_changed(self) -> None:
        self.touched.add("people")
        self.validate()

    @on(RosterPicker.Chosen)
    def _person_chosen(self) -> None:
        self.touched.add("people")
        self.validate()

    def _show_people_box(self) -> None:
        mode = self.query_one("#with", Select).value
        self.query_one("#person-box").display = mode == "individual"
        self.query_one("#names-box").display = mode in ("group", "students")

    # ------------------------------------------------------------------ actions
    @on(Button.Pressed, "#submit")
    def action_submit(self) -> None:
        if self.saving:
            return
        self.submitted = True
        findings = self.validate()
        if findings:
            first = next((f.split(".")[0] for f, _c, _m in findings if f.split(".")[0] in FIELDS), None)
            self._focus_field(first)
            self.notify(f"{len(findings)} thing{'s' * (len(findings) != 1)} to fix before saving", severity="warning")
            return
        self.saving = True
        self.submitted_at = time.perf_counter()
        self._save(self.fields())

    def _focus_field(self, name: str | None) -> None:
        target = {"people": "#roster-search" if self.query_one("#with", Select).value == "individual" else "#names"}.get(name or "", f"#{name}")
        try:
            self.query_one(target).focus()
        except Exception:
            pass

    @work(thread=True, exclusive=True, exit_on_error=False, group="save")
    def _save(self, fields: dict) -> None:
        from ...saving import check_draft, save_record

        app = self.app
        try:
            app.wait_until_loaded()
            record, findings = check_draft(fields, app.state, app.today, self.entry.relpath if self.entry else None)
            if findings:  # e.g. an overlap with a record that finished loading meanwhile
                app.call_from_thread(self._refused)
                return
            saved = save_record(app.state, record, replacing=self.entry)
            saved_in = time.perf_counter() - self.submitted_at
        except Exception as err:  # git, disk, permissions: say so and keep the form
            app.call_from_thread(self._failed, str(err))
            return
        app.call_from_thread(self._saved, saved, saved_in)

    def _refused(self) -> None:
        self.saving = False
        self.validate()
        self.notify("Not saved: see the marked fields", severity="warning")

    def _failed(self, message: str) -> None:
        self.saving = False
        self.query_one("#err-general", Static).update(f"✗ Not saved: {message}. Your entry is kept; fix the cause and press ctrl+s again.")
        self.query_one("#err-general", Static).display = True
        self.notify(f"Not saved: {message}", severity="error", timeout=10)

    def _saved(self, saved, saved_in: float) -> None:
        self.saving = False
        self.app.record_saved(saved, edited=self.entry is not None, timing=(self.submitted_at, saved_in))

    def action_examples(self) -> None:
        from .help import ExamplesScreen

        value = self.query_one("#activity", Select).value
        self.app.push_screen(ExamplesScreen(None if value is Select.NULL else value))

    def action_cancel(self) -> None:
        if self.entry:
            self.app.pop_screen()
