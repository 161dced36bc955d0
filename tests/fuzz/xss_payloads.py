"""XSS payloads for the page tests (tests/browser/test_xss.py): our own list of classic, filter-evasion,
Markdown and polyglot vectors.

Each vector holds ``{js}``, replaced by one of :data:`ACTIONS`; every action leaves a trace the test
looks for: a call to a hooked ``alert``/``confirm``/``prompt``, the global ``window.__xss``, a console
message or the document title holding :data:`MARK`. A handful of payloads carry no script but must
not turn into a live ``javascript:``/``data:`` URL, a ``<base>``/``<meta>`` element or an evaluated
template expression.

``PAYLOADS`` is stable (no randomness): ``PAYLOADS[:30]`` is the `make test` subset and spans every family.
"""

from __future__ import annotations

MARK = "XSS_EXECUTED"

ACTIONS = (
    "alert(1)",
    "window.__xss=1",
    f"console.log('{MARK}')",
    "confirm(1)",
    f"document.title='{MARK}'",
    "prompt(1)",
)

VECTORS = (
    # classic script and event-handler injection
    "<script>{js}</script>",
    "<SCRIPT>{js}</SCRIPT>",
    "<script >{js}</script >",
    "<scr<script>ipt>{js}</scr</script>ipt>",
    "<img src=x onerror={js}>",
    '<img src=x onerror="{js}">',
    "<IMG SRC=x OnErRoR={js}>",
    "<img/src=x/onerror={js}>",
    "<svg onload={js}>",
    "<svg/onload={js}>",
    "<svg><script>{js}</script></svg>",
    "<body onload={js}>",
    '<iframe src="javascript:{js}"></iframe>',
    '<iframe srcdoc="<script>parent.{js}</script>"></iframe>',
    "<details open ontoggle={js}>",
    "<input autofocus onfocus={js}>",
    "<select autofocus onfocus={js}>",
    "<textarea autofocus onfocus={js}>",
    '<video><source onerror="{js}"></video>',
    "<audio src=x onerror={js}>",
    "<marquee onstart={js}>x</marquee>",
    '<object data="javascript:{js}"></object>',
    '<embed src="javascript:{js}">',
    "<math><mtext><table><mglyph><style><img src=x onerror={js}>",
    '<a href="javascript:{js}">click</a>',
    '<a href="JaVaScRiPt:{js}">click</a>',
    '<a href=" javascript:{js}">click</a>',
    '<a href="java&#x09;script:{js}">click</a>',
    '<a href="&#106;avascript:{js}">click</a>',
    '<a href="javascript&colon;{js}">click</a>',
    '<form action="javascript:{js}"><button>x</button></form>',
    '<button formaction="javascript:{js}">x</button>',
    "<isindex action=javascript:{js} type=image>",
    # breaking out of attributes, quotes, elements and script blocks
    '"><script>{js}</script>',
    "'><script>{js}</script>",
    '" onmouseover="{js}" x="',
    "' onfocus='{js}' autofocus='",
    '" autofocus onfocus="{js}',
    "</title><script>{js}</script>",
    "</textarea><script>{js}</script>",
    "</style><script>{js}</script>",
    "</script><script>{js}</script>",
    "</noscript><img src=x onerror={js}>",
    '<!--<img src="--><img src=x onerror={js}//">',
    "<![CDATA[<script>{js}</script>]]>",
    "';{js}//",
    '";{js}//',
    "${{{js}}}",
    # Markdown-specific (rule bodies and innovation summaries are Markdown)
    "[click](javascript:{js})",
    "[click](JAVASCRIPT:{js})",
    "[click](javascript&#58;{js})",
    "[click]( javascript:{js})",
    "[click](<javascript:{js}>)",
    "<javascript:{js}>",
    '![x](x "onerror={js}")',
    "![x](javascript:{js})",
    "[x]: javascript:{js}\n\n[click][x]",
    "`<img src=x onerror={js}>`",
    "```\n</code><img src=x onerror={js}>\n```",
    "<x|<img src=x onerror={js}>",
    "**<img src=x onerror={js}>**",
    "> <svg onload={js}>",
    # polyglots
    "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk={js} )//%0D%0A%0d%0a//</stYle/</titLe/</teXtarEa/"
    "</scRipt/--!>\\x3csVg/<sVg/oNloAd={js}//>\\x3e",
    "'\"--></style></script><svg onload={js}>",
    "\"'><img src=x onerror={js}><\"'",
    '-->\'"/></sCript><deTailS open x=">" ontoggle=({js})>',
)

#: payloads without a script: they must stay inert text
INERT = (
    "{{7*7}}",
    "{{ config.SECRET_KEY }}",
    "{% print(1) %}",
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<link rel=stylesheet href="https://evil.example/x.css">',
    '<style>body{background:url("javascript:alert(1)")}</style>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "\u202e<script>alert(1)</script>",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "\u003cscript\u003ealert(1)\u003c/script\u003e",
)


def _build() -> list[str]:
    out: list[str] = []
    # round robin: every vector with a first action, then again with the next action, so any prefix
    # of the list covers every family
    for round_ in range(3):
        for n, vector in enumerate(VECTORS):
            out.append(vector.replace("{js}", ACTIONS[(n + round_) % len(ACTIONS)]))
            if round_ == 0 and n % 5 == 4 and n // 5 < len(INERT):
                out.append(INERT[n // 5])
    out.extend(p for p in INERT if p not in out)
    seen: set[str] = set()
    return [p for p in out if not (p in seen or seen.add(p))]


PAYLOADS: list[str] = _build()

if __name__ == "__main__":
    print(len(PAYLOADS), "payloads")
