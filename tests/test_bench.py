"""The synthetic district generator and the benchmark, at the smallest size; the fast paths
(worker processes, reused results) give byte-identical outputs to the slow path."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

from ledger_tt.collect.collect import collect
from ledger_tt.collect.output import write_dataset

BENCH = Path(__file__).resolve().parents[1] / "bench"
AS_OF = dt.datetime(2014, 4, 5, 6, tzinfo=dt.timezone.utc)


def make(tmp_path: Path, leaders=3, records=40) -> tuple[Path, dict]:
    out = tmp_path / "district"
    done = subprocess.run([sys.executable, str(BENCH / "make_district.py"), "--leaders", str(leaders), "--records", str(records),
                           "--out", str(out), "--seed", "7"], capture_output=True, text=True, check=True)
    return out, json.loads(done.stdout)


def test_the_generator_is_exact_deterministic_and_its_records_pass_check(tmp_path):
    district, counts = make(tmp_path)
    assert counts["leaders"] == 3 and counts["records"] == 120
    again, counts_again = make(tmp_path / "again")
    assert counts_again == counts
    heads = [subprocess.run(["git", "rev-parse", "main"], cwd=d / "remotes" / "leader-0000.git", capture_output=True, text=True).stdout
             for d in (district, again)]
    assert heads[0] == heads[1]  # same seed, same history, same commit ids
    result = collect(district / "program", tmp_path / "cache", as_of=AS_OF, allow_local=True)
    assert result.counts["read"] == 120
    assert result.counts["refused"] == counts["invalid"]
    assert {p["code"] for p in result.problem_rows()} <= {"not-on-roster"}
    # late: first committed after its period's deadline (the collector sees it as late when it
    # collects period by period, as `collect --demo` does; one cold collect sees all at once)
    calendar = result.program.calendar
    late = 0
    for remote in sorted((district / "remotes").glob("*.git")):
        log = subprocess.run(["git", "log", "--reverse", "--format=@%ct", "--name-only", "main"], cwd=remote,
                             capture_output=True, text=True, check=True).stdout
        when = None
        for line in log.splitlines():
            if line.startswith("@"):
                when = dt.datetime.fromtimestamp(int(line[1:]), dt.timezone.utc).date()
            elif line.startswith("activities/"):
                day = dt.date.fromisoformat(line.rsplit("/", 1)[1][:10])
                late += when > calendar.period_of(day).end
    assert late == counts["late"]


def test_fast_paths_give_byte_identical_outputs(tmp_path):
    district, _counts = make(tmp_path, leaders=9, records=30)
    slow = collect(district / "program", tmp_path / "slow-cache", as_of=AS_OF, allow_local=True, workers=1)
    write_dataset(slow, tmp_path / "slow")
    fast = collect(district / "program", tmp_path / "fast-cache", as_of=AS_OF, allow_local=True, workers=2)
    write_dataset(fast, tmp_path / "fast")
    reused = collect(district / "program", tmp_path / "fast-cache", as_of=AS_OF + dt.timedelta(hours=1), allow_local=True, workers=2)
    assert all(r.reused for r in reused.leaders)
    write_dataset(reused, tmp_path / "reused")
    for name in ("records.csv", "records.jsonl", "records.bin", "problems.csv", "problems.jsonl", "leaders.csv"):
        slow_bytes = (tmp_path / "slow" / name).read_bytes()
        assert (tmp_path / "fast" / name).read_bytes() == slow_bytes, name
        if name != "leaders.csv":  # leaders.csv names the time each snapshot was seen
            assert (tmp_path / "reused" / name).read_bytes() == slow_bytes, name
    # one new record per leader: old files come from the checked-file cache, new ones are parsed
    sys.path.insert(0, str(BENCH))
    from make_district import add_one_record_each

    add_one_record_each(district, seed=3)
    later = AS_OF + dt.timedelta(hours=2)
    incremental = collect(district / "program", tmp_path / "fast-cache", as_of=later, allow_local=True, workers=2)
    assert incremental.counts["parsed"] == 9
    write_dataset(incremental, tmp_path / "incremental")
    # the same mirrors and collect log (late marks depend on it), none of the caches
    shutil.copytree(tmp_path / "fast-cache", tmp_path / "fresh-cache", ignore=shutil.ignore_patterns("parsed", "results"))
    fresh = collect(district / "program", tmp_path / "fresh-cache", as_of=later, allow_local=True, workers=1)
    assert fresh.counts["parsed"] == 9 * 32  # 30 records, the new one and the profile, per leader
    write_dataset(fresh, tmp_path / "fresh")
    for name in ("records.csv", "records.jsonl", "problems.csv", "problems.jsonl"):
        assert (tmp_path / "incremental" / name).read_bytes() == (tmp_path / "fresh" / name).read_bytes(), name
    # records.bin is marshal: equal values may share objects differently, so compare what it holds
    assert _marshal_stream(tmp_path / "incremental" / "records.bin") == _marshal_stream(tmp_path / "fresh" / "records.bin")


def _marshal_stream(path: Path) -> list:
    import marshal

    out = []
    with open(path, "rb") as handle:
        while True:
            try:
                out.append(marshal.load(handle))
            except EOFError:
                return out


def test_the_benchmark_runs_at_the_smallest_size(tmp_path):
    done = subprocess.run([sys.executable, str(BENCH / "run.py"), "--leaders", "2", "--records", "20", "--out", str(tmp_path),
                           "--results", "-", "--no-tui"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    for measure in ("collect, cold cache", "collect, warm (no new commits)", "collect, one new record per leader",
                    "report, all campuses and periods", "check, one 2,000-record ledger"):
        assert measure in done.stdout
