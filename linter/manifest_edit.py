"""Edit a manifest's permission list and keep every other byte: indentation (tabs, 2 or 4
spaces), key order, line endings, the final newline or its absence, keys the tool does not know,
and in YAML the comments and layout (`--fix`, `init`).

JSON is edited as text at the offsets ``jsonpos`` records: a new entry copies the shape of the
last one (one line or several, its spacing), a removed entry takes its separator with it. YAML is
edited through ruamel.yaml's round-trip loader, which keeps comments and the indentation it
detects.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass

from stripe_perm_lint.jsonpos import ParsedJson, parse_json
from stripe_perm_lint.manifest import PERMISSION_PATHS


@dataclass(frozen=True)
class PermissionEdit:
    add: tuple[tuple[str, str], ...] = ()  # (permission, purpose), appended in this order
    remove: frozenset[str] = frozenset()
    narrow: tuple[tuple[str, str], ...] = ()  # (declared write, the read that replaces it)

    def __bool__(self) -> bool:
        return bool(self.add or self.remove or self.narrow)


class EditError(Exception):
    """The manifest cannot be edited safely (it does not parse, or its list is not a list)."""


def edit_manifest(name: str, text: str, edit: PermissionEdit) -> str:
    if not edit:
        return text
    return edit_json(text, edit) if name.endswith(".json") else edit_yaml(text, edit)


# --- JSON -----------------------------------------------------------------------------------------

def edit_json(text: str, edit: PermissionEdit) -> str:
    try:
        parsed = parse_json(text)
    except ValueError as exc:
        raise EditError(f"the manifest does not parse: {exc}") from None
    if not isinstance(parsed.value, dict):
        raise EditError("the manifest is not a JSON object")
    newline = "\r\n" if "\r\n" in text else "\n"
    path = next((p for p in PERMISSION_PATHS if _dig(parsed.value, p) is not None), ("permissions",))
    entries = _dig(parsed.value, path)
    if entries is not None and not isinstance(entries, list):
        raise EditError(f"`{'.'.join(path)}` is not a list")
    changes: list[tuple[int, int, str]] = []  # (start, end, replacement), applied back to front
    entries = entries or []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            continue
        name = entry.get("permission")
        narrowed = dict(edit.narrow).get(name)
        if narrowed and path + (index, "permission") in parsed.spans:
            start, end = parsed.spans[path + (index, "permission")]
            changes.append((start, end, json.dumps(narrowed)))
    kept = [i for i, e in enumerate(entries) if not (isinstance(e, dict) and e.get("permission") in edit.remove)]
    if kept or not edit.add:  # else the new list replaces the whole old one
        changes += _removals(text, parsed, path, len(entries), kept)
    if edit.add:
        changes.append(_addition(text, parsed, path, entries, kept, edit.add, newline))
    for start, end, replacement in sorted(changes, key=lambda c: (c[0], c[1]), reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _removals(text: str, parsed: ParsedJson, path: tuple, count: int, kept: list[int]) -> list[tuple[int, int, str]]:
    """Each removed entry goes with the separator before it (after it, for the first kept one)."""
    if len(kept) == count:
        return []
    array_start, array_end = parsed.spans[path]
    if not kept:  # nothing left: an empty list, its brackets where they were
        return [(array_start, array_end, "[]")]
    spans = [parsed.spans[path + (i,)] for i in range(count)]
    out = []
    for i in range(count):
        if i in kept:
            continue
        previous = max((j for j in kept if j < i), default=None)
        if previous is not None:  # `, <entry>` from the end of the kept entry before it
            out.append((spans[i - 1][1] if i - 1 >= 0 else spans[previous][1], spans[i][1], ""))
        else:  # a leading entry: up to the start of the next entry
            out.append((spans[i][0], spans[i + 1][0], ""))
    return _merge(out)


def _merge(ranges: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    ranges.sort()
    merged: list[list] = []
    for start, end, rep in ranges:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end, rep])
    return [tuple(r) for r in merged]


def _addition(text: str, parsed: ParsedJson, path: tuple, entries: list, kept: list[int],
              add: tuple[tuple[str, str], ...], newline: str) -> tuple[int, int, str]:
    unit = _indent_unit(text, parsed)
    if path not in parsed.spans:  # no list yet: a new last member of the object that holds it
        holder = path[:-1]
        start, end = parsed.spans[holder]
        members = [k for k in parsed.key_offsets if k[:-1] == holder and len(k) == len(holder) + 1]
        indent = _line_indent(text, parsed.key_offsets[members[-1]]) if members else _line_indent(text, start) + unit
        one_line = "\n" not in text
        body = _new_list(add, indent, unit, newline, one_line)
        member = f'{json.dumps(path[-1])}: {body}'
        if members:
            last_end = parsed.spans[members[-1]][1]
            return (last_end, last_end, f", {member}" if one_line else f",{newline}{indent}{member}")
        close = end - 1
        return (close, close, f"{newline}{indent}{member}{newline}{_line_indent(text, start)}")
    array_start, array_end = parsed.spans[path]
    if not kept:  # an empty list (or one emptied by this edit): entries in the file's own style
        indent = _line_indent(text, array_start)
        return (array_start, array_end, _new_list(add, indent, unit, newline, "\n" not in text))
    last = kept[-1]
    template = entries[last] if isinstance(entries[last], dict) else None
    start, end = parsed.spans[path + (last,)]
    first_start = parsed.spans[path + (kept[0],)][0]
    gap = text[array_start + 1:first_start]
    separator = "," + (gap[gap.rfind("\n"):] if "\n" in gap else " ")
    separator = separator.replace("\r", "").replace("\n", newline)
    pieces = [separator + _like(text, parsed, path + (last,), template, name, purpose, unit, newline, start)
              for name, purpose in add]
    return (end, end, "".join(pieces))


def _like(text: str, parsed: ParsedJson, at: tuple, template, name: str, purpose: str, unit: str,
          newline: str, start: int) -> str:
    """A new entry shaped like the entry at ``at``: its text with the two values replaced, when it
    holds exactly `permission` and `purpose` strings; else a fresh entry in the file's style."""
    if isinstance(template, dict) and set(template) == {"permission", "purpose"} \
            and all(isinstance(v, str) for v in template.values()):
        end = parsed.spans[at][1]
        own = text[start:end]
        values = sorted(((parsed.spans[at + (key,)], value) for key, value in
                         (("permission", name), ("purpose", purpose))), reverse=True)
        for (s, e), value in values:
            own = own[:s - start] + json.dumps(value, ensure_ascii=False) + own[e - start:]
        return own
    return _entry(name, purpose, _line_indent(text, start), unit, newline)


