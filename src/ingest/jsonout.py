"""ParsedReport → one JSON line (the stable contract of `xxgk parse --json`) or a one-line summary."""

from __future__ import annotations

import json
import re
from collections import Counter
from decimal import Decimal

from ingest.facts import ParsedReport
from ingest.grid import Where

# json knows only float; an amount is written as a marked string, then unquoted into an exact number
_MARK = "\x00decimal:"
_MARKED = re.compile(r'"\\u0000decimal:(-?[0-9.]+)"')


def _number(v):
    if isinstance(v, Decimal):
        return _MARK + format(v, "f")
    return v


def _where(w: Where | None) -> dict | None:
    if w is None:
        return None
    d: dict[str, object] = {
        "page": w.page,
        "path": w.path,
        "bbox": list(w.bbox) if w.bbox else None,
        "method": w.method,
    }
    if w.confidence is not None:
        d["confidence"] = w.confidence
    return {k: v for k, v in d.items() if v is not None}


def report_dict(report: ParsedReport) -> dict:
    return {
        "source": report.source,
        "office": report.office,
        "year": report.year,
        "template": report.template,
        "facts": [
            {
                "table": f.table,
                "row": f.row,
                "column": f.column,
                "value": _number(f.value),
                "text": f.text,
                "unit": f.unit,
                "flags": list(f.flags),
                "where": _where(f.where),
            }
            for f in report.facts
        ],
        "issues": [
            {
                "severity": i.severity,
                "code": i.code,
                "message": i.message,
                "table": i.table,
                "row": i.row,
                "column": i.column,
                "where": _where(i.where),
            }
            for i in report.issues
        ],
        "format": report.format,
        "sha256": report.sha256,
        "title": report.title,
        "unmapped": [
            {
                "table": u.table,
                "label": u.label,
                "cells": [{"column": c, "text": t} for c, t in u.cells],
                "where": _where(u.where),
            }
            for u in report.unmapped
        ],
    }


def report_to_json(report: ParsedReport) -> str:
    text = json.dumps(report_dict(report), ensure_ascii=False, separators=(",", ":"))
    return _MARKED.sub(r"\1", text)


def report_summary(report: ParsedReport) -> str:
    by_table = Counter(f.table for f in report.facts)
    sev = Counter(i.severity for i in report.issues)
    codes = Counter(i.code for i in report.issues)
    tables = ", ".join(f"{t} {n}" for t, n in by_table.items()) or "no facts"
    issue_text = ", ".join(f"{c}×{n}" for c, n in sorted(codes.items()))
    return (
        f"{report.source}: {report.office or '?'} {report.year or '?'} template {report.template or '?'}; "
        f"{tables}; {sev.get('error', 0)} errors, {sev.get('warning', 0)} warnings"
        + (f" ({issue_text})" if issue_text else "")
    )
