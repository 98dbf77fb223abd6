"""The ``bantin`` command: one module per family of commands, all registered on the group in ``core``.

Each module defines click commands on ``core.main``; importing it registers them.
"""

from bantin.cli import core
from bantin.cli import dedup as _dedup  # noqa: F401 - registers dedup, stories, story
from bantin.cli import entities as _entities  # noqa: F401 - registers annotate, entities, entity
from bantin.cli import extract as _extract  # noqa: F401 - registers extract, reextract
from bantin.cli import migrate as _migrate  # noqa: F401 - registers migrate
from bantin.cli.core import main
from bantin.cli import crawl  # noqa: E402,F401 - registers `bantin crawl`
from bantin.cli import serve as _serve  # noqa: E402,F401 - registers `bantin serve`

__all__ = ["core", "crawl", "main"]
