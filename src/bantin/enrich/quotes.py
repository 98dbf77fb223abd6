"""Who said what: direct quotes and reported speech, with their speakers.

``find_quotes(text, entities)`` → ``[Quote(start, end, speaker, speaker_role, speaker_entity)]``; ``start``/``end``
are offsets of what was said (inside the quotation marks, or the reported clause) in ``text``; ``entities`` are the
entity mentions of the same text (``enrich.ner`` spans: start, end, type, name).

Two steps. **Finding** quotes and the phrase that attributes each:

* Direct quotes: text in “…”, "…" or «…» (a “ closed by a straight " or the other way round in the same paragraph
  counts); a “ left open at the end of a paragraph runs on into the next paragraphs until its ”. A quotation is
  speech when an attribution sits next to it (``X nhấn mạnh: “…”``, ``“…”, ông X nói.``, ``Bà Thảo: “…”``, ``“…”,
  “…”, như lời của X``: a chain of quotations shares the attribution after the last), when a speech verb precedes
  it in its sentence, or when it is long enough to be said (six syllables or more) and stands as its own paragraph
  or sentence. Short quotations with no attribution — titles, nicknames, scare quotes ("lạm dụng") — and
  quotations right after words that name a title (bài hát, cuốn, giải, mang tên, tội…) are not quotes; a quotation
  inside a reported clause ("Báo chí cho biết, mối tình … gói gọn trong mấy chữ “…”") is part of that clause.
* Reported speech: ``SUBJECT VERB[,:| rằng] CLAUSE.`` with a speech verb (cho biết, khẳng định, nhấn mạnh, nói,
  chia sẻ…; the weak ones need the comma, colon, "rằng" or a tense word after them: "khai đã nhận"), and
  ``Theo X, CLAUSE.`` / ``Theo lời (trình báo, đánh giá…) của X, CLAUSE.`` when X is a person, a body or a document
  that states findings (``Theo bản án/cáo trạng/báo cáo/kết luận (của X), …``). Verbs whose bare object is what was
  said ("SCMP đưa tin hải quan … tịch thu", "Điền khai tiền giả …") need no comma; the others need a clause with its
  own subject and predicate ("kể lại kẻ tấn công đã hét …"), and "khẳng định như vậy khi …" reports nothing. The clause
  runs to the end of the sentence, or to a colon that opens a direct quote; reported speech overlapping a direct
  quote is dropped. A subject that is a subordinate clause ("Sau khi nghe X trình bày, …") is not a speaker; in
  ``Name, role, place cho biết`` the name is; a country standing alone as the subject ("Triều Tiên xác nhận …")
  speaks for its government. The dot of "TP." or of an initial ends no sentence. "X cáo buộc <clause>" reports the
  clause (not a charge, "bị/với cáo buộc", nor a participle "…, cáo buộc …"); a second verb after "và"/"đồng thời"
  with no comma starts a second quote of the same subject; "Theo nguồn tin, …" and "…, như Reuters đưa tin, …"
  report (a Vietnamese outlet's "Như Tuổi Trẻ Online đưa tin" is the paper's own story); "là" after a verb of saying
  proper opens the clause ("khẳng định là …"); in an interview (paragraphs opening with a dash) a first-person answer
  ("- Tôi khẳng định là …") is the interviewee's: the person quoted last outside the interviewer's lines, else the
  one the article names first; "Ông X: \" …" never closed ends with its paragraph. A subject headed by a common
  noun of people or bodies ("Hải quân Đài Loan", "nhân viên khu bảo tồn", "Thanh tra tỉnh") speaks with its
  modifiers; a time adverbial before the verb ("hồi tháng trước") is not part of it; "nhưng"/"trong khi" with no
  comma open a new subject; a passive's agent ("được các chuyên gia dự báo …") is the speaker; a second verb after
  "X <verb> <object> và" or ", thậm chí" has the first verb's subject; "cảnh cáo rằng …", "doạ …: “…”" report (a bare
  "doạ sẽ bắn …" does not); a bare clause opening with a name and its predicate ("nói Trump che giấu …") is what was
  said; "nói trên" before a predicate means "aforementioned".

**Resolving** each attribution phrase to a speaker, in text order (``enrich.speakers``): a name in it (canonical,
"ông Bân" → "Uông Văn Bân", with the printed role apart: "Người phát ngôn Bộ Ngoại giao Trung Quốc"); a pronoun
("ông", "Cô") → the latest person of that gender; a description ("người phát ngôn này", "thủ môn 22 tuổi", a role
introduced earlier) → that person; a group or body ("Các nhân chứng", "Bộ Y tế") as printed, with the
organisation's canonical name in ``speaker_entity``. A quotation with no attribution of its own takes the speaker
of the paragraph (or one of the two paragraphs) before it, or of the sentence right after it that names who said it
("“…”. Đó là những chia sẻ của ông X").
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from bantin.enrich.speakers import _DOC_HEAD, UPPER, Phrase, Said, Speakers

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
_STRONG = (r"cho\s+biết|cho\s+hay|cho\s+(?:pv|phóng\s+viên|báo\s+giới|chúng\s+tôi|báo|tờ)(?:\s+[^\s,.:;“”\"]+){0,5}?\s+biết|cho\s+rằng|khẳng\s+định|nhấn\s+mạnh|tuyên\s+bố|tiết\s+lộ"
           r"|nhận\s+định|dự\s+báo|dự\s+đoán|cảnh\s+báo|lưu\s+ý|nêu\s+rõ|giải\s+thích|quả\s+quyết|thông\s+tin\s+rằng"
           r"|nói\s+rằng|thêm\s+rằng|thổ\s+lộ|bộc\s+bạch|tâm\s+sự|nhắn\s+nhủ|khuyến\s+cáo")
_WEAK = (r"nói|chia\s+sẻ|thừa\s+nhận|xác\s+nhận|phủ\s+nhận|bác\s+bỏ|kể\s+lại|kể|nhận\s+xét|đánh\s+giá|trình\s+bày|khai\s+nhận|khai|thông\s+tin|thông\s+báo"
         r"|phát\s+biểu|trả\s+lời|hỏi|viết|bình\s+luận|nhớ\s+lại|thốt\s+lên|bày\s+tỏ|phân\s+tích|than"
         r"|nêu\s+(?:rõ\s+)?quan\s+điểm|nêu|khuyên|chỉ\s+rõ"
         r"|cam\s+kết|ghi|phản\s+ứng|(?<!người\s)đưa\s+tin|lên\s+tiếng|cáo\s+buộc|cảnh\s+cáo|đe\s+(?:doạ|dọa)|(?<!đe\s)(?:doạ|dọa)")
_VERB = r"(?:(?:cũng|còn|thì|đã|vừa|từng|lại|liên\s+tục|nhiều\s+lần)\s+)*(?P<verb>" + _STRONG + r"|" + _WEAK + r")" + _NB
_VERB_TAIL = (r"(?:\s+(?:thêm|tiếp|lại|ngay|rõ))?(?:\s+(?:với|trước|cùng)\s+[^,.:;“”\"\n]{1,60}?)?"
              r"(?:\s+(?:tại|trong|ở|trên)\s+[^,.:;“”\"\n]{1,60}?)?")
_STRONG_RE = re.compile(r"(?:" + _STRONG + r")$", re.IGNORECASE)
_STRONG_AT = re.compile(r"(?:" + _STRONG + r")" + _NB)
_VERB_RE = re.compile(r"(?!nói\s+trên\s+(?:đã|đang|sẽ|vừa|bị|được|là|cũng|vẫn|không|chưa|có|đều|thì|và|của|này|với|cho|từ"
                      r"|khi|vào|mới|còn)(?![^\W\d_]))(?<!những\s)(?<!các\s)(?<!một\s)(?<!mọi\s)(?<!lời\s)(?<!bài\s)(?<!cuộc\s)(?<!buổi\s)(?<!sự\s)"
                      r"(?<!nhiều\s)(?<!cười\s)(?<!thăm\s)(?:(?<!không\s)(?<!chưa\s)|(?=phủ\s+nhận|cho\s+rằng))(?<!chối\s)(?<!đưa\sra\s)(?<!câu\s)(?<!mối\s)"
                      r"(?<!hợp\s)(?<!đổi\s)(?<!cấp\s)(?<!triển\s)(?<!công\s)(?<!tờ\s)(?<!kê\s)(?<!biết\s)" + _NA + r"(?P<verb>" + _STRONG + r"|" + _WEAK + r")" + _NB)
# ("nhóm thanh tra nói trên đã cấu kết …": "aforementioned", not "said"; "nói trên kênh CNBC" is "said on")
# (run over the lowercased text; not after a word that makes it a noun: "những thông tin", "lời khai", "bài phát biểu",
# "đặt câu hỏi", "phối hợp/trao đổi/cung cấp thông tin", "đưa ra bình luận"; "triển khai", "công khai" are
# not "khai", "cho biết thông tin" is a noun; not negated: "không cho biết", "từ chối
# bình luận" report nothing; "không phủ nhận" does)
# the first syllables of the speech verbs: a cheap test before _VERB_RE (which costs three times as much)
_VERB_HINT = re.compile(r"(?<![^\W\d_])(?:cho|khẳng|nhấn|tuyên|tiết|nhận|dự|cảnh|lưu|nêu|giải|quả|thông|nói|thổ|bộc|tâm"
                        r"|nhắn|khuyến|chia|thừa|xác|phủ|bác|kể|đánh|trình|khai|phát|trả|hỏi|viết|bình|nhớ|thốt|bày"
                        r"|phân|than|khuyên|cam|ghi|phản|đưa|lên|thêm|chỉ|cáo|đe|doạ|dọa)(?![^\W\d_])")
_ADVERBS = re.compile(r"(?:\s+(?:cũng|còn|thì|đã|vừa|từng|lại|liên\s+tục|nhiều\s+lần|đều|vẫn|chỉ|mới|luôn|thậm\s+chí|thường\s+xuyên"
                      r"|(?<!hàng\s)(?<!phòng\s)(?<!chân\s)(?<!trên\s)không|chưa"  # (only "không phủ nhận", "không cho rằng"
                      # reach here: other negated verbs say nothing; "chuyên gia hàng không cho rằng" keeps its noun)
                      r"|sau\s+đó|trước\s+đó|hôm\s+nay|hôm\s+qua|tối\s+qua|sáng\s+nay|chiều\s+nay|tối\s+nay|mới\s+đây|gần\s+đây"
                      r"|vừa\s+qua|(?:(?:sáng|chiều|tối|trưa|đêm|hôm|ngày)\s+)*\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?"
                      # "Giới chức y tế Ấn Độ hồi tháng trước cho hay", "Các nhà khoa học Anh tuần trước cho biết"
                      r"|(?:vào\s+|hồi\s+)?(?:tuần|tháng|năm)\s+(?:trước|qua|rồi|ngoái|này)|hồi\s+(?:đầu\s+|giữa\s+|cuối\s+)?(?:tuần|tháng|năm)(?:\s+[^\s,.;:]+){1,2}"
                      r"|(?:vào\s+)?(?:sáng|chiều|tối|trưa|đêm|hôm)\s+(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|\d)|chủ\s+nhật)))+$",
                      re.IGNORECASE)
_TENSE_AFTER = r"(?P<tense>(?<=\s)(?=(?:đã|sẽ|đang|vừa|mới|chưa|từng|có\s+thể|không\s+thể|không\s+hề|cần|phải)\s))?"
_TAIL_SEP = re.compile(_VERB_TAIL + r"(?P<sep>\s*(?:,\s*rằng|rằng|là)?\s*[:,]|\s+rằng" + _NB + r"|\s+(?=[^\W_]))" + _TENSE_AFTER)
# a verb of saying proper takes "là" as "rằng" ("Tôi khẳng định là anh Bảy Chắc biết …", "nói là …"); after the others
# it is a copula ("xác nhận là người bào chữa", "hỏi rõ là …")
_TAIL_SEP_LA = re.compile(_VERB_TAIL + r"(?P<sep>\s*(?:,\s*rằng|rằng|là)?\s*[:,]|\s+(?:rằng|là)" + _NB + r"|\s+(?=[^\W_]))"
                          + _TENSE_AFTER)
# plain verbs of saying: a tense word after them starts what was said ("khai đã nhận", "thông báo đã mở")
_SAYING = re.compile(r"nói|khai|kể|thông\s+báo|thừa\s+nhận|xác\s+nhận|phủ\s+nhận|trả\s+lời|chia\s+sẻ|trình\s+bày"
                     r"|thông\s+tin|viết|bác\s+bỏ|đưa\s+tin|lên\s+tiếng")
_REQUEST = re.compile(r"(?:(?:[Ôô]ng|[Bb]à|[Aa]nh|[Cc]hị|[Cc]ô|[Hh]ọ)(?:\s+" + UPPER + r"\S*){0,3}\s+|(?:" + UPPER + r"\S*\s+){1,4})?"
                      r"(?:đề\s+nghị|yêu\s+cầu|kêu\s+gọi)" + _NB)
# what "tuyên bố" says without a comma or "rằng" starts with a tense, a subject or a pronoun ("tuyên bố sẽ rút")
_PROPOSITION = re.compile(r"(?:(?:\S+\s+){0,6}?(?<!và\s)(?:đã|sẽ|đang|vừa|không|chưa|vẫn|là|có\s+thể|cần|phải)" + _NB + "|" + UPPER
                          + r"|(?:ông|bà|họ|chúng|mình|nước\s+này"
                          r"|tổ\s+chức\s+này)" + _NB + ")")
# verbs of saying or judging that report a clause with no comma or "rằng" after them when that clause has a subject
# and a predicate of its own: "Ông Vương nói Bắc Kinh trông đợi …", "đánh giá tình hình vẫn còn …", "thông tin hai nữ
# hành khách này có nguy cơ …", "nói do có sự cầu thị …" (not "nói chuyện với …", "đánh giá cao …")
_BARE_SAYING = re.compile(r"nói|thừa\s+nhận|xác\s+nhận|phủ\s+nhận|đánh\s+giá|nhận\s+xét|thông\s+tin|thông\s+báo|kể\s+lại")
# verbs whose bare object is what was said whatever its shape: an outlet reporting ("SCMP đưa tin hải quan … tịch
# thu …"), a suspect's statement ("Điền khai tiền giả trên mua của Thành") — not their compounds and nouns
# ("khai thác", "khai trương", "đưa tin về …")
_BARE_ANY = re.compile(r"đưa\s+tin|khai")
_BARE_ANY_NOT = re.compile(
    r"(?:thác|trương|mạc|giảng|báo|sinh|hoang|phá|tử|quang|thông|triển|hỏa|hoả|man|tâm|chiến|căn|thuế|xuân|bút"
    r"|phóng|vấn|khẩn|mở|thị|trừ|ra|với|rằng|về|này|đó|ấy|trên|cho|lúc|vào|từ|tại|sai|nhầm|gian|dối|láo|không|là|và"
    r"|nhanh|tiếp|thêm|lại|đưa|hồ\s+sơ|tờ|lý\s+lịch|nhân\s+khẩu|những|các|một|nhiều|thật|hết|rõ|quật|khẩu|hóa|hoá"
    r"|mào|khoáng|phát|sáng|lập|quốc|giao|thiên|minh|ân|hội)(?![^\W\d_])")
# "Ông cáo buộc phe đối lập nỗ lực …", "Jens Stoltenberg cũng cáo buộc Nga vi phạm …": an accusation by a subject
# of its own reports its content clause; not a charge ("bị cáo buộc", "với cáo buộc", "bác bỏ cáo buộc"), nor a
# participle after another verb ("…, cáo buộc nước này …"), nor "cáo buộc này/trên/về …" (the noun)
_CHARGE = re.compile(r"cáo\s+buộc")
_CHARGE_BEFORE = re.compile(r"(?:(?<![^\W\d_])(?:bị|được|với|về|trước|theo|các|những|lời|ra|bỏ|nhận|nhiều|mọi|một|là|có"
                            r"|đối\s+mặt|vì|do|nếu|số|tra|vụ|tội|tin|đơn)|[,;:(])\s*$"
                            r"|(?<![^\W\d_])(?:bị|được)\s+(?:[^\s,.;:]+\s+){1,4}$")  # ("bị EU cáo buộc": passive)
_CHARGE_NOT = re.compile(r"(?:này|đó|trên|của|về|liên\s+quan|nói\s+trên|là|nhằm|mà|được|bị|tương\s+tự|như|và|nêu|hình\s+sự"
                         r"|chống|đối\s+với|với|từ|tại|trong|sai|vô\s+căn\s+cứ|không|nào)(?![^\W\d_])")
_BARE_CLAUSE = re.compile(
    r"(?!(?:chuyện|về|với|lời|câu|gì|những\s+gì|thêm|cao|thấp|lại|qua|riêng|chung|sơ\s+bộ|kết\s+quả|kế\s+hoạch|lịch|thời\s+gian"
    r"|tin|không|chưa|ra|lên|to|nhỏ|dối|thật|đùa|xấu|tốt|mức|chất\s+lượng|hiệu\s+quả|tác\s+động|mình(?!\s+là\s)|chính\s+thức"
    r"|này|đó|ấy|kia|trên|tới|đến|cho|vào|và)"  # "thông tin này đã …": the noun, not the verb
    r"(?![^\W\d_]))"
    r"(?:do\s+(?:có|đã|không|chưa|bị|được)|(?:ông|bà|anh|chị|họ|tôi|chúng\s+tôi|hắn|nó|mình)\s+(?:có|bị|được|thấy|biết|là)"
    r"|(?:[^\s,.;:!?“”\"]+\s+){1,8}?(?<!và\s)(?<!để\s)(?:đã|sẽ|đang|vừa|không|chưa|vẫn|còn"
    r"|cũng|là|có\s+thể|có\s+nguy\s+cơ|cần|phải|nên|trông\s+đợi|muốn|bị|được))(?![^\W\d_])")
# ("ông có quan hệ …": a pronoun and its verb; "chuyến bay … bị huỷ": a passive predicate)
_NOUN_OBJECT = re.compile(r"(?:sự(?!\s+(?:việc|cố|kiện|thật)(?![^\W\d_]))|cam\s+kết(?!\s+(?:sẽ|không|là|rằng))|quyết\s+tâm(?!\s+(?:sẽ|không))|lập\s+trường"
                          r"|tầm\s+quan\s+trọng|vai\s+trò|thông\s+tin\s+này|điều\s+này)" + _NB)
# "nhận định sự phát triển … của kinh tế châu Á, trong đó có Việt Nam đã thúc đẩy …": "sự …" as the subject of a
# predicate of its own is a clause, not a noun object
# "… đã cam kết làm sạch sông nhưng các nhà quan sát … cho hay": a contrast opens a clause with a subject of its own
_BUT = re.compile(r"(?<![^\W\d_])(?:nhưng|trong\s+khi(?!\s+(?:đó|ấy|này)(?![^\W\d_])))(?= )", re.IGNORECASE)
_NAME_CLAUSE_NOT = re.compile(r"và|với|cùng|của|về|ở|tại|trong|thì|mà|hay|hoặc|hôm|ngày|sáng|chiều|tối|trên|dưới|qua|bằng"
                              r"|rằng|này|đó|ấy|cho|từ|sau|trước|khi|để|vì|nên|như|theo|năm|tháng|tuần|lúc|vào|tới|đến")
_PASSIVE_AGENT = re.compile(r"(?<![^\W\d_])(?:được|bị)\s+(?P<agent>[^\W\d_][^,;:“”\"()]{1,50})$")
_SU_CLAUSE = re.compile(r"sự(?:\s+[^\s.;:!?“”\"]+){1,16}?\s+(?:đã|sẽ|đang|vừa)\s+[^\W\d_]")
_SAID_SO = re.compile(r"(?:như\s+(?:vậy|thế|trên)|điều\s+(?:này|đó))(?:\s+(?:khi|tại|với|trong|trước|sau|ở)(?![^\W\d_])|\s*[.,;!?]|\s*$)")
_DO_LA = re.compile(r"[ \t]*[.!?…]?[ \t]*\n?[ \t]*(?:Đó|Đây)\s+là\s+(?:những\s+|một\s+)?(?:lời\s+|câu\s+)?(?:chia\s+sẻ|tâm\s+sự"
                    r"|bộc\s+bạch|khẳng\s+định|nhận\s+định|kể|nói|trải\s+lòng|phát\s+biểu|tâm\s+sự|lời)"
                    r"(?:\s+[^,.;:!?\n“”\"]{0,40}?)?\s+của\s+(?P<spk>[^.;!?\n“”\"]{2,120})")
_COORD_END = re.compile(r"\s(?:và|cũng\s+như|rồi|đồng\s+thời|nhưng|song)\s*$", re.IGNORECASE)
_COLON_QUOTE = re.compile(r":\s*[“\"«]")
# "cho hay X, đồng thời tuyên bố Y", "cho hay X, nhấn mạnh rằng Y": a second verb of the same subject says Y
_SECOND = r"(?:(?:đồng\s+thời|và|thậm\s+chí)(?:\s+(?:cũng|còn))?\s+(?:" + _STRONG + r")|(?:" + _STRONG + r")\s+rằng)" + _NB
_SECOND_VERB_COMMA = re.compile(r",\s*" + _SECOND, re.IGNORECASE)
# ("… biên giới" và cho biết ông đang …": after a verb's clause, "và"/"đồng thời" and a second verb need no comma)
_SECOND_VERB = re.compile(r"(?:,\s*|\s(?=(?:đồng\s+thời|và)\s))" + _SECOND, re.IGNORECASE)
_SUBORDINATE = re.compile(r"(?:sau\s+khi|khi|trước\s+khi|nếu|để|vì|mặc\s+dù|dù|trong\s+khi|lúc|bởi\s+vì|tuy)\s", re.IGNORECASE)
_APPOSITION = re.compile(r"(?:\d+\s+tuổi|sn\s*\d+|\(?\d{4}\)?$|(?:sinh\s+năm|sống\s+(?:ở|tại)|quê|trú|ngụ|thường\s+trú"
                         r"|đến\s+từ|ở\s+)(?![^\W\d_]))", re.IGNORECASE)
_PP_BEFORE_PRONOUN = re.compile(
    r"(?:trong|tại|qua|sau|trước|ở)\s+(?:một\s+|các\s+|những\s+)?(?:cuộc|buổi|bài|lần|phiên|cuộc\s+họp|họp|hội\s+nghị"
    r"|hội\s+thảo|chương\s+trình|thông\s+điệp|bức\s+thư|lá\s+thư|tuyên\s+bố|phát\s+biểu)(?![^\W\d_])[^,;:“”\"]{0,60}?\s"
    r"(?=(?:ông|bà|anh|chị|cô|họ)(?:\s+(?:ấy|ta))?$)", re.IGNORECASE)
_PHIA = re.compile(r"phía\s+\S", re.IGNORECASE)
_NEGATED = re.compile(r"(?:từ\s+chối|không|chưa|chẳng|khi|thì)" + _NB, re.IGNORECASE)
_LOI_CUA = re.compile(r"\s*[,.]?\s*(?:theo\s+|như\s+)?lời(?:\s+[^\s,.]+){0,3}?\s+(?:của\s+)", re.IGNORECASE)
_SAID_END = re.compile(r"(?:\s+(?:thêm|lại))?\s*(?:[.!?…]|$)")
_TAIL_END = re.compile(_VERB_TAIL + r"\s*(?:rằng|là)?\s*[:,]?\s*$")

# what follows a straight mark that closes a quotation (", bà X nói." / " - thiếu tá X kể" / ".): punctuation, a dash
# or the end of the line, never a word; VietNews' tokenised text puts spaces around both marks ("… hay sao? \n", …)
_CLOSER_AFTER = re.compile(r"[ \t]*(?:[,.;:!?…)]|[-–—]\s|\n|$)")
_OPEN = "“\"«"
# "…, như Reuters/AP/CNN đưa tin, …": a foreign agency (a name in plain Latin letters, no tense) is a source; a
# Vietnamese outlet ("Như Tuổi Trẻ Online đưa tin", "Như VnExpress đã đưa tin") is the paper's own earlier story
_AGENCY = re.compile(r"(?:(?:hãng\s+(?:tin|thông\s+tấn)|đài|kênh|tờ)\s+)?[A-Z][A-Za-z.&'-]*(?:\s+[A-Z][A-Za-z.&'-]*){0,3}")
_OWN_PAPER = re.compile(r"(?:(?:hãng\s+(?:tin|thông\s+tấn)|đài|kênh|tờ)\s+)?(?:VnExpress|Zing|VietNamNet|Vietnamnet|VOV|VTV|VTC|VNA"
                        r"|TTXVN|Infonet|Kenh14|PLO|VnEconomy|Soha|Kienthuc|VietnamPlus|Vietnamplus|SGGP|CAND)(?![A-Za-z])")
# an interview's answer: "- Tôi khẳng định là …" (a paragraph opening with a dash, the first person saying it)
_ANSWER = re.compile(r"[-–—+]\s*(?:Tôi|Chúng\s+tôi|Em|Chúng\s+em)(?:\s+(?:cũng|chỉ|xin|đã|vẫn|thì|rất|có\s+thể))*\s*$")
_QUESTION = re.compile(r"\s*[*•]|[^\n]*\?\s*$")  # an interviewer's line ("* Có lẽ GS X đã đồng cảm … cho rằng “…”")
_HEAD_COLON = re.compile(r"[^\W\d_][^.!?:;“”\"\n]{1,60}:\s*$")  # "Ông Lê Hồng Tịnh: " at a paragraph's head
_CLOSE = {"“": "”", "\"": "\"", "«": "»"}
_TITLE_BEFORE = re.compile(
    r"(?:bài\s+hát|ca\s+khúc|bài|phim|bộ\s+phim|cuốn|sách|cuốn\s+sách|chương\s+trình|giải|chiến\s+dịch|dự\s+án|tác\s+phẩm"
    r"|album|vở|tiểu\s+thuyết|thông\s+điệp|khẩu\s+hiệu|tội|hành\s+vi|danh\s+hiệu|biệt\s+danh|tên|gọi\s+là|mang\s+tên"
    r"|có\s+tên|chủ\s+đề|cuộc\s+thi|gameshow|show|mục|chuyên\s+mục|thương\s+hiệu|nhãn\s+hiệu|dòng|gói|ứng\s+dụng"
    r"|biệt\s+hiệu|khái\s+niệm|cụm\s+từ|từ|chữ|câu\s+nói|ca\s+dao|tục\s+ngữ|slogan|hashtag|phong\s+trào|đề\s+án"
    r"|nghị\s+quyết|luật|hội\s+thảo|diễn\s+đàn|lễ\s+hội|tổ\s+chức|nhóm|đội|ban\s+nhạc|kênh|trang|báo|tờ|tạp\s+chí"
    r"|là|như|vị|được\s+gọi|bị\s+gọi|hay|dạng|kiểu|là\s+những)\s*$"
    r"|(?:tên|có\s+tên|mang\s+tên|tựa\s+đề|nhan\s+đề|tiêu\s+đề|chủ\s+đề|khẩu\s+hiệu|thông\s+điệp)\s*:\s*$",  # "có tên: “…”"
    re.IGNORECASE)
_THEO_BEFORE = re.compile(r"(?<![^\W\d_])[Tt]heo\s+(?P<spk>[^,.!?:;\n“”\"]{2,60}?),\s*$")
_HEAD_BEFORE = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=\n)|(?<=[”\"»],\s)|(?<=[”\"»]\s)|(?<=[”\"»];\s))(?P<spk>[^.!?:;“”\"\n]{2,80}?)\s*:\s*$")
_THEO = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=\n))(?P<lead>[^.!?,\n]{0,40}?,\s*|(?:[Cc]ũng|[Cc]òn|[Vv]à)\s+)?[Tt]heo\s+"
                   r"(?:(?P<noun>(?i:thông\s+tin|nguồn\s+tin|lời\s+kể|lời|ý\s+kiến|thông\s+báo|trình\s+báo|đánh\s+giá|phân\s+tích"
                   r"|nhận\s+định|tiết\s+lộ|chia\s+sẻ|giải\s+thích|tin\s+tức|báo\s+cáo|kết\s+luận))\s+(?:mới\s+nhất\s+)?"
                   r"(?:[^,.!?\n]{1,80}?\s)??(?:từ|của|trên)\s+"  # "Theo báo cáo <its title> của IFAD, …"
                   r"|(?P<loi>lời(?:\s+kể)?)\s+(?=(?:ông|bà|anh|chị|cô|em|chú|bác|cụ|ngài|thầy)\s))?"  # "Theo lời bà X, …"
                   r"(?P<spk>(?:[^,.!?\n]|(?<=TP)\.|(?<=Tp)\.){2,80}),\s*")
_MARKED = re.compile(r"[^\u0300-\u036f][\u0300-\u036f]+", re.S)
_THEO_AFTER = re.compile(r",\s+theo\s+(?P<spk>[^,.!?:;\n“”\"()]{2,60}?)\s*(?:[.!?](?=\s|$)|(?=\n|$))")
# a court's judgment, an indictment, a report, an inspection's findings: what they state is reported speech of the
# document (its issuer when "của X" names one: the speaker is then X)
_THEO_DOC = re.compile(r"(?:bản\s+án|cáo\s+trạng|báo\s+cáo|kết\s+luận|quảng\s+cáo)(?![^\W\d_])", re.IGNORECASE)
# ("Theo quảng cáo, …": an advertisement states what follows; "Theo thống kê, …" stays unattributed: the held-out
# and held-out H labellers read it differently)
_THEO_NOT = re.compile(
    r"^(?:đó|đấy|kế\s+hoạch|quy\s+định|điều\s+tra|thống\s+kê|số\s+liệu|dự\s+kiến|dự\s+báo|báo\s+cáo|kết\s+quả|thông\s+tin|thông\s+báo"
    r"|nguồn(?!\s+tin)|như|tôi|chúng\s+tôi|luật(?!\s+sư)|nghị|quyết|lịch|tìm\s+hiểu|ghi\s+nhận|khảo\s+sát|phản\s+ánh|xác\s+minh|cáo\s+trạng"
    r"|hồ\s+sơ|tài\s+liệu|văn\s+bản|hợp\s+đồng|thỏa\s+thuận|thoả\s+thuận|chương\s+trình|đề\s+án|dự\s+án|phương\s+án"
    r"|thời\s+gian|lộ\s+trình|tiến\s+độ|truyền\s+thống|thông\s+lệ|hướng|định\s+hướng|cách|bảng|danh\s+sách|số|điều|khoản"
    r"|mục|chỉ\s+đạo|yêu\s+cầu|đề\s+nghị|sự|thời|mức|tỷ|tỉ|giá|xu|lời)" + _NB, re.IGNORECASE)  # whole syllables: "Giáo hội" is not "giá"
_SPEAKERISH = re.compile(
    # common nouns heading people and bodies, with whatever modifies them ("Hải quân Đài Loan", "nhân viên khu bảo
    # tồn", "binh sĩ Israel", "quan chức Mỹ")
    r"^(?:nhân\s+viên|hải\s+quân|không\s+quân|lục\s+quân|hải\s+quan|binh\s+sĩ|binh\s+lính|quân\s+nhân|bộ\s+đội|quan\s+chức"
    r"|sĩ\s+quan|chính\s+quyền|cán\s+bộ|nhóm|đoàn|giáo\s+viên|học\s+sinh|sinh\s+viên|bệnh\s+nhân|tài\s+xế|nông\s+dân"
    r"|ngư\s+dân|công\s+nhân|cử\s+tri|du\s+khách|hành\s+khách|nghị\s+sĩ|thượng\s+nghị\s+sĩ|hạ\s+nghị\s+sĩ|đại\s+biểu"
    r"|phi\s+công|thuyền\s+trưởng|kỹ\s+sư|kĩ\s+sư|bác\s+sỹ|y\s+tá|điều\s+dưỡng|hàng\s+xóm|dân\s+làng|nhân\s+dân|phe|đảng"
    r"|liên\s+minh|thủy\s+thủ|thuỷ\s+thủ|lính|chiến\s+binh|nhân\s+sự|thanh\s+tra|kiểm\s+toán|quốc\s+hội|thượng\s+viện"
    r"|hạ\s+viện|nội\s+các|bộ\s+tư\s+lệnh|hạm\s+đội|chi\s+cục|kho\s+bạc)" + _NB + r"|"
    r"^(?:ông|bà|anh|chị|em|cô|chú|bác|cụ|thầy|giáo\s+sư|gs|pgs|ts|tiến\s+sĩ|thạc\s+sĩ|bác\s+sĩ|bs|luật\s+sư|ls|nhà|chuyên\s+gia"
    r"|đại\s+diện|lãnh\s+đạo|người|phó|trưởng|giám\s+đốc|tổng|chủ\s+tịch|thủ\s+tướng|bộ\s+trưởng|thứ\s+trưởng|cục|sở|bộ"
    r"|công\s+an|cơ\s+quan|ubnd|tổng\s+cục|viện|hội|ủy\s+ban|uỷ\s+ban|ban|công\s+ty|tập\s+đoàn|ngân\s+hàng|hãng|tờ|báo"
    r"|hlv|trung\s+tâm|bệnh\s+viện|trường|các|nhiều|một|giới|hiệu\s+trưởng|tướng|đại\s+tá|thượng\s+tá|trung\s+tá"
    r"|thiếu\s+tá|đại\s+úy|phát\s+ngôn|nguồn\s+tin|tình\s+báo|hiệp\s+hội|giáo\s+hội|cảnh\s+sát|quân\s+đội|lực\s+lượng|nhân\s+chứng|nạn\s+nhân|gia\s+đình"
    r"|ca\s+sĩ|diễn\s+viên|cầu\s+thủ|tiền\s+đạo|thủ\s+môn|tiền\s+vệ|hậu\s+vệ|vđv|nữ|nam|cựu|đồng\s+chí|vị|phía|đài|kênh"
    r"|hãng\s+tin|phái\s+đoàn|truyền\s+thông|hãng\s+thông\s+tấn|thông\s+tấn\s+xã|chuyên\s+trang|trang|tạp\s+chí|nhật\s+báo|văn\s+phòng|vks|vksnd|tand|hđxx|thẩm\s+phán|công\s+tố\s+viên|kiểm\s+sát\s+viên|điều\s+tra\s+viên|chủ\s+đầu\s+tư|nhà\s+đầu\s+tư|giới\s+chức|nhà\s+chức\s+trách|doanh\s+nghiệp|cư\s+dân|khách\s+hàng|thông\s+cáo|báo\s+cáo|bản\s+tin|hội\s+đồng\s+xét\s+xử|tòa|toà|viện\s+kiểm\s+sát|cqđt|ủy\s+viên|ngoại\s+trưởng|tổng\s+thống|thống\s+đốc|đại\s+sứ|phóng\s+viên|pv|ngài|chính\s+phủ|nhà\s+trắng)" + _NB,
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
    r"|ngay\s+sau\s+đó|lúc\s+này|khi\s+đó|lúc\s+đó|riêng|thậm\s+chí|cũng\s+theo|đặc\s+biệt|theo|cũng|dù\s+vậy|(?-i:như)"
    r"|mặc\s+dù\s+vậy|tuy\s+vậy|vì\s+thế|bởi\s+vậy|do\s+vậy|nếu\s+vậy|trước\s+tình\s+hình\s+này|trong\s+khi"
    r"|(?:tại|trong)(?=\s+(?:văn\s+bản|công\s+văn|thông\s+báo|thông\s+cáo|báo\s+cáo|tờ\s+trình|kết\s+luận|bức\s+thư|lá\s+thư)\s))"
    r"(?![^\W\d_])\s*,?\s*)+",
    re.IGNORECASE)
# "TP. HCM", "Tp. Hồ Chí Minh": the dot of an abbreviation inside a name ends no sentence
_NOT_ABBR = r"(?<!TP)(?<!Tp)(?<!TX)(?<!Tx)(?<!\s[A-ZĐ])"  # nor the dot of an initial ("chị Quách Thị T. (SN 1985)")
_SENT_END = re.compile(_NOT_ABBR + r"[.!?…]+[”\"»]?(?=\s+[^\W\d_a-zđ]|\s+[“\"(]|\s*$)|\n")
_HONORIFIC = re.compile(r"^(?:ông|bà|anh|chị|cô|em|chú|bác|cụ|ngài|đồng\s+chí|đ/c)\s+", re.IGNORECASE)
_ROLE_TRIM = " ,-–—:()"




def _verbs(low: str, a: int, b: int):
    """Speech verbs in low[a:b] (what ``_VERB_RE.finditer`` gives): the cheap first-syllable pattern finds where to
    try the full one."""
    last = a
    for h in _VERB_HINT.finditer(low, a, b):
        if h.start() < last:
            continue
        m = _VERB_RE.match(low, h.start(), b)
        if m is not None:
            last = m.end()
            yield m


def _lower(text: str) -> str:
    """The text lowercased for the verb patterns (the text itself if lowercasing changes its length); "Bài" in a name
    ("Nội Bài cho biết") stays capitalised, so it is not "bài" (a piece: "bài phát biểu") before a verb."""
    low = text.lower()
    if len(low) != len(text):
        return text
    if "Bài " in text:
        for m in re.finditer(r"(?<![^\W\d_])([^\W\d_])[^\W\d_]{0,6}\s(Bài)(?=\s)", text):
            if m.group(1).isupper():
                low = low[:m.start(2)] + "B" + low[m.start(2) + 1:]
    return low


def _syllables(s: str) -> int:
    return len(s.split())


_SENT_START = re.compile(_NOT_ABBR + r"[.!?…]+[”\"»]?\s+(?=[^\W\d_]|[“\"])")


def _sentence_start(text: str, pos: int, floor: int) -> int:
    """Start of the sentence containing ``pos`` (not before ``floor``)."""
    best = floor
    for m in _SENT_START.finditer(text[floor:pos]):
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


def _clause_end(text: str, pos: int, ceil: int, bare_and: bool = True) -> int:
    """End of a reported clause: the sentence's end, a colon that opens a direct quote ("…, rằng X: “…”"), or a
    second speech verb of the same subject ("…, đồng thời tuyên bố …")."""
    e = _sentence_end(text, pos, ceil)
    m = _COLON_QUOTE.search(text, pos, e)
    if m is not None:
        return m.start()
    if bare_and:
        m = _SECOND_VERB.search(text, pos, e) if "," in text[pos:e] or "và " in text[pos:e] or "thời " in text[pos:e] \
            else None
    else:
        m = _SECOND_VERB_COMMA.search(text, pos, e) if "," in text[pos:e] else None
    return m.start() if m is not None else e


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out



def _to_paragraph_end(text: str, j: int, pend: int) -> tuple[int, int, int, int]:
    """A quotation opened at ``j`` and never closed: it runs to the end of its paragraph (``pend``), trailing
    spaces left out; (start, end, mark, end) as the caller's spans."""
    e = pend
    while e > j + 1 and text[e - 1].isspace():
        e -= 1
    return (j + 1, e, j, e)

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
        nl = text.find("\n", j)
        pend = n if nl < 0 else nl
        if opener == "“":
            # a curly quote may run over paragraphs; stop at another opening mark before the closer
            nxt = text.find("“", j + 1)
            if (k < 0 or pend < nxt < k) and text[text.rfind("\n", 0, j) + 1:j].rstrip().endswith(":") \
                    and "\"" not in text[j + 1:pend] and "”" not in text[j + 1:pend] and pend - j > 20:
                # “ after an attribution colon, never closed before the next quotation: it ends with its paragraph
                out.append(_to_paragraph_end(text, j, pend))
                i = pend
                continue
            if k < 0 or (0 <= nxt < k and "\n" not in text[j:nxt]) or (k > pend and "\"" in text[j + 1:pend]):
                # “…" closed by a straight mark in the same paragraph (mixed marks, a common typo)
                s = text.find("\"", j + 1, pend)
                if s > j + 1 and not text[s - 1].isspace() and (0 > nxt or nxt > s):
                    out.append((j + 1, s, j, s))
                    i = s + 1
                    continue
                i = j + 1
                continue
            if "\n" in text[j:k] and text.count("\n", j, k) > 15:
                i = j + 1
                continue
        elif opener == "\"":
            curly = text.find("”", j + 1, pend)
            if 0 <= curly and (k < 0 or curly < k) and "“" not in text[j + 1:curly]:
                k = curly  # "…” (mixed marks)
            elif k < 0 or (nl >= 0 and k > nl):
                # a straight quote opening a paragraph may close in a later one ("…\n…", bà Hòa nói)
                pstart = text.rfind("\n", 0, j) + 1
                opens_para = not text[pstart:j].strip() or text[pstart:j].rstrip().endswith(":")
                if k < 0 or not opens_para or text.count("\n", j, k) > 6 or text[k - 1].isspace() and \
                        _CLOSER_AFTER.match(text, k + 1) is None:
                    if _HEAD_COLON.match(text, pstart, j) and pend - j > 20 and "“" not in text[j + 1:pend] and \
                            "”" not in text[j + 1:pend]:
                        # 'Ông Lê Hồng Tịnh: " Anh Bảy Chắc …' never closed: it ends with its paragraph
                        out.append(_to_paragraph_end(text, j, pend))
                        i = pend
                        continue
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


