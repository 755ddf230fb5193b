"""Local paths stay inside the roots their registry allows.

A registry may name local files (bundled sample sites, mirrored intranets). Those paths, and every link
followed from a local listing, must lie under the registry's own folder or under a root the registry
names in `local_roots:`. The test is made on the real path, after `..` and symlinks are resolved, so
neither `../../etc/passwd` nor a symlink pointing out of a root reaches a file outside.
"""

from __future__ import annotations

import os
from collections.abc import Iterable


def real(path: str | os.PathLike) -> str:
    """The path with `..` and every symlink resolved (the file need not exist)."""
    return os.path.realpath(os.path.abspath(os.fspath(path)))


def roots(registry_dir: str | os.PathLike, named: Iterable[str | os.PathLike] = ()) -> tuple[str, ...]:
    """The registry's folder and the roots it names (relative ones from the registry's folder)."""
    base = real(registry_dir)
    return tuple(dict.fromkeys([base, *(real(os.path.join(base, os.fspath(r))) for r in named)]))


def inside(path: str | os.PathLike, allowed: Iterable[str]) -> bool:
    target = real(path)
    for root in allowed:
        root = real(root)
        if target == root or target.startswith(root.rstrip(os.sep) + os.sep):
            return True
    return False


def outside_message(path: str | os.PathLike, allowed: Iterable[str]) -> str | None:
    """Why `path` may not be read (it resolves outside every allowed root), or None when it may."""
    allowed = tuple(allowed)
    if inside(path, allowed):
        return None
    where = real(path)
    shown = f"{os.fspath(path)} (really {where})" if where != os.fspath(path) else where
    return f"{shown} is outside the registry's local roots ({', '.join(allowed)}); not read"
