"""The Ray runner: ``bantin ingest … --engine ray [--address HOST:PORT] [--out DIR]``.

The only module that imports Ray (an extra: ``pip install 'bantin[ray]'``). The same pure stages as the
in-process and process-pool runners, as Ray Data stages:

    inputs ─flat_map(read one input)→ raws ─map_batches(pipeline.process + attach_dedup, 64 a task)→ results

Results go into the archive through the same ``Archive.put`` (in input order, so the archive is the one the
other runners build; its duplicates and stories come from the store's own incremental step) and/or to Parquet
(``out``): the articles in ``export``'s schema, partitioned by ``month=YYYY-MM/outlet_name=…``, with their
duplicate groups and stories computed in the cluster:

* the same article read from two inputs is kept once (first input wins, provenance merged): a shuffle on the
  article id (``repartition(keys=…)`` + ``map_batches``);
* exact duplicates (content key) and URL duplicates: a shuffle on each key; near duplicates: each signature's LSH
  band keys exploded into rows, shuffled on the band key, candidate pairs within each band verified on the
  signatures; then connected components of all links and a canonical per component, with the rules and
  order of ``dedup.groups`` (earliest published, then longest, then smallest id; exact duplicates are not
  linked again by URL or bands) — the same groups as ``dedup/`` in-process;
* stories: ``dedup.stories.update_stories`` itself, run over the canonical articles in publication order
  against an in-memory story store (placement is sequential in time; it is the driver's part).

``out`` is written to a sibling directory and swapped in when complete: a run killed halfway leaves the
previous output (or none) and its leftovers are removed by the next run.
"""

from __future__ import annotations

import os
import pickle
import shutil
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import numpy as np
import orjson

from bantin import pipeline, sources
from bantin.model import Raw, Reject
from bantin.store.base import DedupRow, Prepared

#: Raws per map task (as ``pipeline.CHUNK``).
CHUNK = 64
#: Target size of a Ray Data block: small enough that a few thousand raws make several tasks.
BLOCK_BYTES = 4 << 20
UNDATED = "__HIVE_DEFAULT_PARTITION__"


@dataclass(slots=True)
class RayReport(pipeline.IngestReport):
    out: str | None = None
    files: int = 0
    articles_out: int = 0
    duplicates: dict[str, int] = field(default_factory=dict)
    stories: int = 0
    stage_seconds: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        d = pipeline.IngestReport.to_dict(self)
        d.update({"engine": "ray", "out": self.out, "files": self.files, "articles_out": self.articles_out,
                  "duplicates_out": self.duplicates, "stories_out": self.stories,
                  "stage_seconds": {k: round(v, 3) for k, v in self.stage_seconds.items()}})
        return d


def init(address: str | None = None, num_cpus: int | None = None) -> bool:
    """Connect to a cluster (``address``) or start a local one; True when this call started Ray."""
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    import ray

    if ray.is_initialized():
        return False
    kw: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False, "logging_level": "ERROR",
                          "configure_logging": False}
    if address:
        ray.init(address=address, **kw)
    else:
        ray.init(num_cpus=num_cpus or os.cpu_count() or 1, _node_ip_address="127.0.0.1",
                 object_store_memory=2 << 30, **kw)
    return True


# -- map stages (run in Ray workers) ------------------------------------------------------------------------------
def _read(row: dict[str, Any]) -> Iterator[dict[str, Any]]:
    inp, fmt = pickle.loads(row["input"])
    base = int(row["i"]) << 40
    for k, item in enumerate(sources.read_inputs([inp], fmt)):
        yield {"order": base | k, "item": pickle.dumps(item, protocol=5)}


_BLAS = [False]


