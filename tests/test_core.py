"""The core stays headless: model, YAML, checks and the CLI's non-app commands never load textual."""

from __future__ import annotations

import subprocess
import sys


def test_core_modules_do_not_import_textual():
    code = (
        "import sys, ledger_tt.cli, ledger_tt.ledger, ledger_tt.checks, ledger_tt.saving, ledger_tt.entries;"
        "print('textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
