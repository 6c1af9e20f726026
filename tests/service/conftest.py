"""Fixtures for the provisioning service tests: one real ``zmconsole serve`` per test module.

The service runs as its own process on free 127.0.0.1 ports (see tests/support/service.py); each test
uses its own device IDs, so tests in a module do not see each other's pairings.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import shared_database
from tests.support.service import RunningService, make_ca, running_service
from zmconsole.core import paths
from zmconsole.core.store import Store

_numbers = itertools.count(100)


@pytest.fixture(scope="module")
def service(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningService]:
    """On PostgreSQL (ZM_TEST_STORE=postgres) the module's service has a database of its own, which the tests
    using it share (tests/conftest.py, shared_database)."""
    home = paths.ensure_home(tmp_path_factory.mktemp("service") / "home")
    with shared_database(request):
        make_ca(home)
        with running_service(home) as running:
            yield running
    assert running.returncode == 0, running.log()


@pytest.fixture
def service_store(service: RunningService) -> Iterator[Store]:
    """The service's store, opened by the test process (a second process on the same store)."""
    opened = Store.open(service.home)
    yield opened
    opened.dispose()


@pytest.fixture
def device_id() -> str:
    """A device ID no other test in the session uses."""
    return f"ZM-{next(_numbers)}"


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path
