"""The pre-commit hook that `init` installs refuses invalid staged records."""

from __future__ import annotations

import subprocess

from .conftest import git_log, write


def git(root, *args):
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)


def test_hook_refuses_a_commit_with_an_invalid_record_and_prints_its_location(ledger):
    write(ledger, "activities/2013-11/a.yaml", 'date: 2013-11-04\nstart: "09:00"\nend: "08:00"\ncampus: lamar-hs\nactivity: planning\nwith: self\n')
    git(ledger, "add", "-A")
    result = git(ledger, "commit", "-m", "by hand")
    assert result.returncode != 0
    assert "activities/2013-11/a.yaml:3:6: error[end-before-start]" in result.stdout + result.stderr
    assert len(git_log(ledger)) == 1


def test_hook_checks_the_staged_version_not_the_working_file(ledger):
    path = write(ledger, "activities/2013-11/a.yaml", 'date: 2013-11-04\nstart: "08:00"\nend: "09:00"\ncampus: lamar-hs\nactivity: planning\nwith: self\n')
    git(ledger, "add", "-A")
    path.write_text("broken: [\n")  # not staged
    result = git(ledger, "commit", "-m", "by hand")
    assert result.returncode == 0, result.stdout + result.stderr
    assert git_log(ledger)[0] == "by hand"
