"""Regenerate the sample ledgers under career-pathways-2013-14/ledgers/ (deterministic).

    python ledgers/make_sample_ledgers.py

Each leader logs two or three activities on most school days of the 2013-14 window,
drawn from the taxonomy's examples and their campus rosters; one leader (emorales)
has submitted nothing, as some do, so reports show her 0 hours.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

from ledger_tt.ledger import record_relpath, render_record
from ledger_tt.model import Profile, Record
from ledger_tt.program import load_program
from ledger_tt.yamlio import atomic_write, dump_mapping

HERE = Path(__file__).resolve().parent
PROGRAM = HERE / "career-pathways-2013-14"
# how each leader tends to spend time: activity code -> weight
LEANINGS = {
    "agarcia": {"coaching-instruction": 5, "coaching-data": 2, "planning": 2, "professional-development": 1, "administrative": 1},
    "bwashington": {"coaching-data": 4, "coaching-instruction": 2, "resource-development": 2, "administrative": 3, "other": 0.2},
    "cokafor": {"targeted-instruction": 4, "planning": 2, "coaching-instruction": 2, "resource-development": 1},
    "dkim": {"professional-development": 3, "coaching-instruction": 3, "planning": 2, "administrative": 1},
}
WITH_BY_ACTIVITY = {
    "coaching-instruction": ["individual", "individual", "group"],
    "coaching-data": ["individual", "group", "self"],
    "professional-development": ["group", "self"],
    "resource-development": ["self", "group"],
    "planning": ["self", "individual", "group"],
    "targeted-instruction": ["students"],
    "administrative": ["self"],
    "other": ["self"],
}
STUDENTS = ["Ramirez, Jose", "Walker, Aaliyah", "Tran, Kevin", "Lopez, Maria", "Smith, Tyler", "Ali, Amina"]
NOTES = [None, None, None, "Follow up next week.", "Debrief on Thursday.", "Shared the exit-ticket data.", None]
# Teachers no leader works with, so the reports show the gaps the manual talks about
# ("a teacher who is struggling is receiving no support at all", a team left out).
NEVER_SUPPORTED = {"Moore, Rachel", "Wright, Samuel", "Schmidt, Karen"}
SLOTS = ["07:00", "08:45", "10:30", "12:15", "14:00", "15:45"]


def main() -> None:
    program = load_program(PROGRAM)
    out = PROGRAM / "ledgers"
    shutil.rmtree(out, ignore_errors=True)
    rng = random.Random(2013)
    for leader in program.leaders.values():
        root = out / leader.id
        profile = Profile(leader=leader.id, name=leader.name, email=leader.email, campuses=leader.campuses, program=program.id)
        atomic_write(root / "ledger.yaml", dump_mapping(profile.model_dump()))
        (root / "activities").mkdir(parents=True, exist_ok=True)
        leaning = LEANINGS.get(leader.id)
        if not leaning:
            continue
        taken: set[str] = set()
        day = program.calendar.start
        while day <= program.calendar.end:
            if day.weekday() < 5 and not program.calendar.break_days(day, day) and rng.random() < 0.7:
                for slot in sorted(rng.sample(SLOTS, rng.choice([1, 2, 2, 3]))):
                    record = _record(rng, program, leader, leaning, day, slot)
                    relpath = record_relpath(record, taken)
                    taken.add(relpath)
                    atomic_write(root / relpath, render_record(record))
            day += dt.timedelta(days=1)


def _record(rng, program, leader, leaning, day, slot) -> Record:
    codes, weights = zip(*leaning.items())
    code = rng.choices(codes, weights)[0]
    activity = program.taxonomy.resolve(code)
    campus = program.campuses[rng.choice(leader.campuses)]
    with_ = rng.choice(WITH_BY_ACTIVITY[code])
    teachers = [p.name for p in campus.roster if p.name not in NEVER_SUPPORTED]
    people = {
        "individual": [rng.choice(teachers)],
        "group": rng.sample(teachers, rng.randint(2, 4)),
        "students": rng.sample(STUDENTS, rng.randint(2, 5)),
        "self": [],
    }[with_]
    start = dt.datetime.combine(day, dt.time.fromisoformat(slot))
    end = start + dt.timedelta(minutes=rng.choice([30, 45, 60, 60, 75, 90]))
    notes = "District data-team meeting about attendance." if code == "other" else rng.choice(NOTES)
    return Record(
        date=day, start=slot, end=end.strftime("%H:%M"), campus=campus.id, activity=code,
        task=rng.choice(activity.examples) if activity.examples and rng.random() < 0.8 else None,
        **{"with": with_}, people=people, notes=notes,
    )


if __name__ == "__main__":
    main()
