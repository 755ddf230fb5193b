"""The format template of a document, from the labels it prints (never from its year or cited notice)."""

from __future__ import annotations

from ingest.facts import Issue
from ingest.labels import base, key, labels
from ingest.recognise.tokens import Tok
from ingest.reportformat import report_format
from ingest.values import looks_like_value

LOOKAHEAD = 12  # tokens after a single （六）其他处理 in which its values or （七）总计 follow


def detect_template(toks: list[Tok]) -> tuple[str | None, list[Issue]]:
    """Which template-specific labels the document prints decides; None when it prints none."""
    lab = labels()
    votes = {"2019": 0, "2021": 0, "2021-single-other": 0}
    other_row_with_values = False
    other_parts_seen = False
    rf = report_format()
    # `3.其他` reads like the column header 其他: only the unmistakable labels count as evidence
    other_part_keys = {key(r.labels["2021"]) for r in rf.application_rows if r.code in rf.other_parts}
    other_part_keys -= lab.app_other_labels
    other_key = next(key(r.labels["2019"]) for r in rf.application_rows if r.code == "other")
    total_key = next(key(r.labels["2019"]) for r in rf.application_rows if r.code == "total_processed")
    for n, t in enumerate(toks):
        if not t.text:
            continue
        k, b = key(t.text), base(t.text)
        templates = lab.evidence.get(k) or lab.evidence.get(b)
        if templates:
            for v in templates:
                votes[v] += 1
        if k in other_part_keys:
            other_parts_seen = True
        if k == other_key:
            # a single （六） row is followed by its values (printed or blank) and then （七）总计;
            # the 2021 group cell by its numbered sub-rows
            following = next((u for u in toks[n + 1 : n + LOOKAHEAD] if u.text), None)
            if following is not None and (looks_like_value(following.text) or key(following.text) == total_key):
                other_row_with_values = True
    issues: list[Issue] = []
    if not any(votes.values()):
        return None, issues
    old, new = votes["2019"], max(votes["2021"], votes["2021-single-other"])
    if old and new:
        issues.append(
            Issue(
                "warning",
                "version_mixed_labels",
                f"labels of both format versions are printed (2019: {old}, 2021: {new}); "
                f"read as {'2019' if old >= new else '2021'}",
            )
        )
    if old >= new:
        return "2019", issues
    if not other_parts_seen and other_row_with_values:
        return "2021-single-other", issues
    return "2021", issues
