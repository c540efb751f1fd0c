"""Periods follow the deadlines; the sample calendar follows whatever school year today is in."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, strategies as st

from ledger_tt.program import current_school_year, load_program

from .conftest import PROGRAM_2013

D = dt.date


def test_the_2013_14_periods_follow_the_manuals_ten_deadlines():
    cal = load_program(PROGRAM_2013).calendar
    assert (cal.start, cal.end) == (D(2013, 10, 21), D(2014, 3, 30))
    assert len(cal.periods) == 10
    assert (cal.periods[0].start, cal.periods[0].end) == (D(2013, 10, 21), D(2013, 11, 3))
    assert (cal.periods[1].start, cal.periods[1].end) == (D(2013, 11, 4), D(2013, 11, 17))
    assert (cal.periods[4].start, cal.periods[4].end) == (D(2013, 12, 23), D(2014, 1, 19))
    assert (cal.periods[9].start, cal.periods[9].end) == (D(2014, 3, 17), D(2014, 3, 30))
    assert cal.period_of(D(2014, 1, 1)).number == 5


def test_weeks_leave_out_breaks_so_the_winter_period_counts_two_school_weeks():
    cal = load_program(PROGRAM_2013).calendar
    winter = cal.period(5)
    assert (winter.end - winter.start).days + 1 == 28
    assert cal.weeks(winter.start, winter.end) == 2.0
    assert cal.weeks(cal.period(1).start, cal.period(1).end) == 2.0
    assert cal.weeks(cal.period(3).start, cal.period(3).end) == 2.0  # Thanksgiving week off


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2099, 12, 31)))
def test_any_day_lies_in_a_period_of_its_current_school_year_calendar(day):
    cal = current_school_year(day)
    period = cal.period_of(day)
    assert period is not None
    assert cal.periods[0].start.weekday() == 0 and all(p.end.weekday() == 6 for p in cal.periods)
    assert max((p.end - p.start).days + 1 for p in cal.periods) == 28  # the winter period
