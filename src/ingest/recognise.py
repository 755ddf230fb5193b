"""Document → ParsedReport: find the tables of sections 二/三/四 and turn their cells into facts.

Format-blind: every document is flattened into one stream of tokens (cell and paragraph texts in
reading order, each remembering the grid row it sat in). Sections are found from headings or, where
headings are missing, from the tables' own labels; each recognised row label then takes the values
after it — the rest of its grid row, or, where the label stands alone (one cell per line), the value
tokens that follow. The values go to columns by order, never by grid position, so differing colspans,
shifted tab cells and one-cell-per-line pages all read the same way.

Alignment rules (stated once, applied everywhere; every guess is flagged):
- A row whose cell count equals the column count is read as printed, unless it shows one printed
  value followed by blanks in a grid row that stops short of the table's width (the shifted-cell
  pattern of tab text copied from Word; a full-width row is always read as printed).
- Otherwise trailing blanks are dropped. Too many cells: blanks just before the last printed value are
  removed (`cells_shifted`). Too few: in tables 三 and 四 the cells are aligned to the right, since
  offices that print little print the 总计 column; in table 二 (no 总计 column) to the left
  (`alignment_uncertain` when a printed value was placed this way) — except at the end of the
  document, where the row was cut off (`table_incomplete`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from difflib import SequenceMatcher

from ingest.facts import Fact, Issue, ParsedReport, UnmappedRow
from ingest.grid import Document, Paragraph, Where
from ingest.labels import base, is_label, key, labels, section_of
from ingest.reportformat import Block, Item, load, normalise, numbering
from ingest.titles import read_title
from ingest.values import Reading, looks_like_value, read_value

TABLE_NAMES = {"proactive": "二 proactive", "procurement": "二 procurement (第二十条第（九）项)",
               "applications": "三 applications", "appeals": "四 appeals"}
TEXT_SECTIONS = ("overview", "problems", "other_matters")
MAX_ROW_LABEL_CHARS = 30
MAX_HEADER_JOIN = 4
TOTAL_LAST = ("applications", "appeals")  # tables whose last column is 总计
MISPRINT_SIMILARITY = 0.75


@dataclass(frozen=True)
class Tok:
    text: str
    where: Where
    row: int  # index of the grid row (or paragraph) the token sat in
    ragged: bool = False  # its grid row stops short of the table's width (cells copied out of place)


def _short_rows(table) -> set[int]:
    """Rows whose cells (spans from above included) do not reach the table's last column."""
    width = table.n_cols
    reach = [0] * table.n_rows
    for c in table.cells:
        for r in range(c.row, c.row + c.rowspan):
            reach[r] = max(reach[r], c.col + c.colspan)
    return {r for r, end in enumerate(reach) if end < width}


def flatten(doc: Document) -> list[Tok]:
    toks: list[Tok] = []
    r = 0
    for b in doc.blocks:
        if isinstance(b, Paragraph):
            if b.text.strip():
                toks.append(Tok(b.text.strip(), b.where, r))
                r += 1
            continue
        short = _short_rows(b)
        for n, row in enumerate(b.rows()):
            if row:
                toks.extend(Tok(c.text.strip(), c.where, r, n in short) for c in row)
                r += 1
    return toks


