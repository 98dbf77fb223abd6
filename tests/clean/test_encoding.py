"""Tests for bantin.clean.encoding.

Legacy fixtures are generated here from Vietnamese lines written for the tests: encoded to
Windows-1258 with Python's codec, and to TCVN3 / VNI with tables transcribed independently of
the module (Unikey's VnConv ``ukengine/data.cpp``), so the decoder is checked against the
published tables rather than against its own inverse.
"""

from __future__ import annotations

import codecs
import gzip
import json
import pickle
import random
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bantin.clean import encoding as enc
from bantin.clean.encoding import (
    Decoded,
    DecodeError,
    decode,
    fix_text,
    looks_binary,
    vietnamese_score,
)

NFC = lambda s: unicodedata.normalize("NFC", s)  # noqa: E731

ACUTE, GRAVE, HOOK, TILDE, DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
TONES = ["", ACUTE, GRAVE, HOOK, TILDE, DOT]
VOWELS = "a ă â e ê i o ô ơ u ư y".split()

# --------------------------------------------------------------------------------------------
# Fixtures: Vietnamese text
# --------------------------------------------------------------------------------------------

PROSE = [
    "Hà Nội, ngày 2 tháng 9 năm 2023 — người dân cả nước đón mừng Quốc khánh.",
    "Đường phố rực rỡ cờ hoa; nhiều gia đình đưa con em đi xem diễu hành.",
    "Ông Nguyễn Văn Đức, 68 tuổi, kể: “Tôi vẫn nhớ những ngày khó khăn ấy.”",
    "Thời tiết miền Bắc hôm nay có mưa rào rải rác, nhiệt độ từ 26 đến 33 độ C.",
    "Giá xăng dầu trong nước được điều chỉnh giảm nhẹ từ 15 giờ chiều qua.",
    "Chuyện quyết định ấy khiến khuya nào ông cũng trằn trọc, thở dài.",
    "Ở TP Hồ Chí Minh, Sở Y tế yêu cầu các bệnh viện tăng cường trực cấp cứu.",
    "ĐỘI TUYỂN VIỆT NAM GIÀNH CHIẾN THẮNG ẤN TƯỢNG TRƯỚC ĐỐI THỦ MẠNH",
]


def _syllable(vowel: str, tone: str) -> str:
    """'t' + vowel (+ 'n' where the vowel needs a final) with ``tone``: a valid syllable."""
    coda = "n" if vowel in ("ă", "â") else ""
    return NFC("t" + vowel + tone + coda)


# Every vowel with every tone, lower and upper case, plus đ/Đ.
COVERAGE_LOWER = " ".join(_syllable(v, t) for v in VOWELS for t in TONES) + " đi đâu"
COVERAGE_UPPER = COVERAGE_LOWER.upper()  # "TA TÁ TÀ ... ĐI ĐÂU"
FULL_TEXT = "\n".join(PROSE + [COVERAGE_LOWER, COVERAGE_UPPER]) + "\n"
ALL_LETTERS = {
    NFC(v + t) for v in VOWELS for t in TONES
} | {"đ"}


def test_fixture_covers_every_vowel_tone_and_case():
    letters = set(FULL_TEXT)
    for ch in ALL_LETTERS:
        assert ch in letters and ch.upper() in letters, ch


# --------------------------------------------------------------------------------------------
# Independent tables (transcribed from Unikey VnConv ukengine/data.cpp)
# --------------------------------------------------------------------------------------------

