"""Fixtures for the API tests: a shared real server with scripted role models (see api_server)."""

from __future__ import annotations

import pytest

from api_server import ApiServer


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A default server (one run at a time, queue of 4) shared by a module's tests."""
    api = ApiServer(tmp_path_factory.mktemp("api"))
    yield api
    api.stop()
