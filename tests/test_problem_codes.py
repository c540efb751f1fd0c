"""One reproducer per problem code: the file a person might write, and what `check` says.

Every code in problems.CODES must appear here (the last test makes sure)."""

from __future__ import annotations

import json

import pytest

from ledger_tt.problems import CODES

from .conftest import write

GOOD = """\
date: 2013-11-04
start: "08:00"
end: "09:00"
campus: lamar-hs
activity: coaching-instruction
with: individual
people: ["Doe, Jane"]
"""


def edit(old: str, new: str, text: str = GOOD) -> str:
    assert old in text
    return text.replace(old, new)


# code, file text, line, column, words the message must hold
CASES = [
    ("yaml-syntax", edit('people: ["Doe, Jane"]', 'people: ["Doe, Jane"'), 8, 1, "expected ',' or ']'"),
    ("yaml-alias", GOOD + "notes: &n Planned\ntask: *n\n", 8, 8, "anchor '&n' is not allowed"),
    ("yaml-tag", GOOD + "notes: !!binary aGk=\n", 8, 8, "tag 'tag:yaml.org,2002:binary' is not allowed"),
    ("yaml-duplicate-key", GOOD + 'end: "10:00"\n', 8, 1, "key 'end' appears twice (first on line 3)"),
    ("yaml-multiple-documents", GOOD + "---\n" + GOOD, 8, 1, "one YAML document"),
    ("file-too-large", GOOD + "# padding\n" * 30000, 1, 1, "the limit is 262,144"),
    ("not-a-record", "Observed Jane's class at 8\n", 1, 1, "expected a mapping of fields"),
    ("unknown-key", edit("activity:", "activty:"), 5, 1, "unknown key 'activty'; did you mean 'activity'?"),
    ("missing-field", edit('end: "09:00"\n', ""), 1, 1, "missing field 'end'"),
    ("bad-type", edit("campus: lamar-hs", "campus: [lamar-hs, wheatley-hs]"), 4, 9, "campus: expected text, found a list"),
    ("bad-date", edit("date: 2013-11-04", "date: 11/04/2013"), 1, 7, "'11/04/2013' is not a date written as YYYY-MM-DD"),
    ("bad-time", edit('start: "08:00"', "start: 8:75"), 2, 8, "'8:75' has 75 minutes"),
    ("bad-with", edit("with: individual", "with: no"), 6, 7, "'no' is not one of individual, group, students, self"),
    ("end-before-start", edit('end: "09:00"', 'end: "07:30"'), 3, 6, "end 07:30 is not after start 08:00"),
    ("too-long", edit('end: "09:00"', 'end: "21:00"'), 3, 6, "13.0 hours; the most is 12"),
    ("outside-window", edit("2013-11-04", "2013-10-14"), 1, 7, "outside the tracking window 2013-10-21 to 2014-03-30"),
    ("in-future", edit("2013-11-04", "2014-04-02"), 1, 7, "2014-04-02 is in the future (today is 2014-03-31)"),
    ("unknown-campus", edit("campus: lamar-hs", "campus: lamar"), 4, 9, "campus 'lamar' is not in the program"),
    ("not-your-campus", edit("campus: lamar-hs", "campus: wheatley-hs"), 4, 9, "campus 'wheatley-hs' is not one of yours (lamar-hs)"),
    ("unknown-activity", edit("activity: coaching-instruction", "activity: coaching"), 5, 11, "activity 'coaching' is not one of"),
    ("unknown-task", GOOD + "task: Baked cookies\n", 8, 7, "task 'Baked cookies' is not an example of"),
    ("individual-needs-one-person", edit('["Doe, Jane"]', '["Doe, Jane", "Patel, Ravi"]'), 7, 9, "exactly one person, found 2"),
    ("not-on-roster", edit('"Doe, Jane"', '"Smith, John"'), 7, 10, "'Smith, John' is not on the Lamar High School roster"),
    ("people-required", edit('with: individual\npeople: ["Doe, Jane"]\n', "with: group\n"), 1, 1, "with 'group' needs the names"),
    ("self-has-people", edit("with: individual", "with: self"), 7, 9, "with 'self' names nobody"),
    ("name-format", edit('with: individual\npeople: ["Doe, Jane"]', 'with: group\npeople: ["Jane Doe", "Patel, Ravi"]'), 7, 10, "'Jane Doe' is not written as \"Last, First\""),
    ("name-has-title", edit('with: individual\npeople: ["Doe, Jane"]', 'with: students\npeople: ["Mrs. Doe"]'), 7, 10, "'Mrs. Doe' has a title"),
    ("notes-required", edit("activity: coaching-instruction\nwith: individual\npeople: [\"Doe, Jane\"]", "activity: other\nwith: self"), 1, 1, "needs notes that explain it"),
]


