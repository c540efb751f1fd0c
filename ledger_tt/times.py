"""Times of day and dates as people type them, and the clock the app trusts."""

from __future__ import annotations

import datetime as dt
import functools
import os
import re

_TIME = re.compile(r"^\s*(\d{1,2})(?::(\d{2}))?\s*(?:([AaPp])\.?\s*[Mm]\.?)?\s*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@functools.lru_cache(maxsize=4096)
def parse_time(text: str) -> int:
    """Minutes after midnight for "8:30", "08:30", "16:00", "4:00 PM", "4 pm".

    Raises ValueError with a message a person can act on.
    """
    match = _TIME.match(text)
    if not match:
        raise ValueError(f"'{text}' is not a time of day")
    hour, minute, meridiem = int(match[1]), int(match[2] or 0), match[3]
    if match[2] is None and meridiem is None:
        raise ValueError(f"'{text}' needs minutes, e.g. '{hour}:00'")
    if minute > 59:
        raise ValueError(f"'{text}' has {minute} minutes; minutes run 00-59")
    if meridiem:
        if not 1 <= hour <= 12:
            raise ValueError(f"'{text}': with AM/PM the hour runs 1-12")
        hour = hour % 12 + (12 if meridiem in "Pp" else 0)
    elif hour > 23:
        raise ValueError(f"'{text}' has hour {hour}; hours run 0-23")
    return hour * 60 + minute


def format_time(minutes: int) -> str:
    """The stored form: 24-hour "HH:MM"."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def normalize_time(text: str) -> str:
    return format_time(parse_time(text))


def parse_date(text: str) -> dt.date:
    """An ISO date (YYYY-MM-DD) and nothing else: 11/4 is ambiguous across the district."""
    if not _DATE.match(text.strip()):
        raise ValueError(f"'{text}' is not a date written as YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError as err:
        raise ValueError(f"'{text}' is not a real date ({err})") from None


def today() -> dt.date:
    """Today, or LEDGER_TT_TODAY when set (tests, demos and reruns use a fixed clock)."""
    fixed = os.environ.get("LEDGER_TT_TODAY")
    return dt.date.fromisoformat(fixed) if fixed else dt.date.today()
