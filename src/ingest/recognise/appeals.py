"""Table 四: one data row of 15 numbers under three header rows, read as three rows × five columns."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ingest.labels import base, key
from ingest.recognise.alignment import Aligned
from ingest.recognise.positions import Ranges, by_position, fits, header_ranges
from ingest.recognise.tokens import Tok
from ingest.values import looks_like_value

if TYPE_CHECKING:
    from collections.abc import Callable

    from ingest.labels import Labels
    from ingest.recognise.tokens import Cursor
    from ingest.reportformat import ReportFormat

MIN_BLANK_DATA_ROW = 10  # an all-blank grid row this wide after the header is the data row


class AppealsReader:
    """Mixed into the reader: what table 四 needs."""

    # set or defined by `reader.Reader`, which mixes this in
    rf: ReportFormat
    lab: Labels
    toks: list[Tok]
    cursor: Cursor
    table_toks: dict[int, list[Tok]]
    _solve: Callable[..., Aligned]
    _emit_cells: Callable[..., None]

    def _is_value_row(self, toks: list[Tok]) -> bool:
        if not all(looks_like_value(t.text) for t in toks):
            return False
        return any(t.text for t in toks) or len(toks) >= MIN_BLANK_DATA_ROW

    def _appeals_token(self, i: int, k: str, b: str) -> int:
        if k in self.lab.appeal_labels or b in self.lab.appeal_labels:
            self.appeal_header_seen = True
            return i + 1
        t = self.toks[i]
        # a value row starts at its first token; rows of vertical header characters are skipped
        start = self.cursor.row_start(i)
        first_row = self.cursor.row_tokens(t.row, start)
        if not all(looks_like_value(u.text) for u in first_row):
            return i + 1
        if not (self._is_value_row(first_row) or self.appeal_header_seen):
            return i + 1  # a blank line before the header says nothing
        vals: list[Tok] = []
        j = start
        n_cols = len(self.rf.appeal_columns)
        total = len(self.rf.appeal_rows) * n_cols
        while j < len(self.toks) and len(vals) < total:
            row = self.cursor.row_tokens(self.toks[j].row, j)
            # once the data have begun, a blank cell on a line of its own is one of them
            if not all(looks_like_value(u.text) for u in row):
                if any(key(u.text) in self.lab.appeal_labels for u in row):
                    return start + len(first_row)  # blank rows inside the header, not the data
                break
            vals.extend(row)
            j += len(row)
        self.appeals_done = True
        ranges = self._appeal_ranges(vals[0].table)
        positioned = by_position(vals, ranges) if ranges and len({v.table for v in vals}) == 1 else None
        columns = [(c, None) for c in self.rf.appeal_columns]
        cells = [("appeals", r.code, c.code) for r in self.rf.appeal_rows for c in self.rf.appeal_columns]
        aligned = self._solve(
            vals, cells, at_end=j >= len(self.toks) and len(vals) < total, total_last=True, positioned=positioned
        )
        where = vals[0].where
        for r_index, row_item in enumerate(self.rf.appeal_rows):
            part_cells = aligned.cells[r_index * n_cols : (r_index + 1) * n_cols]
            first = r_index == 0  # one data row: its alignment notes are reported once
            part = Aligned(
                part_cells,
                max(0, n_cols - len(part_cells)) if aligned.missing else 0,
                aligned.shifted and first,
                aligned.extra if first else (),
                uncertain=aligned.uncertain,
                alternatives=aligned.alternatives if first else (),
            )
            self._emit_cells("appeals", row_item, columns, part, where, label="四 data row", report_alignment=first)
        return j

    def _appeal_ranges(self, table: int | None) -> Ranges | None:
        """The 15 column positions of table 四, when its header gives each its own place."""
        if table is None:
            return None
        toks = self.table_toks.get(table, [])
        forms = {}
        for c in self.rf.appeal_columns:
            for s in c.spellings():
                forms[key(s)] = forms[base(s)] = c.code
        heads = sorted(
            (t for t in toks if t.text and (forms.get(key(t.text)) or forms.get(base(t.text)))),
            key=lambda t: t.col if t.col is not None else -1,
        )
        expected = [c.code for _ in self.rf.appeal_rows for c in self.rf.appeal_columns]
        if [forms.get(key(t.text)) or forms.get(base(t.text)) for t in heads] != expected:
            return None
        ranges = header_ranges([[t] for t in heads], toks)
        if ranges is None:
            return None
        values = [t for t in toks if t.text and looks_like_value(t.text)]
        return ranges if fits(ranges, (), values) else None