def detect_version(toks: list[Tok]) -> tuple[str | None, list[Issue]]:
    """The format version, by labels only: which version-specific labels the document prints."""
    lab = labels()
    votes = {"2019": 0, "2021": 0, "2021-single-other": 0}
    other_row_with_values = False
    other_parts_seen = False
    rf = load()
    # `3.其他` reads like the column header 其他: only the unmistakable labels count as evidence
    other_part_keys = {key(r.labels["2021"]) for r in rf.application_rows if r.code in rf.other_parts}
    other_part_keys -= lab.app_other_labels
    other_key = next(key(r.labels["2019"]) for r in rf.application_rows if r.code == "other")
    total_key = next(key(r.labels["2019"]) for r in rf.application_rows if r.code == "total_processed")
    for n, t in enumerate(toks):
        if not t.text:
            continue
        k, b = key(t.text), base(t.text)
        versions = lab.evidence.get(k) or lab.evidence.get(b)
        if versions:
            for v in versions:
                votes[v] += 1
        if k in other_part_keys:
            other_parts_seen = True
        if k == other_key:
            # a single （六） row is followed by its values (printed or blank) and then （七）总计;
            # the 2021 group cell by its numbered sub-rows
            following = next((u for u in toks[n + 1:n + 12] if u.text), None)
            if following is not None and (looks_like_value(following.text) or key(following.text) == total_key):
                other_row_with_values = True
    issues: list[Issue] = []
    if not any(votes.values()):
        return None, issues
    old, new = votes["2019"], max(votes["2021"], votes["2021-single-other"])
    if old and new:
        issues.append(Issue("warning", "version_mixed_labels",
                            f"labels of both format versions are printed (2019: {old}, 2021: {new}); "
                            f"read as {'2019' if old >= new else '2021'}"))
    if old >= new:
        return "2019", issues
    if not other_parts_seen and other_row_with_values:
        return "2021-single-other", issues
    return "2021", issues


@dataclass
class _Aligned:
    cells: list[Tok | None]  # one per column; None: a blank that was not printed
    missing: int = 0  # columns lost at the end of the document
    shifted: bool = False
    uncertain: bool = False
    extra: tuple[str, ...] = ()


def align(vals: list[Tok], n: int, at_end: bool, total_last: bool = True) -> _Aligned:
    """Values to columns (see the module's alignment rules). `total_last`: the table's last column is
    总计, the one offices that print little still fill; elsewhere short rows align to the left."""
    printed = [v for v in vals if v.text]
    shifted_pattern = total_last and len(printed) == 1 and not vals[-1].text and vals[-1].ragged
    if len(vals) == n and not shifted_pattern:
        return _Aligned(list(vals))
    vals = list(vals)
    while vals and not vals[-1].text:
        vals.pop()
    out = _Aligned([])
    while len(vals) > n:
        last = max(i for i, v in enumerate(vals) if v.text)
        blanks = [i for i in range(last) if not vals[i].text]
        if not blanks:
            break
        del vals[blanks[-1]]
        out.shifted = True
    if len(vals) > n:
        out.extra = tuple(v.text for v in vals[n:])
        vals = vals[:n]
    if len(vals) < n:
        if at_end:
            out.cells = list(vals)
            out.missing = n - len(vals)
            return out
        out.uncertain = any(v.text for v in vals)
        pad = [None] * (n - len(vals))
        vals = pad + vals if total_last else vals + pad
    out.cells = vals
    return out


