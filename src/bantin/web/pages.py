"""The web page: server-rendered HTML (Jinja2, autoescape on), Atom feeds, the API's documentation page.

Each page asks ``Bantin`` what the matching API endpoint asks, with the same parameters: ``/search?q=…``,
``/api/v1/search?q=…`` and ``/search.atom?q=…`` are one query. No JavaScript; every page is a shareable URL.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path as FsPath
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from bantin import __version__
from bantin.web import charts, i18n, render

HERE = FsPath(__file__).resolve().parent
router = APIRouter(include_in_schema=False)
_env = None

Opt = Annotated[str | None, Query(max_length=300)]


def env():
    global _env
    if _env is None:
        import jinja2

        _env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates")),
                                  autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
                                  trim_blocks=True, lstrip_blocks=True)
        _env.filters["date"] = fmt_date
        _env.filters["num"] = fmt_num
        _env.filters["href"] = render.safe_href
        _env.filters["entity_url"] = lambda n, t=None: render.entity_url(n, t)
        _env.filters["snippet"] = render.snippet_html
        _env.filters["entity_feed"] = lambda n, t=None: render.entity_feed_url(n, t)
    return _env


def fmt_date(iso: Any, with_time: bool = True) -> str:
    if not isinstance(iso, str) or not iso:
        return ""
    try:
        dt = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return dt.strftime("%d/%m/%Y %H:%M" if with_time and (dt.hour or dt.minute) else "%d/%m/%Y")


def fmt_num(n: Any) -> str:
    if isinstance(n, bool) or not isinstance(n, (int, float)):
        return "" if n is None else str(n)
    return f"{n:,.0f}".replace(",", ".")


def page(request: Request, template: str, status: int = 200, headers: dict[str, str] | None = None,
         **ctx: Any) -> HTMLResponse:
    qlang = request.query_params.get("lang")
    lang = i18n.pick(qlang, request.cookies.get(i18n.COOKIE))
    other = "en" if lang == "vi" else "vi"
    q = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"] + [("lang", other)]
    html = env().get_template(template).render(
        t=i18n.translator(lang), lang=lang, path=request.url.path, version=__version__,
        other_lang_url=request.url.path + "?" + urlencode(q), **ctx)
    resp = HTMLResponse(html, status_code=status, headers=headers)
    if qlang in i18n.LANGS:
        resp.set_cookie(i18n.COOKIE, qlang, max_age=365 * 24 * 3600, samesite="lax", path="/")
    return resp


def error_page(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> HTMLResponse:
    return page(request, "error.html", status=status, headers=headers, status_code=status, message=message)


def _topics() -> tuple[str, ...]:
    from bantin.archive import topics

    return topics()


def _opt(v: str | None) -> str | None:
    v = (v or "").strip()
    return v or None


def _readers(request: Request):
    return request.app.state.readers


# -- home ---------------------------------------------------------------------------------------------------------
@router.get("/", response_class=HTMLResponse)
async def home(request: Request):
    h = await _readers(request).run(lambda db: db.home())
    return page(request, "home.html", h=h)


# -- search -------------------------------------------------------------------------------------------------------
class SearchParams:
    KEYS = ("q", "since", "until", "outlet", "entity", "type", "topic", "sort")

    def __init__(self, **kw: str | None):
        self.values = {k: _opt(kw.get(k)) for k in self.KEYS}
        if self.values["type"]:
            self.values["type"] = self.values["type"].upper()
        if self.values["sort"] not in (None, "relevance", "date"):
            self.values["sort"] = self.values["sort"]  # refused by the library with a message

    def __getattr__(self, k: str) -> Any:
        try:
            return self.__dict__["values"][k]
        except KeyError:
            raise AttributeError(k) from None

    def url(self, base: str = "/search", **changes: str | None) -> str:
        v = {**self.values, **changes}
        items = [(k, v[k]) for k in self.KEYS if v.get(k)]
        if v.get("cursor"):
            items.append(("cursor", v["cursor"]))
        return base + ("?" + urlencode(items) if items else "")

    def kwargs(self) -> dict[str, Any]:
        v = self.values
        return {"since": v["since"], "until": v["until"], "outlet": v["outlet"], "entity": v["entity"],
                "entity_type": v["type"], "topic": v["topic"]}


@router.get("/search", response_class=HTMLResponse)
async def search(request: Request, q: Annotated[str | None, Query(max_length=1000)] = None, since: Opt = None,
                 until: Opt = None, outlet: Opt = None, entity: Opt = None, type: Opt = None,  # noqa: A002
                 topic: Opt = None, sort: Opt = None, cursor: Annotated[str | None, Query(max_length=4096)] = None,
                 limit: Annotated[int, Query(ge=1, le=100)] = 20):
    p = SearchParams(q=q, since=since, until=until, outlet=outlet, entity=entity, type=type, topic=topic, sort=sort)
    if not p.q:
        return page(request, "search.html", p=p, res=None, chart=None, cursor=None, topics=_topics())
    res = await _readers(request).call(
        "search_page", p.q, sort=p.sort or "relevance", cursor=_opt(cursor), limit=limit, **p.kwargs())
    chart = None
    if res.facets and res.facets["per_day"]:
        chart = charts.bars({d["day"]: d["count"] for d in res.facets["per_day"]},
                            link=lambda a, b: p.url(since=a, until=b))
    folded = None
    if res.spelling == "exact":
        from bantin.archive import fold_text

        folded = fold_text(p.q)
    return page(request, "search.html", p=p, res=res, chart=chart, folded=folded, cursor=_opt(cursor),
                topics=_topics())


@router.get("/search.atom")
async def search_atom(request: Request, q: Annotated[str, Query(min_length=1, max_length=1000)], since: Opt = None,
                      until: Opt = None, outlet: Opt = None, entity: Opt = None, type: Opt = None,  # noqa: A002
                      topic: Opt = None, limit: Annotated[int, Query(ge=1, le=200)] = 50):
    """The newest articles of a search as an Atom feed (always newest first, whatever ``sort`` says)."""
    p = SearchParams(q=q, since=since, until=until, outlet=outlet, entity=entity, type=type, topic=topic)

    res = await _readers(request).call("search_page", q, sort="date", limit=limit, facets=False, **p.kwargs())
    last = (await _readers(request).run(lambda db: db.home()))["last_ingest"]
    from bantin.archive import marks_to_plain

    entries = [{"id": h.id, "title": h.title, "published_at": h.published_at, "outlet": h.outlet,
                "summary": marks_to_plain(h.snippet)} for h in res.hits]
    return atom(request, f"bantin: {q}", p.url(base="/search.atom"), p.url(), entries, last.get("at"))


# -- articles -----------------------------------------------------------------------------------------------------
@router.get("/articles/{id}", response_class=HTMLResponse)
async def article(request: Request, id: Annotated[str, Path(max_length=200)]):  # noqa: A002
    d = await _readers(request).call("article_view", id)
    if d is None:
        return error_page(request, 404, f"no article with id {id!r}")
    story = await _readers(request).call("story", d["story"]) if d.get("story") is not None else None
    lang = i18n.pick(request.query_params.get("lang"), request.cookies.get(i18n.COOKIE))
    t = i18n.translator(lang)
    ann = d.get("annotations") or {}
    title_html = render.highlight(d["title"], render.field_spans(ann, "title", d["title"]), t)
    sapo_html = render.highlight(d["sapo"], render.field_spans(ann, "sapo", d["sapo"]), t) if d.get("sapo") else None
    return page(request, "article.html", a=d, title_html=title_html, sapo_html=sapo_html,
                paragraphs=render.paragraphs_html(d.get("paragraphs") or [], ann, t),
                ents=render.entities_by_type(ann), facts=render.facts(ann), story=story,
                source=render.safe_href(d.get("url")))


# -- stories ------------------------------------------------------------------------------------------------------
@router.get("/stories", response_class=HTMLResponse)
async def stories(request: Request, since: Opt = None, until: Opt = None,
                  min_size: Annotated[int, Query(ge=1, le=100000)] = 2,
                  cursor: Annotated[str | None, Query(max_length=4096)] = None,
                  limit: Annotated[int, Query(ge=1, le=100)] = 30):
    since, until = _opt(since), _opt(until)
    rows, nxt = await _readers(request).call(
        "stories_page", since=since, until=until, min_size=min_size, cursor=_opt(cursor), limit=limit)
    base = [(k, v) for k, v in (("since", since), ("until", until), ("min_size", str(min_size))) if v]
    next_url = "/stories?" + urlencode(base + [("cursor", nxt)]) if nxt else None
    return page(request, "stories.html", stories=rows, next_url=next_url, since=since, until=until,
                min_size=min_size, first_url="/stories?" + urlencode(base) if cursor else None)


@router.get("/stories/{story_id}", response_class=HTMLResponse)
async def story(request: Request, story_id: Annotated[int, Path(ge=0, le=2 ** 62)]):
    s = await _readers(request).call("story", story_id)
    if s is None:
        return error_page(request, 404, f"no story with id {story_id}")
    members = sorted(s.members, key=lambda m: (m.get("published_at") or "~", m.get("id") or ""))
    copies: dict[str, list[dict[str, Any]]] = {}
    for m in members:
        if m.get("duplicate_of"):
            copies.setdefault(m["duplicate_of"], []).append(m)
    ids = {m["id"] for m in members}
    shown = [m for m in members if not m.get("duplicate_of") or m["duplicate_of"] not in ids]
    return page(request, "story.html", s=s, members=shown, copies=copies, chart=charts.timeline(members),
                first=members[0] if members else None)


# -- entities -----------------------------------------------------------------------------------------------------
@router.get("/entities", response_class=HTMLResponse)
async def entities(request: Request, type: Opt = None, since: Opt = None, until: Opt = None,  # noqa: A002
                   limit: Annotated[int, Query(ge=1, le=1000)] = 100):
    typ = (_opt(type) or "").upper() or None
    since, until = _opt(since), _opt(until)
    rows = await _readers(request).call("entities", type=typ, since=since, until=until, limit=limit)
    return page(request, "entities.html", rows=rows, type=typ, since=since, until=until)


@router.get("/entities/{name:path}")
async def entity(request: Request, name: Annotated[str, Path(min_length=1, max_length=300)],
                 type: Opt = None, since: Opt = None, until: Opt = None):  # noqa: A002
    typ = (_opt(type) or "").upper() or None
    since, until = _opt(since), _opt(until)
    feed = name.endswith(".atom") and len(name) > 5
    if feed:
        name = name[:-5]
    rows = await _readers(request).call("entity_view", name, type=typ, since=since, until=until,
                                        limit=50 if feed else 20)
    if feed:
        if not rows:
            from bantin.api.app import ApiError

            raise ApiError(404, f"no entity called {name!r} in the archive")
        latest = sorted((a for r in rows for a in r["latest"]), key=lambda a: a.get("published_at") or "",
                        reverse=True)[:50]
        return atom(request, f"bantin: {name}", render.entity_feed_url(name, typ), render.entity_url(name, typ),
                    latest, None)
    if not rows:
        return error_page(request, 404, f"no entity called {name!r} in the archive")
    rows = [{**r, "chart": charts.bars(r["by_day"], link=None),
             "search_url": "/search?" + urlencode({"q": r["name"], "entity": r["name"], "type": r["type"]})}
            for r in rows]  # (the rows are shared: kept for the next visitor)
    return page(request, "entity.html", rows=rows, name=name, type=typ)


# -- Atom ---------------------------------------------------------------------------------------------------------
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _x(s: Any) -> str:
    return _XML_BAD.sub("", s) if isinstance(s, str) else ""


def atom(request: Request, title: str, self_path: str, alt_path: str, entries: list[dict[str, Any]],
         updated: str | None) -> Response:
    """An Atom feed of articles (feedgen writes and escapes the XML)."""
    from feedgen.feed import FeedGenerator

    base = str(request.base_url).rstrip("/")
    now = _when(updated) or datetime(2000, 1, 1, tzinfo=timezone.utc)
    fg = FeedGenerator()
    fg.id(base + _x(self_path))
    fg.title(_x(title))
    fg.link(href=base + _x(self_path), rel="self")
    fg.link(href=base + _x(alt_path), rel="alternate")
    fg.language("vi")
    fg.generator("bantin", __version__)
    newest = None
    for e in entries:
        fe = fg.add_entry(order="append")
        fe.id(f"urn:bantin:article:{_x(e['id'])}")
        fe.title(_x(e.get("title")) or _x(e["id"]))
        fe.link(href=f"{base}/articles/{_x(e['id'])}")
        when = _when(e.get("published_at"))
        if when is not None:
            fe.published(when)
            newest = max(newest, when) if newest else when
        fe.updated(when or now)
        if e.get("outlet"):
            fe.author(name=_x(e["outlet"]))
        if e.get("summary"):
            fe.summary(_x(e["summary"]))
    fg.updated(newest or now)
    return Response(fg.atom_str(pretty=False), media_type="application/atom+xml; charset=utf-8")


def _when(iso: Any) -> datetime | None:
    if not isinstance(iso, str):
        return None
    try:
        dt = datetime.fromisoformat(iso)
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


# -- the API's documentation ----------------------------------------------------------------------------------------
@router.get("/api/docs", response_class=HTMLResponse)
async def api_docs(request: Request):
    spec = request.app.openapi()
    ops = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            params = [{"name": p.get("name"), "in": p.get("in"), "required": p.get("required", False),
                       "type": _schema_text(p.get("schema") or {}), "description": p.get("description") or
                       (p.get("schema") or {}).get("description") or ""} for p in op.get("parameters", [])]
            ops.append({"method": method.upper(), "path": path, "summary": op.get("summary") or "",
                        "description": op.get("description") or "", "params": params,
                        "responses": sorted((op.get("responses") or {}).keys()),
                        "example": path + ("?q=thuy%20si" if path.endswith("/search") else "")})
    return page(request, "apidocs.html", ops=ops, spec=spec)


def _schema_text(s: dict[str, Any]) -> str:
    if "anyOf" in s:
        return " | ".join(_schema_text(x) for x in s["anyOf"])
    if "enum" in s:
        return " | ".join(map(str, s["enum"]))
    t = s.get("type", "")
    bounds = [f"{k} {s[k]}" for k in ("minimum", "maximum", "maxLength") if k in s]
    d = f" = {s['default']}" if "default" in s and s["default"] is not None else ""
    return t + (f" ({', '.join(bounds)})" if bounds else "") + d


@router.get("/favicon.ico")
async def favicon():
    return Response((HERE / "static" / "favicon.svg").read_bytes(), media_type="image/svg+xml",
                    headers={"cache-control": "max-age=86400"})


def mount(app: Any) -> None:
    from fastapi.staticfiles import StaticFiles

    app.include_router(router)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
