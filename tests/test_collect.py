"""The collector on real git: bare remotes in temp dirs, hostile repositories, re-runs."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from ledger_tt.collect.collect import collect
from ledger_tt.collect.output import write_dataset

from .conftest import PROGRAM_2013, SAMPLE_LEDGERS

UTC = dt.timezone.utc
AFTER_P1 = dt.datetime(2013, 11, 4, 6, tzinfo=UTC)  # the morning after period 1's deadline
AFTER_P2 = dt.datetime(2013, 11, 18, 6, tzinfo=UTC)
RECORD = 'date: {date}\nstart: "{start}"\nend: "{end}"\ncampus: {campus}\nactivity: planning\nwith: self\n'


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


class District:
    """A program in a temp dir whose leaders push real ledgers to bare remotes."""

    def __init__(self, root: Path, leaders: dict[str, list[str]]):
        self.root = root
        self.program = root / "program"
        shutil.copytree(PROGRAM_2013 / "campuses", self.program / "campuses")
        (self.program / "program.yaml").write_text((PROGRAM_2013 / "program.yaml").read_text())
        self.leaders = leaders
        self.remotes: dict[str, str] = {}
        self.keys: dict[str, str] = {}
        for leader, campuses in leaders.items():
            remote = root / "remotes" / f"{leader}.git"
            remote.parent.mkdir(parents=True, exist_ok=True)
            git(root, "init", "-q", "--bare", "-b", "main", str(remote))
            self.remotes[leader] = str(remote)
            work = root / "work" / leader
            work.mkdir(parents=True)
            git(work, "init", "-q", "-b", "main")
            git(work, "config", "user.email", f"{leader}@example.org")
            git(work, "config", "user.name", leader)
            git(work, "remote", "add", "origin", str(remote))
            self.write(leader, "ledger.yaml", f"leader: {leader}\nname: {leader.title()}\nemail: {leader}@example.org\n"
                                              f"campuses: [{', '.join(campuses)}]\nprogram: career-pathways-2013-14\n")
            self.push(leader, "start")
        self.write_leaders()

    def write_leaders(self) -> None:
        lines = ["leaders:"]
        for leader, campuses in self.leaders.items():
            lines += [f"  - id: {leader}", f"    name: {leader.title()}", f"    email: {leader}@example.org",
                      f"    campuses: [{', '.join(campuses)}]", f'    remote: "{self.remotes[leader]}"']
            if leader in self.keys:
                lines.append(f'    signing_key: "{self.keys[leader]}"')
        (self.program / "leaders.yaml").write_text("\n".join(lines) + "\n")

    def work(self, leader: str) -> Path:
        return self.root / "work" / leader

    def write(self, leader: str, relpath: str, text: str | bytes) -> None:
        path = self.work(leader) / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text) if isinstance(text, bytes) else path.write_text(text)

    def record(self, leader: str, date: str, start: str, end: str, campus: str = "lamar-hs") -> str:
        relpath = f"activities/{date[:7]}/{date}-{start.replace(':', '')}.yaml"
        self.write(leader, relpath, RECORD.format(date=date, start=start, end=end, campus=campus))
        return relpath

    def push(self, leader: str, message: str = "records", *extra: str) -> str:
        work = self.work(leader)
        git(work, "add", "-A")
        git(work, "commit", "-q", "--no-verify", "--allow-empty", *extra, "-m", message)
        git(work, "push", "-q", "--force", "origin", "main")
        return git(work, "rev-parse", "HEAD").strip()

    def collect(self, cache: Path, as_of=AFTER_P2, **options):
        return collect(self.program, cache, as_of=as_of, allow_local=True, **options)


@pytest.fixture
def district(tmp_path) -> District:
    return District(tmp_path / "district", {"ana": ["lamar-hs"], "ben": ["lamar-hs"], "cy": ["wheatley-hs", "pershing-ms"]})


def by_leader(result):
    return {r.leader.id: r for r in result.leaders}


def codes(result, leader):
    return [p.code for p in by_leader(result)[leader].problems]


def assert_counts_add_up(result):
    counts = result.counts
    assert counts["read"] == counts["accepted"] + counts["refused"]
    for r in result.leaders:
        assert r.read == r.accepted + r.refused, r.leader.id
        if r.refused:
            assert r.problems, f"{r.leader.id} refused records without saying why"


def test_happy_path_several_leaders_and_campuses_into_csv_and_jsonl(district, tmp_path):
    district.record("ana", "2013-10-22", "08:00", "09:30")
    district.record("ana", "2013-11-05", "08:00", "09:00")
    district.push("ana")
    district.record("ben", "2013-10-23", "10:00", "10:45")
    district.push("ben")
    district.record("cy", "2013-10-24", "13:00", "14:00", campus="wheatley-hs")
    district.record("cy", "2013-10-25", "13:00", "14:00", campus="pershing-ms")
    district.push("cy")
    result = district.collect(tmp_path / "cache")
    assert_counts_add_up(result)
    assert result.counts == {"read": 5, "accepted": 5, "refused": 0, "parsed": 8}  # 5 records + 3 profiles
    out = tmp_path / "out"
    write_dataset(result, out)
    rows = list(csv.DictReader((out / "records.csv").open()))
    assert [(r["leader"], r["campus"], r["date"], r["hours"], r["period"], r["month"], r["late"]) for r in rows] == [
        ("ana", "lamar-hs", "2013-10-22", "1.5", "1", "2013-10", "False"),
        ("ana", "lamar-hs", "2013-11-05", "1.0", "2", "2013-11", "False"),
        ("ben", "lamar-hs", "2013-10-23", "0.75", "1", "2013-10", "False"),
        ("cy", "wheatley-hs", "2013-10-24", "1.0", "1", "2013-10", "False"),
        ("cy", "pershing-ms", "2013-10-25", "1.0", "1", "2013-10", "False"),
    ]
    assert set(rows[0]) == {"leader", "campus", "date", "start", "end", "hours", "activity", "task", "with", "people",
                            "period", "month", "late", "commit", "file"}
    lines = (out / "records.jsonl").read_text().splitlines()
    assert json.loads(lines[0])["file"] == "activities/2013-10/2013-10-22-0800.yaml"
    status = {r["leader"]: r for r in csv.DictReader((out / "leaders.csv").open())}
    assert status["ana"]["records"] == "2" and status["ana"]["state"] == "ok" and len(status["ana"]["last_commit"]) == 40
    assert (out / "problems.csv").read_text().startswith("leader,file,line,column,severity,code,message,hint")


def test_an_unreachable_remote_is_reported_and_its_last_good_snapshot_stays(district, tmp_path):
    district.record("ana", "2013-10-22", "08:00", "09:30")
    district.push("ana")
    cache = tmp_path / "cache"
    district.collect(cache, as_of=AFTER_P1)
    shutil.rmtree(district.remotes["ana"])
    result = district.collect(cache)
    ana = by_leader(result)["ana"]
    assert ana.state == "unreachable" and "unreachable" in codes(result, "ana")
    assert ana.accepted == 1  # the last good snapshot
    assert by_leader(result)["ben"].state == "ok"
    assert_counts_add_up(result)


def test_a_force_pushed_history_is_flagged_and_the_old_commits_kept(district, tmp_path):
    district.record("ana", "2013-10-22", "08:00", "09:30")
    old = district.push("ana")
    cache = tmp_path / "cache"
    district.collect(cache, as_of=AFTER_P1)
    git(district.work("ana"), "reset", "-q", "--hard", "HEAD~1")
    district.record("ana", "2013-10-23", "08:00", "09:30")
    district.push("ana", "rewritten")
    result = district.collect(cache)
    assert "history-rewritten" in codes(result, "ana")
    mirror = cache / "mirrors" / "ana.git"
    assert git(mirror, "rev-parse", f"refs/ledger-tt/kept/{old}").strip() == old
    assert git(mirror, "cat-file", "-t", old).strip() == "commit"


def test_a_record_first_seen_after_its_periods_deadline_is_late(district, tmp_path):
    district.record("ana", "2013-10-22", "08:00", "09:30")
    district.push("ana")
    cache = tmp_path / "cache"
    district.collect(cache, as_of=AFTER_P1)  # period 1's data is taken here
    district.record("ana", "2013-10-30", "08:00", "09:00")  # period 1, pushed after its deadline
    district.record("ana", "2013-11-05", "08:00", "09:00")  # period 2, on time
    district.push("ana")
    rows = {r["date"]: r for r in district.collect(cache, as_of=AFTER_P2).rows if r["leader"] == "ana"}
    assert (rows["2013-10-22"]["late"], rows["2013-10-30"]["late"], rows["2013-11-05"]["late"]) == (False, True, False)


def test_as_of_in_the_past_replays_what_was_known_then(district, tmp_path):
    district.record("ana", "2013-10-22", "08:00", "09:30")
    district.push("ana")
    cache = tmp_path / "cache"
    first = district.collect(cache, as_of=AFTER_P1)
    district.record("ana", "2013-10-30", "08:00", "09:00")
    district.push("ana")
    later = district.collect(cache, as_of=AFTER_P2)
    assert len(later.rows) == 2
    log_lines = len((cache / "collect-log.jsonl").read_text().splitlines())
    again = collect(district.program, cache, as_of=AFTER_P1 + dt.timedelta(hours=1), allow_local=True)
    assert again.rows == first.rows  # the same rows, from the same snapshot
    assert len((cache / "collect-log.jsonl").read_text().splitlines()) == log_lines  # a replay fetches and logs nothing


def test_a_profile_claiming_another_leader_is_refused_whole(district, tmp_path):
    district.write("ben", "ledger.yaml", "leader: ana\nname: Ana\nemail: ana@example.org\ncampuses: [lamar-hs]\nprogram: career-pathways-2013-14\n")
    district.record("ben", "2013-10-23", "10:00", "10:45")
    district.push("ben")
    result = district.collect(tmp_path / "cache")
    ben = by_leader(result)["ben"]
    assert ben.accepted == 0 and ben.refused == 1
    [problem] = [p for p in ben.problems if p.code == "forged-leader"]
    assert problem.line == 1 and "claims leader 'ana'" in problem.message
    assert_counts_add_up(result)


def test_a_record_for_a_campus_the_leader_does_not_serve_is_refused(district, tmp_path):
    # ana's own profile claims wheatley too, but the program says she serves lamar-hs only
    district.write("ana", "ledger.yaml", "leader: ana\nname: Ana\nemail: ana@example.org\ncampuses: [lamar-hs, wheatley-hs]\nprogram: career-pathways-2013-14\n")
    district.record("ana", "2013-10-22", "08:00", "09:30", campus="wheatley-hs")
    district.record("ana", "2013-10-23", "08:00", "09:30")
    district.push("ana")
    result = district.collect(tmp_path / "cache")
    assert [r["campus"] for r in result.rows if r["leader"] == "ana"] == ["lamar-hs"]
    assert "not-your-campus" in codes(result, "ana")
    assert_counts_add_up(result)


def test_symlinks_submodules_outsiders_and_huge_files_are_refused_and_listed(district, tmp_path):
    work = district.work("ana")
    (work / "activities").mkdir(exist_ok=True)
    (work / "activities" / "secret.yaml").symlink_to("/etc/passwd")
    git(work, "update-index", "--add", "--cacheinfo", f"160000,{git(work, 'rev-parse', 'HEAD').strip()},activities/sub")
    district.write("ana", "tools/run.sh", "#!/bin/sh\necho hi\n")
    district.write("ana", "activities/2013-10/huge.yaml", b"notes: " + b"x" * 10_000_000 + b"\n")
    district.record("ana", "2013-10-22", "08:00", "09:30")
    git(work, "add", "activities/secret.yaml", "tools", "activities/2013-10")
    git(work, "commit", "-q", "--no-verify", "-m", "hostile")
    git(work, "push", "-q", "origin", "main")
    result = district.collect(tmp_path / "cache")
    problems = {p.file: p.code for p in by_leader(result)["ana"].problems}
    assert problems == {"activities/secret.yaml": "symlink", "activities/sub": "submodule",
                        "tools/run.sh": "outside-layout", "activities/2013-10/huge.yaml": "file-too-large"}
    assert by_leader(result)["ana"].accepted == 1
    assert by_leader(result)["ana"].parsed == 2  # the profile and the good record; the huge file never read
    assert_counts_add_up(result)


@pytest.mark.parametrize(("code", "text"), [
    ("yaml-alias", "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"),
    ("yaml-duplicate-key", RECORD.format(date="2013-10-22", start="08:00", end="09:00", campus="lamar-hs") + 'start: "07:00"\n'),
])
def test_alias_bombs_and_duplicate_keys_are_refused_with_their_line(district, tmp_path, code, text):
    district.write("ana", "activities/2013-10/bad.yaml", text)
    district.push("ana")
    result = district.collect(tmp_path / "cache")
    problem = [p for p in by_leader(result)["ana"].problems if p.code == code][0]
    assert problem.file == "activities/2013-10/bad.yaml" and problem.line in (1, 7)
    assert by_leader(result)["ana"].accepted == 0
    assert_counts_add_up(result)


@pytest.mark.parametrize("url", [
    "ext::sh -c touch% {marker}",
    "--upload-pack=touch {marker}",
    "-u touch {marker}",
    "ssh://-oProxyCommand=touch {marker}/x",
    "https://example.org/$(touch {marker})",
    "fd::3",
])
def test_hostile_urls_never_execute_anything(district, tmp_path, url):
    marker = tmp_path / "pwned"
    district.remotes["ben"] = url.format(marker=marker)
    district.write_leaders()
    result = district.collect(tmp_path / "cache")
    assert not marker.exists()
    assert by_leader(result)["ben"].state == "bad-url"
    assert "bad-url" in codes(result, "ben")
    assert by_leader(result)["ana"].state == "ok"


def test_overlapping_records_are_both_refused_and_placed_at_their_line(district, tmp_path):
    district.record("ana", "2013-10-22", "08:00", "09:30")
    district.record("ana", "2013-10-22", "09:00", "10:00")
    district.record("ana", "2013-10-23", "09:00", "10:00")
    district.push("ana")
    result = district.collect(tmp_path / "cache")
    [problem] = [p for p in by_leader(result)["ana"].problems if p.code == "overlap"]
    assert (problem.file, problem.line, problem.column) == ("activities/2013-10/2013-10-22-0900.yaml", 2, 8)
    assert [r["date"] for r in result.rows if r["leader"] == "ana"] == ["2013-10-23"]
    assert_counts_add_up(result)


def test_local_remotes_need_allow_local(district, tmp_path):
    result = collect(district.program, tmp_path / "cache", as_of=AFTER_P2, allow_local=False)
    assert {r.state for r in result.leaders} == {"bad-url"}
    assert "local remotes need --allow-local" in by_leader(result)["ana"].error


def test_a_rerun_with_no_new_commits_parses_nothing_and_one_new_record_parses_one_file(district, tmp_path):
    for leader in ("ana", "ben"):
        for day in range(21, 26):
            district.record(leader, f"2013-10-{day}", "08:00", "09:00")
        district.push(leader)
    cache = tmp_path / "cache"
    first = district.collect(cache, as_of=AFTER_P1)
    assert first.counts["parsed"] == 13  # 10 records + 3 profiles
    again = district.collect(cache, as_of=AFTER_P1 + dt.timedelta(hours=1))
    assert again.counts["parsed"] == 0
    assert len(again.rows) == 10 and again.rows == first.rows
    for leader in ("ana", "ben", "cy"):
        district.record(leader, "2013-11-05", "08:00", "09:00", campus="wheatley-hs" if leader == "cy" else "lamar-hs")
        district.push(leader)
    incremental = district.collect(cache, as_of=AFTER_P2)
    assert [r.parsed for r in incremental.leaders] == [1, 1, 1]


def _keygen(path: Path) -> str:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True)
    return path.with_suffix(".pub").read_text().strip()


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="ssh-keygen is needed to sign commits")
def test_require_signed_accepts_the_leaders_key_and_quarantines_unsigned_and_wrong_keys(district, tmp_path):
    keys = tmp_path / "keys"
    keys.mkdir()
    public = {name: _keygen(keys / name) for name in ("ana", "ben", "mallory")}
    district.keys = {"ana": public["ana"], "ben": public["ben"], "cy": public["ana"]}
    district.write_leaders()
    for leader, key in (("ana", "ana"), ("ben", "mallory")):
        work = district.work(leader)
        git(work, "config", "gpg.format", "ssh")
        git(work, "config", "user.signingkey", str(keys / key))
    district.record("ana", "2013-10-22", "08:00", "09:30")
    district.push("ana", "signed", "-S")
    district.record("ben", "2013-10-22", "08:00", "09:30")
    district.push("ben", "signed with the wrong key", "-S")
    district.record("cy", "2013-10-22", "08:00", "09:30", campus="wheatley-hs")
    district.push("cy", "unsigned")
    # the start-up commits were unsigned too: sign a fresh history for ana so every commit is hers
    work = district.work("ana")
    git(work, "checkout", "-q", "--orphan", "signed")
    git(work, "commit", "-q", "-S", "--no-verify", "-m", "all signed")
    git(work, "push", "-q", "--force", "origin", "signed:main")
    result = district.collect(tmp_path / "cache", require_signed=True)
    assert by_leader(result)["ana"].state == "ok" and by_leader(result)["ana"].accepted == 1
    for leader in ("ben", "cy"):
        assert by_leader(result)[leader].state == "quarantined"
        assert "unsigned-commit" in codes(result, leader)
        assert by_leader(result)[leader].accepted == 0
        mirror = tmp_path / "cache" / "mirrors" / f"{leader}.git"
        assert git(mirror, "for-each-ref", "refs/ledger-tt/quarantine/").strip()
    # the next run does not let the quarantined commits through because they were fetched before
    again = district.collect(tmp_path / "cache", as_of=AFTER_P2 + dt.timedelta(hours=1), require_signed=True)
    assert by_leader(again)["ben"].state == "quarantined" and by_leader(again)["ben"].accepted == 0
    assert by_leader(again)["ana"].accepted == 1


def test_the_demo_builds_remotes_and_collects_the_sample_district(tmp_path, cli):
    sample_records = len(list(SAMPLE_LEDGERS.glob("*/activities/*/*.yaml")))
    result = cli("collect", "--demo", "--cache", str(tmp_path / "demo"))
    assert result.exit_code == 0, result.output
    # every sample record, plus the demo's one hand-edited mistake
    assert f"{sample_records + 1} records read: {sample_records} accepted, 1 refused" in result.stdout
    assert "not-on-roster: 'Smith, John' is not on the Lamar High School roster" in result.stdout
    rows = list(csv.DictReader((tmp_path / "demo" / "dataset" / "records.csv").open()))
    assert len(rows) == sample_records
    assert any(r["late"] == "True" for r in rows) and any(r["late"] == "False" for r in rows)
    status = {r["leader"]: r for r in csv.DictReader((tmp_path / "demo" / "dataset" / "leaders.csv").open())}
    assert status["emorales"]["records"] == "0"


def test_the_demo_refuses_to_wipe_a_folder_it_did_not_make(tmp_path, cli):
    (tmp_path / "precious.txt").write_text("keep me")
    result = cli("collect", "--demo", "--cache", str(tmp_path))
    assert result.exit_code == 2 and (tmp_path / "precious.txt").exists()


def test_a_ledger_copied_into_another_leaders_remote_is_refused(district, tmp_path):
    for day in range(21, 26):
        for start in ("08:00", "10:00"):
            relpath = district.record("ana", f"2013-10-{day}", start, start[:2] + ":45")
            district.write("ben", relpath, (district.work("ana") / relpath).read_text())
    district.push("ana")
    district.push("ben")
    result = district.collect(tmp_path / "cache")
    assert by_leader(result)["ana"].accepted == 10
    ben = by_leader(result)["ben"]
    assert ben.accepted == 0 and ben.refused == 10
    assert [p.code for _leader, p in result.cross_problems] == ["copied-ledger"]
    assert_counts_add_up(result)


def test_a_remote_that_never_answers_is_cut_off_at_the_timeout(district, tmp_path):
    import socket
    import threading
    import time

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    held = []
    threading.Thread(target=lambda: held.append(server.accept()), daemon=True).start()  # accepts, then says nothing
    district.remotes["ben"] = f"https://127.0.0.1:{server.getsockname()[1]}/ben.git"
    district.write_leaders()
    started = time.monotonic()
    result = district.collect(tmp_path / "cache", timeout=3)
    elapsed = time.monotonic() - started
    server.close()
    ben = by_leader(result)["ben"]
    assert ben.state == "unreachable" and "no answer within 3 s" in ben.error
    assert elapsed < 20
    assert by_leader(result)["ana"].state == "ok"
