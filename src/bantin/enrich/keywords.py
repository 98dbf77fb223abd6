"""Keywords: the few words and phrases that set an article apart from the archive.

The text is segmented into multi-syllable words by greedy longest match against a shipped lexicon of syllable
pairs and triples that hold together in VietNews (``data/facts/phrases.tsv.gz``, with document frequencies;
built by ``training/facts/build.py``), so "trí tuệ nhân tạo" stays whole. Candidates are those words plus the
article's entity names; single syllables count only when they are foreign words ("AI", "Geneva"). Stop words
and phrases that begin or end with a function word are left out. Score: occurrences (title ×3) × IDF (the
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
              "cả hai", "hai nước", "nước này", "vừa qua", "gần đây", "mới đây", "trở thành", "đưa ra")
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
    """(start, end) token ranges of words: triples, then pairs, then single syllables."""
    out, i, n = [], 0, len(toks)
    while i < n:
        if i + 2 < n and f"{toks[i]} {toks[i + 1]} {toks[i + 2]}" in lex:
            out.append((i, i + 3))
            i += 3
        elif i + 1 < n and f"{toks[i]} {toks[i + 1]}" in lex:
            out.append((i, i + 2))
            i += 2
        else:
            out.append((i, i + 1))
            i += 1
    return out


_SURFACE = re.compile(r"[^\W_]+")


def keywords(title: str, text: str, names: list[str] | None = None, n: int = 8) -> list[str]:
    """The top ``n`` keywords of an article (surface forms as first printed)."""
    lex, docs = _lexicon()
    idf, unk = _idf()
    stop = _STOP_SET
    scores: dict[str, float] = {}
    surface: dict[str, str] = {}
    for part, weight in ((title, 3.0), (text, 1.0)):
        if not part:
            continue
        words = _SURFACE.findall(part)
        toks = syllables(part)
        if len(words) != len(toks):  # tokenisers disagree (rare): use the exact forms as surface
            words = toks
        for a, b in _segment(toks, lex):
            key = " ".join(toks[a:b])
            if b - a == 1:
                w = words[a]
                if not (_FOREIGN.match(w) and len(w) > 1 and (w[0].isupper() or w.isupper())) or key in stop:
                    continue
                sc = idf.get(key, unk)
            else:
                if toks[a] in _FUNCTION or toks[b - 1] in _FUNCTION or key in stop:
                    continue
                if any(t.isdigit() for t in toks[a:b]):
                    continue
                sc = math.log((docs + 1) / (lex[key] + 1)) + 1.0
            scores[key] = scores.get(key, 0.0) + weight * sc
            surface.setdefault(key, " ".join(words[a:b]))
    for name in names or ():
        toks = syllables(name)
        key = " ".join(toks)
        if not toks or key in scores or key in stop:
            continue
        tf = text.count(name) + 3 * title.count(name)
        if tf:
            scores[key] = tf * max(idf.get(t, unk) for t in toks)
            surface[key] = name
    ranked = sorted(scores, key=lambda k: (-scores[k], k))
    out: list[str] = []
    for k in ranked:
        if any(k in o or o in k for o in out):
            continue
        out.append(k)
        if len(out) == n:
            break
    return [surface[k] for k in out]


_STOP_SET = frozenset(_STOP_LIST)
