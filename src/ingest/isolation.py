"""Parse documents in child processes with a memory limit and a wall-clock limit.

A hostile or broken document can make a parser allocate gigabytes or run for hours. `parse_jobs` runs
`ingest.archived_parse.parse_archived` in a child (`python -m ingest.isolation_worker`) whose address space
is capped (RLIMIT_AS, set by the child on itself, so starting it is safe from threads and from daemonic
processes such as Dask workers). Starting a child (interpreter, parser imports) costs more than parsing
most documents, so a child is kept between calls and parses documents one after another, until
`documents_per_child` of them; each document gets `seconds_per_document` from the moment it is sent.

When a child dies or overruns, the document it was on is the suspect. If the child had parsed other
documents before it, it is tried once more alone in a fresh child (a limit the documents reached
together is not its fault); alone, it is the culprit and gets a `parse_limit_exceeded` error naming the
limit and the file. The documents after it go to a new child. `parse_jobs` never raises and keeps the
jobs' order.
"""

from __future__ import annotations

import atexit
import logging
import os
import pickle
import queue
import re
import signal
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ingest.facts import Issue, ParsedReport

logger = logging.getLogger(__name__)

GiB = 1024**3
_FRAME = struct.Struct(">Q")
_STARTUP_SECONDS = 60.0
# How native libraries and Python say an allocation failed (under RLIMIT_AS, malloc and mmap fail).
_OUT_OF_MEMORY = re.compile(
    r"MemoryError|memory allocation|cannot allocate|out of memory|bad_alloc|"
    r"failed to map segment",
    re.IGNORECASE,
)


def _env_number(name: str, default: float, kind=float):
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = kind(raw)
    except ValueError:
        logger.warning("%s=%r is not a number; using %s", name, raw, default)
        return default
    return value if value > 0 else default


@dataclass(frozen=True)
class ParseLimits:
    """Limits for one parsing child. `from_env` reads `XXGK_PARSE_MEMORY_BYTES`,
    `XXGK_PARSE_SECONDS_PER_DOCUMENT`, `XXGK_OCR_PAGES` and `XXGK_PARSE_DOCUMENTS_PER_CHILD`."""

    memory_bytes: int = int(1.5 * GiB)  # address space of the child (RLIMIT_AS)
    seconds_per_document: float = 120.0  # wall clock, per document
    ocr_pages: int = 50  # pages one document may send to OCR (passed to the child as XXGK_OCR_PAGES)
    documents_per_child: int = 200  # a child parses this many documents, then a fresh one takes over
    startup_seconds: float = _STARTUP_SECONDS

    @classmethod
    def from_env(cls) -> ParseLimits:
        d = cls()
        return cls(
            memory_bytes=_env_number("XXGK_PARSE_MEMORY_BYTES", d.memory_bytes, int),
            seconds_per_document=_env_number("XXGK_PARSE_SECONDS_PER_DOCUMENT", d.seconds_per_document),
            ocr_pages=_env_number("XXGK_OCR_PAGES", d.ocr_pages, int),
            documents_per_child=_env_number("XXGK_PARSE_DOCUMENTS_PER_CHILD", d.documents_per_child, int),
        )

    def describe_memory(self) -> str:
        return f"{self.memory_bytes / GiB:.2f} GiB" if self.memory_bytes >= GiB else f"{self.memory_bytes // 2**20} MiB"


@dataclass(frozen=True)
class ParseJob:
    raw_path: str
    source: str
    sha256: str | None
    office_name: str | None
    listed_year: int | None
    registry_year: int | None = None
    # what the server said the bytes are (HTTP Content-Type), so a page served for a promised PDF or Word
    # file is `content_mismatch` as in `xxgk parse`; None for a local file
    content_type: str | None = None


