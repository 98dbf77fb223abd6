"""The ``bantin serve`` application: the REST API (``/api/v1``), the web page, Atom feeds and static files, one
ASGI app.

Reads go through read-only ``Bantin`` objects, one per worker thread (SQLite connections are cheap; the facet
arrays and remembered results behind them are shared per process, see ``bantin.browse``). Writes
(``POST /api/v1/ingest``) open a writable ``Bantin`` for the request, one at a time, behind a bearer token.
"""

from __future__ import annotations

import hmac
import os
import threading
from collections.abc import Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from bantin import __version__
from bantin.archive import Bantin, QueryError

T = TypeVar("T")

#: Uploads bigger than this are refused (``--max-upload``).
DEFAULT_MAX_UPLOAD = 512 * 1024 * 1024

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
       "base-uri 'none'; frame-ancestors 'none'")


@dataclass(slots=True)
class ServeConfig:
    db: str
    token: str | None = None  # writes need "Authorization: Bearer <token>"; None: writes are off
    max_upload: int = DEFAULT_MAX_UPLOAD
    ingest_workers: int | str = 1
    reader_threads: int = 8  # READER_THREADS; ``bantin serve --threads``
    search_processes: int = 0  # ``bantin serve --workers N`` (N > 1): a SearchPool of N processes


