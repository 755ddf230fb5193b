"""Named points where a run can be held still, so that tests can kill it there for real.

With `XXGK_PAUSE_AT` naming a point (comma-separated for several) a run reaching it writes the point's
name to the file `XXGK_PAUSE_FILE` and sleeps until it is killed. Unset, a point costs one lookup.
"""

from __future__ import annotations

import os
import time


def pause_point(name: str) -> None:
    wanted = os.environ.get("XXGK_PAUSE_AT")
    if not wanted or name not in wanted.split(","):
        return
    marker = os.environ.get("XXGK_PAUSE_FILE")
    if marker:
        with open(marker, "a", encoding="utf-8") as f:
            f.write(name + "\n")
    while True:
        time.sleep(60)
