"""A cleaned GROUP list for the knowledge-base gazetteer (issue 14; model card, "What the kb flags do and do
not fix on The thao", fix (1)).

    .venv/bin/python training/ner/kb_clean.py [--out training/ner/build/kb_names_clean.tsv] [--report]

The GROUP names of ``kb_names.tsv`` (openfootball club names and their alternative names, plus the hand NBA /
music-group list) include bare city names ("Tokyo", "Berlin", "Houston"), Vietnamese provinces that are also
clubs ("Bình Dương", "Hải Phòng") and words that in Vietnamese news are mostly something else ("Cai", "Van",
"Tom", "York").  Outside sport such a match is a place, a person or a common word, so a model trained on
non-sport texts learns "GROUP ≈ place" and the flag stops meaning "club".  This script writes the same
gazetteer with the GROUP names filtered by a fixed rule; COIN and BRAND are copied unchanged.

A GROUP name is **kept** when it is in the hand list (``training/ner/kb/hand.tsv``: NBA clubs, music groups)
or contains a club word (``CLUB_WORDS``: FC, United, City, CLB, …).  Otherwise it is **dropped** when

1. ``place``: it is a name or alias of ``places.tsv`` (the hand place list; any length);
2. ``person``: it is a name or alias of ``people.tsv``, or a one-word name that is a family name
   (``surnames.txt``);
3. ``vlsp2016``: its capitalised occurrences in VLSP 2016 train lie inside a LOC or PER gold span, or
   inside no entity, more often than inside an ORG span ("York" in "New York", "Tom" in "Tom Cruise").
   Only VLSP 2016 train is read: it is in the training data of every cross-domain fold and never held out,
   so the rule does not depend on, nor see, any VLSP 2018 section;
4. ``syllable``: it is one word that is a common lower-case word in Vietnamese news — its syllable is in
   the shipped model's vocabulary with a mid-sentence capitalisation rate under 30 % in unlabelled VietNews
   (the model's capitalisation bins) — or one Vietnamese syllable with a tone or vowel mark (any
   syllable of the language, seen or not: "Cai", "Van", "Hà");
5. ``english``: it is one word in ``ENGLISH_WORDS``, common English words and given names that the
   openfootball files carry as alternative names and that Vietnamese news writes inside other names
   (a short fixed list: written here, not chosen on any score);
6. ``vietnews``: in unlabelled VietNews train it is written with a capital at least 10 times and fewer than
   2 % of those mentions have a club or band cue next to them ("CLB", "đội", "câu lạc bộ", "nhóm", "HLV",
   "thắng", "hòa", … before it, "FC", "thắng", … after it): the news write it for something else
   ("Bolton" the politician, "Scarborough" the shoal, "Cannes", "Oxford", "Sochi").  "Barcelona" (3.5 %),
   "Chelsea" (4 %), "Arsenal" (12 %) stay.

Nothing is chosen on a score: the rule was written before any fold was trained with the list.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from bantin.enrich.ner import evaluate as ev  # noqa: E402
from bantin.enrich.ner.gazetteer import DATA_DIR, load_tables  # noqa: E402
from bantin.enrich.ner.text import TOKEN_RE, feature_key  # noqa: E402

KB = DATA_DIR / "kb_names.tsv"
HAND = ROOT / "training/ner/kb/hand.tsv"
OUT = ROOT / "training/ner/build/kb_names_clean.tsv"
CUES = ROOT / "training/ner/build/kb_vietnews_cues.json"

# Words that make a name a club's whatever else it contains (compared by feature key, so case-insensitive)
CLUB_WORDS = frozenset({
    "fc", "cf", "afc", "sc", "ac", "as", "ssc", "fk", "sk", "bk", "nk", "if", "ik", "cd", "ud", "sd", "rc", "rcd",
    "sv", "tsv", "fsv", "vfb", "vfl", "bsc", "kv", "kaa", "krc", "ks", "gks", "mks", "sl", "clb", "câu", "club",
    "united", "utd", "city", "athletic", "atletico", "atlético", "sporting", "real", "dynamo", "dinamo", "olympique",
    "olympiakos", "olympiacos", "rovers", "wanderers", "albion", "hotspur", "county", "town", "rangers", "celtic",
    "borussia", "eintracht", "hertha", "racing", "deportivo", "internazionale", "inter", "juventus", "spartak",
    "lokomotiv", "zenit", "cska", "galatasaray", "fenerbahçe", "besiktas", "beşiktaş", "ajax", "psv", "feyenoord",
    "benfica", "porto", "calcio", "football", "soccer", "futbol", "fútbol", "fußball",
})
CLUB_KEYS = frozenset(feature_key(w) for w in CLUB_WORDS)

# Rule 5: common English words and given names among the one-word alternative names.
ENGLISH_WORDS = frozenset({
    "York", "Tom", "Van", "Cai", "Young", "Boys", "Old", "New", "North", "South", "East", "West", "Central",
    "Union", "National", "Star", "Stars", "Red", "Blue", "Green", "White", "Black", "Royal", "Saint", "Santa",
    "San", "Los", "Las", "The", "Sport", "Sports", "Academy", "Heart", "Hearts", "Queen", "King", "Kings",
    "Victoria", "Alexandra", "Mary", "John", "George", "Charlton", "Jack", "Harry", "Nancy", "Regina",
    "Florence", "Paris", "Lincoln", "Washington", "Jackson", "Madison", "Austin", "Phoenix", "Orlando",
    "Houston", "Dallas", "Denver", "Boston", "Chicago", "Miami", "Atlanta", "Seattle", "Portland", "Columbus",
    "Nashville", "Charlotte", "Cincinnati", "Vancouver", "Toronto", "Montreal", "Ottawa", "Sydney", "Melbourne",
    "Brisbane", "Perth", "Adelaide", "Auckland", "Wellington", "Tokyo", "Osaka", "Seoul", "Beijing", "Shanghai",
    "Bangkok", "Jakarta", "Manila", "Singapore", "Dubai", "Cairo", "Moscow", "Berlin", "Hamburg", "Munich",
    "Milan", "Rome", "Naples", "Turin", "Madrid", "Lisbon", "Vienna", "Prague", "Warsaw", "Budapest", "Athens",
    "Istanbul", "Kiev", "Kyiv", "Minsk", "Riga", "Oslo", "Stockholm", "Copenhagen", "Helsinki", "Brussels",
    "Amsterdam", "Zurich", "Geneva", "Basel", "Bern", "Dublin", "Glasgow", "Edinburgh", "Cardiff", "Belfast",
    "Mexico", "Brasil", "Brazil", "China", "Japan", "Korea", "India", "Vietnam", "Thailand", "America",
    "Europe", "Asia", "Africa", "Australia", "England", "Scotland", "Wales", "Ireland", "Canada", "Germany",
    "France", "Spain", "Italy", "Portugal", "Holland", "Russia", "Turkey", "Greece", "Poland", "Austria",
})
ENGLISH_KEYS = frozenset(feature_key(w) for w in ENGLISH_WORDS)


def _keys(name: str) -> tuple[str, ...]:
    return tuple(feature_key(m.group()) for m in TOKEN_RE.finditer(name))


_VI_SYLLABLE = re.compile(
    r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
    r"(?:uye|uya|uyu|oai|oay|oeo|uoi|uou|uay|ieu|yeu|oa|oe|uy|ua|uo|ue|ie|ye|ia|ai|ao|au|ay|eo|eu|iu|oi|ui|ua|[aeiouy])"
    r"(?:ng|nh|ch|[cmnpt])?$")


def _vi_syllable(word: str) -> bool:
    """Whether ``word`` has the shape of one Vietnamese syllable (onset, vowel nucleus, coda), marks or not:
    "Cai", "Van", "Tom", "Ngọt", "Hà" — not "Roma", "Ajax", "Real", "Inter"."""
    base = unicodedata.normalize("NFD", word.lower().replace("đ", "d"))
    base = "".join(c for c in base if not unicodedata.combining(c))
    return bool(_VI_SYLLABLE.match(base))


def read_kb(path: Path = KB) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            cat, _, name = line.partition("\t")
            rows.append((cat, name))
    return rows


def hand_groups() -> set[tuple[str, ...]]:
    out = set()
    for line in HAND.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            cat, names = line.split("\t", 1)
            if cat == "GROUP":
                out.update(_keys(n) for n in names.split("|") if n.strip())
    return out


def vlsp2016_votes(names: set[tuple[str, ...]]) -> dict[tuple[str, ...], Counter]:
    """Per name: how its capitalised occurrences in VLSP 2016 train lie — inside an ORG / LOC / PER / MISC gold
    span, or inside none ("O")."""
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for n in names:
        by_first.setdefault(n[0], []).append(n)
    votes: dict[tuple[str, ...], Counter] = {}
    for d in ev.load_vlsp2016("train"):
        toks = [(m.start(), m.end(), m.group()) for m in TOKEN_RE.finditer(d.text)]
        keys = [feature_key(t[2]) for t in toks]
        for i, k in enumerate(keys):
            for n in by_first.get(k, ()):
                if tuple(keys[i:i + len(n)]) != n or not toks[i][2][:1].isupper():
                    continue
                s, e = toks[i][0], toks[i + len(n) - 1][1]
                typ = next((t for a, b, t in d.spans if a <= s and e <= b), "O")
                votes.setdefault(n, Counter())[typ] += 1
    return votes


# Words that, right before a name, say it is a club or a band ("CLB Chelsea", "đội Barcelona", "nhóm Sirius"),
# and right after it ("Bolton FC"); compared by feature key
CLUB_CUES_BEFORE = frozenset(feature_key(w) for w in ("CLB", "đội", "bộ", "bóng", "nhóm", "nhạc", "FC", "HLV",
                                                       "gặp", "thắng", "hòa", "hoà", "thua", "hạ", "bại"))
CLUB_CUES_AFTER = frozenset(feature_key(w) for w in ("FC", "CF", "thắng", "hòa", "hoà", "thua", "đánh"))


def vietnews_cues(names: set[tuple[str, ...]], cache: Path | None = None) -> dict[str, list[int]]:
    """Per name (syllable keys joined by spaces): [capitalised mentions, mentions with a club cue next to them]
    in unlabelled VietNews **train** (not val, which holds the hand-annotated evaluation articles). About a
    minute; cached in ``cache`` (keyed by nothing but the path: delete it when the list changes)."""
    import gzip
    import json

    if cache is not None and cache.exists():
        return json.loads(cache.read_text(encoding="utf-8"))
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for n in names:
        by_first.setdefault(n[0], []).append(n)
    counts: dict[str, list[int]] = {}
    with gzip.open(ev.shared_root() / "data" / "vietnews" / "train.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            for part in (doc.get("abstract") or "", doc.get("body") or ""):
                toks = [m.group() for m in TOKEN_RE.finditer(part)]
                for j, t in enumerate(toks):
                    if not t[:1].isupper() or (cand := by_first.get(feature_key(t))) is None:
                        continue
                    for n in cand:
                        if len(n) > 1 and tuple(feature_key(x) for x in toks[j:j + len(n)]) != n:
                            continue
                        c = counts.setdefault(" ".join(n), [0, 0])
                        c[0] += 1
                        before = feature_key(toks[j - 1]) if j else ""
                        after = feature_key(toks[j + len(n)]) if j + len(n) < len(toks) else ""
                        c[1] += before in CLUB_CUES_BEFORE or after in CLUB_CUES_AFTER
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(counts, ensure_ascii=False), encoding="utf-8")
    return counts


VN_MIN_MENTIONS, VN_MAX_CUE_SHARE = 10, 0.02


def _not_a_club_in_news(c: list[int] | None) -> bool:
    """Rule 6: at least 10 capitalised mentions in VietNews train, under 2 % of them next to a club cue."""
    return c is not None and c[0] >= VN_MIN_MENTIONS and c[1] < VN_MAX_CUE_SHARE * c[0]


def low_cap_syllables() -> set[str]:
    """Syllables of the shipped model's vocabulary that unlabelled VietNews writes capitalised mid-sentence in
    under 30 % of their occurrences (capitalisation bins 2-7 of ``Featurizer.cap_bin``)."""
    z = np.load(DATA_DIR / "model.npz")
    vocab = str(z["vocab"]).split("\n")
    bins = z["capbins"].astype(np.int64)
    return {w for w, b in zip(vocab, bins) if 2 <= b <= 7}


def clean(rows: list[tuple[str, str]], cues: dict[str, list[int]] | None = None
          ) -> tuple[list[tuple[str, str]], dict[str, list[str]]]:
    """(rows with the GROUP names filtered, {reason: dropped names}); ``cues``: ``vietnews_cues`` (computed
    when None)."""
    places = {_keys(n) for typ, canon, al in load_tables() if typ == "LOC" for n in (canon, *al)}
    people = {_keys(n) for typ, canon, al in load_tables() if typ == "PER" for n in (canon, *al)}
    surnames = {_keys(line.strip()) for line in (DATA_DIR / "surnames.txt").read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.startswith("#")}
    hand = hand_groups()
    groups = {_keys(n) for c, n in rows if c == "GROUP"}
    votes = vlsp2016_votes(groups)
    lowcap = low_cap_syllables()
    if cues is None:
        cues = vietnews_cues(groups)
    dropped: dict[str, list[str]] = {"place": [], "person": [], "vlsp2016": [], "syllable": [], "english": [],
                                     "vietnews": []}
    out = []
    for cat, name in rows:
        k = _keys(name)
        if cat != "GROUP" or not k or k in hand or CLUB_KEYS.intersection(k):
            out.append((cat, name))
            continue
        v = votes.get(k, Counter())
        one = len(k) == 1
        reason = ("place" if k in places else
                  "person" if k in people or (one and k in surnames) else
                  "vlsp2016" if v["LOC"] + v["PER"] + v["O"] > v["ORG"] else
                  "syllable" if one and (k[0] in lowcap or (not name.isupper() and _vi_syllable(name))) else
                  "english" if one and k[0] in ENGLISH_KEYS else
                  "vietnews" if _not_a_club_in_news(cues.get(" ".join(k))) else None)
        if reason:
            dropped[reason].append(name)
        else:
            out.append((cat, name))
    return out, dropped


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--report", action="store_true", help="print every dropped name")
    args = ap.parse_args()
    rows = read_kb()
    kept, dropped = clean(rows, vietnews_cues({_keys(n) for c, n in rows if c == "GROUP"}, CUES))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        f.write("# kb_names.tsv with a cleaned GROUP list: built by training/ner/kb_clean.py (rule in its docstring)\n")
        for cat, name in kept:
            f.write(f"{cat}\t{name}\n")
    n_group = sum(c == "GROUP" for c, _ in rows)
    n_drop = sum(len(v) for v in dropped.values())
    print(f"GROUP names {n_group} -> {n_group - n_drop} ({n_drop} dropped; one-word "
          f"{sum(len(_keys(n)) == 1 for v in dropped.values() for n in v)}) -> {args.out}", file=sys.stderr)
    for r, names in dropped.items():
        shown = names if args.report else names[:25]
        print(f"  {r}: {len(names)}: {', '.join(shown)}{' …' if len(names) > len(shown) else ''}", file=sys.stderr)


if __name__ == "__main__":
    main()
