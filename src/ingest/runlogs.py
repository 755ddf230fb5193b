"""The library's log records (fetch problems, robots refusals, blocked pages, parse errors, stale locks)
in Prefect's run logs: the `ingest` logger gets the handlers Prefect gives its extra loggers, as
`PREFECT_LOGGING_EXTRA_LOGGERS=ingest` would, whatever was imported first. Records made outside a flow
or task run (the command line before its flow starts, a library call in a script) are not sent to the
API, which would only warn that it has no run to file them under."""

from __future__ import annotations

import logging


class _InRunOnly(logging.Handler):
    def __init__(self, target: logging.Handler):
        super().__init__(target.level)
        self.target = target

    def emit(self, record: logging.LogRecord) -> None:
        from prefect.context import FlowRunContext, TaskRunContext

        if FlowRunContext.get() is not None or TaskRunContext.get() is not None:
            self.target.handle(record)


def send_library_logs_to_prefect(name: str = "ingest") -> None:
    from prefect.logging.handlers import APILogHandler

    logger = logging.getLogger(name)
    present = {getattr(h, "target", h) for h in logger.handlers}
    for handler in logging.getLogger("prefect.extra").handlers:
        if handler not in present:
            logger.addHandler(_InRunOnly(handler) if isinstance(handler, APILogHandler) else handler)
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)
