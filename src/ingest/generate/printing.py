"""How numbers are printed in a report's cells, and what a correct parser reads back from that print."""

from __future__ import annotations

import random
from decimal import Decimal
from functools import cache
from importlib import resources

import yaml

from ingest import reportformat
from ingest.generate.model import CellKey, CellValue, ExtraRow, Quirks

TOTAL = "total"


@cache
def synthetic_data() -> dict:
    text = resources.files("ingest.generate").joinpath("data/synthetic.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@cache
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


def to_traditional(text: str) -> str:
    return _s2t().convert(text)


def plain_number(v: int | Decimal) -> str:
    """`25.1`, not `25.1000` or `2.51E+1`."""
    if isinstance(v, Decimal):
        return format(v.normalize(), "f") if v else "0"
    return str(v)


def _column_items() -> dict[tuple[str, str], reportformat.Item]:
    """(table, column code) -> the column item of table 二, for its unit and template labels."""
    fmt = reportformat.report_format()
    return {(b.table, c.code): c for b in fmt.blocks for c in b.columns}


def header_gives_unit(table: str, column: str, template: str) -> bool:
    """Whether the printed header of an amount column names its unit (本年收费金额（单位：万元）)."""
    item = _column_items()[(table, column)]
    return bool(item.unit and item.unit in item.label(template))


def print_cells(
    values: dict[CellKey, int | Decimal], template: str, quirks: Quirks, rng: random.Random
) -> dict[CellKey, CellValue]:
    """Each value as the report prints it, with what a correct parser reads from that print."""
    units = synthetic_data()["units"]
    items = _column_items()
    cells: dict[CellKey, CellValue] = {}
    for key, v in values.items():
        table, row, column = key
        amount_unit = items[(table, column)].unit if (table, column) in items else None
        if _blank(quirks, table, column, v):
            cells[key] = CellValue(None, quirks.placeholder)
        elif amount_unit:
            cells[key] = _amount_cell(v, quirks, header_gives_unit(table, column, template), units)
        elif column == "change" and quirks.signed_changes:
            text = units["no_change"] if v == 0 else f"{v:+d}"
            cells[key] = CellValue(v, text)
        else:
            cells[key] = CellValue(v, plain_number(v))
    if quirks.double_sign:
        falls = [k for k, cv in cells.items() if k[2] == "change" and cv.value is not None and cv.value < 0]
        if falls:
            key = rng.choice(falls)
            cells[key] = CellValue(cells[key].value, "-" + cells[key].text, flags=("double_sign",))
    if quirks.traditional:
        cells = {k: CellValue(cv.value, to_traditional(cv.text), cv.unit, cv.flags) for k, cv in cells.items()}
    return cells


def _blank(quirks: Quirks, table: str, column: str, v: int | Decimal) -> bool:
    if v != 0 or quirks.blanks == "none":
        return False
    if quirks.blanks == "zeros":
        return True
    # totals_only: the statistics tables print their 总计 column and leave zero counts blank
    return table in ("applications", "appeals") and column != TOTAL


def _amount_cell(wan: int | Decimal, quirks: Quirks, header_unit: bool, units: dict) -> CellValue:
    style = quirks.amount_style
    if style == "yuan":
        yuan = wan * 10000
        return CellValue(wan, f"{plain_number(yuan)}{units['yuan']}", unit=units["yuan"])
    if style == "wan_space":
        return CellValue(wan, f"{plain_number(wan)} {units['wan']}", unit=units["wan"])
    if header_unit:
        return CellValue(wan, plain_number(wan), unit=units["wan"])
    if style == "bare":  # nothing says which unit: the parser must say it does not know (zero needs none)
        return CellValue(wan, plain_number(wan), unit=None, flags=("unit_unknown",) if wan else ())
    return CellValue(wan, f"{plain_number(wan)}{units['wan']}", unit=units["wan"])


def extra_rows(rng: random.Random, template: str, quirks: Quirks) -> list[ExtraRow]:
    """An office's own rows (其他主动公开文件), printed like the block's other rows."""
    fmt = reportformat.report_format()
    blocks = {b.id: b for b in fmt.blocks_in(template)}
    out = []
    for spec in synthetic_data()["extra_rows"]:
        block = blocks.get(spec["block"])
        if block is None:
            continue
        texts = []
        for col in block.columns_in(template):
            v = rng.randint(0, 40)
            text = quirks.placeholder if _blank(quirks, block.table, col.code, v) else plain_number(v)
            texts.append((col.code, text))
        label = to_traditional(spec["label"]) if quirks.traditional else spec["label"]
        out.append(ExtraRow(table=block.table, block=block.id, label=label, cells=tuple(texts)))
    return out
