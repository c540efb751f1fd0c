"""The leader's app, driven with Pilot on real ledgers: files and commits are asserted."""

from __future__ import annotations

import subprocess

from textual.widgets import DataTable, Input, TextArea

from ledger_tt.tui.screens.confirm import ConfirmScreen
from ledger_tt.tui.screens.log import LogScreen

from .conftest import git_log, git_status, write
from .tui_helpers import choose, drive, log_by_yourself, sample_ledger, settle, text_of, type_into


def test_logging_an_activity_writes_and_commits_it_and_confirms(cli, tmp_path):
    root = sample_ledger(cli, tmp_path, with_records=False)

    async def scenario(app, pilot):
        await type_into(pilot, "#start", "7:30")
        await type_into(pilot, "#end", "8:15 AM")
        choose(app, "#activity", "coaching-instruction")
        await pilot.pause()
        choose(app, "#task", "Co-taught a lesson")
        choose(app, "#with", "individual")
        await pilot.pause()
        await type_into(pilot, "#roster-search", "doe")
        await pilot.press("enter")
        await type_into(pilot, "#notes", "Debrief Monday.")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        shown = text_of(app, "#confirm-where")
        assert "activities/2014-03/2014-03-28-0730.yaml" in shown
        assert 'start: "07:30"' in text_of(app, "#confirm-record")
        assert "no remote is set" in text_of(app, "#confirm-pushed")

    drive(root, scenario)
    assert (root / "activities/2014-03/2014-03-28-0730.yaml").read_text() == (
        'date: 2014-03-28\nstart: "07:30"\nend: "08:15"\ncampus: lamar-hs\nactivity: coaching-instruction\n'
        'task: Co-taught a lesson\nwith: individual\npeople: ["Doe, Jane"]\nnotes: Debrief Monday.\n'
    )
    assert git_log(root)[0].startswith("Log 2014-03-28 07:30-08:15 coaching-instruction at lamar-hs")
    assert git_status(root) == ""


def test_wrong_fields_are_marked_inline_and_submit_is_refused_keeping_the_form(cli, tmp_path):
    root = sample_ledger(cli, tmp_path, with_records=False)

    async def scenario(app, pilot):
        await type_into(pilot, "#start", "9:00")
        await type_into(pilot, "#end", "8:00")
        assert "end 08:00 is not after start 09:00" in text_of(app, "#err-end")
        await type_into(pilot, "#date", "2014-13-01")
        assert "not a real date" in text_of(app, "#err-date")
        choose(app, "#with", "group")
        await pilot.pause()
        app.screen.query_one("#names", TextArea).text = "Mrs. Doe\nPatel Ravi"
        await pilot.pause()
        errors = text_of(app, "#err-people")
        assert "'Mrs. Doe' has a title" in errors and "'Patel Ravi' is not written as \"Last, First\"" in errors
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, LogScreen)
        assert "missing field 'activity'" in text_of(app, "#err-activity")  # shown once submit was tried
        assert app.screen.query_one("#start", Input).value == "9:00"  # nothing typed is lost
        assert app.screen.query_one("#names", TextArea).text == "Mrs. Doe\nPatel Ravi"

    drive(root, scenario)
    assert not (root / "activities/2014-03").exists()
    assert len(git_log(root)) == 1


def test_an_overlap_with_an_existing_record_is_refused_naming_its_file(cli, tmp_path):
    root = sample_ledger(cli, tmp_path)
    existing = sorted((root / "activities/2014-03").glob("2014-03-28-*.yaml"))
    assert existing
    start = existing[0].stem[-4:]

    async def scenario(app, pilot):
        await type_into(pilot, "#start", f"{start[:2]}:{start[2:]}")
        await type_into(pilot, "#end", "17:59")
        choose(app, "#activity", "planning")
        choose(app, "#with", "self")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert f"in activities/2014-03/{existing[0].name}" in text_of(app, "#err-start")

    drive(root, scenario)


def test_changing_the_campus_refreshes_the_roster(cli, tmp_path):
    root = sample_ledger(cli, tmp_path, leader="dkim", with_records=False)

    async def scenario(app, pilot):
        choose(app, "#with", "individual")
        await pilot.pause()
        options = app.screen.query_one("#roster-list")
        first = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert "Anderson, Emily" in first  # Pershing MS
        choose(app, "#campus", "wheatley-hs")
        await pilot.pause()
        second = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert "Thompson, Alicia" in second and "Anderson, Emily" not in second

    drive(root, scenario)


def test_a_failed_save_keeps_the_form_filled_and_leaves_no_file(cli, tmp_path):
    root = sample_ledger(cli, tmp_path, with_records=False)

    async def scenario(app, pilot):
        (root / ".git/index.lock").write_text("")  # another git holds the index (after start-up recovery)
        await log_by_yourself(app, pilot, "7:30", "8:00", "administrative")
        assert isinstance(app.screen, LogScreen)
        assert "Not saved:" in text_of(app, "#err-general") and "index.lock" in text_of(app, "#err-general")
        assert app.screen.query_one("#start", Input).value == "7:30"

    drive(root, scenario)
    assert not list((root / "activities").rglob("*.yaml"))
    assert len(git_log(root)) == 1