# Unikey "TCVN3" row (VN3/ABC), as cp1252 characters.  Per vowel: base upper, base lower, then
# (upper, lower) for acute, grave, hook, tilde, dot.  VN3 uses the lowercase code for capitals.
UNIKEY_TCVN3 = {
    "a": "Aa¸¸µµ¶¶··¹¹", "â": "¢©ÊÊÇÇÈÈÉÉËË", "ă": "¡¨¾¾»»¼¼½½ÆÆ", "đ": "§®",
    "e": "EeÐÐÌÌÎÎÏÏÑÑ", "ê": "£ªÕÕÒÒÓÓÔÔÖÖ", "i": "IiÝÝ××ØØÜÜÞÞ",
    "o": "Ooããßßááââää", "ô": "¤«èèååææççéé", "ơ": "¥¬ííêêëëììîî",
    "u": "Uuóóïïññòòôô", "ư": "¦\xadøøõõöö÷÷ùù", "y": "Yyýýúúûûüüþþ",
}
# Unikey "VNI-WIN" words: low byte = base letter, high byte = mark; order a â ă đ e ê i o ô ơ u ư y.
UNIKEY_VNI = [
    0x0041, 0x0061, 0xd941, 0xf961, 0xd841, 0xf861, 0xdb41, 0xfb61, 0xd541, 0xf561, 0xcf41, 0xef61,
    0xc241, 0xe261, 0xc141, 0xe161, 0xc041, 0xe061, 0xc541, 0xe561, 0xc341, 0xe361, 0xc441, 0xe461,
    0xca41, 0xea61, 0xc941, 0xe961, 0xc841, 0xe861, 0xda41, 0xfa61, 0xdc41, 0xfc61, 0xcb41, 0xeb61,
    0x00d1, 0x00f1,
    0x0045, 0x0065, 0xd945, 0xf965, 0xd845, 0xf865, 0xdb45, 0xfb65, 0xd545, 0xf565, 0xcf45, 0xef65,
    0xc245, 0xe265, 0xc145, 0xe165, 0xc045, 0xe065, 0xc545, 0xe565, 0xc345, 0xe365, 0xc445, 0xe465,
    0x0049, 0x0069, 0x00cd, 0x00ed, 0x00cc, 0x00ec, 0x00c6, 0x00e6, 0x00d3, 0x00f3, 0x00d2, 0x00f2,
    0x004f, 0x006f, 0xd94f, 0xf96f, 0xd84f, 0xf86f, 0xdb4f, 0xfb6f, 0xd54f, 0xf56f, 0xcf4f, 0xef6f,
    0xc24f, 0xe26f, 0xc14f, 0xe16f, 0xc04f, 0xe06f, 0xc54f, 0xe56f, 0xc34f, 0xe36f, 0xc44f, 0xe46f,
    0x00d4, 0x00f4, 0xd9d4, 0xf9f4, 0xd8d4, 0xf8f4, 0xdbd4, 0xfbf4, 0xd5d4, 0xf5f4, 0xcfd4, 0xeff4,
    0x0055, 0x0075, 0xd955, 0xf975, 0xd855, 0xf875, 0xdb55, 0xfb75, 0xd555, 0xf575, 0xcf55, 0xef75,
    0x00d6, 0x00f6, 0xd9d6, 0xf9f6, 0xd8d6, 0xf8f6, 0xdbd6, 0xfbf6, 0xd5d6, 0xf5f6, 0xcfd6, 0xeff6,
    0x0059, 0x0079, 0xd959, 0xf979, 0xd859, 0xf879, 0xdb59, 0xfb79, 0xd559, 0xf579, 0x00ce, 0x00ee,
]


def _forms(base: str) -> list[str]:
    if base == "đ":
        return ["Đ", "đ"]
    return [NFC(b + t) for t in TONES for b in (base.upper(), base)]


def _unikey_vni_table() -> dict[str, bytes]:
    letters = [ch for b in "a â ă đ e ê i o ô ơ u ư y".split() for ch in _forms(b)]
    assert len(letters) == len(UNIKEY_VNI) == 146
    table = {}
    for ch, word in zip(letters, UNIKEY_VNI):
        lo, hi = word & 0xFF, word >> 8
        table[ch] = bytes([lo]) + (bytes([hi]) if hi else b"")
    return table


def _unikey_tcvn3_table() -> dict[str, bytes]:
    table = {}
    for base, codes in UNIKEY_TCVN3.items():
        for ch, code in zip(_forms(base), codes):
            table[ch] = code.encode("cp1252") if code != "\xad" else b"\xad"
    return table


