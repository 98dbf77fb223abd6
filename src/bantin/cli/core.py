"""The ``bantin`` group and the archive commands (ingest, search, show, stats, rejects, export).

Thin: parse arguments, call the library (``bantin.archive``), render.

Every command takes ``--json`` for scripts; otherwise it prints tables for people. Exit codes (README lists
them): 0 success; 1 some inputs were rejected (the rest were stored), or ``show``/``story``/``entity`` found
nothing by that id or name; 2 usage errors; 66 the archive cannot be opened; 73 the archive is read-only and the
command writes; 74 the disk holding the archive is full (and ``crawl``'s own 3 and 75).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import click
import orjson

from bantin import __version__
from bantin.archive import (ArchiveError, ArchiveFull, ArchiveReadOnly, ArchiveUnavailable, Bantin, QueryError,
                            UsageError, default_db_path, parse_languages, redact)
from bantin.model import Reject

#: Exit statuses (README lists them; the archive failures are the sysexits.h numbers, like crawl's 75 "busy",
#: so that they stay apart from each command's own small ones such as crawl's 3 "nothing to resume").
EXIT_REJECTED = 1  # some inputs rejected (the rest stored); or the id/name looked up is not there
EXIT_USAGE = 2
EXIT_ARCHIVE = 66  # EX_NOINPUT: the archive cannot be opened (missing for a read, a directory, not an archive)
EXIT_READ_ONLY = 73  # EX_CANTCREAT: the archive cannot be written (read-only media, no permission)
EXIT_DISK_FULL = 74  # EX_IOERR: the disk holding the archive is full
_EXIT_FOR = {ArchiveFull: EXIT_DISK_FULL, ArchiveReadOnly: EXIT_READ_ONLY, ArchiveUnavailable: EXIT_ARCHIVE}

#: The CLI option of a library parameter named in a ``QueryError`` (default: --name-with-dashes).
_FLAGS = {"entity_type": "--type", "q": "QUERY", "name": "NAME"}

#: ``bantin.sources.FORMATS``, spelled out so that commands which do not read inputs need not import every reader
#: (a test checks that the two agree).
FORMATS = ("auto", "text", "jsonl", "html", "warc", "csv", "parquet")

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 110}
LANG_HELP = ("Keep only articles in these languages (comma-separated ISO 639-1 or 639-3 codes: vi, vie, en…), or "
             "any. Decided on each article's text, for every input shape; text too short to tell is kept; "
             "other languages are rejected (bytes kept, see `bantin rejects`).")


def _emit_json(obj: Any) -> None:
    sys.stdout.buffer.write(orjson.dumps(obj, option=orjson.OPT_INDENT_2) + b"\n")
    sys.stdout.flush()


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def _print_table(headers: Sequence[str], rows: Iterable[Sequence[str]], console: Any = None) -> None:
    """Rows of untrusted values (shown as text, never as markup). On a terminal a table whose long values wrap;
    into a pipe or a file one tab-separated line per row after a header line, every value in full — rich would
    cut them to 80 columns there."""
    out = console or _console()
    if out.is_terminal:
        from rich.table import Table
        from rich.text import Text

        t = Table(*headers, box=None)
        for col in t.columns:
            col.overflow = "fold"
        for r in rows:
            t.add_row(*(Text(str(v)) for v in r))
        out.print(t)
        return
    out.file.write("\t".join(headers) + "\n")
    for r in rows:
        out.file.write("\t".join(_TSV_UNSAFE.sub(" ", str(v)) for v in r) + "\n")
    out.file.flush()


_TSV_UNSAFE = re.compile(r"[\t\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def _open(ctx: click.Context, readonly: bool = False) -> Bantin:
    """The archive of ``--db``: read-only for commands that only read (they then work on read-only media and on
    a full disk, and never create a file). An archive that cannot be opened ends the command (exit 66, 73, 74)."""
    path = ctx.obj["db"]
    try:
        return Bantin(path, readonly=readonly)
    except ArchiveError:
        raise
    except Exception as e:  # sqlite3 errors the store does not name: locked; PostgreSQL: refused, no such db
        raise ArchiveUnavailable(f"cannot open archive {redact(path)}: {str(e).strip()}") from e


def usage_error(e: QueryError, ctx: click.Context | None = None) -> click.UsageError:
    """A refused request as a usage error naming the CLI option (the library names its parameter)."""
    if e.param is None:
        return click.UsageError(e.reason, ctx=ctx)
    flag = _FLAGS.get(e.param, "--" + e.param.replace("_", "-"))
    return click.UsageError(f"{flag}: {e.reason}", ctx=ctx)


def _ask(ctx: click.Context, question: Callable[[Bantin], Any], readonly: bool = True) -> Any:
    """Open the archive, ask it one thing, close it; a query it refuses (bad date, bad syntax) is a usage error."""
    db = _open(ctx, readonly=readonly)
    try:
        return question(db)
    except QueryError as e:
        raise usage_error(e, ctx) from e
    finally:
        db.close()


class _Main(click.Group):
    """The command group: an archive failure anywhere in a command is one message and its own exit status."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ArchiveError as e:
            click.echo(f"Error: {e}", err=True)
            ctx.exit(next((code for cls, code in _EXIT_FOR.items() if isinstance(e, cls)), EXIT_ARCHIVE))
        except QueryError as e:
            raise usage_error(e) from e


