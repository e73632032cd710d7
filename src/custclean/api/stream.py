"""normalize and validate over a big CSV file in chunks of rows, in bounded memory, with the same files.

A whole-table run holds the file, its table, every edit and every finding at once; ten million rows
do not fit. Here a CSV/TSV file on disk with more than [input] chunk_rows data rows is read a chunk
at a time: each chunk goes through the very steps a whole-table run uses, the output is appended to
one temp file renamed at the end (never a half-written output), and changes.csv, issues.csv and the
held-back rows are appended as they come. A first pass (api/stream_prepass.py) decides what needs
the whole file first: per-column decisions and duplicate keys. Standard input, Excel, `--encoding
mixed` and non-CSV outputs are read whole as before (`streamable` says which).
"""

from __future__ import annotations

import gc
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from custclean.api.io import SAMPLE_ROWS, check_mapping
from custclean.api.safety import STEP as SAFETY_STEP
from custclean.api.safety import formula_edits, guard_formulas
from custclean.api.stream_files import Sink
from custclean.api.stream_prepass import first_pass
from custclean.changes import ChangeLog
from custclean.config import Config
from custclean.findings import Findings, Severity
from custclean.io import format_for
from custclean.io.csv_stream import CsvChunks, more_rows_than, open_csv_chunks
from custclean.io.filetype import Kind, sniff_type
from custclean.io.sniff import MIXED
from custclean.normalize.registry import build_steps
from custclean.pipeline import Progress, Step, StepRun, apply_result
from custclean.results import RunResult
from custclean.roles import RoleMap, detect_roles
from custclean.ruleset import RuleSet
from custclean.table import Table
from custclean.validate import fail_level, validation_plan
from custclean.validate.quarantine import follow_up, split


def streamable(path: str, config: Config, *outputs: str | None) -> bool:
    """Whether `path` is read in chunks: a CSV/TSV file on disk with more than [input] chunk_rows rows.

    Everything else is read whole, as before: standard input, Excel, `--encoding mixed`, chunk_rows = 0,
    and runs whose output goes to standard output or to a non-CSV file.
    """
    rows = config.input.chunk_rows
    if not rows or path == "-" or (config.input.encoding or "").lower() == MIXED or not Path(path).is_file():
        return False
    if any(o is not None and (o == "-" or format_for(o, "csv") != "csv" or Path(o).suffix.lower() == ".xls")
           for o in outputs):
        return False
    if format_for(path, "") in {"xlsx", "xls"}:
        return False
    try:
        with open(path, "rb") as handle:
            head = handle.read(8192)
    except OSError:
        return False
    return sniff_type(head, path).kind is Kind.TEXT and more_rows_than(path, rows)


@dataclass
class StreamResult(RunResult):
    """A RunResult whose figures were added up chunk by chunk; `table` holds the header only."""

    rows_out: int = 0
    edit_count: int = 0
    severities: dict[str, int] = field(default_factory=dict)
    quarantined: int | None = None
    failing: int = 0          # findings at or above [validate] fail_on

    def summary(self) -> dict[str, Any]:
        summary: dict[str, Any] = {
            "command": self.command, "rows_in": self.input_rows, "rows_out": self.rows_out,
            "edits": self.edit_count, "findings": self.severities,
        }
        if self.quarantined is not None:
            summary["quarantined"] = self.quarantined
        summary["seconds"] = round(sum(self.timings.values()), 3)
        return summary


def failing_findings(result: RunResult, config: Config) -> int:
    """How many findings reach [validate] fail_on, for a whole-table or a chunked run."""
    if isinstance(result, StreamResult):
        return result.failing
    from custclean.api.validate import findings_at_or_above

    return findings_at_or_above(result, config)


@dataclass
class _Opened:
    chunks: CsvChunks
    roles: RoleMap
    rows: int
    estimate: int = 0


def _open(path: str, config: Config, rules: RuleSet) -> _Opened:
    """Open the file and detect column roles on its first rows, as api.read does."""
    chunks = open_csv_chunks(path, config.input)
    head = chunks.frames(SAMPLE_ROWS + 1)
    sample = next(head, pd.DataFrame(columns=list(chunks.columns)))
    head.close()
    table = Table(sample.head(SAMPLE_ROWS), source=chunks.source)
    check_mapping(config, table)
    samples = {c: table.frame[c].tolist() for c in table.columns}
    roles = detect_roles(table.columns, samples, rules.header_synonyms(), config.input.mapping)
    return _Opened(chunks, roles, max(2, config.input.chunk_rows), _estimate_rows(path))


