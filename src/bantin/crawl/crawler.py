"""The crawl loop: take due URLs from the frontier, fetch them politely, record every outcome, and send pages
through the same pipeline as ``bantin ingest``.

Politeness: at most one request in flight per host, and ``delay`` seconds (or the host's robots.txt
Crawl-delay / Request-rate, whichever is longer) from the end of one response to the start of the next request to
that host — robots.txt fetches and redirect hops included. Different hosts are fetched in parallel (``hosts``
threads); the main thread alone talks to the archive.

What is fetched: the seeds (feeds, sitemaps, sitemap indexes or article pages — recognised by content), then
what the feeds and sitemaps list. Links inside pages are not followed: this is a news fetcher, not a spider.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bantin import pipeline
from bantin.crawl import robots as robots_mod
from bantin.crawl.fetch import MAX_RETRY_AFTER, Fetcher, Response, backoff, classify, default_user_agent, robots_token
from bantin.crawl.frontier import Frontier
from bantin.crawl.listing import Listing, gunzip_bounded, read_listing, sniff
from bantin.model import Reject
from bantin.store.base import Archive, ArchiveBusy, FrontierRow


@dataclass(slots=True)
class CrawlConfig:
    delay: float = 1.0  # seconds between requests to one host (robots.txt may ask for more)
    max_pages: int | None = None  # stop after this many fetches (feeds, sitemaps and pages; robots.txt not counted)
    user_agent: str | None = None  # default: bantin/<version> (Vietnamese news archiver; +contact)
    contact: str | None = None  # a URL or e-mail address for site owners, put in the user agent
    timeout: float = 20.0  # connect/read timeout per request (a whole response must arrive within 3×)
    max_attempts: int = 3  # tries per URL before it is marked failed
    retry_base: float = 2.0  # first backoff in seconds; doubles each attempt, with jitter
    retry_cap: float = 300.0  # longest backoff; also how long the crawl waits for pending retries before stopping
    hosts: int = 4  # hosts fetched in parallel (one request at a time each)
    resume: bool = False  # continue the last unfinished crawl; seeds already known are not fetched again
    source: str | None = None  # --source NAME, kept in provenance
    languages: Sequence[str] = ("vi",)  # --lang: languages pages may be in, as for ingest ("any" keeps all)

    def agent(self) -> str:
        return self.user_agent or default_user_agent(self.contact)

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(slots=True)
class CrawlReport:
    run: int = 0
    resumed: bool = False
    seeds: list[str] = field(default_factory=list)
    requests: int = 0  # HTTP requests made, robots.txt included
    fetched: int = 0  # URLs fetched this run (200 or 304)
    pages: int = 0  # pages sent through the pipeline (fresh fetches and recovered ones)
    listings: int = 0  # feeds and sitemaps read
    discovered: int = 0  # URLs queued from listings
    not_modified: int = 0
    redirected: int = 0
    retried: int = 0  # failures that will be tried again
    failed: int = 0  # gave up
    skipped: int = 0  # robots.txt, not a page
    recovered: int = 0  # pages fetched by a killed crawl, processed now from the archive
    added: int = 0
    existing: int = 0
    rejected: int = 0
    pending: int = 0  # URLs still queued or waiting for a retry when the run ended
    #: why the run ended early: max-pages | interrupted | retries-later, or nothing-to-resume (``resume`` without
    #: URLs, and no unfinished crawl: nothing was done)
    stopped: str | None = None
    left: list[dict[str, Any]] = field(default_factory=list)  # the first LEFT_SHOWN URLs failed or pending, and why
    last_run: dict[str, Any] | None = None  # nothing-to-resume: the last crawl (None: the archive has had none)
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)  # bad seeds
    rejects: list[Reject] = field(default_factory=list)
    dedup: dict[str, Any] | None = None  # the duplicate and story check of the new pages (Bantin.crawl)

    @property
    def complete(self) -> bool:
        """Everything asked for was fetched and stored: nothing failed, rejected or left pending, no early stop."""
        return not (self.failed or self.rejected or self.pending or self.stopped)

    def to_dict(self) -> dict[str, Any]:
        d = {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "rejects"}
        d["seconds"] = round(self.seconds, 3)
        d["rejects"] = [r.to_dict() for r in self.rejects]
        d["complete"] = self.complete
        return d


#: URLs listed in ``CrawlReport.left`` (``crawl --status`` lists the rest).
LEFT_SHOWN = 50
_STOP_REASON = {"max-pages": "not fetched: --max-pages reached", "interrupted": "not fetched: the crawl was stopped",
                "retries-later": "not fetched: the crawl ended before its turn", "stuck": "not fetched"}


Event = Callable[[str, str, str], None]  # (what, url, detail)


def _noop(what: str, url: str, detail: str) -> None:
    return None


class Crawl:
    def __init__(self, store: Archive, config: CrawlConfig, *, on_event: Event | None = None,
                 fetcher: Fetcher | None = None, stop: threading.Event | None = None):
        self.store = store
        self.cfg = config
        self.on_event = on_event or _noop
        #: set (from a signal handler or another thread) to stop gracefully: nothing new is asked for, what is on
        #: the wire is awaited and recorded, the rest stays queued for --resume
        self.stop = stop
        self.agent = config.agent()
        self.token = robots_token(self.agent)
        self.languages = pipeline.checked_languages(config.languages)  # a bad code: UsageError before any request
        self.fetcher = fetcher or Fetcher(self.agent, timeout=config.timeout)
        self.robots: dict[str, robots_mod.Robots] = {}
        self.robots_failures: dict[str, int] = {}
        self.busy: set[str] = set()
        self.ready_at: dict[str, float] = {}  # host → time.monotonic() of its next allowed request
        self.report = CrawlReport()
        self.frontier: Frontier | None = None

    # -- public -------------------------------------------------------------------------------------------------
    def run(self, seeds: Sequence[str]) -> CrawlReport:
        """Crawl; raises ``ArchiveBusy`` when another crawl of this archive is running (two crawlers sharing one
        frontier would fetch URLs twice and break the per-host delay)."""
        try:
            with self.store.crawl_lock():
                return self._run(seeds)
        except ArchiveBusy as e:
            self.fetcher.close()
            running = [r for r in self.store.crawl_runs(1) if r["status"] == "running"]
            if running:
                e.args = (f"{e.args[0]} (crawl #{running[0]['id']}, started {running[0]['started_at']})",)
            raise

    def _run(self, seeds: Sequence[str]) -> CrawlReport:
        t0 = time.perf_counter()
        rep = self.report
        last = self.store.crawl_runs(1)
        unfinished = bool(last) and last[0]["status"] != "done"
        if self.cfg.resume and unfinished:
            run, rep.resumed = last[0]["id"], True
        elif self.cfg.resume and not seeds:
            rep.stopped, rep.last_run = "nothing-to-resume", (last[0] if last else None)
            self.fetcher.close()
            return rep
        else:
            run = self.store.crawl_run_start(list(seeds), self.cfg.to_dict())
        rep.run = run
        self.frontier = Frontier(self.store, run, max_attempts=self.cfg.max_attempts,
                                 retry_base=self.cfg.retry_base, retry_cap=self.cfg.retry_cap,
                                 source=self.cfg.source)
        rep.seeds, rep.errors = self.frontier.add_seeds(list(seeds), revisit=not self.cfg.resume)
        status = "stopped"
        try:
            self._recover()
            self._loop()
            status = "done" if rep.stopped is None else "stopped"
        except KeyboardInterrupt:
            rep.stopped = "interrupted"
        finally:
            self.store.crawl_run_end(run, status)
            self.fetcher.close()
            counts = self.store.frontier_counts()
            rep.pending = sum(sum(counts.get(s, {}).values()) for s in ("queued", "retry"))
            rep.left = self._left(run)
            rep.seconds = time.perf_counter() - t0
        return rep

    def _left(self, run: int) -> list[dict[str, Any]]:
        """What this run leaves undone, and why: URLs it gave up on, then those waiting for a retry, then those
        never asked for (the first LEFT_SHOWN)."""
        out: list[dict[str, Any]] = []
        for states, run_of in ((("failed",), run), (("retry",), None), (("queued",), None)):
            if len(out) >= LEFT_SHOWN:
                break
            for r in self.store.frontier_rows(states=states, run=run_of, limit=LEFT_SHOWN - len(out)):
                if r.state == "queued":
                    why = _STOP_REASON.get(self.report.stopped or "", "not fetched")
                else:
                    why = r.last_error or (f"HTTP {r.last_status}" if r.last_status else "")
                nxt = (datetime.fromtimestamp(r.next_attempt_at).astimezone().isoformat(timespec="seconds")
                       if r.state == "retry" and r.next_attempt_at else None)
                out.append({"url": r.url, "state": r.state, "kind": r.kind, "attempts": r.attempts,
                            "last_status": r.last_status, "reason": why, "next_attempt_at": nxt})
        return out

    # -- the loop -----------------------------------------------------------------------------------------------
    def _loop(self) -> None:
        cfg, rep = self.cfg, self.report
        fr = self.frontier
        assert fr is not None
        pool = ThreadPoolExecutor(max_workers=max(1, cfg.hosts), thread_name_prefix="bantin-fetch")
        self.inflight: dict[Future[Any], tuple[str, str, FrontierRow | None]] = {}
        inflight = self.inflight
        self.pool = pool
        self.dispatched = 0
        self.stopping = False
        fr.pending_hosts.update(self.store.frontier_hosts())
        turn = 0
        idle_rounds = 0
        try:
            while True:
                if self.stop is not None and self.stop.is_set() and not self.stopping:
                    self.stopping = True
                    rep.stopped = "interrupted"
                for f in [f for f in inflight if f.done()]:
                    kind, host, row = inflight[f]
                    if kind == "robots":
                        self._got_robots(host, f.result())
                    else:
                        assert row is not None
                        self._got_page(row, f.result())
                    # forgotten only once recorded: an interrupt while recording records it again (idempotent)
                    del inflight[f]
                    self.busy.discard(host)
                before = self.dispatched + len(inflight)
                if not self.stopping and len(inflight) < cfg.hosts and fr.pending_hosts:
                    hosts = sorted(fr.pending_hosts)
                    turn = (turn + 1) % len(hosts)  # round robin: every host gets its turn at a free slot
                    for h in hosts[turn:] + hosts[:turn]:
                        if len(inflight) >= cfg.hosts or self.stopping:
                            break
                        if h not in self.busy and self.ready_at.get(h, 0.0) <= time.monotonic():
                            self._dispatch(h)
                if not inflight and self.stopping:
                    break
                nd = fr.next_due()
                if not inflight and nd is None:
                    break
                now_m = time.monotonic()
                ahead = (nd - time.time()) if nd is not None else None
                wake = [t for t in self.ready_at.values() if t > now_m]
                if ahead is not None and ahead > 0 and not self.stopping:
                    wake.append(now_m + ahead)
                if not inflight and wake and min(wake) - now_m > cfg.retry_cap:
                    rep.stopped = "retries-later"  # what is left may not be asked for a while: --resume later
                    break
                if not inflight and not wake and self.dispatched + len(inflight) == before:
                    # due rows, yet nothing to send and nothing to wait for: re-read which hosts have work
                    idle_rounds += 1
                    fr.pending_hosts.update(self.store.frontier_hosts())
                    if idle_rounds > 3:
                        rep.stopped = "stuck"  # cannot happen; never spin
                        break
                else:
                    idle_rounds = 0
                idle = 1.0 if inflight else 0.002  # with requests in flight, their completion wakes us
                pause = min(1.0, max(0.002, (min(wake) - now_m) if wake else idle))
                if inflight:
                    wait(list(inflight), timeout=pause, return_when=FIRST_COMPLETED)
                else:
                    time.sleep(pause)
        except KeyboardInterrupt:
            # stop asking; record what is already on the way (bounded by the timeouts), then leave
            rep.stopped = "interrupted"
            for f, (kind, _host, row) in list(inflight.items()):
                try:
                    res = f.result(timeout=3 * cfg.timeout + 1)
                except Exception:  # noqa: BLE001 - left queued; fetched again on resume
                    continue
                if kind == "robots":
                    continue
                assert row is not None
                self._got_page(row, res)
            raise
        finally:
            pool.shutdown(wait=False, cancel_futures=True)

    def _dispatch(self, h: str) -> None:
        """Send the next request for host ``h`` (free and rested): its robots.txt if not known, else its first
        due URL that robots.txt allows. Rows it may not fetch are recorded on the way."""
        fr, rep, cfg = self.frontier, self.report, self.cfg
        assert fr is not None
        rb = self.robots.get(h)
        if rb is None or rb.expires <= time.monotonic():
            self.busy.add(h)
            self.inflight[self.pool.submit(robots_mod.fetch, self.fetcher, h,
                                           retry_in=self._robots_retry(h))] = ("robots", h, None)
            return
        while True:
            rows = fr.due(host=h, limit=50)
            if not rows:
                if not fr.due(float("inf"), host=h, limit=1):
                    fr.pending_hosts.discard(h)  # nothing queued or waiting for a retry there
                return
            for row in rows:
                if rb.mode == "unreachable":
                    until = time.time() + max(0.0, rb.expires - time.monotonic())
                    if fr.postpone(row, rb.describe(), until):
                        self.on_event("postponed", row.url, rb.describe())
                    else:
                        rep.failed += 1
                        self.on_event("failed", row.url, rb.describe())
                    continue
                if not rb.allowed(row.url, self.token):
                    fr.skipped(row, "disallowed by robots.txt")
                    rep.skipped += 1
                    self.on_event("skipped", row.url, "disallowed by robots.txt")
                    continue
                if cfg.max_pages is not None and self.dispatched >= cfg.max_pages:
                    self.stopping = True
                    rep.stopped = "max-pages"
                    return
                self.busy.add(h)
                self.dispatched += 1
                self.inflight[self.pool.submit(self.fetcher.get, row.url, etag=row.etag,
                                               last_modified=row.last_modified)] = ("page", h, row)
                return

    def _robots_retry(self, host: str) -> float:
        """How soon to ask again for a robots.txt that did not answer: the URL backoff, per failure of it."""
        return backoff(self.robots_failures.get(host, 0) + 1, self.cfg.retry_base, self.cfg.retry_cap)

    def _delay(self, host: str) -> float:
        rb = self.robots.get(host)
        asked = rb.delay(self.token) if rb is not None else None
        return max(self.cfg.delay, asked or 0.0)

    def _got_robots(self, host: str, rb: robots_mod.Robots) -> None:
        self.robots[host] = rb
        if rb.mode == "unreachable":
            self.robots_failures[host] = self.robots_failures.get(host, 0) + 1
        else:
            self.robots_failures.pop(host, None)
        self.report.requests += len(rb.requests)
        end = rb.requests[-1].ended if rb.requests else time.monotonic()
        self.ready_at[host] = end + self._delay(host)
        self.on_event("robots", host + "/robots.txt", rb.describe())

    def _got_page(self, row: FrontierRow, res: Response) -> None:
        fr, rep = self.frontier, self.report
        assert fr is not None
        rep.requests += 1
        pause = self._delay(row.host)
        if res.retry_after is not None and (res.status or 0) in (429, 503):  # the host asked everyone to wait
            pause = max(pause, min(res.retry_after, MAX_RETRY_AFTER))
        self.ready_at[row.host] = res.ended + pause
        outcome = classify(res)
        if outcome == "ok":
            rep.fetched += 1
            self._got_body(row, res)
        elif outcome == "not_modified":
            rep.fetched += 1
            rep.not_modified += 1
            listing = self._stored_listing(row)
            queued = fr.not_modified(row, res, listing)
            rep.discovered += queued
            self.on_event("not-modified", row.url, f"304, {queued} queued again" if queued else "304")
        elif outcome == "redirect":
            rep.redirected += 1
            target = fr.redirected(row, res, res.location or "")
            if row.state == "failed":
                rep.failed += 1
                self.on_event("failed", row.url, row.last_error or "")
            else:
                self.on_event("redirect", row.url, f"{res.status} → {row.redirect_to}"
                                                   + ("" if target is not None else " (already known)"))
        else:
            again = fr.failed(row, res, retryable=(outcome == "retry"))
            if again:
                rep.retried += 1
            else:
                rep.failed += 1
            self.on_event("retry" if again else "failed", row.url, row.last_error or "")

    def _stored_listing(self, row: FrontierRow) -> Listing | None:
        """A feed or sitemap that answered 304 is what we stored last time: read it again from the archive, so an
        unchanged listing still brings back what failed before (and what its entries say changed)."""
        if row.kind not in ("feed", "sitemap") or not row.raw_sha256:
            return None
        body = self.store.get_raw(row.raw_sha256)
        if body is None:
            return None
        try:
            return read_listing(body, row.url, (row.hints.get("headers") or {}).get("content-type"))
        except Exception:  # noqa: BLE001 - it was read once; if it cannot be now, the 304 simply lists nothing
            return None

    def _got_body(self, row: FrontierRow, res: Response) -> None:
        fr, rep = self.frontier, self.report
        assert fr is not None
        body = res.body or b""
        ctype = res.headers.get("content-type")
        kind = sniff(body, ctype)
        if kind == "gzip":
            try:
                kind = sniff(gunzip_bounded(body), None)
            except Exception as e:  # noqa: BLE001 - NotAListing (a gzip bomb), zlib.error, EOFError
                fr.skipped(row, f"bad gzip body: {e}", res)
                rep.skipped += 1
                self.on_event("skipped", row.url, f"bad gzip body: {e}")
                return
        if kind in ("rss", "atom", "sitemap", "sitemapindex", "text-sitemap") and not (
                kind == "text-sitemap" and row.kind == "page"):
            try:
                listing = read_listing(body, row.url, ctype)
            except Exception as e:  # noqa: BLE001 - NotAListing, or a parser bug: one listing must not stop a crawl
                fr.failed(row, Response(url=row.url, status=res.status, error=f"unreadable listing: {e}",
                                        fetched_at=res.fetched_at), retryable=False)
                rep.failed += 1
                self.on_event("failed", row.url, str(e))
                return
            queued = fr.fetched_listing(row, res, listing)
            rep.listings += 1
            rep.discovered += queued
            self.on_event("listing", row.url, f"{listing.kind}: {len(listing.entries)} URLs, {queued} queued")
            return
        if kind != "html":
            reason = f"not a page: {ctype or 'no content type'} ({kind})"
            fr.skipped(row, reason, res)
            rep.skipped += 1
            self.on_event("skipped", row.url, reason)
            return
        raw = fr.fetched_page(row, res)
        self.on_event("fetched", row.url, f"{res.status}, {len(body):,} bytes")
        self._store_pages([(row, raw)])

    def _store_pages(self, items: list[tuple[FrontierRow, Any]]) -> None:
        fr, rep = self.frontier, self.report
        assert fr is not None

        def on_reject(r: Reject) -> None:
            if len(rep.rejects) < 1000:
                rep.rejects.append(r)
            self.on_event("rejected", r.path, r.reason)

        res = pipeline.ingest_raws(self.store, [raw for _, raw in items], workers=1, on_reject=on_reject,
                                   languages=self.languages)
        rep.pages += len(items)
        rep.added += res.added
        rep.existing += res.existing
        rep.rejected += res.rejected
        for row, _ in items:
            fr.mark_stored(row)

    def _recover(self) -> None:
        """Pages a killed crawl fetched but did not store: processed from the archive, not the network."""
        fr = self.frontier
        assert fr is not None
        rows = fr.unstored()
        for i in range(0, len(rows), 64):
            items = []
            for row in rows[i:i + 64]:
                data = self.store.get_raw(row.raw_sha256 or "")
                if data is None:  # the bytes never made it: fetch again
                    row.state, row.next_attempt_at = "queued", None
                    fr.put([row])
                    continue
                items.append((row, fr.raw_for(row, data)))
            if items:
                self.report.recovered += len(items)
                self._store_pages(items)


def crawl(store: Archive, seeds: Sequence[str], config: CrawlConfig | None = None, *,
          on_event: Event | None = None, stop: threading.Event | None = None) -> CrawlReport:
    """Crawl ``seeds`` (feeds, sitemaps, article URLs) into ``store``. See ``CrawlConfig`` for the options;
    ``stop``, once set, ends the crawl gracefully (``stopped="interrupted"``)."""
    return Crawl(store, config or CrawlConfig(), on_event=on_event, stop=stop).run(seeds)
