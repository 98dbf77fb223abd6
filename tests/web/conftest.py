"""The API's and the page's tests share one archive and its clients (tests/web_fixtures.py)."""

from web_fixtures import archive, built_archive, client, make_client, ro_client  # noqa: F401
