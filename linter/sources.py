"""Read one source file defensively: size limit, binary detection, encoding fallback."""

from __future__ import annotations

import stat
from dataclasses import dataclass
from pathlib import Path

# Generated bundles can be huge and hold no app code worth reading; real sources are far smaller.
MAX_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class SourceText:
    text: str | None  # None when the file was skipped
    problem: str | None = None  # why it was skipped, or what was odd about it


def read_source(path: Path) -> SourceText:
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a named pipe would block the read forever
            return SourceText(None, "skipped: not a regular file")
        if info.st_size > MAX_BYTES:
            return SourceText(None, f"skipped: larger than {MAX_BYTES // (1024 * 1024)} MiB")
        data = path.read_bytes()
    except OSError as exc:
        return SourceText(None, f"cannot read: {exc.strerror or exc}")
    if b"\0" in data[:8192]:
        return SourceText(None, "skipped: binary content (NUL bytes)")
    try:
        return SourceText(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        # Stripe calls are ASCII, so Latin-1 (which never fails) still finds them.
        text = data.decode("latin-1")
        return SourceText(text, f"not valid UTF-8 (byte {exc.start}); read as Latin-1")
