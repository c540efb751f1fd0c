"""The campus report as one self-contained HTML page: inline CSS and SVG, no network.

It prints cleanly on paper (A4/Letter portrait, charts kept whole) and reads on a phone
(one column, charts scale to the screen width)."""

from __future__ import annotations

from html import escape

from ..program import Taxonomy
from .compute import CampusReport, DistrictReport
from .render import _change, _h

# Okabe-Ito: tells apart for readers with colour-vision deficiencies, and prints in grey distinctly.
PALETTE = ["#0072B2", "#56B4E9", "#009E73", "#F0E442", "#E69F00", "#D55E00", "#CC79A7", "#999999"]

CSS = """
:root { --ink: #1d2330; --muted: #5b6473; --line: #d9dde5; --accent: #0072B2; --warn: #b45309; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0; background: #fff; }
main { max-width: 980px; margin: 0 auto; padding: 20px 16px 40px; }
h1 { font-size: 1.55rem; margin: 0 0 4px; }
h2 { font-size: 1.15rem; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
.sub { color: var(--muted); margin: 0 0 14px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 10px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
.card b { display: block; font-size: 1.35rem; }
.card span { color: var(--muted); font-size: .85rem; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; background: #f4f6f9; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.flag { color: var(--warn); font-weight: 600; }
.chart { width: 100%; height: auto; display: block; margin: 6px 0 2px; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: .82rem; color: var(--muted); margin: 4px 0 12px; padding: 0; list-style: none; }
.legend i { display: inline-block; width: 11px; height: 11px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
.note { color: var(--muted); font-size: .85rem; }
ul.plain { padding-left: 18px; margin: 6px 0; }
footer { margin-top: 32px; color: var(--muted); font-size: .8rem; }
@media (max-width: 600px) { body { font-size: 14px; } main { padding: 12px 10px 30px; } th, td { padding: 4px 5px; } }
@media print {
  @page { size: auto; margin: 14mm; }
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  .chart, table, .card { break-inside: avoid; }
  .table-wrap { overflow: visible; }
  a { color: inherit; text-decoration: none; }
}
"""


def _page(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n{body}\n"
        "<footer>Made by ledger-tt from the collected dataset. Time is reported by teacher leaders; it is not used to assess performance.</footer>\n"
        "</main>\n</body>\n</html>\n"
    )


def _legend(taxonomy: Taxonomy) -> str:
    items = "".join(f'<li><i style="background:{PALETTE[i % len(PALETTE)]}"></i>{escape(a.short)}</li>'
                    for i, a in enumerate(taxonomy.activities))
    return f'<ul class="legend">{items}</ul>'


def stacked_bars(report: CampusReport, taxonomy: Taxonomy) -> str:
    """Hours by activity per leader: one horizontal bar per leader, stacked by activity."""
    width, label_w, row_h = 720, 170, 30
    biggest = max((line.summary.total_hours for line in report.leaders), default=0) or 1
    height = row_h * max(1, len(report.leaders)) + 24
    scale = (width - label_w - 60) / biggest
    parts = [f'<svg class="chart" id="chart-leaders" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="Hours by activity per leader">']
    for row, line in enumerate(report.leaders):
        y = row * row_h + 6
        parts.append(f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end" font-size="13" fill="#1d2330">{escape(line.name)}</text>')
        x = label_w
        for i, activity in enumerate(taxonomy.activities):
            hours = line.summary.by_activity.get(activity.code, 0.0)
            if hours <= 0:
                continue
            w = hours * scale
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="20" fill="{PALETTE[i % len(PALETTE)]}">'
                         f'<title>{escape(line.name)}: {escape(activity.short)} {_h(hours)} h</title></rect>')
            x += w
        label = f"{_h(line.summary.total_hours)} h" if line.submitted else "0 h — no submissions"
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 15}" font-size="12" fill="{"#5b6473" if line.submitted else "#b45309"}">{label}</text>')
    parts.append("</svg>")
    return "".join(parts) + _legend(taxonomy)


