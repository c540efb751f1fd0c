"""Fault injection for the crash tests: LEDGER_TT_CRASH_AT=<step> kills the process there.

The steps of a save, in order: write (temp file written, not yet renamed), rename (the
record file in place, not yet staged), add (staged, not yet committed), commit (committed).
The tests kill a real `ledger-tt add` at each step and check what the next start makes of it.
Unset (always, outside those tests) this costs one dictionary look-up.
"""

from __future__ import annotations

import os


def crash_point(step: str) -> None:
    if os.environ.get("LEDGER_TT_CRASH_AT") == step:
        os._exit(137)  # as SIGKILL would: no cleanup, no flush
