"""Path aliases from ``tsconfig.json`` / ``jsconfig.json``, so ``import {stripe} from '@/lib/stripe'``
finds the app file it names.

A config is JSON with comments and trailing commas (JSONC); ``extends`` is not followed. Only
``compilerOptions.baseUrl`` and ``compilerOptions.paths`` matter here. The result is plain data
(folder → alias rules), handed to the linker, which stays free of file access.
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

CONFIG_NAMES = ("tsconfig.json", "jsconfig.json")

# JSONC → JSON: drop comments outside strings, then commas before a closing bracket.
_JSONC_TOKEN = re.compile(r'"(?:\\.|[^"\\])*"|//[^\n]*|/\*.*?\*/', re.S)
_TRAILING_COMMA = re.compile(r',(\s*[}\]])')


@dataclass(frozen=True)
class AliasRules:
    """The aliases of one config. Paths are relative to the app root, with forward slashes."""

    base_url: str | None  # folder bare specifiers resolve against, when baseUrl is set
    paths: tuple[tuple[str, tuple[str, ...]], ...]  # ("@/*", ("src/*",)), most specific first


def read_jsonc(text: str) -> object:
    """Parse JSON with comments and trailing commas; raises ``ValueError`` on anything else."""
    stripped = _JSONC_TOKEN.sub(lambda m: m.group(0) if m.group(0).startswith('"') else "", text)
    return json.loads(_TRAILING_COMMA.sub(r"\1", stripped))


def find_alias_rules(root: Path, sources: tuple[str, ...], problems: list | None = None) -> dict[str, AliasRules]:
    """Config folder (relative to ``root``, "" for the root) → its rules, for every config found
    in a folder that holds sources or above one, up to the app root. A broken config is skipped
    and added to ``problems`` as (path, why): imports through it stay unresolved, which costs
    recall, never a crash."""
    folders: set[str] = set()
    for rel in sources:
        folder = posixpath.dirname(rel)
        while True:
            folders.add(folder)
            if not folder or folder.startswith(".."):
                break
            folder = posixpath.dirname(folder)
    rules: dict[str, AliasRules] = {}
    for folder in sorted(folders):
        for name in CONFIG_NAMES:
            config = root / folder / name
            if config.is_file():
                parsed = _rules(config, folder, problems)
                if parsed is not None:
                    rules[folder] = parsed
                break
    return rules


# A tsconfig is a few kilobytes; a larger file is not one worth parsing.
MAX_CONFIG_BYTES = 1024 * 1024


def _rules(config: Path, folder: str, problems: list | None) -> AliasRules | None:
    try:
        if config.stat().st_size > MAX_CONFIG_BYTES:
            raise ValueError(f"larger than {MAX_CONFIG_BYTES // 1024} KiB")
        data = read_jsonc(config.read_text(encoding="utf-8-sig", errors="replace"))
    except (OSError, ValueError, RecursionError) as exc:
        if problems is not None:
            why = "nested too deeply" if isinstance(exc, RecursionError) else getattr(exc, "strerror", None) or exc
            problems.append((posixpath.join(folder, config.name), f"cannot read it ({why}); its path aliases are not used"))
        return None
    options = data.get("compilerOptions") if isinstance(data, dict) else None
    if not isinstance(options, dict):
        return None
    base = options.get("baseUrl")
    base_url = posixpath.normpath(posixpath.join(folder, base)) if isinstance(base, str) else None
    paths = options.get("paths")
    entries = []
    if isinstance(paths, dict):
        # Since TS 4.1 `paths` without `baseUrl` are relative to the config's folder.
        anchor = base_url if base_url is not None else (folder or ".")
        for pattern, targets in paths.items():
            if isinstance(pattern, str) and isinstance(targets, list):
                resolved = tuple(posixpath.normpath(posixpath.join(anchor, t)) for t in targets if isinstance(t, str))
                entries.append((pattern, resolved))
    entries.sort(key=lambda e: (-len(e[0].split("*")[0]), e[0]))  # longest prefix wins, as in tsc
    return AliasRules(base_url=base_url, paths=tuple(entries))


def alias_candidates(rules: dict[str, AliasRules], importer: str, module: str) -> list[str]:
    """Where a bare specifier may point, per the nearest config above ``importer`` (paths
    without extension; the linker tries the usual extensions and index files)."""
    folder = posixpath.dirname(importer)
    while True:
        config = rules.get(folder)
        if config is not None:
            return _apply(config, module)
        if not folder or folder.startswith(".."):
            return []
        folder = posixpath.dirname(folder)


def _apply(config: AliasRules, module: str) -> list[str]:
    out: list[str] = []
    for pattern, targets in config.paths:
        prefix, star, suffix = pattern.partition("*")
        if star and module.startswith(prefix) and module.endswith(suffix) and len(module) >= len(prefix) + len(suffix):
            middle = module[len(prefix): len(module) - len(suffix)]
            out += [t.replace("*", middle, 1) for t in targets]
        elif not star and module == pattern:
            out += list(targets)
    if config.base_url is not None:
        out.append(posixpath.normpath(posixpath.join(config.base_url, module)))
    return out
