"""The nightly ingestion as a scheduled Prefect deployment.

`xxgk serve` registers the deployment with the Prefect server the environment points at
(PREFECT_API_URL) and keeps a process running that executes each scheduled run. Cron schedules only fire
against a real `prefect server start`, not against the temporary server a bare flow call starts.
"""

from __future__ import annotations

DEFAULT_CRON = "30 2 * * *"  # 02:30, when government sites are quiet
DEFAULT_TIMEZONE = "Asia/Shanghai"  # the offices' own clock, whatever the server's


def nightly_deployment(*, cron: str = DEFAULT_CRON, timezone: str = DEFAULT_TIMEZONE,
                       sources: str = "samples/sources.yaml", warehouse: str = "warehouse/xxgk.duckdb",
                       exports: str = "exports"):
    from prefect.schedules import Cron

    from flows.nightly import nightly

    return nightly.to_deployment(
        name="xxgk-nightly",
        schedule=Cron(cron, timezone=timezone),
        parameters={"sources": sources, "warehouse": warehouse, "exports": exports},
        description="Scrape the registry's offices, parse new reports, load the warehouse, export CSVs.",
        tags=["xxgk"],
    )


def serve_nightly(**kwargs) -> None:
    from prefect import serve

    # Restarts are expected on a server: keep the schedule active while the process is down.
    serve(nightly_deployment(**kwargs), pause_on_shutdown=False)
