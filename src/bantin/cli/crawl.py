"""``bantin crawl``: fetch feeds, sitemaps and article pages into the archive; ``--status`` shows the frontier."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable
from typing import Any

import click

from bantin.cli.core import CONTEXT, LANG_HELP, _console, _emit_json, _esc, _open, _print_table, main, parse_langs


def _stop_on_signals(stop: threading.Event, say: Any) -> Callable[[], None]:
    """SIGTERM and Ctrl-C (SIGINT) stop a crawl gracefully: nothing new is asked for, what is on the wire is
    awaited and recorded (bounded by --timeout), the rest stays queued for --resume. A second signal stops at once
    (still without losing what was recorded). Returns a function that puts the previous handlers back."""
    previous: dict[int, Any] = {}

    def handler(signum: int, frame: Any) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        say("stopping: waiting for the requests on the wire (again to stop at once); the rest stays queued for "
            "`bantin crawl --resume`")

    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            previous[sig] = signal.signal(sig, handler)
        except ValueError:  # not the main thread (tests calling the command in-process)
            pass

    def restore() -> None:
        for sig, h in previous.items():
            signal.signal(sig, h)

    return restore


_STYLE = {"fetched": "green", "listing": "cyan", "not-modified": "dim", "redirect": "blue", "robots": "dim",
          "retry": "yellow", "postponed": "yellow", "failed": "red", "skipped": "magenta", "rejected": "yellow"}


@main.command(context_settings=CONTEXT)
@click.argument("urls", nargs=-1)
@click.option("--delay", type=click.FloatRange(0), default=1.0, show_default=True,
              help="Seconds between requests to one host (robots.txt Crawl-delay wins when longer).")
@click.option("--max-pages", type=click.IntRange(1), default=None,
              help="Stop after this many fetches (feeds, sitemaps and pages; robots.txt not counted).")
@click.option("--user-agent", metavar="UA", help="User agent (default: bantin/VERSION (Vietnamese news "
                                                 "archiver; +CONTACT)). Its first word is matched in robots.txt.")
@click.option("--contact", metavar="URL|EMAIL", envvar="BANTIN_CRAWL_CONTACT",
              help="How site owners can reach you; put in the user agent. Default: $BANTIN_CRAWL_CONTACT.")
@click.option("--resume", is_flag=True, help="Continue the last unfinished crawl (URLs optional); nothing "
                                             "already fetched is fetched again. Without URLs and with no "
                                             "unfinished crawl: exit status 3, nothing done.")
@click.option("--status", "show_status", is_flag=True, help="Show the frontier: counts per state, failures.")
@click.option("--timeout", type=click.FloatRange(0.01), default=20.0, show_default=True,
              help="Connect/read timeout in seconds (a whole response must arrive within 3×).")
@click.option("--max-attempts", type=click.IntRange(1), default=3, show_default=True,
              help="Tries per URL (timeouts, 404, 429, 5xx) before it is marked failed.")
@click.option("--retry-base", type=click.FloatRange(0), default=2.0, show_default=True,
              help="First retry after about this many seconds; doubles each time, with jitter.")
@click.option("--retry-max", type=click.FloatRange(0), default=300.0, show_default=True,
              help="Longest retry wait; retries due later are left for --resume.")
@click.option("--hosts", type=click.IntRange(1, 64), default=4, show_default=True,
              help="Hosts fetched in parallel (always one request at a time per host).")
@click.option("--source", metavar="NAME", help="Name this crawl's pages (kept in provenance).")
@click.option("--lang", "lang", default="vi", show_default=True, metavar="CODES|any", help=LANG_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the report (or --status) as JSON.")
@click.option("-q", "--quiet", is_flag=True, help="No line per URL on stderr.")
@click.pass_context
def crawl(ctx: click.Context, urls: tuple[str, ...], delay: float, max_pages: int | None, user_agent: str | None,
          contact: str | None, resume: bool, show_status: bool, timeout: float, max_attempts: int,
          retry_base: float, retry_max: float, hosts: int, source: str | None, lang: str, as_json: bool,
          quiet: bool) -> None:
    """Fetch URLS — RSS/Atom feeds, sitemaps (news sitemaps, indexes, .gz) or article pages — into the archive.

    Feeds and sitemaps are read for the article URLs (and dates) they list; pages go through the same pipeline
    as `bantin ingest`, and their raw HTML is kept, so re-extraction never needs the network. robots.txt is
    obeyed, one request at a time per host with --delay between them; unchanged pages cost a 304. The frontier
    is kept in the archive: a crawl that was killed continues with --resume without fetching anything twice;
    Ctrl-C or SIGTERM stops gracefully (what is on the wire is recorded). One crawl at a time per archive.

    URLS need http:// or https://; a bare domain with a path (vnexpress.net/rss/tin-moi-nhat.rss) means https.

    \b
    Exit status:
      0   every URL fetched and stored
      1   some URLs failed or were left pending (stopped, --max-pages, retries due later; listed with the
          reason, `--resume` continues), or pages were rejected
      2   usage error
      3   --resume without URLs, and no unfinished crawl to resume (nothing was done)
      75  another crawl is running on this archive (nothing was done; try again when it ends)
    """
    if show_status:
        if urls or resume:
            raise click.UsageError("--status takes no URLs and no --resume")
        _status(ctx, as_json)
        return
    if not urls and not resume:
        raise click.UsageError("give at least one URL (a feed, a sitemap or an article), or --resume")
    from bantin.archive import ArchiveBusy, UsageError, check_urls

    try:
        check_urls(urls)
    except UsageError as e:
        raise click.UsageError(str(e)) from None
    options = dict(delay=delay, max_pages=max_pages, user_agent=user_agent, contact=contact, timeout=timeout,
                   max_attempts=max_attempts, retry_base=retry_base, retry_cap=retry_max, hosts=hosts,
                   resume=resume, source=source, languages=tuple(parse_langs(lang)))  # bantin.crawl.CrawlConfig
    err = _console(stderr=True)

    def on_event(what: str, url: str, detail: str) -> None:
        if quiet:
            return
        style = _STYLE.get(what, "")
        err.print(f"[{style}]{what:>12}[/] {_esc(url)}  [dim]{_esc(detail)}[/]" if style else
                  f"{what:>12} {_esc(url)}  {_esc(detail)}", markup=True, highlight=False, soft_wrap=True)

    stop = threading.Event()
    restore = _stop_on_signals(stop, lambda m: err.print(m, markup=False, highlight=False, soft_wrap=True))
    db = _open(ctx)
    try:
        rep = db.crawl(list(urls), **options, on_event=on_event, stop=stop)
    except ArchiveBusy as e:
        err.print(f"bantin crawl: {e}; nothing was done. Wait for it to end (or stop it: what it has not fetched "
                  "stays queued, and the next crawl continues it).", markup=False, highlight=False, soft_wrap=True)
        ctx.exit(EXIT_BUSY)
    finally:
        restore()
        db.close()
    if rep.stopped == "nothing-to-resume":
        last = rep.last_run
        why = ("no crawl has run on this archive" if last is None else
               f"the last crawl (#{last['id']}, started {last['started_at']}) finished"
               + (f" at {last['ended_at']}" if last.get("ended_at") else ""))
        if as_json:
            _emit_json(rep.to_dict())
        err.print(f"nothing to resume: {why}. Give URLs to start a new crawl.", markup=False, highlight=False,
                  soft_wrap=True)
        ctx.exit(EXIT_NOTHING_TO_RESUME)
    if resume and not rep.resumed:
        err.print(f"no unfinished crawl to resume: started crawl #{rep.run} with the URLs given", markup=False,
                  highlight=False, soft_wrap=True)
    if as_json:
        _emit_json(rep.to_dict())
    else:
        _summary(rep)
    ctx.exit(0 if rep.complete else 1)


#: ``bantin crawl --resume`` with no unfinished crawl (and no URLs): nothing was done.
EXIT_NOTHING_TO_RESUME = 3
#: Another crawl holds the archive (EX_TEMPFAIL: try again later).
EXIT_BUSY = 75


def _summary(rep: Any) -> None:
    out = _console()

    def say(text: str) -> None:
        out.print(text, markup=False, highlight=False, soft_wrap=True)

    tail = f" — stopped: {rep.stopped}" if rep.stopped else ""
    say(f"crawl #{rep.run}{' (resumed)' if rep.resumed else ''}: {rep.requests:,} requests · "
        f"{rep.fetched:,} fetched ({rep.not_modified:,} unchanged) · {rep.listings:,} feeds/sitemaps · "
        f"{rep.pages:,} pages → added {rep.added:,}, already there {rep.existing:,}, "
        f"rejected {rep.rejected:,} · redirected {rep.redirected:,} · skipped {rep.skipped:,} · "
        f"failed {rep.failed:,} · pending {rep.pending:,} ({rep.seconds:.1f} s){tail}")
    if rep.left:
        n = {s: sum(1 for x in rep.left if x["state"] == s) for s in ("failed", "retry", "queued")}
        say("left undone:")
        for x in rep.left:
            what = {"retry": "retry at " + str(x["next_attempt_at"] or "?")}.get(x["state"], x["state"])
            n_tries = x["attempts"] if x["state"] != "queued" else 0
            tries = f" ({n_tries} {'try' if n_tries == 1 else 'tries'})" if n_tries else ""
            say(f"  {what}  {x['url']}  {x['reason']}{tries}")
        more = max(0, rep.failed - n["failed"]) + max(0, rep.pending - n["retry"] - n["queued"])
        if more:
            say(f"  … and {more:,} more: bantin crawl --status")
    if rep.rejected:
        say(f"{rep.rejected:,} pages rejected: bantin rejects")
    if rep.pending:
        say("pending URLs are kept in the archive: `bantin crawl --resume` continues")


def _status(ctx: click.Context, as_json: bool) -> None:
    db = _open(ctx)
    try:
        st = db.crawl_status(failures=None if as_json else 50)
    finally:
        db.close()
    if as_json:
        _emit_json(st)
        return
    from rich.text import Text

    out = _console()
    if not st["urls"]:
        out.print("the frontier is empty: nothing crawled yet")
        return
    kinds = sorted({k for v in st["by_kind"].values() for k in v})
    _print_table(("state", *kinds, "total"),
                 [(state, *[f"{st['by_kind'][state].get(k, 0):,}" for k in kinds], f"{n:,}")
                  for state, n in st["states"].items()], out)
    for r in st["runs"][:1]:
        out.print(Text(f"last crawl #{r['id']}: {r['status']}, started {r['started_at']}"
                       + (f", ended {r['ended_at']}" if r["ended_at"] else ""), style="dim"), soft_wrap=True)
    if st["failures"]:
        out.print("")
        _print_table(("url", "state", "tries", "status", "error", "next try"),
                     [(f["url"], f["state"], str(f["attempts"]), str(f["last_status"] or ""), f["last_error"] or "",
                       f["next_attempt_at"] or "") for f in st["failures"]], out)
        more = st["states"].get("failed", 0) + st["states"].get("retry", 0) - len(st["failures"])
        if more > 0:
            out.print(f"… and {more:,} more: bantin crawl --status --json lists them all", soft_wrap=True)
    sys.stdout.flush()
