"""The raw archive: every fetched document kept once, by content, under `<archive_dir>/<sha256>`.

Files are never overwritten or deleted, so earlier versions of a report stay available after a site
replaces it. Writes go to a temporary file in the same directory and are renamed into place, so a
crash never leaves a half-written document under its hash.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def path_for(archive_dir: Path | str, sha256: str) -> Path:
    return Path(archive_dir) / sha256


def store(data: bytes, archive_dir: Path | str) -> tuple[str, Path]:
    """Archive `data`; returns its sha256 and path. Storing the same bytes twice writes once."""
    archive_dir = Path(archive_dir)
    digest = sha256_of(data)
    target = path_for(archive_dir, digest)
    if target.exists() and target.stat().st_size == len(data):
        return digest, target
    archive_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=archive_dir, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return digest, target


def load(archive_dir: Path | str, sha256: str) -> bytes:
    return path_for(archive_dir, sha256).read_bytes()
