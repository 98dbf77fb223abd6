"""Dump the quote predictions of one bantin checkout for one gold set (the blind code of that set):

    PYTHONPATH=<checkout at the commit that added the set>/src BANTIN_SHARED=… .venv/bin/python training/quotes/dump_blind.py heldout_x build/blind_x.json
"""
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench" / "gold"))
sys.path.insert(0, str(ROOT / "bench"))
import bantin  # noqa: E402 - the checkout PYTHONPATH names
import facts  # noqa: E402
from tools import text_of  # noqa: E402

from bantin.enrich.ner import extract_entities  # noqa: E402
from bantin.enrich.quotes import find_quotes  # noqa: E402
which, out = sys.argv[1], sys.argv[2]
print("bantin from", bantin.__file__, file=sys.stderr)
gold = facts.load_gold(which)
res = {}
for doc in gold:
    text = text_of(doc)
    ents = extract_entities(text)
    qs = find_quotes(text, ents)
    res[doc] = {"quotes": [{"start": q.start, "end": q.end, "speaker": q.speaker, "speaker_entity": q.speaker_entity,
                            "speaker_role": q.speaker_role, "direct": getattr(q, "direct", True)} for q in qs],
                "entities": [{"start": e.start, "end": e.end, "type": e.type, "name": getattr(e, "name", None)} for e in ents]}
json.dump(res, open(out, "w"), ensure_ascii=False)