def _new_list(add, indent: str, unit: str, newline: str, one_line: bool = False) -> str:
    if one_line:  # a manifest written on one line stays on one line
        entries = ", ".join(json.dumps({"permission": n, "purpose": p}, ensure_ascii=False) for n, p in add)
        return f"[{entries}]"
    inner = indent + unit
    entries = f",{newline}".join(inner + _entry(n, p, inner, unit, newline) for n, p in add)
    return f"[{newline}{entries}{newline}{indent}]"


def _entry(name: str, purpose: str, indent: str, unit: str, newline: str) -> str:
    key = indent + unit
    return (f"{{{newline}{key}\"permission\": {json.dumps(name)},{newline}"
            f"{key}\"purpose\": {json.dumps(purpose, ensure_ascii=False)}{newline}{indent}}}")


def _line_indent(text: str, offset: int) -> str:
    line_start = text.rfind("\n", 0, offset) + 1
    head = text[line_start:offset]
    return head[: len(head) - len(head.lstrip(" \t"))]


def _indent_unit(text: str, parsed: ParsedJson) -> str:
    """The file's indentation step: that of the root object's first key (two spaces if none)."""
    top = [k for k in parsed.key_offsets if len(k) == 1]
    if top:
        indent = _line_indent(text, parsed.key_offsets[top[0]])
        if indent:
            return indent
    return "  "