def _run(table: Table, steps: list[Step], created: dict[str, tuple[int, int]], timings: Counter[str]) -> StepRun:
    """run_steps for one chunk, noting where each new column was first made (to order them at the end)."""
    run = StepRun(table)
    for index, step in enumerate(steps):
        started = time.perf_counter()
        before = len(run.table.columns)
        apply_result(run, step.name, step.run(run.table))
        for position, column in enumerate(run.table.columns[before:]):
            created[column] = min(created.get(column, (index, position)), (index, position))
        timings[step.name] += time.perf_counter() - started
    return run


def _chunks(opened: _Opened, timings: Counter[str], progress: Progress | None) -> Iterator[Table]:
    """The file's chunks as Tables, timing the reading and reporting rows done (of an estimate)."""
    frames = opened.chunks.frames(opened.rows)
    done = 0
    while True:
        started = time.perf_counter()
        frame = next(frames, None)
        timings["read"] += time.perf_counter() - started
        if frame is None:
            return
        done += len(frame)
        yield Table(frame, opened.roles, opened.chunks.source)
        gc.collect()   # pandas' .str accessors leave cycles holding a chunk's arrays; free them now
        if progress:
            progress("chunks", done, max(done, opened.estimate))


def _estimate_rows(path: str) -> int:
    """Rows in a file, guessed from the line length of its first megabyte (for the progress bar only)."""
    with open(path, "rb") as handle:
        head = handle.read(1 << 20)
    return int(Path(path).stat().st_size * max(1, head.count(b"\n")) / max(1, len(head)))


def _final_columns(columns: tuple[str, ...], created: dict[str, tuple[int, int]]) -> list[str]:
    return [*columns, *sorted((c for c in created if c not in columns), key=lambda c: created[c])]


def _decided(opened: _Opened, steps: list[Step], checks: list[Any], run_prefix: bool, timings: Counter[str]
             ) -> list[Step]:
    started = time.perf_counter()
    steps = first_pass(opened.chunks, opened.roles, steps, checks, opened.rows, run_prefix)
    timings["first_pass"] += time.perf_counter() - started
    return steps


def stream_normalize(
    path: str, config: Config | None = None, rules: RuleSet | None = None, *, output: str | None = None,
    report: str | Path | None = None, progress: Progress | None = None,
) -> StreamResult:
    """api.normalize + write + write_reports for a big CSV file, a chunk of rows at a time.

    Writes `output` (when given) and the report folder (when given) exactly as a whole-table run
    does, and returns the run's figures.

    >>> import os, tempfile
    >>> import custclean as cc
    >>> config = cc.Config.load(None, input={"chunk_rows": 100})
    >>> out = os.path.join(tempfile.mkdtemp(), "clean.csv")
    >>> cc.stream_normalize("examples/customers_multilang.csv", config, output=out).summary()["rows_out"]
    311
    """
    config = config or Config()
    rules = rules or RuleSet.load(*config.rules_dirs)
    opened = _open(path, config, rules)
    timings: Counter[str] = Counter()
    steps = _decided(opened, build_steps(rules, config), [], True, timings)
    created: dict[str, tuple[int, int]] = {}
    result = _result("normalize", opened, {"normalize": asdict(config.normalize)})
    with ExitStack() as stack:
        sink = Sink(stack, config, opened.chunks.source, output, report, validate=False)
        for table in _chunks(opened, timings, progress):
            result.input_rows += len(table)
            run = _run(table, steps, created, timings)
            chunk = RunResult(table=run.table, changes=run.changes, findings=run.findings)
            if output:
                guard_formulas(chunk, config.output.allow_formulas)
            started = time.perf_counter()
            sink.add(chunk.table.frame, chunk.changes.frame(), chunk.findings.frame())
            timings["write"] += time.perf_counter() - started
            _count(result, chunk.table, chunk.changes, chunk.findings.frame(), config)
        _finish(result, sink, opened, created, timings, {})
    return result