def parse_jobs(jobs: list[ParseJob], limits: ParseLimits | None = None) -> list[ParsedReport]:
    """Parse every job in a limited child process; one ParsedReport per job, in order. Never raises."""
    limits = limits or ParseLimits.from_env()
    results: list[ParsedReport] = []
    for job in jobs:
        child = _take_child(limits)
        report, stopped = child.parse(job)
        if report is not None:
            _return_child(child)
            results.append(report)
            continue
        child.close()
        if child.parsed and stopped.reason != "time":
            # other documents ran before it in the same child and may have used up the memory together:
            # try it alone before blaming it (time is counted per document, so an overrun is its own)
            alone = _Child(limits)
            report, stopped = alone.parse(job)
            alone.close()
            if report is not None:
                results.append(report)
                continue
        results.append(_limit_report(job, limits, stopped))
    return results


def _worker_command() -> list[str]:
    return [sys.executable, "-m", "ingest.isolation_worker"]


def _child_env(limits: ParseLimits) -> dict[str, str]:
    env = dict(os.environ)
    env["XXGK_OCR_PAGES"] = str(limits.ocr_pages)
    env["XXGK_PARSE_MEMORY_BYTES"] = str(limits.memory_bytes)
    # Each malloc arena reserves 64 MiB of address space per thread; a few are plenty for one parser.
    env.setdefault("MALLOC_ARENA_MAX", "2")
    env.setdefault("OMP_NUM_THREADS", "1")
    env.setdefault("OPENBLAS_NUM_THREADS", "1")
    # The child imports `ingest` the way this process did, installed or from a source tree.
    src = str(Path(__file__).resolve().parents[1])
    env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


# Idle children by limits, kept between calls: starting one (interpreter and parser imports) costs far
# more than parsing a typical document, so a parse worker keeps its child for many chunks.
_idle: dict[ParseLimits, list[_Child]] = {}
_idle_lock = threading.Lock()


def _take_child(limits: ParseLimits) -> _Child:
    with _idle_lock:
        kept = _idle.get(limits, [])
        while kept:
            child = kept.pop()
            if child.alive():
                return child
            child.close()
    return _Child(limits)


def _return_child(child: _Child) -> None:
    if child.parsed >= child.limits.documents_per_child or not child.alive():
        child.close()  # a fresh child now and then: no parser's leaks or fragmentation pile up
        return
    with _idle_lock:
        _idle.setdefault(child.limits, []).append(child)


@atexit.register
def close_children() -> None:
    """End the idle children (each also ends by itself when this process's end closes its input)."""
    with _idle_lock:
        children = [c for kept in _idle.values() for c in kept]
        _idle.clear()
    for child in children:
        child.close()


