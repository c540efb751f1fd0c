"""What each screen looks like at 80x24 and at 120x36, with a fixed clock, fixed data and fixed commits.

Refresh after an intended change with `pytest tests/test_snapshots.py --snapshot-update`
and look at the report before committing the new SVGs."""

from __future__ import annotations

import pytest

from ledger_tt.tui.app import make_app

from .conftest import write
from .tui_helpers import TUI_TODAY, choose, sample_ledger, settle, type_into

SIZES = [(80, 24), (120, 36)]


@pytest.fixture
def fixed(monkeypatch, tmp_path):
    """Fixed commit dates (so commit ids are the same every run) and paths shown relative to tmp."""
    for var in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
        monkeypatch.setenv(var, "2014-03-28T12:00:00+00:00")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def snapshot(snap_compare, root, size, steps=None):
    async def run_before(pilot):
        await settle(pilot.app, pilot)
        if steps:
            await steps(pilot.app, pilot)
            await settle(pilot.app, pilot)

    return snap_compare(make_app(root, TUI_TODAY), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_log_form(snap_compare, cli, fixed, size):
    assert snapshot(snap_compare, sample_ledger(cli, fixed, with_records=False), size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_log_form_with_mistakes(snap_compare, cli, fixed, size):
    async def steps(app, pilot):
        await type_into(pilot, "#start", "9:00")
        await type_into(pilot, "#end", "8:00")
        choose(app, "#with", "individual")
        await pilot.press("ctrl+s")

    assert snapshot(snap_compare, sample_ledger(cli, fixed, with_records=False), size, steps)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_confirmation(snap_compare, cli, fixed, size):
    async def steps(app, pilot):
        await type_into(pilot, "#start", "7:30")
        await type_into(pilot, "#end", "8:15")
        choose(app, "#activity", "planning")
        choose(app, "#with", "group")
        await pilot.pause()
        app.screen.query_one("#names").text = "Doe, Jane\nPatel, Ravi"
        await pilot.press("ctrl+s")

    assert snapshot(snap_compare, sample_ledger(cli, fixed, with_records=False), size, steps)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_entries(snap_compare, cli, fixed, size):
    async def steps(app, pilot):
        await pilot.press("f3")

    assert snapshot(snap_compare, sample_ledger(cli, fixed), size, steps)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_summary(snap_compare, cli, fixed, size):
    async def steps(app, pilot):
        await pilot.press("f4")

    assert snapshot(snap_compare, sample_ledger(cli, fixed), size, steps)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_problems(snap_compare, cli, fixed, size):
    root = sample_ledger(cli, fixed, with_records=False)
    write(root, "activities/2014-03/by-hand.yaml", 'date: 2014-03-03\nstart: 9:00\nend: 8:00\ncampus: lamar\nactivity: planing\nwith: self\n')

    async def steps(app, pilot):
        await pilot.press("f5")

    assert snapshot(snap_compare, root, size, steps)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_examples_help(snap_compare, cli, fixed, size):
    async def steps(app, pilot):
        choose(app, "#activity", "coaching-data")
        await pilot.press("f1")

    assert snapshot(snap_compare, sample_ledger(cli, fixed, with_records=False), size, steps)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_first_run_setup(snap_compare, fixed, size):
    async def steps(app, pilot):
        await type_into(pilot, "#folder", "my-ledger")

    assert snapshot(snap_compare, None, size, steps)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_light_theme(snap_compare, cli, fixed, size):
    async def steps(app, pilot):
        await pilot.press("ctrl+t")

    assert snapshot(snap_compare, sample_ledger(cli, fixed, with_records=False), size, steps)