def _dig(value, path: tuple):
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


# --- YAML -----------------------------------------------------------------------------------------

def edit_yaml(text: str, edit: PermissionEdit) -> str:
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.util import load_yaml_guess_indent

    yaml = YAML()
    yaml.preserve_quotes = True
    try:
        _, indent, block_seq_indent = load_yaml_guess_indent(text)
        data = yaml.load(text)
    except YAMLError as exc:
        raise EditError(f"the manifest does not parse: {exc}") from None
    if not isinstance(data, dict):
        raise EditError("the manifest is not a YAML mapping")
    path = next((p for p in PERMISSION_PATHS if _dig(data, p) is not None), PERMISSION_PATHS[0])
    entries = _dig(data, path)
    if entries is None:
        holder = data
        for key in path[:-1]:
            holder = holder.setdefault(key, CommentedMap())
        entries = holder[path[-1]] = CommentedSeq()
    if not isinstance(entries, list):
        raise EditError(f"`{'.'.join(path)}` is not a list")
    narrow = dict(edit.narrow)
    for entry in entries:
        if isinstance(entry, dict) and entry.get("permission") in narrow:
            entry["permission"] = narrow[entry["permission"]]
    for index in reversed(range(len(entries))):
        if isinstance(entries[index], dict) and entries[index].get("permission") in edit.remove:
            _keep_trailing_comments(entries, index)
            del entries[index]
    for name, purpose in edit.add:
        entries.append(CommentedMap([("permission", name), ("purpose", purpose)]))
    yaml.width = 4096  # never fold a long purpose onto a second line
    yaml.indent(mapping=_mapping_indent(text), sequence=indent or 2, offset=block_seq_indent or 0)
    out = io.StringIO()
    yaml.dump(data, out)
    result = out.getvalue()
    if "\r\n" in text:
        result = result.replace("\r\n", "\n").replace("\n", "\r\n")
    if not text.endswith(("\n", "\r")):
        result = result.rstrip("\r\n")
    return result


def _mapping_indent(text: str) -> int:
    """The smallest indentation of a nested mapping key (`  stripe_api_access:`), 2 if none."""
    widths = []
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        if stripped and not stripped.startswith(("-", "#")) and len(stripped) < len(line) and ":" in stripped:
            widths.append(len(line) - len(stripped))
    return min(widths) if widths else 2


def _keep_trailing_comments(entries, index: int) -> None:
    """ruamel keeps the comment lines after an item on that item's last key, so deleting the item
    would delete comments that describe the next one: hand them to the item before."""
    item = entries[index]
    ca = getattr(item, "ca", None)
    if ca is None or not item:
        return
    last = list(item.keys())[-1]
    token = ca.items.get(last)
    if not token:
        return
    if index > 0 and hasattr(entries[index - 1], "ca") and entries[index - 1]:
        previous = entries[index - 1]
        previous.ca.items[list(previous.keys())[-1]] = token
    elif index + 1 < len(entries):
        # The first item: its trailing comments now come before the list's first item, after any
        # comment already there (ruamel keeps those on the list itself).
        from ruamel.yaml.tokens import CommentToken

        value = token[2].value if len(token) > 2 and token[2] is not None else ""
        lines = [line.strip() for line in value.splitlines() if line.strip().startswith("#")]
        if lines:
            column = token[2].start_mark.column if token[2].start_mark else 0
            before = entries.ca.comment[1] if entries.ca.comment and len(entries.ca.comment) > 1 else None
            moved = [CommentToken(line + "\n", _Mark(column), None) for line in lines]
            if before:
                before.extend(moved)
            else:
                entries.ca.comment = [None, moved]


class _Mark:
    """The position ruamel wants on a comment token: only its column is read when dumping."""

    def __init__(self, column: int) -> None:
        self.column, self.line = column, 0