VNI_TABLE = _unikey_vni_table()
TCVN3_ABC_TABLE = _unikey_tcvn3_table()  # VN3: capitals with tones use the lowercase code


def _tcvn_vn1_capitals() -> dict[str, bytes]:
    """Toned capitals of TCVN 5712 VN1 (GNU libiconv tcvn.h) as the module holds them."""
    out = {}
    for b, ch in enc._TCVN_C0.items():
        out[ch] = bytes([b])
    for i, ch in enumerate(enc._TCVN_C1):
        out[ch] = bytes([0x80 + i])
    for i, ch in enumerate(enc._TCVN_HIGH):
        if ch.isupper() and ch not in out:
            out.setdefault(ch, bytes([0xA0 + i]))
    return out


def encode_vni(text: str) -> bytes:
    return b"".join(VNI_TABLE.get(ch) or ch.encode("cp1252") for ch in text)


def encode_tcvn3(text: str, *, abc: bool = False) -> bytes:
    """TCVN3 bytes; ``abc=True`` writes toned capitals with the lowercase VN3 code (what ABC
    fonts do), otherwise with their TCVN 5712 VN1 code."""
    caps = {} if abc else _tcvn_vn1_capitals()
    out = []
    for ch in text:
        if ch in caps:
            out.append(caps[ch])
        elif ch in TCVN3_ABC_TABLE:
            out.append(TCVN3_ABC_TABLE[ch])
        else:
            out.append(ch.encode("cp1252"))
    return b"".join(out)


def encode_cp1258(text: str, *, precomposed: bool = False) -> bytes:
    """Windows-1258: hats/horns/breve precomposed, tone marks as combining characters
    (Python's encoder has no precomposed toned letters).  ``precomposed=True`` keeps the
    Latin-1 letters that cp1258 does have (á, à, é ...) as single bytes."""
    out = []
    for ch in text:
        if precomposed:
            try:
                out.append(ch.encode("cp1258"))
                continue
            except UnicodeEncodeError:
                pass
        d = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in d if c in (ACUTE, GRAVE, HOOK, TILDE, DOT))
        base = NFC("".join(c for c in d if c not in tones))
        out.append((base + tones).encode("cp1258"))
    return b"".join(out)


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------


def test_vni_table_matches_unikey():
    non_ascii = {ch: seq for ch, seq in VNI_TABLE.items() if not ch.isascii()}
    assert enc._VNI_ENCODE == non_ascii
    assert len(enc._VNI_ENCODE) == 134


def test_vni_spot_values():
    assert encode_vni("Việt Nam") == b"Vie\xe4t Nam"
    assert encode_vni("đường") == b"\xf1\xf6\xf4\xf8ng"


def test_tcvn_table_agrees_with_unikey_vn3():
    decode_table = enc._TCVN3_TABLE
    for ch, code in TCVN3_ABC_TABLE.items():
        b = code[0]
        if b < 0x80:
            continue
        got = decode_table[b]
        assert got in (ch, ch.lower()), (ch, hex(b), got)


def test_tcvn3_spot_values():
    assert encode_tcvn3("Việt Nam") == b"Vi\xd6t Nam"
    assert encode_tcvn3("đường") == b"\xae\xad\xeang"


# --------------------------------------------------------------------------------------------
# Round trips
# --------------------------------------------------------------------------------------------

SAMPLES = {
    "full": FULL_TEXT,
    "prose": "\n".join(PROSE),
    "sentence": PROSE[1],
    "headline": PROSE[-1],
}


@pytest.mark.parametrize("name", SAMPLES)
@pytest.mark.parametrize("precomposed", [False, True])
def test_round_trip_cp1258(name, precomposed):
    text = SAMPLES[name]
    d = decode(encode_cp1258(text, precomposed=precomposed))
    assert d.text == text
    assert d.encoding == "cp1258"
    assert "encoding:cp1258" in d.flags


@pytest.mark.parametrize("name", SAMPLES)
def test_round_trip_tcvn3(name):
    text = SAMPLES[name]
    d = decode(encode_tcvn3(text))
    assert d.text == text
    assert d.encoding == "tcvn3"
    assert "encoding:tcvn3" in d.flags


