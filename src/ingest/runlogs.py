"""The library's log records (fetch retries, robots refusals, blocked pages, parse errors) in Prefect's
run logs: the `ingest` logger gets the handlers Prefect gives its extra loggers, as
`PREFECT_LOGGING_EXTRA_LOGGERS=ingest` would, whatever was imported first."""

from __future__ import annotations

import logging


def send_library_logs_to_prefect(name: str = "ingest") -> None:
    logger = logging.getLogger(name)
    for handler in logging.getLogger("prefect.extra").handlers:
        if handler not in logger.handlers:
            logger.addHandler(handler)
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)
