"""Any record that `add` writes loads back identical (property test over the record space)."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings, strategies as st

from ledger_tt import yamlio
from ledger_tt.ledger import render_record
from ledger_tt.model import Record, validate

names = st.builds(
    lambda last, first: f"{last}, {first}",
    st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters=","), min_size=1, max_size=12).map(str.strip).filter(bool),
    st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters=","), min_size=1, max_size=12).map(str.strip).filter(bool),
)
free_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=60)


@st.composite
def records(draw) -> Record:
    start = draw(st.integers(0, 22 * 60))
    end = draw(st.integers(start + 1, 24 * 60 - 1))
    return Record(
        date=draw(st.dates(dt.date(2013, 10, 21), dt.date(2014, 3, 30))),
        start=f"{start // 60}:{start % 60:02d}",
        end=f"{end // 60:02d}:{end % 60:02d}",
        campus=draw(st.sampled_from(["lamar-hs", "wheatley-hs", "pershing-ms"])),
        activity=draw(st.sampled_from(["coaching-instruction", "planning", "other", "yes", "1"])),
        task=draw(st.none() | free_text),
        people=draw(st.lists(names, max_size=4)),
        notes=draw(st.none() | free_text),
        **{"with": draw(st.sampled_from(["individual", "group", "students", "self"]))},
    )


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(records())
def test_a_written_record_loads_back_identical(record):
    text = render_record(record)
    loaded = yamlio.load(text, "r.yaml")
    assert loaded.problems == []
    again, problems = validate(Record, loaded)
    assert problems == []
    assert again == record
