"""`xxgk`: the command line. Each command calls the same library functions the flows call."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ingest.schedule_defaults import DEFAULT_CRON, DEFAULT_TIMEZONE

DEFAULT_WAREHOUSE = Path("warehouse/xxgk.duckdb")
DEFAULT_SOURCES = Path("samples/sources.yaml")
DEFAULT_EXPORTS = Path("exports")

# `xxgk nightly` exit codes (README, "Exit codes"). A site's fault or one document's failure is part of
# the summary and leaves 0; a step of the run that failed does not.
EXIT_OK = 0
EXIT_RUN_FAILED = 1  # the run could not be made at all (unreadable registry, unusable warehouse, …)
EXIT_ALREADY_RUNNING = 3  # another nightly holds the warehouse's run lock
EXIT_STEP_FAILED = 4  # checks, corrections, publish or exports failed; the summary names which


def _cmd_parse(args: argparse.Namespace) -> int:
    from ingest.checks import check_report
    from ingest.jsonout import report_to_json
    from ingest.parse import parse_file

    for path in args.paths:
        report = parse_file(Path(path), office=args.office, year=args.year)
        # The same SQL checks the warehouse runs, so a document's broken identities show before loading.
        report.issues.extend(check_report(report))
        if args.json:
            print(report_to_json(report), flush=True)
        else:
            from ingest.jsonout import report_summary

            print(report_summary(report), flush=True)
    return 0


def _cmd_nightly(args: argparse.Namespace) -> int:
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
        summary = nightly(sources=str(args.sources), warehouse=str(args.warehouse), exports=str(args.exports),
                          dask_address=args.dask_address, parse_workers=args.parse_workers,
                          chunk_size=args.chunk_size, progress=progress)
    except Exception as e:
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


def _cmd_serve(args: argparse.Namespace) -> int:
    from flows.schedule import serve_nightly

    serve_nightly(cron=args.cron, timezone=args.timezone, sources=str(args.sources),
                  warehouse=str(args.warehouse), exports=str(args.exports), dask_address=args.dask_address)
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from ingest.export import export_view
    from ingest.warehouse import WarehouseError

    try:
        out = export_view(args.warehouse, args.view, year=args.year, office=args.office, out=args.out)
    except WarehouseError as e:
        print(f"xxgk export: {e}", file=sys.stderr)
        return 2
    print(out)
    return 0


def _cmd_sql(args: argparse.Namespace) -> int:
    from ingest.warehouse import WarehouseError, query_readonly

    try:
        print(query_readonly(args.warehouse, args.query))
    except WarehouseError as e:
        print(f"xxgk sql: {e}", file=sys.stderr)
        return 2
    return 0


def _cmd_sources_check(args: argparse.Namespace) -> int:
    from ingest.sources import RegistryError, load_registry

    try:
        registry = load_registry(Path(args.file))
    except RegistryError as e:
        print(e, file=sys.stderr)
        return 1
    print(f"{args.file}: {len(registry.offices)} offices, valid")
    return 0


def _cmd_quality(args: argparse.Namespace) -> int:
    from ingest.quality_report import quality_report

    print(quality_report(args.warehouse, year=args.year, out_dir=args.out_dir, sources=args.sources))
    return 0


def _cmd_generate(args: argparse.Namespace) -> int:
    from ingest.generate.samples import write_samples

    written = write_samples(Path(args.out))
    print(f"wrote {len(written)} files under {args.out}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="xxgk", description="政府信息公开工作年度报告 → DuckDB warehouse")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("parse", help="parse report documents; --json prints one JSON object per document")
    s.add_argument("paths", nargs="+")
    s.add_argument("--json", action="store_true")
    s.add_argument("--office", help="office name, overriding the one read from the title")
    s.add_argument("--year", type=int, help="report year, overriding the one read from the title")
    s.set_defaults(func=_cmd_parse)

    s = sub.add_parser("nightly", help="run the nightly ingestion once: sources → parse → load → views → exports")
    s.add_argument("--sources", type=Path, default=DEFAULT_SOURCES)
    s.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE)
    s.add_argument("--exports", type=Path, default=DEFAULT_EXPORTS)
    s.add_argument("--dask-address", help="parse on this Dask cluster (tcp://HOST:PORT) instead of local processes")
    s.add_argument("--parse-workers", type=int, help="local parse processes (default: one per core; 1: in process)")
    s.add_argument("--chunk-size", type=int, default=16, help="documents per parse task (default: 16)")
    s.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="show a progress bar (default: when stderr is a terminal)")
    s.set_defaults(func=_cmd_nightly)

    s = sub.add_parser("serve", help="serve the nightly as a cron-scheduled deployment (needs `prefect server start`)")
    s.add_argument("--cron", default=DEFAULT_CRON, help=f"when to run (default: {DEFAULT_CRON!r})")
    s.add_argument("--timezone", default=DEFAULT_TIMEZONE, help=f"time zone of the cron (default: {DEFAULT_TIMEZONE})")
    s.add_argument("--sources", type=Path, default=DEFAULT_SOURCES)
    s.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE)
    s.add_argument("--exports", type=Path, default=DEFAULT_EXPORTS)
    s.add_argument("--dask-address", help="each run parses on this Dask cluster (tcp://HOST:PORT)")
    s.set_defaults(func=_cmd_serve)

    s = sub.add_parser("export", help="write a view as CSV (UTF-8 with BOM, opens in Excel)")
    s.add_argument("view")
    s.add_argument("--year", type=int)
    s.add_argument("--office")
    s.add_argument("--out", type=Path)
    s.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE)
    s.set_defaults(func=_cmd_export)

    s = sub.add_parser("sql", help="run a read-only query against the warehouse and print the result")
    s.add_argument("query")
    s.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE)
    s.set_defaults(func=_cmd_sql)

    s = sub.add_parser("sources", help="the source registry")
    ss = s.add_subparsers(dest="sources_command", required=True)
    c = ss.add_parser("check", help="validate a registry file")
    c.add_argument("file")
    c.set_defaults(func=_cmd_sources_check)

    s = sub.add_parser("quality", help="data-quality report: summary, CSV and HTML")
    s.add_argument("--year", type=int)
    s.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE)
    s.add_argument("--sources", type=Path, default=DEFAULT_SOURCES)
    s.add_argument("--out-dir", type=Path, default=DEFAULT_EXPORTS / "quality")
    s.set_defaults(func=_cmd_quality)

    s = sub.add_parser("generate", help="write the synthetic sample reports and their registry")
    s.add_argument("--out", default="samples")
    s.set_defaults(func=_cmd_generate)
    return p


def main(argv: list[str] | None = None) -> int:
    # Prefect's local server must not phone home from an ingestion job.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
