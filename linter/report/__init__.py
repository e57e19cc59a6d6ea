"""Output formats, registered once: the CLI offers ``sorted(FORMATS)``."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping

# format -> (module, renderer): a run imports only the renderer it writes with (the GitHub,
# GitLab and SARIF ones pull in fingerprinting a plain text run does not need).
_RENDERERS = {
    "github": ("github", "render_github"),
    "gitlab": ("gitlab", "render_gitlab"),
    "json": ("json", "render_json"),
    "sarif": ("sarif", "render_sarif"),
    "text": ("text", "render_text"),
}


class _Formats(Mapping[str, Callable]):
    def __getitem__(self, name: str) -> Callable:
        module, renderer = _RENDERERS[name]
        return getattr(importlib.import_module(f"{__name__}.{module}"), renderer)

    def __iter__(self) -> Iterator[str]:
        return iter(_RENDERERS)

    def __len__(self) -> int:
        return len(_RENDERERS)


FORMATS: Mapping[str, Callable] = _Formats()
