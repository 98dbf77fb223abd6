"""Who said what: direct quotes and reported speech, with their speakers.

``find_quotes(text, entities)`` → ``[Quote(start, end, speaker, speaker_role, speaker_entity)]``; ``start``/``end``
are offsets of what was said (inside the quotation marks, or the reported clause) in ``text``; ``entities`` are the
entity mentions of the same text (``enrich.ner`` spans: start, end, type, name).

Rules, in order:

* Direct quotes: text in “…”, "…" or «…»; a “ left open at the end of a paragraph runs on into the next
  paragraphs until its ”. A quotation is speech when an attribution sits next to it (``X nhấn mạnh: “…”``,
  ``“…”, ông X nói.``, ``Bà Thảo: “…”``), when a speech verb precedes it in its sentence, or when it is long
  enough to be said (six syllables or more) and stands as its own paragraph or sentence. Short quotations with
  no attribution — titles, nicknames, scare quotes ("lạm dụng") — and quotations right after words that name a
  title (bài hát, cuốn, giải, mang tên, tội…) are not quotes.
* Reported speech: ``SUBJECT VERB[,:| rằng] CLAUSE.`` with a speech verb (cho biết, khẳng định, nhấn mạnh, nói,
  chia sẻ…; the weak ones need the comma, colon or "rằng"), and ``Theo X, CLAUSE.`` when X is a person or a body.
  The clause runs to the end of the sentence; reported speech overlapping a direct quote is dropped.
* Speakers: the subject phrase (or the attribution's) is split into the person's name — the last PER entity in it,
  given by its canonical name ("ông Bân" → "Uông Văn Bân") — and the printed role around it ("Người phát ngôn Bộ
  Ngoại giao Trung Quốc"); a phrase that points back ("ông", "người phát ngôn này", "vị này") is the person last
  named before it; a phrase without a person ("Các nhân chứng", "Bộ Y tế") is the speaker as printed, with the
  organisation's canonical name in ``speaker_entity`` when it is one. A quote paragraph with no attribution of its
  own takes the speaker of the paragraph before it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

__all__ = ["Quote", "find_quotes"]


@dataclass(slots=True)
class Quote:
    start: int
    end: int
    speaker: str | None = None
    speaker_role: str | None = None
    speaker_entity: str | None = None
    direct: bool = True

    def to_dict(self, text: str) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": text[self.start:self.end], "speaker": self.speaker,
                "speaker_role": self.speaker_role, "speaker_entity": self.speaker_entity}


_NB = r"(?![^\W\d_])"
_NA = r"(?<![^\W\d_])"
_STRONG = (r"cho\s+biết|cho\s+hay|cho\s+rằng|khẳng\s+định|nhấn\s+mạnh|tuyên\s+bố|tiết\s+lộ"
           r"|nhận\s+định|dự\s+báo|dự\s+đoán|cảnh\s+báo|lưu\s+ý|nêu\s+rõ|giải\s+thích|quả\s+quyết|thông\s+tin\s+rằng"
           r"|nói\s+rằng|thổ\s+lộ|bộc\s+bạch|tâm\s+sự|nhắn\s+nhủ|khuyến\s+cáo")
_WEAK = (r"nói|chia\s+sẻ|thừa\s+nhận|xác\s+nhận|kể\s+lại|kể|nhận\s+xét|đánh\s+giá|trình\s+bày|khai\s+nhận|khai|thông\s+tin|thông\s+báo"
         r"|phát\s+biểu|trả\s+lời|hỏi|viết|bình\s+luận|nhớ\s+lại|thốt\s+lên|bày\s+tỏ|phân\s+tích|than|nêu|khuyên"
         r"|cam\s+kết|ghi|phản\s+ứng")
_VERB = r"(?:(?:cũng|còn|thì|đã|vừa|từng|lại|liên\s+tục|nhiều\s+lần)\s+)*(?P<verb>" + _STRONG + r"|" + _WEAK + r")" + _NB
_VERB_TAIL = (r"(?:\s+(?:thêm|tiếp|lại|ngay))?(?:\s+(?:với|trước|cùng)\s+[^,.:;“”\"\n]{1,60}?)?"
              r"(?:\s+(?:tại|trong|ở)\s+[^,.:;“”\"\n]{1,60}?)?")
_STRONG_RE = re.compile(r"(?:" + _STRONG + r")$", re.IGNORECASE)
_VERB_RE = re.compile(_NA + r"(?P<verb>" + _STRONG + r"|" + _WEAK + r")" + _NB)  # run over the lowercased text
_ADVERBS = re.compile(r"(?:\s+(?:cũng|còn|thì|đã|vừa|từng|lại|liên\s+tục|nhiều\s+lần))+$", re.IGNORECASE)
_TAIL_SEP = re.compile(_VERB_TAIL + r"(?P<sep>\s*(?:,\s*rằng|rằng|là)?\s*[:,]|\s+rằng" + _NB + r"|\s+(?=[^\W\d_]))")
_NEGATED = re.compile(r"(?:từ\s+chối|không|chưa|chẳng|khi|thì)" + _NB, re.IGNORECASE)
_LOI_CUA = re.compile(r"\s*[,.]?\s*(?:theo\s+|như\s+)?lời(?:\s+[^\s,.]+){0,3}?\s+(?:của\s+)", re.IGNORECASE)
_SAID_END = re.compile(r"(?:\s+(?:thêm|lại))?\s*(?:[.!?…]|$)")
_TAIL_END = re.compile(_VERB_TAIL + r"\s*(?:rằng|là)?\s*[:,]?\s*$")

_OPEN = "“\"«"
_CLOSE = {"“": "”", "\"": "\"", "«": "»"}
_TITLE_BEFORE = re.compile(
    r"(?:bài\s+hát|ca\s+khúc|bài|phim|bộ\s+phim|cuốn|sách|cuốn\s+sách|chương\s+trình|giải|chiến\s+dịch|dự\s+án|tác\s+phẩm"
    r"|album|vở|tiểu\s+thuyết|thông\s+điệp|khẩu\s+hiệu|tội|hành\s+vi|danh\s+hiệu|biệt\s+danh|tên|gọi\s+là|mang\s+tên"
    r"|có\s+tên|chủ\s+đề|cuộc\s+thi|gameshow|show|mục|chuyên\s+mục|thương\s+hiệu|nhãn\s+hiệu|dòng|gói|ứng\s+dụng"
    r"|biệt\s+hiệu|khái\s+niệm|cụm\s+từ|từ|chữ|câu\s+nói|ca\s+dao|tục\s+ngữ|slogan|hashtag|phong\s+trào|đề\s+án"
    r"|nghị\s+quyết|luật|hội\s+thảo|diễn\s+đàn|lễ\s+hội|tổ\s+chức|nhóm|đội|ban\s+nhạc|kênh|trang|báo|tờ|tạp\s+chí"
    r"|là|như|vị|được\s+gọi|bị\s+gọi|hay|dạng|kiểu|là\s+những)\s*$", re.IGNORECASE)
_HEAD_BEFORE = re.compile(r"(?:^|(?<=[.!?]\s))(?P<spk>[^.!?:;“”\"\n]{2,80}?)\s*:\s*$")
_THEO = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=\n))(?P<lead>[^.!?,\n]{0,40}?,\s*|(?:[Cc]ũng|[Cc]òn|[Vv]à)\s+)?[Tt]heo\s+"
                   r"(?:(?:thông\s+tin|nguồn\s+tin|lời|ý\s+kiến|thông\s+báo)\s+(?:từ|của)\s+)?(?P<spk>[^,.!?\n]{2,80}),\s*")
_THEO_NOT = re.compile(
    r"^(?:đó|đấy|kế\s+hoạch|quy\s+định|điều\s+tra|thống\s+kê|số\s+liệu|dự\s+kiến|dự\s+báo|báo\s+cáo|kết\s+quả|thông\s+tin|thông\s+báo"
    r"|nguồn|như|tôi|chúng\s+tôi|luật|nghị|quyết|lịch|tìm\s+hiểu|ghi\s+nhận|khảo\s+sát|phản\s+ánh|xác\s+minh|cáo\s+trạng"
    r"|hồ\s+sơ|tài\s+liệu|văn\s+bản|hợp\s+đồng|thỏa\s+thuận|thoả\s+thuận|chương\s+trình|đề\s+án|dự\s+án|phương\s+án"
    r"|thời\s+gian|lộ\s+trình|tiến\s+độ|truyền\s+thống|thông\s+lệ|hướng|định\s+hướng|cách|bảng|danh\s+sách|số|điều|khoản"
    r"|mục|chỉ\s+đạo|yêu\s+cầu|đề\s+nghị|sự|thời|mức|tỷ|tỉ|giá|xu|lời)", re.IGNORECASE)
_SPEAKERISH = re.compile(
    r"^(?:ông|bà|anh|chị|em|cô|chú|bác|cụ|thầy|giáo\s+sư|gs|pgs|ts|tiến\s+sĩ|thạc\s+sĩ|bác\s+sĩ|bs|luật\s+sư|ls|nhà|chuyên\s+gia"
    r"|đại\s+diện|lãnh\s+đạo|người|phó|trưởng|giám\s+đốc|tổng|chủ\s+tịch|thủ\s+tướng|bộ\s+trưởng|thứ\s+trưởng|cục|sở|bộ"
    r"|công\s+an|cơ\s+quan|ubnd|tổng\s+cục|viện|hội|ủy\s+ban|uỷ\s+ban|ban|công\s+ty|tập\s+đoàn|ngân\s+hàng|hãng|tờ|báo"
    r"|hlv|trung\s+tâm|bệnh\s+viện|trường|các|nhiều|một|giới|hiệu\s+trưởng|tướng|đại\s+tá|thượng\s+tá|trung\s+tá"
    r"|thiếu\s+tá|đại\s+úy|phát\s+ngôn|nguồn\s+tin|cảnh\s+sát|quân\s+đội|lực\s+lượng|nhân\s+chứng|nạn\s+nhân|gia\s+đình"
    r"|ca\s+sĩ|diễn\s+viên|cầu\s+thủ|tiền\s+đạo|thủ\s+môn|tiền\s+vệ|hậu\s+vệ|vđv|nữ|nam|cựu|đồng\s+chí|vị|phía|đài|kênh"
    r"|hãng\s+tin|phái\s+đoàn|vks|vksnd|tand|hđxx|thẩm\s+phán|công\s+tố\s+viên|kiểm\s+sát\s+viên|điều\s+tra\s+viên|chủ\s+đầu\s+tư|nhà\s+đầu\s+tư|giới\s+chức|nhà\s+chức\s+trách|doanh\s+nghiệp|cư\s+dân|khách\s+hàng|thông\s+cáo|báo\s+cáo|bản\s+tin|hội\s+đồng\s+xét\s+xử|tòa|toà|viện\s+kiểm\s+sát|cqđt|ủy\s+viên|ngoại\s+trưởng|tổng\s+thống|thống\s+đốc|đại\s+sứ|phóng\s+viên|pv|ngài|chính\s+phủ|nhà\s+trắng)" + _NB,
    re.IGNORECASE)


def _load_roles() -> re.Pattern:
    from importlib import resources

    words = []
    for line in (resources.files("bantin") / "data" / "ner" / "roles.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.append(re.escape(line.lower()).replace(r"\ ", r"\s+"))
    words.sort(key=len, reverse=True)
    return re.compile(r"^(?:" + "|".join(words) + r")" + _NB, re.IGNORECASE)


_ROLE_START = _load_roles()
_LEADING_JUNK = re.compile(
    r"^(?:(?:tuy\s+nhiên|đồng\s+thời|ngoài\s+ra|bên\s+cạnh\s+đó|trong\s+khi\s+đó|theo\s+đó|về\s+phần\s+mình|do\s+đó|vì\s+vậy"
    r"|thế\s+nhưng|nhưng|còn|và|mặt\s+khác|sau\s+đó|trước\s+đó|hiện|hiện\s+nay|cùng\s+quan\s+điểm|đáp\s+lại"
    r"|ngay\s+sau\s+đó|lúc\s+này|khi\s+đó|riêng|thậm\s+chí|cũng\s+theo|đặc\s+biệt|theo|cũng)\s*,?\s*)+",
    re.IGNORECASE)
_ANAPHOR = re.compile(
    r"^(?:ông|bà|anh|chị|cô|em|chú|bác|cụ|ngài|người\s+này|ông\s+này|bà\s+này|anh\s+này|chị\s+này|cô\s+này|vị\s+này"
    r"|nhân\s+vật\s+này|người\s+phát\s+ngôn\s+này|(?:nữ|nam)?\s*(?:ca\s+sĩ|diễn\s+viên|cầu\s+thủ|hlv|vị\s+[^\s]+|"
    r"[^\s]+\s+này)(?:\s+này)?|ông\s+ấy|bà\s+ấy|anh\s+ấy|chị\s+ấy|cô\s+ấy|họ|ông\s+ta|bà\s+ta|anh\s+ta|cô\s+ta|y|hắn)$",
    re.IGNORECASE)
_SENT_END = re.compile(r"[.!?…]+[”\"»]?(?=\s+[^\W\d_a-zđ]|\s+[“\"(]|\s*$)|\n")
_HONORIFIC = re.compile(r"^(?:ông|bà|anh|chị|cô|em|chú|bác|cụ|ngài|đồng\s+chí|đ/c)\s+", re.IGNORECASE)
_ROLE_TRIM = " ,-–—:()"
_VN_UPPER = re.compile(r"[A-ZĐÀ-ỸÁ-Ỵ]")


def _syllables(s: str) -> int:
    return len(s.split())


def _sentence_start(text: str, pos: int, floor: int) -> int:
    """Start of the sentence containing ``pos`` (not before ``floor``)."""
    best = floor
    for m in re.finditer(r"[.!?…]+[”\"»]?\s+(?=[^\W\d_]|[“\"])", text[floor:pos]):
        best = floor + m.end()
    return best


def _sentence_end(text: str, pos: int, ceil: int) -> int:
    m = _SENT_END.search(text, pos, ceil)
    if m is None:
        return ceil
    e = m.start()
    if text[e:e + 1] in ".!?…" and m.group().rstrip("”\"»")[-1:] in "!?":
        e = m.end() - (len(m.group()) - len(m.group().rstrip("”\"»")))
    return e


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _direct_spans(text: str, paras: list[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    """(content start, content end, open mark, close mark position) of each quotation."""
    out = []
    i, n = 0, len(text)
    while i < n:
        j = -1
        for ch in _OPEN:
            k = text.find(ch, i)
            if k >= 0 and (j < 0 or k < j):
                j = k
        if j < 0:
            break
        opener = text[j]
        closer = _CLOSE[opener]
        k = text.find(closer, j + 1)
        if opener == "“":
            # a curly quote may run over paragraphs; stop at another opening mark before the closer
            nxt = text.find("“", j + 1)
            if k < 0 or (0 <= nxt < k and "\n" not in text[j:nxt]):
                i = j + 1
                continue
            if "\n" in text[j:k] and text.count("\n", j, k) > 6:
                i = j + 1
                continue
        elif opener == "\"":
            nl = text.find("\n", j)
            if k < 0 or (nl >= 0 and k > nl):
                # a straight quote opening a paragraph may close in a later one ("…\n…", bà Hòa nói)
                pstart = text.rfind("\n", 0, j) + 1
                opens_para = not text[pstart:j].strip() or text[pstart:j].rstrip().endswith(":")
                if k < 0 or not opens_para or text.count("\n", j, k) > 6 or text[k - 1].isspace():
                    i = j + 1
                    continue
        else:
            if k < 0:
                i = j + 1
                continue
        if k > j + 1:
            out.append((j + 1, k, j, k))
        i = k + 1
    return out


def _entity_in(ents: list, a: int, b: int, typ: str) -> Any:
    last = None
    for e in ents:
        if e[0] >= a and e[1] <= b and e[2] == typ:
            last = e
    return last


def _last_person_before(ents: list, pos: int) -> Any:
    last = None
    for e in ents:
        if e[1] <= pos and e[2] == "PER":
            last = e
        elif e[0] >= pos:
            break
    return last


def _speaker(text: str, a: int, b: int, ents: list) -> tuple[str | None, str | None, str | None] | None:
    """(speaker, role, entity) of the phrase text[a:b]; None if it cannot be a speaker."""
    while a < b and text[a] in " ,-–—(":
        a += 1
    while b > a and text[b - 1] in " ,-–—":
        b -= 1
    phrase = text[a:b]
    jm = _LEADING_JUNK.match(phrase)
    if jm:
        a += jm.end()
        phrase = text[a:b]
    if not phrase or _syllables(phrase) > 18:
        return None
    comma = phrase.find(",")
    per = _entity_in(ents, a, a + comma, "PER") if comma > 0 else None  # "bà X, vợ ông Y": X
    if per is None:
        per = _entity_in(ents, a, b, "PER")
    if per is not None:
        role = (text[a:per[0]] + " " + text[per[1]:b]).strip(_ROLE_TRIM + " ")
        role = _HONORIFIC.sub("", role).strip(_ROLE_TRIM)
        if role.lower() in ("ông", "bà", "anh", "chị", "cô", "em", "chú", "bác", "cụ", "ngài", "đồng chí", ""):
            role = None
        return per[3], role, per[3]
    if _ANAPHOR.match(phrase.strip()):
        prev = _last_person_before(ents, a)
        if prev is None:
            return None
        role = None if _HONORIFIC.match(phrase + " ") or len(phrase.split()) == 1 else phrase
        if role is not None and role.lower().endswith(" này"):
            role = role[:-4].strip()
        return prev[3], role or None, prev[3]
    if not (_SPEAKERISH.match(phrase) or _ROLE_START.match(phrase) or _entity_in(ents, a, b, "ORG") is not None):
        return None
    if _syllables(phrase) > 14:
        return None
    org = _entity_in(ents, a, b, "ORG")
    return phrase, None, org[3] if org is not None else None


def _subject_end(text: str, verb_start: int) -> int:
    """End of the subject before a verb: adverbs like "cũng", "đã" are not part of it."""
    m = _ADVERBS.search(text, max(0, verb_start - 40), verb_start)
    e = m.start() if m is not None else verb_start
    while e > 0 and text[e - 1].isspace():
        e -= 1
    return e


def _introduced_with_role(text: str, pos: int, ents: list) -> str | None:
    """"Chuẩn đô đốc Mỹ cho biết": the person the article introduced earlier with that role ("Chuẩn đô đốc Colin
    Kilrain"); None when no one was, or when the phrase is plural or indefinite."""
    lead = re.match(r"(?:cựu|nữ|nam|tân|vị|ngài)\s+", text[pos:pos + 12], re.IGNORECASE)
    if lead is not None:
        pos += lead.end()
    m = _ROLE_START.match(text[pos:pos + 80])
    if m is None or m.group().lower() in ("ông", "bà", "anh", "chị", "cô", "chú", "bác", "cụ", "em", "cháu"):
        return None
    role = m.group().lower()
    low = text.lower()
    found = None
    i = low.find(role)
    while 0 <= i < pos:
        after = i + len(role)
        per = next((x for x in ents if x[2] == "PER" and after <= x[0] <= after + 2), None)
        if per is not None:
            found = per[3]
        i = low.find(role, i + 1)
    return found


def _subject(text: str, sent_start: int, verb_start: int, ents: list):
    """Speaker of a verb: the phrase after the last comma before it; "Name, Role, cho biết" gives the name;
    "…, nhưng nói rằng" (no subject of its own) gives the person the sentence starts with."""
    e = _subject_end(text, verb_start)
    if e - sent_start > 200:
        sent_start = e - 200
    seg = text[sent_start:e]
    if any(c in seg for c in "“”\""):
        q = max(seg.rfind(c) for c in "“”\"")
        sent_start += q + 1
        seg = text[sent_start:e]
    cuts = [sent_start - 1, *[sent_start + i for i, ch in enumerate(seg) if ch in ",;:"]]
    for k in range(len(cuts) - 1, -1, -1):
        c = cuts[k]
        chunk = text[c + 1:e]
        stripped = _LEADING_JUNK.sub("", chunk.strip())
        if not stripped:
            if k == len(cuts) - 1:  # "…, nhưng nói rằng": the sentence's subject
                first = next((x for x in ents if sent_start <= x[0] < sent_start + 30 and x[2] == "PER"), None)
                if first is not None:
                    return first[3], None, first[3]
            continue
        spk = _speaker(text, c + 1, e, ents)
        if spk is None:
            continue
        if spk[2] is None or _entity_in(ents, c + 1, e, "PER") is None:
            # "Bà Nguyễn Thị Phương Thảo, Tổng giám đốc Vietjet Air cho biết": the name before the apposition
            # "Ông X, Chủ tịch xã Y, Thanh Trì cho biết": a chunk that is only a name, one or two chunks back
            for j in range(k - 1, max(-1, k - 3), -1):
                lo, hi = cuts[j], cuts[j + 1]
                prev = next((x for x in ents if x[2] == "PER" and lo < x[0] <= lo + 14 and hi - 3 <= x[1] <= hi), None)
                if prev is not None:
                    role = text[hi + 1:e].strip(_ROLE_TRIM + " ")
                    return prev[3], role or None, prev[3]
            named = _introduced_with_role(text, c + 1 + len(chunk) - len(chunk.lstrip()), ents)
            if named is not None:
                return named, chunk.strip(_ROLE_TRIM + " ") or None, named
        return spk
    return None


def find_quotes(text: str, entities: list | None = None) -> list[Quote]:
    """Direct quotes and reported speech in ``text`` with their speakers (see the module docstring)."""
    if not text:
        return []
    ents = sorted((e["start"], e["end"], e["type"], e.get("name") or e["text"]) if isinstance(e, dict) else
                  (e.start, e.end, e.type, e.name or e.text) for e in (entities or []))
    paras = _paragraphs(text)
    starts = [a for a, _b in paras]
    low = text.lower()
    if len(low) != len(text):  # a rare character changed length: match the text as it is
        low = text
    quotes: list[Quote] = []
    direct = _direct_spans(text, paras) if any(c in text for c in _OPEN) else []

    def para_index(pos: int) -> int:
        return max(0, bisect_right(starts, pos) - 1)

    last_speaker_by_para: dict[int, tuple] = {}
    pending: list[tuple[Quote, int, bool]] = []  # quotes with nobody named next to them: after reported speech
    for cs, ce, om, cm in direct:
        content = text[cs:ce]
        pi = para_index(om)
        pa, _pb = paras[pi]
        pe = paras[para_index(cm)][1]
        s0 = _sentence_start(text, om, pa)
        before = text[s0:om]
        spk = None
        adjacent = False
        # attribution before: "X nhấn mạnh: “", "X cho biết “", "Bà Thảo: “"
        verbs = list(_VERB_RE.finditer(low, s0, om))
        if verbs:
            v = verbs[-1]
            if _TAIL_END.match(low, v.end(), om) and (before.rstrip().endswith((":", ","))
                                                        or _STRONG_RE.search(v.group("verb"))):
                spk = _subject(text, s0, v.start(), ents)
                adjacent = True
        if spk is None:
            h = _HEAD_BEFORE.search(text, s0, om)
            if h is not None:
                spk = _speaker(text, h.start("spk"), h.end("spk"), ents)
                adjacent = adjacent or spk is not None
        # attribution after: "”, ông X nói."
        if spk is None and cm + 1 < pe:
            tail_end = _sentence_end(text, cm + 1, pe)
            v = _VERB_RE.search(low, cm + 1, min(tail_end + 1, cm + 160))
            if v is not None and re.match(r"\s*[,.!?…]?\s*[-–—]?\s*\S", text[cm + 1:v.start()] + " x"):
                gap = text[cm + 1:v.start()]
                if not any(c in gap for c in "“\".!?") or gap.strip(" ,.!?…-–—")[:1].isalpha():
                    spk = _speaker(text, cm + 1, _subject_end(text, v.start()), ents)
                    adjacent = adjacent or spk is not None
        # "”, bà Thảo trình bày." / "”, như lời căn dặn của Chủ tịch Hồ Chí Minh.": a person named right after the
        # closing mark, in a short clause that ends the sentence, said it (whatever the verb)
        if spk is None and cm + 1 < pe:
            tail_end = _sentence_end(text, cm + 1, pe)
            tail = text[cm + 1:tail_end]
            lm = _LOI_CUA.match(tail)
            lead = lm.end() if lm is not None else len(tail) - len(tail.lstrip(" ,-–—"))
            if tail[:lead].strip(" ,-–—") == "" or lm is not None:
                per = next((x for x in ents if x[2] == "PER" and cm + 1 + lead <= x[0] <= cm + 1 + lead + 12
                            and x[1] <= tail_end), None)
                if per is not None and _syllables(tail) <= 14:
                    spk, adjacent = (per[3], None, per[3]), True
        # a speech verb earlier in the sentence: "phái đoàn nhấn mạnh ... phải “…”"
        if spk is None and verbs:
            spk = _subject(text, s0, verbs[-1].start(), ents)
        syl = _syllables(content)
        if spk is None or (not adjacent and syl < 6):
            # a quotation with nobody named next to it is speech only if long and standing on its own
            if syl < 6 or _TITLE_BEFORE.search(before[-40:]):
                continue
            own = not text[pa:om].strip(" -–—") or text[s0:om].strip() == "" or text[pa:om].rstrip().endswith(":")
            if not own and syl < 10:
                continue
            if spk is None:
                q = Quote(cs, ce, direct=True)
                quotes.append(q)
                pending.append((q, pi, own))
                continue
        q = Quote(cs, ce, *(spk or (None, None, None)), direct=True)
        quotes.append(q)
        if spk is not None:
            for k in range(pi, para_index(cm) + 1):
                last_speaker_by_para[k] = spk
    # reported speech, sentence by sentence
    taken = [(q.start - 1, q.end + 1) for q in quotes]
    for pi, (pa, pb) in enumerate(paras):
        if pb - pa < 20:
            continue
        for v in _VERB_RE.finditer(low, pa, pb):
            end = _SAID_END.match(low, v.end(), pb)
            t = None if end is not None else _TAIL_SEP.match(low, v.end(), pb)
            if t is None:
                if end is not None:  # "…, các quan chức cho biết thêm.": the attribution closes the sentence
                    s0 = _sentence_start(text, v.start(), pa)
                    comma = text.rfind(",", s0, v.start())
                    subj = text[comma + 1:v.start()]
                    if comma > s0 and not any(c in text[s0:comma] for c in _OPEN) and _syllables(subj) <= 10 \
                            and not _NEGATED.search(subj):
                        spk = _speaker(text, comma + 1, _subject_end(text, v.start()), ents)
                        if spk is not None and comma - s0 >= 12 and not any(
                                not (comma <= a or s0 >= b) for a, b in taken):
                            quotes.append(Quote(s0, comma, *spk, direct=False))
                            taken.append((s0, comma))
                continue
            if not t.group("sep").strip() and not _STRONG_RE.search(v.group("verb")):
                continue
            cstart = t.end()
            while cstart < pb and text[cstart].isspace():
                cstart += 1
            if cstart >= pb or text[cstart] in _OPEN:
                continue
            cend = _sentence_end(text, cstart, pb)
            if cend - cstart < 12 or any(not (cend <= a or cstart >= b) for a, b in taken):
                continue
            s0 = _sentence_start(text, v.start(), pa)
            if _subject_end(text, v.start()) <= s0:
                continue  # "Được biết, ..." has no subject
            spk = _subject(text, s0, v.start(), ents)
            if spk is None:
                continue
            quotes.append(Quote(cstart, cend, *spk, direct=False))
            taken.append((cstart, cend))
        if "heo " in text[pa:pb]:
            for m in _THEO.finditer(text, pa, pb):
                phrase = m.group("spk").strip()
                if _THEO_NOT.match(phrase):
                    continue
                if not (_SPEAKERISH.match(phrase) or _ROLE_START.match(phrase) or any(
                        x[2] in ("PER", "ORG") and m.start("spk") <= x[0] <= m.start("spk") + 6 for x in ents)):
                    continue  # "Theo chủ trương của X": a source, not a speaker
                spk = _speaker(text, m.start("spk"), m.end("spk"), ents)
                if spk is None:
                    continue
                cstart = m.end()
                cend = _sentence_end(text, cstart, pb)
                if cend - cstart < 12 or any(not (cend <= a or cstart >= b) for a, b in taken):
                    continue
                quotes.append(Quote(cstart, cend, *spk, direct=False))
                taken.append((cstart, cend))
    for q in quotes:
        if not q.direct and q.speaker is not None:
            last_speaker_by_para.setdefault(para_index(q.start), (q.speaker, q.speaker_role, q.speaker_entity))
    for q, pi, own in pending:  # a quote paragraph with no attribution: the speaker of the paragraph before
        spk = last_speaker_by_para.get(pi - 1) if own else last_speaker_by_para.get(pi)
        if spk is not None:
            q.speaker, q.speaker_role, q.speaker_entity = spk
    quotes.sort(key=lambda q: q.start)
    return quotes
