"""Terminal output: the summary (table, one line, JSON) and progress bars only on a terminal."""

from __future__ import annotations

import io
import json
import threading

import pandas as pd
import pytest
from rich.console import Console

from custclean.changes import ChangeLog
from custclean.findings import Findings, findings_frame
from custclean.report.console import print_summary, progress_reporter
from custclean.results import RunResult
from tests.conftest import make_table


def _result() -> RunResult:
    table = make_table([{"email": "ana@exemplu.ro", "country": "România"}, {"email": "x@@y", "country": "VN"}])
    log = ChangeLog()
    log.record(pd.DataFrame({"row": [1], "column": ["country"], "old": ["România"], "new": ["RO"],
                             "rule": ["country.alias"]}), "country")
    findings = Findings()
    findings.add(findings_frame([2], "email", "x@@y", "error", "email.invalid", "not a valid email address"))
    return RunResult(table=table, command="normalize", input_rows=2, changes=log, findings=findings,
                     timings={"country": 0.25, "email": 0.5}, warnings=["out.csv: wrote UTF-8 with BOM [sic]"])


def _console(terminal: bool) -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, force_terminal=terminal, width=100, color_system=None), buffer


def test_one_line_when_not_a_terminal() -> None:
    console, out = _console(False)
    print_summary(_result(), console=console)
    lines = out.getvalue().splitlines()
    assert lines[0] == "warning: out.csv: wrote UTF-8 with BOM [sic]"
    assert lines[1] == ("custclean normalize: rows in: 2; rows out: 2; cells edited: 1; "
                        "findings: 1 error, 0 warning, 0 info; seconds: 0.75")


def test_table_on_a_terminal_and_details_only_with_verbose() -> None:
    console, out = _console(True)
    print_summary(_result(), console=console)
    assert "cells edited" in out.getvalue()
    assert "1 error" in out.getvalue()
    assert "email.invalid" not in out.getvalue()
    console, out = _console(True)
    print_summary(_result(), verbose=True, console=console)
    assert "email.invalid (error)" in out.getvalue()
    assert "0.500 s" in out.getvalue()


def test_quiet_prints_warnings_only_and_json_goes_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    console, out = _console(False)
    print_summary(_result(), quiet=True, console=console)
    assert out.getvalue().splitlines() == ["warning: out.csv: wrote UTF-8 with BOM [sic]"]
    print_summary(_result(), as_json=True)
    summary = json.loads(capsys.readouterr().out)
    assert summary["findings"] == {"error": 1, "warning": 0, "info": 0}
    assert summary["edits"] == 1


def test_no_bars_unless_enabled_on_a_terminal() -> None:
    for enabled, terminal in ((False, True), (True, False)):
        console, out = _console(terminal)
        with progress_reporter(enabled, console=console, delay=0.0) as progress:
            progress("phone", 0, 2)
            progress("phone", 500, 1000)
        assert out.getvalue() == ""


def test_a_quick_step_shows_no_bar() -> None:
    console, out = _console(True)
    with progress_reporter(True, console=console, delay=30.0) as progress:
        progress("country", 0, 2)
        progress("done", 2, 2)
    assert out.getvalue() == ""


def test_a_long_step_shows_its_bar_with_counts() -> None:
    console, out = _console(True)
    shown = threading.Event()
    with progress_reporter(True, console=console, delay=0.01) as progress:
        progress("phone", 1, 3)
        progress("phone", 40_000, 100_000)
        for _ in range(200):                      # wait for the timer thread to reveal the bars
            if progress.started:                  # type: ignore[attr-defined]
                shown.set()
                break
            shown.wait(0.02)
        console.file.flush()
        progress.progress.refresh()               # type: ignore[attr-defined]
        progress("done", 3, 3)
    assert shown.is_set()
    text = out.getvalue()
    assert "phone" in text
    assert "40000/100000" in text
