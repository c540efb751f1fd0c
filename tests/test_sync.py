"""The ledger as a safe, synced repository: two devices, refused and unreachable remotes,
kills at every step of a save, stale locks, two writers at once, a full or read-only disk."""

from __future__ import annotations

import http.server
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from ledger_tt.sync import sync

from .conftest import git_log, git_status, write

ENV_TODAY = "2014-03-28"


def run(*args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    """The installed command in its own process, no stdin (as a script or cron would run it)."""
    full_env = {**os.environ, "LEDGER_TT_TODAY": ENV_TODAY, **(env or {})}
    return subprocess.run([sys.executable, "-m", "ledger_tt", *args], cwd=cwd, env=full_env, capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, timeout=timeout)


def add(root: Path, start: str, end: str, activity: str = "planning", **env) -> subprocess.CompletedProcess:
    return run("add", "--ledger", str(root), "--start", start, "--end", end, "--activity", activity, "--with", "self", env=env)


@pytest.fixture
def devices(tmp_path):
    """A bare remote on disk, a laptop ledger pushed to it, and a second clone (the phone)."""
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(remote)], check=True)
    laptop, phone = tmp_path / "laptop", tmp_path / "phone"
    assert run("init", str(laptop), "--program", "career-pathways-2013-14", "--leader", "agarcia", "--remote", str(remote), "--no-remember").returncode == 0
    assert run("sync", "--ledger", str(laptop)).returncode == 0
    assert run("clone", str(remote), str(phone), "--no-remember").returncode == 0
    return remote, laptop, phone


def records(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "activities").rglob("*.yaml"))


def test_two_devices_logging_different_activities_merge_with_nothing_lost(devices):
    remote, laptop, phone = devices
    assert add(laptop, "8:00", "9:00").returncode == 0
    assert add(phone, "10:00", "11:00").returncode == 0
    for device in (laptop, phone, laptop):
        result = run("sync", "--ledger", str(device))
        assert result.returncode == 0, result.stdout + result.stderr
    assert records(laptop) == records(phone) == ["2014-03-28-0800.yaml", "2014-03-28-1000.yaml"]
    assert "Synced: everything is pushed." in result.stdout
    assert git_status(laptop) == git_status(phone) == ""


def test_the_same_record_changed_on_both_devices_is_not_merged_until_chosen(devices):
    remote, laptop, phone = devices
    assert add(laptop, "8:00", "9:00").returncode == 0
    run("sync", "--ledger", str(laptop))
    run("sync", "--ledger", str(phone))
    name = "activities/2014-03/2014-03-28-0800.yaml"
    write(laptop, name, (laptop / name).read_text().replace("09:00", "09:30"))
    write(phone, name, (phone / name).read_text().replace("09:00", "09:45"))
    assert run("sync", "--ledger", str(phone)).returncode == 0

    refused = run("sync", "--ledger", str(laptop))
    assert refused.returncode == 1
    assert f"conflict: {name} was changed on this device and on another" in refused.stderr
    assert 'end: "09:30"' in (laptop / name).read_text()  # mine is kept, committed, until a choice is made
    assert git_status(laptop) == ""

    chosen = run("sync", "--ledger", str(laptop), "--prefer", "theirs")
    assert chosen.returncode == 0, chosen.stderr
    assert 'end: "09:45"' in (laptop / name).read_text()
    assert git_log(laptop)[0] == f"Merge changes from another device; kept {name} (theirs)"
    run("sync", "--ledger", str(phone))
    assert (phone / name).read_text() == (laptop / name).read_text()


def test_an_overlap_created_by_a_merge_is_reported_like_any_other(devices):
    remote, laptop, phone = devices
    assert add(laptop, "8:00", "9:00").returncode == 0
    assert add(phone, "8:30", "9:30").returncode == 0
    run("sync", "--ledger", str(laptop))
    merged = run("sync", "--ledger", str(phone))
    assert merged.returncode == 1
    assert "error[overlap]" in merged.stdout
    check = run("check", str(phone))
    assert check.returncode == 1 and "error[overlap]: 2014-03-28 08:30-09:30 overlaps 08:00-09:00" in check.stdout


