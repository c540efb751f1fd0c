"""Remote URLs are data from outside: checked before git ever sees them."""

from __future__ import annotations

import re
from pathlib import Path

_SCP = re.compile(r"^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[A-Za-z0-9._~/-]+$")  # git@host:group/repo.git
_SAFE_CHARS = re.compile(r"^[A-Za-z0-9._~:/@%+=,-]+$")


class UnsafeURL(ValueError):
    pass


def check_url(url: str, allow_local: bool = False, base: Path | None = None) -> str:
    """The URL git may fetch from, or UnsafeURL saying why not.

    Allowed: https://, ssh://, scp-like user@host:path; local paths and file:// only with
    allow_local. Refused: anything starting with '-', transport helpers (ext::, fd::, any
    'x::'), other schemes (git://, http://), shell or environment syntax, whitespace."""
    if not isinstance(url, str) or not url:
        raise UnsafeURL("no remote URL")
    if url.startswith("-"):
        raise UnsafeURL(f"'{url}' starts with '-' and would be read as a git option")
    if "::" in url:
        raise UnsafeURL(f"'{url}' uses a transport helper ('::'), which can run programs")
    if not _SAFE_CHARS.match(url):
        raise UnsafeURL(f"'{url}' holds characters not allowed in a remote URL (spaces, $, `, quotes, ...)")
    lower = url.lower()
    if lower.startswith(("https://", "ssh://")):
        host = url.split("://", 1)[1].split("/", 1)[0]
        if not host or host.startswith("-") or "@-" in host:
            raise UnsafeURL(f"'{url}' has no valid host")
        return url
    if _SCP.match(url) and not url.split("@", 1)[1].startswith("-"):
        return url
    if lower.startswith("file://") or "://" not in url:
        if not allow_local:
            raise UnsafeURL(f"'{url}' is a local path; local remotes need --allow-local")
        path = Path(url[7:] if lower.startswith("file://") else url)
        if not path.is_absolute() and base is not None:
            path = base / path
        return str(path.resolve())
    raise UnsafeURL(f"'{url}': only https://, ssh:// and user@host:path remotes are allowed")
