"""What the service tests share: one real Prefect server for the nightly processes they start (each
`xxgk nightly` would otherwise start a temporary server of its own), a sample registry in a folder of
the test's own, and `xxgk nightly` started as a real process group that can be held at a named point
and killed with SIGKILL."""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
TABLES = ("proactive", "procurement", "applications", "appeals")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrefectServer:
    def __init__(self, home: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/api"
        env = {
            **os.environ,
            "PREFECT_HOME": str(home),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "DO_NOT_TRACK": "1",
            "PREFECT_UI_ENABLED": "false",
        }
        env.pop("PREFECT_API_URL", None)
        self.log = open(home / "server.log", "wb")
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "prefect"),
                "server",
                "start",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
            ],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"prefect server did not start: {(home / 'server.log').read_text()[-2000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


def sample_registry(folder: Path, offices: list[str] | None = None) -> Path:
    """The sample registry with absolute local paths, limited to `offices` when given."""
    import yaml

    registry = yaml.safe_load((SAMPLES / "sources.yaml").read_text(encoding="utf-8"))
    kept = [o for o in registry["offices"] if offices is None or o["id"] in offices]
    for o in kept:
        listing = o["listing"]
        o["listing"] = [str(SAMPLES / x) for x in listing] if isinstance(listing, list) else str(SAMPLES / listing)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / ("sources.yaml" if offices is None else f"sources-{len(kept)}.yaml")
    # local paths must lie under the registry's roots: the samples, and the test's own folder
    roots = [str(SAMPLES), str(folder.parent)]
    path.write_text(yaml.safe_dump({"local_roots": roots, "offices": kept}, allow_unicode=True), encoding="utf-8")
    return path


def nightly_env(server: PrefectServer, pause_at: str | None = None, marker: Path | None = None) -> dict:
    env = {
        **os.environ,
        "PREFECT_API_URL": server.url,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_LOGGING_LEVEL": "WARNING",
    }
    env.pop("XXGK_PAUSE_AT", None)
    if pause_at:
        env["XXGK_PAUSE_AT"] = pause_at
        env["XXGK_PAUSE_FILE"] = str(marker)
    return env


def nightly_args(sources: Path, work: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "ingest.cli",
        "nightly",
        "--sources",
        str(sources),
        "--warehouse",
        str(work / "warehouse" / "xxgk.duckdb"),
        "--exports",
        str(work / "exports"),
        "--parse-workers",
        "2",
        "--chunk-size",
        "4",
        *extra,
    ]


def run_nightly(
    server: PrefectServer, sources: Path, work: Path, *extra: str, timeout: float = 400
) -> subprocess.CompletedProcess:
    return subprocess.run(
        nightly_args(sources, work, *extra),
        env=nightly_env(server),
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=work,
    )


def start_paused(
    server: PrefectServer, sources: Path, work: Path, point: str, timeout: float = 400
) -> subprocess.Popen:
    """Start a nightly and return once it is held at `point` (its process group still alive)."""
    marker = work / f"paused-{point}"
    marker.unlink(missing_ok=True)
    process = subprocess.Popen(
        nightly_args(sources, work),
        env=nightly_env(server, point, marker),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=work,
        start_new_session=True,
    )
    deadline = time.monotonic() + timeout
    while not (marker.exists() and marker.read_text().strip()):
        if process.poll() is not None:
            raise AssertionError(f"the run ended before {point}: {process.stdout.read().decode()[-3000:]}")
        if time.monotonic() > deadline:
            kill_group(process)
            raise AssertionError(f"the run never reached {point}")
        time.sleep(0.2)
    return process


def kill_group(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(30)
    if process.stdout:
        process.stdout.close()


def digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))} if folder.exists() else {}
