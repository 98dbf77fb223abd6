"""``bantin serve``: the archive in a browser (web page, Atom feeds) and as a REST API, on one port."""

from __future__ import annotations

import ipaddress
import os

import click

from bantin.cli.core import CONTEXT, main


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


#: ``--workers auto``: one search process per core the server may use, at most this many
AUTO_WORKERS_MAX = 4


def _workers(spec: str) -> int:
    if spec.strip().lower() == "auto":
        try:
            cores = len(os.sched_getaffinity(0))
        except (AttributeError, OSError):
            cores = os.cpu_count() or 1
        return max(1, min(cores, AUTO_WORKERS_MAX))
    try:
        n = int(spec)
    except ValueError:
        n = 0
    if not 1 <= n <= 64:
        raise click.BadParameter(f"{spec!r}: a number from 1 to 64, or auto", param_hint="--workers")
    return n


def _size(spec: str) -> int:
    s = spec.strip().upper().replace(" ", "")
    for unit, mult in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10), ("B", 1)):
        if s.endswith(unit):
            s, m = s[: -len(unit)], mult
            break
    else:
        m = 1
    try:
        n = int(float(s) * m)
    except ValueError:
        raise click.BadParameter(f"{spec!r} is not a size (e.g. 512MB, 2GB)") from None
    if n < 1:
        raise click.BadParameter("must be at least 1 byte")
    return n


@main.command(context_settings=CONTEXT)
@click.option("--db", "db_path", metavar="PATH", default=None,
              help="Archive file or postgresql:// URL (the same as `bantin --db PATH serve`).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on. Anything but loopback exposes the archive to the network.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--token-file", type=click.Path(dir_okay=False), metavar="FILE",
              help="File whose first line is the bearer token for writes (POST /api/v1/ingest). "
                   "Default: $BANTIN_TOKEN. Without a token, writes are off.")
@click.option("--max-upload", default="512MB", show_default=True, metavar="SIZE",
              help="Largest upload POST /api/v1/ingest takes.")
@click.option("--workers", default="auto", show_default=True, metavar="N|auto",
              help="Processes answering searches and article, story and entity views (auto: one per core, at "
                   "most 4; each holds its own copy of the search arrays). With more than 1, one "
                   "process speaks HTTP and hands those reads to N search processes from one queue (whichever is "
                   "free takes the next), so they use N cores. Each keeps its own memory of recent results: a "
                   "relevance cursor that reaches another process continues after its last hit rather than from "
                   "the remembered ranking.")
@click.option("--threads", type=click.IntRange(1, 64), default=8, show_default=True,
              help="Requests the server process reads at once (a thread and an archive connection each).")
@click.option("--log-level", type=click.Choice(["critical", "error", "warning", "info", "debug"]),
              default="info", show_default=True)
@click.pass_context
def serve(ctx: click.Context, db_path: str | None, host: str, port: int, token_file: str | None, max_upload: str,
          workers: int, threads: int, log_level: str) -> None:
    """Serve the archive: a web page (search with facets and charts, articles, stories, entities; Vietnamese
    with an English toggle), Atom feeds of any search or entity, and a REST API under /api/v1 (documented at
    /api/docs). Reads are open; writes need the token. Stop with Ctrl-C.

    \b
      bantin serve --db news.db                       http://127.0.0.1:8000/
      BANTIN_TOKEN=s3cret bantin serve --port 9000    writes on (curl -H 'Authorization: Bearer s3cret' …)
    """
    from bantin.api.app import ServeConfig, create_app, read_token

    db = db_path or ctx.obj["db"]
    from bantin.archive import Bantin, is_postgres_url

    try:
        token = read_token(token_file)
    except (OSError, ValueError) as e:
        raise click.UsageError(f"--token-file: {e}") from None
    shown_db = db
    if is_postgres_url(db):  # a shared archive: readers in read-only transactions, POST /ingest writes into it
        from bantin.archive import redact

        shown_db = redact(db)
        try:  # bring the schema up to date (and create the tables of an empty database)
            Bantin(db).close()
        except Exception as e:  # noqa: BLE001 - no server, no database, no right to create tables: say which
            try:  # a role that may only read serves what is there
                Bantin(db, readonly=True).close()
            except Exception:  # noqa: BLE001
                from bantin.archive import ArchiveUnavailable

                raise ArchiveUnavailable(f"cannot open archive {shown_db}: {str(e).strip()}") from None
    else:
        if os.path.isdir(db):
            raise click.UsageError(f"--db {db} is a directory, not an archive file")
        if not os.path.exists(db):
            click.echo(f"bantin: no archive at {db}; creating an empty one", err=True)
        try:  # bring the schema up to date (and create a missing archive); a read-only file is served as it is
            Bantin(db).close()
        except Exception as e:  # noqa: BLE001 - read-only media: serve what is there
            if not os.path.exists(db):
                raise click.ClickException(f"cannot create archive {db}: {e}") from e
    if not _is_loopback(host) and not token:
        click.echo(f"warning: serving on {host} without a token: anyone who can reach port {port} can read the "
                   f"archive (writes stay off). Set BANTIN_TOKEN or --token-file to turn writes on.", err=True)
    n = _workers(workers)
    config = ServeConfig(db=db, token=token, max_upload=_size(max_upload), reader_threads=threads,
                         search_processes=n if n > 1 else 0)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"bantin: serving {shown_db} at http://{shown}:{port}/ (API docs: /api/docs; writes "
               f"{'on, token required' if token else 'off'})", err=True)
    import uvicorn

    uvicorn.run(create_app(config), host=host, port=port, log_level=log_level, server_header=False, access_log=False)
