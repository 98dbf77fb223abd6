"""Errors every layer and face may name, defined where importing them costs nothing (``bantin.sources`` imports
every reader): ``UsageError`` is raised by the readers and the pipeline, re-exported by ``sources.base`` and
``archive``, and turned into a usage message (exit 2) by the faces."""

from __future__ import annotations


class UsageError(Exception):
    """A problem with what the user asked for (a path that does not exist, an unknown format, a bad --map or
    --lang)."""
