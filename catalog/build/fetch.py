"""Download pinned SDK packages into a cache and unpack them (no install, no execution).

`pip download --no-deps stripe==X` gives the wheel and `npm pack stripe@X` the tarball; both are
only read as text afterwards. The cache (`<repo>/.sdk-cache/`, git-ignored) is reused between runs.
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]  # catalog/build/fetch.py -> the repo
CACHE = REPO / ".sdk-cache"


def _run(cmd: list[str]) -> None:
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{proc.stderr[-2000:]}")


def node_tarball(version: str, cache: Path = CACHE) -> Path:
    """The npm tarball of `stripe@version`, downloaded once."""
    tgz = cache / "npm" / f"stripe-{version}.tgz"
    if not tgz.exists():
        tgz.parent.mkdir(parents=True, exist_ok=True)
        _run(["npm", "pack", f"stripe@{version}", "--pack-destination", str(tgz.parent), "--silent"])
    return tgz


def node_package(version: str, cache: Path = CACHE) -> Path:
    """Unpacked `package/` directory of npm `stripe@version` (its `.js` files)."""
    dest = cache / "unpacked" / f"node-{version}"
    if not (dest / "package").is_dir():
        tgz = node_tarball(version, cache)
        dest.mkdir(parents=True, exist_ok=True)
        with tarfile.open(tgz) as tar:
            members = [m for m in tar.getmembers() if m.isfile() and m.name.endswith(".js")]
            tar.extractall(dest, members=members, filter="data")
    return dest / "package"


def python_package(version: str, cache: Path = CACHE) -> Path:
    """Directory holding the unpacked `stripe/` package of PyPI `stripe==version`."""
    dest = cache / "unpacked" / f"python-{version}"
    if not (dest / "stripe").is_dir():
        wheel_dir = cache / "pypi"
        wheels = sorted(wheel_dir.glob(f"stripe-{version}-*.whl")) if wheel_dir.exists() else []
        if not wheels:
            wheel_dir.mkdir(parents=True, exist_ok=True)
            _run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
                  f"stripe=={version}", "-d", str(wheel_dir), "-q"])
            wheels = sorted(wheel_dir.glob(f"stripe-{version}-*.whl"))
        with zipfile.ZipFile(wheels[0]) as zf:
            zf.extractall(dest, members=[n for n in zf.namelist() if n.startswith("stripe/") and n.endswith(".py")])
    return dest
