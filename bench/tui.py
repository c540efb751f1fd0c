"""The app on a ledger of 2,000 records: launch-to-ready and submit-to-commit.

    python bench/tui.py [--records 2000] [--repeat 5]

Launch-to-ready is the wall time of a fresh process from start until the log form is shown
and accepts keys, and until every record is read (the overlap check needs them). The baseline
is a fresh process that only imports textual.app, measured side by side in the same run.
Submit-to-commit is from ctrl+s to the confirmation screen, the commit made.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import machine, table, wall  # noqa: E402

PROBE = r"""
import time; t0 = time.perf_counter()
import asyncio, json, sys, datetime as dt
from pathlib import Path
from ledger_tt.tui.app import make_app
from ledger_tt.tui.screens.confirm import ConfirmScreen
root, today, start = Path(sys.argv[1]), dt.date.fromisoformat(sys.argv[2]), sys.argv[3]
out = {}
async def main():
    app = make_app(root, today)
    async with app.run_test(size=(80, 24)) as pilot:
        out["ready"] = time.perf_counter() - t0
        while not app.loaded:  # the records are read behind the form
            await asyncio.sleep(0.002)
        out["loaded"] = time.perf_counter() - t0
        out["records"] = len(app.state.entries)
        form = app.screen
        form.query_one("#start").value = start
        form.query_one("#end").value = start.replace(":00", ":30")
        form.query_one("#activity").value = "planning"
        form.query_one("#with").value = "self"
        await pilot.pause()
        await pilot.press("ctrl+s")
        while not isinstance(app.screen, ConfirmScreen):
            await asyncio.sleep(0.002)
        out["submit"] = app.screen.saved_in  # from the key's handler to the commit made
        out["confirmed"] = app.screen.shown_in  # ... to the confirmation on screen
asyncio.run(main())
print(json.dumps(out))
"""


def build_ledger(root: Path, records: int) -> dt.date:
    """A ledger of `records` activities over one school year of the current-year sample program."""
    from ledger_tt.ledger import record_relpath, render_record
    from ledger_tt.model import Profile, Record
    from ledger_tt.program import current_school_year, find_program, load_program
    from ledger_tt.saving import init_ledger

    cal = current_school_year(dt.date(2026, 12, 4))
    program = load_program(find_program("career-pathways-sample"), cal.end)
    init_ledger(root, Profile(leader="agarcia", name="Ana Garcia", email="a@example.org", campuses=["lamar-hs"], program="career-pathways-sample"), program)
    day, written, taken = cal.start, 0, set()
    while written < records:
        if day.weekday() < 5:
            for hour in range(7, 16):
                if written == records:
                    break
                record = Record(date=day, start=f"{hour:02d}:00", end=f"{hour:02d}:45", campus="lamar-hs",
                                activity="coaching-instruction", **{"with": "individual"}, people=["Doe, Jane"])
                rel = record_relpath(record, taken)
                taken.add(rel)
                path = root / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(render_record(record))
                written += 1
        day += dt.timedelta(days=1)
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(root), "commit", "-qm", "bench records", "--no-verify"], check=True)
    return day + dt.timedelta(days=1)  # the first free day: today for the run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(run(args.records, args.repeat))


def run(records: int, repeat: int) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ledger"
        today = build_ledger(root, records)
        baseline = wall([sys.executable, "-c", "import textual.app"], repeat)
        runs = []
        for i in range(repeat):
            start = f"{7 + i:02d}:00"
            done = subprocess.run([sys.executable, "-c", PROBE, str(root), today.isoformat(), start],
                                  check=True, capture_output=True, text=True)
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    ready = statistics.median(r["ready"] for r in runs)
    loaded = statistics.median(r["loaded"] for r in runs)
    submit = statistics.median(r["submit"] for r in runs)
    confirmed = statistics.median(r["confirmed"] for r in runs)
    assert all(r["records"] == records + i for i, r in enumerate(runs)), runs
    rows = [
        ("launch to ready form", f"{ready:.3f} s", f"{baseline:.3f} s import textual.app", f"{ready / baseline:.2f}x"),
        (f"launch to all {records:,} records read", f"{loaded:.3f} s", f"{baseline:.3f} s import textual.app", f"{loaded / baseline:.2f}x"),
        ("submit to committed", f"{submit * 1000:.0f} ms", "target 250 ms", f"{submit / 0.25:.2f}x of target"),
        ("submit to confirmation shown", f"{confirmed * 1000:.0f} ms", "target 250 ms", f"{confirmed / 0.25:.2f}x of target"),
    ]
    return table(rows, f"TUI on a {records:,}-record ledger — {machine()} — {dt.date.today()} (median of {repeat})")


if __name__ == "__main__":
    main()
