"""The walk over the token stream: sections, tables, rows; and what each row's cells become.

Format-blind: every document is one stream of tokens (cell and paragraph texts in reading order, each
remembering its grid row and position). Sections are found from headings or, where headings are missing,
from the tables' own labels; each recognised row label takes the values after it — the rest of its grid
row, or, where the label stands alone (one cell per line), the value tokens that follow — and
`alignment` decides which value is which column.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from ingest.facts import Fact, UnmappedRow
from ingest.grid import Where
from ingest.labels import base, is_label, key, labels, section_of
from ingest.recognise import identities
from ingest.recognise.alignment import Aligned, Cells, solve_row, solve_table
from ingest.recognise.alignment import number as _number
from ingest.recognise.appeals import AppealsReader
from ingest.recognise.applications import ApplicationsReader
from ingest.recognise.issues import TABLE_NAMES, IssueBuilder
from ingest.recognise.positions import Ranges, by_position, fits
from ingest.recognise.proactive import ProactiveReader
from ingest.recognise.tokens import Cursor, Tok
from ingest.reportformat import Block, Item, report_format
from ingest.values import Reading, looks_like_value, read_value

TEXT_SECTIONS = ("overview", "problems", "other_matters")
MAX_ROW_LABEL_CHARS = 30
MAX_LABEL_PIECES = 3  # a label wrapped onto this many lines (one cell per line) is joined back
TOTAL_LAST = ("applications", "appeals")  # tables whose last column is 总计
GUESS_FLAG = "alignment_uncertain"

CellKey = tuple[str, str, str]


class _Pending:
    """A row of table 三 whose alignment the row alone could not prove, kept for the table's identities."""

    def __init__(self, item: Item, columns, aligned: Aligned, where: Where, label: str, row_flags: tuple[str, ...]):
        self.item, self.columns, self.aligned = item, columns, aligned
        self.where, self.label, self.row_flags = where, label, row_flags


