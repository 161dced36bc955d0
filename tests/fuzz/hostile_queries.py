"""Hostile search requests: each must be answered (200) or refused (400 with a reason) within the bounds
the code enforces (app/search/query.py MAX_QUERY_CHARS, MAX_TERMS, MAX_DEPTH; the API's q length;
SEARCH_TIME_LIMIT in app/config.py). Shared by tests/fuzz/test_hostile_search.py and bench/hostile_search.py.

Each entry is (name, query parameters). ``q`` values are text; a few requests also stretch the other
parameters (page, per_page, sort, as_of, jurisdiction lists).
"""

from __future__ import annotations

_WORDS = ["污染", "排放", "数据", "共享", "限值", "标准", "条例", "办法", "能源", "金融"]


def _or(n: int) -> str:
    return " OR ".join(f"{_WORDS[i % len(_WORDS)]}{i}" for i in range(n))


HOSTILE: list[tuple[str, dict]] = [
    # wildcards
    ("star", {"q": "*"}),
    ("question", {"q": "?"}),
    ("leading-star", {"q": "*排放"}),
    ("leading-question", {"q": "?排放"}),
    ("star-both-sides", {"q": "*污染*"}),
    ("star-inside", {"q": "污*染"}),
    ("hundred-questions", {"q": "?" * 100}),
    ("hundred-stars", {"q": "*" * 100}),
    ("star-word", {"q": "a*"}),
    ("full-width-star", {"q": "＊排放"}),
    ("many-trailing-stars", {"q": " ".join(f"{w}*" for w in _WORDS * 3)}),
    # OR bombs and many terms
    ("or-1000-terms", {"q": _or(1000)}),
    ("or-33-terms", {"q": " OR ".join(_WORDS * 4)[:255]}),
    ("and-40-terms", {"q": " ".join(f"词{i}" for i in range(40))}),
    ("or-only", {"q": "OR OR OR"}),
    ("dangling-or", {"q": "污染 OR"}),
    ("dangling-not", {"q": "污染 NOT"}),
    ("and-chain", {"q": " AND ".join(_WORDS[:8])}),
    ("single-char-ors", {"q": " OR ".join("的一是了不在有人这中")}),
    # nesting
    ("nest-10000", {"q": "(" * 10_000 + "污染" + ")" * 10_000}),
    ("nest-9", {"q": "(" * 9 + "污染" + ")" * 9}),
    ("nest-8", {"q": "(" * 8 + "污染" + ")" * 8}),
    ("not-chain", {"q": "NOT " * 60 + "污染"}),
    ("minus-chain", {"q": "-" * 100 + "污染"}),
    ("unbalanced-open", {"q": "((((污染"}),
    ("unbalanced-close", {"q": "污染))))"}),
    ("only-brackets", {"q": "()()()"}),
    # size
    ("100kb-chinese", {"q": "污" * 100_000}),
    ("100kb-ascii-words", {"q": "a " * 50_000}),
    ("257-chars", {"q": "排" * 257}),
    ("256-chars", {"q": "排" * 256}),
    ("2001-chars", {"q": "x" * 2001}),
    ("spaces-only", {"q": "\u3000" * 300}),
    ("newlines", {"q": "\n" * 300}),
    # private and unknown fields
    ("private-text", {"q": "text:污染"}),
    ("private-rule-id", {"q": "rule_id:cn-sh"}),
    ("status-draft", {"q": "status:draft"}),
    ("private-key", {"q": "key:x"}),
    ("private-owner", {"q": "owner:admin"}),
    ("field-empty", {"q": "jurisdiction:"}),
    ("field-unknown-code", {"q": "jurisdiction:CN-XX"}),
    ("year-not-number", {"q": "year:abc"}),
    ("year-huge", {"q": "year:" + "9" * 200}),
    ("topic-star", {"q": "topic:*"}),
    ("kind-path", {"q": "kind:../../etc/passwd"}),
    # NUL and control bytes, encodings
    ("nul-inside", {"q": "污\x00染"}),
    ("nul-only", {"q": "\x00"}),
    ("nul-star", {"q": "污染\x00*"}),
    ("controls", {"q": "".join(chr(c) for c in range(1, 32))}),
    ("rtl-override", {"q": "\u202e污染"}),
    ("zero-width", {"q": "污\u200b染"}),
    ("emoji", {"q": "🔥" * 50}),
    # quotes
    ("quote-only", {"q": '"'}),
    ("unbalanced-quote", {"q": '"污染 排放'}),
    ("unbalanced-cjk-quote", {"q": "“污染 排放"}),
    ("empty-phrase", {"q": '""'}),
    ("triple-quote", {"q": '"""'}),
    ("single-quote", {"q": "'"}),
    ("backslash", {"q": "\\"}),
    ("quote-nest", {"q": '"(" OR ")"'}),
    # injection-looking text (plain words to the registry)
    ("sql", {"q": "' OR 1=1 --"}),
    ("sql-drop", {"q": "污染; DROP TABLE rules; --"}),
    ("format", {"q": "%s%s%s%n"}),
    ("template", {"q": "{{7*7}}"}),
    ("html", {"q": "<script>alert(1)</script>"}),
    # other parameters
    ("per-page-huge", {"q": "污染", "per_page": "100000"}),
    ("page-huge", {"q": "污染", "page": "1000000000"}),
    ("page-negative", {"q": "污染", "page": "-1"}),
    ("sort-unknown", {"q": "污染", "sort": "evil"}),
    ("as-of-impossible", {"q": "污染", "as_of": "9999-99-99"}),
    ("as-of-text", {"q": "污染", "as_of": "<x>"}),
    ("jurisdiction-1000", {"q": "污染", "jurisdiction": ["CN-SH"] * 1000}),
    ("jurisdiction-unknown", {"q": "污染", "jurisdiction": ["CN-XX"]}),
    ("kind-unknown", {"q": "污染", "kind": "decree"}),
]

#: ordinary queries (the baseline of bench/hostile_search.py)
NORMAL: list[dict] = [
    {"q": "化学需氧量"},
    {"q": "数据 共享"},
    {"q": "排放 限值"},
    {"q": "公共数据"},
    {"q": "污染物 jurisdiction:cn-sh"},
    {"q": '"排放标准"'},
    {"q": "能源 OR 节能"},
    {"q": "条例", "sort": "date"},
]
