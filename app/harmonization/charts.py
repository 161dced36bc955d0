"""Server-generated SVG charts (no JavaScript): progress over time and the scoreboard's deficits.

The output is a standalone ``<svg>`` element (well-formed XML, all text escaped) that a page can
inline or serve as ``image/svg+xml``. Deterministic: coordinates are rounded to 0.1. Every word is in
the ``locale`` asked for (``zh`` or ``en``, through ``app.labels``): jurisdictions and ratings by name,
series by the titles the caller gives (a hard rule's title, not its id).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape, quoteattr

from app.harmonization.scoreboard import AMBER, GREEN, INCOMPLETE, NOT_RATED, RED
from app.labels import DEFAULT_LOCALE, translations, word

SVG_NS = "http://www.w3.org/2000/svg"
#: One colour per series, in order (colour-blind safe Okabe-Ito palette).
SERIES_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")
RATING_COLOURS = {GREEN: "#2e7d32", AMBER: "#f9a825", RED: "#c62828", NOT_RATED: "#9e9e9e", INCOMPLETE: "#7e57c2"}
#: The share of hard rules whose status is unknown (no official text held) is drawn hatched in this
#: colour after the deficit: a gap in the registry, not in the jurisdiction's rules.
UNKNOWN_COLOUR = "#9e9e9e"


def _f(x: float) -> str:
    s = f"{x:.1f}"
    return s[:-2] if s.endswith(".0") else s


def progress_chart_svg(
    series: Mapping[str, Sequence[tuple[dt.date, float]]],
    *,
    until: dt.date,
    title: str | None = None,
    names: Mapping[str, str] | None = None,
    locale: str = DEFAULT_LOCALE,
    width: int = 720,
    height: int = 280,
) -> str:
    """A step chart of aligned share (0..1) over time, one line per series.

    ``series`` maps a key (e.g. a hard rule id, or ``"all"``) to ``[(date, share)]`` as produced by
    ``hard_rules.progress_series`` or a hard rule's ``timeline``; each value holds until the next
    point, and the last one until ``until``. The legend and line titles name each series by
    ``names[key]`` (the key itself where none is given). ``title`` defaults to "Alignment progress"
    in ``locale``.
    """
    gettext = translations(locale).gettext
    title = title if title is not None else gettext("Alignment progress")
    names = names or {}
    left, right, top, bottom = 48, 16, 32, 48
    legend_h = 18 * len(series)
    plot_w, plot_h = width - left - right, height - top - bottom
    total_h = height + legend_h
    points = [d for pts in series.values() for d, _ in pts]
    start = min(points) if points else until
    end = max(until, *(points or [until]))
    span = max((end - start).days, 1)

    def x(d: dt.date) -> float:
        return left + plot_w * (d - start).days / span

    def y(v: float) -> float:
        return top + plot_h * (1 - max(0.0, min(1.0, v)))

    out = [
        f'<svg xmlns="{SVG_NS}" width="{width}" height="{total_h}" viewBox="0 0 {width} {total_h}" '
        f'role="img" aria-label={quoteattr(title)} font-family="sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
        f'<text x="{left}" y="20" font-size="14" font-weight="bold">{escape(title)}</text>',
    ]
    for tick in (0, 0.25, 0.5, 0.75, 1):
        ty = _f(y(tick))
        out.append(f'<line x1="{left}" y1="{ty}" x2="{left + plot_w}" y2="{ty}" stroke="#ddd"/>')
        out.append(
            f'<text x="{left - 6}" y="{ty}" text-anchor="end" dominant-baseline="middle">{int(tick * 100)}%</text>'
        )
    for year in range(start.year, end.year + 1):
        d = dt.date(year, 1, 1)
        if start <= d <= end:
            tx = _f(x(d))
            out.append(f'<line x1="{tx}" y1="{top}" x2="{tx}" y2="{top + plot_h}" stroke="#eee"/>')
            out.append(f'<text x="{tx}" y="{top + plot_h + 16}" text-anchor="middle">{year}</text>')
    out.append(f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#999"/>')
    for i, (key, pts) in enumerate(series.items()):
        label = names.get(key, key)
        colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        pts = sorted(p for p in pts if p[0] <= end)
        if pts:
            coords = []
            for k, (d, v) in enumerate(pts):
                nxt = pts[k + 1][0] if k + 1 < len(pts) else end
                coords.append(f"{_f(x(d))},{_f(y(v))}")
                coords.append(f"{_f(x(nxt))},{_f(y(v))}")
            out.append(
                f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(coords)}">'
                f"<title>{escape(label)}</title></polyline>"
            )
        ly = height + 18 * i + 4
        out.append(f'<rect x="{left}" y="{ly}" width="12" height="12" fill="{colour}"/>')
        last = f" {_pct(pts[-1][1])}" if pts else ""
        out.append(f'<text x="{left + 18}" y="{ly + 10}">{escape(label + last)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _pct(share: float) -> str:
    return f"{share * 100:.0f}%"


def deficit_bars_svg(
    board: Mapping, *, title: str | None = None, locale: str = DEFAULT_LOCALE, width: int = 640
) -> str:
    """Horizontal bars of each jurisdiction's deficit (0..1), coloured by rating, from a
    ``scoreboard()`` document — the divergent part solid, the missing part lighter — and the share
    of unknown statuses (未收录 / not recorded) follows as a hatched grey segment; the year-before
    deficit is drawn as a tick. An ``incomplete`` rating is written beside the bar. Jurisdictions
    are named, and every word is in ``locale``; ``title`` defaults to "Alignment deficit"."""
    gettext = translations(locale).gettext
    title = title if title is not None else gettext("Alignment deficit")
    missing_word, unknown_word = word("status", "missing", locale), word("status", "unknown", locale)
    rows = list(board.get("jurisdictions", {}).items())
    left, right, top, bar_h, gap = (200 if locale == "en" else 120), 60, 32, 18, 8
    plot_w = width - left - right - 140  # room for "25% · 未收录 not recorded 50% · incomplete"
    height = top + len(rows) * (bar_h + gap) + 24
    out = [
        f'<svg xmlns="{SVG_NS}" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label={quoteattr(title)} font-family="sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
        '<defs><pattern id="unknown-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#f2f2f2"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{UNKNOWN_COLOUR}" stroke-width="3"/></pattern></defs>',
        f'<text x="{left}" y="20" font-size="14" font-weight="bold">{escape(title)}</text>',
    ]
    for i, (code, row) in enumerate(rows):
        by = top + i * (bar_h + gap)
        deficit = row.get("deficit")
        colour = RATING_COLOURS.get(row.get("rating", NOT_RATED), RATING_COLOURS[NOT_RATED])
        name = word("jurisdiction", code, locale)
        out.append(f'<text x="{left - 6}" y="{by + bar_h - 5}" text-anchor="end">{escape(name)}</text>')
        out.append(f'<rect x="{left}" y="{by}" width="{plot_w}" height="{bar_h}" fill="#f2f2f2"/>')
        label = "—" if deficit is None else _pct(deficit)
        n = row.get("applicable") or 0
        unknown_share = (row.get("unknown") or 0) / n if n else 0.0
        if deficit is not None:
            out.append(
                f'<rect x="{left}" y="{by}" width="{_f(plot_w * deficit)}" height="{bar_h}" '
                f'fill="{colour}"><title>{escape(f"{name}: {label}")}</title></rect>'
            )
            missing_share = (row.get("missing") or 0) / n if n else 0.0
            if missing_share:  # the missing part of the deficit, lighter (official text held, no value)
                out.append(
                    f'<rect class="missing" x="{_f(left + plot_w * (deficit - missing_share))}" y="{by}" '
                    f'width="{_f(plot_w * missing_share)}" height="{bar_h}" fill="#ffffff" fill-opacity="0.45">'
                    f"<title>{escape(f'{name}: {missing_word} {_pct(missing_share)}')}</title></rect>"
                )
            if unknown_share:
                unknown_label = f"{unknown_word} {_pct(unknown_share)}"
                out.append(
                    f'<rect class="unknown" x="{_f(left + plot_w * deficit)}" y="{by}" '
                    f'width="{_f(plot_w * unknown_share)}" height="{bar_h}" fill="url(#unknown-hatch)">'
                    f"<title>{escape(f'{name}: {unknown_label}')}</title></rect>"
                )
                label += f" · {unknown_label}"
            if row.get("rating") == INCOMPLETE:
                label += " · " + word("rating", INCOMPLETE, locale)
        before = row.get("deficit_year_before")
        if before is not None:
            tx = _f(left + plot_w * before)
            out.append(
                f'<line x1="{tx}" y1="{by - 2}" x2="{tx}" y2="{by + bar_h + 2}" stroke="#000" stroke-width="2"/>'
            )
        out.append(f'<text x="{left + plot_w + 6}" y="{by + bar_h - 5}">{escape(label)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
