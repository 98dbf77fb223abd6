"""Entity commands: annotate any text, list the archive's top entities, look one up."""

from __future__ import annotations

import sys

import click
import orjson

from bantin.cli.core import CONTEXT, _ask, _console, _emit_json, main

#: --type: checked by the library (``bantin.archive.entity_type_arg``), which also takes person, place, org…
TYPE_HELP = "Only this type: PER, LOC, ORG or MISC (any case; person, place, organisation, other also do)."


@main.command(context_settings=CONTEXT)
@click.argument("file", default="-", type=click.File("rb"))
@click.option("--json", "as_json", is_flag=True, help="One JSON line out per input line.")
def annotate(file, as_json: bool) -> None:
    """People, places, organisations, dates, amounts, quotes, topic, keywords and summary of text, without an
    archive.

    FILE (default: stdin) holds plain text, or JSON Lines with a "text" field and an optional "published_at"
    (used to resolve "hôm qua", "ngày 14/5"; without it they come back with "value": null). Each input line gives
    one output line whose "entities", "dates", "amounts" and "quotes" carry start/end offsets into that line's
    text exactly as given ("\\n" inside a JSON "text" separates the title, on the first line, from the body).
    """
    from bantin.archive import annotate as run

    out = sys.stdout.buffer
    con = None if as_json else _console()
    for lineno, raw in enumerate(file, 1):
        line = raw.rstrip(b"\r\n")
        text, published, extra = None, None, {}
        stripped = line.lstrip()
        if stripped.startswith(b"{"):
            try:
                obj = orjson.loads(line)
            except orjson.JSONDecodeError:
                obj = None
            if isinstance(obj, dict) and isinstance(obj.get("text"), str):
                text, published = obj["text"], obj.get("published_at")
                extra = {k: obj[k] for k in ("id",) if k in obj}
        if text is None:
            text = line.decode("utf-8", errors="replace")
        try:
            res = run(text, published if isinstance(published, str) else None)
        except Exception as e:  # noqa: BLE001 - one bad line must not stop the stream
            click.echo(f"line {lineno}: could not annotate: {type(e).__name__}: {e}", err=True)
            res = {"entities": [], "dates": [], "amounts": [], "quotes": [], "topic": None, "keywords": [],
                   "summary": "", "error": str(e)}
        if as_json:
            try:
                out.write(orjson.dumps({"line": lineno, **extra, "text": text, **res}) + b"\n")
            except TypeError as e:  # an "id" orjson cannot write back (nested past its depth limit): drop the id
                click.echo(f"line {lineno}: its \"id\" cannot be written back ({e}); the line is answered without it",
                           err=True)
                out.write(orjson.dumps({"line": lineno, "text": text, **res, "error": f"id not written: {e}"}) + b"\n")
        elif res["entities"] or res["dates"]:
            from rich.text import Text

            t = Text(f"{lineno}: ", style="dim")
            for e in res["entities"]:
                t.append(f"[{e['type']}] ", style="dim")
                t.append(e["text"], style="bold")
                if e["name"] != e["text"]:
                    t.append(f" → {e['name']}", style="dim")
                t.append("  ")
            for d in res["dates"]:
                t.append(f"[DATE] {d['text']} = {d['value'] or '?'}  ", style="cyan")
            for m in res.get("amounts", ()):
                t.append(f"[AMOUNT] {m['text']} = {m['value']} {m['unit']}  ", style="green")
            for q in res.get("quotes", ()):
                t.append(f"[QUOTE] {q['speaker'] or '?'}: “{q['text'][:80]}”  ", style="magenta")
            con.print(t, soft_wrap=True)
    out.flush()


