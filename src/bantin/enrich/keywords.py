"""Keywords: the few words and phrases that set an article apart from the archive.

The text is segmented into words against a shipped lexicon of two- and four-syllable words that hold together in
VietNews (``data/facts/phrases.tsv.gz``, with document frequencies; built by ``training/facts/build.py`` from
all of VietNews train): most Vietnamese words have two syllables, and "trí tuệ nhân tạo", "biến đổi khí hậu" are
one word (greedy from the left, four syllables before two). Candidates are those words, two adjacent
words that recur together in the article (kept whole as one phrase), and the
article's entity names; single syllables count only when they are foreign words ("AI", "Geneva"). Stop words and
candidates that begin or end with a function word are left out. Score: occurrences (title ×3) × IDF (the
lexicon's document frequencies; the rarest syllable's for names) — the top ``n``, no keyword inside another.
"""

from __future__ import annotations

import gzip
import math
import re
from functools import lru_cache
from importlib import resources

from bantin.dedup.features import _idf, syllables

__all__ = ["keywords"]

_FUNCTION = frozenset("""
và của cho trong là có được với các những một này đã để khi không cũng từ về theo đến tại sau trên ra đó như
nhiều vào bị thì nhưng sẽ nên còn hay lại mà nếu vì do rằng thể đang vẫn chỉ rất đều hơn nữa ở qua đi lên xuống
nhất mới vừa phải cần muốn nói biết làm thêm cùng bằng giữa trước tới lúc nào gì ai đâu sao bao họ tôi chúng
ta mình anh chị ông bà em cô chú bác này kia ấy đấy vậy thế nhé ạ à ơi thôi luôn ngay rồi chưa hết cả mỗi từng
việc điều cách sự cuộc những người năm ngày tháng giờ phút lần số bên phía nơi khác nhau ngoài dù tuy hoặc hoặc
gần khoảng trong ngoài được bởi tự đây hiện nay đồng thời tất chiếc cái con các gồm
""".split())
_STOP_LIST = ("cho biết", "cũng như", "tuy nhiên", "trong khi", "hiện nay", "thời gian", "bên cạnh", "sau khi",
              "trước đó", "theo đó", "vì vậy", "ngoài ra", "đồng thời", "có thể", "không có", "như vậy", "một số",
              "nhiều người", "hiện tại", "thực hiện", "trong đó", "cho rằng", "khẳng định", "chia sẻ", "ví dụ",
              "thậm chí", "nói chung", "đặc biệt", "cụ thể", "trước khi", "cùng với", "bao gồm", "liên quan",
              "tiếp tục", "quá trình", "vấn đề", "thông tin", "tình trạng", "trường hợp", "hoạt động", "kết quả",
              "nguyên nhân", "khả năng", "nhiều năm", "thời điểm", "phát triển", "quan tâm", "nhấn mạnh",
              "tổ chức", "xảy ra", "đối với", "tham gia", "được biết", "sử dụng", "mục tiêu", "nhằm", "giải quyết",
              "hình thành", "tăng cường", "phối hợp", "đề cập", "thảo luận", "đạt được", "quan trọng", "cơ hội",
              "cần thiết", "sẵn sàng", "nỗ lực", "lên tiếng", "hàng đầu", "vai trò", "lĩnh vực", "hành động",
              "quyết định", "tiềm ẩn", "giúp", "nghiêm trọng", "ngày càng", "mạnh mẽ", "đầu tiên", "lần đầu",
              "lần đầu tiên", "một cách", "trao đổi", "đồng quan điểm", "quan điểm", "đồng thuận", "hai bên",
              "cả hai", "hai nước", "nước này", "vừa qua", "gần đây", "mới đây", "trở thành", "đưa ra", "sn",
              "tp", "ttxvn", "pv", "clip", "video", "ảnh")
_FOREIGN = re.compile(r"^[A-Za-z][A-Za-z0-9.+-]*$")


@lru_cache(maxsize=1)
def _lexicon() -> tuple[dict[str, int], int]:
    path = resources.files("bantin") / "data" / "facts" / "phrases.tsv.gz"
    with gzip.open(path.open("rb"), "rt", encoding="utf-8") as fh:
        n = int(fh.readline().rstrip("\n").split("\t")[1])
        table = {}
        for line in fh:
            k, c = line.rstrip("\n").split("\t")
            table[k] = int(c)
    return table, n