def test_a_remote_that_refuses_pushes_keeps_records_committed_and_the_next_sync_sends_them(devices):
    remote, laptop, phone = devices
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'pushes are closed for maintenance' >&2\nexit 1\n")
    hook.chmod(0o755)
    assert add(laptop, "8:00", "9:00").returncode == 0
    refused = run("sync", "--ledger", str(laptop))
    assert refused.returncode == 1
    assert "Not synced:" in refused.stdout and "1 commit(s) are safe in your ledger" in refused.stdout
    status = run("status", "--ledger", str(laptop))
    assert "1 commit(s) not pushed" in status.stdout
    hook.unlink()
    assert run("sync", "--ledger", str(laptop)).returncode == 0
    assert "Everything is pushed" in run("status", "--ledger", str(laptop)).stdout
    shown = subprocess.run(["git", "-C", str(remote), "log", "--format=%s", "main"], capture_output=True, text=True).stdout
    assert shown.startswith("Log 2014-03-28 08:00-09:00 planning")


class _AskForPassword(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the stdlib's name
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="ledgers"')
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.mark.parametrize("kind", ["asks-for-password", "nothing-listens", "ssh"])
def test_an_unreachable_or_password_protected_remote_fails_fast_without_a_prompt(cli, tmp_path, kind):
    server = None
    if kind == "asks-for-password":
        server = http.server.HTTPServer(("127.0.0.1", 0), _AskForPassword)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_port}/agarcia.git"
    elif kind == "nothing-listens":
        url = "http://127.0.0.1:9/agarcia.git"
    else:
        url = "ssh://git@127.0.0.1:9/agarcia.git"
    root = tmp_path / "ledger"
    assert run("init", str(root), "--program", "career-pathways-2013-14", "--leader", "agarcia", "--remote", url, "--no-remember").returncode == 0
    assert add(root, "8:00", "9:00").returncode == 0
    started = time.monotonic()
    result = run("sync", "--ledger", str(root), timeout=40)
    elapsed = time.monotonic() - started
    if server:
        server.shutdown()
    assert result.returncode == 1
    assert "Not synced:" in result.stdout
    assert elapsed < 35  # a prompt would wait for the subprocess timeout
    assert git_log(root)[0].startswith("Log 2014-03-28 08:00-09:00")


def test_a_dangerous_remote_url_is_refused(cli, ledger):
    for url in ("ext::sh -c touch% /tmp/pwned", "--upload-pack=touch /tmp/pwned", "https://x/$HOME"):
        result = cli("remote", url, "--ledger", str(ledger))
        assert result.exit_code == 2, url


@pytest.mark.parametrize("step", ["write", "rename", "add", "commit"])
def test_a_kill_at_each_step_of_a_save_leaves_the_old_or_the_new_state(cli, tmp_path, step):
    root = tmp_path / "ledger"
    assert run("init", str(root), "--program", "career-pathways-2013-14", "--leader", "agarcia", "--no-remember").returncode == 0
    killed = add(root, "8:00", "9:00", LEDGER_TT_CRASH_AT=step)
    assert killed.returncode == 137
    path = root / "activities/2014-03/2014-03-28-0800.yaml"
    if path.exists():  # never a half file
        assert path.read_text().endswith("with: self\n")
    # the next start finishes or rolls back: here, `sync` (the app does the same when it opens)
    after = run("sync", "--ledger", str(root))
    if step == "write":
        assert "Removed an unfinished write" in after.stdout
    assert run("check", str(root)).returncode == 0
    assert git_status(root) == ""
    assert subprocess.run(["git", "-C", str(root), "fsck", "--no-progress"], capture_output=True).returncode == 0
    committed = any(line.startswith("Log 2014-03-28 08:00-09:00") or "changed outside the app" in line for line in git_log(root))
    if step == "write":
        assert not path.exists() and not committed  # the old state
    else:
        assert path.exists() and committed  # the new state