@pytest.mark.parametrize("name", SAMPLES)
def test_round_trip_vni(name):
    text = SAMPLES[name]
    d = decode(encode_vni(text))
    assert d.text == text
    assert d.encoding == "vni"
    assert "encoding:vni" in d.flags


def test_tcvn3_abc_capitals_are_restored_in_all_caps_runs():
    # ABC fonts write toned capitals with the lowercase code; whole all-caps lines come back.
    text = "\n".join(PROSE + [COVERAGE_UPPER]) + "\n"
    d = decode(encode_tcvn3(text, abc=True))
    assert d.encoding == "tcvn3"
    assert d.text == text


def test_tcvn3_abc_sentence_initial_capital_is_restored():
    text = "Ở Hà Nội, trời mưa to. Ấy là lời kể của ông.\n“Ảnh hưởng lớn,” ông nói."
    assert decode(encode_tcvn3(text, abc=True)).text == text


def test_tcvn3_abc_toned_capital_inside_a_sentence_stays_lowercase():
    # Known limit of VN3: "Ấn" inside a sentence is the same byte as "ấn".
    text = "Quan hệ giữa Việt Nam và Ấn Độ được nâng lên tầm cao mới."
    assert decode(encode_tcvn3(text, abc=True)).text == text.replace("Ấn", "ấn")


def test_tcvn3_c1_bytes_as_punctuation_and_letters():
    # 0x93/0x94/0x97 are “ ” — in VN3 files but Ỏ Õ Ộ in VN1: the word decides.
    text = "Ông nói: “Tôi về Hà Nội” — ĐỘI TUYỂN VỀ NƯỚC"
    data = encode_tcvn3(text)
    assert b"\x93" in data and b"\x97" in data
    assert decode(data).text == text


@pytest.mark.parametrize(
    "text",
    [
        "Cô được gọi là “bản sao của chị X”, ông nói.",  # ” after a capital closes “
        "Sở LĐ–TB & XH tỉnh đã vào cuộc ngay trong chiều nay.",
        "Dự án “B 20 K”, được tài trợ hằng năm.",
        "Chị Lê Thị Ng. lái xe, còn bà H. ở nhà, anh L. ở trọ gần đó.",
        "Họ bàn về giá cả, thời tiết... ở khắp nơi; vài lời xã giao… ý kiến của chị.",
    ],
)
def test_tcvn3_context_rules(text):
    assert decode(encode_tcvn3(text)).text == text


def test_round_trip_legacy_large_input_uses_sample():
    text = FULL_TEXT * 400  # > 2 x 64 KiB: ranking is done on a sample
    for data, name in ((encode_tcvn3(text), "tcvn3"), (encode_vni(text), "vni"),
                       (encode_cp1258(text), "cp1258")):
        d = decode(data)
        assert (d.encoding, d.text) == (name, text)


# --------------------------------------------------------------------------------------------
# Unicode inputs
# --------------------------------------------------------------------------------------------


def test_utf8_fast_path():
    d = decode(FULL_TEXT.encode("utf-8"))
    assert d == Decoded(FULL_TEXT, "utf-8", ())


def test_utf8_is_nfc_normalised():
    nfd = unicodedata.normalize("NFD", FULL_TEXT)
    d = decode(nfd.encode("utf-8"))
    assert d.text == FULL_TEXT and d.encoding == "utf-8"


def test_whitespace_is_kept():
    text = "  Việt\tNam\r\n\r\n  có  nhiều   khoảng trắng \n"
    assert decode(text.encode()).text == text


def test_utf8_bom():
    d = decode(b"\xef\xbb\xbf" + FULL_TEXT.encode("utf-8"))
    assert d.text == FULL_TEXT
    assert d.encoding == "utf-8-sig"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom(codec):
    data = FULL_TEXT.encode(codec)
    if codec != "utf-16":
        data = ("\ufeff" + FULL_TEXT).encode(codec)
    d = decode(data)
    assert d.text == FULL_TEXT
    assert d.encoding == "utf-16"
    assert "encoding:utf-16" in d.flags


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_sniffed(codec):
    d = decode(FULL_TEXT.encode(codec))
    assert d.text == FULL_TEXT
    assert d.encoding == codec
    assert "no-bom" in d.flags