def _process(batch: dict[str, np.ndarray], enrich: bool, want_rows: bool, want_prepared: bool) -> dict[str, list]:
    """``pipeline.process`` + ``attach_dedup`` over a batch of raws; one output row per input record."""
    if not _BLAS[0]:
        pipeline.one_blas_thread()
        _BLAS[0] = True
    from bantin.export import _row
    from bantin.store.sqlite import rowid_base

    items = [pickle.loads(b) for b in batch["item"]]
    done = pipeline.attach_dedup([it if isinstance(it, Reject) else pipeline.process(it, enrich) for it in items])
    cols: dict[str, list] = {k: [] for k in ("order", "kind", "id", "base", "published_at", "outlet", "title",
                                             "content_key", "url_key", "length", "sig", "vec", "prov", "row",
                                             "prepared", "ef")}
    for order, out in zip(batch["order"], done):
        cols["order"].append(int(order))
        if isinstance(out, Reject):
            cols["kind"].append("r")
            for k in ("id", "published_at", "outlet", "title", "content_key", "url_key", "sig", "vec", "row"):
                cols[k].append(None)
            cols["base"].append(-1)
            cols["length"].append(0)
            cols["prov"].append(None)
            cols["prepared"].append(pickle.dumps(out, protocol=5))
            cols["ef"].append(b"")
            continue
        a, k = out.article, out.dedup
        cols["kind"].append("a")
        cols["id"].append(a.id)
        b = rowid_base(a.published_at)
        cols["base"].append(-1 if b is None else b)
        cols["published_at"].append(a.published_at)
        cols["outlet"].append(a.outlet)
        cols["title"].append(a.title)
        cols["content_key"].append(k.content_key if k else None)
        cols["url_key"].append(k.url_key if k else None)
        cols["length"].append(k.length if k else 0)
        cols["sig"].append(k.sig if k else None)
        cols["vec"].append(k.vec if k else None)
        cols["prov"].append(pickle.dumps(a.provenance, protocol=5))
        cols["row"].append(pickle.dumps(_row(a), protocol=5) if want_rows else None)
        cols["prepared"].append(pickle.dumps(out.for_writer(), protocol=5) if want_prepared else None)
        item = pipeline.enrich_failure_item(a)  # stored and flagged enrich-failed:NAME; the report counts them
        cols["ef"].append(orjson.dumps(item) if item else b"")
    return cols


def _keys(batch: dict[str, np.ndarray], bands: int) -> dict[str, list]:
    """The keys one article is grouped by: its id, its content key, its URL key and its LSH band keys."""
    from bantin.dedup import minhash

    keys: list[str] = []
    docs: list[int] = []
    bases: list[int] = []
    for i, order in enumerate(batch["order"]):
        if batch["kind"][i] != "a":
            continue
        ks = ["i" + batch["id"][i], "c" + batch["content_key"][i]]
        url = batch["url_key"][i]
        if isinstance(url, str) and url:  # a block whose keys are all missing holds a null (NaN) column
            ks.append("u" + url)
        sig = batch["sig"][i]
        if isinstance(sig, bytes):
            ks.extend(f"b{k}" for k in minhash.band_keys(minhash.from_blob(sig)[None, :], bands)[0].tolist())
        keys.extend(ks)
        docs.extend([int(order)] * len(ks))
        bases.extend([int(batch["base"][i])] * len(ks))
    return {"key": keys, "doc": docs, "base": bases}


def _shared(batch: dict[str, np.ndarray]) -> dict[str, list]:
    """Within a block holding every row of its keys (after the shuffle): the keys that two or more articles
    share, each with its articles (ids, content keys, URL keys and band keys alike)."""
    members: dict[str, list[tuple[int, int]]] = {}
    for k, d, b in zip(batch["key"], batch["doc"], batch["base"]):
        members.setdefault(k, []).append((int(b), int(d)))
    out_k, out_docs, out_bases = [], [], []
    for k, m in members.items():
        if len(m) < 2:
            continue
        m = sorted(set(m))
        out_k.append(k[0])
        out_docs.append([d for _b, d in m])
        out_bases.append([b for b, _d in m])
    return {"kind": out_k, "docs": out_docs, "bases": out_bases}


