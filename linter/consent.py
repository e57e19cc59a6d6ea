"""The consent delta between two versions of a manifest (``stripe-perm-lint diff``).

Stripe upgrades installed users to a new release automatically, "the only exception is cases
where the permissions scope changes. If you change the permissions, users of your app are
prompted to re-authorize your app and its new permissions" (docs.stripe.com/stripe-apps/
versions-and-releases). So every added or removed permission is a scope change; an added one is
also new access the installer is asked to grant. A changed purpose, or a changed
`stripe_api_access_type`, is shown but not called a scope change: Stripe does not say it prompts.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from stripe_perm_lint.manifest import Manifest, manifest_from_bytes


@dataclass(frozen=True)
class ConsentDelta:
    added: tuple[str, ...]
    removed: tuple[str, ...]
    purpose_changed: tuple[tuple[str, str | None, str | None], ...]  # name, old, new
    access_type: tuple[str, str] | None  # (old, new) when `stripe_api_access_type` changed

    @property
    def reauthorize(self) -> bool:
        return bool(self.added or self.removed)


def consent_delta(old: Manifest, new: Manifest) -> ConsentDelta:
    old_purpose = {p.name: p.purpose for p in old.permissions}
    new_purpose = {p.name: p.purpose for p in new.permissions}
    both = sorted(old_purpose.keys() & new_purpose.keys())
    return ConsentDelta(
        added=tuple(sorted(new_purpose.keys() - old_purpose.keys())),
        removed=tuple(sorted(old_purpose.keys() - new_purpose.keys())),
        purpose_changed=tuple((n, old_purpose[n], new_purpose[n]) for n in both if old_purpose[n] != new_purpose[n]),
        access_type=(old.api_access_type, new.api_access_type) if old.api_access_type != new.api_access_type else None,
    )


class ManifestUnavailable(Exception):
    """A manifest version that cannot be read: a one-line usage error."""


def manifest_at_ref(path: Path, ref: str) -> Manifest:
    """``path`` as it was at git ``ref`` (``git show REF:path``). A manifest the ref does not
    have yet is an empty one: every permission of the new version is then added."""
    folder = path.parent.resolve()
    try:
        top = subprocess.run(["git", "-C", str(folder), "rev-parse", "--show-toplevel"],
                             capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        raise ManifestUnavailable(f"{path}: not inside a git repository, so --base cannot read it") from None
    rel = path.resolve().relative_to(Path(top).resolve()).as_posix()
    verify = subprocess.run(["git", "-C", top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
                            capture_output=True, text=True)
    if verify.returncode != 0:
        raise ManifestUnavailable(f"--base {ref}: no such commit")
    shown = subprocess.run(["git", "-C", top, "show", f"{ref}:{rel}"], capture_output=True)
    if shown.returncode != 0:
        return Manifest(path=path.name)
    return manifest_from_bytes(path.name, shown.stdout)


def read_version(path: Path) -> Manifest:
    from stripe_perm_lint.manifest import read_manifest

    if not path.is_file():
        raise ManifestUnavailable(f"{path}: no such manifest file")
    manifest = read_manifest(path.parent, path.name)
    if manifest.unparsed:
        problem = manifest.problems[0]
        raise ManifestUnavailable(f"{path}:{problem.location.line}:{problem.location.column}: {problem.message}")
    return manifest


def render_delta(delta: ConsentDelta, fmt: str, old_label: str, new_label: str) -> str:
    if fmt == "json":
        return json.dumps({
            "added": list(delta.added), "removed": list(delta.removed),
            "purpose_changed": [{"permission": n, "old": o, "new": w} for n, o, w in delta.purpose_changed],
            "access_type": list(delta.access_type) if delta.access_type else None,
            "reauthorize": delta.reauthorize,
        }, indent=2) + "\n"
    md = fmt == "markdown"
    code = (lambda s: f"`{s}`") if md else (lambda s: s)
    out = [f"### Permission changes: {old_label} → {new_label}" if md else f"Permissions: {old_label} -> {new_label}"]
    if not (delta.reauthorize or delta.purpose_changed):
        out.append("No permission changes: installed users are upgraded without a prompt.")
        return "\n".join(out) + "\n"
    bullet = "- " if md else "  "
    out += [f"{bullet}added {code(n)}" for n in delta.added]
    out += [f"{bullet}removed {code(n)}" for n in delta.removed]
    out += [f"{bullet}purpose of {code(n)}: {json.dumps(o)} → {json.dumps(w)}" for n, o, w in delta.purpose_changed]
    if delta.access_type:
        out.append(f"{bullet}`stripe_api_access_type`: {code(delta.access_type[0])} → {code(delta.access_type[1])}")
    if delta.reauthorize:
        out.append("")
        out.append("Installed users will be asked to re-authorize the app when this version is released "
                   "(the permission scope changes).")
    else:
        out.append("")
        out.append("The permission scope is unchanged: installed users are upgraded without a prompt.")
    return "\n".join(out) + "\n"
