"""Quotes with speakers: attribution before and after, reported speech, speakers resolved to the article's people."""

from __future__ import annotations

from bantin.enrich.ner import extract_entities
from bantin.enrich.quotes import find_quotes

SEED_PARAS = (
    "Người phát ngôn Bộ Ngoại giao Trung Quốc Uông Văn Bân nhấn mạnh: “Để thực hiện sự đồng thuận đạt được tại "
    "hội nghị thượng đỉnh San Francisco giữa hai nguyên thủ quốc gia, Trung Quốc và Mỹ tổ chức cuộc đối thoại liên "
    "chính phủ đầu tiên về AI ở Geneva, Thụy Sĩ vào ngày 14/5 theo giờ địa phương”.\n"
    "Người phát ngôn Hội đồng An ninh Quốc gia Nhà Trắng Adrienne Watson cũng đặc biệt nêu ra những quan ngại về "
    "việc Trung Quốc \"lạm dụng\" trí tuệ nhân tạo, giữa lúc quân đội nước này ngày càng tập trung vào AI."
)


def quotes(text: str):
    qs = find_quotes(text, extract_entities(text))
    return [(text[q.start:q.end], q.speaker, q.speaker_role) for q in qs]


def test_seed_quote_speaker_and_role_and_no_scare_quote():
    got = quotes(SEED_PARAS)
    assert len(got) == 1, got
    text, speaker, role = got[0]
    assert text.startswith("Để thực hiện") and text.endswith("theo giờ địa phương")
    assert speaker == "Uông Văn Bân"
    assert role == "Người phát ngôn Bộ Ngoại giao Trung Quốc"


def test_attribution_after_and_pronoun_resolves_to_the_person_named_before():
    text = ("Ông Nguyễn Văn Thể, Bộ trưởng Bộ Giao thông vận tải, đến thăm công trường.\n"
            "“Chúng tôi sẽ hoàn thành đúng tiến độ đã cam kết với người dân”, ông nói.")
    [(q, speaker, _role)] = quotes(text)
    assert q.startswith("Chúng tôi sẽ") and speaker == "Nguyễn Văn Thể"


def test_name_then_role_apposition_gives_the_name():
    text = "Bà Nguyễn Thị Phương Thảo, Tổng giám đốc Vietjet Air cho biết hãng sẽ mở thêm đường bay quốc tế."
    [(q, speaker, role)] = quotes(text)
    assert q.startswith("hãng sẽ mở") and speaker == "Nguyễn Thị Phương Thảo" and role == "Tổng giám đốc Vietjet Air"


def test_reported_speech_and_theo():
    text = ("Các nhân chứng cho biết, chiếc xe chạy rất nhanh trước khi lao vào cột điện.\n"
            "Theo Bộ Y tế, số ca mắc mới đã giảm mạnh trong tuần qua.")
    got = quotes(text)
    assert [(g[0][:20], g[1]) for g in got] == [("chiếc xe chạy rất nh", "Các nhân chứng"),
                                               ("số ca mắc mới đã giả", "Bộ Y tế")]


def test_standalone_quote_paragraph_takes_the_previous_speaker():
    text = ("Ông Lê Đình Lâm, Trưởng công an xã, cho biết, đối tượng chưa từng có tiền án tiền sự.\n"
            "\"Anh này ở xã là người bình thường, không phải là người chơi bời gì. Gia đình báo thẳng lên huyện\".")
    got = quotes(text)
    assert [g[1] for g in got] == ["Lê Đình Lâm", "Lê Đình Lâm"]


def test_titles_nicknames_and_charges_are_not_quotes():
    text = ("Ca sĩ Mỹ Tâm ra mắt bài hát “Đâu chỉ riêng em” trong chương trình “Giai điệu tự hào”. "
            "Công an khởi tố bị can về tội \"Cướp tài sản\". Đội bóng được gọi là “bầy ong vàng”.")
    assert quotes(text) == []


def test_no_speech_verb_no_subject():
    assert quotes("Được biết, vụ việc đang được điều tra làm rõ.") == []
    assert quotes("") == []


def test_person_named_after_the_closing_mark_whatever_the_verb():
    text = ("“Tôi chỉ mong được trả lại số tiền đã nộp cho công ty”, bà Nguyễn Thị Lan trình bày tại tòa.\n"
            "“Không có gì quý hơn độc lập, tự do”, như lời của Chủ tịch Hồ Chí Minh.")
    assert [g[1] for g in quotes(text)] == ["Nguyễn Thị Lan", "Hồ Chí Minh"]


def test_straight_quote_opened_after_a_colon_closes_in_a_later_paragraph():
    text = ("Về nguyên nhân, ông Trần Văn Bình cho hay: \"Gia đình họ ở nhờ khu tập thể cũ của trường.\n"
            "Chúng tôi cũng không rõ vì sao sự việc lại xảy ra như vậy.\", ông Bình nói.")
    [(q, speaker, _r)] = quotes(text)
    assert q.startswith("Gia đình họ") and q.endswith("như vậy.") and speaker == "Trần Văn Bình"
