"""Read one source file defensively: size limit, binary detection, encoding fallback."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

# Generated bundles can be huge and hold no app code worth reading; real sources are far smaller.
MAX_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class SourceText:
    text: str | None  # None when the file was skipped
    problem: str | None = None  # why it was skipped, or what was odd about it


@dataclass(frozen=True)
class SourceBytes:
    data: bytes | None  # None when the file was skipped
    info: os.stat_result | None = None  # the status of the file the bytes were read from
    problem: str | None = None  # why it was skipped


def read_source(path: Path) -> SourceText:
    raw = read_source_bytes(path)
    return decode_source(raw.data) if raw.data is not None else SourceText(None, raw.problem)


def read_source_bytes(path: Path) -> SourceBytes:
    """The file's bytes and the status taken just before reading them (the facts cache keys on
    both: a change after the status was taken shows as a different status next time), or why it
    was skipped."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a named pipe would block the read forever
            return SourceBytes(None, info, "skipped: not a regular file")
        if info.st_size > MAX_BYTES:
            return SourceBytes(None, info, f"skipped: larger than {MAX_BYTES // (1024 * 1024)} MiB")
        return SourceBytes(path.read_bytes(), info)
    except OSError as exc:
        return SourceBytes(None, problem=f"cannot read: {exc.strerror or exc}")


def decode_source(data: bytes) -> SourceText:
    if b"\0" in data[:8192]:
        return SourceText(None, "skipped: binary content (NUL bytes)")
    try:
        return SourceText(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        # Stripe calls are ASCII, so Latin-1 (which never fails) still finds them.
        text = data.decode("latin-1")
        return SourceText(text, f"not valid UTF-8 (byte {exc.start}); read as Latin-1")