class ApiError(Exception):
    """An answer with a 4xx status and a message (JSON under /api, a page elsewhere)."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None,
                 details: list[dict[str, Any]] | None = None):
        super().__init__(message)
        self.status, self.message, self.headers, self.details = status, message, headers, details


#: Threads (each with its own read-only connection and page cache) answering requests at once, by default. SQLite does
#: the work that runs in parallel; more threads than this would only add connections and memory. Fewer
#: (``bantin serve --threads``) answer new searches with less CPU each when several processes share the cores:
#: threads of one process take turns on Python's lock, so 16 requests at once are all slowed down together
#: rather than answered one after the other (BENCHMARKS.md, "Cold searches, third pass").
READER_THREADS = 8


class Readers:
    """Read-only ``Bantin`` objects lent to worker threads, one per request at a time, at most ``threads``
    (``READER_THREADS``) of them (and of requests reading at once)."""

    def __init__(self, path: str, threads: int = READER_THREADS):
        import queue

        if threads < 1:
            raise ValueError(f"reader threads must be at least 1, not {threads}")
        self.path = path
        self.threads = threads
        self._idle: queue.SimpleQueue[Bantin] = queue.SimpleQueue()
        self._all: list[Bantin] = []
        self._lock = threading.Lock()
        self._limiter: Any = None
        self.pool: SearchPool | None = None

    def _call(self, fn: Callable[[Bantin], T]) -> T:
        import queue

        for attempt in (1, 2):
            try:
                db = self._idle.get_nowait()
            except queue.Empty:
                db = Bantin(self.path, readonly=True)
                with self._lock:
                    self._all.append(db)
            try:
                return fn(db)
            except Exception:
                if not _lost(db):
                    raise
                # a database connection that was lost (a server restart, an idle timeout): replaced, and the
                # read asked once more of a new one
                with self._lock:
                    self._all.remove(db)
                db = None
                if attempt == 2:
                    raise
            finally:
                if db is not None:
                    self._idle.put(db)
        raise AssertionError("unreachable")

    async def run(self, fn: Callable[[Bantin], T]) -> T:
        import anyio

        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(self.threads)
        return await anyio.to_thread.run_sync(self._call, fn, limiter=self._limiter)

    async def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """``Bantin.<method>(*args, **kwargs)``: in a search process when the server has them and one is ready
        (``bantin serve --workers N``), else in a thread of this process."""
        pool = self.pool
        if pool is not None and pool.ready and method in POOL_METHODS:
            try:
                return await pool.call(method, args, kwargs)
            except PoolUnavailable:
                pass  # a search process died: answered here while the pool is started again
        return await self.run(lambda db: getattr(db, method)(*args, **kwargs))

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
        with self._lock:
            for db in self._all:
                try:
                    db.close()
                except Exception:  # noqa: BLE001 - closing at shutdown; nothing to report to
                    pass
            self._all.clear()
        from bantin.archive import release

        release(self.path)


def _lost(db: Bantin) -> bool:
    """Whether a failed read lost ``db``'s database connection (then closed here, to be replaced by a new one and
    the read asked once more), rather than failing on its own."""
    if not getattr(db.store, "broken", False):
        return False
    try:
        db.close()
    except Exception:  # noqa: BLE001 - it is broken already
        pass
    return True


class PoolUnavailable(Exception):
    """The search processes cannot answer (one died, or they are shutting down)."""


#: The read-only archive of a search process (``SearchPool``), opened by its initializer.
_POOL_DB: Bantin | None = None

#: What a search process may be asked: read-only ``Bantin`` methods (nothing a request names reaches ``getattr``
#: unchecked).
POOL_METHODS = frozenset({"search_page", "article_view", "entity_view", "story", "stories_page", "entities",
                          "rejects_page"})


def _pool_init(path: str, parent: int) -> None:
    """A search process starts: Ctrl-C is the parent's to handle (it shuts the pool down), the archive is opened
    read-only and warmed up (facet arrays, the title+lead index) before the process takes its first request."""
    import signal

    global _POOL_DB
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # the server's pid as the server knew it: one killed while this process was still starting up is already gone
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True, name="bantin-parent").start()
    _POOL_DB = Bantin(path, readonly=True)
    _warm_up(path)


def _exit_with_parent(parent: int) -> None:
    """A search process ends when the server that started it is gone (killed: nothing told the pool to stop),
    rather than waiting for questions forever."""
    import time

    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


def _pool_ping() -> int:
    return os.getpid()


def _pool_call(method: str, args: tuple, kwargs: dict) -> Any:
    global _POOL_DB
    if method not in POOL_METHODS:
        raise ValueError(f"{method} is not asked of search processes")
    db = _POOL_DB
    assert db is not None, "the search process was not initialised"
    try:
        return getattr(db, method)(*args, **kwargs)
    except Exception:
        if not _lost(db):
            raise
        # a lost database connection (a PostgreSQL restart, an idle timeout): a new one, and the question once more
        _POOL_DB = db = Bantin(db.path, readonly=True)
        return getattr(db, method)(*args, **kwargs)


class SearchPool:
    """``bantin serve --workers N``: N processes, each with its own read-only archive, answer the expensive reads
    (searches, article, story and entity views) from one queue — whichever process is free takes the next
    request — while this process speaks HTTP and renders. One queue keeps both cores busy however the clients'
    connections happen to be spread, and answers in the order asked (uvicorn's own ``--workers`` lets the
    kernel hand whole connections to processes: 16 kept-alive connections were seen split 4/12, and the busy
    process's clients waited three times as long). Until the processes have started and warmed up, and while
    one that died is replaced, requests are answered by this process's threads."""

    def __init__(self, path: str, processes: int):
        self.path, self.processes = path, processes
        self.ready = False
        self._executor: Any = None
        self._lock = threading.Lock()
        self._closed = False
        self.answered = 0  # requests the search processes answered (a test's and an operator's check)

    def pids(self) -> list[int]:
        """The search processes' ids (empty before they start)."""
        ex = self._executor
        return sorted((getattr(ex, "_processes", None) or {}).keys()) if ex is not None else []

    def start(self) -> None:
        """Start the processes and wait (in the calling thread) until one has warmed up; then ``ready``."""
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        with self._lock:
            if self._closed:
                return
            # spawn, not fork: this process runs threads (uvicorn's, the readers') that a fork would copy mid-step
            self._executor = ex = ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("spawn"),
                                                      initializer=_pool_init, initargs=(self.path, os.getpid()))
            pings = [ex.submit(_pool_ping) for _ in range(self.processes)]  # one process started per ping
        try:
            pings[0].result()
        except Exception as e:  # noqa: BLE001 - the processes could not start: this process answers alone
            import logging

            logging.getLogger("bantin.serve").warning("search processes did not start (%s); answering in one "
                                                      "process", e)
            return
        self.ready = True

    async def call(self, method: str, args: tuple, kwargs: dict) -> Any:
        import asyncio
        from concurrent.futures.process import BrokenProcessPool

        ex = self._executor
        if ex is None:
            raise PoolUnavailable("no search processes")
        try:
            fut = ex.submit(_pool_call, method, args, kwargs)
        except (BrokenProcessPool, RuntimeError) as e:  # RuntimeError: shut down
            self._restart(ex)
            raise PoolUnavailable(str(e)) from None
        try:
            out = await asyncio.wrap_future(fut)
        except BrokenProcessPool as e:
            self._restart(ex)
            raise PoolUnavailable(str(e)) from None
        self.answered += 1
        return out

    def _restart(self, broken: Any) -> None:
        """A process died (killed, out of memory): the pool is started afresh in the background."""
        with self._lock:
            if self._executor is not broken or self._closed:
                return
            self.ready = False
            self._executor = None
        broken.shutdown(wait=False, cancel_futures=True)
        threading.Thread(target=self.start, daemon=True, name="bantin-search-pool").start()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self.ready = False
            ex, self._executor = self._executor, None
        if ex is not None:
            ex.shutdown(wait=True, cancel_futures=True)