def test_utf32_with_bom():
    d = decode(FULL_TEXT.encode("utf-32"))
    assert d.text == FULL_TEXT and d.encoding == "utf-32"


def test_utf8_with_one_bad_byte():
    data = FULL_TEXT.encode("utf-8")
    cut = data.index("Đường".encode())
    bad = data[:cut] + b"\xff" + data[cut:]
    d = decode(bad)
    assert d.encoding == "utf-8"
    assert "invalid-bytes-replaced:1" in d.flags
    at = FULL_TEXT.index("Đường")
    assert d.text == FULL_TEXT[:at] + "\ufffd" + FULL_TEXT[at:]


def test_utf8_truncated_at_the_end():
    data = PROSE[0].encode("utf-8") + "ệ".encode()[:2]
    d = decode(data)
    assert d.encoding == "utf-8"
    assert d.flags == ("invalid-bytes-replaced:1",)
    assert d.text == PROSE[0] + "\ufffd"


def test_utf8_counts_each_bad_sequence():
    data = b"\xff".join(p.encode() for p in PROSE)
    d = decode(data)
    assert "invalid-bytes-replaced:%d" % (len(PROSE) - 1) in d.flags


def test_utf8_with_many_bad_bytes_goes_legacy():
    # A TCVN3 file with a few valid UTF-8 pairs by chance is still TCVN3.
    d = decode(encode_tcvn3(FULL_TEXT) + "Việt".encode())
    assert d.encoding == "tcvn3"


def test_existing_replacement_characters_are_not_counted():
    data = "Lỗi \ufffd cũ".encode() + b"\xff"
    d = decode(data)
    assert "invalid-bytes-replaced:1" in d.flags


def as_cp1252(data: bytes) -> str:
    """What Windows/browsers show for ``data`` read as cp1252: undefined bytes become U+0081..."""
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in data)


def test_utf8_mojibake_in_file_is_fixed():
    prose = "\n".join(PROSE)
    d = decode(as_cp1252(prose.encode("utf-8")).encode("utf-8"))
    assert d.text == prose
    assert d.encoding == "utf-8+mojibake-fixed"
    assert d.flags == ("mojibake-fixed", "mojibake:utf-8")


# --------------------------------------------------------------------------------------------
# Western text and hopeless input
# --------------------------------------------------------------------------------------------

ENGLISH = (
    "The committee met on Tuesday to discuss the budget. “We can’t keep waiting,” said "
    "the chairman – adding that costs had risen by 12 % since last year… Café owners agreed.\n"
)
FRENCH = "Le café était très bon à Noël ; la fenêtre donnait sur un jardin où l’été durait.\n"
GERMAN = "Die Straße in München war übervoll, als Jürgen Müller das Büro öffnete.\n"


@pytest.mark.parametrize("text", [ENGLISH, FRENCH, GERMAN])
def test_western_cp1252(text):
    d = decode(text.encode("cp1252"))
    assert d.text == text
    assert d.encoding == "cp1252"
    assert d.flags == ("encoding:cp1252",)


def test_ascii_is_utf8():
    assert decode(b"plain ascii text\n") == Decoded("plain ascii text\n", "utf-8", ())


def test_hopeless_high_bytes():
    rng = random.Random(7)
    data = bytes(rng.choice(range(0xA0, 0x100)) for _ in range(400))
    with pytest.raises(DecodeError) as exc:
        decode(data)
    assert exc.value.reason.startswith("not text")


def test_chinese_gbk_is_not_vietnamese():
    data = ("新华社北京电 国家统计局今天发布数据，经济保持稳定增长。" * 20).encode("gbk")
    with pytest.raises(DecodeError) as exc:
        decode(data)
    assert "not text" in exc.value.reason


