"""A searchable picker over a campus roster: type to filter, arrows and Enter to choose."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...program import Campus


class RosterPicker(Vertical):
    DEFAULT_CSS = """
    RosterPicker { height: auto; }
    RosterPicker OptionList { height: 6; }
    RosterPicker #chosen { color: $success; height: 1; }
    """

    class Chosen(Message):
        def __init__(self, picker: "RosterPicker", name: str | None) -> None:
            super().__init__()
            self.picker = picker
            self.name = name

    def __init__(self, campus: Campus | None, chosen: str | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.campus = campus
        self.chosen = chosen

    def compose(self) -> ComposeResult:
        yield Input(placeholder="type to search the roster", id="roster-search", compact=True)
        yield OptionList(id="roster-list")
        yield Static(self._chosen_text(), id="chosen")

    def on_mount(self) -> None:
        self._fill("")

    def set_campus(self, campus: Campus | None) -> None:
        """Changing the campus shows its roster; a person from the old one is unchosen."""
        self.campus = campus
        if self.chosen and (campus is None or campus.person(self.chosen) is None):
            self.chosen = None
            self.query_one("#chosen", Static).update(self._chosen_text())
            self.post_message(self.Chosen(self, None))
        self._fill(self.query_one("#roster-search", Input).value)

    def clear(self) -> None:
        self.chosen = None
        self.query_one("#roster-search", Input).value = ""
        self.query_one("#chosen", Static).update(self._chosen_text())

    def _chosen_text(self) -> str:
        return f"Chosen: {self.chosen}" if self.chosen else "Nobody chosen yet"

    def _fill(self, search: str) -> None:
        options = self.query_one("#roster-list", OptionList)
        options.clear_options()
        words = search.lower().split()
        people = self.campus.roster if self.campus else []
        for person in people:
            text = f"{person.name}  ({person.role}{', ' + person.grade if person.grade else ''}{', ' + person.team if person.team else ''})"
            if all(w in text.lower() for w in words):
                options.add_option(Option(text, id=person.name))
        if options.option_count:
            options.highlighted = 0

    @on(Input.Changed, "#roster-search")
    def _search(self, event: Input.Changed) -> None:
        event.stop()
        self._fill(event.value)

    @on(Input.Submitted, "#roster-search")
    def _take_first(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one("#roster-list", OptionList)
        if options.highlighted is not None:
            self._choose(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected, "#roster-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option.id)

    def _choose(self, name: str | None) -> None:
        self.chosen = name
        self.query_one("#chosen", Static).update(self._chosen_text())
        self.post_message(self.Chosen(self, name))
