"""Where ledger-tt finds its data: the shipped schema and sample programs, and the user's config."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    """schema/ and ledgers/ sit beside the package in a checkout and inside it in a wheel."""
    for candidate in (_PACKAGE.parent / name, _PACKAGE / "_data" / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"ledger-tt's {name}/ directory is missing from the installation")


SCHEMA_DIR = _data_dir("schema")
LEDGERS_DIR = _data_dir("ledgers")

# The programs shipped in ledgers/: the faithful 2013-14 one, and one whose calendar
# follows the current school year so that anyone can log an activity for today.
BUILTIN_PROGRAMS = ("career-pathways-2013-14", "career-pathways-sample")
DEFAULT_PROGRAM = "career-pathways-sample"


def builtin_program_dirs() -> dict[str, Path]:
    return {name: LEDGERS_DIR / name for name in BUILTIN_PROGRAMS if (LEDGERS_DIR / name / "program.yaml").is_file()}


def config_dir() -> Path:
    """Per-user settings; LEDGER_TT_CONFIG_DIR overrides (tests use a temp dir)."""
    override = os.environ.get("LEDGER_TT_CONFIG_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_config_dir("ledger-tt", appauthor=False))


def data_dir() -> Path:
    override = os.environ.get("LEDGER_TT_DATA_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir("ledger-tt", appauthor=False))
