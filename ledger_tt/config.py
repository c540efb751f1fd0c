"""The user's settings: which ledger the app opens. One small YAML file in the config dir."""

from __future__ import annotations

import os
from pathlib import Path

from . import yamlio
from .paths import config_dir

LEDGER_ENV = "LEDGER_TT_LEDGER"


def config_file() -> Path:
    return config_dir() / "config.yaml"


def load() -> dict:
    loaded = yamlio.load_file(config_file())
    return loaded.value if isinstance(loaded.value, dict) and not loaded.problems else {}


def remembered_ledger() -> Path | None:
    value = load().get("ledger")
    return Path(value) if isinstance(value, str) and value else None


def remember_ledger(path: Path) -> None:
    settings = load()
    settings["ledger"] = str(Path(path).resolve())
    yamlio.atomic_write(config_file(), yamlio.dump_mapping(settings))


def configured_ledger(option: str | Path | None, cwd: Path | None = None) -> Path | None:
    """--ledger, then $LEDGER_TT_LEDGER, then a ledger holding the current directory, then the remembered one."""
    from .ledger import find_ledger_root

    if option:
        return Path(option)
    if os.environ.get(LEDGER_ENV):
        return Path(os.environ[LEDGER_ENV])
    here = find_ledger_root(cwd or Path.cwd())
    return here or remembered_ledger()
