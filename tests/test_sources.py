"""The source registry: loading, path resolution, and errors that name the entry and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.cli import main
from ingest.sources import KnownReport, OfficeEntry, RegistryError, load_registry

GOOD = """\
offices:
  - id: huaian-shi
    name: 淮安市人民政府
    level: city
    region: "320800"
    listing: https://www.huaian.gov.cn/zfxxgknb/index.html
  - id: hongze-qu
    name: 淮安市洪泽区人民政府
    level: county
    region: "320813"
    parent: huaian-shi
    listing:
      - site/hongze/index.html
      - http://127.0.0.1:8000/hongze/index_1.html
    link_pattern: '年度报告'
    selector: '//ul[@class="list"]'
    encoding: gbk
    max_pages: 5
  - id: hongze-shenji
    name: 洪泽区审计局
    level: department
    region: "320813"
    parent: hongze-qu
    synthetic: true
    reports:
      - {year: 2023, url: reports/2023.pdf}
      - {year: 2022, url: "https://example.gov.cn/2022.docx", title: 2022年报告}
"""


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "sources.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_load_good_registry(tmp_path):
    reg = load_registry(write(tmp_path, GOOD))
    assert [o.id for o in reg.offices] == ["huaian-shi", "hongze-qu", "hongze-shenji"]
    city, county, dept = reg.offices
    assert city == OfficeEntry(
        id="huaian-shi",
        name="淮安市人民政府",
        level="city",
        region="320800",
        listing=("https://www.huaian.gov.cn/zfxxgknb/index.html",),
    )
    assert county.parent == "huaian-shi"
    # local paths are resolved against the registry file's folder, URLs kept as written
    assert county.listing == (
        str(tmp_path.resolve() / "site/hongze/index.html"),
        "http://127.0.0.1:8000/hongze/index_1.html",
    )
    assert (county.link_pattern, county.selector, county.encoding, county.max_pages) == (
        "年度报告",
        '//ul[@class="list"]',
        "gbk",
        5,
    )
    assert county.points_private and not city.points_private
    assert dept.synthetic is True and dept.listing == ()
    assert dept.reports == (
        KnownReport(2023, str(tmp_path.resolve() / "reports/2023.pdf")),
        KnownReport(2022, "https://example.gov.cn/2022.docx", "2022年报告"),
    )
    assert reg.office("hongze-qu") is county


BAD = [
    (
        "  - id: Bad Id\n    name: x\n    level: city\n    region: '320800'\n    listing: a.html\n",
        "offices[0] (id 'Bad Id'): field `id`",
    ),
    (
        "  - id: a\n    level: city\n    region: '320800'\n    listing: a.html\n",
        "offices[0] (id 'a'): field `name`: required",
    ),
    (
        "  - id: a\n    name: x\n    level: village\n    region: '320800'\n    listing: a.html\n",
        "offices[0] (id 'a'): field `level`: 'village' is not one of",
    ),
    (
        "  - id: a\n    name: x\n    level: city\n    region: 320800\n    listing: a.html\n",
        "offices[0] (id 'a'): field `region`: 320800 must be a 6-digit",
    ),
    ("  - id: a\n    name: x\n    level: city\n    region: '32080'\n    listing: a.html\n", "field `region`"),
    (
        "  - id: a\n    name: x\n    level: city\n    region: '320800'\n",
        "offices[0] (id 'a'): field `listing`: required",
    ),
    (
        "  - id: a\n    name: x\n    level: city\n    region: '320800'\n    listing: ftp://x.cn/a.html\n",
        "field `listing`: 'ftp://x.cn/a.html': only http(s) URLs and local paths",
    ),
    (
        "  - id: a\n    name: x\n    level: city\n    region: '320800'\n    listing: [a.html, 'https://']\n",
        "field `listing[1]`: 'https://' has no host",
    ),
    (
        "  - id: a\n    name: x\n    level: city\n    region: '320800'\n    listing: a.html\n    parent: b\n",
        "offices[0] (id 'a'): field `parent`: no office with id 'b'",
    ),
    (
        "  - id: a\n    name: x\n    level: city\n    region: '320800'\n    listing: a.html\n"
        "  - id: a\n    name: y\n    level: city\n    region: '320800'\n    listing: b.html\n",
        "offices[1] (id 'a'): field `id`: duplicate of offices[0]",
    ),
    (
        "  - id: a\n    name: x\n    level: city\n    region: '320800'\n    listing: a.html\n    link_pattern: '(年度'\n",
        "field `link_pattern`: not a valid regular expression",
    ),
    (
        "  - id: a\n    name: x\n    level: city\n    region: '320800'\n    listing: a.html\n    selector: '//ul[@'\n",
        "field `selector`: not a valid XPath",
    ),
    (
        "  - id: a\n    name: x\n    level: city\n    region: '320800'\n    listing: a.html\n    encoding: klingon\n",
        "field `encoding`: unknown encoding 'klingon'",
    ),
    (
        "  - id: a\n    name: x\n    level: city\n    region: '320800'\n    listing: a.html\n    max_pages: 0\n",
        "field `max_pages`: 0 must be a positive whole number",
    ),
    (
        "  - id: a\n    name: x\n    level: city\n    region: '320800'\n    listing: a.html\n    lisitng: b.html\n",
        "field `lisitng`: unknown field",
    ),
    (
        "  - id: a\n    name: x\n    level: city\n    region: '320800'\n    reports: [{year: 23, url: a.pdf}]\n",
        "field `reports[0].year`: 23 is not a year",
    ),
]


@pytest.mark.parametrize("entries,message", BAD, ids=[m for _, m in BAD])
def test_registry_errors_name_entry_and_field(tmp_path, entries, message):
    path = write(tmp_path, "offices:\n" + entries)
    with pytest.raises(RegistryError) as e:
        load_registry(path)
    assert str(e.value).startswith(f"{path}: ")
    assert message in str(e.value)


def test_not_a_registry(tmp_path):
    with pytest.raises(RegistryError, match="expected a mapping with an `offices:` list"):
        load_registry(write(tmp_path, "- id: a\n"))
    with pytest.raises(RegistryError, match="not valid YAML"):
        load_registry(write(tmp_path, "offices: [\n"))
    with pytest.raises(RegistryError, match="cannot read registry"):
        load_registry(tmp_path / "absent.yaml")


def test_cli_sources_check(tmp_path, capsys):
    good = write(tmp_path, GOOD)
    assert main(["sources", "check", str(good)]) == 0
    assert capsys.readouterr().out == f"{good}: 3 offices, valid\n"
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "offices:\n  - id: a\n    name: x\n    level: city\n    region: '1'\n    listing: a\n", encoding="utf-8"
    )
    assert main(["sources", "check", str(bad)]) == 1
    assert "offices[0] (id 'a'): field `region`" in capsys.readouterr().err


def test_every_problem_of_a_registry_at_once(tmp_path, capsys):
    """One pass names every broken entry and field, so a registry is fixed in one go."""
    path = write(
        tmp_path,
        """local_roots: [https://example.gov.cn/]
colour: blue
offices:
  - id: Bad Id
    name: 甲
    level: village
    region: 320800
    listing: a.html
    max_pages: 0
  - just a string
  - id: b
    name: 乙
    level: city
    region: "320800"
    listing: [ftp://x.cn/a.html, 'https://']
    reports: [{year: 23, url: /etc/shadow}, {url: b.pdf}]
    selector: '//ul[@'
    parent: nobody
  - id: c
    name: 丙
    level: county
    region: "320813"
    listing: c.html
  - id: c
    name: 丙二
    level: county
    region: "320813"
""",
    )
    with pytest.raises(RegistryError) as e:
        load_registry(path)
    root = str(tmp_path.resolve())
    outside = (
        f"/etc/shadow is outside the registry's local roots ({root}); not read "
        "(name further folders in the top-level `local_roots:`)"
    )
    expected = [
        f"{path}: field `colour`: unknown top-level field (known: local_roots, offices)",
        f"{path}: field `local_roots[0]`: 'https://example.gov.cn/' must be a local folder, not a URL",
        f"{path}: offices[0] (id 'Bad Id'): field `id`: 'Bad Id' must be lower-case letters, digits, '-' or '_'",
        f"{path}: offices[0] (id 'Bad Id'): field `level`: 'village' is not one of province, city, county, township, "
        "department",
        f"{path}: offices[0] (id 'Bad Id'): field `region`: 320800 must be a 6-digit division code written as a "
        "quoted string",
        f"{path}: offices[0] (id 'Bad Id'): field `max_pages`: 0 must be a positive whole number",
        f"{path}: offices[1]: expected a mapping, got str",
        f"{path}: offices[2] (id 'b'): field `listing[0]`: 'ftp://x.cn/a.html': only http(s) URLs and local paths "
        "are allowed",
        f"{path}: offices[2] (id 'b'): field `listing[1]`: 'https://' has no host",
        f"{path}: offices[2] (id 'b'): field `reports[0].year`: 23 is not a year",
        f"{path}: offices[2] (id 'b'): field `reports[0].url`: '/etc/shadow': {outside}",
        f"{path}: offices[2] (id 'b'): field `reports[1]`: must be a mapping with `year` and `url`",
        f"{path}: offices[2] (id 'b'): field `selector`: not a valid XPath expression: Invalid expression",
        f"{path}: offices[4] (id 'c'): field `listing`: required (or `reports:` with known documents)",
        f"{path}: offices[4] (id 'c'): field `id`: duplicate of offices[3]",
        f"{path}: offices[2] (id 'b'): field `parent`: no office with id 'nobody'",
    ]
    assert e.value.problems == expected
    assert str(e.value) == "\n".join(expected)
    assert main(["sources", "check", str(path)]) == 1
    assert capsys.readouterr().err == "\n".join(expected) + f"\n{path}: {len(expected)} problems, not valid\n"


def test_parent_and_duplicate_problems_are_listed_together(tmp_path):
    path = write(
        tmp_path,
        """offices:
  - {id: a, name: x, level: city, region: "320800", listing: a.html, parent: ghost}
  - {id: a, name: y, level: city, region: "320800", listing: b.html}
  - {id: c, name: z, level: city, region: "320800", listing: c.html, parent: c}
""",
    )
    with pytest.raises(RegistryError) as e:
        load_registry(path)
    assert e.value.problems == [
        f"{path}: offices[1] (id 'a'): field `id`: duplicate of offices[0]",
        f"{path}: offices[0] (id 'a'): field `parent`: no office with id 'ghost'",
        f"{path}: offices[2] (id 'c'): field `parent`: an office cannot be its own parent",
    ]
