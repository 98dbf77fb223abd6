"""``bantin migrate SRC DEST``: copy an archive between stores (a SQLite file ⇄ a PostgreSQL database)."""

from __future__ import annotations

import os

import click

from bantin.cli.core import CONTEXT, _console, _emit_json, main


@main.command(context_settings=CONTEXT)
@click.argument("src", metavar="SRC")
@click.argument("dest", metavar="DEST")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def migrate(src: str, dest: str, as_json: bool) -> None:
    """Copy the archive SRC into the empty archive DEST, with nothing lost: articles with their row ids, raw
    inputs byte for byte, provenance, rejects, duplicate groups, stories, entities and crawl state.

    Each of SRC and DEST is a SQLite file or a postgresql://user@host/db URL. DEST is created if needed and must
    hold no articles; its full-text index is built from the copied documents. One transaction on DEST: a failed
    or interrupted migration leaves it as it was.
    """
    from bantin.archive import Bantin, MigrateError, is_postgres_url, redact

    if not is_postgres_url(src) and not os.path.exists(src):
        raise click.UsageError(f"no archive at {src}")
    if src == dest:
        raise click.UsageError("SRC and DEST are the same archive")
    try:
        db = Bantin(src, readonly=True)
    except Exception as e:  # noqa: BLE001 - not a database, refused, unreadable
        raise click.ClickException(f"cannot open archive {redact(src)}: {str(e).strip()}") from e
    err = _console(stderr=True)
    try:
        rep = db.migrate_to(dest, on_table=None if as_json else
                            lambda t, n: err.print(f"  {t}: {n:,} rows", highlight=False))
    except MigrateError as e:
        raise click.UsageError(str(e)) from e
    except Exception as e:  # noqa: BLE001 - DEST unreachable or refusing: nothing was written
        raise click.ClickException(f"migration to {redact(dest)} failed, nothing was written: "
                                   f"{type(e).__name__}: {str(e).strip()}") from e
    finally:
        db.close()
    if as_json:
        _emit_json(rep.to_dict())
        return
    _console().print(f"copied {rep.rows.get('articles', 0):,} articles, {rep.rows.get('raws', 0):,} raw inputs, "
                     f"{rep.rows.get('rejects', 0):,} rejects, {rep.rows.get('stories', 0):,} stories from "
                     f"{rep.source} to {rep.dest}; index built for {rep.indexed:,} ({rep.seconds:.1f} s)",
                     highlight=False)
