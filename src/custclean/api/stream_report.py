"""Report files of a chunked run: report CSVs appended chunk by chunk, summary.json and report.html from tallies.

The CSVs are byte for byte what report/files.py writes for the same rows (UTF-8 with a BOM, formula
cells neutralized, "\\n" line ends). report.html cannot be built the usual way (it reads every report
CSV back into memory), so the figures it shows are tallied while the chunks go by, with bounded
samples: the first SAMPLES edits of each column and rule, the first OTHER_ROWS quarantined and
incomplete rows.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

from custclean.io.safe_write import neutralize
from custclean.report.html import OTHER_ROWS, SAMPLES, TOP_CODES, TOP_EDIT_BARS, config_section, overview
from custclean.report.htmlkit import bar_chart, clip, esc, page, severity_strip, showing, table
from custclean.report.reportdata import SEVERITIES, ReportData

REPORT_ENCODING = "utf-8-sig"
_TRIGGERS = ("=", "@", "+", "-", "\t", "\r")   # the first characters `is_formula` can flag


class ReportCsv:
    """One report CSV appended a chunk at a time (into a temp file the caller renames at the end)."""

    def __init__(self, tmp: Path) -> None:
        self._out: TextIO = open(tmp, "w", encoding=REPORT_ENCODING, newline="")  # noqa: SIM115 - see close()
        self._started = False

    def write(self, frame: pd.DataFrame) -> None:
        """Append rows; cells a spreadsheet would run are made inert (as write_csv_report does)."""
        safe = frame.copy()
        for column in safe.columns:
            if safe[column].dtype == object:
                values = safe[column]
                suspects = _starts_like_formula(values)
                if suspects.any():
                    safe.loc[suspects, column] = values[suspects].map(neutralize)
        safe.to_csv(self._out, index=False, header=not self._started, lineterminator="\n")
        self._started = True

    def close(self) -> None:
        self._out.close()


def _starts_like_formula(values: pd.Series) -> pd.Series:
    """True for str cells starting with a character a formula can start with (vectorised when all text)."""
    try:
        return values.str.startswith(_TRIGGERS).fillna(False).astype(bool)
    except AttributeError:   # not a column of text (row numbers)
        return values.map(lambda v: isinstance(v, str) and v.startswith(_TRIGGERS))


@dataclass
class Tally:
    """Figures and bounded samples for summary.json and report.html, added chunk by chunk."""

    edits: Counter[tuple[str, str]] = field(default_factory=Counter)     # (column, rule) -> edits
    by_step: Counter[str] = field(default_factory=Counter)
    rows_edited: int = 0
    samples: dict[tuple[str, str], list[tuple[int, Any, str, str, str, str]]] = field(default_factory=dict)
    findings: Counter[tuple[str, str]] = field(default_factory=Counter)  # (code, severity) -> findings
    code_columns: dict[tuple[str, str], dict[str, None]] = field(default_factory=dict)
    messages: dict[tuple[str, str], str] = field(default_factory=dict)
    bad_rows: Counter[str] = field(default_factory=Counter)              # column -> rows with a finding
    whole_file: set[str] = field(default_factory=set)                    # columns with a finding of no row
    severities: Counter[str] = field(default_factory=Counter)
    held: dict[str, list[pd.DataFrame]] = field(default_factory=dict)    # "quarantine" -> first rows
    held_rows: Counter[str] = field(default_factory=Counter)
    _order: int = 0

    def add_changes(self, changes: pd.DataFrame) -> None:
        if changes.empty:
            return
        for (column, rule), n in changes.groupby(["column", "rule"], sort=False).size().items():
            self.edits[(str(column), str(rule))] += int(n)
            kept = self.samples.setdefault((str(column), str(rule)), [])
            if len(kept) < SAMPLES:
                mine = changes[(changes["column"] == column) & (changes["rule"] == rule)].head(SAMPLES - len(kept))
                kept.extend((self._order + int(i), r.row, str(r.column), str(r.old), str(r.new), str(r.rule))
                            for i, r in zip(mine.index, mine.itertuples(), strict=True))
        self._order += len(changes)
        self.by_step.update(changes["step"].astype(str).value_counts().to_dict())
        self.rows_edited += int(changes["row"].nunique())

    def add_findings(self, findings: pd.DataFrame) -> None:
        if findings.empty:
            return
        for (code, severity), group in findings.groupby(["code", "severity"], sort=False):
            key = (str(code), str(severity))
            self.findings[key] += len(group)
            self.code_columns.setdefault(key, {}).update(dict.fromkeys(group["column"].astype(str)))
            self.messages.setdefault(key, str(group["message"].iloc[0]))
        located = findings[findings["row"].notna()]
        self.bad_rows.update(located.groupby("column", sort=False)["row"].nunique().to_dict())
        self.whole_file.update(findings.loc[findings["row"].isna(), "column"].astype(str))
        self.severities.update(findings["severity"].astype(str).value_counts().to_dict())

    def add_rows(self, name: str, frame: pd.DataFrame) -> None:
        """Quarantined or incomplete rows: a count and the first OTHER_ROWS."""
        kept = self.held.setdefault(name, [])
        have = sum(len(f) for f in kept)
        if have < OTHER_ROWS or not kept:
            kept.append(frame.head(OTHER_ROWS - have))
        self.held_rows[name] += len(frame)

    def by_severity(self) -> dict[str, int]:
        return {s: int(self.severities.get(s, 0)) for s in SEVERITIES}


def write_text(target: Path, text: str) -> None:
    target.write_text(text, encoding="utf-8")


def summary_json(summary: dict[str, Any]) -> str:
    return json.dumps(summary, indent=2, ensure_ascii=False, default=str) + "\n"


def _section(anchor: str, title: str, intro: str, body: str) -> tuple[str, str, str]:
    sub = f'<p class="sub">{esc(intro)}</p>' if intro else ""
    return anchor, title, f'<section id="{esc(anchor)}"><h2>{esc(title)}</h2>{sub}{body}</section>'


def _steps(summary: dict[str, Any], tally: Tally) -> tuple[str, str, str]:
    seconds: dict[str, float] = {}
    for name, value in (summary.get("timings") or {}).items():
        step = str(name).removeprefix("normalize.").split(".", 1)[0]
        seconds[step] = seconds.get(step, 0.0) + float(value)
    counts: Counter[str] = Counter()
    for name, n in tally.by_step.items():
        counts[name.removeprefix("normalize.").split(".", 1)[0]] += n
    stats = summary.get("stats") or {}
    names = list(dict.fromkeys([*seconds, *counts, *map(str, stats)]))
    rows = [[n, f"{counts.get(n, 0):,}", f"{seconds[n]:.3f}" if n in seconds else "",
             clip(json.dumps(stats.get(n, ""), ensure_ascii=False, default=str), 240) if n in stats else ""]
            for n in names]
    body = "<h3>Findings by severity</h3>" + severity_strip(tally.by_severity()) + "<h3>Steps</h3>" + table(
        ["step", "edits", "seconds", "figures"], rows, cell_class={0: "code"})
    return _section("steps", "Steps", "What each step did, in the order it ran.", body)


def _edits(tally: Tally) -> tuple[str, str, str]:
    total = sum(tally.edits.values())
    if not total:
        return _section("edits", "Edits", "", '<p class="empty">No cell was changed.</p>')
    ranked = sorted(tally.edits.items(), key=lambda kv: -kv[1])
    items = [(f"{c} · {r}", float(n), "accent") for (c, r), n in ranked[:TOP_EDIT_BARS]]
    body = bar_chart(items, title="edits per column and rule") + showing(
        len(items), len(ranked), "column/rule pairs", "most edits first")
    return _section("edits", "Edits per column and rule", f"{total:,} cells edited.", body)


def _validity(summary: dict[str, Any], tally: Tally) -> tuple[str, str, str] | None:
    rows = int(summary.get("rows_in") or 0)
    if not rows:
        return None
    declared = [str(c) for c in summary.get("columns") or []]
    seen = [c for c in dict.fromkeys(c for key in tally.code_columns for c in tally.code_columns[key]) if c]
    columns = declared + [c for c in seen if c not in declared]
    bad = Counter(tally.bad_rows)
    for column in tally.whole_file:
        bad[column or "(whole row)"] += 1
    if "" in tally.bad_rows or "" in tally.whole_file:
        columns.append("(whole row)")
        bad["(whole row)"] += bad.pop("", 0)
    items, labels = [], []
    for column in columns:
        share = max(0.0, 1 - int(bad.get(column, 0)) / rows)
        items.append((column, share, "good" if share >= 0.98 else "warn" if share >= 0.9 else "bad"))
        labels.append(f"{share:.1%}")
    intro = f"Share of the {rows:,} input rows with no finding in the column (green ≥ 98 %, amber ≥ 90 %)."
    body = bar_chart(items, labels, scale_max=1.0, title="valid share per column")
    return _section("validity", "Validity per column", intro, body)


def _findings(tally: Tally) -> tuple[str, str, str] | None:
    if not tally.findings:
        return None
    order = {s: i for i, s in enumerate(SEVERITIES)}
    ranked = sorted(tally.findings.items(), key=lambda kv: (order.get(kv[0][1].lower(), 9), -kv[1]))
    rows = []
    for (code, severity), n in ranked[:TOP_CODES]:
        names = [c or "(whole row)" for c in tally.code_columns[(code, severity)]]
        few = ", ".join(names[:3]) + (f" +{len(names) - 3}" if len(names) > 3 else "")
        rows.append([code, severity, f"{n:,}", few, tally.messages[(code, severity)]])
    body = table(["code", "severity", "rows", "columns", "example message"], rows, cell_class={0: "code"})
    body += showing(len(rows), len(ranked), "finding codes", "errors first")
    body += '<p class="cap">Every finding, with its row and value, is in issues.csv.</p>'
    return _section("findings", "Findings", f"{sum(tally.findings.values()):,} findings by code.", body)


def _samples(tally: Tally) -> tuple[str, str, str] | None:
    kept = [(rank, *entry) for entries in tally.samples.values() for rank, entry in enumerate(entries)]
    if not kept:
        return None
    kept.sort(key=lambda e: (e[0], e[1]))
    rows = [[f"row {row}", column, old, new, rule] for _, _, row, column, old, new, rule in kept[:SAMPLES]]
    body = table(["record", "column", "before", "after", "rule"], rows, cell_class={2: "old", 3: "new", 4: "code"},
                 customer_cells=True)
    body += showing(len(rows), sum(tally.edits.values()), "edits", "one per column and rule first")
    return _section("samples", "Before and after", "Examples of edits; changes.csv lists every one.", body)


def _held(tally: Tally, name: str, title: str, intro: str) -> tuple[str, str, str] | None:
    if name not in tally.held:
        return None
    frame = pd.concat(tally.held[name], ignore_index=True)
    total = tally.held_rows[name]
    body = '<p class="empty">None.</p>' if frame.empty else table(
        [str(c) for c in frame.columns], frame.astype(str).to_numpy().tolist(), customer_cells=True)
    body += showing(min(OTHER_ROWS, total), total, "rows")
    return _section(name, title, intro.format(n=total), body)


def render_html(folder: Path, summary: dict[str, Any], tally: Tally) -> str:
    """report.html for a chunked run, from the summary and the tallies (no report CSV is read back)."""
    data = ReportData(folder, summary=summary)
    sections = [s for s in (
        _steps(summary, tally), _edits(tally), _validity(summary, tally), _findings(tally), _samples(tally),
        _held(tally, "quarantine", "Quarantine", "{n:,} rows held back by errors; fix and rerun."),
        _held(tally, "incomplete", "Incomplete", "{n:,} rows kept but missing something to follow up."),
        config_section(data),
    ) if s is not None]
    body = overview(data) + "".join(html for _, _, html in sections)
    subtitle = (f"{summary.get('rows_in', 0):,} rows in → {summary.get('rows_out', 0):,} rows out · "
                f"read in chunks · report folder: {folder.name}")
    return page(f"custclean {summary.get('command') or 'run'} report", subtitle, [(a, t) for a, t, _ in sections],
                body)
