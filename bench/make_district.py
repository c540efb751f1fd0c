"""A synthetic district: N leaders across C campuses, M records each, as real git repositories.

    python bench/make_district.py --leaders 1000 --records 600 --campuses 40 --out bench/out/district

Writes OUT/program/ (program.yaml on the 2013-14 calendar, campuses/*.yaml with rosters,
leaders.yaml whose remotes are OUT/remotes/<leader>.git) and one bare repository per leader
whose history commits the records in biweekly batches, at each deadline, as leaders push
them: about 2% arrive a period late and about 0.5% are invalid (a name not on the roster).
Everything is deterministic from --seed. Histories are written with `git fast-import`, so a
thousand repositories take seconds, not the hours that a commit per record would.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ledger_tt.ledger import record_relpath, render_record  # noqa: E402
from ledger_tt.model import Record  # noqa: E402
from ledger_tt.program import load_calendar, load_taxonomy  # noqa: E402

LAST = ["Nguyen", "Garcia", "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Lopez", "Wilson", "Anderson",
        "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark",
        "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Hill", "Flores"]
FIRST = ["Ana", "Ben", "Chloe", "Diego", "Emma", "Farah", "Gabe", "Hana", "Ivan", "Jada", "Kofi", "Lena", "Marco", "Nia",
         "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tara", "Uma", "Victor", "Wen", "Yara", "Zane"]
TEAMS = ["English", "Math", "Science", "Social Studies", "Fine Arts", "Special Education"]
WITH = ["individual", "individual", "group", "self", "students"]


@dataclass
class Counts:
    leaders: int = 0
    records: int = 0
    invalid: int = 0
    late: int = 0
    commits: int = 0


def build(out: Path, leaders: int, records: int, campuses: int, seed: int) -> Counts:
    rng = random.Random(seed)
    out = Path(out)
    program = out / "program"
    (program / "campuses").mkdir(parents=True, exist_ok=True)
    (out / "remotes").mkdir(parents=True, exist_ok=True)
    calendar = load_calendar("builtin:2013-14", out, dt.date(2014, 4, 1))
    taxonomy = load_taxonomy()
    (program / "program.yaml").write_text(f"id: district-{leaders}x{records}\nname: Synthetic district ({leaders} leaders)\n"
                                          "taxonomy: builtin\ncalendar: builtin:2013-14\n")
    rosters = {}
    for c in range(campuses):
        cid = f"campus-{c:03d}"
        people = sorted({f"{rng.choice(LAST)}, {rng.choice(FIRST)}" for _ in range(40)})
        rosters[cid] = people
        lines = [f"id: {cid}", f"name: Campus {c:03d}", "roster:"]
        for i, name in enumerate(people):
            lines.append(f'  - {{name: "{name}", role: teacher, grade: "{9 + i % 4}", team: {TEAMS[i % len(TEAMS)]}}}')
        (program / "campuses" / f"{cid}.yaml").write_text("\n".join(lines) + "\n")
    school_days = [d for d in _days(calendar.start, calendar.end) if d.weekday() < 5 and not calendar.break_days(d, d)]
    per_day = -(-records // len(school_days))
    leader_lines = ["leaders:"]
    counts = Counts()
    for n in range(leaders):
        lid = f"leader-{n:04d}"
        campus = f"campus-{n % campuses:03d}"
        remote = out / "remotes" / f"{lid}.git"
        leader_lines += [f"  - id: {lid}", f"    name: Leader {n:04d}", f"    email: {lid}@example.org",
                         f"    campuses: [{campus}]", f"    remote: {remote}"]
        stats = _leader_repo(remote, lid, campus, rosters[campus], records, per_day, school_days, calendar, taxonomy, rng)
        counts.leaders += 1
        counts.records += stats[0]
        counts.invalid += stats[1]
        counts.late += stats[2]
        counts.commits += stats[3]
    (program / "leaders.yaml").write_text("\n".join(leader_lines) + "\n")
    (out / "district.json").write_text(json.dumps(counts.__dict__ | {"seed": seed, "campuses": campuses}, indent=2))
    return counts


def _days(start: dt.date, end: dt.date):
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


def _leader_repo(remote, lid, campus, roster, records, per_day, school_days, calendar, taxonomy, rng) -> tuple[int, int, int, int]:
    """Write one leader's history with git fast-import: one commit per period (plus one late batch)."""
    codes = [a for a in taxonomy.activities if a.code != "other"]
    batches: dict[int, list[tuple[str, str]]] = {p.number: [] for p in calendar.periods}
    batches[len(calendar.periods) + 1] = []
    taken: set[str] = set()
    made = invalid = late = 0
    for day in school_days:
        for slot in range(per_day):
            if made == records:
                break
            activity = rng.choice(codes)
            with_ = rng.choice(WITH)
            people = {"individual": [rng.choice(roster)], "group": rng.sample(roster, 3),
                      "students": ["Student, One", "Student, Two"], "self": []}[with_]
            if rng.random() < 0.005 and with_ == "individual":
                people = ["Nobody, Known"]  # not on the roster: the collector refuses it
                invalid += 1
            start = 7 * 60 + slot * 60
            record = Record(date=day, start=f"{start // 60:02d}:{start % 60:02d}", end=f"{(start + 45) // 60:02d}:{(start + 45) % 60:02d}",
                            campus=campus, activity=activity.code, task=rng.choice(activity.examples) if rng.random() < 0.5 else None,
                            people=people, **{"with": with_})
            relpath = record_relpath(record, taken)
            taken.add(relpath)
            period = calendar.period_of(day).number
            if rng.random() < 0.02:
                period += 1  # pushed after the deadline
                late += 1
            batches[period].append((relpath, render_record(record)))
            made += 1
    remote.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(remote)], check=True)
    stream = []
    profile = (f"leader: {lid}\nname: Leader {lid[-4:]}\nemail: {lid}@example.org\ncampuses: [{campus}]\n"
               f"program: district\n").encode()
    commits = 0
    stamp = int(dt.datetime.combine(calendar.start, dt.time(8), dt.timezone.utc).timestamp())
    stream.append(_commit(lid, stamp, "Start the ledger", [("ledger.yaml", profile)]))
    commits += 1
    for number, files in batches.items():
        if not files:
            continue
        end = calendar.period(min(number, len(calendar.periods))).end + dt.timedelta(days=0 if number <= len(calendar.periods) else 2)
        stamp = int(dt.datetime.combine(end, dt.time(20), dt.timezone.utc).timestamp())
        stream.append(_commit(lid, stamp, f"Activities of period {number}", [(p, t.encode()) for p, t in files]))
        commits += 1
    subprocess.run(["git", "fast-import", "--quiet"], cwd=remote, input=b"".join(stream), check=True)
    return made, invalid, late, commits


