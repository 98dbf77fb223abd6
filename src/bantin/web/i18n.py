"""The page's words in Vietnamese (the default) and English. ``?lang=en`` (or ``vi``) on any page switches and
is remembered in a cookie; no JavaScript involved."""

from __future__ import annotations

LANGS = ("vi", "en")
COOKIE = "lang"

STRINGS: dict[str, dict[str, str]] = {
    "vi": {
        "site": "bantin", "tagline": "Kho tin tức tiếng Việt", "home": "Trang chủ", "search": "Tìm kiếm",
        "stories": "Sự kiện", "entities": "Thực thể", "api": "API", "other_lang": "English",
        "search_placeholder": "Tìm bài: thuy si, \"giá vàng\", -bóng đá…",
        "search_hint": "Gõ có dấu để tìm đúng chữ đó, không dấu để tìm mọi cách viết (thuy si → Thụy Sĩ). "
                       "Cú pháp: \"cụm từ\", -loại trừ, a OR b, tiền tố*.",
        "since": "Từ ngày", "until": "Đến ngày", "outlet": "Báo", "entity": "Thực thể", "type": "Loại",
        "sort": "Sắp xếp", "relevance": "Liên quan", "date": "Mới nhất", "go": "Tìm", "any": "Tất cả",
        "results": "kết quả", "no_results": "Không có bài nào khớp.", "copies": "bản sao",
        "next_page": "Trang sau →", "first_page": "← Về trang đầu", "per_day": "Số bài mỗi ngày",
        "per_week": "Số bài mỗi tuần", "per_month": "Số bài mỗi tháng",
        "facet_outlets": "Báo", "facet_entities": "Nhân vật, nơi chốn, tổ chức", "facet_topics": "Chủ đề", "no_outlet": "không rõ báo",
        "undated": "không ngày", "remove_filter": "bỏ lọc", "filters": "Bộ lọc", "atom": "Theo dõi (Atom)",
        "json": "JSON", "spelling_exact": "Chỉ các bài viết đúng dấu như bạn gõ.",
        "spelling_all": "Tìm mọi cách viết", "ranked_only": "Xếp theo liên quan chỉ xét {n} bài mới nhất khớp "
                                                             "mỗi tầng; xếp theo ngày để xem cả {total} bài.",
        "published": "Đăng lúc", "by": "Tác giả", "via": "Theo", "section": "Chuyên mục", "views": "lượt xem",
        "source": "Bài gốc", "raw": "Dữ liệu gốc", "lead": "Sapo", "people": "Người", "places": "Nơi chốn",
        "orgs": "Tổ chức", "misc": "Khác", "duplicates": "Bản sao của bài này", "canonical": "bản chính",
        "story": "Sự kiện", "story_of": "Bài này thuộc sự kiện", "provenance": "Nguồn nhập", "flags": "Ghi chú làm sạch",
        "captions": "Chú thích ảnh", "tags": "Từ khóa của báo", "quotes": "Trích dẫn", "said": "nói",
        "dates_mentioned": "Mốc thời gian được nhắc", "amounts": "Con số", "topic": "Chủ đề",
        "keywords": "Từ khóa", "summary": "Tóm tắt", "facts": "Ai nói gì, khi nào, bao nhiêu",
        "articles": "bài", "mentions": "lần nhắc", "aliases": "Còn gọi là", "co_occurring": "Thường đi cùng",
        "latest": "Bài mới nhất", "mentions_over_time": "Số bài nhắc đến theo thời gian", "first_report": "Đưa tin đầu tiên",
        "timeline": "Diễn biến đưa tin", "members": "Các bài", "outlets": "báo", "archive": "Kho lưu trữ",
        "last_ingest": "Lần nhập gần nhất", "trending_entities": "Được nhắc nhiều trong 7 ngày cuối",
        "trending_stories": "Sự kiện nổi bật trong 7 ngày cuối", "week_before": "tuần trước",
        "articles_total": "Bài báo", "outlets_total": "Báo", "date_range": "Khoảng thời gian",
        "size": "Dung lượng", "dup_total": "Bản sao", "stories_total": "Sự kiện (2+ bài)", "rejected": "Bị từ chối",
        "min_size": "Ít nhất (bài)", "all_types": "Mọi loại", "error": "Lỗi", "back_home": "Về trang chủ",
        "not_found": "Không tìm thấy", "no_entities": "Chưa có thực thể nào.", "no_stories": "Chưa có sự kiện nào.",
        "empty_archive": "Kho trống: hãy nhập bài bằng `bantin ingest`.", "api_docs": "Tài liệu API",
        "window": "7 ngày cuối của kho", "open_entity": "trang thực thể", "filter_by": "Lọc",
        "undated_articles": "bài không ngày", "copy_of": "bản sao của", "kind_exact": "trùng hoàn toàn",
        "kind_url": "cùng URL", "kind_near": "gần trùng", "similarity": "giống", "no_text": "(bài không có nội dung)",
        "truncated": "(sapo bị cắt)", "file": "tệp", "record": "bản ghi", "format": "định dạng",
        "nothing_yet": "chưa có", "crawl": "lần thu thập", "in_day": "trong 24 giờ trước đó",
        "PER": "Người", "LOC": "Nơi chốn", "ORG": "Tổ chức", "MISC": "Khác",
    },
    "en": {
        "site": "bantin", "tagline": "An archive of Vietnamese news", "home": "Home", "search": "Search",
        "stories": "Stories", "entities": "Entities", "api": "API", "other_lang": "Tiếng Việt",
        "search_placeholder": "Search: thuy si, \"giá vàng\", -bóng đá…",
        "search_hint": "Type with diacritics to find that spelling, without to find every spelling (thuy si → Thụy "
                       "Sĩ). Syntax: \"a phrase\", -exclude, a OR b, prefix*.",
        "since": "From", "until": "To", "outlet": "Outlet", "entity": "Entity", "type": "Type", "sort": "Sort",
        "relevance": "Relevance", "date": "Newest", "go": "Search", "any": "Any", "results": "results",
        "no_results": "No article matches.", "copies": "copies", "next_page": "Next page →",
        "first_page": "← First page", "per_day": "Articles per day", "per_week": "Articles per week",
        "per_month": "Articles per month", "facet_outlets": "Outlets", "facet_topics": "Topics",
        "facet_entities": "People, places, organisations", "no_outlet": "unknown outlet", "undated": "undated",
        "remove_filter": "remove", "filters": "Filters", "atom": "Follow (Atom)", "json": "JSON",
        "spelling_exact": "Only articles spelled with your diacritics.", "spelling_all": "Find every spelling",
        "ranked_only": "Relevance looks at the {n} newest matches of each tier; sort by date to see all {total}.",
        "published": "Published", "by": "By", "via": "Via", "section": "Section", "views": "views",
        "source": "Original", "raw": "Raw input", "lead": "Lead", "people": "People", "places": "Places",
        "orgs": "Organisations", "misc": "Other", "duplicates": "Copies of this text", "canonical": "canonical",
        "story": "Story", "story_of": "Part of the story", "provenance": "Read from", "flags": "Cleaning notes",
        "captions": "Photo captions", "tags": "Outlet's tags", "quotes": "Quotes", "said": "said",
        "dates_mentioned": "Dates mentioned", "amounts": "Amounts", "topic": "Topic", "keywords": "Keywords",
        "summary": "Summary", "facts": "Who said what, when, how much", "articles": "articles",
        "mentions": "mentions", "aliases": "Also called", "co_occurring": "Often with", "latest": "Latest articles",
        "mentions_over_time": "Articles mentioning it over time", "first_report": "First report",
        "timeline": "Coverage over time", "members": "Articles", "outlets": "outlets", "archive": "Archive",
        "last_ingest": "Last ingest", "trending_entities": "Most mentioned in the last 7 days",
        "trending_stories": "Top stories of the last 7 days", "week_before": "week before",
        "articles_total": "Articles", "outlets_total": "Outlets", "date_range": "Date range", "size": "Size",
        "dup_total": "Copies", "stories_total": "Stories (2+ articles)", "rejected": "Rejected",
        "min_size": "At least (articles)", "all_types": "All types", "error": "Error", "back_home": "Back home",
        "not_found": "Not found", "no_entities": "No entities yet.", "no_stories": "No stories yet.",
        "empty_archive": "The archive is empty: add articles with `bantin ingest`.", "api_docs": "API documentation",
        "window": "the archive's last 7 days", "open_entity": "entity page", "filter_by": "Filter",
        "undated_articles": "undated articles", "copy_of": "copy of", "kind_exact": "identical", "kind_url": "same URL",
        "kind_near": "near copy", "similarity": "similar", "no_text": "(no text)", "truncated": "(lead cut off)",
        "file": "file", "record": "record", "format": "format", "nothing_yet": "none yet", "crawl": "crawl run",
        "in_day": "in the 24 hours before",
        "PER": "Person", "LOC": "Place", "ORG": "Organisation", "MISC": "Other",
    },
}


def pick(query_lang: str | None, cookie_lang: str | None) -> str:
    for v in (query_lang, cookie_lang):
        if v in LANGS:
            return v  # type: ignore[return-value]
    return "vi"


def translator(lang: str):
    table = STRINGS.get(lang, STRINGS["vi"])
    fallback = STRINGS["vi"]

    def t(key: str, **kw: object) -> str:
        s = table.get(key) or fallback.get(key) or key
        return s.format(**kw) if kw else s

    return t
