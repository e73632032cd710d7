"""A self-contained report.html (inline CSS/SVG) built from the report files.

`render_html(folder)` reads only the files in a report folder (summary.json, changes.csv,
issues.csv, pairs.csv, review.csv, clusters.csv, merges.csv, suppressed.csv, quarantine.csv,
incomplete.csv; any may be missing), so `custclean report DIR` can rebuild the page after a review.
Tables are capped (top clusters, review pairs, samples) and say "showing N of M".
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from custclean.io.safe_write import atomic_path
from custclean.report.clusterview import clusters_html
from custclean.report.htmlkit import bar_chart, clip, esc, fmt_int, page, severity_strip, showing, table
from custclean.report.reportdata import (
    SEVERITIES,
    ReportData,
    distinct,
    edit_groups,
    first_per_group,
    load_report,
    numbers,
    record_label,
    shown,
    tally,
)

TOP_EDIT_BARS = 25
TOP_CODES = 30
REVIEW_PAIRS = 50
SAMPLES = 30
OTHER_ROWS = 20
_PROBABILITY = ("probability", "match_probability", "score", "match_weight", "weight")

Section = tuple[str, str, str]   # anchor, navigation label, html


def _section(anchor: str, title: str, intro: str, body: str) -> Section:
    sub = f'<p class="sub">{esc(intro)}</p>' if intro else ""
    return anchor, title, f'<section id="{esc(anchor)}"><h2>{esc(title)}</h2>{sub}{body}</section>'


def _seconds(value: object) -> str:
    try:
        total = float(str(value))
    except ValueError:
        return str(value)
    if total < 60:
        return f"{total:.1f} s" if total >= 0.1 else f"{total * 1000:.0f} ms"
    minutes, rest = divmod(round(total), 60)
    return f"{minutes} min {rest:02d} s"


def _count(data: ReportData, key: str, frame: str) -> int | None:
    """A headline figure from summary.json, else the length of its report file, else None."""
    value = data.figure(key)
    if value is not None:
        try:
            return int(value)
        except (TypeError, ValueError):
            return None
    found = data.frame(frame) if frame else None
    return None if found is None else len(found)


def _card(label: str, value: str, detail: str = "", tone: str = "") -> str:
    return (f'<div class="card {esc(tone)}"><div class="k">{esc(label)}</div><div class="v">{esc(value)}</div>'
            f'<div class="d">{esc(detail)}</div></div>')


def overview(data: ReportData) -> str:
    """Headline cards: the figures a manager reads first."""
    findings = data.findings_by_severity()
    rows_in, rows_out = _count(data, "rows_in", ""), _count(data, "rows_out", "")
    cards = []
    if rows_in is not None:
        cards.append(_card("rows in", fmt_int(rows_in)))
    if rows_out is not None:
        dropped = f"{rows_in - rows_out:,} fewer" if rows_in is not None and rows_out < rows_in else ""
        cards.append(_card("rows out", fmt_int(rows_out), dropped))
    edits = _count(data, "edits", "changes")
    if edits is not None:
        changes = data.frame("changes")
        detail = f"in {distinct(changes['row']):,} rows" if changes is not None and "row" in changes else ""
        cards.append(_card("cells edited", fmt_int(edits), detail, "good" if edits else ""))
    total = sum(findings.values())
    tone = "bad" if findings.get("error") else "warn" if findings.get("warning") else ""
    detail = " · ".join(f"{findings.get(s, 0):,} {s}" for s in SEVERITIES)
    cards.append(_card("findings", fmt_int(total), detail, tone))
    for label, key, frame, detail_key in (
        ("duplicate clusters", "clusters", "", "records_in_clusters"), ("records merged", "merged", "merges", ""),
        ("pairs to review", "review_pairs", "review", ""), ("suppressed", "suppressed", "suppressed", ""),
        ("quarantined", "quarantined", "quarantine", ""),
    ):
        value = _count(data, key, frame)
        if value is not None:
            extra = data.figure(detail_key) if detail_key else None
            cards.append(_card(label, fmt_int(value), f"{fmt_int(extra)} records" if extra else ""))
    if data.figure("seconds") is not None:
        cards.append(_card("time", _seconds(data.figure("seconds"))))
    return f'<div class="cards">{"".join(cards)}</div>'


def _step_name(name: str) -> str:
    """"normalize.phone" -> "phone", "match.blocking" -> "match": one row per step a person knows."""
    return name.removeprefix("normalize.").split(".", 1)[0]


def _figures(figures: object, limit: int = 240) -> str:
    """A step's stats in a line: scalars, and small flat dicts; model internals are left to summary.json."""
    if not isinstance(figures, dict):
        return clip(str(figures), limit)
    parts = []
    for key, value in figures.items():
        if isinstance(value, dict):
            if value and len(value) <= 6 and not any(isinstance(v, dict | list) for v in value.values()):
                parts.append(f"{key}: " + ", ".join(f"{k} {v}" for k, v in value.items()))
        elif value is not None and not isinstance(value, list):
            parts.append(f"{key}: {value}")
    return clip("; ".join(parts), limit)