class _Reader:
    def __init__(self, doc: Document, version: str | None, toks: list[Tok]):
        self.doc = doc
        self.toks = toks
        self.rf = load()
        self.lab = labels()
        self.version = version
        self.parse_version = version or "2019"  # rows and columns shared by all versions read the same
        self.facts: dict[tuple[str, str, str], Fact] = {}
        self.issues: list[Issue] = []
        self.unmapped: list[UnmappedRow] = []
        self.section: str | None = None
        self.block: Block | None = None
        self.header: list[Tok] | None = None
        self.header_open = False
        self.header_maps: dict[tuple[int, str], list[tuple[Item, str | None]]] = {}
        self.app_rows = self.rf.application_rows_in(self.parse_version)
        self.app_pos = 0
        self.app_started = False
        self.appeals_done = False
        self.seen_rows: dict[str, set[str]] = {t: set() for t in TABLE_NAMES}
        self.incomplete: dict[str, list[str]] = {t: [] for t in TABLE_NAMES}
        self.appeal_header_seen = False
        self.sections_seen: set[str] = set()

    # ---- the walk ------------------------------------------------------------------------------

    def run(self) -> None:
        toks, n, i = self.toks, len(self.toks), 0
        while i < n:
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
            i = self._step(i)

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
            if self.section not in ("proactive",):
                self._enter("proactive")
            self.header, self.header_open = [], True
            return i + 1
        if self.section in (None, "proactive", *TEXT_SECTIONS):
            hit = self._block_row(k, b)
            if hit:
                if self.section != "proactive":
                    self._enter("proactive")
                return self._proactive_row(i, *hit)
            if self.section == "proactive" and self.header_open:
                self.header.append(t)
                return i + 1
        if self.section != "applications" and self.section != "appeals" and (
            k in lab.app_strong or b in lab.app_strong
        ):
            self._enter("applications")
        if self.section == "applications":
            if self.app_started and k in lab.appeal_labels and k not in lab.app_rows and k not in lab.app_other_labels:
                self._enter("appeals")
            else:
                return self._applications_token(i, k, b)
        if self.section == "appeals" and not self.appeals_done:
            return self._appeals_token(i, k, b)
        if self.section == "proactive" and self.block and self._looks_like_row_label(t):
            return self._unmapped_row(i, "proactive", self._columns_of(self.block))
        return i + 1

    # ---- table 二 --------------------------------------------------------------------------------

    def _block_row(self, k: str, b: str) -> tuple[Block, Item] | None:
        for f in (k, b):
            for block, item in self.lab.block_rows.get(f, ()):
                if item.in_version(self.parse_version):
                    return block, item
        return None

    def _columns_of(self, block: Block) -> list[tuple[Item, str | None]]:
        hid = id(self.header) if self.header is not None else 0
        cache_key = (hid, block.id)
        if cache_key not in self.header_maps:
            self.header_maps[cache_key] = self._map_header(block)
        return self.header_maps[cache_key]

    def _column_match(self, text: str, block: Block) -> Item | None:
        cols = block.columns_in(self.parse_version)
        for f in (key(text), base(text)):
            for c in self.lab.block_columns.get(f, ()):
                if c in cols:
                    return c
        return None

    def _map_header(self, block: Block) -> list[tuple[Item, str | None]]:
        """The block's columns in the order its header prints them, each with its unit if stated."""
        cols = list(block.columns_in(self.parse_version))
        texts = [t for t in (self.header or []) if t.text]
        matched: list[tuple[Item, str]] = []
        unmatched: list[str] = []
        i = 0
        while i < len(texts):
            for j in range(min(len(texts), i + MAX_HEADER_JOIN), i, -1):
                joined = "".join(t.text for t in texts[i:j])
                c = self._column_match(joined, block)
                if c:
                    matched.append((c, joined))
                    i = j
                    break
            else:
                unmatched.append(texts[i].text)
                i += 1
        order = [c for c, _ in matched]
        printed = {c.code: text for c, text in matched}
        if unmatched or sorted(c.code for c in order) != sorted(c.code for c in cols):
            where = texts[0].where.describe() if texts else "no header"
            shown = " | ".join(t.text for t in texts) or "(none)"
            code = "header_unrecognised" if texts else "header_missing"
            self.issues.append(Issue(
                "warning", code,
                f"table 二 {block.caption}: header {shown} ({where}) does not name this block's "
                f"columns; values are mapped by order to {', '.join(c.code for c in cols)}",
                table=block.table, where=texts[0].where if texts else None))
            order = cols
        return [(c, self._unit_of(c, printed.get(c.code))) for c in order]

    def _unit_of(self, column: Item, printed: str | None) -> str | None:
        if not column.unit:
            return None
        stated = [printed or "", column.labels.get(self.parse_version, "")]
        return column.unit if any(column.unit in normalise(s) for s in stated) else None

    def _proactive_row(self, i: int, block: Block, item: Item) -> int:
        self.header_open = False
        self.block = block
        columns = self._columns_of(block)
        return self._emit_row(i, block.table, item, columns)

    # ---- table 三 --------------------------------------------------------------------------------

    def _applications_token(self, i: int, k: str, b: str) -> int:
        lab = self.lab
        candidates = [r for f in (k, b) for r in lab.app_rows.get(f, ()) if r in self.app_rows]
        if candidates and not (not self.app_started and (k in lab.app_other_labels)):
            ahead = [r for r in candidates if self.app_rows.index(r) >= self.app_pos]
            item = ahead[0] if ahead else candidates[0]
            self.app_started = True
            self.app_pos = self.app_rows.index(item) + 1
            columns = [(c, None) for c in self.rf.application_columns]
            return self._emit_row(i, "applications", item, columns)
        if k in lab.app_other_labels or b in lab.app_other_labels or k in lab.app_rows:
            return i + 1
        t = self.toks[i]
        if self.app_started and self._looks_like_row_label(t):
            columns = [(c, None) for c in self.rf.application_columns]
            variant = self._misprinted_next_row(t)
            if variant is not None:
                self.issues.append(Issue(
                    "warning", "row_label_variant",
                    f"table {TABLE_NAMES['applications']}: row label {t.text!r} ({t.where.describe()}) is not "
                    f"the format's {variant.labels[self.parse_version]!r} but stands in its place with the same "
                    f"numbering; read as {variant.code}", table="applications", row=variant.code, where=t.where))
                self.app_pos = self.app_rows.index(variant) + 1
                return self._emit_row(i, "applications", variant, columns)
            return self._unmapped_row(i, "applications", columns)
        return i + 1

    def _misprinted_next_row(self, t: Tok) -> Item | None:
        """The next expected row, when this unknown label is a misprint of it: same numbering
        (`2.`), nearly the same characters. Only ever the next row, so nothing is forced out of order."""
        if self.app_pos >= len(self.app_rows):
            return None
        expected = self.app_rows[self.app_pos]
        printed, official = normalise(t.text), normalise(expected.labels[self.parse_version])
        number = numbering(official)
        if not number or not printed.startswith(number):
            return None
        ratio = SequenceMatcher(None, key(t.text), key(official)).ratio()
        return expected if ratio >= MISPRINT_SIMILARITY else None

    # ---- table 四 --------------------------------------------------------------------------------

    def _row_tokens(self, row: int, start: int) -> list[Tok]:
        out = []
        j = start
        while j < len(self.toks) and self.toks[j].row == row:
            out.append(self.toks[j])
            j += 1
        return out

    def _is_value_row(self, toks: list[Tok]) -> bool:
        if not all(looks_like_value(t.text) for t in toks):
            return False
        return any(t.text for t in toks) or len(toks) >= 10

    def _appeals_token(self, i: int, k: str, b: str) -> int:
        if k in self.lab.appeal_labels or b in self.lab.appeal_labels:
            self.appeal_header_seen = True
            return i + 1
        t = self.toks[i]
        # a value row starts at its first token; rows of vertical header characters are skipped
        start = i
        while start > 0 and self.toks[start - 1].row == t.row:
            start -= 1
        first_row = self._row_tokens(t.row, start)
        if not all(looks_like_value(u.text) for u in first_row):
            return i + 1
        if not (self._is_value_row(first_row) or self.appeal_header_seen):
            return i + 1  # a blank line before the header says nothing
        vals: list[Tok] = []
        j = start
        total = len(self.rf.appeal_rows) * len(self.rf.appeal_columns)
        while j < len(self.toks) and len(vals) < total:
            row = self._row_tokens(self.toks[j].row, j)
            # once the data have begun, a blank cell on a line of its own is one of them
            if not all(looks_like_value(t.text) for t in row):
                if any(key(u.text) in self.lab.appeal_labels for u in row):
                    return start + len(first_row)  # blank rows inside the header, not the data
                break
            vals.extend(row)
            j += len(row)
        self.appeals_done = True
        aligned = align(vals, total, at_end=j >= len(self.toks) and len(vals) < total)
        n_cols = len(self.rf.appeal_columns)
        where = vals[0].where
        for r_index, row_item in enumerate(self.rf.appeal_rows):
            cells = aligned.cells[r_index * n_cols:(r_index + 1) * n_cols]
            first = r_index == 0  # one data row: its alignment notes are reported once
            part = _Aligned(cells, max(0, n_cols - len(cells)) if aligned.missing else 0,
                            aligned.shifted and first, aligned.uncertain and first, aligned.extra if first else ())
            self._emit_cells("appeals", row_item, [(c, None) for c in self.rf.appeal_columns], part, where,
                             label="四 data row")
        return j

    # ---- rows ------------------------------------------------------------------------------------

    def _take(self, i: int, n: int) -> tuple[list[Tok], int, bool]:
        """The value tokens after the label at i: the rest of its row, or (label alone in its row) the
        value tokens that follow. Returns (values, next index, document ended before the row did)."""
        toks = self.toks
        rest = self._row_tokens(toks[i].row, i + 1)
        if rest:
            for m, t in enumerate(rest):
                if t.text and not looks_like_value(t.text) and is_label(t.text):
                    return rest[:m], i + 1 + m, False
            j = i + 1 + len(rest)
            return rest, j, j >= len(toks)
        vals: list[Tok] = []
        j = i + 1
        while j < len(toks) and len(vals) < n:
            t = toks[j]
            if t.text and not looks_like_value(t.text):
                break
            vals.append(t)
            j += 1
        return vals, j, j >= len(toks) and len(vals) < n

    def _emit_row(self, i: int, table: str, item: Item, columns: list[tuple[Item, str | None]]) -> int:
        label_tok = self.toks[i]
        vals, j, at_end = self._take(i, len(columns))
        aligned = align(vals, len(columns), at_end, total_last=table in TOTAL_LAST)
        if item.code in self.seen_rows[table]:
            self.issues.append(Issue("warning", "row_duplicate",
                                     f"table {TABLE_NAMES[table]} row {item.code}: printed again as "
                                     f"{label_tok.text!r} ({label_tok.where.describe()}); the first is kept",
                                     table=table, row=item.code, where=label_tok.where))
            return j
        self._emit_cells(table, item, columns, aligned, label_tok.where, label=label_tok.text)
        return j

    def _emit_cells(self, table: str, item: Item, columns, aligned: _Aligned, where: Where, label: str) -> None:
        self.seen_rows[table].add(item.code)
        name = TABLE_NAMES[table]
        if aligned.shifted:
            self.issues.append(Issue("warning", "cells_shifted",
                                     f"table {name} row {item.code} ({label!r}, {where.describe()}): more cells "
                                     f"than columns; blank cells before the last printed value were dropped",
                                     table=table, row=item.code, where=where))
        if aligned.extra:
            self.issues.append(Issue("warning", "cells_extra",
                                     f"table {name} row {item.code} ({label!r}, {where.describe()}): cells "
                                     f"beyond the last column ignored: {' | '.join(aligned.extra)}",
                                     table=table, row=item.code, where=where))
        if aligned.uncertain:
            printed = " | ".join(c.text if c and c.text else "·" for c in aligned.cells)
            self.issues.append(Issue("warning", "alignment_uncertain",
                                     f"table {name} row {item.code} ({label!r}, {where.describe()}): fewer cells "
                                     f"than columns; aligned to the right (总计 last): {printed}",
                                     table=table, row=item.code, where=where))
        for (column, unit), cell in zip(columns, aligned.cells):
            self._emit_fact(table, item, column, unit, cell, where)
        if aligned.missing:
            lost = [c.code for c, _ in columns[len(aligned.cells):]]
            self.incomplete[table].append(f"{item.code} (cells {', '.join(lost)})")

    def _emit_fact(self, table: str, item: Item, column: Item, unit: str | None, cell: Tok | None,
                   row_where: Where) -> None:
        amount = column.unit is not None
        where = cell.where if cell is not None else row_where
        reading = read_value(cell.text if cell else "", amount=amount, column_unit=unit)
        if amount and isinstance(reading.value, int):
            reading = Reading(Decimal(reading.value), reading.text, reading.unit, reading.flags, reading.problem)
        flags = reading.flags
        if cell is not None and cell.where.unsure and cell.text:
            flags = (*flags, "ocr_low_confidence")
            self.issues.append(Issue("warning", "ocr_low_confidence",
                                     f"table {TABLE_NAMES[table]} row {item.code} column {column.code}: "
                                     f"{cell.text!r} ({where.describe()}) was read by OCR with low confidence",
                                     table=table, row=item.code, column=column.code, where=where))
        self.facts[(table, item.code, column.code)] = Fact(
            table=table, row=item.code, column=column.code, value=reading.value, text=reading.text,
            where=where, unit=reading.unit if amount else None, flags=flags)
        if reading.problem:
            what = {
                "value_unreadable": "cannot be read as a number; value left empty",
                "double_sign": "has a doubled sign; read as a single sign",
                "unit_unknown": "is an amount printed without a unit; kept as printed, unit unknown",
            }[reading.problem]
            self.issues.append(Issue("warning", reading.problem,
                                     f"table {TABLE_NAMES[table]} row {item.code} column {column.code}: "
                                     f"{reading.text!r} ({where.describe()}) {what}",
                                     table=table, row=item.code, column=column.code, where=where))

    # ---- rows the format does not know -------------------------------------------------------------

    def _looks_like_row_label(self, t: Tok) -> bool:
        if len(t.text) > MAX_ROW_LABEL_CHARS or looks_like_value(t.text) or is_label(t.text):
            return False
        return not any(ch in t.text for ch in "。，,；;：:")

    def _unmapped_row(self, i: int, table: str, columns: list[tuple[Item, str | None]]) -> int:
        t = self.toks[i]
        vals, j, _ = self._take(i, len(columns))
        if not any(v.text for v in vals):
            return i + 1  # a stray label fragment (`无法提`, `(三)`), not a row
        cells = [(columns[n][0].code if n < len(columns) else None, v.text) for n, v in enumerate(vals)]
        self.unmapped.append(UnmappedRow(table=table, label=t.text, cells=cells, where=t.where))
        self.issues.append(Issue("warning", "row_unmapped",
                                 f"table {TABLE_NAMES[table]}: row {t.text!r} ({t.where.describe()}) is not in "
                                 f"the report format; kept as an unmapped row: {' | '.join(v.text for v in vals)}",
                                 table=table, where=t.where))
        return j

    # ---- what is missing ---------------------------------------------------------------------------

    def completeness(self) -> None:
        v = self.parse_version
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
                self.issues.append(Issue("warning", "table_incomplete",
                                         f"table {TABLE_NAMES[table]}: its section or header is printed but none "
                                         f"of its rows; missing rows: {', '.join(rows)}", table=table))
            elif not seen:
                self.issues.append(Issue("warning", "table_missing",
                                         f"table {TABLE_NAMES[table]} was not found in the document", table=table))
            elif missing or self.incomplete[table]:
                parts = []
                if missing:
                    parts.append("missing rows: " + ", ".join(missing))
                if self.incomplete[table]:
                    parts.append("cut off: " + "; ".join(self.incomplete[table]))
                self.issues.append(Issue("warning", "table_incomplete",
                                         f"table {TABLE_NAMES[table]} is incomplete; " + "; ".join(parts),
                                         table=table))

    def ordered_facts(self) -> list[Fact]:
        order: dict[tuple[str, str, str], int] = {}
        rf, v = self.rf, self.parse_version
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
        return sorted(self.facts.values(),
                      key=lambda f: (tables.index(f.table), order.get((f.table, f.row, f.column), n)))


def recognise(doc: Document, *, office: str | None = None, year: int | None = None) -> ParsedReport:
    toks = flatten(doc)
    version, version_issues = detect_version(toks)
    reader = _Reader(doc, version, toks)
    reader.run()
    reader.completeness()
    found_office, found_year, title_line = read_title(doc)
    issues = list(version_issues)
    if version is None and reader.facts:
        issues.append(Issue("warning", "version_undetermined",
                            "no version-specific label is printed; rows common to all versions were read"))
    return ParsedReport(
        source=doc.source, format=doc.format, sha256=doc.sha256,
        office=office or found_office, year=year or found_year,
        template=version, title=doc.title or title_line,
        facts=reader.ordered_facts(), issues=issues + reader.issues, unmapped=reader.unmapped,
    )
