"""The app with a remote: background push after a save, conflicts shown side by side, late edits warned."""

from __future__ import annotations

import subprocess

from ledger_tt.sync import sync
from ledger_tt.tui.screens.conflict import ConflictScreen

from .conftest import git_log, git_status, write
from .tui_helpers import drive, log_by_yourself, sample_ledger, settle, text_of, type_into


def bare_remote(tmp_path):
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(remote)], check=True)
    return remote


def remote_log(remote) -> list[str]:
    return subprocess.run(["git", "-C", str(remote), "log", "--format=%s", "main"], capture_output=True, text=True).stdout.splitlines()


def test_a_save_is_pushed_in_the_background_and_the_status_line_says_so(cli, tmp_path):
    root = sample_ledger(cli, tmp_path, with_records=False)
    remote = bare_remote(tmp_path)
    assert cli("remote", str(remote), "--ledger", str(root)).exit_code == 0

    async def scenario(app, pilot):
        assert "commit" in text_of(app, "StatusLine") and "not pushed" in text_of(app, "StatusLine")
        await log_by_yourself(app, pilot, "7:00", "7:30", "planning")
        await settle(app, pilot)
        assert app.unpushed == 0
        assert "all pushed" in text_of(app, "StatusLine")

    drive(root, scenario)
    assert remote_log(remote)[0].startswith("Log 2014-03-28 07:00-07:30 planning")


def test_a_conflict_shows_both_versions_and_the_choice_is_committed(cli, tmp_path):
    remote = bare_remote(tmp_path)
    laptop = sample_ledger(cli, tmp_path, with_records=False)
    cli("remote", str(remote), "--ledger", str(laptop))
    name = "activities/2014-03/2014-03-03-0800.yaml"
    record = 'date: 2014-03-03\nstart: "08:00"\nend: "{end}"\ncampus: lamar-hs\nactivity: planning\nwith: self\n'
    write(laptop, name, record.format(end="09:00"))
    sync(laptop)
    phone = tmp_path / "phone"
    assert cli("clone", str(remote), str(phone), "--no-remember").exit_code == 0
    write(phone, name, record.format(end="09:45"))
    sync(phone)
    write(laptop, name, record.format(end="09:30"))

    async def scenario(app, pilot):
        await pilot.press("f6")
        await settle(app, pilot)
        assert isinstance(app.screen, ConflictScreen)
        assert 'end: "09:30"' in text_of(app, "#mine") and 'end: "09:45"' in text_of(app, "#theirs")
        await pilot.press("t")
        await settle(app, pilot)
        await settle(app, pilot)

    drive(laptop, scenario)
    assert 'end: "09:45"' in (laptop / name).read_text()
    assert git_log(laptop)[0] == f"Merge changes from another device; kept {name} (theirs)"
    assert git_status(laptop) == ""


def test_files_edited_by_hand_are_committed_when_the_app_opens_and_it_says_which(cli, tmp_path):
    root = sample_ledger(cli, tmp_path, with_records=False)
    write(root, "activities/2014-03/hand.yaml", 'date: 2014-03-03\nstart: "8:00"\nend: "9:00"\ncampus: lamar-hs\nactivity: planning\nwith: self\n')
    shown = []

    async def scenario(app, pilot):
        shown.extend(n.message for n in app._notifications)

    drive(root, scenario)
    assert any("Committed 1 file(s) changed outside the app: activities/2014-03/hand.yaml" in m for m in shown)
    assert git_status(root) == ""


def test_editing_a_record_of_a_closed_period_is_allowed_but_warned(cli, tmp_path):
    root = sample_ledger(cli, tmp_path, with_records=False)

    async def scenario(app, pilot):
        await type_into(pilot, "#date", "2014-03-03")
        assert "Period 9 closed on Mar 16: logging it now is allowed, but coordinators will see it as late." in text_of(app, "#warn-date")
        await type_into(pilot, "#date", "2014-03-27")
        assert not app.screen.query_one("#warn-date").display

    drive(root, scenario)
