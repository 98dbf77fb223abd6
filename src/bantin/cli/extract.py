"""``bantin extract`` (what bantin would make of some files, nothing stored), ``bantin reextract`` (make the
stored articles again with the current extractors) and ``bantin retry`` (try rejected inputs again from the bytes
the archive kept)."""

from __future__ import annotations

import sys
from typing import Any

import click
import orjson

from bantin.cli.core import CONTEXT, FORMATS, LANG_HELP, _console, _open, main, parse_langs
from bantin.model import Article, Reject


def _write_line(obj: Any) -> None:
    sys.stdout.buffer.write(orjson.dumps(obj) + b"\n")


@main.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="auto", show_default=True,
              help="Input shape; auto looks at the file name, then at the first bytes.")
@click.option("--map", "mapping", metavar="FIELD=INPUT,...", help="As for ingest: which input field holds a "
                                                                  "model field.")
@click.option("--lang", "lang", default="vi", show_default=True, metavar="CODES|any", help=LANG_HELP)
@click.option("--json", "as_json", is_flag=True,
              help="One JSON line per article (the model's JSON form plus the input's path and record); a "
                   "rejected input is a JSON line with a 'reject' key.")
def extract(paths: tuple[str, ...], fmt: str, mapping: str | None, lang: str, as_json: bool) -> None:
    """Show what bantin makes of PATHS (files, folders, globs, - for stdin) without storing anything.

    \b
    With --json, stdout carries one line per input record, in input order:
      {"path": ..., "record": ..., "id": ..., "title": ..., "sapo": ..., "paragraphs": [...], ...}
      {"path": ..., "record": ..., "reject": "why", "stage": "parse"}
    so extractors can be compared line by line. Exit status: 0 every input made an article, 1 some were
    rejected, 2 usage error.
    """
    from bantin.archive import UsageError, extract as made_of, parse_map

    try:
        field_map = parse_map(mapping)
        results = made_of(list(paths), format=fmt, map=field_map, languages=lang)  # paths, then --lang checked
    except UsageError as e:
        raise click.UsageError(str(e)) from e
    out = _console()
    err = _console(stderr=True)
    rejected = 0

    for path, record, res in results:
        if isinstance(res, Reject):
            rejected += 1
            if as_json:
                _write_line({"path": res.path, "record": res.record, "reject": res.reason, "stage": res.stage})
            else:
                from rich.text import Text

                where = f"{res.path}:{res.record}" if res.record else res.path
                err.print(Text(f"rejected {where}: {res.reason}", style="yellow"))
            continue
        # the input record read (for an article restored from a bantin export, not its first provenance)
        if as_json:
            _write_line({"path": path, "record": record, **res.to_dict()})
        else:
            _show(out, res, path, record)
    sys.stdout.flush()
    sys.exit(1 if rejected else 0)


def _show(out: Any, a: Article, path: str, record: str) -> None:
    from rich.rule import Rule
    from rich.text import Text

    out.print(Rule(Text(f"{path}:{record}" if record else path, style="dim")))
    out.print(Text(a.title, style="bold"))
    meta = [a.published_at or "undated", a.outlet or "", a.section or "", a.url or ""]
    out.print(Text(" · ".join(m for m in meta if m), style="dim"))
    if a.authors or a.credit:
        who = ", ".join(a.authors) + (f" (theo {a.credit})" if a.credit else "")
        out.print(Text("by " + who.strip(), style="dim"))
    if a.sapo:
        out.print(Text(a.sapo + (" …" if a.sapo_truncated else ""), style="italic"))
    for para in a.paragraphs:
        out.print(Text(para))
    for c in a.captions:
        out.print(Text("[ảnh] " + c, style="dim"))
    if a.tags:
        out.print(Text("tags: " + ", ".join(a.tags), style="dim"))
    if a.flags:
        out.print(Text("flags: " + ", ".join(a.flags), style="dim"))
    out.print()


@main.command(context_settings=CONTEXT)
@click.option("--format", "formats", multiple=True, type=click.Choice([f for f in FORMATS if f != "auto"]),
              help="Only articles read from this input shape (repeatable). Default: all.")
