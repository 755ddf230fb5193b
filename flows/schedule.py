"""The nightly ingestion as a scheduled Prefect deployment.

`xxgk serve` registers the deployment with the Prefect server the environment points at
(PREFECT_API_URL) and keeps a process running that executes each scheduled run. Cron schedules only fire
against a real `prefect server start`, not against the temporary server a bare flow call starts.
"""

from __future__ import annotations

from ingest.schedule_defaults import DEFAULT_CRON, DEFAULT_TIMEZONE

# One run at a time: a run scheduled while the last one still runs is cancelled (CANCEL_NEW) rather
# than queued: the next night's run picks up whatever the skipped one would have done, and runs never
# pile up behind a slow night. (The run lock beside the warehouse guards CLI runs as well.)
COLLISION_STRATEGY = "CANCEL_NEW"


def nightly_deployment(
    *,
    cron: str = DEFAULT_CRON,
    timezone: str = DEFAULT_TIMEZONE,
    sources: str = "samples/sources.yaml",
    warehouse: str = "warehouse/xxgk.duckdb",
    exports: str = "exports",
    dask_address: str | None = None,
):
    from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
    from prefect.schedules import Cron

    from flows.nightly import nightly

    return nightly.to_deployment(
        name="xxgk-nightly",
        schedule=Cron(cron, timezone=timezone),
        parameters={
            "sources": sources,
            "warehouse": warehouse,
            "exports": exports,
            **({"dask_address": dask_address} if dask_address else {}),
        },
        description="Scrape the registry's offices, parse new reports, load the warehouse, export CSVs.",
        tags=["xxgk"],
        concurrency_limit=ConcurrencyLimitConfig(
            limit=1, collision_strategy=ConcurrencyLimitStrategy(COLLISION_STRATEGY)
        ),
    )


def serve_nightly(**kwargs) -> None:
    from prefect import serve

    # Restarts are expected on a server: keep the schedule active while the process is down.
    serve(nightly_deployment(**kwargs), pause_on_shutdown=False)