@click.group(cls=_Main, context_settings=CONTEXT)
@click.version_option(__version__, prog_name="bantin")
@click.option("--db", metavar="PATH|URL", default=None, show_default=False,
              help="Archive: a SQLite file, or a PostgreSQL database (postgresql://user@host/db). "
                   "Default: $BANTIN_DB, else ./bantin.db.")
@click.pass_context
def main(ctx: click.Context, db: str | None) -> None:
    """bantin — turn raw Vietnamese news into a clean, searchable archive.

    \b
    Typical use:
      bantin ingest dumps/ news.jsonl.gz       read files, folders, globs or - (stdin)
      bantin search "thuy si" --since 2024-01-01
      bantin show 3f2a9c0d1e4b5a69              one article (--json, --raw)
      bantin stats | bantin rejects | bantin export --format parquet -o news.parquet
    """
    ctx.ensure_object(dict)
    ctx.obj["db"] = db or default_db_path()
    if ctx.invoked_subcommand != "serve":  # the server sets it when it ingests: importing the pipeline is 1/3 of
        from bantin.archive import one_blas_thread  # its start-up

        one_blas_thread()


# -- ingest -----------------------------------------------------------------------------------------------------
@main.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="auto", show_default=True,
              help="Input shape; auto looks at the file name, then at the first bytes.")
@click.option("--map", "mapping", metavar="FIELD=INPUT,...",
              help="Which input field holds a model field, e.g. --map sapo=abstract,body=content. Names match "
                   "in any case or Unicode form; quote one that holds a comma: --map 'body=\"Nội dung, chi tiết\"'.")
@click.option("--source", metavar="NAME", help="Name this batch of inputs (kept in provenance).")
@click.option("--workers", default="auto", show_default=True, metavar="N|auto",
              help="Worker processes for parsing and cleaning (1 = in this process).")
@click.option("--lang", "lang", default="vi", show_default=True, metavar="CODES|any", help=LANG_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--no-enrich", is_flag=True, help="Skip enrichment (entities); much faster on big batches.")
@click.option("-q", "--quiet", is_flag=True, help="Do not print one line per rejected input.")
@click.option("--no-dedup", is_flag=True, help="Skip the duplicate and story check after the batch "
                                                "(run `bantin dedup` later).")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="local: this process or --workers processes; ray: Ray Data stages (pip install 'bantin[ray]').")
@click.option("--address", metavar="HOST:PORT", help="--engine ray: the Ray cluster to use (default: start a "
                                                     "local one).")