@pytest.mark.parametrize(("code", "text", "line", "column", "words"), CASES, ids=[c[0] for c in CASES])
def test_each_problem_is_reported_with_its_code_line_and_message(cli, ledger, code, text, line, column, words):
    write(ledger, "activities/2013-11/2013-11-04-0800.yaml", text)
    result = cli("check", str(ledger), "--format", "json")
    assert result.exit_code == 1, result.output
    found = [p for p in json.loads(result.stdout) if p["code"] == code]
    assert found, f"no {code} in {result.stdout}"
    assert found[0]["file"].endswith("activities/2013-11/2013-11-04-0800.yaml")
    assert (found[0]["line"], found[0]["column"]) == (line, column)
    assert words in found[0]["message"]
    assert found[0]["severity"] == "error"


def test_unreadable_file_is_one_problem(cli, ledger):
    (ledger / "activities/2013-11").mkdir(parents=True)
    (ledger / "activities/2013-11/2013-11-04-0800.yaml").write_bytes(b"date: 2013-11-04\nnotes: caf\xe9\n")
    result = cli("check", str(ledger), "--format", "json")
    [problem] = json.loads(result.stdout)
    assert problem["code"] == "file-unreadable" and "not UTF-8" in problem["message"]


def test_overlap_names_both_files(cli, ledger):
    write(ledger, "activities/2013-11/a.yaml", GOOD)
    write(ledger, "activities/2013-11/b.yaml", edit('start: "08:00"\nend: "09:00"', 'start: "08:30"\nend: "10:00"'))
    result = cli("check", str(ledger))
    assert result.exit_code == 1
    assert "activities/2013-11/b.yaml:2:8: error[overlap]: 2013-11-04 08:30-10:00 overlaps 08:00-09:00 in " in result.stdout
    assert "activities/2013-11/a.yaml:2" in result.stdout


def test_bad_profile_is_reported_at_its_line(cli, ledger):
    write(ledger, "ledger.yaml", "leader: agarcia\nname: Ana Garcia\nemail: a@example.org\ncampuses: lamar-hs\nprogram: career-pathways-2013-14\n")
    result = cli("check", str(ledger), "--format", "json")
    problems = json.loads(result.stdout)
    assert result.exit_code == 1
    assert problems[0]["file"].endswith("ledger.yaml") and problems[0]["line"] == 4


def test_a_crashing_check_becomes_a_problem_and_the_others_still_run(cli, ledger, monkeypatch):
    from ledger_tt import checks

    def explode(record, ctx):
        raise RuntimeError("boom")

    monkeypatch.setattr(checks, "RECORD_CHECKS", [explode, *checks.RECORD_CHECKS])
    write(ledger, "activities/2013-11/x.yaml", edit('"Doe, Jane"', '"Smith, John"'))
    result = cli("check", str(ledger), "--format", "json")
    codes = [p["code"] for p in json.loads(result.stdout)]
    assert codes == ["check-crashed", "not-on-roster"]


def test_every_code_has_a_reproducer():
    covered = {c[0] for c in CASES} | {"file-unreadable", "overlap", "bad-profile", "check-crashed"}
    assert covered == set(CODES)


def test_every_code_is_documented_in_the_readme():
    from ledger_tt.paths import LEDGERS_DIR

    readme = (LEDGERS_DIR.parent / "README.md").read_text()
    assert [code for code in CODES if f"| `{code}` |" not in readme] == []
