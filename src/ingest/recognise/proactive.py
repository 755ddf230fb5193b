"""Table 二 (and its procurement block): captions, header rows, item rows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ingest.labels import base, key
from ingest.recognise.positions import Ranges, fits, header_ranges
from ingest.recognise.tokens import Tok
from ingest.reportformat import Block, Item, normalise

if TYPE_CHECKING:
    from collections.abc import Callable

    from ingest.labels import Labels
    from ingest.recognise.issues import IssueBuilder

MAX_HEADER_JOIN = 4  # header texts broken into pieces (vertical characters, wrapped words) joined back


class HeaderMap:
    """A block's columns in the order its header prints them, with each column's unit if stated, and
    their grid positions when the header gives them."""

    def __init__(self, columns: list[tuple[Item, str | None]], groups: list[list[Tok]] | None, recognised: bool):
        self.columns = columns
        self.groups = groups  # header tokens per column, in the same order
        self.recognised = recognised


class ProactiveReader:
    """Mixed into the reader: what table 二 needs."""

    # set or defined by `reader.Reader`, which mixes this in
    lab: Labels
    template: str
    toks: list[Tok]
    table_toks: dict[int, list[Tok]]
    header: list[Tok] | None
    block: Block | None
    header_maps: dict
    report_issues: IssueBuilder
    _emit_row: Callable[..., int]

    def _block_row(self, k: str, b: str) -> tuple[Block, Item] | None:
        for f in (k, b):
            for block, item in self.lab.block_rows.get(f, ()):
                if item.in_template(self.template):
                    return block, item
        return None

    def _columns_of(self, block: Block) -> HeaderMap:
        cache_key = (id(self.header) if self.header is not None else 0, block.id)
        if cache_key not in self.header_maps:
            self.header_maps[cache_key] = self._map_header(block)
        return self.header_maps[cache_key]

    def _column_match(self, text: str, block: Block) -> Item | None:
        cols = block.columns_in(self.template)
        for f in (key(text), base(text)):
            for c in self.lab.block_columns.get(f, ()):
                if c in cols:
                    return c
        return None

    def _map_header(self, block: Block) -> HeaderMap:
        cols = list(block.columns_in(self.template))
        texts = [t for t in (self.header or []) if t.text]
        matched: list[tuple[Item, str, list[Tok]]] = []
        unmatched: list[str] = []
        i = 0
        while i < len(texts):
            for j in range(min(len(texts), i + MAX_HEADER_JOIN), i, -1):
                joined = "".join(t.text for t in texts[i:j])
                c = self._column_match(joined, block)
                if c:
                    matched.append((c, joined, texts[i:j]))
                    i = j
                    break
            else:
                unmatched.append(texts[i].text)
                i += 1
        order = [c for c, _, _ in matched]
        printed = {c.code: text for c, text, _ in matched}
        if unmatched or sorted(c.code for c in order) != sorted(c.code for c in cols):
            self.report_issues.header_unrecognised(block.caption, block.table, texts, [c.code for c in cols])
            return HeaderMap([(c, self._unit_of(c, None)) for c in cols], None, False)
        return HeaderMap([(c, self._unit_of(c, printed.get(c.code))) for c in order], [g for _, _, g in matched], True)

    def _unit_of(self, column: Item, printed: str | None) -> str | None:
        if not column.unit:
            return None
        stated = [printed or "", column.labels.get(self.template, "")]
        return column.unit if any(column.unit in normalise(s) for s in stated) else None

    def _proactive_ranges(self, header: HeaderMap, label: Tok) -> Ranges | None:
        if not header.groups or label.table is None:
            return None
        if any(t.table != label.table for g in header.groups for t in g):
            return None
        ranges = header_ranges(header.groups, self.table_toks.get(label.table, ()))
        if ranges is None or not fits(ranges, [label], ()):
            return None
        return ranges

    def _proactive_row(self, i: int, block: Block, item: Item) -> int:
        self.header_open = False
        self.block = block
        header = self._columns_of(block)
        ranges = self._proactive_ranges(header, self.toks[i])
        flags = () if header.recognised else ("header_unrecognised",)
        return self._emit_row(i, block.table, item, header.columns, ranges=ranges, row_flags=flags)
