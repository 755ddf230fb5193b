"""`xxgk`: the command line. Each command calls the same library functions the flows call.

Files a command needs (the registry, the warehouse) are checked before anything heavy is imported, so a
wrong path costs one line on stderr and no Prefect start-up.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ingest.errors import XxgkError
from ingest.schedule_defaults import DEFAULT_CRON, DEFAULT_TIMEZONE

DEFAULT_WAREHOUSE = Path("warehouse/xxgk.duckdb")
DEFAULT_SOURCES = Path("samples/sources.yaml")
DEFAULT_EXPORTS = Path("exports")

# Exit codes, one table for every command (also in `xxgk --help` and README, "Exit codes"). A site's fault
# or one document's failure is part of a run's summary and leaves 0; a step of the run that failed does not.
EXIT_OK = 0
EXIT_FAILED = 1  # the command could not do its work (the run could not be made, a step of reparse/rebuild failed)
EXIT_REFUSED = 2  # bad arguments, a missing file, a refused statement
EXIT_ALREADY_RUNNING = 3  # another nightly holds the warehouse's run lock
EXIT_STEP_FAILED = 4  # checks, corrections, publish or exports failed; the summary names which
EXIT_NO_ROWS = 5  # an export whose filters matched no rows: nothing written
EXIT_RUN_FAILED = EXIT_FAILED
EXIT_CODES = """exit codes:
  0  done (a site's fault or one document's failure is reported in the summary, not here)
  1  the command could not do its work (the run failed before its end)
  2  bad arguments, a missing registry or warehouse, a refused statement or query error
  3  nightly: another nightly is running on this warehouse (its pid and start time are printed)
  4  nightly: a step failed (checks, corrections, publish or exports) after the rest was done
  5  export: the filters matched no rows, nothing was written"""


class MissingInput(XxgkError):
    """A file the command needs is not there."""


def _need_registry(path: Path) -> None:
    if not Path(path).is_file():
        raise MissingInput(f"registry {path} not found (give --sources, or write one: see README, Sources)")


def _need_warehouse(path: Path) -> None:
    if not Path(path).is_file():
        raise MissingInput(f"warehouse {path} not found (give --warehouse, or build it with `xxgk nightly`)")


def _cmd_parse(args: argparse.Namespace) -> int:
    from ingest.checks import check_reports
    from ingest.jsonout import report_summary, report_to_json
    from ingest.parse import parse_file

    reports = [parse_file(Path(path), office=args.office, year=args.year) for path in args.paths]
    # The same SQL checks the warehouse runs, so a document's broken identities show before loading:
    # all documents in one pass, each check run once over all of them.
    for report, issues in zip(reports, check_reports(reports), strict=False):
        report.issues.extend(issues)
        print(report_to_json(report) if args.json else report_summary(report))
    sys.stdout.flush()
    return EXIT_OK


def _cmd_nightly(args: argparse.Namespace) -> int:
    _need_registry(args.sources)
    from ingest.runlock import RunLock, RunLocked

    # Taken here, before Prefect starts, so a second run ends at once with one line; the flow, running
    # in this process, takes the same lock again.
    try:
        lock = RunLock(args.warehouse)
        lock.acquire()
    except RunLocked as e:
        print(f"xxgk nightly: {e}", file=sys.stderr)
        return EXIT_ALREADY_RUNNING
    try:
        from flows.nightly import nightly

        progress = sys.stderr.isatty() if args.progress is None else args.progress
        summary = nightly(
            sources=str(args.sources),
            warehouse=str(args.warehouse),
            exports=str(args.exports),
            dask_address=args.dask_address,
            parse_workers=args.parse_workers,
            chunk_size=args.chunk_size,
            progress=progress,
        )
    except Exception as e:  # the flow run's log holds the traceback (Prefect logs a failed flow's exception)
        print(f"xxgk nightly: the run failed: {type(e).__name__}: {e}", file=sys.stderr)
        return EXIT_RUN_FAILED
    finally:
        lock.release()
    if summary is None:
        return EXIT_RUN_FAILED
    if summary["steps_failed"]:
        print(f"xxgk nightly: steps failed: {', '.join(summary['steps_failed'])}", file=sys.stderr)
        return EXIT_STEP_FAILED
    return EXIT_OK


def _cmd_reparse(args: argparse.Namespace) -> int:
    _need_warehouse(args.warehouse)
    if args.corrections is not None and not Path(args.corrections).is_file():
        raise MissingInput(f"corrections file {args.corrections} not found")
    from flows.reparse import reparse

    summary = reparse(
        warehouse=str(args.warehouse),
        exports=str(args.exports),
        corrections=None if args.corrections is None else str(args.corrections),
    )
    if summary is None:
        return EXIT_FAILED
    return EXIT_STEP_FAILED if summary.get("steps_failed") else EXIT_OK


def _cmd_rebuild(args: argparse.Namespace) -> int:
    from ingest.rebuild import RebuildError, check_target

    try:
        check_target(args.warehouse, args.archive or args.warehouse.parent / "raw")
        from flows.rebuild import rebuild

        summary = rebuild(
            warehouse=str(args.warehouse),
            exports=str(args.exports),
            archive=str(args.archive) if args.archive else None,
            sources=str(args.sources) if args.sources else None,
        )
    except RebuildError as e:
        print(f"xxgk rebuild: {e}", file=sys.stderr)
        return EXIT_REFUSED
    return EXIT_STEP_FAILED if summary is None or summary["steps_failed"] else EXIT_OK


def _cmd_serve(args: argparse.Namespace) -> int:
    _need_registry(args.sources)
    from flows.schedule import serve_nightly

    serve_nightly(
        cron=args.cron,
        timezone=args.timezone,
        sources=str(args.sources),
        warehouse=str(args.warehouse),
        exports=str(args.exports),
        dask_address=args.dask_address,
    )
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    _need_warehouse(args.warehouse)
    from ingest.export import Filters, NoRowsError, export_all, export_view

    labels = None if args.labels == "codes" else args.labels
    if args.all:
        if args.view:
            raise MissingInput("give a view or --all, not both")
        out = args.out or DEFAULT_EXPORTS
        written = export_all(
            args.warehouse,
            out,
            fmt=args.format,
            labels=labels,
            filters=Filters(args.year, args.office, args.province, args.level),
        )
        for path in written:
            print(path)
        return EXIT_OK
    if not args.view:
        raise MissingInput('name the view to export (see `xxgk sql "SHOW TABLES"`), or give --all')
    try:
        out = export_view(
            args.warehouse,
            args.view,
            year=args.year,
            office=args.office,
            out=args.out,
            fmt=args.format,
            labels=labels,
            province=args.province,
            level=args.level,
            refuse_empty=True,
        )
    except NoRowsError as e:
        print(f"xxgk export: warning: {e}", file=sys.stderr)
        return EXIT_NO_ROWS
    print(out)
    return EXIT_OK


def _cmd_sql(args: argparse.Namespace) -> int:
    _need_warehouse(args.warehouse)
    from ingest.warehouse import query_readonly

    query = sys.stdin.read() if args.query == "-" else args.query
    print(
        query_readonly(
            args.warehouse, query, fmt=args.format, timeout_s=args.timeout or None, max_rows=args.max_rows or None
        )
    )
    return EXIT_OK


def _cmd_bulletin(args: argparse.Namespace) -> int:
    _need_warehouse(args.warehouse)
    from ingest.bulletin import write_bulletin

    out = write_bulletin(args.warehouse, year=args.year, province=args.province, out=args.out)
    print(out)
    return EXIT_OK


def _cmd_describe(args: argparse.Namespace) -> int:
    from ingest.dictionary import UnknownObject, describe, describe_text, fresh_schema, markdown
    from ingest.warehouse import WarehouseError, connect

    try:
        con = connect(args.warehouse, read_only=True)
    except WarehouseError:
        print(
            f"xxgk describe: {args.warehouse} does not exist; describing the schema a new warehouse gets",
            file=sys.stderr,
        )
        con = fresh_schema()
    try:
        items = describe(con, args.name)
    except UnknownObject as e:
        print(f"xxgk describe: {e}", file=sys.stderr)
        return 2
    finally:
        con.close()
    print(markdown(items) if args.markdown else describe_text(items), end="")
    return 0


def _cmd_sources_check(args: argparse.Namespace) -> int:
    from ingest.sources import RegistryError, load_registry

    try:
        registry = load_registry(Path(args.file))
    except RegistryError as e:
        for problem in e.problems:
            print(problem, file=sys.stderr)
        count = len(e.problems)
        print(f"{args.file}: {count} problem{'s' if count != 1 else ''}, not valid", file=sys.stderr)
        return EXIT_FAILED
    print(f"{args.file}: {len(registry.offices)} offices, valid")
    return EXIT_OK


def _cmd_quality(args: argparse.Namespace) -> int:
    _need_warehouse(args.warehouse)
    from ingest.quality_report import quality_report

    print(quality_report(args.warehouse, year=args.year, out_dir=args.out_dir, sources=args.sources))
    return EXIT_OK


def _cmd_generate(args: argparse.Namespace) -> int:
    from ingest.generate.samples import write_samples

    written = write_samples(Path(args.out))
    print(f"wrote {len(written)} files under {args.out}")
    return EXIT_OK


class _Formatter(argparse.ArgumentDefaultsHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Shows every option's default (an option without one says what it means when absent in its help),
    and keeps the epilog's line breaks."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        if action.default is None:
            return action.help
        return super()._get_help_string(action)


def _sub(sub, name: str, help: str, **kw) -> argparse.ArgumentParser:
    return sub.add_parser(name, help=help, description=help, formatter_class=_Formatter, **kw)


def _warehouse(s: argparse.ArgumentParser) -> None:
    s.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE, help="the DuckDB warehouse file")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="xxgk",
        description="政府信息公开工作年度报告 → DuckDB warehouse",
        formatter_class=_Formatter,
        epilog=EXIT_CODES,
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = _sub(sub, "parse", "parse report documents and print what was read")
    s.add_argument("paths", nargs="+", help="report files (HTML, PDF, DOCX, DOC, WPS, XLSX, XLS, text, image)")
    s.add_argument("--json", action="store_true", help="print one JSON object per document")
    s.add_argument("--office", help="office name, overriding the one read from the title")
    s.add_argument("--year", type=int, help="report year, overriding the one read from the title")
    s.set_defaults(func=_cmd_parse)

    s = _sub(
        sub, "nightly", "run the nightly ingestion once: sources → parse → load → views → exports", epilog=EXIT_CODES
    )
    s.add_argument("--sources", type=Path, default=DEFAULT_SOURCES, help="the source registry (YAML)")
    _warehouse(s)
    s.add_argument("--exports", type=Path, default=DEFAULT_EXPORTS, help="folder the CSV export set goes to")
    s.add_argument(
        "--dask-address", default=None, help="parse on this Dask cluster (tcp://HOST:PORT) instead of local processes"
    )
    s.add_argument(
        "--parse-workers",
        type=int,
        default=None,
        help="local parse processes (none given: one per core; 1: in this process)",
    )
    s.add_argument("--chunk-size", type=int, default=16, help="documents per parse task")
    s.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show a progress bar (none given: when stderr is a terminal)",
    )
    s.set_defaults(func=_cmd_nightly)

    s = _sub(
        sub,
        "rebuild",
        "build a new warehouse from the raw archive alone (every version, every correction), then its exports",
    )
    s.add_argument("--warehouse", type=Path, required=True, help="the new warehouse file (must not exist)")
    s.add_argument("--exports", type=Path, default=DEFAULT_EXPORTS, help="folder the CSV export set goes to")
    s.add_argument(
        "--archive", type=Path, default=None, help="the raw archive (default: `raw` beside the new warehouse)"
    )
    s.add_argument("--sources", type=Path, default=None, help="the registry, for offices that never published anything")
    s.set_defaults(func=_cmd_rebuild)

    s = _sub(
        sub, "reparse", "parse every archived document again and reload it (after a parser change); nothing is fetched"
    )
    _warehouse(s)
    s.add_argument("--exports", type=Path, default=DEFAULT_EXPORTS, help="folder the CSV export set goes to")
    s.add_argument(
        "--corrections",
        type=Path,
        default=None,
        help="reviewed corrections (YAML); the repository's corrections.yaml when not given",
    )
    s.set_defaults(func=_cmd_reparse)

    s = _sub(sub, "serve", "serve the nightly as a cron-scheduled deployment (needs `prefect server start`)")
    s.add_argument("--cron", default=DEFAULT_CRON, help="when to run (cron syntax)")
    s.add_argument("--timezone", default=DEFAULT_TIMEZONE, help="time zone of the cron")
    s.add_argument("--sources", type=Path, default=DEFAULT_SOURCES, help="the source registry (YAML)")
    _warehouse(s)
    s.add_argument("--exports", type=Path, default=DEFAULT_EXPORTS, help="folder the CSV export set goes to")
    s.add_argument("--dask-address", default=None, help="each run parses on this Dask cluster (tcp://HOST:PORT)")
    s.set_defaults(func=_cmd_serve)

    s = _sub(
        sub,
        "export",
        "write a view as CSV (UTF-8 with BOM, opens in Excel), XLSX or Parquet, with its data dictionary beside it",
        epilog=EXIT_CODES,
    )
    s.add_argument("view", nargs="?", help="the view to export (e.g. yoy_applications, office_year_summary)")
    s.add_argument(
        "--all", action="store_true", help="export every exported view into the --out folder, swapped in as one set"
    )
    s.add_argument("--format", choices=("csv", "xlsx", "parquet"), default="csv", help="file format")
    s.add_argument(
        "--labels",
        choices=("codes", "zh"),
        default="codes",
        help="zh: Chinese column headers and the official Chinese label beside each code",
    )
    s.add_argument("--year", type=int, help="only this report year")
    s.add_argument("--office", help="only this office (its registry id or its name)")
    s.add_argument("--province", help="only offices of this province (name, or GB/T 2260 code such as 32)")
    s.add_argument("--level", help="only offices of this level (province, city, county, township, department)")
    s.add_argument(
        "--out",
        type=Path,
        help="output file (a folder with --all); default exports/<view>[_<year>][_<office>].<format>",
    )
    _warehouse(s)
    s.set_defaults(func=_cmd_export)

    s = _sub(
        sub,
        "sql",
        "run read-only statements (SELECT, WITH, PIVOT, EXPLAIN, DESCRIBE, SUMMARIZE) against "
        "the warehouse; files and the network are out of reach",
    )
    s.add_argument("query", help="the SQL; - reads it from standard input")
    s.add_argument("--format", choices=("table", "csv", "json"), default="table", help="output format")
    s.add_argument("--max-rows", type=int, default=1000, help="print at most this many rows (0: all)")
    s.add_argument("--timeout", type=float, default=60.0, help="statement timeout in seconds (0: none)")
    _warehouse(s)
    s.set_defaults(func=_cmd_sql)

    s = _sub(sub, "bulletin", "write the year's bulletin: one self-contained HTML page with charts")
    s.add_argument("--year", type=int, required=True, help="report year")
    s.add_argument("--province", help="only offices of this province (name, or GB/T 2260 code such as 32)")
    s.add_argument("--out", type=Path, default=DEFAULT_EXPORTS / "bulletin.html", help="the HTML file to write")
    _warehouse(s)
    s.set_defaults(func=_cmd_bulletin)

    s = _sub(sub, "describe", "print a table or view (all of them without NAME) with its comments")
    s.add_argument("name", nargs="?", help="a table or view; every one when omitted")
    s.add_argument("--markdown", action="store_true", help="print Markdown (docs/data-dictionary.md is this, for all)")
    s.add_argument(
        "--warehouse",
        type=Path,
        default=DEFAULT_WAREHOUSE,
        help="the warehouse to describe; a new warehouse's schema when the file does not exist",
    )
    s.set_defaults(func=_cmd_describe)

    s = _sub(sub, "sources", "the source registry")
    ss = s.add_subparsers(dest="sources_command", required=True, metavar="SUBCOMMAND")
    c = _sub(ss, "check", "validate a registry file")
    c.add_argument("file", help="the registry (YAML)")
    c.set_defaults(func=_cmd_sources_check)

    s = _sub(sub, "quality", "data-quality report: summary, CSV and HTML")
    s.add_argument("--year", type=int, help="only this report year")
    _warehouse(s)
    s.add_argument(
        "--sources", type=Path, default=DEFAULT_SOURCES, help="the source registry, for the offices expected to report"
    )
    s.add_argument("--out-dir", type=Path, default=DEFAULT_EXPORTS / "quality", help="folder the report goes to")
    s.set_defaults(func=_cmd_quality)

    s = _sub(sub, "generate", "write the synthetic sample reports and their registry")
    s.add_argument("--out", default="samples", help="folder to write into")
    s.set_defaults(func=_cmd_generate)
    return p


def main(argv: list[str] | None = None) -> int:
    # Prefect's local server must not phone home from an ingestion job.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    args = build_parser().parse_args(argv)
    import duckdb

    from ingest.warehouse import WarehouseError

    try:
        return args.func(args)
    except (MissingInput, WarehouseError) as e:
        print(f"xxgk {args.command}: {e}", file=sys.stderr)
        return EXIT_REFUSED
    except duckdb.Error as e:  # a damaged or foreign file: one line, not a traceback
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        print(f"xxgk {args.command}: the warehouse cannot be read: {first}", file=sys.stderr)
        return EXIT_REFUSED


if __name__ == "__main__":
    sys.exit(main())
