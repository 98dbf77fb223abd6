"""``bantin dedup``, ``bantin stories`` and ``bantin story``: duplicates and stories over the archive."""

from __future__ import annotations

import click

from bantin.cli.core import CONTEXT, _ask, _console, _emit_json, _esc, _open, main


@main.command(context_settings=CONTEXT)
@click.option("--threshold", type=click.FloatRange(0.1, 1.0), default=None,
              help="Near-duplicate Jaccard threshold (default 0.8). A new value is kept for later runs and "
                   "ingests, and redoes every comparison.")
@click.option("--rebuild", is_flag=True, help="Forget earlier comparisons and redo them all (same result).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def dedup(ctx: click.Context, threshold: float | None, rebuild: bool, as_json: bool) -> None:
    """Find duplicates and stories among the articles not yet checked.

    `bantin ingest` already runs this after every batch; run it yourself to redo everything (--rebuild), to
    use another --threshold, or on an archive made before duplicates were tracked. Only new articles are
    compared; running it again changes nothing.
    """
    db = _open(ctx)
    try:
        rep = db.dedup(threshold=threshold, rebuild=rebuild)
    finally:
        db.close()
    if as_json:
        _emit_json(rep.to_dict())
        return
    out = _console()
    out.print(f"checked {rep.checked:,} · duplicates: exact {rep.exact:,} · url {rep.url:,} · near {rep.near:,} · "
              f"stories: {rep.stories_opened:,} new, {rep.stories_joined:,} joined · undated (no story) "
              f"{rep.undated:,} ({rep.seconds:.1f} s)")
    if rep.boilerplate_outlets:
        out.print(f"boilerplate learned for {', '.join(_esc(o) for o in rep.boilerplate_outlets)}: "
                  f"{rep.boilerplate_lines:,} lines removed from {rep.boilerplate_rewritten:,} articles")


@main.command(context_settings=CONTEXT)
@click.option("--since", metavar="DATE", help="Stories still running on or after this date (YYYY-MM-DD).")
@click.option("--limit", "-n", type=click.IntRange(1), default=None, help="At most this many (newest first).")
@click.option("--min-size", type=click.IntRange(1), default=1, show_default=True,
              help="Only stories with at least this many articles.")
@click.option("--json", "as_json", is_flag=True,
              help="A list of {id, title, first_seen, last_seen, size, outlets, members: [{id, external_id, "
                   "title, published_at, outlet, url, similarity, duplicate_of}]}.")
@click.pass_context
def stories(ctx: click.Context, since: str | None, limit: int | None, min_size: int, as_json: bool) -> None:
    """Stories: articles from different outlets about the same event, newest first."""
    rows = _ask(ctx, lambda db: db.stories(since=since, limit=limit, min_size=min_size))
    if as_json:
        _emit_json([s.to_dict() for s in rows])
        return
    out = _console()
    if not rows:
        out.print("no stories (stories need dated articles; run `bantin dedup` on an older archive)")
        return
    from rich.text import Text

    for s in rows:
        head = Text(f"{s.id:>6}  ", style="dim")
        head.append(s.title, style="bold")
        out.print(head)
        span = (s.first_seen or "")[:16] + (" → " + (s.last_seen or "")[:16] if s.last_seen != s.first_seen else "")
        out.print(Text(f"        {s.size} articles · {span} · " + ", ".join(s.outlets[:8])
                       + (" …" if len(s.outlets) > 8 else ""), style="dim"))


@main.command(context_settings=CONTEXT)
@click.argument("story_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="The story with all its members.")
@click.pass_context
def story(ctx: click.Context, story_id: int, as_json: bool) -> None:
    """One story: its title, time span, outlets and every member article."""
    db = _open(ctx, readonly=True)
    try:
        s = db.story(story_id)
    finally:
        db.close()
    if s is None:
        click.echo(f"no story with id {story_id}", err=True)
        ctx.exit(1)
    if as_json:
        _emit_json(s.to_dict())
        return
    from rich.table import Table
    from rich.text import Text

    out = _console()
    out.print(Text(s.title, style="bold"))
    out.print(Text(f"story {s.id} · {s.size} articles · {s.first_seen or 'undated'} → {s.last_seen or ''} · "
                   + ", ".join(s.outlets), style="dim"))
    t = Table("published", "outlet", "title", "id", box=None)
    for m in s.members:
        title = Text(m["title"])
        if m["duplicate_of"]:
            title.append(f"  (copy of {m['duplicate_of']})", style="dim")
        t.add_row(Text(m["published_at"] or "—"), Text(m["outlet"] or ""), title, Text(m["id"]))
    out.print(t)
