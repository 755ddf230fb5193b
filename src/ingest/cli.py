"""`xxgk`: the command line. Each command calls the same library functions the flows call."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from flows.schedule import DEFAULT_CRON, DEFAULT_TIMEZONE

DEFAULT_WAREHOUSE = Path("warehouse/xxgk.duckdb")
DEFAULT_SOURCES = Path("samples/sources.yaml")
DEFAULT_EXPORTS = Path("exports")


def _cmd_parse(args: argparse.Namespace) -> int:
    from ingest.checks import check_reports
    from ingest.jsonout import report_summary, report_to_json
    from ingest.parse import parse_file

    reports = [parse_file(Path(path), office=args.office, year=args.year) for path in args.paths]
    # The same SQL checks the warehouse runs, so a document's broken identities show before loading:
    # all documents in one pass, each check run once over all of them.
    for report, issues in zip(reports, check_reports(reports)):
        report.issues.extend(issues)
        print(report_to_json(report) if args.json else report_summary(report))
    sys.stdout.flush()
    return 0


def _cmd_nightly(args: argparse.Namespace) -> int:
    from flows.nightly import nightly

    summary = nightly(sources=str(args.sources), warehouse=str(args.warehouse), exports=str(args.exports))
    return 0 if summary is not None else 1


def _cmd_serve(args: argparse.Namespace) -> int:
    from flows.schedule import serve_nightly

    serve_nightly(cron=args.cron, timezone=args.timezone, sources=str(args.sources),
                  warehouse=str(args.warehouse), exports=str(args.exports))
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
    s.set_defaults(func=_cmd_nightly)

    s = sub.add_parser("serve", help="serve the nightly as a cron-scheduled deployment (needs `prefect server start`)")
    s.add_argument("--cron", default=DEFAULT_CRON, help=f"when to run (default: {DEFAULT_CRON!r})")
    s.add_argument("--timezone", default=DEFAULT_TIMEZONE, help=f"time zone of the cron (default: {DEFAULT_TIMEZONE})")
    s.add_argument("--sources", type=Path, default=DEFAULT_SOURCES)
    s.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE)
    s.add_argument("--exports", type=Path, default=DEFAULT_EXPORTS)
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
