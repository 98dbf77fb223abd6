"""Named entities (people, places, organisations) in Vietnamese news text.

    >>> from bantin.enrich.ner import extract_entities
    >>> [(e.text, e.type, e.name) for e in extract_entities("Chủ tịch Trung Quốc Tập Cận Bình thăm Hoa Kỳ.")]
    [('Trung Quốc', 'LOC', 'Trung Quốc'), ('Tập Cận Bình', 'PER', 'Tập Cận Bình'), ('Hoa Kỳ', 'LOC', 'Mỹ')]

The model is a syllable-level linear-chain CRF plus a small dilated-CNN label
scorer whose log-probabilities are added to the CRF's emission scores (both
trained by ``training/ner``), evaluated in numpy; it is loaded lazily, once
per process.  See
``bantin/data/ner/MODEL_CARD.md`` for data, scores and limits.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from .gazetteer import DATA_DIR, canonical_name

MODEL_VERSION = "ner-crf-2026.12.3"  # the whole model: CRF (model.npz) + neural scorer (scorer.npz)
CRF_VERSION = "ner-crf-2026.12.3"  # the CRF component, stored in model.npz

__all__ = ["MODEL_VERSION", "EntitySpan", "extract_entities", "canonical_name"]


@dataclass(frozen=True, slots=True)
class EntitySpan:
    start: int
    end: int
    text: str
    type: str  # "PER" | "LOC" | "ORG" | "MISC"
    name: str


_lock = threading.Lock()
_model = None


def _get_model():
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                from .gazetteer import load_gazetteer_entries
                from .model import CRFModel

                scorer = DATA_DIR / "scorer.npz"
                _model = CRFModel(DATA_DIR / "model.npz", load_gazetteer_entries(),
                                  scorer if scorer.exists() else None)
    return _model


def extract_entities(text: str) -> list[EntitySpan]:
    """Entities in ``text`` (a whole article; paragraphs joined by "\\n"), sorted by start.

    Offsets are into ``text`` exactly as given.  Never raises on a ``str``;
    returns [] for anything else.
    """
    if not isinstance(text, str) or not text:
        return []
    try:
        from .extract import extract

        return extract(_get_model(), text)
    except Exception:  # pragma: no cover - last-resort guard: enrichment must never break ingest
        import logging

        logging.getLogger(__name__).exception("entity extraction failed on a text of %d chars", len(text))
        return []