# -- the driver ---------------------------------------------------------------------------------------------------
def ingest(archive: Any, paths: Sequence[str], *, out: str | None = None, store: bool = True,
           address: str | None = None, num_cpus: int | None = None, fmt: str = "auto",
           mapping: dict[str, str] | None = None, source: str | None = None, enrich_articles: bool = True,
           languages: Sequence[str] | None = None, threshold: float | None = None,
           on_reject: Callable[[Reject], None] | None = None,
           on_progress: Callable[[pipeline.IngestReport], None] | None = None,
           keep_rejects: int = 1000) -> RayReport:
    """Run the pipeline on Ray over ``paths``; results into ``archive`` (``store``) and/or Parquet at ``out``."""
    import ray
    import ray.data as rd

    t0 = time.perf_counter()
    inputs = sources.expand_paths(list(paths))  # raises UsageError before anything starts
    for inp in inputs:
        inp.options = {"map": mapping or {}, "source": source}
        if languages:
            inp.options["languages"] = tuple(languages)
    started = init(address, num_cpus)
    import logging
    import warnings

    logging.getLogger("ray.data").setLevel(logging.WARNING)
    warnings.filterwarnings("ignore", message="Use 'expr' instead of 'fn'")
    rep = RayReport(out=os.path.abspath(out) if out else None)
    tmp = None
    try:
        ctx = rd.DataContext.get_current()
        ctx.target_max_block_size = BLOCK_BYTES
        ctx.execution_options.preserve_order = True
        ctx.enable_progress_bars = False
        ds = rd.from_items([{"i": i, "input": pickle.dumps((inp, fmt))} for i, inp in enumerate(inputs)],
                           override_num_blocks=max(1, len(inputs)))
        ds = ds.flat_map(_read)
        ds = ds.map_batches(_process, batch_size=CHUNK, fn_kwargs={
            "enrich": enrich_articles, "want_rows": out is not None, "want_prepared": store and archive is not None})
        # with Parquet out the results are needed twice (archive, then groups and files): kept in the object
        # store (spilled to disk when large); into the archive only, they stream
        mapped = ds.materialize() if out is not None else ds
        rep.stage_seconds["map"] = time.perf_counter() - t0

        def note_reject(r: Reject) -> None:
            if len(rep.rejects) < keep_rejects:
                rep.rejects.append(r)
            if on_reject is not None:
                on_reject(r)

        t1 = time.perf_counter()
        # the archive: in input order, through Archive.put, as the other runners
        batch: list[Prepared | Reject] = []

        def flush() -> None:
            if not batch:
                return
            res = archive.put(batch)
            rep.added += res.added
            rep.existing += res.existing
            rep.added_ids.extend(res.added_ids)
            batch.clear()
            if on_progress is not None:
                on_progress(rep)

        for b in mapped.select_columns(["kind", "prepared", "ef"]).iter_batches(batch_size=1000,
                                                                                batch_format="numpy"):
            for kind, blob, ef in zip(b["kind"], b["prepared"], b["ef"]):
                rep.read += 1
                if ef:  # b"": every enricher ran
                    rep.enrich_failed += 1
                    if len(rep.enrich_failures) < keep_rejects:
                        rep.enrich_failures.append(orjson.loads(ef))
                if kind == "r":
                    r = pickle.loads(blob)
                    rep.rejected += 1
                    note_reject(r)
                    if store and archive is not None:
                        batch.append(r)
                elif store and archive is not None:
                    batch.append(pickle.loads(blob))
                if len(batch) >= pipeline.BATCH_SIZE:
                    flush()
        flush()
        rep.stage_seconds["store" if out is not None else "map+store"] = time.perf_counter() - t1
        if out is not None:
            tmp = _write_out(mapped, out, rep, threshold)
    finally:
        if tmp and os.path.exists(tmp):
            shutil.rmtree(tmp, ignore_errors=True)
        if started:
            ray.shutdown()
    rep.seconds = time.perf_counter() - t0
    return rep


