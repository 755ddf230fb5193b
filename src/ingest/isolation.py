"""Parse documents in child processes with a memory limit and a wall-clock limit.

A hostile or broken document can make a parser allocate gigabytes or run for hours. `parse_jobs` runs
`ingest.pipeline.parse_archived` in a child (`python -m ingest.isolation_worker`) whose address space
is capped (RLIMIT_AS, set by the child on itself, so starting it is safe from threads and from daemonic
processes such as Dask workers). One child parses a chunk of documents, so its start-up cost is shared;
the parent gives each document `seconds_per_document` from the moment the previous one finished.

When a child dies or overruns, the document it was on is the suspect. If other documents ran before it
in the same child, it is tried once more alone (a limit reached by the chunk together is not its
fault); alone, it is the culprit and gets a `parse_limit_exceeded` error naming the limit and the file.
The rest of the chunk continues in a new child. `parse_jobs` never raises and keeps the jobs' order.
"""

from __future__ import annotations

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
from dataclasses import dataclass, field
from pathlib import Path

from ingest.facts import Issue, ParsedReport

logger = logging.getLogger(__name__)

GiB = 1024**3
_FRAME = struct.Struct(">Q")
# A child's own start-up (interpreter, parser imports) is not charged to its first document.
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
    `XXGK_PARSE_SECONDS_PER_DOCUMENT`, `XXGK_OCR_PAGES` and `XXGK_PARSE_CHUNK`."""

    memory_bytes: int = int(1.5 * GiB)  # address space of the child (RLIMIT_AS)
    seconds_per_document: float = 120.0  # wall clock, per document
    ocr_pages: int = 50  # pages one document may send to OCR (passed to the child as XXGK_OCR_PAGES)
    chunk_size: int = 16  # documents per child
    startup_seconds: float = _STARTUP_SECONDS

    @classmethod
    def from_env(cls) -> ParseLimits:
        d = cls()
        return cls(
            memory_bytes=_env_number("XXGK_PARSE_MEMORY_BYTES", d.memory_bytes, int),
            seconds_per_document=_env_number("XXGK_PARSE_SECONDS_PER_DOCUMENT", d.seconds_per_document),
            ocr_pages=_env_number("XXGK_OCR_PAGES", d.ocr_pages, int),
            chunk_size=_env_number("XXGK_PARSE_CHUNK", d.chunk_size, int),
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


@dataclass
class _Outcome:
    """What became of a child run: results by job index, and why it stopped early (if it did)."""

    results: dict[int, ParsedReport] = field(default_factory=dict)
    stopped: str | None = None  # "memory" | "time" | "died"
    detail: str = ""


def parse_jobs(jobs: list[ParseJob], limits: ParseLimits | None = None) -> list[ParsedReport]:
    """Parse every job in a limited child process; one ParsedReport per job, in order. Never raises."""
    limits = limits or ParseLimits.from_env()
    results: dict[int, ParsedReport] = {}
    pending = list(range(len(jobs)))
    chunk = max(1, limits.chunk_size)
    while pending:
        batch, pending = pending[:chunk], pending[chunk:]
        while batch:
            outcome = _run_child([jobs[i] for i in batch], limits)
            done = [batch[k] for k in sorted(outcome.results)]
            for k, report in outcome.results.items():
                results[batch[k]] = report
            unfinished = [i for i in batch if i not in results]
            if not unfinished:
                break
            suspect = unfinished[0]
            if outcome.stopped is None:  # the child ended without a word on `suspect`: treat as died
                outcome.stopped, outcome.detail = "died", outcome.detail or "the parser process ended early"
            if done and outcome.stopped != "time":
                # others ran before it in the same child, which may have used up the memory together:
                # try it alone before blaming it (time is counted per document, so an overrun is its own)
                alone = _run_child([jobs[suspect]], limits)
                if alone.results:
                    results[suspect] = alone.results[0]
                else:
                    results[suspect] = _limit_report(jobs[suspect], limits, alone)
            else:
                results[suspect] = _limit_report(jobs[suspect], limits, outcome)
            batch = unfinished[1:]
    return [results[i] for i in range(len(jobs))]


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


def _run_child(jobs: list[ParseJob], limits: ParseLimits) -> _Outcome:
    outcome = _Outcome()
    try:
        proc = subprocess.Popen(
            _worker_command(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=_child_env(limits),
            start_new_session=True,
        )
    except OSError as e:
        logger.exception("cannot start the parsing child")
        outcome.stopped, outcome.detail = "died", f"the parser process could not be started: {e}"
        return outcome
    frames: queue.Queue = queue.Queue()
    stderr_tail: list[bytes] = []
    reader = threading.Thread(target=_read_frames, args=(proc.stdout, frames), daemon=True)
    drain = threading.Thread(target=_drain, args=(proc.stderr, stderr_tail), daemon=True)
    reader.start()
    drain.start()
    assert proc.stdin is not None  # stdin=PIPE
    try:
        proc.stdin.write(pickle.dumps((limits, jobs), protocol=pickle.HIGHEST_PROTOCOL))
        proc.stdin.close()
    except OSError:
        pass  # the child died at once; its exit status says why
    deadline = time.monotonic() + limits.startup_seconds + limits.seconds_per_document
    while len(outcome.results) < len(jobs):
        try:
            frame = frames.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            outcome.stopped = "time"
            outcome.detail = f"no result within {limits.seconds_per_document:g} s"
            _kill(proc)
            break
        if frame is None:  # end of the child's output
            break
        index, report = frame
        outcome.results[index] = report
        deadline = time.monotonic() + limits.seconds_per_document
    try:
        code = proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        _kill(proc)
        code = proc.wait()
    reader.join(timeout=5)
    drain.join(timeout=5)
    if len(outcome.results) < len(jobs) and outcome.stopped is None:
        tail = b"".join(stderr_tail).decode("utf-8", errors="replace")
        if _OUT_OF_MEMORY.search(tail) or code in (-signal.SIGKILL, -signal.SIGSEGV, -signal.SIGABRT):
            # Under RLIMIT_AS an allocation fails: Python raises MemoryError, native code aborts or crashes.
            outcome.stopped = "memory"
        else:
            outcome.stopped = "died"
        how = f"signal {signal.Signals(-code).name}" if code is not None and code < 0 else f"exit code {code}"
        outcome.detail = f"the parser process ended with {how}" + (f": {_last_line(tail)}" if tail.strip() else "")
        logger.warning("parsing child stopped (%s); stderr: %s", outcome.detail, tail[-2000:])
    return outcome


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


def _limit_report(job: ParseJob, limits: ParseLimits, outcome: _Outcome) -> ParsedReport:
    """The failed document a child that died or overran leaves: the limit it hit, the file, the years."""
    from ingest.sniff import sniff

    name = Path(job.raw_path).name
    if outcome.stopped == "time":
        limit = f"the wall-clock limit of {limits.seconds_per_document:g} s per document"
    elif outcome.stopped == "memory":
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
