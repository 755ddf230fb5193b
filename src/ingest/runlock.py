"""One run at a time per warehouse: a lock file beside it naming the run that holds it.

`<warehouse>.lock` holds the pid, host and start time of the run. A second run finds it and stops with
`RunLocked`, whose message names the running one. A lock whose process is gone (a killed run) is stale
and taken over. The lock is re-entrant within a process: the command line takes it before starting the
flow, and the flow, running in the same process, takes it again without conflict.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
from datetime import UTC, datetime
from pathlib import Path

from ingest.errors import XxgkError

logger = logging.getLogger(__name__)

_held: dict[Path, int] = {}  # lock path -> how many holders in this process
_guard = threading.Lock()


class RunLocked(XxgkError):
    """Another run holds the warehouse's run lock."""

    def __init__(self, path: Path, holder: dict):
        self.path, self.holder = path, holder
        super().__init__(
            f"another nightly is running on this warehouse: pid {holder.get('pid')} on "
            f"{holder.get('host')}, started {holder.get('started_at')} (lock {path})"
        )


def lock_path(warehouse: str | Path) -> Path:
    warehouse = Path(warehouse).absolute()
    return warehouse.with_name(warehouse.name + ".lock")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _read(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {}  # half-written by a run killed while taking it: stale


def _stale(holder: dict) -> bool:
    if holder.get("host") not in (None, socket.gethostname()):
        return False  # a run on another machine: its pid cannot be checked from here
    pid = holder.get("pid")
    return not isinstance(pid, int) or not _alive(pid)


def holder(warehouse: str | Path) -> dict | None:
    """The live run holding the lock, or None."""
    found = _read(lock_path(warehouse))
    return None if found is None or _stale(found) else found


class RunLock:
    """`with RunLock(warehouse):` holds the warehouse's run lock, or raises RunLocked at once."""

    def __init__(self, warehouse: str | Path):
        self.path = lock_path(warehouse)

    def acquire(self) -> None:
        with _guard:
            if _held.get(self.path):
                _held[self.path] += 1
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            me = {
                "pid": os.getpid(),
                "host": socket.gethostname(),
                "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
            }
            for _ in range(3):
                try:
                    fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
                except FileExistsError:
                    found = _read(self.path)
                    if found is None:
                        continue  # released meanwhile
                    if not _stale(found):
                        raise RunLocked(self.path, found) from None
                    logger.warning(
                        "taking over the stale run lock %s of pid %s (started %s), which is gone",
                        self.path,
                        found.get("pid"),
                        found.get("started_at"),
                    )
                    self.path.unlink(missing_ok=True)
                    continue
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    json.dump(me, f)
                    f.flush()
                    os.fsync(f.fileno())
                _held[self.path] = 1
                return
            raise RunLocked(self.path, _read(self.path) or {})

    def release(self) -> None:
        with _guard:
            n = _held.get(self.path, 0)
            if n > 1:
                _held[self.path] = n - 1
                return
            _held.pop(self.path, None)
            found = _read(self.path)
            if found and found.get("pid") == os.getpid():
                self.path.unlink(missing_ok=True)

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()
