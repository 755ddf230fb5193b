"""Cells correct / cells expected on each real report, against the values written out in
tests/test_recognise_real.py.

    uv run python benchmarks/score_real.py
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "src"), str(REPO / "tests")]

from test_recognise_real import REAL, score  # noqa: E402


def main() -> None:
    total_ok = total = 0
    for name in sorted(REAL):
        ok, n = score(name)
        total_ok, total = total_ok + ok, total + n
        print(f"{name:40s} {ok:4d} / {n:4d}")
    print(f"{'all':40s} {total_ok:4d} / {total:4d}")


if __name__ == "__main__":
    main()
