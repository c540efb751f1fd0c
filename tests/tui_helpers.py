"""Helpers for driving the app with Textual's Pilot on real ledgers."""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
import subprocess
from pathlib import Path

from ledger_tt.tui.app import make_app

from .conftest import SAMPLE_LEDGERS

TUI_TODAY = dt.date(2014, 3, 28)  # a Friday in period 10 of the 2013-14 calendar


def sample_ledger(cli, tmp_path: Path, leader: str = "agarcia", with_records: bool = True) -> Path:
    """A real ledger (git repository) for a sample leader holding the sample records, committed."""
    root = tmp_path / leader
    assert cli("init", str(root), "--program", "career-pathways-2013-14", "--leader", leader, "--no-remember").exit_code == 0
    if with_records:
        shutil.copytree(SAMPLE_LEDGERS / leader / "activities", root / "activities", dirs_exist_ok=True)
        subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
        subprocess.run(["git", "-C", str(root), "commit", "-qm", "Sample records", "--no-verify"], check=True)
    return root


def drive(root: Path | None, scenario, size=(80, 24), today: dt.date = TUI_TODAY):
    """Run the app on `root`, wait for the ledger to load, then run `scenario(app, pilot)`."""

    async def main():
        app = make_app(root, today)
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot)
            await scenario(app, pilot)
        return app

    return asyncio.run(main())


async def settle(app, pilot) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def type_into(pilot, selector: str, text: str) -> None:
    widget = pilot.app.screen.query_one(selector)
    widget.focus()
    widget.value = ""
    await pilot.press(*text) if text else None
    await pilot.pause()


def choose(app, selector: str, value) -> None:
    app.screen.query_one(selector).value = value


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def log_by_yourself(app, pilot, start: str, end: str, activity: str = "planning") -> None:
    """Fill the form for an activity done alone and press ctrl+s (the common case of many tests)."""
    await type_into(pilot, "#start", start)
    await type_into(pilot, "#end", end)
    choose(app, "#activity", activity)
    choose(app, "#with", "self")
    await pilot.press("ctrl+s")
    await settle(app, pilot)