def steps_section(data: ReportData) -> Section | None:
    """Per step: edits made, time taken, and the step's own figures."""
    timings = data.figure("timings") or {}
    stats = data.figure("stats") or {}
    changes = data.frame("changes")
    edits = tally(changes["step"]) if changes is not None and "step" in changes else pd.Series(dtype=int)
    seconds: dict[str, float] = {}
    for name, value in timings.items():
        seconds[_step_name(str(name))] = seconds.get(_step_name(str(name)), 0.0) + float(value)
    counts: dict[str, int] = {}
    for name, n in edits.items():
        counts[_step_name(str(name))] = counts.get(_step_name(str(name)), 0) + int(n)
    names = list(dict.fromkeys([*seconds, *counts, *map(_step_name, map(str, stats))]))
    if not names:
        return None
    rows = [[name, f"{counts.get(name, 0):,}", f"{seconds[name]:.3f}" if name in seconds else "",
             _figures(stats.get(name, {}))] for name in names]
    strip = severity_strip(data.findings_by_severity())
    body = "<h3>Findings by severity</h3>" + strip + "<h3>Steps</h3>" + table(
        ["step", "edits", "seconds", "figures"], rows, cell_class={0: "code"})
    return _section("steps", "Steps", "What each step did, in the order it ran.", body)


def edits_section(data: ReportData) -> Section | None:
    changes = data.frame("changes")
    if changes is None or not {"column", "rule"} <= set(changes.columns):
        return None
    codes, groups = edit_groups(data)
    sizes = np.bincount(codes[codes >= 0], minlength=len(groups))
    counts = pd.Series(sizes, index=pd.MultiIndex.from_frame(groups)).sort_values(ascending=False, kind="stable")
    if counts.empty:
        return _section("edits", "Edits", "", '<p class="empty">No cell was changed.</p>')
    items = [(f"{col} · {rule}", float(n), "accent") for (col, rule), n in counts.head(TOP_EDIT_BARS).items()]
    body = bar_chart(items, title="edits per column and rule") + showing(
        len(items), len(counts), "column/rule pairs", "most edits first")
    return _section("edits", "Edits per column and rule", f"{len(changes):,} cells edited.", body)


def _finding_columns(data: ReportData, issues: pd.DataFrame) -> list[str]:
    declared = data.figure("columns") or []
    seen = [c for c in issues["column"].unique() if c != ""]
    columns = [str(c) for c in declared] + [c for c in seen if c not in declared]
    return columns + (["(whole row)"] if (issues["column"] == "").any() else [])


def validity_section(data: ReportData) -> Section | None:
    """Share of rows with no finding, per column: the quick answer to "how clean is each column?"."""
    issues = data.frame("issues")
    rows = _count(data, "rows_in", "")
    if issues is None or not rows or not {"row", "column"} <= set(issues.columns):
        return None
    keyed = issues.assign(key=record_label(issues), column=issues["column"].replace("", "(whole row)"))
    bad = keyed.groupby("column")["key"].nunique()
    items, labels = [], []
    for column in _finding_columns(data, issues):
        share = max(0.0, 1 - int(bad.get(column, 0)) / rows)
        tone = "good" if share >= 0.98 else "warn" if share >= 0.9 else "bad"
        items.append((column, share, tone))
        labels.append(f"{share:.1%}")
    body = bar_chart(items, labels, scale_max=1.0, title="valid share per column")
    intro = f"Share of the {rows:,} input rows with no finding in the column (green ≥ 98 %, amber ≥ 90 %)."
    return _section("validity", "Validity per column", intro, body)


def findings_section(data: ReportData) -> Section | None:
    issues = data.frame("issues")
    if issues is None or not {"code", "severity"} <= set(issues.columns) or issues.empty:
        return None
    order = {s: i for i, s in enumerate(SEVERITIES)}
    grouped = issues.groupby(["code", "severity"], sort=False)
    summary = grouped.agg(rows=("code", "size"), columns=("column", _few), message=("message", "first")).reset_index()
    summary = summary.assign(rank=summary["severity"].str.lower().map(order).fillna(9))
    summary = summary.sort_values(["rank", "rows"], ascending=[True, False], kind="stable")
    rows = [[r.code, r.severity, f"{r.rows:,}", r.columns, shown(r.message)]
            for r in summary.head(TOP_CODES).itertuples()]
    body = table(["code", "severity", "rows", "columns", "example message"], rows, cell_class={0: "code"})
    body += showing(len(rows), len(summary), "finding codes", "errors first")
    body += '<p class="cap">Every finding, with its row and value, is in issues.csv.</p>'
    return _section("findings", "Findings", f"{len(issues):,} findings by code.", body)