def _segment(toks: list[str], lex: dict[str, int]) -> list[tuple[int, int]]:
    """(start, end) token ranges of words, left to right: a four-syllable word of the lexicon first ("trí tuệ
    nhân tạo"), else a pair — where two pairs overlap ("đoàn cưỡng" / "cưỡng chế", "kg ma" / "ma tuý") the more
    frequent one wins —, else a single syllable."""
    out, i, n = [], 0, len(toks)
    while i < n:
        if i + 3 < n and f"{toks[i]} {toks[i + 1]} {toks[i + 2]} {toks[i + 3]}" in lex:
            out.append((i, i + 4))
            i += 4
            continue
        here = lex.get(f"{toks[i]} {toks[i + 1]}") if i + 1 < n else None
        if here is not None:
            nxt = lex.get(f"{toks[i + 1]} {toks[i + 2]}") if i + 2 < n else None
            if nxt is None or here >= nxt:
                out.append((i, i + 2))
                i += 2
                continue
        out.append((i, i + 1))
        i += 1
    return out


_SURFACE = re.compile(r"[^\W_]+")
_CHUNK = re.compile(r"[^\W\d_]+(?:[^\S\n]+[^\W\d_]+)*")  # runs of words: punctuation and digits break them
_LEAD_WORDS = frozenset("huyện tỉnh xã quận phường thị thành ấp thôn xóm khu đường phố số tuổi quê trú".split())


def keywords(title: str, text: str, names: list[str] | None = None, n: int = 8) -> list[str]:
    """The top ``n`` keywords of an article (surface forms as first printed)."""
    lex, docs = _lexicon()
    idf, unk = _idf()
    stop = _STOP_SET

    def word_idf(key: str) -> float:
        return math.log((docs + 1) / (lex[key] + 1)) + 1.0

    scores: dict[str, float] = {}
    surface: dict[str, str] = {}
    pair_count: dict[str, int] = {}
    pair_idf: dict[str, float] = {}
    for part, weight in ((title, 3.0), (text, 1.0)):
        for chunk in _CHUNK.findall(part or ""):
            words = _SURFACE.findall(chunk)
            toks = syllables(chunk)
            if len(words) != len(toks):  # tokenisers disagree (rare): use the exact forms as surface
                words = toks
            good: list[tuple[int, int, str] | None] = []
            for a, b in _segment(toks, lex):
                key = " ".join(toks[a:b])
                if b - a == 1:
                    w = words[a]
                    good.append(None)
                    foreign = _FOREIGN.match(w) and ((w.isupper() and len(w) > 1) or (
                        w[0].isupper() and len(w) > 2 and key not in idf))
                    if not foreign or key in stop:
                        continue
                    sc = idf.get(key, unk)
                else:
                    if (toks[a] in _FUNCTION or toks[b - 1] in _FUNCTION or key in stop or toks[a] in _LEAD_WORDS
                            or all(x[:1].isupper() for x in words[a:b])
                            or any(x[:1].isupper() for x in words[a + 1:b])):
                        good.append(None)  # function words; names and words running into one (entities give them)
                        continue
                    good.append((a, b, key))
                    sc = word_idf(key)
                scores[key] = scores.get(key, 0.0) + weight * sc
                surface.setdefault(key, " ".join(words[a:b]))
            for x, y in zip(good, good[1:]):  # two adjacent words that recur together
                if x is None or y is None:
                    continue
                key = x[2] + " " + y[2]
                pair_count[key] = pair_count.get(key, 0) + (3 if weight > 1 else 1)
                pair_idf[key] = (word_idf(x[2]) + word_idf(y[2])) / 2
                surface.setdefault(key, " ".join(words[x[0]:y[1]]))
    for key, c in pair_count.items():
        if c >= 2:
            scores[key] = c * pair_idf[key] * 1.2
    for name in names or ():
        toks = syllables(name)
        key = " ".join(toks)
        if not toks or key in stop or (len(name) <= 3 and not name.isupper()) or name.endswith("."):
            continue
        tf = text.count(name) + 3 * title.count(name)
        if tf:
            scores[key] = max(scores.get(key, 0.0), tf * max(idf.get(t, unk) for t in toks))
            surface[key] = name
    ranked = sorted(scores, key=lambda k: (-scores[k], k))
    out: list[str] = []
    for k in ranked:
        if any(f" {k} " in f" {o} " or f" {o} " in f" {k} " for o in out):
            continue
        out.append(k)
        if len(out) == n:
            break
    return [surface[k] for k in out]


_STOP_SET = frozenset(_STOP_LIST)
