"""The status line: current period, days to its deadline, records not yet pushed."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Static

from ...program import Calendar


def status_text(calendar: Calendar | None, today: dt.date, unpushed: int | None, problems: int, leader: str) -> str:
    parts = [leader] if leader else []
    if calendar is not None:
        period = calendar.period_of(today)
        if period is None:
            parts.append("outside the tracking window" if today > calendar.end or today < calendar.start else "")
        else:
            days = (period.end - today).days
            when = "due today" if days == 0 else f"{days} day{'s' * (days != 1)} to deadline {period.end:%b %-d}"
            parts.append(f"Period {period.number}: {when}")
    if unpushed is None:
        parts.append("no remote set")
    elif unpushed == 0:
        parts.append("all pushed")
    else:
        parts.append(f"{unpushed} commit{'s' * (unpushed != 1)} not pushed")
    if problems:
        parts.append(f"{problems} problem{'s' * (problems != 1)} (F5)")
    return " · ".join(p for p in parts if p)


class StatusLine(Static):
    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        background: $panel;
        color: $text-muted;
        padding: 0 1;
    }
    """

    def on_mount(self) -> None:
        self.update(self.app.status())  # type: ignore[attr-defined]