def _warm_up(path: str) -> None:
    """Build the facet arrays and the home page's figures in the background, so the first visitors do not wait for
    them (a second or so each on a 128k archive with entities); the server answers meanwhile."""
    from bantin.archive import warm_up

    try:
        warm_up(path)  # facet arrays, the title+lead index as arrays, the home page's counts (a second each on 128k)
    except Exception:  # noqa: BLE001 - only a head start: the first search builds them otherwise
        pass


def check_token(config: ServeConfig, request: Request) -> None:
    """Writes need the configured bearer token (compared in constant time); with none configured they are off."""
    if not config.token:
        raise ApiError(403, "writes are off on this server: start `bantin serve` with --token-file FILE or "
                            "BANTIN_TOKEN set, then send 'Authorization: Bearer <token>'")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), config.token.encode()):
        raise ApiError(401, "this needs 'Authorization: Bearer <token>' with the server's token",
                       headers={"WWW-Authenticate": "Bearer"})


class SecurityHeaders:
    """Every response: a strict Content-Security-Policy (unless the route set its own), no MIME sniffing, no
    framing, no referrer to other sites."""

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _v in headers}
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", CSP.encode()))
                headers += [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
                            (b"referrer-policy", b"same-origin"), (b"cross-origin-opener-policy", b"same-origin")]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _wants_json(request: Request) -> bool:
    p = request.url.path
    return p.startswith("/api/") or p.endswith(".atom")


def error_response(request: Request, status: int, message: str, headers: dict[str, str] | None = None,
                   details: list[dict[str, Any]] | None = None) -> Any:
    if _wants_json(request):
        body: dict[str, Any] = {"error": message, "status": status}
        if details:
            body["details"] = details
        return JSONResponse(body, status_code=status, headers=headers)
    from bantin.web.pages import error_page

    return error_page(request, status, message, headers)


def _validation_message(exc: RequestValidationError) -> tuple[str, list[dict[str, Any]]]:
    details = []
    parts = []
    for e in exc.errors():
        loc = [str(x) for x in e.get("loc", ()) if x not in ("query", "path", "body", "header")]
        name = ".".join(loc) or "request"
        msg = str(e.get("msg", "is not valid"))
        details.append({"parameter": name, "message": msg})
        parts.append(f"{name}: {msg}")
    return "; ".join(parts) or "the request is not valid", details


def create_app(config: ServeConfig) -> Any:
    """The ASGI application ``bantin serve`` runs (security headers around FastAPI)."""
    readers = Readers(config.db, config.reader_threads)
    if config.search_processes > 0:
        readers.pool = SearchPool(config.db, config.search_processes)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        threading.Thread(target=_warm_up, args=(config.db,), daemon=True, name="bantin-warm-up").start()
        if readers.pool is not None:
            threading.Thread(target=readers.pool.start, daemon=True, name="bantin-search-pool").start()
        yield
        readers.close()

    app = FastAPI(title="bantin", version=__version__, docs_url=None, redoc_url=None, redirect_slashes=False,
                  openapi_url="/api/openapi.json", lifespan=lifespan,
                  description="Search, read and feed a Vietnamese news archive made by bantin. Every error is "
                              "JSON {error, status, details?} with a 4xx status. Writes need a bearer token.")
    app.state.config = config
    app.state.readers = readers

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        return error_response(request, exc.status, exc.message, exc.headers, exc.details)

    @app.exception_handler(QueryError)
    async def _query_error(request: Request, exc: QueryError):
        return error_response(request, 400, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        msg, details = _validation_message(exc)
        return error_response(request, 400, msg, details=details)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        msg = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and msg == "Not Found":
            msg = f"nothing at {request.url.path}"
        elif exc.status_code == 405:
            msg = f"{request.method} is not allowed on {request.url.path}"
        return error_response(request, exc.status_code, msg, getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):  # a bug of ours: a message, never a traceback
        import logging
        import traceback

        logging.getLogger("bantin.serve").error("%s %s failed:\n%s", request.method, request.url.path,
                                                "".join(traceback.format_exception(exc)))
        return error_response(request, 500, "internal error (logged on the server)")

    from bantin.api.routes import router as api_router
    from bantin.web.pages import mount as mount_web

    app.include_router(api_router, prefix="/api/v1")
    mount_web(app)
    return SecurityHeaders(app)


def read_token(token_file: str | None) -> str | None:
    """The write token: the first line of ``token_file``, else $BANTIN_TOKEN; None when neither is set."""
    if token_file:
        with open(token_file, encoding="utf-8") as f:
            tok = f.readline().strip()
        if not tok:
            raise ValueError(f"{token_file}: the token file is empty")
        return tok
    tok = os.environ.get("BANTIN_TOKEN", "").strip()
    return tok or None
