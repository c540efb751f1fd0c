"""Shared fixtures: real ledgers (git repositories) in temporary directories, a fixed clock."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from ledger_tt.cli import main
from ledger_tt.paths import LEDGERS_DIR

PROGRAM_2013 = LEDGERS_DIR / "career-pathways-2013-14"
SAMPLE_LEDGERS = PROGRAM_2013 / "ledgers"
TODAY = "2014-03-31"  # the day after the 2013-14 window closed: every sample record is in the past


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path_factory, monkeypatch):
    """No test reads or writes the real user's settings; the clock is fixed."""
    monkeypatch.setenv("LEDGER_TT_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
    monkeypatch.setenv("LEDGER_TT_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.setenv("LEDGER_TT_TODAY", TODAY)
    monkeypatch.delenv("LEDGER_TT_LEDGER", raising=False)


@pytest.fixture
def cli(monkeypatch):
    """Run `ledger-tt ARGS` in-process (optionally from a directory); returns the click Result."""
    runner = CliRunner()

    def run(*args: str, cwd: Path | None = None):
        if cwd is not None:
            monkeypatch.chdir(cwd)
        return runner.invoke(main, list(args), catch_exceptions=False)

    return run


@pytest.fixture
def ledger(tmp_path, cli) -> Path:
    """A fresh ledger for sample leader agarcia (Lamar HS) on the 2013-14 program."""
    root = tmp_path / "agarcia"
    result = cli("init", str(root), "--program", "career-pathways-2013-14", "--leader", "agarcia")
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def sample_copy(tmp_path) -> Path:
    """A copy of the sample ledger of agarcia (plain files, not a git repository)."""
    target = tmp_path / "agarcia"
    shutil.copytree(SAMPLE_LEDGERS / "agarcia", target)
    return target


def git_log(root: Path) -> list[str]:
    out = subprocess.run(["git", "-C", str(root), "log", "--format=%s"], capture_output=True, text=True, check=True)
    return out.stdout.splitlines()


def git_status(root: Path) -> str:
    return subprocess.run(["git", "-C", str(root), "status", "--porcelain"], capture_output=True, text=True, check=True).stdout


def write(root: Path, relpath: str, text: str) -> Path:
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path
