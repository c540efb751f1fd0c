"""District-scale benchmarks: every figure next to its baseline, measured in the same run.

    python bench/run.py --leaders 1000 --records 600          # the full district (about 10 minutes)
    python bench/run.py --leaders 10 --records 100 --results - # a quick look; prints only

Each measured step runs as its own process (wall time and peak memory from wait4), on a
district built by bench/make_district.py (kept in bench/out/ and reused). The table goes to
stdout and is added to bench/RESULTS.md (previous runs are kept, so the trend shows).
hledger is used when installed (`apt-get install hledger`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from _common import machine  # noqa: E402

AS_OF = "2014-04-05T06:00"
PY = sys.executable


# A small, fresh process starts the measured one and waits for it with wait4. (Measured from
# this big process directly, a child's peak memory would include this one's, copied at fork.)
LAUNCHER = r"""
import json, os, sys, time
report, cmd = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execvp(cmd[0], cmd)
_pid, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - start
with open(report, "w") as handle:
    json.dump({"seconds": seconds, "peak_kib": usage.ru_maxrss, "code": os.waitstatus_to_exitcode(status)}, handle)
"""


def measure(cmd: list[str], cwd: Path | None = None, env: dict | None = None) -> tuple[float, float, str]:
    """(seconds, peak MiB, stdout) of one process, from start to exit."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile("r", suffix=".json") as report:
        subprocess.run([PY, "-c", LAUNCHER, report.name, *map(str, cmd)], cwd=cwd, env={**os.environ, **(env or {})},
                       stdout=out, stderr=err, check=False)
        facts = json.loads(Path(report.name).read_text() or "{}")
        out.seek(0)
        err.seek(0)
        if facts.get("code") != 0:
            raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({facts.get('code')}):\n{err.read().decode()[-3000:]}")
        return facts["seconds"], facts["peak_kib"] / 1024, out.read().decode()


PARSE_PROBE = r"""
import json, pickle, sys, time, yaml
from ledger_tt import yamlio
blobs = pickle.load(open(sys.argv[1], "rb"))
mode = sys.argv[2]
t = time.perf_counter()
if mode == "events":
    for b in blobs:
        for _ in yaml.parse(b, Loader=yaml.CSafeLoader):
            pass
elif mode == "load":
    for b in blobs:
        yaml.load(b, Loader=yaml.CSafeLoader)
else:
    for b in blobs:
        yamlio.load(b, "f")
print(json.dumps({"seconds": time.perf_counter() - t, "files": len(blobs), "bytes": sum(map(len, blobs))}))
"""

FETCH_PROBE = r"""
import subprocess, sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
mirrors = sorted(Path(sys.argv[1]).glob("*.git"))
def fetch(m):
    subprocess.run(["git", "-C", str(m), "fetch", "--quiet", "--no-tags", "origin", "+refs/heads/main:refs/remotes/origin/main"], check=True)
with ThreadPoolExecutor(int(sys.argv[2])) as pool:
    list(pool.map(fetch, mirrors))
"""


def record_blobs(district: Path, target: Path) -> int:
    """Every record file's bytes at each leader's head, the very bytes the collector parses."""
    import pickle

    blobs = []
    for remote in sorted((district / "remotes").glob("*.git")):
        listing = subprocess.run(["git", "ls-tree", "-r", "-z", "main", "activities"], cwd=remote, capture_output=True, check=True).stdout
        shas = [row.split(b"\t")[0].split()[2] for row in listing.split(b"\0") if row]
        batch = subprocess.run(["git", "cat-file", "--batch"], cwd=remote, input=b"\n".join(shas) + b"\n", capture_output=True, check=True).stdout
        pos = 0
        while pos < len(batch):
            header_end = batch.index(b"\n", pos)
            size = int(batch[pos:header_end].split()[2])
            blobs.append(batch[header_end + 1:header_end + 1 + size])
            pos = header_end + 1 + size + 1
    target.write_bytes(pickle.dumps(blobs))
    return len(blobs)


def timeclock(dataset: Path, target: Path) -> int:
    """The same records as an hledger timeclock file: account leader:campus:activity."""
    lines = []
    for line in (dataset / "records.jsonl").read_text().splitlines():
        r = json.loads(line)
        day = r["date"].replace("-", "/")
        lines.append(f"i {day} {r['start']}:00 {r['leader']}:{r['campus']}:{r['activity']}\no {day} {r['end']}:00\n")
    target.write_text("".join(lines))
    return len(lines)


def run(leaders: int, records: int, campuses: int | None, jobs: int, out_dir: Path) -> tuple[str, list[tuple]]:
    district = out_dir / f"district-{leaders}x{records}"
    if not (district / "district.json").exists():
        shutil.rmtree(district, ignore_errors=True)
        args = [PY, str(HERE / "make_district.py"), "--leaders", str(leaders), "--records", str(records), "--out", str(district)]
        if campuses:
            args += ["--campuses", str(campuses)]
        t, _m, _o = measure(args)
        print(f"built the district in {t:.1f} s", file=sys.stderr)
    facts = json.loads((district / "district.json").read_text())
    work = Path(tempfile.mkdtemp(prefix="ledger-tt-bench-"))
    try:
        # a copy, since the incremental step adds a commit to every remote
        shutil.copytree(district, work / "district", symlinks=True)
        _retarget(work / "district", district)
        return _run(work / "district", facts, work, jobs)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _retarget(copy: Path, original: Path) -> None:
    leaders = copy / "program" / "leaders.yaml"
    leaders.write_text(leaders.read_text().replace(str(original), str(copy)))