def _write_out(mapped: Any, out: str, rep: RayReport, threshold: float | None) -> str:
    """Find repeated ids, duplicate groups and stories, write Parquet into a sibling directory and swap it in;
    returns the directory to remove (the old output)."""
    import ray.data as rd

    from bantin.dedup import minhash

    out = os.path.abspath(out.rstrip("/"))
    parent = os.path.dirname(out)
    os.makedirs(parent, exist_ok=True)
    for name in os.listdir(parent):  # leftovers of a run killed halfway
        if name.startswith(os.path.basename(out) + ".tmp-") or name.startswith(os.path.basename(out) + ".old-"):
            shutil.rmtree(os.path.join(parent, name), ignore_errors=True)
    tmp = f"{out}.tmp-{uuid.uuid4().hex[:8]}"
    t = time.perf_counter()
    thr = minhash.DEFAULT_THRESHOLD if threshold is None else threshold
    n_blocks = max(2, min(64, rep.read // 4000 + 1))
    shared = mapped.select_columns(["order", "kind", "id", "base", "content_key", "url_key", "sig"]) \
        .map_batches(_keys, batch_size=CHUNK * 4, fn_kwargs={"bands": minhash.bands_for(thr)}) \
        .repartition(n_blocks, keys=["key"]).map_batches(_shared, batch_size=None).take_all()
    rep.stage_seconds["shuffle"] = time.perf_counter() - t
    t = time.perf_counter()
    by_kind: dict[str, list[tuple[list[int], list[int]]]] = {"i": [], "c": [], "u": [], "b": []}
    for r in shared:
        by_kind[r["kind"]].append((list(r["docs"]), list(r["bases"])))
    # one article read from several inputs: the first read is kept, the others add their provenance to it
    losers: dict[int, int] = {}
    for docs, _bases in by_kind["i"]:
        first = min(docs)
        losers.update({d: first for d in docs if d != first})
    extra_prov: dict[int, list[bytes]] = {}
    if losers:
        for r in mapped.select_columns(["order", "prov"]).filter(_in(set(losers))).take_all():
            extra_prov.setdefault(losers[int(r["order"])], []).append(r["prov"])
    groups = _groups(mapped, by_kind, set(losers), thr)
    rep.stage_seconds["duplicates"] = time.perf_counter() - t
    t = time.perf_counter()
    stories = _stories(mapped, set(losers), groups)
    rep.stage_seconds["stories"] = time.perf_counter() - t
    t = time.perf_counter()
    files = mapped.select_columns(["order", "kind", "row", "prov"]).filter(_article_not_in(set(losers))) \
        .map_batches(_write_parts, batch_size=None, fn_kwargs={"root": tmp, "extra_prov": extra_prov}).take_all()
    rep.files = sum(int(f["files"]) for f in files)
    rep.articles_out = sum(int(f["rows"]) for f in files)
    _write_sidecars(tmp, groups, stories)
    rep.duplicates = {}
    for _doc, (_can, kind, _sim) in groups["assign"].items():
        if kind:
            rep.duplicates[kind] = rep.duplicates.get(kind, 0) + 1
    rep.stories = len({s for s, _ in stories["member"].values()})
    old = f"{out}.old-{uuid.uuid4().hex[:8]}"
    if os.path.exists(out):
        os.rename(out, old)
    os.rename(tmp, out)
    rep.stage_seconds["write"] = time.perf_counter() - t
    del rd
    return old


def _groups(mapped: Any, by_kind: dict[str, list[tuple[list[int], list[int]]]], losers: set[int],
            threshold: float) -> dict[str, Any]:
    """Duplicate groups of the articles, as ``dedup.groups.update_groups`` makes them from scratch: an article
    whose content key an earlier one holds (undated first, then by publication slot, then arrival — the
    archive's row order) is its exact duplicate and is not linked again; the others are linked by URL key to
    the first holder, and by shared LSH bands when their signatures agree on at least ``threshold``."""
    from bantin.dedup import groups as G
    from bantin.dedup import minhash

    def live(docs: list[int], bases: list[int], drop: set[int]) -> list[int]:
        return [d for _b, d in sorted(zip(bases, docs)) if d not in drop]  # archive order

    exact_of: dict[int, int] = {}
    for docs, bases in by_kind["c"]:
        m = live(docs, bases, losers)
        exact_of.update({d: m[0] for d in m[1:]})
    drop = losers | set(exact_of)
    url_of: dict[int, int] = {}
    for docs, bases in by_kind["u"]:
        m = live(docs, bases, drop)
        url_of.update({d: m[0] for d in m[1:]})
    cand: set[tuple[int, int]] = set()
    for docs, bases in by_kind["b"]:
        m = sorted(d for d in docs if d not in drop)
        cand.update((m[j], m[i]) for i in range(len(m)) for j in range(i + 1, len(m)))
    touched = set(exact_of) | set(exact_of.values()) | set(url_of) | set(url_of.values())
    touched |= {d for p in cand for d in p}
    info = {int(r["order"]): r for r in mapped.select_columns(
        ["order", "id", "published_at", "outlet", "title", "content_key", "url_key", "length", "sig"]
    ).filter(_in(touched)).take_all()}
    uf = G._UnionFind()
    for a, b in (*exact_of.items(), *url_of.items()):
        uf.union(a, b)
    near = 0
    for a, b in sorted(cand):
        ra, rb = info[a], info[b]
        if minhash.similarity(minhash.from_blob(ra["sig"]), minhash.from_blob(rb["sig"])) >= threshold:
            near += uf.find(a) != uf.find(b)
            uf.union(a, b)
    comps: dict[int, list[int]] = {}
    for d in touched:
        comps.setdefault(uf.find(d), []).append(d)
    assign: dict[int, tuple[int, str | None, float | None]] = {}
    for members in comps.values():
        if len(members) < 2:
            continue
        rows = {d: _dedup_row(d, info[d]) for d in members}
        can = min(rows.values(), key=G.canonical_order)
        for d, r in rows.items():
            kind, sim = G._kind(r, can)
            assign[d] = (can.rowid, kind, sim)
    return {"assign": assign, "ids": {d: info[d]["id"] for d in touched}, "candidates": len(cand), "near": near}


def _dedup_row(order: int, r: dict[str, Any]) -> DedupRow:
    from bantin.dedup import minhash

    return DedupRow(rowid=order, id=r["id"], published_at=r["published_at"], outlet=r["outlet"],
                    length=int(r["length"]), content_key=r["content_key"], url_key=r["url_key"],
                    scheme=minhash.scheme(), sig=r["sig"], vec=r.get("vec"), title=r["title"])


class _not_in:  # noqa: N801 - small picklable predicates for Dataset.filter
    def __init__(self, s: set[int]) -> None:
        self.s = s

    def __call__(self, r: dict[str, Any]) -> bool:
        return int(r["order"]) not in self.s


class _in(_not_in):  # noqa: N801
    def __call__(self, r: dict[str, Any]) -> bool:
        return int(r["order"]) in self.s


class _article_not_in(_not_in):  # noqa: N801
    def __call__(self, r: dict[str, Any]) -> bool:
        return r["kind"] == "a" and int(r["order"]) not in self.s


class _has:  # noqa: N801
    def __init__(self, col: str) -> None:
        self.col = col

    def __call__(self, r: dict[str, Any]) -> bool:
        return isinstance(r[self.col], (str, bytes))


class _MemoryStories:
    """The five store calls ``dedup.stories.update_stories`` makes, over dicts (a fresh archive's stories)."""

    def __init__(self, rows: dict[int, DedupRow]) -> None:
        self.rows = rows
        self.member: dict[int, tuple[int, float | None]] = {}
        self.next = 1

    def story_window(self, since: str, until: str) -> list[tuple[int, int, str, bytes]]:
        return []  # nothing placed before this run

    def story_of(self, rowids: Any) -> dict[int, int]:
        return {r: self.member[r][0] for r in rowids if r in self.member}

    def story_new(self) -> int:
        self.next += 1
        return self.next - 1

    def story_add(self, members: Sequence[tuple[int, int, float | None]]) -> None:
        for d, s, sim in members:
            self.member[d] = (s, sim)

    def story_refresh(self, story_ids: Any, pick_title: Any) -> None:
        pass


def _stories(mapped: Any, losers: set[int], groups: dict[str, Any]) -> dict[str, Any]:
    """Stories over every dated article, placed by ``dedup.stories.update_stories`` in publication order (row
    ids stand in as the archive's: the order of (publication slot, arrival))."""
    from bantin.dedup import stories as S

    rows = mapped.select_columns(["order", "kind", "base", "id", "published_at", "outlet", "title", "content_key",
                                  "url_key", "length", "vec"]).filter(_dated(losers)).take_all()
    rows.sort(key=lambda r: (int(r["base"]), int(r["order"])))
    pending = [DedupRow(rowid=int(r["order"]), id=r["id"], published_at=r["published_at"], outlet=r["outlet"],
                        length=int(r["length"]), content_key=r["content_key"], url_key=r["url_key"], scheme="",
                        sig=None, vec=r["vec"], title=r["title"]) for r in rows]
    # update_stories breaks publication-time ties by row id: give it row ids in archive order
    rank = {r.rowid: i for i, r in enumerate(pending)}
    for r in pending:
        r.rowid = rank[r.rowid]
    canonical_of = {rank[d]: rank.get(c, -1 - c) for d, (c, _k, _s) in groups["assign"].items() if d in rank}
    mem = _MemoryStories({r.rowid: r for r in pending})
    S.update_stories(mem, pending, canonical_of)
    back = {i: r.id for i, r in enumerate(pending)}
    return {"member": {back[d]: (s, sim) for d, (s, sim) in mem.member.items() if d in back}}


class _dated(_not_in):  # noqa: N801
    def __call__(self, r: dict[str, Any]) -> bool:
        return r["kind"] == "a" and isinstance(r["vec"], bytes) and int(r["order"]) not in self.s


def _write_parts(batch: Any, root: str, extra_prov: dict[int, list[bytes]]) -> dict[str, list]:
    """Write one block's articles as Parquet files, one per (month, outlet) partition."""
    import dataclasses

    import pyarrow as pa
    import pyarrow.parquet as pq

    from bantin.export import _parquet_schema

    schema = _parquet_schema()
    parts: dict[tuple[str, str], list[tuple[int, dict]]] = {}
    for order, blob in zip(batch["order"], batch["row"]):
        row = pickle.loads(blob)
        if int(order) in extra_prov:  # the same article read from other inputs too
            seen = {(p["path"], p["record"]) for p in row["provenance"]}
            for more in extra_prov[int(order)]:
                for p in pickle.loads(more):
                    if (p.path, p.record) not in seen:
                        seen.add((p.path, p.record))
                        row["provenance"].append(dataclasses.asdict(p))
        pub = row.get("published_at")
        month = pub[:7] if pub else UNDATED
        outlet = row.get("outlet")
        parts.setdefault((month, quote(outlet, safe=" ") if outlet else UNDATED), []).append((int(order), row))
    name = uuid.uuid4().hex[:12]
    n = 0
    for (month, outlet), rows in parts.items():
        d = os.path.join(root, f"month={month}", f"outlet_name={outlet}")
        os.makedirs(d, exist_ok=True)
        rows.sort(key=lambda x: x[0])
        pq.write_table(pa.Table.from_pylist([r for _o, r in rows], schema=schema), os.path.join(d, f"part-{name}.parquet"),
                       compression="zstd")
        n += len(rows)
    return {"files": [len(parts)], "rows": [n]}


def _write_sidecars(root: str, groups: dict[str, Any], stories: dict[str, Any]) -> None:
    """``_duplicates.parquet`` (every article in a group of two or more: its canonical, kind, similarity) and
    ``_stories.parquet`` (every dated article: its story, similarity); names starting with "_" are not read as
    data by Parquet dataset readers."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    os.makedirs(root, exist_ok=True)
    ids = groups["ids"]
    dup = sorted((ids[d], ids[c], k, s) for d, (c, k, s) in groups["assign"].items())
    pq.write_table(pa.table({"id": [x[0] for x in dup], "canonical": [x[1] for x in dup],
                             "kind": pa.array([x[2] for x in dup], pa.string()),
                             "similarity": pa.array([x[3] for x in dup], pa.float64())}),
                   os.path.join(root, "_duplicates.parquet"))
    st = sorted((i, s, sim) for i, (s, sim) in stories["member"].items())
    pq.write_table(pa.table({"id": [x[0] for x in st], "story": pa.array([x[1] for x in st], pa.int64()),
                             "similarity": pa.array([x[2] for x in st], pa.float64())}),
                   os.path.join(root, "_stories.parquet"))


def read_out(out: str) -> dict[str, Any]:
    """What a Parquet output holds, for checks: article ids, duplicate groups ({canonical id: member ids}) and
    stories (sets of article ids)."""
    import pyarrow.dataset as pads
    import pyarrow.parquet as pq

    import pyarrow as pa

    part = pads.partitioning(pa.schema([("month", pa.string()), ("outlet_name", pa.string())]), flavor="hive")
    ids = pads.dataset(out, format="parquet", partitioning=part).to_table(columns=["id"]).column("id").to_pylist()
    dup = pq.read_table(os.path.join(out, "_duplicates.parquet")).to_pylist()
    groups: dict[str, set[str]] = {}
    for r in dup:
        groups.setdefault(r["canonical"], set()).add(r["id"])
    st = pq.read_table(os.path.join(out, "_stories.parquet")).to_pylist()
    stories: dict[int, set[str]] = {}
    for r in st:
        stories.setdefault(r["story"], set()).add(r["id"])
    return {"ids": ids, "groups": {k: v for k, v in groups.items() if len(v) > 1},
            "stories": sorted(sorted(s) for s in stories.values())}


__all__ = ["RayReport", "ingest", "init", "read_out", "Raw"]
