"""Go packages, for the linker. A Go file imports packages, not files: the files of its own folder
share their package-level names (module ``"."``), and an import under the module path of the
app's go.mod names a folder of the app (``parse.go.gomod``). ``GoPackages`` finds the files a
binding names; ``settle_wrapper_requests`` drops the own request of a request wrapper that calls
in other files stand for, as the parser does for calls in the wrapper's file.
"""

from __future__ import annotations

import dataclasses
import posixpath

from stripe_perm_lint.facts import FileFacts, ImportBinding, PendingRequest
from stripe_perm_lint.parse.go.gomod import GoModules, package_folder
from stripe_perm_lint.parse.wrappers import wrapper_name, wrapper_request


class GoPackages:
    """The app's Go files by folder (built once: every pending fact of a package asks)."""

    def __init__(self, files, go_modules: GoModules) -> None:
        self.go_modules = go_modules
        self.by_folder: dict[str, list[FileFacts]] = {}
        for facts in sorted(files, key=lambda f: f.path):
            if facts.language == "go":
                self.by_folder.setdefault(posixpath.dirname(facts.path), []).append(facts)

    def files(self, facts: FileFacts, binding: ImportBinding) -> list[FileFacts]:
        """The Go files a binding names: the other files of the file's own folder for module "."
        (one package), else the folder an import under the module path of the nearest go.mod
        names; none for any other import (a third-party one)."""
        if binding.module == ".":
            folder = posixpath.dirname(facts.path)
        else:
            folder = package_folder(facts.path, binding.module, self.go_modules)
        return [f for f in self.by_folder.get(folder, []) if f.path != facts.path] if folder is not None else []


def settle_wrapper_requests(files: list[FileFacts], packages: GoPackages) -> list[FileFacts]:
    """A wrapper whose file holds no call of it keeps its own request (`? /v1/{}`: the URL scan
    counted it); once a call in another file stands for it, that request is dropped. It is the
    request of the wrapper's file whose path is the wrapper's base and an unknown rest."""
    called: dict[str, set[str]] = {}  # wrapper file -> the paths of its called wrappers' own requests
    for facts in files:
        if facts.language != "go" or not facts.pending_requests:
            continue
        imports = {b.local: b for b in facts.imports}
        for pending in facts.pending_requests:
            target = _wrapper_file(facts, imports.get(pending.import_local), pending, packages)
            if target is not None:
                path, prefix = target
                called.setdefault(path, set()).update((prefix + "{}", prefix + "/{}"))
    out = []
    for facts in files:
        own = called.get(facts.path)
        kept = tuple(r for r in facts.raw_requests if r.path not in own) if own else facts.raw_requests
        out.append(facts if len(kept) == len(facts.raw_requests) else dataclasses.replace(facts, raw_requests=kept))
    return out


def _wrapper_file(facts: FileFacts, binding: ImportBinding | None, pending: PendingRequest,
                  packages: GoPackages) -> tuple[str, str] | None:
    """(the file, the base path) of the wrapper a pending call makes a request through."""
    name = wrapper_name(binding, pending) if binding is not None else None
    for target in packages.files(facts, binding) if name else ():
        for wrapper in target.request_wrapper_exports:
            if wrapper.name == name and wrapper_request(wrapper, pending.args, (), pending.position) is not None:
                return target.path, wrapper.prefix
    return None
