"""The numbers of consecutive reports of one office: random, but consistent within and across years.

Within a year: per applicant column, new_received + carried_over = total_processed + carried_forward and
total_processed = the sum of the result rows; the 总计 column sums the six applicant columns; each
appeals row sums to its total. Across years: carried_forward(y) = carried_over(y+1); in the 2021 format
in_force(y) = in_force(y-1) + issued - repealed; in the 2019 format prior_year_items(y+1) =
prior_year_items(y) + change(y). A breakage (see `model.BREAKAGES`) bends exactly one of these.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ingest import reportformat
from ingest.generate.model import BREAKAGES, CellKey, Office, Quirks, SyntheticReport, template_for
from ingest.generate.printing import extra_rows, print_cells

TOTAL = "total"
# How large an office's numbers run, by level.
SCALE = {"province": 60, "city": 30, "county": 12, "township": 3, "department": 15}
# Only these levels make 规章 of their own (a township that reports one is a data error).
MAKES_REGULATIONS = {"province", "city"}
# How likely an applicant column has any applications at all.
PRESENCE = {
    "natural_person": 0.95,
    "commercial": 0.5,
    "research": 0.15,
    "social_welfare": 0.15,
    "legal_services": 0.25,
    "other_org": 0.25,
}


@dataclass
class Carry:
    """What one year hands to the next."""

    carried_forward: dict[str, int] | None = None  # applicant column -> 结转下年度
    in_force: dict[str, int] | None = None  # row -> 现行有效件数, when the year printed 2021
    prior_items: dict[str, int] | None = None  # row -> prior_year_items + change, when it printed 2019


def generate_history(
    office: Office,
    years: Sequence[int],
    seed: int,
    quirks: Quirks | Mapping[int, Quirks] | None = None,
    breakages: Mapping[int, Sequence[str]] | None = None,
) -> list[SyntheticReport]:
    years = list(years)
    if not years or years != list(range(years[0], years[0] + len(years))):
        raise ValueError(f"years must be consecutive: {years}")
    breakages = {y: tuple(b) for y, b in (breakages or {}).items()}
    for y, names in breakages.items():
        unknown = set(names) - set(BREAKAGES)
        if unknown or y not in years:
            raise ValueError(f"breakages {sorted(unknown) or names} for {y}: known are {BREAKAGES}, years {years}")
    reports = []
    carry = Carry()
    for year in years:
        q = quirks.get(year, Quirks()) if isinstance(quirks, Mapping) else (quirks or Quirks())
        rng = random.Random(f"{office.id}:{seed}:{year}")
        template = template_for(office, year)
        broken = breakages.get(year, ())
        _break_carry(carry, broken, year, template)
        values = year_values(rng, office, template, carry, want_negative_change=q.double_sign)
        _break_year(values, broken, office, template)
        carry = carry_out(values, template)
        # printing draws from its own stream, so a seed gives the same numbers whatever the quirks
        print_rng = random.Random(f"print:{office.id}:{seed}:{year}")
        cells = print_cells(values, template, q, print_rng)
        reports.append(
            SyntheticReport(
                office=office,
                year=year,
                template=template,
                cells=cells,
                seed=seed,
                quirks=q,
                breakages=tuple(broken),
                extra_rows=extra_rows(print_rng, template, q) if q.extra_row else [],
            )
        )
    return reports


def year_values(
    rng: random.Random, office: Office, template: str, carry: Carry, want_negative_change: bool = False
) -> dict[CellKey, int | Decimal]:
    """Every value cell of one report, in the report format's order, consistent within the year."""
    scale = SCALE[office.level]
    values: dict[CellKey, int | Decimal] = {}
    values.update(_proactive(rng, office, template, carry, scale, want_negative_change))
    values.update(_applications(rng, template, carry, scale))
    values.update(_appeals(rng, scale))
    return values


def carry_out(values: dict[CellKey, int | Decimal], template: str) -> Carry:
    fmt = reportformat.report_format()
    cf = {
        c.code: values[("applications", "carried_forward", c.code)] for c in fmt.application_columns if c.code != TOTAL
    }
    if template == "2019":
        prior = {
            r: values[(t, r, "prior_year_items")] + values[(t, r, "change")]
            for (t, r, c) in values
            if c == "prior_year_items"
        }
        return Carry(carried_forward=cf, prior_items=prior)  # type: ignore[arg-type]  # counts: ints
    return Carry(carried_forward=cf, in_force={r: values[(t, r, c)] for (t, r, c) in values if c == "in_force"})  # type: ignore[arg-type, misc]  # counts: ints