def _few(values: pd.Series) -> str:
    names = [v or "(whole row)" for v in dict.fromkeys(values)]
    return ", ".join(names[:3]) + (f" +{len(names) - 3}" if len(names) > 3 else "")


def duplicates_section(data: ReportData) -> Section | None:
    clusters, merges, pairs = data.frame("clusters"), data.frame("merges"), data.frame("pairs")
    if clusters is None and merges is None and pairs is None:
        return None
    body = _pairs_chart(pairs) + clusters_html(clusters, merges, [str(c) for c in data.figure("columns") or []])
    return _section("duplicates", "Duplicates", "The largest clusters, each with the golden record it became.", body)


def _probability_column(frame: pd.DataFrame) -> str | None:
    return next((c for c in _PROBABILITY if c in frame.columns), None)


def _pairs_chart(pairs: pd.DataFrame | None) -> str:
    """How scored candidate pairs spread over match probability (only when pairs.csv has one)."""
    if pairs is None or pairs.empty:
        return ""
    column = _probability_column(pairs)
    scores = numbers(pairs[column]).dropna() if column else pd.Series(dtype=float)
    if scores.empty or scores.min() < 0 or scores.max() > 1:
        return f'<p class="sub">{len(pairs):,} candidate pairs scored.</p>'
    tenths = (scores * 10).clip(upper=9.999).astype(int).value_counts()
    lowest = int(tenths.index.min())
    items = [(f"{t / 10:.1f} – {(t + 1) / 10:.1f}", float(tenths.get(t, 0)), "good" if t >= 9 else "accent")
             for t in range(9, lowest - 1, -1)]
    return (f"<h3>{len(pairs):,} candidate pairs by match probability</h3>"
            + bar_chart(items, title="pairs by probability", label_chars=12))


def _frame_rows(frame: pd.DataFrame, limit: int) -> list[list[str]]:
    return [[shown(v) for v in row] for row in frame.head(limit).itertuples(index=False, name=None)]


def review_section(data: ReportData) -> Section | None:
    review = data.frame("review")
    if review is None:
        return None
    if review.empty:
        return _section("review", "Pairs to review", "", '<p class="empty">No pair needs a decision.</p>')
    review = review.drop(columns=[c for c in ("pair_key",) if c in review.columns])
    column = _probability_column(review)
    if column:
        score = numbers(review[column])
        review = review.assign(_s=score).sort_values("_s", ascending=False, kind="stable").drop(columns="_s")
    body = _review_table(review.head(REVIEW_PAIRS))
    body += showing(min(REVIEW_PAIRS, len(review)), len(review), "pairs", "most likely first")
    intro = "Pairs in the review band: write a decision in review.csv and rerun with --decisions."
    return _section("review", "Pairs to review", intro, body)


