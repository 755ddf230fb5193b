"""Shared test fixtures. Paths and helpers that test modules import live in helpers.py."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True, scope="session")
def _quiet_prefect():
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    yield