# --------------------------------------------------------------------------------------------
# Binary and empty input
# --------------------------------------------------------------------------------------------


def test_empty():
    with pytest.raises(DecodeError) as exc:
        decode(b"")
    assert exc.value.reason == "empty input"


@pytest.mark.parametrize("bom", [b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00"])
def test_bom_only_is_empty(bom):
    with pytest.raises(DecodeError) as exc:
        decode(bom)
    assert "empty input" in exc.value.reason


@pytest.mark.parametrize(
    "data, word",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(50), "PNG"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "JPEG"),
        (b"GIF89a\x01\x00\x01\x00\x80\x00\x00", "GIF"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        (gzip.compress("Việt Nam".encode()), "gzip"),
    ],
)
def test_magic_numbers(data, word):
    with pytest.raises(DecodeError) as exc:
        decode(data)
    assert word in exc.value.reason
    assert looks_binary(data)


def test_gzip_reason_tells_the_caller_to_decompress():
    with pytest.raises(DecodeError) as exc:
        decode(gzip.compress(b"hello"))
    assert "gzip" in exc.value.reason and "caller" in exc.value.reason


def test_nul_bytes():
    data = b"hello world\x00\x01\x02 more"
    with pytest.raises(DecodeError) as exc:
        decode(data)
    assert exc.value.reason == "binary data (NUL bytes at offset 11)"


def test_short_input_with_nul_is_binary():
    with pytest.raises(DecodeError) as exc:
        decode(b"abc\x00def")
    assert exc.value.reason == "binary data (NUL bytes at offset 3)"


def test_random_binary():
    rng = random.Random(1234)
    data = bytes(rng.randrange(256) for _ in range(5000))
    with pytest.raises(DecodeError) as exc:
        decode(data)
    assert exc.value.reason.startswith("binary data")
    assert looks_binary(data)


def test_control_characters():
    data = bytes(range(1, 9)) * 30 + b"some text"
    with pytest.raises(DecodeError) as exc:
        decode(data)
    assert "control characters" in exc.value.reason


def test_looks_binary_false_for_text():
    assert not looks_binary(FULL_TEXT.encode())
    assert not looks_binary(FULL_TEXT.encode("utf-16"))
    assert not looks_binary(FULL_TEXT.encode("utf-16-le"))
    assert not looks_binary(encode_tcvn3(FULL_TEXT))
    assert not looks_binary(b"")


def test_decode_error_is_a_value_error_with_reason():
    err = DecodeError("empty input")
    assert isinstance(err, ValueError)
    assert err.reason == "empty input" and str(err) == "empty input"
    clone = pickle.loads(pickle.dumps(err))
    assert clone.reason == "empty input"


def test_decoded_is_frozen():
    d = decode(b"abc")
    with pytest.raises(AttributeError):
        d.text = "x"  # type: ignore[misc]


# --------------------------------------------------------------------------------------------
# fix_text
# --------------------------------------------------------------------------------------------


def test_fix_text_leaves_normal_text_alone():
    for text in [FULL_TEXT, ENGLISH, FRENCH, GERMAN, "", "123"]:
        assert fix_text(text) == (text, ())
    assert not enc._suspicious(FULL_TEXT)


@pytest.mark.parametrize(
    "text",
    [
        "Nồng độ cồn 0,25‰ trong hơi thở, ông Xâm bị phạt.",  # per mille sign
        "Ðăng ký theo Nghị định 63/2016/NÐ-CP tại Ðà Nẵng.",  # Eth used for Đ
        "Khách hàng được:\nñ Giảm 10% khi mua vé\nñ Hoàn tiền khi đặt phòng",  # Wingdings bullet
        "Müller, Ødegaard, Gonçalves, Zaïre, Israël, tàu Ægir 6000, bà Åsa và ông Schäfer.",
        "Diện tích 120 m² và 45 m³, giá ½ so với năm ngoái; nhiệt độ 30°C.",
        "Bầu trời “NGÃ” xuống — chuyện lạ.",
        "khuyến mãi “MUA XE MỚI – NHẬN QUÀ CỰC ĐÃ”.\nChương trình “GIẢM GIÁ – CỰC ĐÃ”",
        "Sở GD & ÐT Hà Nội và Phòng GD & ÐT quận Ba Đình đã họp bàn kế hoạch",
    ],
)
def test_fix_text_no_false_positives(text):
    assert fix_text(text) == (text, ())


@pytest.mark.parametrize("reader", [as_cp1252, lambda b: b.decode("latin-1")])
@pytest.mark.parametrize("text", ["Việt Nam", PROSE[2], "\n".join(PROSE), COVERAGE_LOWER,
                                  COVERAGE_UPPER])
def test_fix_text_utf8_read_as_cp1252(reader, text):
    broken = reader(text.encode("utf-8"))
    assert fix_text(broken) == (text, ("mojibake-fixed", "mojibake:utf-8"))


def test_fix_text_example_from_the_brief():
    assert fix_text("Viá»‡t Nam")[0] == "Việt Nam"
    assert fix_text("Vieät Nam")[0] == "Việt Nam"
    assert fix_text("ViÖt Nam")[0] == "Việt Nam"


def test_fix_text_double_mojibake():
    once = "Người Việt".encode().decode("latin-1")
    twice = once.encode().decode("latin-1")
    assert fix_text(twice)[0] == "Người Việt"


@pytest.mark.parametrize("line", PROSE[:-1])
def test_fix_text_vni_read_as_cp1252(line):
    broken = encode_vni(line).decode("cp1252")
    assert fix_text(broken) == (line, ("mojibake-fixed", "mojibake:vni"))


@pytest.mark.parametrize("line", PROSE[:-1])
def test_fix_text_tcvn3_read_as_cp1252(line):
    broken = encode_tcvn3(line, abc=True).decode("cp1252")
    fixed, flags = fix_text(broken)
    assert flags == ("mojibake-fixed", "mojibake:tcvn3")
    assert fixed == line


def test_fix_text_rereads_lines_without_tell_tales():
    # "keát hoân" / "sèng" hold no tell-tale character; the text as a whole is mojibake
    text = "Năm 2013 họ kết hôn.\nSau 5 năm chung sống, hai người thường xuyên đi làm ăn xa."
    assert fix_text(as_cp1252(encode_vni(text)))[0] == text
    assert fix_text(as_cp1252(encode_tcvn3(text, abc=True)))[0] == text


def test_fix_text_vni_is_not_taken_for_utf8():
    # VNI "Ñ–" (Đ + en dash) is also UTF-8 for Cyrillic "і": not a repair
    text = "Sở LĐ–TB & XH tỉnh đã vào cuộc ngay trong chiều nay."
    assert fix_text(as_cp1252(encode_vni(text))) == (text, ("mojibake-fixed", "mojibake:vni"))


def test_fix_text_mixed_unicode_and_vni():
    text = "Tin mới: " + encode_vni("Đường phố rực rỡ cờ hoa trong ngày lễ").decode("cp1252")
    assert fix_text(text)[0] == "Tin mới: Đường phố rực rỡ cờ hoa trong ngày lễ"


# --------------------------------------------------------------------------------------------
# vietnamese_score and the syllable validator
# --------------------------------------------------------------------------------------------


def test_score_of_vietnamese_and_others():
    assert vietnamese_score(FULL_TEXT) > 0.95
    assert vietnamese_score(ENGLISH) < 0.5
    assert vietnamese_score("") == 0.0
    assert vietnamese_score("12 345 !!") == 0.0
    assert vietnamese_score(as_cp1252(encode_tcvn3(FULL_TEXT))) < 0.5
    assert vietnamese_score(as_cp1252(encode_vni(FULL_TEXT))) < 0.5
    assert 0.0 <= vietnamese_score(FRENCH) <= 1.0


def test_score_is_independent_of_normal_form():
    nfd = unicodedata.normalize("NFD", FULL_TEXT)
    assert vietnamese_score(nfd) == vietnamese_score(FULL_TEXT)


def test_utf16_with_lone_surrogate_is_flagged():
    data = "Việt Nam ".encode("utf-16-le") + b"\x00\xd8" + " có".encode("utf-16-le")
    d = decode(codecs.BOM_UTF16_LE + data)
    assert d.encoding == "utf-16"
    assert "invalid-bytes-replaced:1" in d.flags
    assert d.text.startswith("Việt Nam ") and d.text.endswith(" có")


def test_legacy_encoding_uncertain_flag_on_tiny_input():
    d = decode("cá".encode("cp1258"))  # 63 E1: also valid TCVN3 ("cỏ") -- a coin toss
    assert "encoding-uncertain" in d.flags


@pytest.mark.parametrize(
    "word",
    ["nghiêng", "người", "được", "quyết", "khuya", "giữa", "gì", "thuở", "oà", "hoà", "khoẻ",
     "ấy", "ở", "ạ", "yêu", "uống", "tuần", "huých", "xoong", "Việt", "ĐẤT", "kiếm", "cát", "cạp"],
)
def test_valid_syllables(word):
    assert enc._is_syllable(word)


@pytest.mark.parametrize(
    "word", ["càt", "cat", "hỏp", "and", "the_", "việtt", "xyz", "đươngf", "aá", "tiếngg", "müller"]
)
def test_invalid_syllables(word):
    assert not enc._is_syllable(word)


def test_every_fixture_word_is_valid():
    words = enc._WORD_RE.findall(FULL_TEXT)
    bad = [w for w in words if not enc._is_syllable(w)]
    assert bad == ["C", "TP"]  # the unit and the abbreviation


# --------------------------------------------------------------------------------------------
# Property tests
# --------------------------------------------------------------------------------------------

VOCAB = sorted(set(enc._WORD_RE.findall("\n".join(PROSE[:-1]))) - {"C", "TP"})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_decode_raises_only_decode_error(data):
    try:
        d = decode(data)
    except DecodeError as exc:
        assert exc.reason
    else:
        assert unicodedata.is_normalized("NFC", d.text)
        assert isinstance(d.flags, tuple)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([b"\x00", b"\xff", b"\xe1\xbb", b"\x93", b"\xd6", b"a", b" ",
                                 b"\n", b"\xc3", b"\xef\xbb\xbf", b"\xfe\xff", b"PK"]),
                max_size=300))
