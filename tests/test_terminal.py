"""The installed `ledger-tt` in a real terminal (tmux): log an activity by keys alone."""

from __future__ import annotations

import shutil
import subprocess
import time

import pytest

from .conftest import git_log

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)")


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", "-L", "ledger-tt-test", *args], capture_output=True, text=True, check=True).stdout


def wait_for(predicate, what: str, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}; the screen shows:\n{tmux('capture-pane', '-p', '-t', 'app')}")


def keys(*sequence: str) -> None:
    for key in sequence:  # one at a time, as a person types
        tmux("send-keys", "-t", "app", key)
        time.sleep(0.15)


def test_log_an_activity_by_keys_alone_in_a_real_terminal(cli, tmp_path):
    root = tmp_path / "agarcia"
    assert cli("init", str(root), "--program", "career-pathways-2013-14", "--leader", "agarcia", "--no-remember").exit_code == 0
    env = {"LEDGER_TT_TODAY": "2014-03-28", "LEDGER_TT_CONFIG_DIR": str(tmp_path / "config"), "TERM": "xterm-256color"}
    command = " ".join(f"{k}={v}" for k, v in env.items()) + f" {shutil.which('ledger-tt')} --ledger {root}"
    tmux("new-session", "-d", "-s", "app", "-x", "80", "-y", "24", command)
    try:
        wait_for(lambda: "Log an activity" in tmux("capture-pane", "-p", "-t", "app"), "the form")
        wait_for(lambda: "Period 10: 2 days to deadline Mar 30" in tmux("capture-pane", "-p", "-t", "app"), "the status line")
        keys("7", ":", "4", "5", "Tab", "8", ":", "3", "0", " ", "A", "M", "Tab")  # start, end
        keys("Enter", "Down", "Enter", "Tab")  # activity: 1 Teacher Coaching – Instructional Practice
        keys("Tab")  # task: left empty
        keys("Enter", "Down", "Enter", "Tab")  # with whom: an individual
        keys(*"patel", "Enter")  # roster search, take the first match
        keys("C-s")
        wait_for(lambda: "Activity saved" in tmux("capture-pane", "-p", "-t", "app"), "the confirmation")
        screen = tmux("capture-pane", "-p", "-t", "app")
        assert "activities/2014-03/2014-03-28-0745.yaml" in screen
        keys("C-q")
    finally:
        subprocess.run(["tmux", "-L", "ledger-tt-test", "kill-server"], capture_output=True)
    record = (root / "activities/2014-03/2014-03-28-0745.yaml").read_text()
    assert 'start: "07:45"\nend: "08:30"' in record and "activity: coaching-instruction" in record
    assert 'people: ["Patel, Ravi"]' in record
    assert git_log(root)[0] == "Log 2014-03-28 07:45-08:30 coaching-instruction at lamar-hs with Patel, Ravi"
