"""Reading one printed cell into a number: blank ≠ 0, signs, placeholders and amounts with units.

Counts come back as `int`, amounts (columns in 万元) as `decimal.Decimal` in 万元. The printed text is
always kept; anything that is not clearly a number comes back as None with a `problem` code, so the
caller can record an issue instead of guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from ingest.reportformat import normalise

# Printed in a cell to say "nothing here": kept as text, read as no value.
PLACEHOLDERS = frozenset({"-", "--", "—", "——", "–", "―", "/", "无", "空", "×"})
# Printed in 本年增/减 to say the count did not change.
ZERO_WORDS = frozenset({"无增减", "无变化", "持平"})
# Counting words some offices print after a count (`3件`); they change nothing about the number.
COUNT_SUFFIX = re.compile(r"(件|条|个|项|次|人|宗|例)$")
AMOUNT_UNITS = {"万元": Decimal(1), "元": Decimal(10000)}
_AMOUNT_SUFFIX = re.compile(r"(万元|元)$")
_NUMBER = re.compile(r"^([+\-]{0,2})(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$")


@dataclass(frozen=True)
class Reading:
    value: int | Decimal | None
    text: str  # as printed, trimmed; "" for a blank cell
    unit: str | None = None  # amounts: the unit printed or inferred from the header
    flags: tuple[str, ...] = ()
    problem: str | None = None  # issue code when the text was not read cleanly


@lru_cache(maxsize=8192)
def looks_like_value(text: str) -> bool:
    """True for what could sit in a value cell: blanks, numbers, placeholders (used to tell rows apart)."""
    r = read_value(text, amount=True, column_unit="万元")
    return r.problem is None or r.problem == "double_sign"


@lru_cache(maxsize=8192)  # readings are immutable and the same few texts fill most cells
def read_value(text: str | None, *, amount: bool = False, column_unit: str | None = None) -> Reading:
    """Read one cell. `amount`: the column holds money; `column_unit`: the unit its header states."""
    printed = (text or "").strip()
    # Full-width digits, spaces inside numbers and traditional characters (mirror sites print 無增減, 萬元)
    # read as their plain forms.
    t = normalise(printed)
    if not t:
        return Reading(None, "")
    if t in ZERO_WORDS:
        return Reading(0, printed)
    if t in PLACEHOLDERS:
        return Reading(None, printed)
    unit = None
    if amount:
        m = _AMOUNT_SUFFIX.search(t)
        if m:
            unit, t = m.group(1), t[: m.start()]
    else:
        t = COUNT_SUFFIX.sub("", t)
    m = _NUMBER.match(t)
    if not m:
        return Reading(None, printed, problem="value_unreadable")
    signs, digits, fraction = m.group(1), m.group(2).replace(",", ""), m.group(3)
    flags: list[str] = []
    problem = None
    if len(signs) == 2:
        if signs[0] != signs[1]:
            return Reading(None, printed, problem="value_unreadable")
        flags.append("double_sign")
        problem = "double_sign"
    negative = "-" in signs
    if amount:
        number = Decimal(digits + ("." + fraction if fraction else ""))
        if unit is None and column_unit:
            unit = column_unit
        if unit is None:
            if number != 0:  # zero is zero in any unit; anything else needs one
                flags.append("unit_unknown")
                problem = problem or "unit_unknown"
            value: int | Decimal = number
        else:
            value = number / AMOUNT_UNITS[unit]
        return Reading(-value if negative else value, printed, unit, tuple(flags), problem)
    if fraction and int(fraction) != 0:
        return Reading(None, printed, problem="value_unreadable")  # a count cannot have a fraction
    value = int(digits)
    return Reading(-value if negative else value, printed, None, tuple(flags), problem)
