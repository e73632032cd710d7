"""Building blocks of report.html: escaped tables, inline SVG bar charts, the stylesheet.

Every piece of text that reaches the page goes through `esc`: report files hold customer cells,
and a cell may be hostile (`<script>`). The page also carries a Content-Security-Policy that allows
no script and no network at all, so a missed escape still could not run or fetch anything.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

_NUMBER = re.compile(r"^[+-]?\d[\d,]*(\.\d+)?%?$")
# In tables of customer cells only these headers are figures; a postal code or a phone stays left-aligned.
_FIGURE_HEADER = re.compile(r"^(row(_?[a-z0-9])?|cluster(_id)?|size|rows|count|edits|seconds|.*probability.*|"
                            r".*score.*|.*weight.*|w_.*)$", re.IGNORECASE)
BAR_COLOURS = {"accent": "#3b5bdb", "good": "#2f9e44", "warn": "#e8890c", "bad": "#e03131", "muted": "#adb5bd"}


def esc(value: object) -> str:
    """Text made safe for HTML body and attribute positions (quotes escaped too)."""
    return html.escape("" if value is None else str(value), quote=True)


def fmt_int(value: object) -> str:
    """12345 -> "12,345"; anything that is not a whole number is shown as written."""
    try:
        number = float(str(value))
    except ValueError:
        return str(value)
    return f"{int(number):,}" if number.is_integer() else f"{number:,.3f}".rstrip("0").rstrip(".")


def is_number(text: str) -> bool:
    return bool(_NUMBER.match(text.strip()))


def numeric_columns(rows: Sequence[Sequence[str]], width: int) -> set[int]:
    """Columns whose every filled cell is a number: right-aligned, as people compare them by magnitude."""
    numeric = set()
    for index in range(width):
        cells = [r[index] for r in rows if index < len(r) and str(r[index]).strip()]
        if cells and all(is_number(str(c)) for c in cells):
            numeric.add(index)
    return numeric


def table(
    headers: Sequence[str], rows: Sequence[Sequence[object]], css: str = "", cell_class: dict[int, str] | None = None,
    customer_cells: bool = False,
) -> str:
    """A zebra table; numeric columns right-aligned; every header and cell escaped.

    With `customer_cells`, only figure columns (row, probability, weights ...) are right-aligned.
    """
    texts = [[("" if c is None else str(c)) for c in row] for row in rows]
    numeric = numeric_columns(texts, len(headers))
    if customer_cells:
        numeric = {i for i in numeric if _FIGURE_HEADER.match(str(headers[i]))}
    cell_class = cell_class or {}

    def cls(index: int) -> str:
        names = " ".join(n for n in ("num" if index in numeric else "", cell_class.get(index, "")) if n)
        return f' class="{names}"' if names else ""

    head = "".join(f"<th{cls(i)}>{esc(h)}</th>" for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(f"<td{cls(i)}>{esc(c)}</td>" for i, c in enumerate(r)) + "</tr>" for r in texts)
    heading = f'<table class="{esc(css)}"><thead><tr>{head}</tr></thead>'
    return f'<div class="scroll">{heading}<tbody>{body}</tbody></table></div>'


def showing(shown: int, total: int, what: str, order: str = "") -> str:
    """The "showing N of M" line under a capped table (nothing when everything is shown)."""
    if total <= shown:
        return ""
    suffix = f", {esc(order)}" if order else ""
    return f'<p class="cap">Showing {shown:,} of {total:,} {esc(what)}{suffix}.</p>'


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(
    items: Sequence[tuple[str, float, str]], value_label: Iterable[str] | None = None, scale_max: float | None = None,
    label_chars: int = 38, title: str = "",
) -> str:
    """Horizontal bars as inline SVG: (label, value, colour key); labels clipped with the full text in <title>."""
    if not items:
        return '<p class="empty">Nothing to chart.</p>'
    labels = list(value_label) if value_label is not None else [fmt_int(v) for _, v, _ in items]
    top = scale_max or max(v for _, v, _ in items) or 1.0
    row_h, left, width, right = 26, 300, 1000, 90
    track = width - left - right
    parts = [
        f'<svg class="chart" role="img" aria-label="{esc(title)}" viewBox="0 0 {width} {row_h * len(items) + 6}" '
        f'xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, ((label, value, colour), shown) in enumerate(zip(items, labels, strict=True)):
        y = 3 + i * row_h
        length = max(2.0, track * value / top) if value > 0 else 0.0
        fill = BAR_COLOURS.get(colour, colour if colour.startswith("#") else BAR_COLOURS["accent"])
        parts.append(
            f'<g><title>{esc(label)}: {esc(shown)}</title>'
            f'<text x="{left - 10}" y="{y + 17}" text-anchor="end" class="lbl">{esc(clip(label, label_chars))}</text>'
            f'<rect x="{left}" y="{y + 4}" width="{track}" height="{row_h - 8}" rx="3" class="track"/>'
            f'<rect x="{left}" y="{y + 4}" width="{length:.1f}" height="{row_h - 8}" rx="3" fill="{fill}"/>'
            f'<text x="{left + track + 8}" y="{y + 17}" class="val">{esc(shown)}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def severity_strip(counts: dict[str, int]) -> str:
    """One stacked bar of findings by severity, with a legend; empty when there are no findings."""
    total = sum(counts.values())
    if not total:
        return '<p class="empty">No findings.</p>'
    colours = {"error": "bad", "warning": "warn", "info": "accent"}
    x, parts = 0.0, []
    for severity, n in counts.items():
        if n:
            w = 1000 * n / total
            fill = BAR_COLOURS[colours.get(severity, "muted")]
            parts.append(f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="14" fill="{fill}">'
                         f"<title>{esc(severity)}: {n:,}</title></rect>")
            x += w
    legend = "".join(
        f'<span class="chip {esc(colours.get(s, "muted"))}">{esc(s)} {n:,}</span>' for s, n in counts.items()
    )
    svg = f'<svg class="strip" viewBox="0 0 1000 14" preserveAspectRatio="none" role="img" ' \
          f'aria-label="findings by severity" xmlns="http://www.w3.org/2000/svg">{"".join(parts)}</svg>'
    return svg + f'<div class="legend">{legend}</div>'


CSS = """
:root{--ink:#1f2933;--muted:#616e7c;--line:#e4e7eb;--bg:#f5f7fa;--card:#fff;--accent:#3b5bdb;
--good:#2f9e44;--warn:#e8890c;--bad:#e03131;--zebra:#f8f9fb}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,
"Noto Sans","Liberation Sans","DejaVu Sans",Arial,sans-serif}
main{max-width:1180px;margin:0 auto;padding:28px 24px 48px}
header.top{background:#1f2a44;color:#fff}
header.top .in{max-width:1180px;margin:0 auto;padding:22px 24px 18px}
header.top h1{margin:0;font-size:24px;font-weight:650;letter-spacing:-.01em}
header.top p{margin:4px 0 0;color:#c9d1e4;font-size:14px}
nav{display:flex;flex-wrap:wrap;gap:6px 16px;margin-top:12px;font-size:13px}
nav a{color:#dbe4ff;text-decoration:none;border-bottom:1px solid transparent}
nav a:hover{border-bottom-color:#dbe4ff}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:18px 22px 20px;
margin:0 0 20px;box-shadow:0 1px 2px rgba(16,24,40,.04)}
h2{font-size:18px;margin:0 0 4px;font-weight:650}
h3{font-size:15px;margin:16px 0 6px;font-weight:600}
p.sub,p.cap,p.empty{color:var(--muted);font-size:13px;margin:2px 0 12px}
p.cap{margin:8px 0 0}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;margin:0 0 20px}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px}
.card .k{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.card .v{font-size:26px;font-weight:650;font-variant-numeric:tabular-nums;margin-top:2px}
.card .d{color:var(--muted);font-size:12px}
.card.bad .v{color:var(--bad)}.card.warn .v{color:var(--warn)}.card.good .v{color:var(--good)}
.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(460px,1fr));gap:20px}
.grid2>section{margin:0}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;width:100%;font-size:13.5px}
th,td{padding:6px 10px;text-align:left;vertical-align:top;border-bottom:1px solid var(--line)}
th{font-weight:600;color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.03em;
background:#fbfcfd;white-space:nowrap}
tbody tr:nth-child(even){background:var(--zebra)}
td{overflow-wrap:anywhere}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.old{color:#a61e4d;text-decoration:line-through;text-decoration-color:rgba(166,30,77,.45)}
td.new{color:#1b6e2d;font-weight:550}
td.code{white-space:nowrap}
td.code,span.code{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:12.5px}
svg.chart{width:100%;height:auto;max-width:1000px;display:block;font-size:13px}
svg.chart .lbl{fill:var(--ink)}svg.chart .val{fill:var(--muted);font-variant-numeric:tabular-nums}
svg.chart .track{fill:#eef1f5}
svg.strip{width:100%;height:14px;display:block;border-radius:7px;overflow:hidden;margin:8px 0}
.legend{display:flex;flex-wrap:wrap;gap:8px;font-size:12.5px}
.chip{display:inline-block;padding:1px 9px;border-radius:999px;font-size:12px;font-weight:600;white-space:nowrap}
.chip.bad{background:#ffe3e3;color:#c92a2a}.chip.warn{background:#fff0d6;color:#b35c00}
.chip.accent{background:#e5ebff;color:#364fc7}.chip.muted{background:#f1f3f5;color:#495057}
.chip.good{background:#e3f6e8;color:#2b8a3e}
.clusters{display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));gap:14px}
.cluster{border:1px solid var(--line);border-radius:8px;padding:10px 12px;min-width:0}
.cluster.wide{grid-column:1/-1}
.cluster table{font-size:13px;table-layout:fixed}.cluster th{white-space:normal}.cluster th:first-child{width:104px}
.cluster h3{margin:0 0 8px;display:flex;justify-content:space-between;gap:8px;align-items:baseline}
.cluster td.won{background:#e3f6e8;color:#1b6e2d;font-weight:550}
.cluster td.lost{color:var(--muted);text-decoration:line-through;text-decoration-color:rgba(97,110,124,.5)}
.cluster th.golden,.cluster td.golden{background:#eef2ff}
.cluster td.field{color:var(--muted);font-size:12px;overflow-wrap:anywhere}
table.review td{overflow-wrap:normal}
td.pair div+div{border-top:1px dashed var(--line);margin-top:3px;padding-top:3px}
td.pair.diff div+div{color:#b35c00}
td.evidence{font-size:12px;color:var(--muted);white-space:nowrap}
pre{background:#f1f3f5;border-radius:8px;padding:12px 14px;overflow-x:auto;font-size:12.5px;margin:6px 0 0;
white-space:pre-wrap;overflow-wrap:anywhere;font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace}
footer{color:var(--muted);font-size:12.5px;text-align:center;padding:8px 0 0}
@media (max-width:640px){main{padding:16px 10px}section{padding:14px}.grid2,.clusters{grid-template-columns:1fr}
.card .v{font-size:22px}}
@media print{body{background:#fff}section{box-shadow:none;break-inside:avoid}header.top{background:#fff;color:#000}}
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def page(title: str, subtitle: str, nav: Sequence[tuple[str, str]], body: str) -> str:
    """The whole document: one file, inline CSS, no script, nothing fetched from anywhere."""
    links = "".join(f'<a href="#{esc(anchor)}">{esc(label)}</a>' for anchor, label in nav)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f'<meta name="generator" content="custclean"><title>{esc(title)}</title>'
        f"<style>{CSS}</style></head><body>"
        f'<header class="top"><div class="in"><h1>{esc(title)}</h1><p>{esc(subtitle)}</p><nav>{links}</nav></div>'
        f"</header><main>{body}<footer>Built by custclean from the report files in this folder. "
        "Rebuild it after a review with <span class=\"code\">custclean report DIR</span>.</footer></main>"
        "</body></html>\n"
    )
