"""Reported speech the hand rules of ``quotes`` leave out: candidates from structure, kept by a learnt scorer.

The rules of ``quotes`` are precise (≈ 0.95 on articles never looked at) but every new set of articles brings
constructions they do not know (a speech verb they do not list, ``X phát tín hiệu rằng …``, ``Theo ý kiến chuyên
gia, …``, a subject they do not accept). This module proposes, wherever the rules found nothing, the clauses that the
*shape* of a sentence marks as possibly reported:

* ``rang`` — a content clause after ``rằng`` (whatever the verb before it);
* ``verb`` — a clause right after a word of a wider list of verbs of saying, telling, judging and accusing
  (``SPEECHY``, with or without a comma or colon);
* ``theo`` — ``Theo <source>, <clause>`` (also ``Cũng theo``, ``Trong khi đó theo``);
* ``theo_after`` — ``<sentence>, theo <source>.``

Each candidate is described by a few dozen string features (the verb and its last syllable, what separates it from
the clause, negation and passives before it, what the subject is — a person, a body, a pronoun, nothing —, how the
clause opens, whether it holds a tense word…) and scored by a logistic model learnt from the hand-labelled quote sets
(``training/quotes/train_recall.py``; weights in ``data/quotes/recall.json``). A candidate is kept when its
probability reaches the model's threshold and it overlaps no quote the rules found; its speaker is read by the same
speaker code as the rules' (``quotes._Finder``).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

_NB = r"(?![^\W\d_])"
_NA = r"(?<![^\W\d_])"

# verbs that can introduce what someone said, thought aloud, judged or charged (wider than the rules' lists: the
# scorer decides, per verb and context, whether the clause after it is reported speech)
SPEECHY = (
    "cho biết|cho hay|cho rằng|khẳng định|nhấn mạnh|tuyên bố|tiết lộ|nhận định|dự báo|dự đoán|cảnh báo|lưu ý"
    "|nêu rõ|giải thích|quả quyết|thổ lộ|bộc bạch|tâm sự|nhắn nhủ|khuyến cáo|nói|chia sẻ|thừa nhận|xác nhận"
    "|phủ nhận|bác bỏ|kể lại|kể|nhận xét|đánh giá|trình bày|khai nhận|khai|thông tin|thông báo|phát biểu"
    "|trả lời|viết|bình luận|nhớ lại|thốt lên|bày tỏ|phân tích|than|nêu|khuyên|chỉ rõ|chỉ ra|cam kết|phản ứng"
    "|đưa tin|lên tiếng|cáo buộc|cảnh cáo|đe doạ|đe dọa|doạ|dọa|thú nhận|tự nhận|hứa|hứa hẹn|ngụ ý|phản ánh"
    "|phản pháo|tố cáo|khoe|than thở|phàn nàn|công bố|báo cáo|xác định|kết luận|nhận thấy|nghĩ|hy vọng|hi vọng"
    "|mong|lo ngại|e ngại|đồng ý|đề nghị|kiến nghị|đề xuất|kêu gọi|yêu cầu|gợi ý|dặn|dặn dò|căn dặn|giãi bày"
    "|minh oan|biện minh|biện hộ|trần tình|bổ sung|nói thêm|tiếp lời|đáp|hỏi|chất vấn|nhắc|nhắc lại|ước tính"
    "|ước lượng|thống kê|ghi nhận|đoán|phỏng đoán|suy đoán|tin tưởng|khẳng quyết|phát tín hiệu|ra tín hiệu"
    "|thông tin thêm|thêm|tuyên án|kết án|cam đoan|bảo|dọa dẫm|lập luận|lý giải|nhìn nhận|tính toán|nhận xét rằng"
    "|nài nỉ"
)
_SPEECHY_RE = re.compile(_NA + r"(?P<verb>" + "|".join(
    sorted({v.replace(" ", r"\s+") for v in SPEECHY.split("|")}, key=len, reverse=True)) + r")" + _NB)
_SPEECHY_SET = frozenset(SPEECHY.split("|"))
_RANG = re.compile(_NA + r"rằng" + _NB)
_THEO = re.compile(r"(?:^|(?<=[.!?…]\s)|(?<=\n)|(?<=,\s))(?P<lead>(?:cũng|còn|và|nhưng|song|trong\s+khi\s+đó,?|"
                   r"tuy\s+nhiên,?|ngoài\s+ra,?|mặt\s+khác,?)\s+)?theo\s+(?P<src>[^,.!?:;\n“”\"()]{2,70}?)\s*,\s*")
_THEO_AFTER = re.compile(r",\s+theo\s+(?P<src>[^,.!?:;\n“”\"()]{2,60}?)\s*(?:[.!?](?=\s|$)|(?=\n|$))")
_ADVS = re.compile(r"(?:\s+(?:cũng|còn|thì|đã|vừa|từng|lại|liên\s+tục|nhiều\s+lần|đều|vẫn|chỉ|mới|luôn|thậm\s+chí"
                   r"|thường|thường\s+xuyên|nhanh\s+chóng|công\s+khai|trước\s+đó|sau\s+đó|ngay|đã\s+từng|cũng\s+đã))+$")
_NEG = re.compile(_NA + r"(?:không|chưa|chẳng|chả|đừng|chớ|từ\s+chối)" + _NB)
_TENSE = re.compile(_NA + r"(?:đã|sẽ|đang|vừa|mới|chưa|không|có\s+thể|cần|phải|là|được|bị|có|nên|vẫn|đều)" + _NB)
_PRON = re.compile(r"(?:ông|bà|anh|chị|cô|em|chú|bác|cụ|họ|tôi|chúng\s+tôi|mình|hắn|y|thị|nó|ông\s+ta|bà\s+ta"
                   r"|anh\s+ta|cô\s+ta|người\s+này|vị\s+này)$", re.IGNORECASE)

_SEP = re.compile(r"\s*(?:rằng\s*)?[,:]?\s*")
_LAST2 = re.compile(r"(?:\S+\s+)?\S+$")
_RANG_AFTER = re.compile(r"\s*rằng" + _NB)
_CLAUSE_OPEN = re.compile(r"\s*[,:]?\s*[^\W_]")
_RA = re.compile(r"\s+ra\s")
_PASSIVE_END = re.compile(_NA + r"(?:được|bị)\s*$")
_PASSIVE_IN = re.compile(_NA + r"(?:được|bị)" + _NB)


@dataclass(slots=True)
class Candidate:
    kind: str
    start: int  # the clause
    end: int
    cue_a: int  # the verb / "theo" source phrase
    cue_b: int
    para: int
    sent: int
    feats: list[str] = field(default_factory=list)
    phrase: object = None  # the speaker phrase (``speaker_phrase``), read once


def _syl(s: str) -> int:
    return len(s.split())


def _bucket(n: int, edges=(0, 1, 2, 3, 5, 8, 12, 20, 30)) -> str:
    for e in edges:
        if n <= e:
            return str(e)
    return "more"


def candidates(f, paras: list[tuple[int, int]], speakers: bool = True,
               skip: list[tuple[int, int]] | None = None) -> list[Candidate]:
    """Every candidate clause of the text of ``f`` (a ``quotes._Finder``), with its features; ``speakers=False``
    leaves the speaker phrase and its features out (``add_speaker`` adds them: reading a subject is the costly
    part, and most candidates are refused whatever their speaker); candidates overlapping a span of ``skip`` (the
    quotes already found) are left out before their features are read."""
    from bantin.enrich.quotes import _NOUN_OBJECT, _SAID_SO, _clause_end, _sentence_start, _subject_end

    text, low = f.text, f.low
    out: list[Candidate] = []
    skip = skip or []

    def taken(cs: int, ce: int) -> bool:
        return any(a < ce and cs < b for a, b in skip)

    for pi, (pa, pb) in enumerate(paras):
        if pb - pa < 20:
            continue
        seen_starts: set[int] = set()

        def clause_from(pos: int) -> int | None:
            m = _SEP.match(text, pos, pb)
            cs = m.end() if m else pos
            if cs >= pb or text[cs] in "“\"«" or _SAID_SO.match(low, cs):
                return None  # a direct quotation (the rules' own), or "nhận định như vậy tại …": said so, nothing new
            return cs

        for m in _THEO.finditer(low, pa, pb):
            cs = m.end()
            if cs in seen_starts or cs >= pb:
                continue
            ce = _clause_end(text, cs, pb, bare_and=False)
            if ce - cs < 8:
                continue
            seen_starts.add(cs)
            if taken(cs, ce):
                continue
            c = Candidate("theo", cs, ce, m.start("src"), m.end("src"), pi, _sentence_start(text, m.start(), pa))
            c.feats = _theo_feats(f, c, m.group("lead") or "")
            out.append(c)
        for m in _THEO_AFTER.finditer(low, pa, pb):
            s0 = _sentence_start(text, m.start(), pa)
            if m.start() - s0 < 8:
                continue
            if taken(s0, m.start()):
                continue
            c = Candidate("theo_after", s0, m.start(), m.start("src"), m.end("src"), pi, s0)
            c.feats = _theo_feats(f, c, "")
            out.append(c)
        for m in _RANG.finditer(low, pa, pb):
            cs = clause_from(m.end())
            if cs is None or cs in seen_starts:
                continue
            ce = _clause_end(text, cs, pb)
            if ce - cs < 8:
                continue
            # the verb: the (at most two) syllables right before "rằng"
            vb = m.start()
            while vb > pa and low[vb - 1] in " ,":
                vb -= 1
            vm = _LAST2.search(low[max(pa, vb - 30):vb])
            if vm is None:
                continue
            va = max(pa, vb - 30) + vm.start()
            two = " ".join(low[va:vb].split())
            three = re.search(r"\S+\s+" + re.escape(low[va:vb]) + "$", low[max(pa, va - 12):vb])
            if three is not None and " ".join(three.group().split()) in _SPEECHY_SET:
                va = max(pa, va - 12) + three.start()  # "phát tín hiệu rằng"
            elif two not in _SPEECHY_SET and (two.split()[-1] in _SPEECHY_SET
                                               or two.split()[-1] + " rằng" in _SPEECHY_SET):
                va = vb - len(low[va:vb].split()[-1])  # "Trump nói rằng": the verb is "nói"
            words = low[max(pa, m.start() - 40):m.start()].split()
            if negated(low, va, " ".join(low[va:vb].split())):
                continue
            seen_starts.add(cs)
            if taken(cs, ce):
                continue
            out.append(_make(f, "rang", cs, ce, va, vb, pi, pa, pb, words))
        for m in _SPEECHY_RE.finditer(low, pa, pb):
            after = low[m.end():m.end() + 12]
            if _RANG_AFTER.match(after):
                continue  # the "rang" candidate
            cs = clause_from(m.end())
            if cs is None or cs in seen_starts:
                continue
            if not _CLAUSE_OPEN.match(text, m.end(), m.end() + 4):
                continue
            if text[m.start()].isupper() and _sentence_start(text, m.start(), pa) != m.start() or any(
                    e[0] <= m.start() < e[1] for e in f.ents):
                continue  # "Trung tâm Dự báo khí tượng …": a word of a name, not a verb
            if _RA.match(low, m.end(), m.end() + 5) or _NOUN_OBJECT.match(low, cs):
                continue  # "nêu ra những quan ngại …", "tái khẳng định cam kết …": a noun as the verb's object
            ce = _clause_end(text, cs, pb)
            if ce - cs < 8:
                continue
            if negated(low, m.start(), " ".join(m.group("verb").split())):
                continue
            seen_starts.add(cs)
            if taken(cs, ce):
                continue
            words = low[max(pa, m.start() - 40):m.start()].split()
            out.append(_make(f, "verb", cs, ce, m.start(), m.end(), pi, pa, pb, words))
    if speakers:
        for c in out:
            add_speaker(f, c)
    return out


SPEAKER_KINDS = ("none", "per", "pron", "desc", "body")


def add_speaker(f, c: Candidate) -> None:
    """Read the candidate's speaker phrase and add the features that describe it."""
    ph = speaker_phrase(f, c)
    c.phrase = ph
    kind = "none" if ph is None else ph.kind
    c.feats.append("spk=" + kind)
    c.feats.append(f"k={c.kind}|spk={kind}")


