"""Fixtures of the unit tests: ``env``, the site over a started engine with an admin token
(tests of web/rest/, web/app.py and web/metrics.py; see rest_support.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from rest_support import Env, make_env, rest_config


@pytest.fixture
async def env(tmp_path: Path) -> AsyncIterator[Env]:
    engine, http = await make_env(tmp_path, rest_config())
    try:
        yield Env(engine, http)
    finally:
        await http.aclose()
        await engine.stop()