@click.option("--all", "everything", is_flag=True,
              help="Also re-run articles already made by the current extractor and cleaner versions.")
@click.option("--drop-rejected", is_flag=True,
              help="Remove articles whose input the current extractor rejects (the input is kept as a reject).")
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@click.option("--workers", default="auto", show_default=True, metavar="N|auto",
              help="Worker processes for parsing and cleaning (1 = in this process; auto: a pool for large "
                   "archives).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def reextract(ctx: click.Context, formats: tuple[str, ...], everything: bool, drop_rejected: bool, dry_run: bool,
              workers: str, as_json: bool) -> None:
    """Make the stored articles again from their stored raw inputs with the current extractors.

    Articles keep their id; document, full-text index and versions are updated in place. Only articles made by
    an older extractor or cleaner version are re-run unless --all. Prints how many changed, stayed the same,
    and are now rejected by the current extractor (kept unless --drop-rejected). Running it twice changes
    nothing the second time.
    """
    if workers != "auto":
        try:
            if not 1 <= int(workers) <= 64:
                raise ValueError
        except ValueError:
            raise click.UsageError("--workers must be a number from 1 to 64, or 'auto'") from None
    db = _open(ctx)
    try:
        rep = db.reextract(formats=list(formats) or None, everything=everything, drop_rejected=drop_rejected,
                           dry_run=dry_run, workers=workers if workers == "auto" else int(workers))
    finally:
        db.close()
    if as_json:
        sys.stdout.buffer.write(orjson.dumps(rep.to_dict(), option=orjson.OPT_INDENT_2) + b"\n")
        return
    what = "would change" if dry_run else "changed"
    click.echo(f"examined {rep.examined:,} · {what} {rep.changed:,} (moved {rep.moved:,}) · unchanged "
               f"{rep.unchanged:,} · already current {rep.same_versions:,} · now rejected {rep.now_rejected:,} "
               f"(dropped {rep.dropped:,}) · no raw {rep.no_raw:,}  ({rep.seconds:.1f} s)")
    for r in rep.rejected[:50]:
        click.echo(f"  now rejected {r['id']} {r['path']}: {r['reason']}", err=True)


@main.command(context_settings=CONTEXT)
@click.option("--stage", "stages", multiple=True, metavar="STAGE",
              help="Which rejects to try again, by stage (repeatable; default: filter, the language filter's; "
                   "all: every reject whose bytes were kept).")
@click.option("--lang", "lang", default="vi", show_default=True, metavar="CODES|any", help=LANG_HELP)
@click.option("--map", "mapping", metavar="FIELD=INPUT,...", help="As for ingest, for JSONL/CSV records.")
@click.option("--no-enrich", is_flag=True, help="Skip entity extraction.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def retry(ctx: click.Context, stages: tuple[str, ...], lang: str, mapping: str | None, no_enrich: bool,
          as_json: bool) -> None:
    """Try rejected inputs again from the bytes the archive kept (no file, WARC or network needed).

    \b
    E.g. after `bantin ingest crawl.warc.gz` left out English pages:
      bantin retry --lang vi,en      the English ones become articles too
    Exit status: 0 every input retried made an article, 1 some were rejected again, 2 usage error.
    """
    from bantin.archive import UsageError, parse_map

    try:
        field_map = parse_map(mapping)
    except UsageError as e:
        raise click.UsageError(str(e)) from e
    langs = parse_langs(lang)
    which = None if "all" in stages else (list(stages) or ["filter"])
    db = _open(ctx)
    try:
        rep = db.retry_rejects(stages=which, languages=langs, map=field_map or None, enrich=not no_enrich)
    finally:
        db.close()
    if as_json:
        sys.stdout.buffer.write(orjson.dumps(rep.to_dict(), option=orjson.OPT_INDENT_2) + b"\n")
    else:
        click.echo(f"retried {rep.read:,} · added {rep.added:,} · already there {rep.existing:,} · rejected again "
                   f"{rep.rejected:,}  ({rep.seconds:.1f} s)")
    ctx.exit(1 if rep.rejected else 0)
