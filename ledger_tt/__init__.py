"""ledger-tt: teacher-leader time tracking in plain-text, git-backed ledgers."""

__version__ = "0.1.0"