@click.option("--cpus", type=click.IntRange(1), default=None, help="--engine ray without --address: CPUs of the "
                                                                   "local Ray instance (default: all).")
@click.option("--out", "out_dir", metavar="DIR", help="--engine ray: also write the articles as Parquet under DIR "
              "(month=…/outlet_name=…/, export's schema) with _duplicates.parquet and _stories.parquet.")
@click.option("--no-store", is_flag=True, help="--engine ray --out DIR: write only the Parquet files, not the "
                                                "archive.")
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[str, ...], fmt: str, mapping: str | None, source: str | None,
           workers: str, lang: str, as_json: bool, no_enrich: bool, quiet: bool, no_dedup: bool, engine: str,
           address: str | None, cpus: int | None, out_dir: str | None, no_store: bool) -> None:
    """Read PATHS (files, directories, globs, .gz, or - for stdin) into the archive.

    Prints how many records were read, added, already there, and rejected. Each rejected input gets one line on
    stderr naming the file, the record and why; it is kept in the archive (see `bantin rejects`).
    Exit status: 0 all accepted, 1 some rejected (the rest stored), 2 usage error.
    """
    from bantin.archive import parse_map

    try:
        field_map = parse_map(mapping)
    except UsageError as e:
        raise click.UsageError(str(e)) from e
    if workers != "auto":
        try:
            if int(workers) < 1:
                raise ValueError
        except ValueError:
            raise click.UsageError("--workers must be a positive number or 'auto'") from None
    if engine != "ray" and (address or out_dir or no_store or cpus):
        raise click.UsageError("--address, --cpus, --out and --no-store go with --engine ray")
    if no_store and not out_dir:
        raise click.UsageError("--no-store needs --out DIR (the results must go somewhere)")
    err = _console(stderr=True)

    def on_reject(r: Reject) -> None:
        if not quiet:
            err.print(f"[yellow]rejected[/] {_esc(str(r))}", markup=True)

    progress = None
    task = None
    if not as_json and sys.stderr.isatty():
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TextColumn(
            "{task.fields[stats]}"), TimeElapsedColumn(), console=err, transient=True)
        task = progress.add_task("ingesting", total=None, stats="")

    last: list[Any] = []  # the latest progress report: what was stored if the archive fails mid-way

    def on_progress(rep: Any) -> None:
        last[:] = [rep]
        if progress is not None and task is not None:
            progress.update(task, stats=f"read {rep.read:,} · added {rep.added:,} · rejected {rep.rejected:,}")

    db = _open(ctx)
    try:
        if progress is not None:
            progress.start()
        try:
            report = db.ingest(list(paths), format=fmt, map=field_map, source=source,
                               workers=workers if workers == "auto" else int(workers), enrich=not no_enrich,
                               on_reject=on_reject, on_progress=on_progress, languages=parse_langs(lang),
                               dedup=not no_dedup, engine=engine, address=address, out=out_dir,
                               store=not no_store, num_cpus=cpus)
        except UsageError as e:
            raise click.UsageError(str(e)) from e
        except ArchiveError:
            if progress is not None:
                progress.stop()
                progress = None
            done = last[0] if last else None
            click.echo(f"stopped after storing {done.added if done else 0:,} articles of this run (kept: the same "
                       f"command skips them when run again)", err=True)
            raise
        except RuntimeError as e:  # the Ray engine without Ray, a cluster that does not answer
            raise click.ClickException(str(e)) from e
        finally:
            if progress is not None:
                progress.stop()
    finally:
        db.close()
    if not quiet:
        for f in getattr(report, "enrich_failures", ()):
            where = f"{f['path']}:{f['record']}" if f["record"] else f"{f['path']}"
            err.print(f"[yellow]enrichment skipped[/] {_esc(where)} ({f['id']}): {', '.join(f['enrichers'])} "
                      f"failed on this article; stored without it", markup=True)
    if as_json:
        _emit_json(report.to_dict())
    else:
        out = _console()
        out.print(f"read {report.read:,} · added {report.added:,} · already there {report.existing:,} · "
                  f"rejected {report.rejected:,}  ({report.seconds:.1f} s) → {_esc(ctx.obj['db'])}")
        if getattr(report, "enrich_failed", 0):
            out.print(f"enrichment skipped on {report.enrich_failed:,} articles (stored; flagged enrich-failed:NAME)")
        if report.dedup:
            d = report.dedup
            out.print(f"duplicates: exact {d['exact']:,} · url {d['url']:,} · near {d['near']:,} · "
                      f"stories: {d['stories_opened']:,} new, {d['stories_joined']:,} joined")
        if getattr(report, "out", None):
            dup = ", ".join(f"{k} {v:,}" for k, v in sorted(report.duplicates.items())) or "none"
            out.print(f"Parquet: {report.articles_out:,} articles in {report.files:,} files → {_esc(report.out)}"
                      f" (duplicates: {dup} · {report.stories:,} stories)")
    ctx.exit(1 if report.rejected else 0)


