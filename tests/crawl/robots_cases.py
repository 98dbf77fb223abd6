"""robots.txt cases with the answer RFC 9309 (and Google's reading of it) gives, for agent "bantin".

Shared by tests/crawl/test_units.py (bantin must get every one right) and bench/crawl.py (which also scores
urllib.robotparser on them). Each: (name, robots.txt, path, allowed?).
"""

CASES: list[tuple[str, str, str, bool]] = [
    ("allow after disallow: longest match wins", "User-agent: *\nDisallow: /\nAllow: /news/\n", "/news/a.html", True),
    ("longer disallow beats shorter allow", "User-agent: *\nAllow: /news\nDisallow: /news/private\n",
     "/news/private/x", False),
    ("longer allow beats shorter disallow", "User-agent: *\nDisallow: /news\nAllow: /news/tin\n", "/news/tin/1", True),
    ("equal length: allow wins", "User-agent: *\nDisallow: /folder\nAllow: /folder\n", "/folder/page", True),
    ("* wildcard in the middle", "User-agent: *\nDisallow: /*?print=\n", "/a.html?print=1", False),
    ("* wildcard, no match", "User-agent: *\nDisallow: /*?print=\n", "/a.html?page=2", True),
    ("$ anchors the end", "User-agent: *\nDisallow: /*.pdf$\n", "/files/x.pdf", False),
    ("$ anchor: longer path not matched", "User-agent: *\nDisallow: /*.pdf$\n", "/files/x.pdf?v=2", True),
    ("Allow /$ keeps only the root", "User-agent: *\nAllow: /$\nDisallow: /\n", "/", True),
    ("Allow /$ with Disallow /", "User-agent: *\nAllow: /$\nDisallow: /\n", "/page", False),
    ("specific group replaces *", "User-agent: *\nDisallow: /\n\nUser-agent: bantin\nDisallow:\n", "/a", True),
    ("* applies to others", "User-agent: *\nDisallow: /private\n\nUser-agent: otherbot\nDisallow: /\n",
     "/private/x", False),
    ("several agents in one group", "User-agent: foo\nUser-agent: bantin\nDisallow: /x\n", "/x/1", False),
    ("directives are case-insensitive", "user-agent: *\ndisallow: /X\n", "/X/1", False),
    ("paths are case-sensitive", "User-agent: *\nDisallow: /X\n", "/x/1", True),
    ("empty Disallow allows all", "User-agent: *\nDisallow:\n", "/anything", True),
    ("non-ASCII rule vs percent-encoded URL", "User-agent: *\nDisallow: /tin-tức\n", "/tin-t%E1%BB%A9c/1", False),
    ("BOM before the first line", "\ufeffUser-agent: *\nDisallow: /\n", "/a", False),
    ("comments and blank lines", "# hi\nUser-agent: * # all\n\nDisallow: /tmp # no\n", "/tmp/x", False),
    ("agent token is case-insensitive", "User-agent: BANTIN\nDisallow: /a\n", "/a", False),
    ("rule without a group is ignored", "Disallow: /\nUser-agent: *\nAllow: /\n", "/a", True),
    ("groups for the same agent are merged", "User-agent: bantin\nDisallow: /a\n\nUser-agent: bantin\n"
                                             "Disallow: /b\n", "/b", False),
]