_NEG_BEFORE = re.compile(r"(?<![^\W\d_])(?:không|chưa|chẳng|chả|từ\s+chối|không\s+hề|chưa\s+hề)"
                         r"(?:\s+(?:được|thể|muốn|dám|cần|nên|phải))?\s+$")
_NEG_OK = frozenset({"cho rằng", "phủ nhận", "bác bỏ"})  # "không cho rằng <clause>" still reports the clause


def negated(low: str, va: int, verb: str) -> bool:
    """"không cho biết lý do …", "từ chối bình luận": a refusal reports nothing (as the rules read it)."""
    return verb not in _NEG_OK and _NEG_BEFORE.search(low, max(0, va - 24), va) is not None


def _make(f, kind, cs, ce, va, vb, pi, pa, pb, words_before) -> Candidate:
    from bantin.enrich.quotes import _sentence_start, _subject_end

    text, low = f.text, f.low
    s0 = _sentence_start(text, va, pa)
    c = Candidate(kind, cs, ce, va, vb, pi, s0)
    verb = " ".join(low[va:vb].split())
    vclass = _vclass(verb)
    said, seen = speech_counts().get(verb, (0, 0))
    fs = [f"k={kind}", f"v={verb}", f"v1={verb.split()[-1] if verb else ''}", f"k={kind}|v={verb}", f"vc={vclass}",
          f"k={kind}|vc={vclass}", "vsp=" + _ratio_bin(said, seen), "vsaid=" + _bucket(said, (0, 20, 100, 1000))]
    sep = text[vb:cs]
    fs.append("sep=" + ("rang" if "rằng" in low[vb:cs] else ":" if ":" in sep else "," if "," in sep else "none"))
    se = _subject_end(text, va)
    subj = text[s0:se]
    lead = low[max(s0, va - 25):va]
    if _NEG.search(lead[-14:]):
        fs.append("neg")
    if _PASSIVE_END.search(lead):
        fs.append("passive_adj")
    elif _PASSIVE_IN.search(low, s0, va):
        fs.append("passive_in")
    am = _ADVS.search(low[max(s0, va - 30):va].rstrip())
    if am is not None:
        fs.append("adv=" + am.group().split()[-1])
    prev = words_before[-1] if words_before else "<s>"
    if kind == "rang":
        prev = words_before[-3] if len(words_before) >= 3 else "<s>"
    fs.append("prev=" + prev.strip(",.:;“”\""))
    # subject: the phrase after the last comma before the verb
    cut = max(subj.rfind(","), subj.rfind(";"), subj.rfind(":"), -1)
    sp = subj[cut + 1:].strip()
    fs.append("subj_syl=" + _bucket(_syl(sp)))
    fs.append(f"k={kind}|subj_syl=" + _bucket(_syl(sp), (0, 2, 6)))
    fs.append("subj_none" if not sp else "subj_cap" if sp[:1].isupper() else "subj_low")
    if sp:
        fs.append("subj_w1=" + sp.split()[0].lower())
        if _PRON.match(sp.split()[-1] if _syl(sp) == 1 else sp):
            fs.append("subj_pron")
    a_sub = s0 + max(cut + 1, 0)
    types = {e[2] for e in f.ents if a_sub <= e[0] and e[1] <= se}
    for t in sorted(types):
        fs.append("subj_ent=" + t)
    if any(c in text[s0:va] for c in "“”\""):
        fs.append("quote_before")
    if cut >= 0:
        fs.append("subj_after_comma")
    if s0 == pa:
        fs.append("para_first")
    # the clause
    cl = low[cs:ce]
    cw = cl.split()
    fs.append("c1=" + (cw[0].strip(",.:;“”\"") if cw else ""))
    fs.append("c2=" + " ".join(w.strip(",.:;“”\"") for w in cw[:2]))
    fs.append("c_syl=" + _bucket(len(cw)))
    tense = _TENSE.search(" ".join(cw[:10])) is not None
    if tense:
        fs.append("c_tense")
    fs.append(f"v={verb}|" + ("tense" if tense else "notense"))
    if text[cs:cs + 1].isupper():
        fs.append("c_cap")
    if any(c in text[cs:ce] for c in "“”\""):
        fs.append("c_quote")
    if ce < len(text) and text[ce:ce + 1] not in ".!?…\n" and ce < pb:
        fs.append("c_cut")
    if re.match(r"(?:sự|việc|những|các|một|cuộc|vấn\s+đề|thông\s+tin|ý\s+kiến|quan\s+điểm|kế\s+hoạch|tình\s+hình"
                r"|về|với|cho|tới|đến|lên|xuống|ra|vào|lại|qua|ở|tại|trong|trên)" + _NB, cl):
        fs.append("c_noun_or_prep")
    c.feats = fs
    return c