def test_a_stale_index_lock_from_a_crashed_git_is_removed_not_fatal(ledger):
    lock = ledger / ".git/index.lock"
    lock.write_text("")
    old = time.time() - 3600
    os.utime(lock, (old, old))
    result = add(ledger, "8:00", "9:00")
    assert result.returncode == 0, result.stderr
    assert "Removed a stale index.lock" in result.stderr
    assert not lock.exists()


def test_two_processes_saving_at_once_both_land_and_the_ledger_stays_consistent(ledger):
    procs = [
        subprocess.Popen([sys.executable, "-m", "ledger_tt", "add", "--ledger", str(ledger), "--start", f"{h}:00", "--end", f"{h}:30",
                          "--activity", "planning", "--with", "self"], env={**os.environ, "LEDGER_TT_TODAY": ENV_TODAY},
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for h in (8, 9, 10, 11)
    ]
    outcomes = [p.wait(timeout=60) for p in procs]
    assert outcomes == [0, 0, 0, 0], [p.stderr.read() for p in procs]
    assert len(records(ledger)) == 4
    assert len(git_log(ledger)) == 5
    assert git_status(ledger) == ""


def test_two_processes_taking_the_same_slot_do_not_both_win(ledger):
    procs = [
        subprocess.Popen([sys.executable, "-m", "ledger_tt", "add", "--ledger", str(ledger), "--start", "8:00", "--end", "8:30",
                          "--activity", activity, "--with", "self"], env={**os.environ, "LEDGER_TT_TODAY": ENV_TODAY},
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for activity in ("planning", "administrative")
    ]
    outcomes = sorted(p.wait(timeout=60) for p in procs)
    assert outcomes == [0, 1]
    assert len(records(ledger)) == 1
    assert run("check", str(ledger)).returncode == 0


def test_files_edited_outside_the_app_are_committed_only_when_they_pass(ledger):
    write(ledger, "activities/2014-03/good.yaml", 'date: 2014-03-03\nstart: "8:00"\nend: "9:00"\ncampus: lamar-hs\nactivity: planning\nwith: self\n')
    write(ledger, "activities/2014-03/bad.yaml", 'date: 2014-03-03\nstart: "10:00"\nend: "9:00"\ncampus: lamar-hs\nactivity: planning\nwith: self\n')
    report = sync(ledger)
    assert report.committed == ["activities/2014-03/good.yaml"]
    assert report.held_back == ["activities/2014-03/bad.yaml"]
    assert "?? activities/2014-03/bad.yaml" in git_status(ledger)
    assert "good.yaml" not in git_status(ledger)


def _mount_tmpfs(target: Path, options: str) -> bool:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    target.mkdir(parents=True, exist_ok=True)
    return subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)], capture_output=True).returncode == 0


@pytest.mark.parametrize("trouble", ["full", "read-only"])
def test_a_full_or_read_only_disk_gives_a_clear_error_and_keeps_the_ledger_intact(tmp_path, trouble):
    mount = tmp_path / "disk"
    if not _mount_tmpfs(mount, "size=2m"):
        pytest.skip("mounting a small tmpfs needs root and a kernel that allows it")
    try:
        root = mount / "ledger"
        assert run("init", str(root), "--program", "career-pathways-2013-14", "--leader", "agarcia", "--no-remember").returncode == 0
        if trouble == "full":
            with open(mount / "filler", "wb") as filler:
                try:
                    while True:
                        filler.write(b"\0" * 65536)
                except OSError:
                    pass
            expected = "No space left on device"
        else:
            subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
            expected = "Read-only file system"
        result = add(root, "8:00", "9:00")
        assert result.returncode == 1
        assert "the record could not be saved" in result.stderr and expected in result.stderr
        assert not list((root / "activities").rglob("*.yaml"))
        assert len(git_log(root)) == 1
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)