def test_decode_raises_only_decode_error_on_nasty_pieces(pieces):
    try:
        decode(b"".join(pieces))
    except DecodeError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_fix_text_never_raises(text):
    fixed, flags = fix_text(text)
    assert (fixed == text) == (flags == ())


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(VOCAB), min_size=6, max_size=40, unique=True))
def test_legacy_round_trip_property(words):
    # Starts with a capital: TCVN3 capitalises a sentence that starts with "ấy" (see above).
    text = "Tin " + " ".join(words)
    assert fix_text(text) == (text, ())
    for data, name in ((encode_tcvn3(text), "tcvn3"), (encode_vni(text), "vni"),
                       (encode_cp1258(text), "cp1258")):
        d = decode(data)
        assert d.text == text, name
        if any(not w.isascii() for w in words):
            assert d.encoding == name


# --------------------------------------------------------------------------------------------
# Real data (skipped when ../shared/data is absent)
# --------------------------------------------------------------------------------------------

@pytest.mark.eval
def test_real_news_bodies_pass_untouched():
    from conftest import needs_shared  # honours BANTIN_SHARED, skips with a message where the data is absent

    checked = 0
    with gzip.open(needs_shared("data", "vietnews", "val.jsonl.gz"), "rt", encoding="utf-8") as f:
        for line in f:
            body = json.loads(line)["body"]
            if not body or body.startswith("\ufeff"):
                continue
            d = decode(body.encode("utf-8"))
            assert d.encoding == "utf-8" and d.flags == (), body[:200]
            assert d.text == NFC(body)
            checked += 1
            if checked >= 3000:
                break
    assert checked >= 1000