def test_entries_filter_total_edit_and_delete_each_commit(cli, tmp_path):
    root = sample_ledger(cli, tmp_path)

    async def scenario(app, pilot):
        await pilot.press("f3")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        everything = table.row_count
        assert everything == len(list((root / "activities").rglob("*.yaml")))
        choose(app, "#activity", "planning")
        await pilot.pause()
        assert 0 < table.row_count < everything
        total = sum(e.record.hours for e in app.screen.shown)
        assert f"{table.row_count} activities shown, {total:.2f} hours" in text_of(app, "#total")
        await type_into(pilot, "#from", "2014-03-01")
        assert all(e.record.date.isoformat() >= "2014-03-01" for e in app.screen.shown)
        newest = app.screen.shown[0]
        # edit the newest planning record: a new end time
        table.focus()
        table.move_cursor(row=0)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LogScreen) and app.screen.entry is newest
        end = newest.record.end
        new_end = f"{int(end[:2]) - 0:02d}:{'59' if end[3:] != '59' else '58'}"
        await type_into(pilot, "#end", new_end)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen.__class__.__name__ == "EntriesScreen"
        assert (root / newest.relpath).read_text().count(f'end: "{new_end}"') == 1
        # delete it, confirming
        table = app.screen.query_one(DataTable)
        table.focus()
        table.move_cursor(row=0)
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert not (root / newest.relpath).exists()

    drive(root, scenario, size=(100, 30))
    log = git_log(root)
    assert log[0].startswith("Delete ") and log[1].startswith("Edit ")
    assert git_status(root) == ""


def test_delete_can_be_declined(cli, tmp_path):
    root = sample_ledger(cli, tmp_path)
    before = len(list((root / "activities").rglob("*.yaml")))

    async def scenario(app, pilot):
        await pilot.press("f3")
        await pilot.pause()
        app.screen.query_one(DataTable).focus()
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("n")
        await settle(app, pilot)

    drive(root, scenario)
    assert len(list((root / "activities").rglob("*.yaml"))) == before
    assert git_log(root)[0] == "Sample records"


def test_summary_shows_hours_by_activity_for_the_chosen_period(cli, tmp_path):
    root = sample_ledger(cli, tmp_path)

    async def scenario(app, pilot):
        await pilot.press("f4")
        await pilot.pause()
        text = text_of(app, "#summary")
        assert text.startswith("Period 10 (Mar 17 – Mar 30, 2014):")
        choose(app, "#range", "period:5")
        await pilot.pause()
        text = text_of(app, "#summary")
        assert "Period 5 (Dec 23 – Jan 19, 2014)" in text and "(2 weeks)" in text
        assert "Hours by activity" in text and "People you spent the most time with" in text

    drive(root, scenario, size=(100, 40))


def test_problems_screen_lists_hand_edited_mistakes_and_the_app_still_logs(cli, tmp_path):
    root = sample_ledger(cli, tmp_path, with_records=False)
    write(root, "activities/2014-03/by-hand.yaml", 'date: 2014-03-03\nstart: "9:00"\nend: "8:00"\ncampus: lamar-hs\nactivity: planning\nwith: self\n')

    async def scenario(app, pilot):
        assert "1 problem (F5)" in text_of(app, "StatusLine")
        await pilot.press("f5")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1
        row = table.get_row_at(0)
        assert row[0].endswith("activities/2014-03/by-hand.yaml") and row[1] == "3:6" and row[2] == "end-before-start"
        assert "hint: The end time must be later" in text_of(app, "#problem-hint")
        await pilot.press("f2")
        await log_by_yourself(app, pilot, "7:00", "7:30", "planning")
        assert isinstance(app.screen, ConfirmScreen)

    drive(root, scenario)
    assert (root / "activities/2014-03/2014-03-28-0700.yaml").exists()


def test_status_line_shows_period_deadline_and_push_state(cli, tmp_path):
    root = sample_ledger(cli, tmp_path, with_records=False)

    async def scenario(app, pilot):
        assert text_of(app, "StatusLine") == "Ana Garcia · Period 10: 2 days to deadline Mar 30 · no remote set"

    drive(root, scenario)


def test_first_run_sets_up_a_ledger_and_remembers_it(tmp_path):
    from ledger_tt import config

    folder = tmp_path / "my-ledger"

    async def scenario(app, pilot):
        assert app.screen.__class__.__name__ == "SetupScreen"
        await type_into(pilot, "#folder", str(folder))
        await pilot.click("#create")
        await pilot.pause()
        assert "Please give your name, an email with @, a campus" in text_of(app, "#err-general")
        await type_into(pilot, "#name", "Pat  Quinn")
        await type_into(pilot, "#email", "pquinn@example.org")
        choose(app, "#campus", "wheatley-hs")
        await pilot.click("#create")
        await settle(app, pilot)
        assert isinstance(app.screen, LogScreen)

    drive(None, scenario)
    assert "leader: pquinn\nname: Pat Quinn\n" in (folder / "ledger.yaml").read_text()
    assert config.remembered_ledger() == folder.resolve()
    assert subprocess.run(["git", "-C", str(folder), "log", "--oneline"], capture_output=True, text=True).stdout.count("\n") == 1


def test_examples_are_one_key_away_and_theme_toggles(cli, tmp_path):
    root = sample_ledger(cli, tmp_path, with_records=False)

    async def scenario(app, pilot):
        choose(app, "#activity", "planning")
        await pilot.press("f1")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "ExamplesScreen"
        text = app.screen.query_one("Markdown").source
        assert "## 5. Planning ← chosen" in text and "Met with other teacher leaders" in text
        await pilot.press("escape")
        await pilot.press("ctrl+t")
        assert app.theme == "textual-light"
        await pilot.press("ctrl+t")
        assert app.theme == "textual-dark"

    drive(root, scenario)