def weekly_trend(report: CampusReport) -> str:
    """Campus hours per week: one bar per calendar week of the range."""
    weeks = report.weekly
    width, height, pad = 720, 200, 34
    biggest = max((h for _, h in weeks), default=0) or 1
    slot = (width - pad * 2) / max(1, len(weeks))
    parts = [f'<svg class="chart" id="chart-weekly" viewBox="0 0 {width} {height}" role="img" aria-label="Hours per week">',
             f'<line x1="{pad}" y1="{height - 28}" x2="{width - pad}" y2="{height - 28}" stroke="#d9dde5"/>']
    for i, (monday, hours) in enumerate(weeks):
        h = (height - 60) * hours / biggest
        x = pad + i * slot + slot * 0.15
        parts.append(f'<rect x="{x:.1f}" y="{height - 28 - h:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" fill="#0072B2">'
                     f'<title>Week of {monday:%b %-d}: {_h(hours)} h</title></rect>')
        parts.append(f'<text x="{x + slot * 0.35:.1f}" y="{height - 12}" text-anchor="middle" font-size="11" fill="#5b6473">{monday:%b %-d}</text>')
        parts.append(f'<text x="{x + slot * 0.35:.1f}" y="{height - 32 - h:.1f}" text-anchor="middle" font-size="11" fill="#1d2330">{hours:.1f}</text>')
    parts.append("</svg>")
    return "".join(parts)