def _subject_end(text: str, verb_start: int) -> int:
    """End of the subject before a verb: adverbs like "cũng", "đã" are not part of it."""
    e = verb_start
    while e > 0 and text[e - 1].isspace():
        e -= 1
    m = _ADVERBS.search(text, max(0, e - 40), e)
    e = m.start() if m is not None else e
    while e > 0 and text[e - 1].isspace():
        e -= 1
    return e


@dataclass(slots=True)
class _Found:
    """A quote found, with the phrase that attributes it (resolved later) or how it inherits a speaker."""

    quote: Quote
    para: int
    phrase: Phrase | None = None
    inherit: str | None = None  # "para": from the paragraphs before; "here": from earlier in its paragraph
    pos: int = 0  # where the attribution is (for text order)
    tail: list = field(default_factory=list)


class _Finder:
    def __init__(self, text: str, ents: list):
        self.text = text
        self.low = _lower(text)
        self.spk = Speakers(text, ents)
        self.ents = self.spk.ents
        self._subject_e = len(text)

    # -- speaker phrases -------------------------------------------------------------------------------------
    def speaker(self, a: int, b: int, first: bool = True) -> Phrase | None:
        """The phrase text[a:b] as a speaker (trimmed of leading connectives); None if it cannot be one.
        ``first``: the phrase starts its sentence (a capitalised pronoun is then a pronoun)."""
        text = self.text
        while a < b and text[a] in " ,-–—(":
            a += 1
        while b > a and text[b - 1] in " ,-–—":
            b -= 1
        jm = _LEADING_JUNK.match(text[a:b])
        if jm and jm.end():
            a += jm.end()
            first = True
        phrase = text[a:b]
        pp = _PP_BEFORE_PRONOUN.match(phrase)
        if pp is not None:  # "Trong một cuộc họp báo ông cho biết …": the pronoun after a leading place or occasion
            a += pp.end()
            phrase = text[a:b]
            first = True
        sm = _SUBORDINATE.match(phrase)
        if sm:  # "dù có thông tin trên tờ Washington Post cho rằng …": the speaker after the conjunction
            a += sm.end()
            phrase = text[a:b]
        dl = re.search(r"(?<![^\W\d_])(?:dẫn|trích)\s+lời\s+", phrase, re.IGNORECASE)
        if dl is not None:  # "AP dẫn lời Muhamad Juanda, người sống sót sau vụ sập …, hôm nay cho biết": Juanda
            per = next((x for x in self.spk.mentions if a + dl.end() <= x[0] <= a + dl.end() + 30 and x[1] <= b), None)
            if per is not None:
                ph = self.spk.phrase(a + dl.end(), per[1])
                if ph is not None and ph.kind == "per":
                    return ph
        if re.search(r"(?<![^\W\d_])(?:cũng|vẫn|đã|sẽ|còn|lại)\s+(?:không|chưa|chẳng)\s+[^\W\d_]", phrase):
            return None  # "Số thuỷ sản này cũng không chuyển sang xác nhận …": a negated verb, not a subject
        doc = _DOC_HEAD.match(phrase) is not None and re.search(r"(?<![^\W\d_])(?:được|bị|do)\s", phrase) is None
        # "ông X - giám đốc Trung tâm … TP. HCM": a person at the head with a long dash apposition
        per0 = next((x for x in self.spk.mentions if a <= x[0] <= a + 12 and x[1] <= b), None)
        headed = per0 is not None and re.match(r"\s*[-–—(]", text[per0[1]:b]) is not None
        if not phrase or _syllables(phrase) > (24 if doc else 30 if headed else 18) or re.search(
                r"(?<![^\W\d_])(?:được|bị)$", phrase):
            return None  # "Các khu nhà này được thông báo …": told, not telling
        ph = self.spk.phrase(a, b, lower_ok=first)
        if ph is not None:
            if ph.kind == "pron" and not any(s < a for s, _e, _n in self.spk.mentions):
                return None  # nobody named before it
            if ph.kind in ("body", "desc") and _syllables(phrase) > 14 and not doc:
                return None  # a document keeps its number and issuer: "văn bản số 851/TB-CSĐT của Cơ quan …"
            return ph
        if self.spk._is_place(a, b) and _syllables(phrase) <= 4 and phrase[:1].isupper():
            # "Triều Tiên cảnh báo …", "Lầu Năm Góc cho rằng …": a country (or a seat of power) as the whole subject
            # speaks for its government ("…, sống ở Liverpool, Anh chia sẻ": the place ends an apposition, skipped
            # before this is asked)
            loc = self.spk.entity_in(a, b, "LOC")
            return Phrase(a, b, "body", phrase, entity=loc[3] if loc is not None else None)
        if _syllables(phrase) > 14 or self.spk._is_place(a, b) or self.spk.entity_in(a, b, "LOC") is not None \
                and re.match(r"phía\s", phrase, re.IGNORECASE) is None and not _SPEAKERISH.match(phrase):
            return None
        if _SPEAKERISH.match(phrase) or _ROLE_START.match(phrase) or _PHIA.match(phrase) or self._foreign_name(phrase):
            org = self.spk.entity_in(a, b, "ORG")
            return Phrase(a, b, "body", phrase, entity=org[3] if org is not None else None)
        return None

    def interviewee(self, paras: list[tuple[int, int]]) -> Phrase | None:
        """Who answers in a question-and-answer article (two paragraphs or more open with a dash) when no person
        was quoted before: the person it names first, in its first two paragraphs ("Ông Tịnh có cuộc trao đổi thẳng
        thắn với PV …")."""
        text = self.text
        if sum(1 for a, b in paras if text[a:a + 2].strip()[:1] in ("-", "–", "—", "+")) < 2 or len(paras) < 3:
            return None
        first = next((x for x in self.spk.mentions if x[0] < paras[min(1, len(paras) - 1)][1]), None)
        return self.spk.phrase(first[0], first[1]) if first is not None else None

    @staticmethod
    def _foreign_name(phrase: str) -> bool:
        """"Sina", "SCMP", "Global Times": a name the entity model did not tag, standing as the whole subject."""
        toks = phrase.split()
        if not 1 <= len(toks) <= 4 or not all(t[:1].isupper() for t in toks):
            return False
        from bantin.dedup.features import _idf

        idf, _unk = _idf()
        return any(not t.isalpha() or any(c.isupper() for c in t[1:]) or idf.get(t.lower(), 99.0) > 6.0 for t in toks) and \
            all(re.fullmatch(r"[A-Za-z][\w.&'-]*", t) for t in toks)

    def subject(self, sent_start: int, verb_start: int, comma: bool = False) -> Phrase | None:
        """Speaker of a verb: the phrase after the last comma before it; ``Name, role, place cho biết`` gives the
        name; "…, nhưng nói rằng" (no subject of its own) gives the person the sentence starts with."""
        text = self.text
        e = _subject_end(text, verb_start)
        self._subject_e = e
        if e - sent_start > 200:
            sent_start = e - 200
        seg = text[sent_start:e]
        if any(c in seg for c in "“”\""):
            q = max(seg.rfind(c) for c in "“”\"")
            if re.fullmatch(r"\s*(?:và|đồng\s+thời)", seg[q + 1:]):
                # 'Ông cáo buộc phe đối lập nỗ lực "…" và cho biết …': a second verb after a quotation, of the
                # subject of the verb before it
                pv = list(_verbs(self.low, sent_start, sent_start + q))
                r = self.subject(sent_start, pv[-1].start()) if pv else None
                self._subject_e = e
                if r is not None:
                    return r
            sent_start += q + 1
            seg = text[sent_start:e]
        pm = _PASSIVE_AGENT.search(seg) if _STRONG_AT.match(self.low, verb_start) else None
        if pm is not None and _syllables(pm.group("agent")) <= 8 and (_SPEAKERISH.match(pm.group("agent")) or any(
                x[0] == sent_start + pm.start("agent") and x[2] in ("PER", "ORG") for x in self.ents)) \
                and not re.search(r"(?<![^\W\d_])(?:nhưng|và|mà|thì|khi|nên)(?![^\W\d_])", pm.group("agent")):
            # "Giá vàng được các chuyên gia dự báo có khả năng tăng": a passive's agent (a speaker's noun phrase, not
            # a verb: "3 người phụ nữ bị cưỡng bức … cho biết") says it
            ag = self.speaker(sent_start + pm.start("agent"), e, first=False)
            if ag is not None:
                return ag
        cuts = sorted([sent_start - 1, *[sent_start + i for i, ch in enumerate(seg) if ch in ",;:"],
                       *[sent_start + m.end() for m in _BUT.finditer(seg)]])
        last = len(cuts) - 1
        for k in range(last, -1, -1):
            c = cuts[k]
            chunk = text[c + 1:e]
            stripped = _LEADING_JUNK.sub("", chunk.strip())
            if not stripped:
                if k == last:  # "…, nhưng nói rằng": the sentence's subject
                    first = next((x for x in self.spk.mentions if sent_start <= x[0] < sent_start + 30), None)
                    if first is not None:
                        return self.spk.phrase(first[0], first[1])
                    if k > 0:  # "X cho hay …, nhấn mạnh rằng …": the subject of the verb in the chunk before
                        pv = list(_verbs(self.low, cuts[k - 1] + 1, c))
                        r = self.subject(sent_start, pv[-1].start()) if pv else None
                        if r is not None:
                            return r
                continue
            if _SUBORDINATE.match(stripped) and comma:
                return None  # "Sau khi nghe X trình bày, …": the comma ends the clause; what follows is not its content
            if k == last and _COORD_END.search(chunk):
                # "X đã có những dòng chia sẻ … cũng như cho rằng …", "Bộ Y tế gửi công văn … và cho biết …": the
                # verb shares the subject at the head of its clause
                a0 = c + 1 + (len(chunk) - len(chunk.lstrip()))
                jm = _LEADING_JUNK.match(text, a0)
                a0 = jm.end() if jm else a0
                per = next((x for x in self.spk.mentions if a0 <= x[0] <= a0 + 25 and x[1] <= e), None)
                if per is not None:
                    return self.spk.phrase(per[0], per[1])
                orgs = [x[1] for x in self.ents if a0 <= x[0] <= a0 + 12 and x[2] == "ORG" and x[1] <= e]
                if orgs and self.spk.entity_in(a0, a0 + 3, "ORG") is not None or \
                        orgs and _SPEAKERISH.match(text, a0) is not None:  # "Bộ Y tế …", "Hãng Vietnam Airlines …"
                    return self.speaker(a0, max(orgs))
                pv = next(_verbs(self.low, a0, e), None)
                if pv is not None and pv.start() > a0:
                    # "Giới chức thuộc cơ quan phòng vệ Đài Loan lên tiếng xác nhận sự việc và cho biết …": the subject
                    # of the first verb of the clause
                    r = self.subject(a0, pv.start())
                    self._subject_e = e
                    if r is not None:
                        return r
            if k == last and k > 0 and self._apposition(c + 1, e) and (
                    not self.spk._is_place(c + 1 + len(chunk) - len(chunk.lstrip()), e) or self._described_before(
                        sent_start, cuts[k - 1] + 1, c)):
                continue  # "…, 33 tuổi, sống ở Liverpool, Anh chia sẻ": the name comes earlier
            if chunk.count(")") > chunk.count("("):
                continue  # "anh X (36 tuổi, nhân viên giao hoa) bày tỏ": the end of a bracketed apposition is no subject
            ph = self.speaker(c + 1, e, first=(k == 0))
            if ph is not None and ph.kind == "per" and k < last and not self._person_chunk(cuts[k + 1] + 1, e):
                return ph
            if ph is not None and ph.kind == "per":
                head = self._named_head(cuts, k, e)
                return head or ph
            if ph is None:
                head = self._named_head(cuts, k, e, own_only=True)
                if head is not None:
                    return head
                continue
            # "Bà X, Tổng giám đốc Vietjet Air cho biết": the name one to three chunks back, the chunks between
            # being its appositions
            head = self._named_head(cuts, k, e)
            return head or ph
        return None

    def _described_before(self, sent_start: int, a: int, c: int) -> bool:
        """Something before a place chunk (text[a:c], the chunk before it) that the place can describe: a person, an
        organisation, a role, or an open bracket ("Công an huyện Thuỷ Nguyên, Hải Phòng", "Bệnh viện X (huyện Y,
        Quảng Bình)"); "Nhưng đến nay, Triều Tiên xác nhận …" has none: the country speaks."""
        lead = self.text[sent_start:c]
        prev = _LEADING_JUNK.sub("", self.text[a:c].strip())
        return lead.count("(") > lead.count(")") or any(sent_start <= x[0] and x[1] <= c for x in self.ents
                                                         if x[2] in ("PER", "ORG")) \
            or any(sent_start <= x[0] and x[1] <= c for x in self.spk.mentions) \
            or bool(prev and (_SPEAKERISH.match(prev) or _ROLE_START.match(prev)))

    def _person_chunk(self, a: int, b: int) -> bool:
        return any(a <= x[0] and x[1] <= b for x in self.spk.mentions)

    def _named_head(self, cuts: list[int], k: int, e: int, own_only: bool = False) -> Phrase | None:
        """The person named alone in chunk ``k`` (``own_only``) or one to three chunks before it, when every chunk
        after the name is an apposition (a role, an organisation, an age, a place): "ông Võ Thanh Hùng, Trưởng Ban
        …, Tổ trưởng … cho biết", "ông X, Chủ tịch xã Y, Thanh Trì cho biết"."""
        text = self.text
        rng = [k] if own_only else range(k - 1, max(-1, k - 4), -1)
        for j in rng:
            lo = cuts[j]
            hi = cuts[j + 1] if j + 1 < len(cuts) else e
            if own_only and j == len(cuts) - 1:
                return None
            name = next((x for x in self.spk.mentions if lo < x[0] and x[1] <= hi and self._heads(lo + 1, x, hi)), None)
            if name is not None:
                later = [(cuts[i] + 1, cuts[i + 1] if i + 1 < len(cuts) else e) for i in range(j + 1, len(cuts))]
                if all(self._described(a, b) for a, b in later):
                    role = text[hi + 1:e].strip(_ROLE_TRIM + " ") or None
                    return Phrase(lo + 1, e, "per", text[lo + 1:e], name=name[2], role=role, entity=name[2])
                return None
            if not own_only and not self._described(lo + 1, hi):
                return None
        return None

    def _heads(self, lo: int, x: tuple, hi: int) -> bool:
        """The person mention ``x`` heads the chunk text[lo:hi]: nothing, a connective, a form of address or a role
        before it ("trao đổi với chúng tôi ông X": a lead-in, then the form of address), and nothing after it but a
        bracket or a dash apposition ("ông X – Chánh văn phòng UBND huyện Y")."""
        text = self.text
        lead = text[lo:x[0]].strip()
        rest = text[x[1]:hi]
        if rest.strip() and not re.fullmatch(r"\s*(?:\([^()]*\))?\s*(?:[–—-]\s*[^,;:]+)?\s*", rest):
            return False
        if not lead or _LEADING_JUNK.fullmatch(lead + " ") or _HONORIFIC.match(lead + " ") and len(lead) <= 12:
            return True
        tail = re.search(r"(?<![^\W\d_])(?:ông|bà|anh|chị|cô|chú|bác|cụ|ngài|đồng\s+chí)$", lead, re.IGNORECASE)
        if tail is not None:
            return True
        rm = _ROLE_START.match(lead)
        return rm is not None and len(lead) - rm.end() <= 40 and not re.search(r"[,;]", lead)

    def _described(self, a: int, b: int) -> bool:
        """A chunk that can stand after a name: a role, an organisation or a title (capitalised), an age, a place —
        not another person."""
        chunk = self.text[a:b].strip()
        if not chunk:
            return False
        if self._person_chunk(a, b) and not self._apposition(a, b):
            # another person — unless a bare name of two or three syllables closes the subject after a role
            # ("ông X, Chủ tịch xã Tân Triều, Thanh Trì cho biết": the district, read as a name)
            return b >= self._subject_e and not _HONORIFIC.match(chunk + " ") and _syllables(chunk) <= 3 \
                and not _ROLE_START.match(chunk)
        return bool(_ROLE_START.match(chunk) or self._apposition(a, b) or chunk[:1].isupper()
                    or _APPOSITION.match(chunk) or _SPEAKERISH.match(chunk) or self.spk.entity_in(a, b, "ORG"))

    def _apposition(self, a: int, b: int) -> bool:
        """An age, a home, a place: a chunk that describes the person named before it."""
        chunk = self.text[a:b].strip()
        if not chunk:
            return False
        if _APPOSITION.match(chunk):
            return True
        from bantin.enrich.speakers import _places, fold

        return fold(chunk) in _places() or self.spk._is_place(a + (len(self.text[a:b]) - len(self.text[a:b].lstrip())),
                                                              b - (len(self.text[a:b]) - len(self.text[a:b].rstrip())))

    # -- reported clauses ------------------------------------------------------------------------------------
    def _name_clause(self, pos: int, pb: int) -> bool:
        """A clause opening with a name and its predicate: "nói Trump che giấu hồ sơ thuế …" (not "nói Trump và …")."""
        text = self.text
        while pos < pb and text[pos].isspace():
            pos += 1
        ent = next((x for x in self.ents if x[0] == pos and x[2] in ("PER", "ORG", "LOC")), None)
        if ent is None:
            return False
        m = re.match(r"\s+([^\W\d_]+)", text[ent[1]:pb])
        return m is not None and m.group(1).islower() and _NAME_CLAUSE_NOT.fullmatch(m.group(1)) is None

    def clause(self, v, pa: int, pb: int) -> tuple[int, int, bool] | None:
        """(start, end, comma) of the clause a speech verb reports, or None; ``comma``: the verb was followed by a
        bare comma (then a subordinate subject — "Sau khi X trình bày, …" — is not what was said)."""
        text, low = self.text, self.low
        t = (_TAIL_SEP_LA if _STRONG_RE.search(v.group("verb")) or v.group("verb") == "nói" else _TAIL_SEP).match(
            low, v.end(), pb)
        if t is None:
            return None
        if not t.group("sep").strip() and not _STRONG_RE.search(v.group("verb")) and (
                t.group("tense") is None or not _SAYING.fullmatch(v.group("verb"))) and not (
                _BARE_SAYING.fullmatch(v.group("verb")) and (_BARE_CLAUSE.match(low, t.end(), pb)
                                                             or self._name_clause(t.end(), pb))) and not (
                _BARE_ANY.fullmatch(v.group("verb")) and not _BARE_ANY_NOT.match(low, t.end(), pb)
                and text[v.start("verb")].islower()) and not (  # ("khu du lịch Khai Long": a name)
                _CHARGE.fullmatch(v.group("verb")) and not _CHARGE_BEFORE.search(low, max(0, v.start() - 40), v.start())
                and not _CHARGE_NOT.match(low, t.end(), pb)):
            return None
        cstart = t.end()
        while cstart < pb and text[cstart].isspace():
            cstart += 1
        if cstart >= pb or text[cstart] in _OPEN:
            return None
        cend = _clause_end(text, cstart, pb)
        if cend - cstart < 12 or _REQUEST.match(text, cstart, cend):
            return None  # too short; "…, bà đề nghị ông Vũ …": a request is not what was said
        bare = not t.group("sep").strip()
        if bare and re.match(r"(?:và|rồi|nhưng|song|nên)" + _NB, low[cstart:cstart + 6]):
            return None  # "Tình trạng của cô được một tờ báo tiết lộ và sau đó, …": a conjunction says nothing
        if bare and re.search(r"\s(?:tại|trong|ở|trên)\s", t.group()):
            # "cho biết trên địa bàn hiện còn …": with no comma after it, the place phrase is part of what was said;
            # "cho biết tại buổi họp, …": with one, it is where it was said
            cstart = v.end()
            while cstart < pb and text[cstart].isspace():
                cstart += 1
            pm = re.match(r"(?:(?:thêm|tiếp|lại|ngay|rõ)\s+)?(?:tại|trong|ở|trên)\s[^,.:;!?“”\"\n]{1,60}?,\s*", low[cstart:cend])
            cstart += pm.end() if pm is not None else 0
        if bare and re.search(r"\s(?:với|trước|cùng)\s", t.group()):
            # "giải thích với các nhà điều tra rằng …": what was said starts after "rằng"
            r = re.match(r"[^,.:;!?“”\"\n]{1,60}?\s(?:rằng|là)\s+", low[cstart:cend])
            if r is not None and "rằng" in r.group():
                cstart += r.end()
        if bare and v.group("verb").startswith("tuyên") and not _PROPOSITION.match(text, cstart):
            return None  # "HĐXX tuyên bố tạm nghỉ", "tuyên bố phá sản": an act, not a statement
        if _SAID_SO.match(low, cstart):
            return None  # "khẳng định như vậy khi trao đổi với Tuổi Trẻ", "nhận định như vậy tại hội thảo …"
        if bare and _NOUN_OBJECT.match(low, cstart) and not v.group("verb").endswith("rằng") and not (
                low.startswith("sự", cstart) and _SU_CLAUSE.match(low, cstart, cend)):
            # ("cho rằng sự gia tăng … là nguyên nhân": a verb ending in "rằng" reports a proposition)
            return None  # "tái khẳng định cam kết …", "nhấn mạnh tầm quan trọng của …": a thing, not a statement
        if bare and re.match(r"về" + _NB, low[cstart:cstart + 4]) and "," not in text[cstart:min(cend, cstart + 40)]:
            return None  # "nhận định về vụ bắt giữ …": what it was about, not what was said
        return cstart, cend, t.group("sep").strip() == ","


