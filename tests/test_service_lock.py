"""The run lock: held by one run per warehouse, re-entrant within the process holding it, refused to
another live process with its pid, host and start time, and taken over from a process that is gone."""

from __future__ import annotations

import json
import socket
import subprocess
import sys

import pytest

from ingest.runlock import RunLock, RunLocked, holder, lock_path


def test_a_lock_is_refused_while_its_process_lives_and_taken_over_once_it_is_gone(tmp_path):
    warehouse = tmp_path / "xxgk.duckdb"
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        lock_path(warehouse).write_text(
            json.dumps({"pid": sleeper.pid, "host": socket.gethostname(), "started_at": "2026-01-02T03:04:05+00:00"})
        )
        with pytest.raises(RunLocked) as refused:
            RunLock(warehouse).acquire()
        assert str(refused.value) == (
            f"another nightly is running on this warehouse: pid {sleeper.pid} on "
            f"{socket.gethostname()}, started 2026-01-02T03:04:05+00:00 "
            f"(lock {lock_path(warehouse)})"
        )
        assert holder(warehouse)["pid"] == sleeper.pid
    finally:
        sleeper.kill()
        sleeper.wait()
    assert holder(warehouse) is None  # stale now
    with RunLock(warehouse):
        assert json.loads(lock_path(warehouse).read_text())["pid"] != sleeper.pid
        with RunLock(warehouse):  # the flow inside the command that took it
            pass
        assert lock_path(warehouse).exists()
    assert not lock_path(warehouse).exists()


def test_a_lock_from_another_host_is_never_taken_over(tmp_path):
    warehouse = tmp_path / "xxgk.duckdb"
    lock_path(warehouse).write_text(json.dumps({"pid": 1, "host": "elsewhere.invalid", "started_at": "x"}))
    with pytest.raises(RunLocked):
        RunLock(warehouse).acquire()
    lock_path(warehouse).write_text("{half a")  # a run killed while writing it
    with RunLock(warehouse):
        pass