# ---- table 二 ---------------------------------------------------------------------------------------


def _amount(rng: random.Random, high_yuan: int) -> Decimal:
    """An amount in 万元, from a whole number of fen (so at most six decimals)."""
    if rng.random() < 0.3:
        return Decimal(0)
    fen = rng.randint(100, high_yuan * 100)
    if rng.random() < 0.5:  # many amounts are whole yuan or whole 万元
        fen -= fen % (100 if rng.random() < 0.6 else 1000000)
    return (Decimal(fen) / Decimal(1000000)).normalize() if fen else Decimal(0)


def _proactive(rng, office, template, carry, scale, want_negative_change) -> dict[CellKey, int | Decimal]:  # noqa: C901
    fmt = reportformat.report_format()
    out: dict[CellKey, int | Decimal] = {}
    for block in fmt.blocks_in(template):
        for row in block.rows_in(template):
            v: dict[str, int | Decimal] = {}
            own_rules = row.code != "regulations" or office.level in MAKES_REGULATIONS
            k = scale if own_rules else 0
            for col in block.columns_in(template):
                c = col.code
                if c == "new_made":
                    v[c] = rng.randint(0, k * (1 if row.code == "regulations" else 3) // 3 + (k > 0))
                elif c == "new_published":
                    v[c] = max(0, v["new_made"] - rng.randint(0, 1))
                elif c == "total_published":
                    v[c] = v["new_published"] + rng.randint(0, 10 * k)
                elif c == "issued":
                    v[c] = rng.randint(0, k // 3 + (k > 0))
                elif c == "repealed":
                    in_force_before = (carry.in_force or {}).get(row.code)
                    if in_force_before is None:  # the first year in this format: nothing fixes it yet
                        in_force_before = rng.randint(0, 12 * k)
                    v[c] = rng.randint(0, min(3, in_force_before)) if k else 0
                elif c == "in_force":
                    v[c] = in_force_before + v["issued"] - v["repealed"]  # type: ignore[operator]  # set at `repealed`, the column before
                elif c == "prior_year_items":
                    base = (carry.prior_items or {}).get(row.code)
                    v[c] = base if base is not None else rng.randint(0, 8 * scale)
                elif c == "change":
                    v[c] = rng.randint(-min(v["prior_year_items"], 6), 8)
                elif c == "decisions":
                    v[c] = rng.randint(0, 40 * scale) if rng.random() < 0.8 else 0
                elif c == "project_count":
                    v[c] = rng.randint(0, 2 * scale)
                elif c in ("fee_amount_wan", "total_amount_wan"):
                    # no procurement projects, no procurement money
                    v[c] = _amount(rng, 20000 * scale) if v.get("project_count", 1) else Decimal(0)
                else:
                    raise ValueError(f"no rule for column {c} of {block.id}")
            for c, x in v.items():
                out[(block.table, row.code, c)] = x
    if want_negative_change and template == "2019":
        changes = [key for key in out if key[2] == "change"]
        if not any(out[key] < 0 for key in changes):
            key = rng.choice(changes)
            prior = out[(key[0], key[1], "prior_year_items")]
            if prior == 0:  # make room for a fall; prior_year_items is free where no carry fixes it
                prior = out[(key[0], key[1], "prior_year_items")] = rng.randint(1, 300)
            out[key] = -rng.randint(1, prior)
    return out


# ---- table 三 ---------------------------------------------------------------------------------------


def _applications(rng, template, carry, scale) -> dict[CellKey, int]:
    fmt = reportformat.report_format()
    rows = [r.code for r in fmt.application_rows_in(template)]
    results = [r.code for r in fmt.application_rows_in(template) if r.groups and r.code != "total_processed"]
    applicants = [c.code for c in fmt.application_columns if c.code != TOTAL]
    table: dict[tuple[str, str], int] = {}
    for col in applicants:
        active = rng.random() < PRESENCE[col]
        v = {r: 0 for r in rows}
        if active:
            for r in results:
                share = {"granted": (0.85, 1.0), "partially_granted": (0.4, 0.3)}.get(r, (0.15, 0.1))
                if rng.random() < share[0]:
                    v[r] = rng.randint(1, max(1, round(scale * share[1])))
            v["carried_forward"] = rng.randint(0, max(1, scale // 4)) if rng.random() < 0.5 else 0
        carried = (carry.carried_forward or {}).get(col)
        v["carried_over"] = carried if carried is not None else (rng.randint(0, max(1, scale // 4)) if active else 0)
        v["total_processed"] = sum(v[r] for r in results)
        v["new_received"] = v["total_processed"] + v["carried_forward"] - v["carried_over"]
        if v["new_received"] < 0:  # more carried in than handled: the office answered the backlog
            v["granted"] -= v["new_received"]
            v["total_processed"] -= v["new_received"]
            v["new_received"] = 0
        for r in rows:
            table[(r, col)] = v[r]
    for r in rows:
        table[(r, TOTAL)] = sum(table[(r, c)] for c in applicants)
    columns = [c.code for c in fmt.application_columns]
    return {("applications", r, c): table[(r, c)] for r in rows for c in columns}


# ---- table 四 ---------------------------------------------------------------------------------------


def _appeals(rng, scale) -> dict[CellKey, int]:
    fmt = reportformat.report_format()
    out: dict[CellKey, int] = {}
    parts = [c.code for c in fmt.appeal_columns if c.code != TOTAL]
    for row in fmt.appeal_rows:
        busy = rng.random() < 0.5
        vals = {c: (rng.randint(0, max(1, scale // 5)) if busy and rng.random() < 0.5 else 0) for c in parts}
        for c in parts:
            out[("appeals", row.code, c)] = vals[c]
        out[("appeals", row.code, TOTAL)] = sum(vals.values())
    return out


# ---- breakages --------------------------------------------------------------------------------------


def _break_carry(carry: Carry, broken: Sequence[str], year: int, template: str) -> None:
    """Breakages of a cross-year identity: bend what the previous year hands over."""
    if "cross_year_carry" in broken:
        if carry.carried_forward is None:
            raise ValueError(f"cross_year_carry needs the year before {year} in the history")
        carry.carried_forward = carry.carried_forward | {"natural_person": carry.carried_forward["natural_person"] + 1}
    if "in_force_roll" in broken:
        if carry.in_force is None or template == "2019":
            raise ValueError(f"in_force_roll needs {year} and the year before it in the 2021 format")
        carry.in_force = carry.in_force | {"normative_documents": carry.in_force["normative_documents"] + 1}
    if "prior_year_items_roll" in broken:
        if carry.prior_items is None or template != "2019":
            raise ValueError(f"prior_year_items_roll needs {year} and the year before it in the 2019 format")
        carry.prior_items = carry.prior_items | {"licensing": carry.prior_items["licensing"] + 1}


def _break_year(values: dict[CellKey, int | Decimal], broken: Sequence[str], office: Office, template: str) -> None:
    """Breakages of an identity within the year: bend the year's own numbers."""
    a = "applications"

    def bump(row: str, column: str, by: int) -> None:
        values[(a, row, column)] += by

    if "applications_balance" in broken:
        bump("new_received", "natural_person", 1)
        bump("new_received", TOTAL, 1)
    if "results_sum" in broken:
        bump("granted", "natural_person", 1)
        bump("granted", TOTAL, 1)
    if "total_column" in broken:
        # move one application between two result rows of the 总计 column only: its own sums still hold
        if values[(a, "partially_granted", TOTAL)] == 0:
            for column in ("natural_person", TOTAL):
                for row in ("partially_granted", "total_processed", "new_received"):
                    bump(row, column, 1)
        bump("granted", TOTAL, 1)
        bump("partially_granted", TOTAL, -1)
    if "appeals_row_sum" in broken:
        values[("appeals", "reconsideration", TOTAL)] += 1
    if "regulations_at_township" in broken:
        if office.level != "township":
            raise ValueError(f"regulations_at_township applies to a township, not {office.id} ({office.level})")
        if template == "2019":
            for c in ("new_made", "new_published", "total_published"):
                values[("proactive", "regulations", c)] += 1
        else:  # issued and repealed in the year, so in_force and the next year's roll stay as they were
            for c in ("issued", "repealed"):
                values[("proactive", "regulations", c)] += 1
