"""The child side of `ingest.isolation`: the limits, then jobs, read as frames on stdin; one result frame
per job on stdout, until stdin closes.

It limits its own address space first (so the parent needs no `preexec_fn`, which is unsafe in a
threaded parent), then writes each result as soon as it is ready: a child that dies later has still
delivered the documents before. Anything a library prints goes to stderr, never into the frames.
"""

from __future__ import annotations

import os
import pickle
import resource
import struct
import sys

_FRAME = struct.Struct(">Q")


def _limit_memory(memory_bytes: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    target = memory_bytes if hard == resource.RLIM_INFINITY else min(memory_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (target, hard))


def _peak_address_space() -> int | None:
    """This process's peak virtual memory (VmPeak), in bytes; None where /proc does not tell."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmPeak:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        return None
    return None


def _read_frame(stream):
    """The next message from the parent, or None when its end of the pipe has closed."""
    head = stream.read(_FRAME.size)
    if len(head) < _FRAME.size:
        return None
    (size,) = _FRAME.unpack(head)
    body = stream.read(size)
    return pickle.loads(body) if len(body) == size else None


def main() -> int:
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints land in stderr
    inbox = sys.stdin.buffer
    limits = _read_frame(inbox)
    if limits is None:
        return 0
    _limit_memory(limits.memory_bytes)
    from ingest.archived_parse import parse_archived
    from ingest.facts import Issue

    while (job := _read_frame(inbox)) is not None:
        peak_before = _peak_address_space()
        report = parse_archived(
            job.raw_path,
            source=job.source,
            sha256=job.sha256,
            office_name=job.office_name,
            listed_year=job.listed_year,
            registry_year=job.registry_year,
            content_type=job.content_type,
        )
        peak = _peak_address_space()
        near_limit = peak is not None and peak > (peak_before or 0) and peak >= 0.9 * limits.memory_bytes
        errors = [i for i in report.issues if i.severity == "error"]
        if errors and (near_limit or any("MemoryError" in i.message for i in errors)):
            # The parser caught the failed allocation itself (Python's MemoryError, or libxml2's "unknown
            # error" when its malloc fails): say which limit it ran into
            report.issues.append(
                Issue(
                    "error",
                    "parse_limit_exceeded",
                    f"{job.source} (archived as {os.path.basename(job.raw_path)}): parsing "
                    f"stopped, it exceeded the memory limit of {limits.describe_memory()}",
                )
            )
        body = pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL)
        out.write(_FRAME.pack(len(body)) + body)
        out.flush()
    out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
