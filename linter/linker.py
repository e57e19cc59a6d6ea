"""Join facts across the files of one app.

Parsers see one file at a time, so a call on an imported client arrives as a ``PendingCall`` and
an imported expand list as an ``expand_imports`` name. Once every file is parsed, this module
resolves each import to the app file it names and turns what it finds into ordinary facts. An
import that resolves to nothing known (a REST client of your own, a package) is dropped: it is
not a Stripe client, and guessing would produce false alarms.
"""

from __future__ import annotations

import dataclasses
import posixpath

from stripe_perm_lint.facts import (
    ApiCall,
    ClientExport,
    ExpandPath,
    FileFacts,
    ImportBinding,
    PendingCall,
    Position,
)

TS_EXTENSIONS = (".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs")


def link_app(files: list[FileFacts]) -> list[FileFacts]:
    by_path = {f.path: f for f in files}
    return [_link_file(f, by_path) for f in files]


def _link_file(facts: FileFacts, by_path: dict[str, FileFacts]) -> FileFacts:
    if not facts.pending_calls and not any(c.expand_imports for c in facts.calls):
        return facts
    imports = {b.local: b for b in facts.imports}
    calls = [_with_imported_expand(c, facts, imports, by_path) for c in facts.calls]
    for pending in facts.pending_calls:
        call = _resolve_pending(pending, facts, imports, by_path)
        if call is not None:
            calls.append(call)
    calls.sort(key=lambda c: (c.position, c.accessor))
    return dataclasses.replace(facts, calls=tuple(calls))


def _resolve_pending(pending, facts, imports, by_path) -> ApiCall | None:
    binding = imports.get(pending.import_local)
    if binding is None:
        return None
    target = resolve_module(facts.path, binding.module, facts.language, by_path)
    if target is None:
        return None
    accessor = pending.accessor
    export_name = binding.name
    if export_name == "*":  # namespace import: the first segment names the export
        export_name, _, accessor = accessor.partition(".")
    export = _find_export(by_path[target], export_name, pending.via_factory, by_path)
    if export is None or not accessor:
        return None
    expand, dynamic = _expand_from_imports(pending.expand, pending.expand_dynamic, pending.expand_imports, facts, imports, by_path)
    return ApiCall(
        style=export.style,
        accessor=accessor,
        position=pending.position,
        account=pending.account or export.account,
        expand=expand,
        expand_dynamic=dynamic,
    )


def _find_export(target: FileFacts, name: str, via_factory: bool, by_path, depth: int = 0) -> ClientExport | None:
    for export in target.client_exports:
        if export.name == name and export.returns_client == via_factory:
            return export
    for origin, origin_name in _passed_on(target, name, by_path, depth):
        found = _find_export(origin, origin_name, via_factory, by_path, depth + 1)
        if found is not None:
            return found
    return None


def _passed_on(target: FileFacts, name: str, by_path, depth: int):
    """Where a module gets a name it only passes on: `from .client import stripe` in a package
    `__init__.py`, `export {stripe} from './client'` or `export * from './client'` in a TS barrel.
    Followed a few hops, so a cycle of re-exports ends."""
    if depth >= 5:
        return
    for binding in target.imports:
        star = binding.local == "*" and binding.name == "*"
        if (binding.local == name and binding.name != "*") or star:
            origin = resolve_module(target.path, binding.module, target.language, by_path)
            if origin is not None:
                yield by_path[origin], (name if star else binding.name)


def _with_imported_expand(call: ApiCall, facts, imports, by_path) -> ApiCall:
    if not call.expand_imports:
        return call
    expand, dynamic = _expand_from_imports(call.expand, call.expand_dynamic, call.expand_imports, facts, imports, by_path)
    return dataclasses.replace(call, expand=expand, expand_dynamic=dynamic, expand_imports=())


def _expand_from_imports(
    expand: tuple[ExpandPath, ...],
    dynamic: bool,
    names: tuple[tuple[str, Position], ...],
    facts: FileFacts,
    imports: dict[str, ImportBinding],
    by_path: dict[str, FileFacts],
) -> tuple[tuple[ExpandPath, ...], bool]:
    """Imported constant lists become expand paths at the position where the name is used (the
    strings live in another file; the call site is where the user acts)."""
    paths = list(expand)
    for local, position in names:
        values = _imported_constant(local, facts, imports, by_path)
        if values is None:
            dynamic = True
        else:
            paths.extend(ExpandPath(v, position) for v in values)
    return tuple(paths), dynamic


def _imported_constant(local, facts, imports, by_path) -> tuple[str, ...] | None:
    binding = imports.get(local)
    if binding is None:
        return None
    target = resolve_module(facts.path, binding.module, facts.language, by_path)
    if target is None:
        return None
    return _find_constant(by_path[target], binding.name, by_path)


def _find_constant(facts: FileFacts, name: str, by_path, depth: int = 0) -> tuple[str, ...] | None:
    for constant in facts.constant_exports:
        if constant.name == name:
            return constant.values
    for origin, origin_name in _passed_on(facts, name, by_path, depth):
        found = _find_constant(origin, origin_name, by_path, depth + 1)
        if found is not None:
            return found
    return None


def resolve_module(importer: str, module: str, language: str, by_path: dict[str, FileFacts]) -> str | None:
    """The app file an import names, or None (a package, or a file outside the app)."""
    if language == "python":
        return _resolve_python(importer, module, by_path)
    if not module.startswith("."):
        return None
    base = posixpath.normpath(posixpath.join(posixpath.dirname(importer), module))
    stem, ext = posixpath.splitext(base)
    candidates = [base]
    if ext in (".js", ".jsx", ".mjs", ".cjs"):  # TS ESM style: `import './x.js'` means x.ts
        candidates += [stem + e for e in TS_EXTENSIONS]
    candidates += [base + e for e in TS_EXTENSIONS]
    candidates += [f"{base}/index{e}" for e in TS_EXTENSIONS]
    return next((c for c in candidates if c in by_path), None)


def _resolve_python(importer: str, module: str, by_path: dict[str, FileFacts]) -> str | None:
    if module.startswith("."):
        dots = len(module) - len(module.lstrip("."))
        folder = posixpath.dirname(importer)
        for _ in range(dots - 1):
            folder = posixpath.dirname(folder)
        rest = module[dots:].replace(".", "/")
        bases = [posixpath.join(folder, rest) if rest else folder]
    else:
        # An absolute import may be rooted at any folder above the importer (a backend folder
        # with its own package root is common): try the nearest first.
        rest = module.replace(".", "/")
        folder = posixpath.dirname(importer)
        bases = []
        while True:
            bases.append(posixpath.join(folder, rest) if folder else rest)
            if not folder:
                break
            folder = posixpath.dirname(folder)
    for base in bases:
        base = posixpath.normpath(base)
        for candidate in (base + ".py", base + "/__init__.py"):
            if candidate in by_path:
                return candidate
    return None