@main.command(context_settings=CONTEXT)
@click.option("--type", "etype", metavar="TYPE", help=TYPE_HELP)
@click.option("--since", metavar="DATE")
@click.option("--until", metavar="DATE")
@click.option("--limit", "-n", default=30, show_default=True, type=click.IntRange(1, 10000))
@click.option("--json", "as_json", is_flag=True, help="A list of {name, type, articles, mentions}.")
@click.pass_context
def entities(ctx: click.Context, etype: str | None, since: str | None, until: str | None, limit: int,
             as_json: bool) -> None:
    """Who and what is in the news: top entities by number of articles."""
    rows = _ask(ctx, lambda db: db.entities(type=etype, since=since, until=until,
                                            limit=limit))
    if as_json:
        _emit_json(rows)
        return
    from rich.table import Table

    t = Table("entity", "type", "articles", "mentions", box=None)
    for r in rows:
        t.add_row(r["name"], r["type"], f"{r['articles']:,}", f"{r['mentions']:,}")
    _console().print(t)


@main.command(context_settings=CONTEXT)
@click.argument("name")
@click.option("--type", "etype", metavar="TYPE", help=TYPE_HELP)
@click.option("--since", metavar="DATE")
@click.option("--until", metavar="DATE")
@click.option("--limit", "-n", default=10, show_default=True, type=click.IntRange(1, 1000))
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def entity(ctx: click.Context, name: str, etype: str | None, since: str | None, until: str | None, limit: int,
           as_json: bool) -> None:
    """One entity (any alias: "Hoa Kỳ" finds "Mỹ"): mentions over time, latest articles, who appears with it.

    Exit status 1 when the archive has no entity of that name (with --json too, which then prints []).
    """
    rows = _ask(ctx, lambda db: db.entity(name, type=etype, since=since, until=until,
                                          limit=limit))
    if as_json:
        _emit_json(rows)
        ctx.exit(0 if rows else 1)
    con = _console()
    if not rows:
        con.print(f"no entity called {name!r} in the archive")
        ctx.exit(1)
    from rich.text import Text

    for r in rows:
        con.print(Text(f"{r['name']} ({r['type']}) — {r['articles']:,} articles, {r['mentions']:,} mentions",
                       style="bold"))
        if r["by_month"]:
            peak = max(r["by_month"].values())
            for month, n in r["by_month"].items():
                con.print(Text(f"  {month}  {'█' * max(1, round(30 * n / peak))} {n}"))
        for a in r["latest"]:
            con.print(Text(f"  {a['published_at'] or 'undated':25} {a['title']}  ", style="") +
                      Text(a["id"], style="dim"), soft_wrap=True)
        for q in r.get("quotes", ()):
            con.print(Text(f"  “{q['text']}”", style="italic") +
                      Text(f" — {q['published_at'] or 'undated'} {q['id']}", style="dim"), soft_wrap=True)
        if r["co_occurring"]:
            con.print(Text("  with: " + ", ".join(f"{c['name']} ({c['articles']})" for c in r["co_occurring"]),
                           style="dim"), soft_wrap=True)


@main.command(context_settings=CONTEXT)
@click.option("--speaker", metavar="NAME", help="Only this speaker's quotes (any alias of a person's name, or a "
                                               "speaker as printed: \"Bộ Y tế\").")
@click.option("--since", metavar="DATE")
@click.option("--until", metavar="DATE")
@click.option("--limit", "-n", default=30, show_default=True, type=click.IntRange(1, 10000))
@click.option("--json", "as_json", is_flag=True, help="A list of {speaker, speaker_role, text, id, title, "
                                                      "published_at, outlet}.")
@click.pass_context
def quotes(ctx: click.Context, speaker: str | None, since: str | None, until: str | None, limit: int,
           as_json: bool) -> None:
    """Who said what: attributed quotes in the archive, newest first."""
    rows = _ask(ctx, lambda db: db.quotes(speaker=speaker, since=since, until=until, limit=limit))
    if as_json:
        _emit_json(rows)
        return
    con = _console()
    if not rows:
        con.print("no quotes" + (f" by {speaker!r}" if speaker else ""))
        return
    from rich.text import Text

    for r in rows:
        who = r["speaker"] or "?"
        if r["speaker_role"]:
            who += f" ({r['speaker_role']})"
        con.print(Text(who, style="bold") + Text(f"  {r['published_at'] or 'undated'} · {r['outlet'] or ''} · "
                                                 f"{r['id']}", style="dim"))
        con.print(Text(f"  “{r['text']}”"), soft_wrap=True)
