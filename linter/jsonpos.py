"""A small JSON parser that remembers where every value starts.

The standard ``json`` module gives no positions, and findings about a manifest must point at the
entry they are about. Errors name the usual hand-editing mistakes (comments, trailing commas,
single quotes) instead of the generic "Expecting value".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Path = tuple  # a tuple of keys and indexes from the root, e.g. ("permissions", 0, "permission")


class JsonError(ValueError):
    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


@dataclass
class ParsedJson:
    value: Any
    positions: dict[Path, tuple[int, int]]  # path -> (line, column) where that value starts
    duplicates: list[tuple[str, tuple[int, int]]]  # repeated keys (dotted path, position of the repeat)
    # path -> (line, column) of the key that names the value at path (object members only), so a
    # finding about a key (unknown, or holding a wrong value) points at the key itself.
    key_positions: dict[Path, tuple[int, int]] = field(default_factory=dict)
    # path -> (start, end) character offsets of the value, for edits that keep every other byte
    # (`--fix`); and path -> offset of the key's opening quote, for object members.
    spans: dict[Path, tuple[int, int]] = field(default_factory=dict)
    key_offsets: dict[Path, int] = field(default_factory=dict)


# Manifests are a few levels deep; this bound keeps the recursive parser far from Python's limit.
MAX_DEPTH = 64

_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_WS = " \t\r\n\ufeff"


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.positions: dict[Path, tuple[int, int]] = {}
        self.duplicates: list[tuple[str, tuple[int, int]]] = []  # (key, where the repeat starts)
        self.key_positions: dict[Path, tuple[int, int]] = {}
        self.spans: dict[Path, tuple[int, int]] = {}
        self.key_offsets: dict[Path, int] = {}
        # Line starts, so an offset turns into a line and column in O(log n).
        self.line_starts = [0] + [n + 1 for n, ch in enumerate(text) if ch == "\n"]

    def where(self, offset: int) -> tuple[int, int]:
        import bisect

        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def fail(self, message: str, offset: int | None = None) -> JsonError:
        line, column = self.where(self.i if offset is None else offset)
        return JsonError(message, line, column)

    def skip_ws(self) -> None:
        text, n = self.text, len(self.text)
        while self.i < n:
            ch = text[self.i]
            if ch in _WS:
                self.i += 1
            elif text.startswith("//", self.i) or text.startswith("/*", self.i):
                raise self.fail("comments are not allowed in JSON")
            else:
                return

    def peek(self) -> str:
        return self.text[self.i] if self.i < len(self.text) else ""

    def value(self, path: Path) -> Any:
        self.skip_ws()
        start = self.i
        found = self._value(path)
        self.spans[path] = (start, self.i)
        return found

    def _value(self, path: Path) -> Any:
        self.positions[path] = self.where(self.i)
        ch = self.peek()
        if ch and ch in "{[" and len(path) >= MAX_DEPTH:
            raise self.fail(f"nested more than {MAX_DEPTH} levels deep")
        if ch == "{":
            return self.obj(path)
        if ch == "[":
            return self.array(path)
        if ch == '"':
            return self.string()
        if ch == "'":
            raise self.fail("strings must use double quotes")
        if ch == "":
            raise self.fail("unexpected end of file")
        for word, val in (("true", True), ("false", False), ("null", None)):
            if self.text.startswith(word, self.i):
                self.i += len(word)
                return val
        return self.number()

    def obj(self, path: Path) -> dict:
        self.i += 1
        out: dict = {}
        self.skip_ws()
        if self.peek() == "}":
            self.i += 1
            return out
        while True:
            self.skip_ws()
            if self.peek() == "}":
                raise self.fail("trailing comma before `}`")
            if self.peek() != '"':
                raise self.fail("expected a property name in double quotes")
            key_at = self.i
            key = self.string()
            self.skip_ws()
            if self.peek() != ":":
                raise self.fail("expected `:` after a property name")
            self.i += 1
            if key in out:
                # JSON parsers (Stripe's CLI among them) keep the last one silently; say so.
                self.duplicates.append((".".join(str(p) for p in path + (key,)), self.where(key_at)))
            self.key_positions[path + (key,)] = self.where(key_at)
            self.key_offsets[path + (key,)] = key_at
            out[key] = self.value(path + (key,))
            self.skip_ws()
            ch = self.peek()
            self.i += 1
            if ch == "}":
                return out
            if ch != ",":
                raise self.fail("expected `,` or `}` in an object", self.i - 1)

    def array(self, path: Path) -> list:
        self.i += 1
        out: list = []
        self.skip_ws()
        if self.peek() == "]":
            self.i += 1
            return out
        while True:
            self.skip_ws()
            if self.peek() == "]":
                raise self.fail("trailing comma before `]`")
            out.append(self.value(path + (len(out),)))
            self.skip_ws()
            ch = self.peek()
            self.i += 1
            if ch == "]":
                return out
            if ch != ",":
                raise self.fail("expected `,` or `]` in an array", self.i - 1)

    def string(self) -> str:
        start = self.i
        self.i += 1
        parts: list[str] = []
        text = self.text
        while True:
            j = self.i
            while j < len(text) and text[j] not in '"\\\n':
                j += 1
            parts.append(text[self.i : j])
            self.i = j
            if j >= len(text) or text[j] == "\n":
                raise self.fail("unterminated string", start)
            if text[j] == '"':
                self.i += 1
                return "".join(parts)
            esc = text[j + 1 : j + 2]
            if esc == "u" and len(text) >= j + 6:
                try:
                    parts.append(chr(int(text[j + 2 : j + 6], 16)))
                except ValueError:
                    raise self.fail("invalid \\u escape", j) from None
                self.i = j + 6
            elif esc in _ESCAPES:
                parts.append(_ESCAPES[esc])
                self.i = j + 2
            else:
                raise self.fail("invalid escape in string", j)

    def number(self) -> int | float:
        import re

        m = re.compile(r"-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?").match(self.text, self.i)
        if not m or m.end() == self.i:
            raise self.fail(f"unexpected character `{self.peek()}`")
        self.i = m.end()
        token = m.group(0)
        return float(token) if (m.group(2) or m.group(3)) else int(token)


def parse_json(text: str) -> ParsedJson:
    """Parse ``text``; raise ``JsonError`` with a 1-based line and column on bad input."""
    parser = _Parser(text)
    value = parser.value(())
    parser.skip_ws()
    if parser.i < len(text):
        raise parser.fail("unexpected content after the top-level value")
    return ParsedJson(value, parser.positions, parser.duplicates, parser.key_positions, parser.spans,
                      parser.key_offsets)