def find_quotes(text: str, entities: list | None = None) -> list[Quote]:
    """Direct quotes and reported speech in ``text`` with their speakers (see the module docstring).

    Text written with combining accents (NFD, as some feeds are) is matched in NFC; offsets are mapped back to the
    text as given (entities' offsets likewise). The one place this is done for quotes: ``facts.quotes_in``
    (``bantin annotate``) and callers of this function alike."""
    if not text or text.isascii() or unicodedata.is_normalized("NFC", text):
        return _find_quotes(text, entities)
    # only the clusters with combining marks change; between them the two texts run in step
    parts, oa, ob, na, nb = [], [], [], [], []
    pos = shift = 0
    for cm in _MARKED.finditer(text):
        a, b = cm.span()
        seg = unicodedata.normalize("NFC", cm.group())
        parts.append(text[pos:a])
        parts.append(seg)
        oa.append(a)
        ob.append(b)
        na.append(a + shift)
        shift += len(seg) - (b - a)
        nb.append(a + shift + (b - a))
        pos = b
    parts.append(text[pos:])

    def to_orig(p: int, end: bool) -> int:
        i = bisect_right(na, p) - 1
        if i < 0:
            return p
        if p < nb[i]:
            return ob[i] if end else oa[i]
        return ob[i] + (p - nb[i])

    def to_norm(p: int) -> int:
        i = bisect_right(oa, p) - 1
        if i < 0:
            return p
        return na[i] if p < ob[i] else nb[i] + (p - ob[i])

    ents = []
    for e in entities or []:
        d = e if isinstance(e, dict) else {"start": e.start, "end": e.end, "type": e.type, "name": e.name,
                                            "text": e.text}
        name = d.get("name") or d["text"]
        ents.append({"start": to_norm(d["start"]), "end": to_norm(d["end"]), "type": d["type"],
                     "name": unicodedata.normalize("NFC", name) if name else name, "text": d["text"]})
    quotes = _find_quotes("".join(parts), ents)
    for q in quotes:
        last = to_orig(q.end - 1, True) if q.end > q.start else -1
        q.start, q.end = to_orig(q.start, False), max(last, to_orig(q.end, False))
    return quotes


