"""Where the tests find their inputs: the repository, the generated fixtures and the real corpus (skipping
cleanly where it is absent). Test modules import these; fixtures stay in conftest.py."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# Real published reports are never copied into the repository; CI has ../shared beside the clone.
REAL_CORPUS = Path(os.environ.get("XXGK_REAL_CORPUS", REPO.parent / "shared" / "corpus" / "real"))
FIXTURES = REPO / "tests" / "fixtures"


def real_report(name: str) -> Path:
    """Path of a real report in the shared corpus, or skip the test saying why."""
    path = REAL_CORPUS / name
    if not path.exists():
        pytest.skip(f"real corpus file {path} is absent (set XXGK_REAL_CORPUS to the folder holding it)")
    return path
