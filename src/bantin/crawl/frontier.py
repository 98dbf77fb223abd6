"""The crawl frontier: every URL the crawler knows, its state, and the rules for what gets fetched when.

Rows live in the archive (``Archive.frontier_*``, table ``frontier``) and every change is committed as it
happens — together with what it depends on (a page's raw bytes; the URLs a feed listed), so a crawl killed at
any instant resumes without refetching and without losing what it had found.

States: ``queued`` (due now or at ``next_attempt_at``), ``retry`` (failed, tried again after a backoff),
``fetched`` (200, or 304 for an unchanged page), ``redirected`` (the target is its own row), ``failed`` (gave up:
a permanent error or too many attempts), ``skipped`` (robots.txt, not a page).

Within one crawl run no URL is fetched twice (a failed fetch is retried, which is the point of retrying).
A later run fetches a known URL again only when there is reason to: the user named it again as a seed, a
listing says it changed after we fetched it (``lastmod``), it is a listing whose parent index says so, or it
failed or was skipped last time. Such refetches are conditional (ETag / Last-Modified), so unchanged pages cost a
304 and no body. A listing that answers 304 is read again from the archive and counts as listing what it listed
before: an unchanged feed still brings back the URLs that failed.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from bantin.crawl.fetch import Response, backoff
from bantin.crawl.entries import Entry, Listing
from bantin.crawl.urls import BadURL, host_of, normalize_url
from bantin.model import Raw, sha256_hex
from bantin.store.base import Archive, FrontierRow

ACTIVE = ("queued", "retry")
DONE = ("fetched", "redirected", "failed", "skipped")
#: Priority: listings (feeds, sitemaps, seeds of unknown kind) before pages, so discovery runs ahead of fetching.
PRIO_LISTING, PRIO_PAGE = 0, 1
MAX_REDIRECTS = 10


def _dt(iso: str | None) -> datetime | None:
    if not iso:
        return None
    try:
        dt = datetime.fromisoformat(iso)
    except ValueError:
        return None
    return dt if dt.tzinfo is not None else None


def _requeue(row: FrontierRow, run: int) -> None:
    row.state, row.run, row.attempts, row.next_attempt_at = "queued", run, 0, None


class Frontier:
    def __init__(self, store: Archive, run: int, *, max_attempts: int = 3, retry_base: float = 2.0,
                 retry_cap: float = 300.0, source: str | None = None, rng: random.Random | None = None):
        self.store = store
        self.run = run
        self.max_attempts = max(1, max_attempts)
        self.retry_base = retry_base
        self.retry_cap = retry_cap
        self.source = source
        self.rng = rng or random.Random()
        #: hosts that may have queued or retry rows (every write of such a row adds its host; the crawler drops a
        #: host when it finds nothing there)
        self.pending_hosts: set[str] = set()

    def put(self, rows: Sequence[FrontierRow], raws: Sequence[tuple[str, bytes]] = ()) -> None:
        self.store.frontier_put(rows, raws)
        self.pending_hosts.update(r.host for r in rows if r.state in ACTIVE)

    # -- adding URLs --------------------------------------------------------------------------------------------
    def add_seeds(self, urls: Sequence[str], *, revisit: bool) -> tuple[list[str], list[str]]:
        """Queue the URLs the user named. ``revisit``: fetch again (conditionally) even if known from an earlier
        run; otherwise (``--resume``) a known URL keeps its state. Returns (normalised seeds, bad inputs)."""
        seeds, bad = [], []
        for u in urls:
            try:
                seeds.append(normalize_url(u))
            except BadURL as e:
                bad.append(str(e))
        seeds = list(dict.fromkeys(seeds))
        known = self.store.frontier_get(seeds)
        rows = []
        for url in seeds:
            row = known.get(url)
            if row is None:
                rows.append(FrontierRow(url=url, host=host_of(url), kind="seed", priority=PRIO_LISTING,
                                        run=self.run, hints={"requested_url": url}))
            elif row.state in ACTIVE:
                row.run = self.run
                rows.append(row)
            elif revisit and row.run != self.run:
                _requeue(row, self.run)
                row.priority = PRIO_LISTING
                rows.append(row)
        if rows:
            self.put(rows)
        return seeds, bad

    def _listed_rows(self, entries: Iterable[Entry], listed_in: str,
                     listing_kind: str) -> tuple[list[FrontierRow], int]:
        """Rows to write for a listing's entries (new ones, and known ones that should be fetched again)."""
        entries = list(entries)
        known = self.store.frontier_get([e.url for e in entries])
        out: list[FrontierRow] = []
        queued = 0
        for e in entries:
            is_listing = e.kind == "sitemap"
            hints = {"listed": e.hints(listed_in, listing_kind), "requested_url": e.url}
            row = known.get(e.url)
            if row is None:
                out.append(FrontierRow(url=e.url, host=host_of(e.url), kind="sitemap" if is_listing else "page",
                                       priority=PRIO_LISTING if is_listing else PRIO_PAGE, run=self.run,
                                       discovered_from=listed_in, hints=hints))
                queued += 1
                continue
            if row.run == self.run and row.state in DONE:
                continue  # never twice in one run
            if row.state in ACTIVE:
                row.run = self.run
                if "listed" not in row.hints:
                    row.hints["listed"] = hints["listed"]
                out.append(row)
                continue
            again = False
            if row.state in ("failed", "skipped"):
                again = True
            elif row.state == "fetched":
                changed = max(filter(None, (_dt(e.updated_at), _dt(e.published_at))), default=None)
                # compared with our last look (a 304 counts: the server said nothing changed then)
                fetched = max(filter(None, (_dt(row.fetched_at), _dt(row.checked_at))), default=None)
                if changed is not None and fetched is not None:
                    again = changed > fetched
                elif changed is None:
                    again = row.kind in ("sitemap", "feed")  # a listing without lastmod: ask (conditionally)
            if again:
                _requeue(row, self.run)
                row.hints["listed"] = hints["listed"]
                out.append(row)
                queued += 1
        return out, queued

    # -- choosing what to fetch ---------------------------------------------------------------------------------
    def due(self, now: float | None = None, *, host: str | None = None, limit: int = 50) -> list[FrontierRow]:
        return self.store.frontier_due(time.time() if now is None else now, host=host, limit=limit)

    def next_due(self) -> float | None:
        return self.store.frontier_next_due()

    def unstored(self) -> list[FrontierRow]:
        """Pages fetched but not yet through the pipeline (a crawl killed in between)."""
        return [r for r in self.store.frontier_rows(states=("fetched",), unstored=True) if r.kind == "page"]

    # -- recording outcomes (each one commit) -------------------------------------------------------------------
    def _checked(self, row: FrontierRow, res: Response) -> None:
        row.run = self.run
        row.checked_at = res.fetched_at
        row.last_status = res.status

    def fetched_page(self, row: FrontierRow, res: Response) -> Raw:
        """A page (200): keep its bytes, mark it fetched (not yet stored) — one commit. Returns the Raw for the
        pipeline: the raw HTML stays in the archive, so re-extraction never needs the network."""
        body = res.body or b""
        self._checked(row, res)
        row.state, row.kind, row.attempts, row.next_attempt_at, row.last_error = "fetched", "page", 0, None, None
        row.etag, row.last_modified = res.headers.get("etag"), res.headers.get("last-modified")
        row.fetched_at, row.stored = res.fetched_at, False
        row.hints["headers"] = dict(res.headers)
        row.hints["status"] = res.status or 200
        if self.source:
            row.hints["source"] = self.source
        raw = self.raw_for(row, body)
        row.raw_sha256 = raw.sha256
        self.put([row], [(raw.sha256, body)])
        return raw

    def raw_for(self, row: FrontierRow, payload: bytes) -> Raw:
        """The Raw of a fetched page, built from its frontier row alone, so a page re-read from the archive
        (crash recovery, re-extraction) gives the pipeline exactly what the live fetch gave it."""
        return Raw(payload=payload, path=row.url, record="", format="html", source=row.hints.get("source"),
                   fetched_at=row.fetched_at, hints=page_hints(row))

    def mark_stored(self, row: FrontierRow) -> None:
        row.stored = True
        self.put([row])

    def fetched_listing(self, row: FrontierRow, res: Response, listing: Listing) -> int:
        """A feed or sitemap (200): keep its bytes, and queue what it lists — one commit. Returns URLs queued."""
        body = res.body or b""
        sha = sha256_hex(body)
        self._checked(row, res)
        row.state, row.attempts, row.next_attempt_at, row.last_error = "fetched", 0, None, None
        row.kind = "feed" if listing.kind in ("rss", "atom") else "sitemap"
        row.priority = PRIO_LISTING
        row.etag, row.last_modified = res.headers.get("etag"), res.headers.get("last-modified")
        row.fetched_at, row.raw_sha256, row.stored = res.fetched_at, sha, True
        row.hints["headers"] = dict(res.headers)
        row.hints["listing"] = {"kind": listing.kind, "entries": len(listing.entries),
                                "warnings": listing.warnings[:20]}
        children, queued = self._listed_rows(listing.entries, row.url, listing.kind)
        children = [c for c in children if c.url != row.url]
        self.put([row, *children], [(sha, body)])
        return queued

    def not_modified(self, row: FrontierRow, res: Response, listing: Listing | None = None) -> int:
        """304: what we have is current; nothing is downloaded or re-processed. For a feed or sitemap, ``listing``
        is the body stored last time, read again: its entries are treated as on a 200 (what failed or was skipped
        in an earlier run is queued again, as are entries it says changed) — one commit. Returns URLs queued."""
        self._checked(row, res)
        row.state, row.attempts, row.next_attempt_at, row.last_error = "fetched", 0, None, None
        children: list[FrontierRow] = []
        queued = 0
        if listing is not None:
            children, queued = self._listed_rows(listing.entries, row.url, listing.kind)
            children = [c for c in children if c.url != row.url]
        self.put([row, *children])
        return queued

    def redirected(self, row: FrontierRow, res: Response, location: str) -> FrontierRow | None:
        """3xx: record both URLs; the target becomes its own row (robots.txt, politeness and dedup apply to it).
        Returns the target row when it was queued."""
        self._checked(row, res)
        chain = [*row.hints.get("redirects", []), row.url]
        try:
            target = normalize_url(location, base=row.url)
        except BadURL as e:
            return self._give_up(row, f"bad redirect: {e}")
        if target == row.url or target in chain:
            return self._give_up(row, f"redirect loop via {target}")
        if len(chain) > MAX_REDIRECTS:
            return self._give_up(row, f"more than {MAX_REDIRECTS} redirects")
        row.state, row.redirect_to, row.attempts, row.next_attempt_at, row.last_error = (
            "redirected", target, 0, None, None)
        t = self.store.frontier_get([target]).get(target)
        hints = {"requested_url": row.hints.get("requested_url", chain[0]), "redirects": chain}
        if "listed" in row.hints:
            hints["listed"] = row.hints["listed"]
        queued = None
        if t is None:
            t = FrontierRow(url=target, host=host_of(target), kind=row.kind, priority=row.priority, run=self.run,
                            discovered_from=row.url, hints=hints)
            queued = t
        elif t.state in ACTIVE:
            t.run = self.run
        elif t.run != self.run and (t.state in ("failed", "skipped") or row.kind in ("seed", "feed", "sitemap")):
            _requeue(t, self.run)  # a listing that moved is read again (conditionally); a failed target retried
            t.hints.update({k: v for k, v in hints.items() if k not in t.hints})
            queued = t
        else:
            t = None  # already fetched (in this run or before): recorded, not fetched again
        self.put([row, t] if t is not None else [row])
        return queued

    def failed(self, row: FrontierRow, res: Response, *, retryable: bool) -> bool:
        """An error or an error status: retry after a backoff, or give up. Returns True if it will be retried."""
        self._checked(row, res)
        row.attempts += 1
        row.last_error = res.error or f"HTTP {res.status}"
        if retryable and row.attempts < self.max_attempts:
            row.state = "retry"
            row.next_attempt_at = time.time() + backoff(row.attempts, self.retry_base, self.retry_cap,
                                                        retry_after=res.retry_after, rng=self.rng)
        else:
            row.state, row.next_attempt_at = "failed", None
        self.put([row])
        return row.state == "retry"

    def postpone(self, row: FrontierRow, reason: str, until: float) -> bool:
        """Not tried now (robots.txt unreachable): counts as an attempt, due again at ``until``. Returns False when
        that was the last attempt (the row is failed)."""
        row.run = self.run
        row.attempts += 1
        row.last_error = reason
        if row.attempts < self.max_attempts:
            row.state, row.next_attempt_at = "retry", until
        else:
            row.state, row.next_attempt_at = "failed", None
        self.put([row])
        return row.state == "retry"

    def skipped(self, row: FrontierRow, reason: str, res: Response | None = None) -> None:
        if res is not None:
            self._checked(row, res)
        row.run = self.run
        row.state, row.last_error, row.next_attempt_at = "skipped", reason, None
        self.put([row])

    def _give_up(self, row: FrontierRow, reason: str) -> None:
        row.state, row.last_error, row.next_attempt_at = "failed", reason, None
        row.attempts += 1
        self.put([row])