def parse_langs(spec: str) -> list[str]:
    """``--lang vi,en`` → ["vi", "en"] (ISO 639-1 or 639-3: ``vie`` → "vi"); ``any`` keeps every language.
    A code that names no language the identifier knows is a usage error (exit 2), not a batch of rejects."""
    try:
        return parse_languages(spec)
    except UsageError as e:
        raise click.UsageError(str(e)) from None


def _esc(s: str) -> str:
    from rich.markup import escape

    return escape(s)


# -- search -----------------------------------------------------------------------------------------------------
class _QueryCommand(click.Command):
    """A command whose arguments are query text: an argument starting with "-" that is none of its options is a
    word to exclude (``bantin search -bóng đá``: "-b…" is not read as options -b -ó…); "--" still ends the
    options. Unknown "--long" options stay options, so a mistyped one is an error, not a query."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        takes_value: dict[str, bool] = {}
        for p in self.get_params(ctx):
            if isinstance(p, click.Option):
                for o in (*p.opts, *p.secondary_opts):
                    takes_value[o] = not p.is_flag and not p.count
        options: list[str] = []
        words: list[str] = []
        i = 0
        while i < len(args):
            a = args[i]
            if a == "--":
                words.extend(args[i + 1:])
                break
            name = a.split("=", 1)[0] if a.startswith("--") else a
            if name in takes_value:
                options.append(a)
                if takes_value[name] and "=" not in a and i + 1 < len(args):
                    options.append(args[i + 1])
                    i += 1
            elif a.startswith("--") or (len(a) > 2 and a[:2] in takes_value and a[2:].isdigit()):  # -n5
                options.append(a)
            else:
                words.append(a)
            i += 1
        return super().parse_args(ctx, [*options, "--", *words])


@main.command(cls=_QueryCommand, context_settings=CONTEXT)
@click.argument("query", nargs=-1, required=True)
@click.option("--limit", "-n", default=10, show_default=True, type=click.IntRange(1, 1000))
@click.option("--offset", default=0, show_default=True, type=click.IntRange(0))
@click.option("--since", metavar="DATE", help="Published on or after (YYYY-MM-DD or ISO date-time).")
@click.option("--until", metavar="DATE", help="Published on or before (a date includes the whole day).")
@click.option("--outlet", metavar="NAME", help="Only this outlet (as shown by `bantin stats`).")
@click.option("--entity", metavar="NAME", help="Only articles mentioning this person, place or organisation "
                                              "(any alias: \"Hoa Kỳ\" = \"Mỹ\").")
@click.option("--topic", metavar="TOPIC", help="Only articles of this topic (Thời sự, Thế giới, Kinh doanh, Pháp luật, "
                                             "Giáo dục, Sức khỏe, Thể thao, Giải trí, Công nghệ, Khoa học, Đời sống, "
                                             "Du lịch, Xe, Bất động sản, Văn hóa; diacritics optional).")
@click.option("--json", "as_json", is_flag=True, help="Print hits as JSON: id, title, published_at, outlet, "
                                                      "snippet (HTML, matches in <mark>), score, copies, topic.")
@click.pass_context
def search(ctx: click.Context, query: tuple[str, ...], limit: int, offset: int, since: str | None,
           until: str | None, outlet: str | None, entity: str | None, topic: str | None, as_json: bool) -> None:
    """Full-text search over titles, leads and bodies.

    Diacritics and tone-mark style are optional: "thuy si", "thuỵ sĩ" and "Thụy Sĩ" all match Thụy Sĩ; when the
    query has diacritics, exact matches come first. Title and lead matches rank above body matches.
    Syntax: words (all must match; AND may be written), "a phrase" (adjacent words only), -exclude,
    this OR that, prefix*. QUERY may be several arguments; one starting with "-" is a word to exclude
    (`bantin search -- -bóng đá` also works).
    """
    text = " ".join(query)
    hits = _ask(ctx, lambda db: db.search(text, limit=limit, offset=offset, since=since, until=until, outlet=outlet,
                                          entity=entity, topic=topic))
    if as_json:
        _emit_json([h.to_dict() for h in hits])
        return
    out = _console()
    if not hits:
        out.print("no matches")
        return
    from rich.text import Text

    from bantin.archive import marks_to_spans

    for i, h in enumerate(hits, 1 + offset):
        head = Text(f"{i:>3}. ", style="dim")
        head.append(h.title, style="bold")
        out.print(head)
        meta = " · ".join(x for x in (h.published_at or "undated", h.outlet or "", h.topic or "", h.id,
                                      f"{h.copies} copies" if h.copies > 1 else "") if x)
        out.print(Text("     " + meta, style="dim"))
        snip = Text("     ")
        for text, marked in marks_to_spans(h.snippet):
            snip.append(text.replace("\n", " · "), style="bold yellow" if marked else "")
        out.print(snip, soft_wrap=True)


# -- show -------------------------------------------------------------------------------------------------------
@main.command(context_settings=CONTEXT)
@click.argument("id")
@click.option("--json", "as_json", is_flag=True, help="Print the article object (the model's JSON form).")
@click.option("--raw", is_flag=True, help="Print the raw input byte for byte, as it was read.")
@click.pass_context
def show(ctx: click.Context, id: str, as_json: bool, raw: bool) -> None:
    """Show one article by id (a unique prefix of 6+ characters also works)."""
    db = _open(ctx, readonly=True)
    try:
        a = db.get(id)
        if a is None:
            click.echo(f"no article with id {id!r}", err=True)
            ctx.exit(1)
        if raw:
            found = db.raw_input(a)
            if found is None:
                raise click.ClickException(f"raw input of {a.id} is not in the archive")
            prov, data, missing = found
            if missing:  # an article imported from a bantin export: say whose bytes these are
                where = ", ".join(f"{p.path}:{p.record}" if p.record else p.path for p in missing)
                click.echo(f"note: the original input of {a.id} ({where}) is not in this archive; this is the "
                           f"record it was imported from ({prov.path}:{prov.record}, {prov.format}), a bantin export",
                           err=True)
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
            return
        canonical, members = db.duplicates(a.id)
        story_id = db.story_of(a.id)
    finally:
        db.close()
    if as_json:
        d = a.to_dict()
        d["duplicates"] = {"canonical": canonical.id if canonical else None,
                           "members": [{"id": m.id, "published_at": m.published_at, "outlet": m.outlet,
                                        "kind": m.dup_kind, "similarity": m.similarity} for m in members]}
        d["story"] = story_id
        _emit_json(d)
        return
    from rich.text import Text

    out = _console()
    out.print(Text(a.title, style="bold"))
    meta = [a.published_at or "undated", a.outlet or "", f"{a.views:,} views" if a.views is not None else "",
            a.url or "", f"id {a.id}"]
    out.print(Text(" · ".join(m for m in meta if m), style="dim"))
    if a.authors or a.credit:
        out.print(Text(("by " + ", ".join(a.authors) if a.authors else "") +
                       (f" (theo {a.credit})" if a.credit else ""), style="dim"))
    if a.sapo:
        out.print()
        out.print(Text(a.sapo + (" …" if a.sapo_truncated else ""), style="italic"))
    out.print()
    for p in a.paragraphs:
        out.print(Text(p))
        out.print()
    for c in a.captions:
        out.print(Text("[ảnh] " + c, style="dim"))
    ents = a.annotations.get("entities") or []
    if ents:
        by_type: dict[str, list[str]] = {}
        for m in ents:
            names = by_type.setdefault(m["type"], [])
            if m["name"] not in names:
                names.append(m["name"])
        labels = {"PER": "people", "LOC": "places", "ORG": "organisations", "MISC": "other"}
        for typ in ("PER", "LOC", "ORG", "MISC"):
            if typ in by_type:
                out.print(Text(f"{labels[typ]}: " + ", ".join(by_type[typ]), style="cyan"))
    _print_facts(out, a.annotations)
    if a.flags:
        out.print(Text("flags: " + ", ".join(a.flags), style="dim"))
    for p in a.provenance:
        where = f"{p.path}:{p.record}" if p.record else p.path
        out.print(Text(f"from: {where} ({p.format}, sha256 {p.raw_sha256[:12]}…)", style="dim"))
    if len(members) > 1:
        head = "canonical copy" if canonical and canonical.id == a.id else f"copy of {canonical.id if canonical else '?'}"
        out.print(Text(f"duplicates: {len(members)} copies of this text ({head})", style="dim"))
        for m in members:
            kind = "canonical" if m.dup_kind is None else m.dup_kind + (
                f" {m.similarity:.2f}" if m.similarity is not None and m.dup_kind != "exact" else "")
            mark = "→ " if m.id == a.id else "  "
            out.print(Text(f"  {mark}{m.id}  {m.published_at or 'undated'}  {m.outlet or ''}  ({kind})",
                           style="dim"))
    if story_id is not None:
        out.print(Text(f"story: {story_id} (bantin story {story_id})", style="dim"))


def _print_facts(out: Any, ann: dict[str, Any]) -> None:
    """Topic, keywords, summary, quotes, dates and amounts of an enriched article (text as plain rich Text: the
    article's words are never read as markup)."""
    from rich.text import Text

    if ann.get("topic"):
        out.print(Text(f"topic: {ann['topic']}", style="cyan"))
    if ann.get("keywords"):
        out.print(Text("keywords: " + ", ".join(ann["keywords"]), style="cyan"))
    if ann.get("summary"):
        out.print(Text("summary: " + ann["summary"], style="cyan"))
    for q in ann.get("quotes") or ():
        who = q.get("speaker") or "(unattributed)"
        if q.get("speaker_role"):
            who += f", {q['speaker_role']}"
        out.print(Text(f"quote — {who}: “{q['text']}”", style="cyan"), soft_wrap=True)
    dates = ann.get("dates") or ()
    if dates:
        out.print(Text("dates: " + "; ".join(
            f"{d['text']} = {d['value'] or '?'}" + (f"…{d['value_end']}" if d.get("value_end") else "")
            + (f" ({d['part']})" if d.get("part") else "") for d in dates), style="cyan"), soft_wrap=True)
    amounts = ann.get("amounts") or ()
    if amounts:
        def _fmt(v: Any) -> str:
            return f"{v:,}" if isinstance(v, int) else f"{v:,.6g}"

        out.print(Text("amounts: " + "; ".join(
            f"{m['text']} = {_fmt(m['value'])}" + (f"–{_fmt(m['value_max'])}" if m.get("value_max") is not None else "")
            + f" {m['unit']}" for m in amounts), style="cyan"), soft_wrap=True)


# -- stats / rejects / export -----------------------------------------------------------------------------------
@main.command(context_settings=CONTEXT)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Counts: articles, rejected inputs, outlets, publication date range, archive size."""
    db = _open(ctx, readonly=True)
    try:
        s = db.stats()
    finally:
        db.close()
    if as_json:
        _emit_json(s)
        return
    from rich.table import Table

    t = Table(show_header=False, box=None)
    for k in ("articles", "rejected", "inputs", "raw_inputs", "dated", "first_published", "last_published",
              "schema_version", "db_path"):
        v = s.get(k)
        t.add_row(k.replace("_", " "), f"{v:,}" if isinstance(v, int) else str(v or "—"))
    t.add_row("size", f"{s['db_bytes'] / 1e6:,.1f} MB")
    d = s.get("dedup")
    if d:
        dups = sum(d["duplicates"].values())
        t.add_row("duplicates", f"{dups:,} copies of {d['groups_with_copies']:,} texts"
                  + (f" ({d['pending']:,} not checked: bantin dedup)" if d["pending"] else ""))
        t.add_row("stories", f"{d['stories']:,} ({d['stories_multi']:,} with 2+ articles)")
    out = _console()
    out.print(t)
    if s["outlets"]:
        shown, total = len(s["outlets"]), s.get("outlets_total", len(s["outlets"]))
        out.print(f"outlets: {total:,}" if shown == total else f"outlets: top {shown} of {total:,}")
        ot = Table("outlet", "articles", box=None)
        for o, n in s["outlets"].items():
            ot.add_row(o, f"{n:,}")
        out.print(ot)


@main.command(context_settings=CONTEXT)
@click.option("--limit", "-n", type=click.IntRange(1), default=None, help="At most this many.")
@click.option("--json", "as_json", is_flag=True, help="A list of {path, record, stage, reason, raw_sha256, size}.")
@click.pass_context
def rejects(ctx: click.Context, limit: int | None, as_json: bool) -> None:
    """Every rejected input, with file, record and reason. Rejected bytes are kept (up to 8 MB each)."""
    db = _open(ctx, readonly=True)
    try:
        rs = db.rejects(limit)
    finally:
        db.close()
    if as_json:
        _emit_json([r.to_dict() for r in rs])
        return
    out = _console()
    if not rs:
        out.print("no rejected inputs")
        return
    _print_table(("path", "record", "stage", "reason"), ((r.path, r.record, r.stage, r.reason) for r in rs), out)


@main.command(context_settings=CONTEXT)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "parquet", "csv"]), default="jsonl", show_default=True,
              help="jsonl: the model's JSON form, one article a line; parquet: the same fields as columns; csv: one "
                   "row per article (lists one item per line in a cell; provenance, versions, annotations as JSON).")
@click.option("-o", "--output", default="-", show_default=True, help="Output file (- = stdout; not for Parquet).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON: articles, format, output, seconds "
                                                      "(on stderr when the export itself goes to stdout).")
@click.pass_context
def export(ctx: click.Context, fmt: str, output: str, as_json: bool) -> None:
    """Write every article as JSON Lines, Parquet or CSV.

    Every format reads back with `bantin ingest` as the same articles: same ids and fields, nothing added to an
    archive that has them already (see the README: moving an archive).
    """
    import time

    t0 = time.perf_counter()
    db = _open(ctx, readonly=True)
    try:
        try:
            n = db.export(output, fmt)
        except ValueError as e:
            raise click.UsageError(str(e)) from e
    finally:
        db.close()
    report = {"articles": n, "format": fmt, "output": output, "seconds": round(time.perf_counter() - t0, 3)}
    if as_json:
        data = orjson.dumps(report, option=orjson.OPT_INDENT_2) + b"\n"
        (sys.stderr.buffer if output == "-" else sys.stdout.buffer).write(data)
    elif output != "-":
        click.echo(f"wrote {n:,} articles to {output}", err=True)


