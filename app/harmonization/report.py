"""The annual report (年度体检) as one self-contained HTML string (``registry report --year Y``).

Sections: alignment status of every hard rule at year end (31 December), the changes recorded
during the year (versions added, corrected, repealed; alignment broken or restored), hard rules
overdue at year end, and each jurisdiction's deficit at year end against the previous year end.
No scripts, no external assets (inline CSS and inline SVG only); every piece of input text is
escaped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from html import escape

from app.harmonization.charts import deficit_bars_svg, progress_chart_svg
from app.harmonization.coverage import Coverage, HeldVersion
from app.harmonization.feeds import ChangeEvent
from app.harmonization.hard_rules import OVERDUE, alignment_changes, hard_rules_status, progress_series
from app.harmonization.scoreboard import AMBER_MAX_DEFICIT, GREEN_MAX_DEFICIT, scoreboard
from app.harmonization.values import HardRuleDef, ParameterDef, ValueIndex, ValueRecord, as_index
from app.labels import word

_CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;margin:2em auto;
max-width:1100px;color:#222;line-height:1.5;padding:0 1em}
h1{font-size:1.6em}h2{font-size:1.25em;border-bottom:1px solid #ccc;margin-top:2em}
table{border-collapse:collapse;width:100%;margin:.5em 0 1em}th,td{border:1px solid #ccc;padding:4px 6px;
text-align:left;vertical-align:top;font-size:.92em}th{background:#f3f3f3}
.aligned{background:#e8f5e9}.divergent{background:#ffebee}.missing{background:#f5f5f5;color:#666}
.unknown{background:#fff;color:#666;font-style:italic}
.green{color:#2e7d32}.amber{color:#b26a00}.red{color:#c62828}.none{color:#666}.incomplete{color:#5e35b1}
.cite{font-size:.8em;color:#555;word-break:break-all}.muted{color:#666}
"""


def _e(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return escape(f"{value:g}")
    return escape(str(value))


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.0f}%"


def _signed_pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:+.0f}%"


def report_data(
    year: int,
    *,
    hard_rules: Iterable[HardRuleDef],
    params: Mapping[str, ParameterDef] | Iterable[ParameterDef],
    records: Iterable[ValueRecord] | ValueIndex,
    changes: Iterable[ChangeEvent] = (),
    jurisdictions: Iterable[str] | None = None,
    coverage: Coverage | Iterable[HeldVersion] | None = None,
) -> dict:
    """What the 年度体检 for ``year`` says, as data (the HTML document below and the report page
    both show it): ``year_end``; ``board`` (the scoreboard at year end, against the year before);
    ``status`` (every hard rule at year end); ``overdue`` (those overdue at year end);
    ``alignment_events`` (alignment broken or restored during the year, by date); ``changes``
    (rule versions added, corrected or repealed during the year, by date); ``series`` (the aligned
    share of all hard rules over time, up to year end); ``hard_rules`` (their number)."""
    year_end = dt.date(year, 12, 31)
    year_start = dt.date(year, 1, 1)
    hrs = sorted(hard_rules, key=lambda h: h.id)
    index = as_index(records)
    cov = coverage if isinstance(coverage, Coverage) else Coverage(coverage or ())
    status = hard_rules_status(hrs, params, index, year_end, coverage=cov)["items"]
    return {
        "year": year,
        "year_end": year_end,
        "hard_rules": len(hrs),
        "board": scoreboard(hrs, params, index, year_end, jurisdictions=jurisdictions, coverage=cov),
        "status": status,
        "overdue": [item for item in status if item["deadline_status"] == OVERDUE],
        "alignment_events": sorted(
            alignment_changes(hrs, params, index, until=year_end, since=year_start, coverage=cov),
            key=lambda e: (e.date, e.hard_rule_id, e.jurisdiction),
        ),
        "changes": sorted(
            (c for c in changes if c.date.year == year), key=lambda c: (c.date, c.rule_id, c.version, c.kind)
        ),
        "series": progress_series(hrs, params, index, year_end),
    }


