"""An export folder replaced as a whole: a reader sees the old set or the new one, never a mix.

The folder a user names (`exports/`) is a symbolic link to one generation folder beside it
(`.exports.gen-<stamp>`). A new set is written into a new generation folder, each file under a temporary
name and renamed when complete; then a new link is made beside the old one and renamed over it, which
POSIX does atomically. A process killed at any moment leaves the link pointing at a complete set (the old
one until the rename, the new one after); leftover generation folders that nothing points at are removed
by the next run.

Files in the old set that the export does not write (a quality report someone put under `exports/`)
are carried into the new generation as hard links, so they survive the swap.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

logger = logging.getLogger(__name__)

MANIFEST = ".export-set"  # names of the files the export itself wrote, one a line


def _generation_prefix(target: Path) -> str:
    return f".{target.name}.gen-"


def current_generation(target: Path) -> Path | None:
    if target.is_symlink():
        return (target.parent / os.readlink(target)).resolve()
    return target if target.is_dir() else None


def _carry_over(old: Path, new: Path, written: set[str]) -> None:
    """Hard-link into `new` what `old` holds that is neither written now nor written by the old export."""
    previous = set((old / MANIFEST).read_text(encoding="utf-8").splitlines()) if (old / MANIFEST).exists() else set()
    for entry in sorted(old.iterdir()):
        if entry.name in written or entry.name in previous or entry.name == MANIFEST:
            continue
        if entry.name.endswith(".tmp"):
            continue
        dest = new / entry.name
        try:
            if entry.is_dir() and not entry.is_symlink():
                shutil.copytree(entry, dest, copy_function=os.link, symlinks=True)
            else:
                os.link(entry, dest, follow_symlinks=False)
        except OSError:  # another file system: copy instead
            logger.warning("could not hard-link %s; copying it", entry, exc_info=True)
            (shutil.copytree(entry, dest, symlinks=True) if entry.is_dir() else shutil.copy2(entry, dest))


def _remove_stale(target: Path, keep: set[Path]) -> None:
    for link in target.parent.glob(f".{target.name}.link-*"):  # made, then killed before the rename
        link.unlink(missing_ok=True)
    for stale in target.parent.glob(_generation_prefix(target) + "*"):
        if stale.resolve() not in keep:
            shutil.rmtree(stale, ignore_errors=True) if stale.is_dir() and not stale.is_symlink() else stale.unlink()


def replace_set(target: Path | str, write: Callable[[Path], list[Path]]) -> list[Path]:
    """Run `write(folder)` into a fresh generation folder, then make `target` point at it.

    Returns the written files as paths under `target`.
    """
    target = Path(target)
    if target.exists() and not target.is_symlink() and not target.is_dir():
        # someone's file stands where the export folder goes: never moved aside or replaced
        raise FileExistsError(f"{target} is a file, not an export folder; nothing exported")
    target.parent.mkdir(parents=True, exist_ok=True)
    old = current_generation(target)
    _remove_stale(target, {old} if old else set())  # what a killed run left behind
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + f"-{os.getpid()}-{time.monotonic_ns() % 10**9}"
    new = target.parent / (_generation_prefix(target) + stamp)
    new.mkdir()
    files = write(new)
    names = {p.name for p in new.iterdir()}
    (new / MANIFEST).write_text("".join(f"{n}\n" for n in sorted(names)), encoding="utf-8")
    if old is not None:
        _carry_over(old, new, names)
    if target.exists() and not target.is_symlink():
        # a plain folder from before sets were swapped: moved aside once, then linked like any other
        legacy = target.parent / (_generation_prefix(target) + "legacy-" + stamp)
        target.rename(legacy)
        old = legacy
    link = target.parent / f".{target.name}.link-{stamp}"
    os.symlink(new.name, link)
    os.replace(link, target)  # the atomic moment: readers now see the new set
    if old is not None and old != new:
        shutil.rmtree(old, ignore_errors=True)
    return [target / p.relative_to(new) for p in files]
