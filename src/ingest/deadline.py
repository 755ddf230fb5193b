"""Wall-clock deadlines for requests: one moment after which nothing more is waited for.

httpx's timeouts bound each network operation on its own, so a server that trickles one header byte
just inside the read timeout holds a request for ever. Here a deadline is set for the current thread
(`within`), and the network layer under our own httpx client (`client()`) shortens every connect,
read and write to what is left of it, so a request ends at its deadline whatever the server does,
headers included. Code that waits on its own (backoff, host pacing, body loops) asks `remaining()`.
"""

from __future__ import annotations

import ssl
import threading
import time
import typing
from contextlib import contextmanager
from functools import cache

import httpcore
import httpx

_local = threading.local()


@contextmanager
def within(at: float, reason: str):
    """Run the block under a deadline `at` (time.monotonic()); `reason` says what set it, for messages.

    Nested deadlines keep the earlier one (an office budget bounds the requests inside it).
    """
    outer = getattr(_local, "current", None)
    if outer is not None and outer[0] <= at:
        yield
        return
    _local.current = (at, reason)
    try:
        yield
    finally:
        _local.current = outer


def remaining() -> float | None:
    """Seconds left before the current thread's deadline (never negative), or None without one."""
    current = getattr(_local, "current", None)
    if current is None:
        return None
    return max(0.0, current[0] - time.monotonic())


def expired() -> bool:
    left = remaining()
    return left is not None and left <= 0.0


def reason() -> str | None:
    """What set the current deadline ("the request deadline of 30s", "the office budget of 1800s")."""
    current = getattr(_local, "current", None)
    return current[1] if current else None


def _bounded(timeout: float | None, error: type[Exception]) -> float | None:
    left = remaining()
    if left is None:
        return timeout
    if left <= 0.0:
        raise error(f"deadline passed: {reason()}")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream):
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(
            self._inner.start_tls(ssl_context, server_hostname, _bounded(timeout, httpcore.ConnectTimeout))
        )

    def get_extra_info(self, info: str) -> typing.Any:
        return self._inner.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's network backend with every operation cut short at the current thread's deadline."""

    def __init__(self, inner: httpcore.NetworkBackend | None = None):
        self._inner = inner or httpcore.SyncBackend()

    def connect_tcp(
        self, host: str, port: int, timeout: float | None = None, local_address: str | None = None, socket_options=None
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(
            self._inner.connect_tcp(
                host, port, _bounded(timeout, httpcore.ConnectTimeout), local_address, socket_options
            )
        )

    def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options=None):
        return _DeadlineStream(
            self._inner.connect_unix_socket(path, _bounded(timeout, httpcore.ConnectTimeout), socket_options)
        )

    def sleep(self, seconds: float) -> None:
        left = remaining()
        self._inner.sleep(seconds if left is None else min(seconds, left))


def _wrap(transport: httpx.BaseTransport | None) -> None:
    pool = getattr(transport, "_pool", None)
    if pool is not None and not isinstance(getattr(pool, "_network_backend", None), DeadlineBackend):
        pool._network_backend = DeadlineBackend(pool._network_backend)


def client(**kwargs) -> httpx.Client:
    """An httpx.Client whose every transport (the default one and any proxy taken from the environment)
    runs over the deadline backend.

    httpx keeps its own transports (connection pooling, exception mapping, TLS, proxies) and does not
    take a network backend as an argument; their httpcore pools do, so each pool's backend is wrapped
    after construction. Clients share one default TLS context (building one reads the CA bundle, about
    a tenth of a second) unless `verify` is given.
    """
    kwargs.setdefault("verify", _default_tls_context())
    c = httpx.Client(**kwargs)
    _wrap(c._transport)
    for mounted in c._mounts.values():
        _wrap(mounted)
    return c


@cache
def _default_tls_context() -> ssl.SSLContext:
    """httpx's default verifying context (certifi's CA bundle, or SSL_CERT_FILE / SSL_CERT_DIR), built once
    per process; an SSLContext is safe to share between threads and clients."""
    return httpx.create_ssl_context()
