from bantin.clean.repeats import remove_repeats

P = [
    "Phái đoàn hai nước tập trung thảo luận cách tiếp cận của mỗi bên trong việc giải quyết vấn đề.",
    "Người phát ngôn nhấn mạnh cuộc đối thoại diễn ra ở Geneva vào ngày 14/5 theo giờ địa phương.",
    "Ảnh: AP",
    "Cuộc họp không đề cập đến các biện pháp hạn chế xuất khẩu công nghệ tiên tiến.",
]


def test_body_printed_twice_comes_out_once_in_order():
    r = remove_repeats(P + P)
    assert r.paragraphs == P
    assert "repeated-body-removed:x2" in r.flags


def test_body_printed_three_times():
    r = remove_repeats(P * 3)
    assert r.paragraphs == P


def test_second_copy_split_differently_is_removed():
    merged = [P[0] + " " + P[1], P[2], P[3]]
    r = remove_repeats(P + merged)
    assert r.paragraphs == P


def test_near_identical_repeat_differing_in_spacing_and_punctuation():
    noisy = "Người  phát ngôn nhấn mạnh: cuộc đối thoại diễn ra ở Geneva vào ngày 14/5, theo giờ địa phương"
    r = remove_repeats([P[0], P[1], P[3], noisy])
    assert r.paragraphs == [P[0], P[1], P[3]]
    assert "repeated-paragraphs-removed:1" in r.flags


def test_short_lines_may_repeat():
    body = [P[0], "Ảnh: AP", P[1], "Ảnh: AP", P[3]]
    assert remove_repeats(body).paragraphs == body


def test_different_tones_are_not_repeats():
    a = "Bà nói rằng con ma đã xuất hiện ở đầu làng từ nhiều năm nay."
    b = "Bà nói rằng con mà đã xuất hiện ở đầu làng từ nhiều năm nay."
    assert remove_repeats([a, b]).paragraphs == [a, b]


def test_title_repeated_in_body_is_dropped():
    title = "Mỹ và Trung Quốc lần đầu đối thoại về AI"
    r = remove_repeats([title.upper(), P[0], P[1]], title=title)
    assert r.paragraphs == [P[0], P[1]]
    assert "title-repeated-in-body-removed" in r.flags


def test_lead_repeated_in_body_is_dropped():
    sapo = "Hai nước lần đầu tiên tổ chức đối thoại liên chính phủ về trí tuệ nhân tạo tại Geneva."
    r = remove_repeats([sapo, P[0]], sapo=sapo)
    assert r.paragraphs == [P[0]]
    assert "sapo-repeated-in-body-removed" in r.flags


def test_truncated_lead_is_completed_from_the_body():
    full = "Hai nước lần đầu tiên tổ chức đối thoại liên chính phủ về trí tuệ nhân tạo tại Geneva, Thụy Sĩ."
    r = remove_repeats([full, P[0]], sapo=full[:60], sapo_truncated=True)
    assert r.sapo == full and r.sapo_truncated is False
    assert r.paragraphs == [P[0]]
    assert "sapo-completed-from-body" in r.flags


def test_nothing_to_remove_changes_nothing():
    r = remove_repeats(list(P))
    assert r.paragraphs == P and r.flags == []
