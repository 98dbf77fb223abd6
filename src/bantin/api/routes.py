"""``/api/v1``: the archive as JSON. Thin: check parameters, ask ``Bantin``, wrap its one JSON form in a typed
model. The web page (``bantin.web``) asks the same questions with the same parameters."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from bantin.api import models
from bantin.api.app import ApiError, ServeConfig, check_token

router = APIRouter()

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": models.ErrorBody, "description": "A bad parameter (the message names it)"},
}

#: What a date parameter looks like (for the OpenAPI schema; the library checks the value and says what is wrong)
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$"
Since = Annotated[str | None, Query(max_length=40, json_schema_extra={"pattern": DATE_PATTERN},
                                    description="Published on or after: YYYY-MM-DD or an ISO 8601 date-time "
                                                "(Vietnam time unless it names a zone)")]
Until = Annotated[str | None, Query(max_length=40, json_schema_extra={"pattern": DATE_PATTERN},
                                    description="Published on or before (a date includes its whole day)")]
EntityType = Annotated[Literal["PER", "LOC", "ORG", "MISC"] | None,
                       Query(description="Entity type: PER people, LOC places, ORG organisations, MISC other")]
Cursor = Annotated[str | None, Query(max_length=4096, json_schema_extra={"pattern": "^[A-Za-z0-9_-]*$"},
                                     description="next_cursor of the previous page (only cursors this server "
                                                 "made are taken)")]


def _readers(request: Request):
    return request.app.state.readers


def _config(request: Request) -> ServeConfig:
    return request.app.state.config


@router.get("/search", response_model=models.SearchResponse, responses=_ERRORS, tags=["search"],
            summary="Full-text search with facets over the whole result set")
async def search(request: Request,
                 q: Annotated[str, Query(min_length=1, max_length=1000,
                                         description='Words (all must match), "a phrase", -exclude, a OR b, '
                                                     'prefix*. Without diacritics every spelling matches.')],
                 since: Since = None, until: Until = None,
                 outlet: Annotated[str | None, Query(max_length=300, description="Only this outlet")] = None,
                 entity: Annotated[str | None, Query(max_length=300, description="Only articles mentioning this "
                                                                                 "entity (any alias)")] = None,
                 type: EntityType = None,  # noqa: A002 - the public parameter name
                 topic: Annotated[str | None, Query(max_length=100, description="Only this topic (Thời sự, Thế "
                                                                                "giới, Kinh doanh…; any spelling)")]
                 = None,
                 sort: Literal["relevance", "date"] = "relevance", cursor: Cursor = None,
                 limit: Annotated[int, Query(ge=1, le=100)] = 20,
                 facets: Annotated[bool, Query(description="Count outlets, entities and articles per day")] = True):
    page = await _readers(request).call(
        "search_page", q, since=since, until=until, outlet=outlet, entity=entity, entity_type=type, topic=topic,
        sort=sort, cursor=cursor, limit=limit, facets=facets)
    # the busiest answer: written by orjson straight from its one JSON form (``SearchPage.to_dict``) rather than
    # validated into the model and dumped again (a third of a millisecond a search); the model still documents
    # it, and the tests hold the two together (tests/api/test_api.py::test_search_json_is_the_model)
    return Response(orjson.dumps(page.to_dict()), media_type="application/json")


@router.get("/articles/{id}", response_model=models.Article, tags=["articles"],
            responses={**_ERRORS, 404: {"model": models.ErrorBody},
                       200: {"content": {t: {"schema": {"type": "string", "format": "binary"}} for t in (
                           "text/plain", "text/html", "text/csv", "application/x-ndjson", "application/octet-stream")},
                             "description": "The article as JSON; with raw=true its raw input byte for byte, with "
                                            "the content type of its format"}},
            summary="One article: clean text, fields, annotations, duplicates, story")
async def article(request: Request, id: Annotated[str, Path(max_length=200)],  # noqa: A002
                  raw: Annotated[bool, Query(description="The stored raw input, byte for byte, with its original "
                                                         "content type")] = False):
    if raw:
        def get_raw(db):
            a = db.get(id)
            return (a, db.raw(a)) if a is not None else (None, None)

        a, data = await _readers(request).run(get_raw)
        if a is None:
            raise ApiError(404, f"no article with id {id!r}")
        if data is None:
            raise ApiError(404, f"the raw input of {a.id} is not in the archive")
        return raw_response(a, data)
    d = await _readers(request).call("article_view", id)
    if d is None:
        raise ApiError(404, f"no article with id {id!r}")
    return d


_RAW_TYPES = {"html": ("text/html", "html"), "warc": ("text/html", "html"),
              "jsonl": ("application/x-ndjson", "jsonl"), "parquet": ("application/x-ndjson", "jsonl"),
              "csv": ("text/csv", "csv"), "text": ("text/plain", "txt")}


def raw_response(a: Any, data: bytes) -> Response:
    """Raw bytes as they were read, in a sandbox: a saved page's scripts never run on this site, and it loads
    nothing from anywhere."""
    fmt = a.provenance[0].format if a.provenance else ""
    ctype, ext = _RAW_TYPES.get(fmt, ("application/octet-stream", "bin"))
    if ctype.startswith("text/") and ctype != "text/html":
        try:
            data.decode("utf-8")
            ctype += "; charset=utf-8"
        except UnicodeDecodeError:
            pass
    return Response(content=data, media_type=ctype, headers={
        "content-security-policy": "sandbox; default-src 'none'; style-src 'unsafe-inline'",
        "content-disposition": f'inline; filename="{a.id}.{ext}"'})


@router.get("/stories", response_model=models.StoriesResponse, responses=_ERRORS, tags=["stories"],
            summary="Stories (one event, many outlets), newest first")
async def stories(request: Request, since: Since = None, until: Until = None,
                  min_size: Annotated[int, Query(ge=1, le=100000, description="At least this many articles")] = 1,
                  cursor: Cursor = None, limit: Annotated[int, Query(ge=1, le=100)] = 20):
    rows, nxt = await _readers(request).call("stories_page", since=since, until=until, min_size=min_size,
                                             cursor=cursor, limit=limit)
    return {"stories": [s.to_dict() for s in rows], "next_cursor": nxt}


@router.get("/stories/{story_id}", response_model=models.Story, tags=["stories"],
            responses={**_ERRORS, 404: {"model": models.ErrorBody}}, summary="One story with every member")
async def story(request: Request, story_id: Annotated[int, Path(ge=0, le=2 ** 62)]):
    s = await _readers(request).call("story", story_id)
    if s is None:
        raise ApiError(404, f"no story with id {story_id}")
    return s.to_dict()


@router.get("/entities", response_model=list[models.EntityRow], responses=_ERRORS, tags=["entities"],
            summary="Top entities by number of articles (copies of a text count once)")
async def entities(request: Request, type: EntityType = None, since: Since = None, until: Until = None,  # noqa: A002
                   limit: Annotated[int, Query(ge=1, le=1000)] = 50):
    return await _readers(request).call("entities", type=type, since=since, until=until, limit=limit)


@router.get("/entities/{name:path}", response_model=list[models.EntityProfile], tags=["entities"],
            responses={**_ERRORS, 404: {"model": models.ErrorBody}},
            summary="Everything about an entity (any alias): per day and month, latest articles, co-occurring")
async def entity(request: Request, name: Annotated[str, Path(min_length=1, max_length=300)],
                 type: EntityType = None, since: Since = None, until: Until = None,  # noqa: A002
                 limit: Annotated[int, Query(ge=1, le=100)] = 20):
    rows = await _readers(request).call("entity_view", name, type=type, since=since, until=until, limit=limit)
    if not rows:
        raise ApiError(404, f"no entity called {name!r} in the archive")
    return rows


def _archive_name(path: str) -> str:
    """What /stats tells of where the archive is: a file's name, a PostgreSQL database's name (no host, no
    user)."""
    from bantin.archive import is_postgres_url

    if is_postgres_url(path):
        from urllib.parse import urlsplit

        return urlsplit(path).path.lstrip("/")
    return os.path.basename(path)


@router.get("/stats", response_model=models.Stats, tags=["archive"], summary="Counts, outlets, dates, last ingest")
async def stats(request: Request):
    def get(db):
        home = db.home()
        s = dict(home["stats"])  # a copy: the home view is shared
        s["db_path"] = _archive_name(s.get("db_path") or "")
        s["last_ingest"] = home["last_ingest"]
        return s

    return await _readers(request).run(get)


@router.get("/rejects", response_model=models.RejectsResponse, responses=_ERRORS, tags=["archive"],
            summary="Inputs that did not become articles, with the reason")
async def rejects(request: Request, cursor: Cursor = None, limit: Annotated[int, Query(ge=1, le=1000)] = 100):
    rows, nxt = await _readers(request).call("rejects_page", cursor=cursor, limit=limit)
    return {"rejects": [r.to_dict() for r in rows], "next_cursor": nxt}


# -- writes -----------------------------------------------------------------------------------------------------
_INGEST_LOCK = threading.Lock()
_SAFE_NAME = re.compile(r"[^\w.\-]+")
_BODY_TYPES = ("application/x-ndjson", "application/jsonl", "application/json", "application/x-jsonlines",
               "text/plain", "application/gzip", "text/csv", "text/html", "application/octet-stream")


class UploadTooLarge(Exception):
    pass


def _clean_name(name: str, default: str) -> str:
    base = os.path.basename((name or "").replace("\\", "/")).strip()
    base = _SAFE_NAME.sub("_", base).strip("._")[:120]
    return base or default


@router.post("/ingest", response_model=models.IngestReport, tags=["archive"],
             responses={401: {"model": models.ErrorBody}, 403: {"model": models.ErrorBody},
                        413: {"model": models.ErrorBody}, 400: {"model": models.ErrorBody}},
             summary="Add articles: multipart files, or a JSONL (or any input format) body; needs the token",
             openapi_extra={"requestBody": {"content": {
                 "multipart/form-data": {"schema": {"type": "object", "properties": {
                     "file": {"type": "array", "items": {"type": "string", "format": "binary"}}}}},
                 "application/x-ndjson": {"schema": {"type": "string", "format": "binary"}}}}})
async def ingest(request: Request,
                 format: Literal["auto", "text", "jsonl", "html", "warc", "csv", "parquet"] = "auto",  # noqa: A002
                 map: Annotated[str | None, Query(max_length=1000, description="FIELD=INPUT,... as --map")] = None,  # noqa: A002
                 source: Annotated[str | None, Query(max_length=200)] = None,
                 name: Annotated[str | None, Query(max_length=200, description="File name of a raw body (its "
                                                                              "extension tells the format)")] = None,
                 enrich: bool = True, dedup: bool = True):
    """The uploaded files are streamed to disk (never held in memory) and refused with 413 past the server's
    upload limit — at once when Content-Length says so. Answered with the report ``bantin ingest --json`` prints
    (the files are named ``upload:NAME`` in provenance)."""
    try:
        return await _ingest(request, format, map, source, name, enrich, dedup)
    except ApiError as e:
        # a refused upload closes the connection: uvicorn would otherwise read (and drop) the rest of the body to
        # keep the connection alive, and the client would go on sending its gigabyte
        e.headers = {**(e.headers or {}), "Connection": "close"}
        raise


async def _ingest(request: Request, format: str, map: str | None, source: str | None,  # noqa: A002
                  name: str | None, enrich: bool, dedup: bool) -> Any:
    config = _config(request)
    check_token(config, request)
    from bantin.archive import UsageError, parse_map

    try:
        field_map = parse_map(map)
    except UsageError as e:
        raise ApiError(400, f"map: {e}") from None
    limit = config.max_upload
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.strip().isdigit():
            raise ApiError(400, "Content-Length is not a number")
        if int(declared) > limit:
            raise ApiError(413, f"upload too large: {int(declared):,} bytes declared, this server takes at most "
                                f"{limit:,} (bantin serve --max-upload)")
    received = [0]
    receive = request.receive

    async def counting_receive() -> dict:
        message = await receive()
        if message.get("type") == "http.request":
            received[0] += len(message.get("body", b""))
            if received[0] > limit:
                raise UploadTooLarge
        return message

    limited = Request(request.scope, counting_receive)
    tmp = tempfile.mkdtemp(prefix="bantin-upload-")
    try:
        files: list[tuple[str, str]] = []
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        try:
            if ctype == "multipart/form-data":
                form = await limited.form(max_files=1000, max_fields=100)
                for i, (_key, value) in enumerate(form.multi_items()):
                    if isinstance(value, str):
                        continue
                    fname = _clean_name(value.filename or "", f"file{i}")
                    dst = os.path.join(tmp, f"{i:04d}-{fname}")
                    with open(dst, "wb") as out:
                        await _copy_upload(value, out)
                    files.append((f"upload:{fname}", dst))
                await form.close()
            elif ctype in _BODY_TYPES or not ctype:
                fname = _clean_name(name or "", "body.jsonl")
                dst = os.path.join(tmp, fname)
                with open(dst, "wb") as out:
                    async for chunk in limited.stream():
                        out.write(chunk)
                files.append((f"upload:{fname}", dst))
            else:
                raise ApiError(415, f"send multipart/form-data files or a raw body (e.g. application/x-ndjson), "
                                    f"not {ctype}")
        except UploadTooLarge:
            raise ApiError(413, f"upload too large: more than {limit:,} bytes (bantin serve --max-upload)") from None
        if not files or all(os.path.getsize(p) == 0 for _n, p in files):
            raise ApiError(400, "nothing to ingest: the request carried no file or an empty body")
        report = await _run_ingest(config, files, format, field_map, source, enrich, dedup)
        return report.to_dict()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


async def _copy_upload(upload: Any, out: Any) -> None:
    while True:
        chunk = await upload.read(1 << 20)
        if not chunk:
            return
        out.write(chunk)


async def _run_ingest(config: ServeConfig, files: list[tuple[str, str]], fmt: str, field_map: dict[str, str],
                      source: str | None, enrich: bool, dedup: bool) -> Any:
    from starlette.concurrency import run_in_threadpool

    from bantin.archive import Bantin

    def work():
        from bantin.archive import one_blas_thread

        one_blas_thread()  # as the CLI does: the NER scorer's small products gain nothing from a thread per core
        with _INGEST_LOCK:  # one writer at a time; readers go on (WAL)
            with Bantin(config.db) as db:
                return db.ingest_files(files, format=fmt, map=field_map, source=source,
                                       workers=config.ingest_workers, enrich=enrich, dedup=dedup)

    return await run_in_threadpool(work)