def annual_report(
    year: int,
    *,
    hard_rules: Iterable[HardRuleDef],
    params: Mapping[str, ParameterDef] | Iterable[ParameterDef],
    records: Iterable[ValueRecord] | ValueIndex,
    changes: Iterable[ChangeEvent] = (),
    jurisdictions: Iterable[str] | None = None,
    generated_on: dt.date | None = None,
    coverage: Coverage | Iterable[HeldVersion] | None = None,
) -> str:
    """The 年度体检 for ``year``: a complete HTML document (UTF-8, no scripts)."""
    data = report_data(
        year,
        hard_rules=hard_rules,
        params=params,
        records=records,
        changes=changes,
        jurisdictions=jurisdictions,
        coverage=coverage,
    )
    year_end = data["year_end"]
    board, status, overdue = data["board"], data["status"], data["overdue"]
    align_events, year_changes = data["alignment_events"], data["changes"]
    n_hard_rules = data["hard_rules"]

    h: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>长三角规则协同年度体检 {year}</title><style>{_CSS}</style></head><body>",
        f"<h1>长三角规则协同年度体检 {year} <span class='muted'>Annual harmonization report</span></h1>",
        f"<p class='muted'>状态截至 {year_end.isoformat()}；对比 {board['year_before']}。"
        f"硬规则 {n_hard_rules} 项，逾期 {len(overdue)} 项；年内规则变更 {len(year_changes)} 条，"
        f"一致性变化 {len(align_events)} 次。"
        + (f" 生成日期 {generated_on.isoformat()}。" if generated_on else "")
        + "</p>",
    ]

    # 1. per-jurisdiction deficit
    h.append("<h2>一、各地一致性缺口 Deficit by jurisdiction</h2>")
    h.append(
        f"<p class='muted'>缺口 =（不一致 + 缺失）÷ 适用硬规则数；“未收录”指登记簿未收录该地区该领域的官方全文，"
        f"不计入缺口，也不表示不合规。评级：绿 ≤ {_pct(GREEN_MAX_DEFICIT)}，"
        f"黄 ≤ {_pct(AMBER_MAX_DEFICIT)}，其余为红；未收录超过四分之一时为“不完整”（incomplete）。</p>"
    )
    h.append(
        "<table><tr><th>地区</th><th>适用</th><th>一致</th><th>不一致</th><th>缺失</th><th>未收录</th>"
        "<th>缺口</th><th>上年末</th><th>变化</th><th>评级</th></tr>"
    )
    for code, row in board["jurisdictions"].items():
        h.append(
            f"<tr><td>{escape(word('jurisdiction', code))}</td><td>{row['applicable']}</td><td>{row['aligned']}</td>"
            f"<td>{row['divergent']}</td><td>{row['missing']}</td><td>{row['unknown']}</td>"
            f"<td>{_pct(row['deficit'])}</td><td>{_pct(row['deficit_year_before'])}</td>"
            f"<td>{_signed_pct(row['change'])}</td><td class='{escape(row['rating'])}'>{escape(word('rating', row['rating']))}</td></tr>"
        )
    h.append("</table>")
    h.append(deficit_bars_svg(board))

    # 2. alignment status at year end
    h.append("<h2>二、年末硬规则一致性 Hard rules at year end</h2>")
    if not status:
        h.append("<p class='muted'>无硬规则。</p>")
    for item in status:
        h.append(
            f"<h3>{_e(item['title'])} <span class='muted'>({_e(item['id'])})</span></h3>"
            f"<p>参数 {_e(item['parameter'])}{' · ' + _e(item['scope']) if item['scope'] else ''}；"
            f"目标 {_e(item['target'])} {_e(item['unit'])}；牵头 {escape(word('jurisdiction', item['lead'])) if item['lead'] else '—'}；"
            f"期限 {_e(item['deadline'])}（{escape(word('deadline_status', item['deadline_status']))}）；"
            f"一致比例 {_pct(item['aligned_share'])}</p>"
        )
        h.append("<table><tr><th>地区</th><th>状态</th><th>约束值</th><th>出处</th></tr>")
        for code, cell in item["status"].items():
            cite = f"{_e(cell['version'])}<br>{_e(cell['article'])}" if cell["version"] else "—"
            h.append(
                f"<tr class='{escape(cell['status'])}'><td>{escape(word('jurisdiction', code))}</td>"
                f"<td>{escape(word('status', cell['status']))}</td><td>{_e(cell['value'])}</td>"
                f"<td class='cite'>{cite}</td></tr>"
            )
        h.append("</table>")
    series = data["series"]
    if series:
        h.append(progress_chart_svg({"all": series}, until=year_end, names={"all": "全部硬规则 All hard rules"}))

    # 3. overdue
    h.append("<h2>三、逾期硬规则 Overdue hard rules</h2>")
    if overdue:
        h.append("<table><tr><th>硬规则</th><th>期限</th><th>牵头</th><th>未一致地区</th></tr>")
        for item in overdue:
            open_js = [
                f"{escape(word('jurisdiction', j))}（{escape(word('status', c['status']))}）"
                for j, c in item["status"].items()
                if c["status"] != "aligned"
            ]
            h.append(
                f"<tr><td>{_e(item['title'])}<br><span class='cite'>{_e(item['id'])}</span></td>"
                f"<td>{_e(item['deadline'])}</td><td>{escape(word('jurisdiction', item['lead'])) if item['lead'] else '—'}</td><td>{'、'.join(open_js)}</td></tr>"
            )
        h.append("</table>")
    else:
        h.append("<p>年末无逾期硬规则。</p>")

    # 4. changes during the year
    h.append("<h2>四、年内变化 Changes during the year</h2>")
    h.append("<h3>一致性变化 Alignment broken or restored</h3>")
    if align_events:
        h.append("<table><tr><th>日期</th><th>硬规则</th><th>地区</th><th>变化</th><th>约束值</th><th>出处</th></tr>")
        for ev in align_events:
            kind = escape(word("alignment_change", ev.kind))
            cite = f"{_e(ev.version)}<br>{_e(ev.article)}" if ev.version else "—"
            h.append(
                f"<tr><td>{ev.date.isoformat()}</td><td>{_e(ev.hard_rule_title)}</td><td>{_e(ev.jurisdiction)}"
                f"</td><td>{kind}</td><td>{_e(ev.value)}</td><td class='cite'>{cite}</td></tr>"
            )
        h.append("</table>")
    else:
        h.append("<p class='muted'>无。</p>")
    h.append("<h3>规则变更 Rule versions added, corrected, repealed</h3>")
    if year_changes:
        h.append("<table><tr><th>日期</th><th>类型</th><th>地区</th><th>领域</th><th>规则</th><th>版本</th></tr>")
        for c in year_changes:
            h.append(
                f"<tr><td>{c.date.isoformat()}</td><td>{escape(word('change', c.kind))}</td>"
                f"<td>{_e(c.jurisdiction)}</td><td>{_e(c.topic)}</td><td>{_e(c.title)}</td>"
                f"<td class='cite'>{_e(c.version)}</td></tr>"
            )
        h.append("</table>")
    else:
        h.append("<p class='muted'>无。</p>")
    h.append("</body></html>")
    return "\n".join(h) + "\n"