def _run(district: Path, facts: dict, work: Path, jobs: int) -> tuple[str, list[tuple]]:
    rows: list[tuple[str, str, str, str, str]] = []  # (measure, figure, peak MiB, baseline, ratio)
    cache = work / "cache"
    collect = [PY, "-m", "ledger_tt", "collect", "--program", str(district / "program"), "--cache", str(cache),
               "--allow-local", "--jobs", str(jobs), "--as-of", AS_OF]
    blobs = work / "blobs.pickle"
    files = record_blobs(district, blobs)
    total = facts["records"]

    events_s, events_mem, out = measure([PY, "-c", PARSE_PROBE, str(blobs), "events"])
    events_s = json.loads(out)["seconds"]
    load_s, _m, out = measure([PY, "-c", PARSE_PROBE, str(blobs), "load"])
    load_s = json.loads(out)["seconds"]
    cold_s, cold_mem, out = measure(collect)
    rate = total / cold_s
    rows.append(("collect, cold cache", f"{rate:,.0f} records/s ({cold_s:.1f} s)", f"{cold_mem:.0f}",
                 f"libyaml events {files / events_s:,.0f} files/s ({events_s:.1f} s, 1 core)", f"{cold_s / events_s:.2f}x the parse limit"))
    rows.append(("", "", "", f"yaml.load(CSafeLoader) {files / load_s:,.0f} files/s ({load_s:.1f} s)", f"{cold_s / load_s:.2f}x"))

    fetch_s, fetch_mem, _ = measure([PY, "-c", FETCH_PROBE, str(cache / "mirrors"), str(jobs)])
    warm_s, warm_mem, _ = measure(collect[:-1] + ["2014-04-05T07:00"])
    rows.append(("collect, warm (no new commits)", f"{warm_s:.2f} s", f"{warm_mem:.0f}", f"plain git fetch of all mirrors {fetch_s:.2f} s",
                 f"{warm_s / fetch_s:.2f}x"))
    sys.path.insert(0, str(HERE))
    from make_district import add_one_record_each

    add_one_record_each(district, seed=int(time.time()) % 1000)
    inc_s, inc_mem, out = measure(collect[:-1] + ["2014-04-05T08:00"])
    parsed = out.split("files parsed this run")[0].rsplit("(", 1)[1].strip()
    rows.append(("collect, one new record per leader", f"{inc_s:.2f} s ({parsed} files parsed)", f"{inc_mem:.0f}",
                 f"plain git fetch of all mirrors {fetch_s:.2f} s", f"{inc_s / fetch_s:.2f}x"))

    report_s, report_mem, _ = measure([PY, "-m", "ledger_tt", "report", "--program", str(district / "program"), "--cache", str(cache),
                                       "--from", "2013-10-21", "--to", "2014-03-30", "--format", "json", "--out", str(work / "reports")])
    hledger = shutil.which("hledger")
    if hledger:
        entries = timeclock(cache / "dataset", work / "all.timeclock")
        led_s, led_mem, _ = measure([hledger, "-f", str(work / "all.timeclock"), "balance"])
        rows.append(("report, all campuses and periods", f"{report_s:.2f} s", f"{report_mem:.0f}",
                     f"hledger balance, same {entries:,} records {led_s:.2f} s ({led_mem:.0f} MiB)", f"{led_s / report_s:.2f}x faster"))
    else:
        rows.append(("report, all campuses and periods", f"{report_s:.2f} s", f"{report_mem:.0f}", "hledger not installed", "-"))

    from tui import build_ledger

    ledger = work / "ledger2000"
    build_ledger(ledger, 2000)
    check_s, check_mem, _ = measure([PY, "-m", "ledger_tt", "check", str(ledger)], env={"LEDGER_TT_TODAY": "2027-07-30"})
    base_s, base_mem, _ = measure([PY, "-c", "import ledger_tt.cli"])
    rows.append(("check, one 2,000-record ledger", f"{check_s:.2f} s", f"{check_mem:.0f}", f"python -c 'import ledger_tt.cli' {base_s:.2f} s",
                 f"{check_s / base_s:.2f}x"))
    title = (f"{facts['leaders']:,} leaders x {facts['records'] // max(1, facts['leaders']):,} records "
             f"({facts['records']:,} records, {facts['campuses']} campuses) — {machine()} — {dt.date.today()}")
    return _table(title, rows), rows


def _table(title: str, rows) -> str:
    head = ("measure", "figure", "peak MiB", "baseline (same run)", "ratio")
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(5)]
    line = lambda r: "| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |"  # noqa: E731
    return "\n".join([f"### {title}", "", line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, rows)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leaders", type=int, default=10)
    parser.add_argument("--records", type=int, default=600, help="records per leader")
    parser.add_argument("--campuses", type=int)
    parser.add_argument("--jobs", type=int, default=8)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--results", default=str(HERE / "RESULTS.md"), help="file to add the table to; '-' prints only")
    parser.add_argument("--no-tui", action="store_true")
    args = parser.parse_args()
    table, _rows = run(args.leaders, args.records, args.campuses, args.jobs, args.out)
    print(table, flush=True)  # the district figures first: they take the longest to get
    if not args.no_tui:
        from tui import run as tui_run

        tui_table = tui_run(2000, 3)
        print("\n" + tui_table)
        table += "\n\n" + tui_table
    if args.results != "-":
        path = Path(args.results)
        previous = path.read_text() if path.exists() else "# Benchmark results\n\nNewest first; each table was measured in one run of `bench/run.py`.\n"
        head, _, rest = previous.partition("\n### ")
        path.write_text(head.rstrip() + "\n\n" + table + "\n" + ("\n### " + rest if rest else ""))


if __name__ == "__main__":
    main()