class _Child:
    """One limited parsing child (`python -m ingest.isolation_worker`): a job in, a result frame out."""

    def __init__(self, limits: ParseLimits):
        self.limits = limits
        self.parsed = 0
        self._frames: queue.Queue = queue.Queue()
        self._stderr_tail: list[bytes] = []
        self._started = False
        self._start_error = ""
        try:
            self._proc: subprocess.Popen | None = subprocess.Popen(
                _worker_command(),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=_child_env(limits),
                start_new_session=True,
            )
        except OSError as e:
            logger.exception("cannot start the parsing child")
            self._proc = None
            self._start_error = f"the parser process could not be started: {e}"
            return
        threading.Thread(target=_read_frames, args=(self._proc.stdout, self._frames), daemon=True).start()
        threading.Thread(target=_drain, args=(self._proc.stderr, self._stderr_tail), daemon=True).start()
        self._send(limits)

    def alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def _send(self, message) -> bool:
        if self._proc is None or self._proc.stdin is None:
            return False
        body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self._proc.stdin.write(_FRAME.pack(len(body)) + body)
            self._proc.stdin.flush()
            return True
        except OSError:
            return False  # the child died; its exit status says why

    def parse(self, job: ParseJob) -> tuple[ParsedReport | None, _Stopped]:
        """The child's report on `job`, or None and why the child stopped (it is then of no further use)."""
        if self._proc is None:
            return None, _Stopped("died", self._start_error)
        self._stderr_tail.clear()  # what the child says about this document alone tells why it stopped
        self._send(job)
        # A child's own start-up (interpreter, parser imports) is not charged to its first document.
        seconds = self.limits.seconds_per_document + (0 if self._started else self.limits.startup_seconds)
        self._started = True
        try:
            frame = self._frames.get(timeout=seconds)
        except queue.Empty:
            _kill(self._proc)
            return None, _Stopped("time", f"no result within {self.limits.seconds_per_document:g} s")
        if frame is not None:
            self.parsed += 1
            return frame, _Stopped("", "")
        return None, self._why_stopped()

    def _why_stopped(self) -> _Stopped:
        assert self._proc is not None
        try:
            code = self._proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            _kill(self._proc)
            code = self._proc.wait()
        time.sleep(0.05)  # the stderr reader's last bytes
        tail = b"".join(self._stderr_tail).decode("utf-8", errors="replace")
        if _OUT_OF_MEMORY.search(tail) or code in (-signal.SIGKILL, -signal.SIGSEGV, -signal.SIGABRT):
            # Under RLIMIT_AS an allocation fails: Python raises MemoryError, native code aborts or crashes.
            reason = "memory"
        else:
            reason = "died"
        how = f"signal {signal.Signals(-code).name}" if code is not None and code < 0 else f"exit code {code}"
        detail = f"the parser process ended with {how}" + (f": {_last_line(tail)}" if tail.strip() else "")
        logger.warning("parsing child stopped (%s); stderr: %s", detail, tail[-2000:])
        return _Stopped(reason, detail)

    def close(self) -> None:
        """Let the child end (its input closes); one that does not is killed."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            if proc.stdin is not None:
                proc.stdin.close()
            proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            _kill(proc)
            proc.wait()


@dataclass(frozen=True)
class _Stopped:
    """Why a child stopped without a result: "memory", "time" or "died" (empty when it did not stop)."""

    reason: str
    detail: str


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # the child and anything it started (LibreOffice)
    except (ProcessLookupError, PermissionError):
        try:
            proc.kill()
        except ProcessLookupError:
            pass


def _read_frames(stream, frames: queue.Queue) -> None:
    try:
        while True:
            head = stream.read(_FRAME.size)
            if len(head) < _FRAME.size:
                break
            (size,) = _FRAME.unpack(head)
            body = stream.read(size)
            if len(body) < size:
                break
            frames.put(pickle.loads(body))
    except Exception:
        logger.exception("unreadable result from the parsing child")
    finally:
        frames.put(None)


def _drain(stream, tail: list[bytes]) -> None:
    kept = 0
    for chunk in iter(lambda: stream.read(8192), b""):
        tail.append(chunk)
        kept += len(chunk)
        while kept > 65536 and len(tail) > 1:
            kept -= len(tail.pop(0))


def _last_line(text: str) -> str:
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    return lines[-1][:300].rstrip(".") if lines else ""


def _limit_report(job: ParseJob, limits: ParseLimits, outcome: _Stopped) -> ParsedReport:
    """The failed document a child that died or overran leaves: the limit it hit, the file, the years."""
    from ingest.sniff import sniff

    name = Path(job.raw_path).name
    if outcome.reason == "time":
        limit = f"the wall-clock limit of {limits.seconds_per_document:g} s per document"
    elif outcome.reason == "memory":
        limit = f"the memory limit of {limits.describe_memory()}"
    else:
        limit = "a parser limit (the parser process died)"
    message = (
        f"{job.source} (archived as {name}): parsing stopped, it exceeded {limit}; "
        f"{outcome.detail}. The document is kept as failed and not parsed again until its bytes or "
        f"the parser version change"
    )
    try:
        with open(job.raw_path, "rb") as f:
            head = f.read(65536)
    except OSError:
        head = b""
    issues = [Issue("error", "parse_limit_exceeded", message)]
    year = job.registry_year if job.registry_year is not None else job.listed_year
    if job.registry_year is None and job.listed_year is not None:
        issues.append(
            Issue(
                "warning",
                "year_from_listing",
                f"{job.source}: no report year read from the document; "
                f"using {job.listed_year} from the link that led to it",
            )
        )
    return ParsedReport(
        source=job.source,
        format=sniff(head, job.source),
        sha256=job.sha256,
        office=job.office_name,
        year=year,
        template=None,
        issues=issues,
    )