def stream_validate(
    path: str, config: Config | None = None, rules: RuleSet | None = None, *, output: str | None = None,
    report: str | Path | None = None, progress: Progress | None = None,
) -> StreamResult:
    """api.validate + write_validation_files + write + write_reports for a big CSV file, in chunks.

    The quarantine and follow-up files are those [validate] quarantine/incomplete name (CSV only).
    """
    config = config or Config()
    rules = rules or RuleSet.load(*config.rules_dirs)
    fail_level(config)
    opened = _open(path, config, rules)
    plan = validation_plan(config, rules)
    timings: Counter[str] = Counter()
    steps = _decided(opened, plan.steps(), plan.checks, False, timings)
    result = _result("validate", opened, {"validate": asdict(config.validate)})
    result.quarantined = 0 if config.validate.quarantine is not None else None
    codes: Counter[str] = Counter()
    warnings: dict[str, None] = {}
    with ExitStack() as stack:
        sink = Sink(stack, config, opened.chunks.source, output, report, validate=True)
        for number, table in enumerate(_chunks(opened, timings, progress)):
            result.input_rows += len(table)
            run = _run(table, steps, {}, timings)
            findings = plan.policy.apply(run.findings.frame())
            if number:   # findings about the whole file (a missing column) are reported once
                findings = findings[findings["row"].notna()].reset_index(drop=True)
            chunk = _held_back(table, findings, config, warnings)
            if output:
                guard_formulas(chunk, config.output.allow_formulas)
            started = time.perf_counter()
            sink.add(chunk.table.frame, chunk.changes.frame(), findings, chunk.quarantine, chunk.incomplete)
            timings["write"] += time.perf_counter() - started
            _count(result, chunk.table, chunk.changes, findings, config)
            codes.update(findings["code"].astype(str).tolist())
            if result.quarantined is not None and chunk.quarantine is not None:
                result.quarantined += len(chunk.quarantine)
        result.warnings.extend([*plan.notes(), *warnings])
        _finish(result, sink, opened, {}, timings, {"validate": {"codes": dict(codes.most_common())}})
    return result


def _held_back(table: Table, findings: pd.DataFrame, config: Config, warnings: dict[str, None]) -> RunResult:
    """One chunk's kept rows, quarantine and follow-up list, made inert as write_validation_files does."""
    chunk = RunResult(table=table, changes=ChangeLog())
    if config.validate.quarantine is not None:
        chunk.table, chunk.quarantine = split(table, findings)
        if not config.output.allow_formulas:
            edits = formula_edits(chunk.quarantine)
            chunk.quarantine = chunk.quarantine.apply(edits)
            chunk.changes.record(edits, SAFETY_STEP)
    if config.validate.incomplete is not None:
        chunk.incomplete, found = follow_up(chunk.table, config.validate.want)
        warnings.update(dict.fromkeys(found))
    return chunk


def _result(command: str, opened: _Opened, config: dict[str, Any]) -> StreamResult:
    header = Table(pd.DataFrame(columns=list(opened.chunks.columns)), opened.roles, opened.chunks.source)
    return StreamResult(table=header, command=command, config=config, changes=ChangeLog(), findings=Findings())


def _count(result: StreamResult, kept: Table, changes: ChangeLog, findings: pd.DataFrame, config: Config) -> None:
    """Add one chunk's figures to the run's."""
    result.rows_out += len(kept)
    result.edit_count += len(changes)
    for severity, n in findings["severity"].astype(str).value_counts().items():
        result.severities[str(severity)] = result.severities.get(str(severity), 0) + int(n)
    level = fail_level(config)
    if level is not None and not findings.empty:
        ranks = findings["severity"].map({str(s): int(s) for s in Severity})
        result.failing += int((ranks >= int(level)).sum())


def _finish(
    result: StreamResult, sink: Sink, opened: _Opened, created: dict[str, tuple[int, int]],
    timings: Counter[str], stats: dict[str, Any],
) -> None:
    """Close the files, fill the result's figures, then write summary.json and report.html."""
    columns = _final_columns(opened.chunks.columns, created)
    result.severities = {str(s): result.severities.get(str(s), 0) for s in sorted(Severity, reverse=True)}
    result.warnings.extend(sink.close(columns))
    result.table = Table(pd.DataFrame(columns=columns), opened.roles, opened.chunks.source)
    result.timings = {name: float(seconds) for name, seconds in timings.items()}
    result.stats = {**stats, "stream": {"chunks": sink.chunks, "chunk_rows": opened.rows}}
    sink.write_summary(result)