@lru_cache(maxsize=1)
def speech_counts() -> dict[str, tuple[int, int]]:
    """word -> (times it introduced "rằng" or a quotation, times seen) on unlabelled news
    (``training/quotes/speech_verbs.py``)."""
    out = {}
    text = resources.files("bantin").joinpath("data/quotes/speech_verbs.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            w, said, seen = line.split("\t")
            out[w] = (int(said), int(seen))
    return out


def _ratio_bin(said: int, seen: int) -> str:
    if not seen:
        return "unk"
    r = said / seen
    for edge in (0.3, 0.1, 0.03, 0.01, 0.003):
        if r >= edge:
            return str(edge)
    return "low"


@lru_cache(maxsize=1)
def _rule_verbs() -> tuple[re.Pattern, re.Pattern]:
    from bantin.enrich.quotes import _STRONG, _WEAK

    return re.compile(r"(?:" + _STRONG + r")"), re.compile(r"(?:" + _WEAK + r")")


def _vclass(verb: str) -> str:
    """How the rules of ``quotes`` know the verb: "strong" (reports whatever follows), "weak" (reports a
    proposition), or "other"."""
    strong, weak = _rule_verbs()
    if strong.fullmatch(verb):
        return "strong"
    return "weak" if weak.fullmatch(verb) else "other"


def _theo_feats(f, c: Candidate, lead: str) -> list[str]:
    text, low = f.text, f.low
    src = " ".join(low[c.cue_a:c.cue_b].split())
    sw = src.split()
    fs = [f"k={c.kind}", "src1=" + (sw[0] if sw else ""), "src2=" + " ".join(sw[:2]),
          "src_syl=" + _bucket(len(sw)), "lead=" + (lead.split()[0] if lead.strip() else "")]
    if text[c.cue_a:c.cue_a + 1].isupper():
        fs.append("src_cap")
    if "của" in sw:
        fs.append("src_cua")
        fs.append("src_head=" + " ".join(sw[:sw.index("của")][-2:]))
    types = {e[2] for e in f.ents if c.cue_a <= e[0] and e[1] <= c.cue_b}
    for t in sorted(types):
        fs.append("src_ent=" + t)
    cw = low[c.start:c.end].split()
    fs.append("c1=" + (cw[0].strip(",.:;“”\"") if cw else ""))
    fs.append("c_syl=" + _bucket(len(cw)))
    if _TENSE.search(" ".join(cw[:10])):
        fs.append("c_tense")
    if any(ch in text[c.start:c.end] for ch in "“”\""):
        fs.append("c_quote")
    if re.search(r"(?:quyết\s+định|kế\s+hoạch|phương\s+án|luật|nghị\s+định|thông\s+tư|quy\s+định|dự\s+kiến|lịch)" + _NB, src):
        fs.append("src_plan")
    return fs


@lru_cache(maxsize=1)
def model() -> tuple[dict[str, float], float, float]:
    """(weights, bias, threshold) of the shipped scorer."""
    data = json.loads(resources.files("bantin").joinpath("data/quotes/recall.json").read_text(encoding="utf-8"))
    return data["weights"], float(data["bias"]), float(data["threshold"])


@lru_cache(maxsize=1)
def _speaker_bound() -> dict[str, float]:
    """Per candidate kind, the most the speaker features can add to a candidate's score."""
    weights, _b, _t = model()
    return {k: max(weights.get("spk=" + s, 0.0) + weights.get(f"k={k}|spk={s}", 0.0) for s in SPEAKER_KINDS)
            for k in ("rang", "verb", "theo", "theo_after")}


def kept(f, paras: list[tuple[int, int]], skip: list[tuple[int, int]] | None = None) -> list[tuple[float, Candidate]]:
    """The candidates the scorer keeps, with their probability, among those overlapping no span of ``skip``
    (speakers read only where they can matter: the result is that of scoring every candidate with its speaker)."""
    weights, bias, threshold = model()
    bound = _speaker_bound()
    z_min = math.log(threshold / (1.0 - threshold))
    out = []
    for c in candidates(f, paras, speakers=False, skip=skip):
        z = bias + sum(weights.get(x, 0.0) for x in c.feats)
        if z + bound[c.kind] < z_min - 1e-9:
            continue
        add_speaker(f, c)
        p = probability(c.feats, weights, bias)
        if p >= threshold:
            out.append((p, c))
    return out


def probability(feats: list[str], weights: dict[str, float], bias: float) -> float:
    z = bias + sum(weights.get(x, 0.0) for x in feats)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def speaker_phrase(f, c: Candidate):
    """The speaker phrase of a candidate (a ``speakers.Phrase``) or None: read as the rules read a subject or a
    ``theo`` source; where they refuse one, the short chunk right before the verb (after the last comma, leading
    connectives dropped: "Mỹ cho rằng", "Thành phố cho rằng", "rất đông cổ động viên cho biết") as printed, with
    the entity it holds."""
    from bantin.enrich.quotes import _LEADING_JUNK, _subject_end
    from bantin.enrich.speakers import Phrase

    text = f.text
    if c.kind in ("theo", "theo_after"):
        return f.speaker(c.cue_a, c.cue_b, first=False)
    se = _subject_end(text, c.cue_a)
    if se <= c.sent:
        return None
    ph = f.subject(c.sent, c.cue_a, text[c.cue_b:c.start].strip().startswith(","))
    if ph is not None:
        return ph
    seg = text[c.sent:se]
    cut = max(seg.rfind(","), seg.rfind(";"), seg.rfind(":"), seg.rfind("“"), seg.rfind("\""), -1)
    a = c.sent + cut + 1
    while a < se and text[a] in " -–—(":
        a += 1
    jm = _LEADING_JUNK.match(text[a:se])
    if jm is not None:
        a += jm.end()
    rel = re.search(r"(?<![^\W\d_])(?:mà|điều\s+mà|nơi\s+mà)\s+", text[a:se], re.IGNORECASE)
    if rel is not None:
        a += rel.end()
    chunk = text[a:se].strip()
    if not chunk and cut >= 0:
        # "Đại tá X, trưởng Công an thành phố Y, xác nhận …": the verb right after an apposition; the person the
        # sentence starts with
        per = next((x for x in f.spk.mentions if c.sent <= x[0] <= c.sent + 40 and x[1] <= se), None)
        return f.spk.phrase(per[0], per[1]) if per is not None else None
    if not chunk or _syl(chunk) > 10 or _PRON.match(chunk) or re.search(
            _NA + r"(?:không|chưa|được|bị|khi|sau\s+khi|nếu|vì|để)" + _NB, chunk, re.IGNORECASE):
        return None
    ent = next((e for e in f.ents if a <= e[0] and e[1] <= se and e[2] in ("ORG", "LOC", "PER")), None)
    return Phrase(a, se, "body", chunk, entity=ent[3] if ent is not None else None)
