"""Table 三: the application rows, in the format's order, with misprinted labels read in their place."""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from ingest.labels import base, key
from ingest.recognise.positions import Ranges, fits, header_ranges
from ingest.recognise.tokens import Tok
from ingest.reportformat import Item, normalise, numbering
from ingest.values import looks_like_value

if TYPE_CHECKING:
    from collections.abc import Callable

    from ingest.labels import Labels
    from ingest.recognise.issues import IssueBuilder
    from ingest.recognise.tokens import Cursor
    from ingest.reportformat import ReportFormat

MISPRINT_SIMILARITY = 0.75


class ApplicationsReader:
    """Mixed into the reader: what table 三 needs."""

    # set or defined by `reader.Reader`, which mixes this in
    rf: ReportFormat
    lab: Labels
    template: str
    toks: list[Tok]
    cursor: Cursor
    table_toks: dict[int, list[Tok]]
    report_issues: IssueBuilder
    app_rows: tuple[Item, ...]
    app_pos: int
    app_started: bool
    app_ranges: dict[int, Ranges | None]
    _emit_row: Callable[..., int]
    _unmapped_row: Callable[..., int]
    _looks_like_row_label: Callable[[Tok], bool]

    def _app_columns(self) -> list[tuple[Item, str | None]]:
        return [(c, None) for c in self.rf.application_columns]

    def _applications_token(self, i: int, k: str, b: str) -> int:
        lab = self.lab
        candidates = [r for f in (k, b) for r in lab.app_rows.get(f, ()) if r in self.app_rows]
        if (
            candidates
            and k in lab.app_other_labels
            and not numbering(normalise(self.toks[i].text))
            and not self._heads_values(i)
        ):
            candidates = []  # a column header (`其他`, repeated atop a page) that reads like row 3.其他
        if candidates and not (not self.app_started and (k in lab.app_other_labels)):
            ahead = [r for r in candidates if self.app_rows.index(r) >= self.app_pos]
            item = ahead[0] if ahead else candidates[0]
            self.app_started = True
            self.app_pos = self.app_rows.index(item) + 1
            return self._emit_row(
                i, "applications", item, self._app_columns(), ranges=self._app_ranges(self.toks[i].table)
            )
        if k in lab.app_other_labels or b in lab.app_other_labels or k in lab.app_rows:
            return i + 1
        t = self.toks[i]
        if self.app_started and self._looks_like_row_label(t):
            variant = self._misprinted_next_row(t)
            if variant is not None:
                self.report_issues.row_label_variant("applications", t, variant.labels[self.template], variant.code)
                self.app_pos = self.app_rows.index(variant) + 1
                return self._emit_row(
                    i,
                    "applications",
                    variant,
                    self._app_columns(),
                    ranges=self._app_ranges(t.table),
                    row_flags=("row_label_variant",),
                )
            return self._unmapped_row(i, "applications", self._app_columns())
        return i + 1

    def _heads_values(self, i: int) -> bool:
        """Values (printed or blank) follow this token: in its own grid row or, standing alone, as the next
        token."""
        rest = self.cursor.row_tokens(self.toks[i].row, i + 1)
        if not rest and i + 1 < len(self.toks):
            rest = [self.toks[i + 1]]
        return bool(rest) and all(looks_like_value(u.text) for u in rest)

    def _misprinted_next_row(self, t: Tok) -> Item | None:
        """The next expected row, when this unknown label is a misprint of it: same numbering
        (`2.`), nearly the same characters. Only ever the next row, so nothing is forced out of order."""
        if self.app_pos >= len(self.app_rows):
            return None
        expected = self.app_rows[self.app_pos]
        printed, official = normalise(t.text), normalise(expected.labels[self.template])
        number = numbering(official)
        if not number or not printed.startswith(number):
            return None
        ratio = SequenceMatcher(None, key(t.text), key(official)).ratio()
        return expected if ratio >= MISPRINT_SIMILARITY else None

    def _app_ranges(self, table: int | None) -> Ranges | None:
        """Table 三's column positions in this grid, when its header and cells keep them."""
        if table is None:
            return None
        if table not in self.app_ranges:
            self.app_ranges[table] = self._find_app_ranges(table)
        return self.app_ranges[table]

    def _find_app_ranges(self, table: int) -> Ranges | None:
        toks = self.table_toks.get(table, [])
        forms: dict[str, str] = {}
        for c in self.rf.application_columns:
            for s in c.spellings():
                forms.setdefault(key(s), c.code)
                forms.setdefault(base(s), c.code)
        first: dict[str, Tok] = {}
        for t in toks:
            if t.text:
                code = forms.get(key(t.text)) or forms.get(base(t.text))
                if code and code not in first:
                    first[code] = t
        ranges = header_ranges([[first[c.code]] if c.code in first else [] for c in self.rf.application_columns], toks)
        if ranges is None:
            return None
        group_forms = {f for g in self.rf.application_groups.values() for f in (key(g), base(g))}
        headers = {id(t) for t in first.values()}  # `其他` heads a column and is also the 2021 row 3.其他
        labels, label_rows = [], set()
        for t in toks:
            if (
                t.text
                and id(t) not in headers
                and (
                    key(t.text) in self.lab.app_rows or base(t.text) in self.lab.app_rows or key(t.text) in group_forms
                )
            ):
                labels.append(t)
                label_rows.add(t.row)
        label_ids = {id(t) for t in labels}
        values = [t for t in toks if t.row in label_rows and id(t) not in label_ids]
        return ranges if labels and fits(ranges, labels, values) else None
