"""The nightly deployment carries its cron schedule, in the offices' time zone, and the run's parameters.

Schedules only fire against a real `prefect server start`, so this checks what `xxgk serve` registers."""

from __future__ import annotations

import pytest

from flows.schedule import DEFAULT_CRON, nightly_deployment
from ingest.cli import build_parser


@pytest.mark.slow
def test_deployment_schedule_and_parameters():
    d = nightly_deployment(
        cron="0 3 * * *", sources="registry.yaml", warehouse="/data/xxgk.duckdb", exports="/data/exports"
    )
    assert d.name == "xxgk-nightly"
    [schedule] = d.schedules
    assert (schedule.schedule.cron, schedule.schedule.timezone, schedule.active) == ("0 3 * * *", "Asia/Shanghai", True)
    assert d.parameters == {"sources": "registry.yaml", "warehouse": "/data/xxgk.duckdb", "exports": "/data/exports"}


def test_serve_defaults_match_the_deployment_defaults():
    args = build_parser().parse_args(["serve"])
    assert (args.cron, args.timezone) == (DEFAULT_CRON, "Asia/Shanghai")
    assert nightly_deployment().schedules[0].schedule.cron == DEFAULT_CRON