def coverage_chart(report: CampusReport) -> str:
    """Teacher coverage by grade and team: supported teachers out of all."""
    groups = report.coverage
    width, label_w, row_h = 720, 170, 26
    height = row_h * max(1, len(groups)) + 10
    span = width - label_w - 110
    parts = [f'<svg class="chart" id="chart-coverage" viewBox="0 0 {width} {height}" role="img" aria-label="Teacher coverage by grade and team">']
    for row, c in enumerate(groups):
        y = row * row_h + 4
        share = c.supported / c.teachers if c.teachers else 0
        colour = "#D55E00" if c.supported == 0 else "#009E73"
        parts.append(f'<text x="{label_w - 8}" y="{y + 14}" text-anchor="end" font-size="13" fill="#1d2330">{escape(c.group)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{span}" height="18" fill="#eef1f5"/>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{span * share:.1f}" height="18" fill="{colour}">'
                     f'<title>{escape(c.group)}: {c.supported} of {c.teachers} supported</title></rect>')
        note = f"{c.supported}/{c.teachers}" + (" none!" if c.supported == 0 else "")
        parts.append(f'<text x="{label_w + span + 8}" y="{y + 14}" font-size="12" fill="{colour}">{note}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _table(header: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:
    head = "".join(f'<th{" class=num" if i in numeric else ""}>{escape(h)}</th>' for i, h in enumerate(header))
    body = "".join("<tr>" + "".join(f'<td{" class=num" if i in numeric else ""}>{c}</td>' for i, c in enumerate(r)) + "</tr>" for r in rows)
    return f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def campus_html(report: CampusReport, taxonomy: Taxonomy) -> str:
    r = report
    cards = [
        (_h(r.total_hours), "hours logged"),
        (_h(r.average_per_week), "hours per week per leader"),
        (f"{r.admin_share:.0%}", "administrative duties"),
        (f"{r.coaching_share:.0%}", "teacher coaching"),
        (str(len(r.unsupported)), "roster teachers with no support"),
    ]
    body = [
        f"<h1>{escape(r.campus.name)}</h1>",
        f'<p class="sub">{escape(r.range.label)} · {r.weeks:g} school weeks · {len(r.leaders)} teacher leader(s) · {escape(_change(r))}</p>',
        '<div class="cards">' + "".join(f"<div class=card><b>{v}</b><span>{escape(k)}</span></div>" for v, k in cards) + "</div>",
        "<h2>Leaders</h2>",
        stacked_bars(r, taxonomy),
        _table(["Leader", "Hours", "Hours/week", "Activities", "Late"],
               [[escape(x.name) + ("" if x.submitted else ' <span class="flag">no submissions: 0 hours</span>'),
                 _h(x.summary.total_hours), _h(x.summary.hours_per_week), str(x.summary.activities), str(x.late)] for x in r.leaders],
               {1, 2, 3, 4}),
        "<h2>Campus trends</h2>",
        _table(["Activity", "Average hours per week per leader"],
               [[escape(a.name), _h(r.per_week_by_activity[a.code])] for a in taxonomy.activities], {1}),
        f'<p>Administrative duties take <b>{r.admin_share:.0%}</b> of the time, teacher coaching <b>{r.coaching_share:.0%}</b>. '
        f'"Other" was used {r.other_count} time(s), {_h(r.other_hours)} hours.</p>',
        "<h3>Hours per week</h3>",
        weekly_trend(r),
        "<h2>Teachers</h2>",
        coverage_chart(r),
        '<p class="note">A teacher receives the whole length of each activity they took part in, alone or in a group.</p>',
        _table(["Teacher", "Hours", "Leaders", "Grade", "Team"],
               [[escape(t.name) + ("" if t.on_roster else ' <span class="note">(not on roster)</span>'), _h(t.hours), str(t.leaders),
                 escape(t.grade or ""), escape(t.team or "")] for t in r.teachers], {1, 2}) if r.teachers else "<p>No time with teachers in this range.</p>",
        "<h3>No support in this range</h3>",
        ("<p>" + "; ".join(f'<span class="flag">{escape(t.name)}</span>' for t in r.unsupported) + "</p>") if r.unsupported
        else "<p>Every roster teacher was supported.</p>",
        "<h3>Supported by several leaders</h3>",
        ("<p>" + "; ".join(escape(t.name) for t in r.several_leaders) + "</p>") if r.several_leaders else "<p>None.</p>",
        "<h2>Data quality</h2>",
        f"<p>Late records: <b>{len(r.late_rows)}</b>. Refused records: <b>{len(r.refused)}</b>. "
        f"Leaders whose last snapshot is missing: <b>{escape(', '.join(r.missing_snapshots) or 'none')}</b>.</p>",
    ]
    if r.refused:
        body.append(_table(["Leader", "File", "Line", "Problem"],
                           [[escape(p["leader"]), escape(p["file"]), str(p["line"]), escape(p["code"])] for p in r.refused], {2}))
    return _page(f"{r.campus.name} — {r.range.label}", "\n".join(body))


def district_html(district: DistrictReport, taxonomy: Taxonomy) -> str:
    c = district.counts
    body = [
        f"<h1>District overview</h1><p class=\"sub\">{escape(district.range.label)} · records read {c.get('read', 0)}, "
        f"accepted {c.get('accepted', 0)}, refused {c.get('refused', 0)}</p>",
        "<h2>Campuses</h2>",
        _table(["Campus", "Leaders", "Hours", "Hours/week per leader", "No submissions", "Teachers without support"],
               [[escape(x.campus.name), str(len(x.leaders)), _h(x.total_hours), _h(x.average_per_week),
                 escape(", ".join(line.name for line in x.leaders if not line.submitted) or "-"), str(len(x.unsupported))]
                for x in district.campuses], {1, 2, 3, 5}),
        "<h2>Leaders</h2>",
        _table(["Leader", "State", "Records", "Late", "Problems", "Last seen"],
               [[escape(s["leader"]), escape(s["state"]), str(s["records"]), str(s["late"]), str(s["problems"]), escape(s["last_seen"] or "-")]
                for s in district.leader_states], {2, 3, 4}),
        "<h2>Problems</h2>",
        _table(["Leader", "Where", "Code", "Message"],
               [[escape(p["leader"]), escape(f"{p['file']}:{p['line']}"), escape(p["code"]), escape(p["message"])] for p in district.problems])
        if district.problems else "<p>None.</p>",
    ]
    return _page(f"District overview — {district.range.label}", "\n".join(body))