def _commit(lid: str, stamp: int, message: str, files: list[tuple[str, bytes]], parent: str | None = None) -> bytes:
    who = f"{lid} <{lid}@example.org> {stamp} +0000".encode()
    parts = [b"commit refs/heads/main\n", b"author " + who + b"\n", b"committer " + who + b"\n",
             f"data {len(message)}\n{message}\n".encode()]
    if parent:
        parts.append(f"from {parent}\n".encode())
    for path, data in files:
        parts.append(f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n")
    return b"".join(parts) + b"\n"


def add_one_record_each(out: Path, seed: int = 1) -> int:
    """One more record per leader, pushed as one commit (the incremental benchmark)."""
    added = 0
    for remote in sorted((Path(out) / "remotes").glob("*.git")):
        lid = remote.name[:-4]
        campus_line = next(line for line in (Path(out) / "program" / "leaders.yaml").read_text().split(f"id: {lid}\n", 1)[1].splitlines()
                           if "campuses:" in line)
        campus = campus_line.split("[", 1)[1].rstrip("]")
        record = Record(date=dt.date(2014, 3, 29), start=f"{6 + seed % 10:02d}:00", end=f"{6 + seed % 10:02d}:30", campus=campus,
                        activity="planning", **{"with": "self"})
        head = subprocess.run(["git", "rev-parse", "refs/heads/main"], cwd=remote, capture_output=True, text=True, check=True).stdout.strip()
        stamp = int(dt.datetime(2014, 3, 29, 20, tzinfo=dt.timezone.utc).timestamp()) + seed
        text = render_record(record).encode()
        path = f"activities/2014-03/2014-03-29-{6 + seed % 10:02d}00-extra{seed}.yaml"
        stream = _commit(lid, stamp, "One more", [(path, text)], parent=head)
        subprocess.run(["git", "fast-import", "--quiet"], cwd=remote, input=stream, check=True)
        added += 1
    return added


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leaders", type=int, default=10)
    parser.add_argument("--records", type=int, default=600)
    parser.add_argument("--campuses", type=int, default=None, help="default: one campus per 25 leaders, at least 2")
    parser.add_argument("--seed", type=int, default=2013)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    if args.out.exists() and any(args.out.iterdir()):
        sys.exit(f"{args.out} is not empty")
    campuses = args.campuses or max(2, args.leaders // 25)
    counts = build(args.out, args.leaders, args.records, campuses, args.seed)
    print(json.dumps(counts.__dict__))


if __name__ == "__main__":
    main()
