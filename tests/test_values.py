"""Reading one printed cell: blank ≠ 0, signs, placeholders, amounts and their units."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ingest.values import looks_like_value, read_value


@pytest.mark.parametrize(
    "text, value, kept, flags, problem",
    [
        ("", None, "", (), None),
        ("   ", None, "", (), None),
        ("0", 0, "0", (), None),
        (" 20 ", 20, "20", (), None),
        ("+3", 3, "+3", (), None),
        ("-417", -417, "-417", (), None),
        ("--253", -253, "--253", ("double_sign",), "double_sign"),
        ("无增减", 0, "无增减", (), None),
        ("-", None, "-", (), None),
        ("—", None, "—", (), None),
        ("/", None, "/", (), None),
        ("无", None, "无", (), None),
        ("1,234", 1234, "1,234", (), None),
        ("１２３", 123, "１２３", (), None),
        ("5件", 5, "5件", (), None),
        ("3.0", 3, "3.0", (), None),
        ("1.5", None, "1.5", (), "value_unreadable"),
        ("+-2", None, "+-2", (), "value_unreadable"),
        ("见附件", None, "见附件", (), "value_unreadable"),
    ],
)
def test_counts(text, value, kept, flags, problem):
    r = read_value(text)
    assert (r.value, r.text, r.flags, r.problem, r.unit) == (value, kept, flags, problem, None)
    assert type(r.value) is type(value)


@pytest.mark.parametrize(
    "text, column_unit, value, unit, flags, problem",
    [
        ("251000元", None, Decimal("25.1"), "元", (), None),
        ("6324 万元", None, Decimal("6324"), "万元", (), None),
        ("103.3879万元", None, Decimal("103.3879"), "万元", (), None),
        ("190.457379", "万元", Decimal("190.457379"), "万元", (), None),
        ("8040", None, Decimal("8040"), None, ("unit_unknown",), "unit_unknown"),
        ("0", None, Decimal("0"), None, (), None),
        ("1,000,000元", None, Decimal("100"), "元", (), None),
        ("", "万元", None, None, (), None),
        ("-", "万元", None, None, (), None),
        ("约20万", "万元", None, None, (), "value_unreadable"),
    ],
)
def test_amounts(text, column_unit, value, unit, flags, problem):
    r = read_value(text, amount=True, column_unit=column_unit)
    assert (r.value, r.unit, r.flags, r.problem) == (value, unit, flags, problem)
    if value is not None:
        assert isinstance(r.value, Decimal)


def test_looks_like_value_tells_values_from_labels():
    assert [looks_like_value(t) for t in ("0", "", "+3", "无", "6324 万元", "--2", "规章", "结", "P.")] == [
        True,
        True,
        True,
        True,
        True,
        True,
        False,
        False,
        False,
    ]