def page_hints(row: FrontierRow) -> dict[str, Any]:
    """The hints of a crawled page's Raw (``Raw.hints``), from its frontier row: where it was fetched, the
    response, and what the feed or sitemap that listed it said (``listed``: dates, title)."""
    h: dict[str, Any] = {"url": row.url, "status": row.hints.get("status", 200),
                         "headers": dict(row.hints.get("headers") or {}),
                         "requested_url": row.hints.get("requested_url", row.url)}
    for k in ("redirects", "listed"):
        if k in row.hints:
            h[k] = row.hints[k]
    return h


def status(store: Archive, *, failures: int | None = 50) -> dict[str, Any]:
    """What the frontier holds: counts per state and kind, the last runs, and the URLs that failed or wait for a
    retry (with their last status and error)."""
    counts = store.frontier_counts()
    totals = {s: sum(k.values()) for s, k in sorted(counts.items())}
    rows = store.frontier_rows(states=("retry", "failed"), limit=failures)
    fails = []
    for r in rows:
        nxt = (datetime.fromtimestamp(r.next_attempt_at).astimezone().isoformat(timespec="seconds")
               if r.next_attempt_at else None)
        fails.append({"url": r.url, "state": r.state, "kind": r.kind, "attempts": r.attempts,
                      "last_status": r.last_status, "last_error": r.last_error, "checked_at": r.checked_at,
                      "next_attempt_at": nxt})
    return {"urls": sum(totals.values()), "states": totals, "by_kind": counts,
            "pending": totals.get("queued", 0) + totals.get("retry", 0),
            "runs": store.crawl_runs(5), "failures": fails}
