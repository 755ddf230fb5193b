"""View lineage is declared: every view file's `-- depends:` header names exactly what its SQL reads, and
views are created in that order; a header naming an unknown view or a circle is refused naming the file."""

from __future__ import annotations

import json
import re

import duckdb
import pytest

from ingest.viewgraph import ViewLineageError, creation_order, existing_tables, read_view_file, view_files
from ingest.warehouse import migrate

_CREATE = re.compile(r"CREATE\s+OR\s+REPLACE\s+VIEW\s+\w+\s+AS\s", re.IGNORECASE)


def _walk(node, tables: set[str], ctes: set[str]) -> None:
    if isinstance(node, dict):
        if node.get("type") == "BASE_TABLE":
            tables.add(node["table_name"])
        for entry in (node.get("cte_map") or {}).get("map", []):
            ctes.add(entry["key"])
        for v in node.values():
            _walk(v, tables, ctes)
    elif isinstance(node, list):
        for v in node:
            _walk(v, tables, ctes)


def relations_read(select_sql: str) -> set[str]:
    """The tables and views a SELECT reads, from DuckDB's own parse tree (its CTEs left out)."""
    tree = json.loads(duckdb.execute("SELECT json_serialize_sql(?)", [select_sql]).fetchone()[0])
    assert not tree["error"], tree
    tables: set[str] = set()
    ctes: set[str] = set()
    _walk(tree["statements"], tables, ctes)
    return tables - ctes


def test_the_reader_finds_every_kind_of_reference():
    sql = """WITH a AS (SELECT * FROM t1), b AS (SELECT * FROM a)
             SELECT * FROM b JOIN t2 USING (x) LEFT JOIN (SELECT * FROM t5) s ON true
             WHERE EXISTS (SELECT 1 FROM t3 WHERE t3.y = b.y) AND x IN (SELECT z FROM t4)
             UNION ALL SELECT * FROM t6"""
    assert relations_read(sql) == {"t1", "t2", "t3", "t4", "t5", "t6"}


def test_every_view_header_names_exactly_what_its_sql_reads():
    files = view_files()
    assert len(files) >= 18
    mismatched = {}
    for f in files:
        create = [s.query for s in duckdb.extract_statements(f.sql) if s.type == duckdb.StatementType.CREATE]
        assert len(create) == 1, f.path
        select = _CREATE.split(create[0], maxsplit=1)[1]
        read = relations_read(select)
        assert read, f.path  # every view reads something: an empty set would mean the reader failed
        if read != set(f.depends):
            mismatched[f.path.name] = {"header": sorted(f.depends), "read": sorted(read)}
    assert mismatched == {}
    by_name = {f.name: f.depends for f in files}
    assert by_name["int_yoy_fact"] == ("int_fact_comparable", "office")
    assert by_name["int_fact"] == ("fact_proactive", "fact_procurement", "fact_applications", "fact_appeals")


def test_views_are_created_after_what_they_read():
    con = duckdb.connect()
    migrate(con)
    order = [f.name for f in creation_order(view_files(), existing_tables(con))]
    position = {name: i for i, name in enumerate(order)}
    for f in view_files():
        for d in f.depends:
            if d in position:
                assert position[d] < position[f.name], (f.name, d)
    assert (
        position["int_fact"]
        < position["int_fact_comparable"]
        < position["int_yoy_fact"]
        < position["int_yoy_fact_flagged"]
        < position["yoy_applications_flagged"]
    )
    # every view file made its view, and views are what the files define, one each
    made = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    assert made == set(order)


def write(folder, name: str, text: str):
    path = folder / f"{name}.sql"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_header_naming_an_unknown_view_is_refused_naming_the_file(tmp_path):
    files = [
        read_view_file(write(tmp_path, "v_a", "-- depends: t\nCREATE OR REPLACE VIEW v_a AS SELECT * FROM t;")),
        read_view_file(
            write(tmp_path, "v_b", "-- depends: v_a, v_gone\nCREATE OR REPLACE VIEW v_b AS SELECT * FROM v_a, v_gone;")
        ),
    ]
    with pytest.raises(ViewLineageError, match=r"v_b\.sql: `-- depends:` names v_gone, which is neither"):
        creation_order(files, tables={"t"})
    assert [f.name for f in creation_order(files[:1], tables={"t"})] == ["v_a"]


def test_views_depending_on_each_other_in_a_circle_are_refused_naming_the_files(tmp_path):
    files = [
        read_view_file(write(tmp_path, n, f"-- depends: {d}\nCREATE OR REPLACE VIEW {n} AS SELECT * FROM {d};"))
        for n, d in [("v_a", "v_c"), ("v_b", "v_a"), ("v_c", "v_b"), ("v_d", "t")]
    ]
    with pytest.raises(ViewLineageError, match="in a circle") as e:
        creation_order(files, tables={"t"})
    assert {"v_a.sql", "v_b.sql", "v_c.sql"} <= set(re.findall(r"v_\w\.sql", str(e.value)))
    assert "v_d.sql" not in str(e.value)


@pytest.mark.parametrize(
    "text,problem",
    [
        ("CREATE OR REPLACE VIEW v_a AS SELECT 1;", "found 0"),
        ("-- depends:\nCREATE OR REPLACE VIEW v_a AS SELECT 1;", "names nothing"),
        ("-- depends: t\nCREATE OR REPLACE VIEW v_other AS SELECT * FROM t;", "named like the file"),
        (
            "-- depends: t\nCREATE OR REPLACE VIEW v_a AS SELECT * FROM t;\n"
            "CREATE OR REPLACE VIEW v_a2 AS SELECT * FROM v_a;",
            "found 2 CREATE statement",
        ),
        ("-- depends: t\nCREATE OR REPLACE VIEW v_a AS SELECT * FROM t;\nDROP TABLE t;", "found 'DROP TABLE t;'"),
        (
            "-- depends: t\nCREATE OR REPLACE VIEW v_a AS SELECT * FROM t;\nCOMMENT ON VIEW t IS 'x';",
            'found "COMMENT ON VIEW t',
        ),
    ],
)
def test_a_view_file_without_one_header_and_one_view_named_like_it_is_refused(tmp_path, text, problem):
    path = write(tmp_path, "v_a", text)
    with pytest.raises(ViewLineageError, match=re.escape(problem)) as e:
        read_view_file(path)
    assert str(path) in str(e.value)


def test_every_view_says_what_it_holds_and_the_intermediate_ones_say_so():
    con = duckdb.connect()
    migrate(con)
    comments = dict(con.execute("SELECT view_name, comment FROM duckdb_views() WHERE NOT internal").fetchall())
    assert len(comments) == len(view_files())
    assert [v for v, c in comments.items() if not c] == []
    assert {v for v, c in comments.items() if c.startswith("intermediate:")} == {
        v for v in comments if v.startswith("int_")
    }
    ratio = con.execute("SELECT DISTINCT comment FROM duckdb_columns() WHERE column_name = 'change_ratio'").fetchall()
    assert ratio == [
        ("change / prev_value as a fraction (0.25 = +25 %), rounded to 6 places; null when prev_value is 0 or blank",)
    ]
