"""What is installed of a library, as a kept result's key needs it: the distribution's name and
version (its ``.dist-info`` folder beside the package), found without importing the library."""

from __future__ import annotations

import functools
import hashlib
import importlib.util
from pathlib import Path

_PACKAGE = __name__.partition(".")[0]  # roadworthy: its distribution stands for its sources


def digest(sources: tuple[Path, ...], libraries: tuple[tuple[str, str], ...] = ()) -> str:
    """A digest of roadworthy's ``sources`` (its own modules) and of each installed library,
    given as (top-level module, distribution name): what a result computed by that code
    depends on. An upgrade of either is a new digest; a source that cannot be read (installed
    as bytecode only) is stood for by roadworthy's own distribution."""
    found = hashlib.sha256()
    for source in sources:
        try:
            found.update(source.read_bytes())
        except OSError:
            found.update(f"{source.name}: {stamp(_PACKAGE, _PACKAGE)}".encode())
    for module, distribution in libraries:
        found.update(
            f"\0{module}\0{stamp(module, distribution)}".encode("utf-8", "surrogateescape")
        )
    return found.hexdigest()


@functools.cache
def stamp(module: str, distribution: str) -> str:
    """``name-version`` of the distribution that installed ``module`` (from the name of its
    ``.dist-info`` folder, which the installer writes with every install); else the size and
    time of the module's own file; "absent" when it is not installed."""
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):  # (a module set to None in sys.modules: not importable)
        spec = None
    origin = spec.origin if spec is not None else None
    if not origin:
        return "absent"
    package = Path(origin).parent
    site = package.parent if package.name == module else package
    wanted = _normal(distribution)
    for name in _listed(site):
        # "{name}-{version}.dist-info", the name with its "-" written "_" (the wheel spec).
        if name.endswith(".dist-info") and _normal(name.partition("-")[0]) == wanted:
            return name.removesuffix(".dist-info")
    try:
        found = Path(origin).stat()
    except OSError:
        return f"{origin}: unreadable"
    return f"{origin}:{found.st_size}:{found.st_mtime_ns}"


@functools.cache
def _listed(folder: Path) -> list[str]:
    try:
        return sorted(entry.name for entry in folder.iterdir())
    except OSError:
        return []


def _normal(name: str) -> str:
    # Installers write the project's name with "-", "." and "_" alike as "_", any case.
    return name.lower().replace("-", "_").replace(".", "_")
