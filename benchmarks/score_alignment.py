"""How often a cell comes out right, and how many wrong numbers carry no flag.

    uv run python benchmarks/score_alignment.py [--seeds N] [--all-fixtures]

1. Round trip: synthetic reports rendered per layout (HTML, tab text as Word copies it, tab text keeping
   grid positions, pipes, one cell per line) and template, with blank-zero variants, parsed back; a cell is
   right when its value and printed text are what was meant.
2. Real corpus (../shared/corpus/real): the cells written out in tests/test_recognise_real.py.
3. Fixtures (tests/fixtures: PDF, DOCX, XLSX; with --all-fixtures also DOC via LibreOffice and scans).
Over all of it: emitted facts whose value differs from the truth and carry no flag (the goal is 0).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "src"), str(REPO / "tests")]

from ingest import reportformat  # noqa: E402
from ingest.generate import Office, Quirks, generate_history  # noqa: E402
from ingest.generate.render_html import render_html  # noqa: E402
from ingest.generate.render_text import LAYOUTS, render_text  # noqa: E402
from ingest.parse import parse_bytes, parse_file  # noqa: E402

BLANKS = {
    "printed": Quirks(),
    "zeros": Quirks(blanks="zeros"),
    "totals_only": Quirks(blanks="totals_only"),
    "zeros+stripped": Quirks(blanks="zeros", trailing_tabs="stripped"),
    "zeros+dash": Quirks(blanks="zeros", placeholder="-"),
    "zeros+split": Quirks(blanks="zeros", split_labels=True),
}


def _same(a, b) -> bool:
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        return a is not None and b is not None and Decimal(a) == Decimal(b)
    return a == b and type(a) is type(b)


class Tally:
    def __init__(self) -> None:
        self.right = self.cells = self.wrong_flagged = self.wrong_unflagged = 0
        self.unflagged: list[str] = []

    def add(self, truth: dict, facts: list, where: str) -> None:
        got = {(f.table, f.row, f.column): f for f in facts}
        for k, (value, text) in truth.items():
            self.cells += 1
            f = got.get(k)
            if f is not None and _same(f.value, value) and f.text == text:
                self.right += 1
            elif f is not None and not _same(f.value, value):
                guessed = set(f.flags) - {"unit_unknown", "double_sign"} or "unit_unknown" in f.flags
                if guessed:
                    self.wrong_flagged += 1
                else:
                    self.wrong_unflagged += 1
                    self.unflagged.append(f"{where}: {'.'.join(k)} {f.text!r} read {f.value}, truth {value}")
            # a missing cell is not a wrong number: the report's issues say it is missing

    def line(self, name: str) -> str:
        pct = 100 * self.right / self.cells if self.cells else 100.0
        return (
            f"{name:34s} {self.right:7d} / {self.cells:7d} right ({pct:6.2f} %)   wrong flagged "
            f"{self.wrong_flagged:5d}   wrong unflagged {self.wrong_unflagged:5d}"
        )


def _truth(report) -> dict:
    return {(e.table, e.row, e.column): (e.value, e.text) for e in report.expected_facts()}


def round_trip(seeds: int, total: Tally) -> None:
    print("round trip (cells right per layout × template × blank-zero variant)")
    for fmt in ("html", *LAYOUTS):
        for template in reportformat.TEMPLATES:
            for variant, quirks in BLANKS.items():
                if (variant == "zeros+stripped" and fmt != "tab_grid") or (variant == "zeros+split" and fmt != "lines"):
                    continue
                t = Tally()
                for seed in range(seeds):
                    office = Office(
                        "bench",
                        "示例县人民政府",
                        "county",
                        "990121",
                        template_2021="2021" if template == "2019" else template,
                    )
                    report = generate_history(office, [2020 if template == "2019" else 2022], seed, quirks=quirks)[0]
                    data = render_html(report) if fmt == "html" else render_text(report, fmt)
                    parsed = parse_bytes(data, f"rt.{'html' if fmt == 'html' else 'txt'}")
                    t.add(_truth(report), parsed.facts, f"{fmt} {template} {variant} seed {seed}")
                print("  " + t.line(f"{fmt} {template} {variant}"))
                _merge(total, t)


def real_corpus(total: Tally) -> None:
    from helpers import REAL_CORPUS
    from test_recognise_real import REAL

    print(f"real corpus ({REAL_CORPUS})")
    t_all = Tally()
    for name in sorted(REAL):
        path = REAL_CORPUS / name
        if not path.exists():
            print(f"  {name}: absent")
            continue
        t = Tally()
        t.add(REAL[name][3], parse_file(path).facts, name)
        print("  " + t.line(name))
        _merge(t_all, t)
    print("  " + t_all.line("all real"))
    _merge(total, t_all)


def fixtures(all_kinds: bool, total: Tally) -> None:
    kinds = ["pdf", "docx", "xlsx"] + (["doc", "scan"] if all_kinds else [])
    print(f"fixtures ({', '.join(kinds)})")
    for kind in kinds:
        t = Tally()
        for truth_path in sorted((REPO / "tests" / "fixtures" / kind).glob("*.json")):
            record = json.loads(truth_path.read_text(encoding="utf-8"))
            if "report" not in record:
                continue
            doc = next((p for p in truth_path.parent.glob(truth_path.stem + ".*") if p.suffix != ".json"), None)
            if doc is None:
                continue
            truth = {
                (f["table"], f["row"], f["column"]): (
                    Decimal(f["value"]) if isinstance(f["value"], str) else f["value"],
                    f["text"],
                )
                for f in record["report"]["facts"]
            }
            t.add(truth, parse_file(doc).facts, doc.name)
        print("  " + t.line(kind))
        _merge(total, t)


def _merge(into: Tally, t: Tally) -> None:
    into.right += t.right
    into.cells += t.cells
    into.wrong_flagged += t.wrong_flagged
    into.wrong_unflagged += t.wrong_unflagged
    into.unflagged += t.unflagged


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--all-fixtures", action="store_true", help="also DOC (LibreOffice) and scans (OCR): slow")
    args = ap.parse_args()
    print(
        f"machine: {platform.platform()}; python {platform.python_version()}; {os.cpu_count()} cpus; "
        f"{platform.processor() or platform.machine()}"
    )
    start = time.perf_counter()
    total = Tally()
    round_trip(args.seeds, total)
    real_corpus(total)
    fixtures(args.all_fixtures, total)
    print(total.line("everything"))
    print(f"emitted facts whose value differs from the truth and carry no flag: {total.wrong_unflagged}")
    for line in Counter(total.unflagged).most_common(20):
        print("  ", line[0])
    print(f"({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
