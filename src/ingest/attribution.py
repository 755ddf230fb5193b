"""Which office a report belongs to when one office's listing carries another's report.

County sites often list their townships' reports in their own column. The report belongs to the office
whose name its title carries, if the registry has that office; otherwise it stays with the listing's
office, with a warning naming what the title says. A later run that finds the right office (the registry
gained it) moves the report: `move_report` keeps the move's history in `report_move` and clears the old
report, so the loader can load the document under the right office.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime

from ingest.sqlfiles import sql_text

logger = logging.getLogger(__name__)

# What follows the office's name in a report title, and what an office's registered name may add.
_TITLE_TAIL = re.compile(r"(?:关于)?(?:(?:19|20)\d{2}|[〇零一二三四五六七八九]{4})\s*年(?:度)?.*$")
_NAME_SUFFIXES = ("人民政府办公室", "人民政府", "政府")
_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class Attribution:
    office_id: str  # the office the report belongs to
    warning: str | None = None  # the title names an office the registry does not have
    moved_from: str | None = None  # the listing's office, when the report went to another office


def _flat(text: str) -> str:
    return _WS.sub("", unicodedata.normalize("NFKC", text or ""))


def named_in_title(title: str) -> str:
    """The office name a report title starts with (`示范县样本镇2023年…报告` → `示范县样本镇`), or ''."""
    flat = _flat(title)
    m = _TITLE_TAIL.search(flat)
    return flat[: m.start()] if m else ""


def core_name(name: str) -> str:
    """An office's name without the government suffix every level shares (`人民政府`)."""
    flat = _flat(name)
    for suffix in _NAME_SUFFIXES:
        if flat.endswith(suffix) and len(flat) > len(suffix):
            return flat[: -len(suffix)]
    return flat


def _matches(named: str, office) -> bool:
    core = core_name(office.name)
    return bool(core) and (
        named == core or named == _flat(office.name) or named.endswith(core) or core.endswith(named) and len(named) >= 2
    )


def attribute(title: str | None, listing_office, offices) -> Attribution:
    """The office a report found on `listing_office`'s listing belongs to (see the module doc)."""
    named = named_in_title(title or "")
    if not named or _matches(named, listing_office):
        return Attribution(listing_office.id)
    candidates = [o for o in offices if o.id != listing_office.id and _matches(named, o)]
    if candidates:
        # the most specific name wins (样本镇 over 示范县 for 示范县样本镇…)
        best = max(candidates, key=lambda o: (len(core_name(o.name)), o.id))
        return Attribution(best.id, moved_from=listing_office.id)
    return Attribution(
        listing_office.id,
        warning=(
            f"report {title!r} on the listing of {listing_office.id} names {named!r}, which is not in the registry; "
            f"kept under {listing_office.id}"
        ),
    )


def move_report(con, sha256: str, to_office_id: str, reason: str) -> list[tuple[str, str]]:
    """Move a loaded document's report to `to_office_id`: record the move in `report_move`, clear the old
    report. Returns the (from_report_id, from_office_id) moved; empty when it already sits there.
    The caller then loads the document under the new office (load_report)."""
    con.execute(sql_text("152_report_move.sql"))
    moved = con.execute(
        "SELECT report_id, office_id FROM report WHERE sha256 = $sha256 AND office_id <> $to",
        {"sha256": sha256, "to": to_office_id},
    ).fetchall()
    if not moved:
        return []
    params = {
        "sha256": sha256,
        "to_office_id": to_office_id,
        "reason": reason,
        "moved_at": datetime.now(UTC).replace(tzinfo=None),
    }
    for statement in _statements(sql_text("queries/report_move.sql")):
        con.execute(statement, {k: v for k, v in params.items() if f"${k}" in statement})
    for report_id, office_id in moved:
        logger.info(
            "report %s (document %s…) moved from %s to %s: %s", report_id, sha256[:12], office_id, to_office_id, reason
        )
    return [tuple(m) for m in moved]


def _statements(text: str) -> list[str]:
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))
    return [s.strip() for s in body.split(";") if s.strip()]
