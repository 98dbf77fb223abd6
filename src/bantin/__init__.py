"""bantin: turn raw Vietnamese news into a clean, deduplicated, searchable archive.

    import bantin
    db = bantin.open("news.db")      # the embedded SQLite archive (default $BANTIN_DB or ./bantin.db)
    db.ingest(["dumps/"])
    db.search("thuy si")
"""

__version__ = "0.1.0"


def open(path=None, *, readonly=False):  # noqa: A001 - mirrors the CLI's --db
    """Open (creating if needed) an archive; see ``bantin.archive.Bantin``."""
    from bantin.archive import open as _open

    return _open(path, readonly=readonly)


def annotate(text, published_at=None):
    """Entities, dates, amounts, quotes, topic, keywords and summary of ``text``; see
    ``bantin.enrich.annotate.annotate``. Annotating many texts in one process: call
    ``bantin.archive.one_blas_thread()`` once first (numpy's BLAS thread per core makes each call several times
    slower on the model's small matrices; the CLI and ingest workers do it, a library call leaves the process alone)."""
    from bantin.enrich.annotate import annotate as _annotate

    return _annotate(text, published_at)