def _find_quotes(text: str, entities: list | None = None) -> list[Quote]:
    if not text:
        return []
    if not any(c in text for c in _OPEN) and "heo " not in text:
        low = _lower(text)
        if next(_verbs(low, 0, len(text)), None) is None and "rằng" not in low:
            from bantin.enrich.quote_recall import _SPEECHY_RE

            if _SPEECHY_RE.search(low) is None:
                return []  # no quotation mark, no "theo", no verb of saying: nothing was said (most single sentences)
    ents = sorted((e["start"], e["end"], e["type"], e.get("name") or e["text"]) if isinstance(e, dict) else
                  (e.start, e.end, e.type, e.name or e.text) for e in (entities or []))
    f = _Finder(text, ents)
    low = f.low
    paras = _paragraphs(text)
    starts = [a for a, _b in paras]
    found: list[_Found] = []
    direct = _direct_spans(text, paras) if any(c in text for c in _OPEN) else []

    def para_index(pos: int) -> int:
        return max(0, bisect_right(starts, pos) - 1)

    # -- direct quotes ----------------------------------------------------------------------------------------
    info = []
    for idx, (cs, ce, om, cm) in enumerate(direct):
        pi = para_index(om)
        pa, _pb = paras[pi]
        pe = paras[para_index(cm)][1]
        s0 = _sentence_start(text, om, pa)
        prev_close = direct[idx - 1][3] + 1 if idx and direct[idx - 1][3] >= s0 else s0
        before = text[s0:om]
        spk, adjacent, embedded = None, False, False
        # attribution before: "X nhấn mạnh: “", "X cho biết “", "Bà Thảo: “"
        verbs = list(_verbs(low, prev_close, om))
        if verbs:
            v = verbs[-1]
            if _TAIL_END.match(low, v.end(), om) and (before.rstrip().endswith((":", ","))
                                                        or _STRONG_RE.search(v.group("verb"))):
                spk = f.subject(prev_close, v.start())
                adjacent = True
        if spk is None:
            h = _HEAD_BEFORE.search(text, prev_close, om)
            if h is not None:
                hs = h.start("spk")
                if hs == prev_close:  # after a quote: "”, chị X thì tập trung vào cảm xúc: “"
                    while hs < h.end("spk") and text[hs] in " ,;–—-":
                        hs += 1
                    cm2 = re.match(r"(?:còn|và|trong\s+khi)\s+", text[hs:h.end("spk")], re.IGNORECASE)
                    hs += cm2.end() if cm2 else 0
                spk = f.speaker(hs, h.end("spk"), first=hs == s0 or text[hs - 2:hs].strip() in ("", ".", "!", "?"))
                adjacent = adjacent or spk is not None
        if spk is None and prev_close == s0 and text[s0:om].rstrip().endswith(":") and om - s0 <= 220:
            # "Thủ tướng Anh Theresa May, trong một bài phát biểu hồi đầu năm 2018, đã gửi đôi lời đến điện
            # Kremlin: “": a lead too long to read whole; the person it starts with speaks
            per = next((x for x in f.spk.mentions if s0 <= x[0] <= s0 + 40 and x[1] < om), None)
            if per is not None and _only_title(_LEADING_JUNK.sub("", text[s0:per[0]].strip())):
                cut = text.find(",", per[1], om)
                spk = f.speaker(s0, cut if 0 < cut < om else per[1])
                adjacent = spk is not None
        if spk is None:  # "… và theo ông Vĩnh, “…”"
            tm = _THEO_BEFORE.search(text, prev_close, om)
            if tm is not None and not _THEO_NOT.match(tm.group("spk")):
                spk = f.speaker(tm.start("spk"), tm.end("spk"), first=False)
                adjacent = spk is not None
        # attribution after: "”, ông X nói."
        if spk is None and cm + 1 < pe:
            tail_end = _sentence_end(text, cm + 1, pe)
            v = next(_verbs(low, cm + 1, min(tail_end + 1, cm + 160)), None)
            if v is not None and re.match(r"\s*[,.!?…]?\s*[-–—]?\s*\S", text[cm + 1:v.start()] + " x"):
                gap = text[cm + 1:v.start()]
                if (not any(c in gap for c in "“\".!?") or gap.strip(" ,.!?…-–—")[:1].isalpha()) and not (
                        text[s0:om].strip() and f.clause(v, pa, pe) is not None) and not (
                        not re.match(r"\s*[,.!?…;:)\-–—]", gap) and any(
                        _within(f.clause(u, pa, pe), om) for u in _verbs(low, s0, om))):
                    # (not '… nói rằng nước Nga "biết ơn" … vì "hàng triệu lời lẽ" họ nói về …': inside a clause)
                    # (not "Dựa trên “…”, quan chức X cho biết <what he said>": that verb has its own clause)
                    spk = f.speaker(cm + 1, _subject_end(text, v.start()), first=False)
                    adjacent = adjacent or spk is not None
        # "”, bà Thảo trình bày." / "”, như lời căn dặn của Chủ tịch Hồ Chí Minh.": a person named right after the
        # closing mark (only a form of address or a role between), in a short clause that ends the sentence
        if spk is None and cm + 1 < pe:
            tail_end = _sentence_end(text, cm + 1, pe)
            tail = text[cm + 1:tail_end]
            lm = _LOI_CUA.match(tail)
            lead = lm.end() if lm is not None else len(tail) - len(tail.lstrip(" ,-–—"))
            if tail[:lead].strip(" ,-–—") == "" or lm is not None:
                per = next((x for x in f.spk.mentions if cm + 1 + lead <= x[0] <= cm + 1 + lead + 40
                            and x[1] <= tail_end), None)
                between = text[cm + 1 + lead:per[0]].strip() if per is not None else ""
                if per is not None and _syllables(tail) <= 14 and _only_title(between):
                    spk, adjacent = f.spk.phrase(per[0], per[1]), True
        # a speech verb earlier in the sentence: "phái đoàn nhấn mạnh ... phải “…”" (not "nhận định như vậy tại hội
        # thảo “…”": a title after a verb that reports nothing)
        if spk is None and verbs and not (_TITLE_BEFORE.search(before[-40:]) and _SAID_SO.match(low, verbs[-1].end() + 1)):
            v = verbs[-1]
            cl = f.clause(v, pa, _paragraphs_end(paras, pi))
            if cl is not None and cl[0] < om and cl[1] > om and f.subject(s0, v.start(), cl[2]) is not None:
                embedded = True  # a quotation inside a reported clause: the clause is the quote
            else:
                spk = f.subject(s0, v.start())
        # "Hoàng Yến tức giận gằn giọng “…”", "…”, còn Minh Hằng thì “…”": a short clause whose subject is a person
        # named at its head, right before the quotation (whatever the verb)
        weak = False
        if spk is None and not embedded and cm > om:
            lo = max(prev_close, text.rfind(",", prev_close, om) + 1, text.rfind(";", prev_close, om) + 1)
            head = text[lo:om]
            hm = re.match(r"\s*(?:(?:còn|và|trong\s+khi|riêng)\s+)?", head, re.IGNORECASE)
            per = next((x for x in f.spk.mentions if lo + hm.end() <= x[0] <= lo + hm.end() + 20 and x[1] <= om), None)
            if per is not None and _syllables(text[per[1]:om]) <= 5 and _syllables(text[cs:ce]) >= 8 and \
                    not _TITLE_BEFORE.search(head) and \
                    _only_title(text[lo + hm.end():per[0]].strip()) and not any(c in head for c in "“”\""):
                spk, weak = f.spk.phrase(per[0], per[1]), True
        # a quote that opens its sentence, right after a sentence whose subject said something (phủ nhận…)
        own_sentence = text[s0:om].strip() == ""
        if spk is None and not embedded and own_sentence and s0 > pa:
            ps = _sentence_start(text, s0 - 2, pa)
            pv = list(_verbs(low, ps, s0))
            if pv and f.clause(pv[-1], pa, s0) is None:
                spk = f.subject(ps, pv[-1].start())
        elif spk is None and not embedded and own_sentence and s0 == pa and pi > 0 and \
                not any(x[4] == pi - 1 for x in info):
            # a paragraph that opens with a quotation, after a paragraph whose last sentence has someone speak and
            # report nothing ("Bí thư X phát biểu tại buổi làm việc.⏎“…”"): that subject (a paragraph with a
            # quotation of its own hands its speaker on as before)
            qa, qb = paras[pi - 1]
            ps = _sentence_start(text, max(qa, qb - 2), qa)
            pv = list(_verbs(low, ps, qb))
            if pv and f.clause(pv[-1], qa, qb) is None and (
                    _SAID_END.match(low, pv[-1].end(), qb) or text[qa:qb].rstrip().endswith(":")
                    or re.match(r"\s+(?:tại|trong|trước|với|ở|khi|sau)\s[^,;“”\"]*[.:]?\s*$", text[pv[-1].end():qb])):
                spk = f.subject(ps, pv[-1].start())
        # “…”. Đó là những chia sẻ của ông X: the sentence after the quotation names who said it
        if spk is None and not embedded:
            dm = _DO_LA.match(text, cm + 1)
            if dm is not None:
                cut = re.search(r"\s*(?:[,(;:]|\s[-–—]\s)", dm.group("spk"))
                b = dm.start("spk") + (cut.start() if cut is not None else len(dm.group("spk")))
                spk = f.speaker(dm.start("spk"), b, first=False)
                adjacent = spk is not None
        info.append([cs, ce, om, cm, pi, pa, s0, spk, adjacent, embedded, before])
    # a chain of quotations shares the attribution after the last: "“A”, “B”, như lời X"
    for i in range(len(info) - 2, -1, -1):
        cur, nxt = info[i], info[i + 1]
        if cur[7] is None and not cur[9] and nxt[7] is not None and nxt[8] and \
                re.fullmatch(r"\s*(?:,|và|hay|hoặc|-|–)?\s*", text[cur[3] + 1:nxt[2]]):
            cur[7], cur[8] = nxt[7], True
    for cs, ce, om, cm, pi, pa, s0, spk, adjacent, embedded, before in info:
        if embedded:
            continue
        content = text[cs:ce]
        syl = _syllables(content)
        own = False
        if syl < 3:
            continue  # "rất vui": one or two words are an evaluation, even with a speaker next to them
        if spk is None or (not adjacent and syl < 6):
            # a quotation with nobody named next to it is speech only if long and standing on its own
            if syl < 6 or _TITLE_BEFORE.search(before[-40:]):
                continue
            own = not text[pa:om].strip(" -–—") or text[s0:om].strip() == "" or text[pa:om].rstrip().endswith(":")
            if not own and syl < 10:
                continue
        q = Quote(cs, ce, direct=True)
        if spk is None:
            found.append(_Found(q, pi, None, "para" if own else "here", pos=cs))
        else:
            found.append(_Found(q, pi, spk, pos=min(spk.a, cs)))
    # -- reported speech, sentence by sentence ---------------------------------------------------------------
    taken = [(x.quote.start - 1, x.quote.end + 1) for x in found]
    for pi, (pa, pb) in enumerate(paras):
        if pb - pa < 20:
            continue
        for v in _verbs(low, pa, pb):
            vs = v.start("verb")
            if text[vs].isupper() and _sentence_start(text, vs, pa) != vs or any(e[0] <= vs < e[1] for e in f.ents):
                continue  # "Trung tâm Dự báo khí tượng thủy văn quốc gia cảnh báo …": a word of a name, not a verb
            end = _SAID_END.match(low, v.end(), pb)
            if end is not None:  # "…, các quan chức cho biết thêm.": the attribution closes the sentence
                s0 = _sentence_start(text, v.start(), pa)
                comma = text.rfind(",", s0, v.start())
                subj = text[comma + 1:v.start()]
                if comma > s0 and not any(c in text[s0:comma] for c in _OPEN) and _syllables(subj) <= 10 \
                        and not _NEGATED.search(subj):
                    spk = f.speaker(comma + 1, _subject_end(text, v.start()), first=False)
                    if spk is not None and comma - s0 >= 12 and not any(
                            not (comma <= a or s0 >= b) for a, b in taken):
                        found.append(_Found(Quote(s0, comma, direct=False), pi, spk, pos=spk.a))
                        taken.append((s0, comma))
                continue
            cl = f.clause(v, pa, pb)
            if cl is None:
                continue
            cstart, cend, comma = cl
            if any(not (cend <= a or cstart >= b) for a, b in taken):
                continue
            s0 = _sentence_start(text, v.start(), pa)
            if comma and any(x.quote.direct and s0 <= x.quote.end < v.start() and x.phrase is not None
                             and x.phrase.a > x.quote.end and x.phrase.b >= _subject_end(text, v.start())
                             for x in found) and \
                    not re.match(r"(?:nói\s+)?(?:thêm|bổ\s+sung|rằng|đồng\s+thời)" + _NB, low[cstart:cstart + 20]):
                continue  # "“…”, ông X cho biết, đề cập vụ cháy …": the verb attributes the quote; what follows is not said
            nm = re.search(r"(?:^|,\s*)như\s+([^,]*?)\s*$", text[s0:v.start()], re.IGNORECASE) \
                if v.group("verb").startswith("đưa") else None
            if nm is not None and not (_AGENCY.fullmatch(nm.group(1)) and not _OWN_PAPER.match(nm.group(1))):
                continue  # "Như báo X đã đưa tin, …": the paper's own earlier story ("…, như Reuters đưa tin, …" reports)
            if _subject_end(text, v.start()) <= s0:
                continue  # "Được biết, ..." has no subject
            spk = f.subject(s0, v.start(), comma)
            if spk is None and s0 == pa and _ANSWER.match(text, pa, _subject_end(text, v.start())):
                # the person quoted last before this answer ("Ông Thành nói: “…”" … "- Tôi khẳng định …"), else
                # the one the interview names first
                said = [x for x in found if x.phrase is not None and x.phrase.kind == "per" and x.pos < pa
                        and not _QUESTION.match(text, paras[x.para][0], paras[x.para][1])]
                spk = max(said, key=lambda x: x.pos).phrase if said else f.interviewee(paras)
            if spk is None:
                continue
            found.append(_Found(Quote(cstart, cend, direct=False), pi, spk, pos=spk.a))
            taken.append((cstart, cend))
        if "heo " in text[pa:pb]:
            for m in _THEO.finditer(text, pa, pb):
                phrase = m.group("spk").strip()
                doc = _THEO_DOC.match(phrase) is not None  # "Theo bản án vừa tuyên, …", "Theo cáo trạng, …"
                if _THEO_NOT.match(phrase) and not (m.group("noun") or m.group("loi") or doc):
                    continue
                if not (m.group("noun") or m.group("loi") or doc or _SPEAKERISH.match(phrase) or _ROLE_START.match(phrase) or any(
                        x[2] in ("PER", "ORG") and m.start("spk") <= x[0] <= m.start("spk") + 6 for x in f.ents)):
                    continue  # "Theo chủ trương của X": a source, not a speaker
                spk = f.speaker(m.start("spk"), m.end("spk"))
                if spk is None:
                    continue
                cstart = m.end()
                ap = re.match(r"[^,.;:!?“”\"]{2,80},\s*", text[cstart:pb])  # "Theo luật sư X, người đại diện …, <clause>"
                if ap is not None and (_ROLE_START.match(text, cstart) or re.match(r"(?:người|một|là)\s", text[cstart:])):
                    cstart += ap.end()
                cend = _clause_end(text, cstart, pb, bare_and=False)  # ("Theo AP, X … đồng thời cảnh báo …": one report)
                if cend < pb and text[cend] == ":":
                    continue  # "Theo Reuters, ông X cho biết: “…”": the clause introduces a quote, it says nothing
                if cend - cstart < 12 or any(not (cend <= a or cstart >= b) for a, b in taken):
                    continue
                found.append(_Found(Quote(cstart, cend, direct=False), pi, spk, pos=spk.a))
                taken.append((cstart, cend))
            for m in _THEO_AFTER.finditer(text, pa, pb):  # "<clause>, theo BBC.": the source comes last
                phrase = m.group("spk").strip()
                if _THEO_NOT.match(phrase) or not (phrase[:1].isupper() or _SPEAKERISH.match(phrase) or _ROLE_START.match(phrase) or any(
                        x[2] in ("PER", "ORG") and m.start("spk") <= x[0] <= m.start("spk") + 6 for x in f.ents)):
                    continue
                cstart = _sentence_start(text, m.start(), pa)
                cend = m.start()
                if cend - cstart < 12 or any(not (cend <= a or cstart >= b) for a, b in taken) or \
                        any(c in text[cstart:cend] for c in _OPEN):
                    continue
                spk = f.speaker(m.start("spk"), m.end("spk"))
                if spk is None:
                    continue
                found.append(_Found(Quote(cstart, cend, direct=False), pi, spk, pos=spk.a))
                taken.append((cstart, cend))
    # -- what the rules left out: clauses the sentence's shape marks as reported, kept by the learnt scorer ------
    _recall(f, paras, found)
    # -- speakers, in text order ------------------------------------------------------------------------------
    found.sort(key=lambda x: (x.pos, x.quote.start))
    f.spk.quoted = sorted((x.quote.start, x.quote.end) for x in found)
    history: list[Said] = []
    for x in sorted(found, key=lambda x: x.quote.start if x.phrase is None else x.pos):
        q = x.quote
        if x.phrase is not None:
            r = f.spk.resolve(x.phrase, history)
            if r is None:
                continue
            q.speaker, q.speaker_role, q.speaker_entity = r
            person = x.phrase.kind != "body" and q.speaker_entity is not None and q.speaker_entity in f.spk.names
            history.append(Said(q.start if x.phrase.a > q.start else x.phrase.a, x.para, q.speaker, q.speaker_role,
                                q.speaker_entity, person, max(x.phrase.b, q.end if x.phrase.a > q.start else 0)))
        else:  # no attribution of its own: the speaker of the paragraph (or one of the two paragraphs) before
            lo = x.para - 2 if x.inherit == "para" else x.para
            hi = x.para - 1 if x.inherit == "para" else x.para
            prev = next((h for h in reversed(history) if h.pos < q.start and lo <= h.para <= hi and h.name), None)
            if prev is None and x.inherit == "para":
                prev = next((h for h in reversed(history) if h.pos < q.start and h.para == x.para and h.name), None)
            if prev is not None:
                q.speaker, q.speaker_role, q.speaker_entity = prev.name, prev.role, prev.entity
                history.append(Said(q.start, x.para, prev.name, prev.role, prev.entity, prev.person))
    quotes = [x.quote for x in found]
    quotes.sort(key=lambda q: q.start)
    return quotes