class Reader(ProactiveReader, ApplicationsReader, AppealsReader):
    def __init__(self, detected: str | None, toks: list[Tok]):
        self.toks = toks
        self.cursor = Cursor(toks)
        self.rf = report_format()
        self.lab = labels()
        self.detected = detected
        self.template = detected or "2019"  # rows and columns shared by all templates read the same
        self.facts: dict[CellKey, Fact] = {}
        self.report_issues = IssueBuilder()
        self.unmapped: list[UnmappedRow] = []
        self.section: str | None = None
        self.block: Block | None = None
        self.header: list[Tok] | None = None
        self.header_open = False
        self.header_maps: dict = {}
        self.app_rows = self.rf.application_rows_in(self.template)
        self.app_pos = 0
        self.app_started = False
        self.appeals_done = False
        self.seen_rows: dict[str, set[str]] = {t: set() for t in TABLE_NAMES}
        self.incomplete: dict[str, list[str]] = {t: [] for t in TABLE_NAMES}
        self.appeal_header_seen = False
        self.sections_seen: set[str] = set()
        self.table_toks: dict[int, list[Tok]] = {}
        for t in toks:
            if t.table is not None:
                self.table_toks.setdefault(t.table, []).append(t)
        self.app_ranges: dict[int, Ranges | None] = {}
        self.pending: list[_Pending] = []

    @property
    def issues(self):
        return self.report_issues.issues

    # ---- the walk ------------------------------------------------------------------------------

    def run(self) -> None:
        toks, i = self.toks, 0
        while i < len(toks):
            t = toks[i]
            if not t.text:
                # an all-blank data row of table 四 is still its data row
                if self.section == "appeals" and not self.appeals_done and (i == 0 or toks[i - 1].row != t.row):
                    i = self._appeals_token(i, "", "")
                else:
                    i += 1
                continue
            sec = section_of(t.text)
            if sec:
                self._enter(sec)
                i += 1
                continue
            i = self._join_split_label(i)
            i = self._step(i)
        self._finish_applications()

    def _alone(self, i: int) -> bool:
        """The token is the only one in its grid row (a paragraph, or a line of one-cell-per-line text)."""
        row = self.toks[i].row
        return (i == 0 or self.toks[i - 1].row != row) and (i + 1 >= len(self.toks) or self.toks[i + 1].row != row)

    def _join_split_label(self, i: int) -> int:
        """A label wrapped onto several lines of one-cell-per-line text (`本年新收政府信` then
        `息公开申请数量`) read as one: the pieces are joined into the last piece's token."""
        t = self.toks[i]
        # a piece may match a label only without its bracketed remark (`（二）部分公开（区分处理的，只`)
        if (
            not self._alone(i)
            or looks_like_value(t.text)
            or key(t.text) in self.lab.all_labels
            or len(t.text) > MAX_ROW_LABEL_CHARS
        ):
            return i
        joined = t.text
        for j in range(i + 1, min(len(self.toks), i + MAX_LABEL_PIECES)):
            u = self.toks[j]
            if not u.text or not self._alone(j) or looks_like_value(u.text):
                return i
            joined += u.text
            k = key(joined)
            if (
                k in self.lab.app_rows
                or k in self.lab.block_rows
                or k in self.lab.captions
                or k == self.lab.header_start
            ):
                self.toks[j] = Tok(joined, t.where, u.row, u.ragged, u.table, u.col, u.span)
                return j
        return i

    def _enter(self, section: str) -> None:
        self.section = section
        self.sections_seen.add(section)
        self.block, self.header, self.header_open = None, None, False

    def _step(self, i: int) -> int:
        t = self.toks[i]
        k, b = key(t.text), base(t.text)
        lab = self.lab
        if k in lab.captions:
            if self.section != "proactive":
                self._enter("proactive")
            self.block, self.header, self.header_open = lab.captions[k], None, False
            return i + 1
        if k == lab.header_start or b == lab.header_start:
            if self.section != "proactive":
                self._enter("proactive")
            self.header, self.header_open = [], True
            return i + 1
        if self.section in (None, "proactive", *TEXT_SECTIONS):
            hit = self._block_row(k, b)
            if hit:
                if self.section != "proactive":
                    self._enter("proactive")
                return self._proactive_row(i, *hit)
            if self.section == "proactive" and self.header_open and self.header is not None:
                self.header.append(t)
                return i + 1
        if self.section not in ("applications", "appeals") and (k in lab.app_strong or b in lab.app_strong):
            self._enter("applications")
        if self.section == "applications":
            if self.app_started and k in lab.appeal_labels and k not in lab.app_rows and k not in lab.app_other_labels:
                self._enter("appeals")
            else:
                return self._applications_token(i, k, b)
        if self.section == "appeals" and not self.appeals_done:
            return self._appeals_token(i, k, b)
        if self.section == "proactive" and self.block and self._looks_like_row_label(t):
            return self._unmapped_row(i, "proactive", self._columns_of(self.block).columns)
        return i + 1

    # ---- rows ------------------------------------------------------------------------------------

    def _judge(self, cells: Sequence[CellKey]):
        """The row's identities as a test of one reading of its cells (None: no identity to judge)."""
        decidable = identities.within(self.template, cells)
        if not decidable:
            return None

        def judge(reading: Cells) -> bool | None:
            values = {c: _number(tok.text) if tok is not None else 0 for c, tok in zip(cells, reading, strict=False)}
            verdicts = [i.holds(values.get) for i in decidable]
            if any(v is False for v in verdicts):
                return False
            return True if any(v is True for v in verdicts) else None

        return judge

    def _solve(
        self,
        vals: list[Tok],
        cells: list[CellKey],
        *,
        at_end: bool,
        total_last: bool,
        positioned: list[Tok | None] | None = None,
    ) -> Aligned:
        return solve_row(
            vals, len(cells), at_end=at_end, total_last=total_last, positioned=positioned, judge=self._judge(cells)
        )

    def _emit_row(
        self,
        i: int,
        table: str,
        item: Item,
        columns: list[tuple[Item, str | None]],
        *,
        ranges: Ranges | None = None,
        row_flags: tuple[str, ...] = (),
    ) -> int:
        label_tok = self.toks[i]
        vals, j, at_end = self.cursor.take(i, len(columns))
        if item.code in self.seen_rows[table]:
            self.report_issues.row_duplicate(table, item.code, label_tok)
            return j
        positioned = None
        if ranges is not None and all(v.table == label_tok.table for v in vals) and fits(ranges, [label_tok], ()):
            positioned = by_position(vals, ranges)
        cells = [(table, item.code, c.code) for c, _ in columns]
        aligned = self._solve(vals, cells, at_end=at_end, total_last=table in TOTAL_LAST, positioned=positioned)
        self._emit_cells(table, item, columns, aligned, label_tok.where, label=label_tok.text, row_flags=row_flags)
        return j

    def _emit_cells(
        self,
        table: str,
        item: Item,
        columns,
        aligned: Aligned,
        where: Where,
        label: str,
        *,
        row_flags: tuple[str, ...] = (),
        report_alignment: bool = True,
    ) -> None:
        self.seen_rows[table].add(item.code)
        if aligned.shifted:
            self.report_issues.cells_shifted(table, item.code, label, where)
        if aligned.extra:
            self.report_issues.cells_extra(table, item.code, label, where, aligned.extra)
        if aligned.uncertain and aligned.numbers_agree:
            if report_alignment:
                self.report_issues.alignment_uncertain(
                    table, item.code, label, where, aligned.cells, len(aligned.alternatives), numbers_agree=True
                )
        elif aligned.uncertain:
            row_flags = (*row_flags, GUESS_FLAG)
            if table == "applications" and aligned.alternatives:
                self.pending.append(_Pending(item, columns, aligned, where, label, row_flags))
            elif report_alignment:
                self.report_issues.alignment_uncertain(
                    table, item.code, label, where, aligned.cells, len(aligned.alternatives)
                )
        for (column, unit), cell in zip(columns, aligned.cells, strict=False):
            self._emit_fact(table, item, column, unit, cell, where, row_flags)
        if aligned.missing:
            lost = [c.code for c, _ in columns[len(aligned.cells) :]]
            self.incomplete[table].append(f"{item.code} (cells {', '.join(lost)})")

    def _emit_fact(
        self,
        table: str,
        item: Item,
        column: Item,
        unit: str | None,
        cell: Tok | None,
        row_where: Where,
        row_flags: tuple[str, ...] = (),
    ) -> None:
        amount = column.unit is not None
        where = cell.where if cell is not None else row_where
        reading = read_value(cell.text if cell else "", amount=amount, column_unit=unit)
        if amount and isinstance(reading.value, int):
            reading = Reading(Decimal(reading.value), reading.text, reading.unit, reading.flags, reading.problem)
        flags = reading.flags + tuple(f for f in row_flags if f not in reading.flags)
        if cell is not None and cell.where.unsure and cell.text:
            flags = (*flags, "ocr_low_confidence")
            self.report_issues.ocr_low_confidence(table, item.code, column.code, cell)
        self.facts[(table, item.code, column.code)] = Fact(
            table=table,  # type: ignore[arg-type]  # table is a TableCode
            row=item.code,
            column=column.code,
            value=reading.value,
            text=reading.text,
            where=where,
            unit=reading.unit if amount else None,
            flags=flags,
        )
        if reading.problem:
            self.report_issues.value_problem(reading.problem, table, item.code, column.code, reading.text, where)

    # ---- table 三 as a whole -------------------------------------------------------------------------

    def _finish_applications(self) -> None:
        """Rows the row's own identity could not settle, tried together against every identity of the
        table (column balance, result sums); settled only when exactly one combination holds."""
        if not self.pending:
            return
        options = [p.aligned.alternatives for p in self.pending]
        keys = [[("applications", p.item.code, c.code) for c, _ in p.columns] for p in self.pending]
        known = {k: f for k, f in self.facts.items() if k[0] == "applications"}
        decidable = identities.within(self.template, known)
        touched = {c for row in keys for c in row}
        decidable = tuple(i for i in decidable if touched & set(i.cells))

        base_values = {k: (_number(f.text) if f.text else 0) for k, f in known.items()}

        def judge(combo: Sequence[Cells]) -> bool | None:
            values = dict(base_values)
            for row_keys, reading in zip(keys, combo, strict=False):
                for k, tok in zip(row_keys, reading, strict=False):
                    values[k] = _number(tok.text) if tok is not None else 0
            verdicts = [i.holds(values.get) for i in decidable]
            if any(v is False for v in verdicts):
                return False
            return True if any(v is True for v in verdicts) else None

        chosen = solve_table(options, judge) if decidable else None
        for n, p in enumerate(self.pending):
            if chosen is not None:
                flags = tuple(f for f in p.row_flags if f != GUESS_FLAG)
                cells = list(chosen[n])
            else:
                flags, cells = p.row_flags, p.aligned.cells
                self.report_issues.alignment_uncertain(
                    "applications", p.item.code, p.label, p.where, cells, len(p.aligned.alternatives)
                )
            for (column, unit), cell in zip(p.columns, cells, strict=False):
                self._emit_fact("applications", p.item, column, unit, cell, p.where, flags)
        self.pending = []

    # ---- rows the format does not know -------------------------------------------------------------

    def _looks_like_row_label(self, t: Tok) -> bool:
        if len(t.text) > MAX_ROW_LABEL_CHARS or looks_like_value(t.text) or is_label(t.text):
            return False
        return not any(ch in t.text for ch in "。，,；;：:")

    def _unmapped_row(self, i: int, table: str, columns: list[tuple[Item, str | None]]) -> int:
        t = self.toks[i]
        vals, j, _ = self.cursor.take(i, len(columns))
        if not any(v.text for v in vals):
            return i + 1  # a stray label fragment (`无法提`, `(三)`), not a row
        placed = None
        if table == "proactive" and self.block is not None:
            ranges = self._proactive_ranges(self._columns_of(self.block), t)
            placed = by_position(vals, ranges) if ranges is not None else None
        if placed is not None:  # the grid keeps positions: a merged cell's empty fields are no cells
            cells: list[tuple[str | None, str]] = [
                (c.code, cell.text if cell is not None else "") for (c, _), cell in zip(columns, placed, strict=False)
            ]
        else:
            cells = [(columns[n][0].code if n < len(columns) else None, v.text) for n, v in enumerate(vals)]
        self.unmapped.append(UnmappedRow(table=table, label=t.text, cells=cells, where=t.where))  # type: ignore[arg-type]
        self.report_issues.row_unmapped(table, t, vals)
        return j

    # ---- what is missing ---------------------------------------------------------------------------

    def tables_found(self) -> set[str]:
        return {t for t, rows in self.seen_rows.items() if rows}

    def completeness(self) -> None:
        v = self.template
        expected = {
            "proactive": [r.code for b in self.rf.blocks_in(v) if b.table == "proactive" for r in b.rows_in(v)],
            "procurement": [r.code for b in self.rf.blocks_in(v) if b.table == "procurement" for r in b.rows_in(v)],
            "applications": [r.code for r in self.rf.application_rows_in(v)],
            "appeals": [r.code for r in self.rf.appeal_rows],
        }
        for table, rows in expected.items():
            if not rows:
                continue
            seen = self.seen_rows[table]
            missing = [r for r in rows if r not in seen]
            section = "proactive" if table == "procurement" else table
            if not seen and section in self.sections_seen and table != "procurement":
                self.report_issues.table_incomplete(
                    table, f": its section or header is printed but none of its rows; missing rows: {', '.join(rows)}"
                )
            elif not seen:
                self.report_issues.table_missing(table)
            elif missing or self.incomplete[table]:
                parts = []
                if missing:
                    parts.append("missing rows: " + ", ".join(missing))
                if self.incomplete[table]:
                    parts.append("cut off: " + "; ".join(self.incomplete[table]))
                self.report_issues.table_incomplete(table, " is incomplete; " + "; ".join(parts))

    def ordered_facts(self) -> list[Fact]:
        order: dict[CellKey, int] = {}
        rf = self.rf
        n = 0
        for b in rf.blocks:
            for r in b.rows:
                for c in b.columns:
                    order[(b.table, r.code, c.code)] = n
                    n += 1
        for r in rf.application_rows:
            for c in rf.application_columns:
                order[("applications", r.code, c.code)] = n
                n += 1
        for r in rf.appeal_rows:
            for c in rf.appeal_columns:
                order[("appeals", r.code, c.code)] = n
                n += 1
        tables = list(TABLE_NAMES)
        return sorted(
            self.facts.values(), key=lambda f: (tables.index(f.table), order.get((f.table, f.row, f.column), n))
        )