def _review_table(review: pd.DataFrame) -> str:
    """Each pair's two records stacked in one cell per field (x_l over x_r), evidence in one column."""
    columns = [str(c) for c in review.columns]
    pairs = [(c[:-2], c, c[:-2] + "_r") for c in columns if c.endswith("_l") and c[:-2] + "_r" in columns]
    paired = {name for _, left, right in pairs for name in (left, right)}
    levels = [c for c in columns if c.startswith("level_")]
    scores = [c for c in columns if c in _PROBABILITY or c.startswith("w_")]
    rest = [c for c in columns if c not in paired and c not in levels and c not in scores]
    pairs.sort(key=lambda p: p[0] != "row")
    heads = [("records" if base == "row" else base) for base, _, _ in pairs[:1]] + scores + [
        base for base, _, _ in pairs[1:]] + (["evidence"] if levels else []) + rest
    rows = []
    for record in review.to_dict("records"):
        cells = [_pair_cell(record, *pairs[0])] if pairs else []
        cells += [f'<td class="num">{esc(shown(record[c]))}</td>' for c in scores]
        cells += [_pair_cell(record, *p) for p in pairs[1:]]
        if levels:
            evidence = "".join(f"<div>{esc(c[6:])}: {esc(record[c])}</div>" for c in levels if record[c])
            cells.append(f'<td class="evidence">{evidence}</td>')
        cells += [f"<td>{esc(shown(record[c]))}</td>" for c in rest]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    head = "".join(f'<th class="{"num" if h in scores else ""}">{esc(h)}</th>' for h in heads)
    return (f'<div class="scroll"><table class="review"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def _pair_cell(record: dict[str, object], base: str, left: str, right: str) -> str:
    a, b = shown(record[left]), shown(record[right])
    if base == "row":
        a, b = f"row {a}", f"row {b}"
    differ = " diff" if base != "row" and a.casefold() != b.casefold() else ""
    return f'<td class="pair{differ}"><div>{esc(a)}</div><div>{esc(b)}</div></td>'


def samples_section(data: ReportData) -> Section | None:
    """Before/after examples, one per column and rule first so every kind of edit shows."""
    changes = data.frame("changes")
    if changes is None or changes.empty or not {"old", "new"} <= set(changes.columns):
        return None
    sample = changes.iloc[first_per_group(edit_groups(data)[0], SAMPLES)] if {"column", "rule"} <= set(
        changes.columns) else changes.head(SAMPLES)
    labels = record_label(sample)
    rows = [[label, r.column, shown(r.old), shown(r.new), r.rule]
            for label, r in zip(labels, sample.itertuples(), strict=True)]
    body = table(["record", "column", "before", "after", "rule"], rows, cell_class={2: "old", 3: "new", 4: "code"},
                 customer_cells=True)
    body += showing(len(rows), len(changes), "edits", "one per column and rule first")
    return _section("samples", "Before and after", "Examples of edits; changes.csv lists every one.", body)


def _rows_section(data: ReportData, name: str, title: str, intro: str) -> Section | None:
    frame = data.frame(name)
    if frame is None:
        return None
    body = '<p class="empty">None.</p>' if frame.empty else table(
        list(frame.columns), _frame_rows(frame, OTHER_ROWS), customer_cells=True)
    if name == "suppressed" and "reason" in frame.columns and not frame.empty:
        reasons = tally(frame["reason"].replace("", "(no reason)"))
        body = bar_chart([(str(r), float(n), "muted") for r, n in reasons.items()], title="by reason") + body
    body += showing(min(OTHER_ROWS, len(frame)), len(frame), "rows")
    return _section(name, title, intro.format(n=len(frame)), body)


def config_section(data: ReportData) -> Section | None:
    command = data.figure("command")
    line = data.figure("command_line")
    config = data.figure("config")
    if not command and not config and not line:
        return None
    body = ""
    if line or command:
        body += f"<h3>Command</h3><pre>{esc(line or 'custclean ' + str(command))}</pre>"
    if config:
        body += f"<h3>Options</h3><pre>{esc(json.dumps(config, indent=2, ensure_ascii=False, default=str))}</pre>"
    return _section("config", "Command and options", "What produced this report.", body)


SECTIONS: tuple[Callable[[ReportData], Section | None], ...] = (
    steps_section, edits_section, validity_section, findings_section, duplicates_section, review_section,
    samples_section,
    lambda d: _rows_section(d, "suppressed", "Suppressed", "{n:,} records removed by opt-out or suppression lists."),
    lambda d: _rows_section(d, "quarantine", "Quarantine", "{n:,} rows held back by errors; fix and rerun."),
    lambda d: _rows_section(d, "incomplete", "Incomplete", "{n:,} rows kept but missing something to follow up."),
    config_section,
)


def _subtitle(data: ReportData) -> str:
    parts = []
    if data.figure("rows_in") is not None and data.figure("rows_out") is not None:
        parts.append(f"{fmt_int(data.figure('rows_in'))} rows in → {fmt_int(data.figure('rows_out'))} rows out")
    if data.figure("seconds") is not None:
        parts.append(_seconds(data.figure("seconds")))
    parts.append(f"report folder: {data.folder.name}")
    return " · ".join(parts)


def render_html(folder: str | Path) -> str:
    """The report page for a report folder, as one self-contained HTML string."""
    return render_report(load_report(folder))


def render_report(data: ReportData) -> str:
    """The report page for report files already loaded (or just written, by files.write_reports)."""
    sections = [s for s in (build(data) for build in SECTIONS) if s is not None]
    notes = "".join(f'<p class="cap">Note: {esc(p)}.</p>' for p in data.problems)
    body = overview(data) + notes + "".join(html for _, _, html in sections)
    command = data.figure("command") or "run"
    return page(f"custclean {command} report", _subtitle(data), [(a, t) for a, t, _ in sections], body)


def write_html(folder: str | Path, umask: int = 0o077, data: ReportData | None = None) -> Path:
    """Write (or rebuild) FOLDER/report.html atomically from `data`, else from the files; returns its path."""
    target = Path(folder) / "report.html"
    text = render_report(data) if data is not None else render_html(folder)
    with atomic_path(target, 0o666 & ~umask) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return target