def _within(cl: tuple[int, int, bool] | None, pos: int) -> bool:
    return cl is not None and cl[0] < pos < cl[1]


def _only_title(between: str) -> bool:
    """Nothing, a form of address, or a role (with the organisation it belongs to) between two things."""
    if not between or _HONORIFIC.match(between + " "):
        return True
    m = _ROLE_START.match(between)
    return m is not None and len(between) - m.end() <= 30 and not re.search(r"[,.;:]", between)


def _paragraphs_end(paras: list[tuple[int, int]], pi: int) -> int:
    return paras[pi][1]


def _recall(f: _Finder, paras: list[tuple[int, int]], found: list[_Found]) -> None:
    """Add the candidates of ``quote_recall`` that its scorer keeps, where no quote was found, most likely first;
    one whose speaker cannot be read is left out (a quote with nobody saying it is of little use)."""
    from bantin.enrich import quote_recall

    spans = [(x.quote.start, x.quote.end) for x in found]
    # verbs that attribute a quotation before them ("“…”, X cho biết, đề cập …"): what follows them is not said
    after = [(x.phrase.a, x.phrase.b) for x in found if x.phrase is not None and x.phrase.a >= x.quote.end]
    for _p, c in sorted(quote_recall.kept(f, paras, spans), key=lambda z: (-z[0], z[1].start)):
        if any(a < c.end and c.start < b for a, b in spans):
            continue
        if c.kind in ("rang", "verb") and any(a <= c.cue_a <= b + 40 and not re.search(r"[.!?\n]", f.text[b:c.cue_a])
                                              for a, b in after):
            continue
        ph = c.phrase
        if ph is None:
            continue
        found.append(_Found(Quote(c.start, c.end, direct=False), c.para, ph, pos=ph.a))
        spans.append((c.start, c.end))
