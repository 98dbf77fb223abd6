from __future__ import annotations

from pathlib import Path

import pytest

import web_fixtures


@pytest.fixture(scope="session")
def built_archive(tmp_path_factory) -> Path:
    """The test archive, built once per session; tests that write get their own copy (``archive``)."""
    return web_fixtures.build(tmp_path_factory.mktemp("webarchive"))


@pytest.fixture
def archive(tmp_path: Path, built_archive: Path) -> Path:
    return web_fixtures.copy_archive(built_archive, tmp_path / "copy.db")


def make_client(db: Path, **config):
    from fastapi.testclient import TestClient

    from bantin.api.app import ServeConfig, create_app

    return TestClient(create_app(ServeConfig(db=str(db), **config)))


@pytest.fixture
def client(archive: Path):
    with make_client(archive) as c:
        yield c


@pytest.fixture(scope="session")
def ro_client(built_archive: Path):
    """A client over the shared archive, for tests that only read."""
    with make_client(built_archive) as c:
        yield c
