"""PHP's function and class lookup, for the linker. A PHP file imports nothing: a function is
visible once a file that defines it is `require`d, and Composer autoloads a class by its name.
The PHP parser (``parse.php.links``) binds each `require` as a re-export (`*` of the required
file) and names what a pending call's receiver came from: a function (`stripe_client`) or a
static method (`App\\StripeFactory::foraccount`). Here each becomes an ordinary binding: a function
is looked up in the calling file and the files it requires (the linker's re-export walk), else
from a file that requires the calling one (a plugin's main file, whose other includes it sees); a
static method in the one app file that declares the class and method returning a client."""

from __future__ import annotations

from stripe_perm_lint.facts import FileFacts, ImportBinding

MAX_HOPS = 5  # as the linker's re-export walk


def static_methods(files) -> dict[str, str]:
    """`App\\StripeFactory::foraccount` -> the PHP file that defines it returning a client; a name
    two files export (a copy of the class under `tests/`, two plugins) names neither."""
    index: dict[str, str] = {}
    twice = set()
    for path, facts in sorted(files.items()):
        if facts.language != "php":
            continue
        for export in facts.client_exports:
            if "::" in export.name:
                if index.get(export.name, path) != path:
                    twice.add(export.name)
                index.setdefault(export.name, path)
    return {name: path for name, path in index.items() if name not in twice}


def php_bindings(index: dict[str, str], facts: FileFacts, files) -> dict[str, ImportBinding]:
    found = {}
    includers: list[str] | None = None  # the files that require this one, found once per file
    for pending in facts.pending_calls:
        local = pending.import_local
        if "::" in local:
            if local in index:
                found[local] = ImportBinding(local, index[local], local)
            continue
        # The file's own requires are its re-exports, so the linker's walk starts at the file; a
        # WordPress include uses the functions of its siblings, which the plugin file requires.
        if _defines(files, facts.path, local):
            found[local] = ImportBinding(local, facts.path, local)
            continue
        includers = _includers(files, facts.path) if includers is None else includers
        start = next((p for p in includers if _defines(files, p, local)), None)
        if start is not None:
            found[local] = ImportBinding(local, start, local)
    return found


def _includers(files, path: str) -> list[str]:
    return sorted(p for p, f in files.items() if f.language == "php" and any(b.module == path for b in f.imports))


def _defines(files, start: str, name: str) -> bool:
    """Whether ``start`` or a file it requires (through at most ``MAX_HOPS`` requires) defines ``name``."""
    seen, layer = {start}, [start]
    for _ in range(MAX_HOPS + 1):
        for path in layer:
            if any(e.name == name for e in files[path].client_exports):
                return True
        layer = [b.module for p in layer for b in files[p].imports if b.module in files and b.module not in seen]
        seen.update(layer)
    return False
