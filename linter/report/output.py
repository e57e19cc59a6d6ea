"""Writing a report to a file: all of it or nothing, never a half-written file that a CI step
would upload (a run stopped mid-write, a full disk)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class OutputError(Exception):
    """The report file cannot be written; the message is one line for the user."""


def check_writable(path: Path) -> None:
    """Fail before linting, not after, when the file obviously cannot be written."""
    if path.is_dir():
        raise OutputError(f"cannot write {path}: it is a folder")
    parent = path.parent
    if not parent.is_dir():
        raise OutputError(f"cannot write {path}: folder {parent} does not exist")


def write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file beside ``path``, then rename it over ``path`` in one step.

    A symbolic link is followed (the file it names is replaced, the link stays). Something that
    is not a regular file (`/dev/null`, a named pipe), or is the file our own stdout or stderr
    writes to (`--output /dev/stderr` with `2>log`), is written in place: renaming over it would
    replace the device or pipe itself, or cut the stream off from its file.
    """
    check_writable(path)
    if path.exists() and (not path.is_file() or _is_own_stream(path)):
        _write_in_place(path, text)
        return
    if path.is_symlink():
        path = path.resolve()
    try:
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors="replace", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file private (0600); give it the mode a plain open() would have.
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _write_in_place(path: Path, text: str) -> None:
    try:
        with open(path, "w", encoding="utf-8", errors="replace", newline="\n") as handle:
            handle.write(text)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None


def _is_own_stream(path: Path) -> bool:
    target = path.stat()
    for fd in (1, 2):
        try:
            stream = os.fstat(fd)
        except OSError:  # closed
            continue
        if (stream.st_dev, stream.st_ino) == (target.st_dev, target.st_ino):
            return True
    return False


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
