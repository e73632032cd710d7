"""The report CSVs and the output written on two cores: the same bytes, the same errors, nothing left behind.

FORK_MIN_CELLS is lowered so these small runs take the forked path; PAGE_SHARE moves report CSVs
between the processes (10: the helper writes every one of them, and report.html is built from the
cells it reports back).
"""

from __future__ import annotations

import csv
import errno
import json
import os
import re
import signal
import sys
import time
from pathlib import Path
from typing import TextIO

import pytest
from typer.testing import CliRunner

from custclean import api
from custclean.cli.app import app
from custclean.config import Config
from custclean.errors import OutputError
from custclean.report import csvtext, files
from custclean.report.html import render_html
from tests.report.test_files import _messy_result

pytestmark = pytest.mark.skipif(not files.can_fork(), reason="the helper is a forked process")

FIELDS = ["Prénom", "Nom", "Email", "Téléphone", "Ville", "Notes"]
PEOPLE = [
    ["Thị Lan", "TRẦN", "LAN.TRAN@GMAIL.COM ", "0907 670 440", "Hà Nội", "=HYPERLINK(\"http://x\")"],
    ["Ștefan", "popescu", "stefan.popescu@yahoo.ro", "0721 234 567", "București", "-2+3"],
    ["Chloé", "Dupont, Martin", "c.dupont@orange.fr", "06 12 34 56 78", "Saint-Étienne", "@SUM(1)"],
    ["José", "García", "jose.garcia@gmial.com", "+34 612 345 678", "Málaga", "cliente \"VIP\""],
    ["Hans", "Müller", "hans.mueller@web.de", "0151 2345 6789", "München", ""],
]


def _input(folder: Path, copies: int = 8) -> Path:
    """A FR/RO/VI/ES/DE list with duplicates, formula cells, quotes and commas."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "clients.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([FIELDS, *(PEOPLE * copies)])
    return path


def _forking(monkeypatch: pytest.MonkeyPatch, page_share: float = files.PAGE_SHARE) -> list[int]:
    """Make every run fork; returns the list the helpers' pids are appended to."""
    monkeypatch.setattr(files, "FORK_MIN_CELLS", 0)
    monkeypatch.setattr(files, "PAGE_SHARE", page_share)
    started: list[int] = []
    real = files.Helper.__init__

    def recording(self: files.Helper, work: object) -> None:
        real(self, work)    # type: ignore[arg-type]
        started.append(self.pid)

    monkeypatch.setattr(files.Helper, "__init__", recording)
    return started


def _one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files, "FORK_MIN_CELLS", sys.maxsize)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _without_timings(page: bytes) -> bytes:
    """The page with its figures of time ("0.31", "45 ms", "2 s") masked: they differ from run to run."""
    return re.sub(rb"\d+(?:\.\d+)?(?= ?m?s\b)|\d+\.\d+", b"#", page)


@pytest.mark.parametrize("page_share", [files.PAGE_SHARE, 10.0])
def test_the_forked_run_writes_the_same_files_as_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             page_share: float) -> None:
    runs = {}
    for how in ("one", "forked"):
        with monkeypatch.context() as patch:
            started = _forking(patch, page_share) if how == "forked" else _one_process(patch) or []
            result = _messy_result(origin=True)
            out = tmp_path / how / "clean.csv"
            out.parent.mkdir()
            written = files.write_reports(result, tmp_path / how / "rep", output=lambda r=result, o=out: (
                api.write(r.table, o, Config())[1] + ["from the output"]))
            assert len(started) == (1 if how == "forked" else 0)
        runs[how] = (_files(tmp_path / how / "rep"), out.read_bytes(), [p.name for p in written], result)
    (one, one_out, one_names, one_result), (forked, forked_out, forked_names, forked_result) = runs.values()
    assert forked_out == one_out
    assert forked_names == one_names
    assert set(forked) == set(one)
    assert not any(n.startswith(".") for n in forked)
    for name in one:
        if name.endswith(".csv"):
            assert forked[name] == one[name], name
    assert _without_timings(forked["report.html"]) == _without_timings(one["report.html"])
    page = forked["report.html"].decode()
    assert page == render_html(tmp_path / "forked" / "rep")      # the helper's cells came back exactly
    assert '<td class="old">=HYPERLINK(&quot;http://x&quot;)</td>' in page
    summary = json.loads(forked["summary.json"])
    assert list(summary["timings"]) == ["write", "reports"]
    assert summary["seconds"] == round(sum(forked_result.timings.values()), 3)
    assert forked_result.warnings == one_result.warnings == ["from the output"]     # the helper's, brought back


def test_a_frame_written_elsewhere_gives_the_same_view_from_its_changed_cells() -> None:
    frame = files._report_frames(_messy_result(origin=False))["merges.csv"]()
    import io

    here = csvtext.frame_text(frame)
    here.write(io.StringIO())
    there = csvtext.frame_text(frame)
    there.absorb(here.changed())
    assert there.view().equals(here.view())
    assert there.view()["Notes"].tolist() == ["'=HYPERLINK(\"http://x\")", ""]
    assert csvtext.frame_text(frame).view()["Notes"].tolist()[0] == "=HYPERLINK(\"http://x\")"


def _run(tmp_path: Path, output: str | None, *flags: str) -> tuple[int, str, dict[str, bytes]]:
    """`custclean normalize` into tmp_path/run; (exit code, stderr, files of the run folder and report folder)."""
    source = _input(tmp_path / "run")
    where = ["-o", str(tmp_path / "run" / output)] if output else []
    result = CliRunner().invoke(app, ["normalize", str(source), *where, "--report", str(tmp_path / "run" / "rep"),
                                      "--quiet", *flags])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    run = tmp_path / "run"
    found = {p.relative_to(run).as_posix(): p.read_bytes() for p in sorted(run.rglob("*")) if p.is_file()}
    return result.exit_code, result.stderr, found


@pytest.mark.parametrize(("output", "both"),
                         [("clean.xls", False), ("missing/clean.csv", False), ("rep", False), ("clean.xls", True)])
def test_a_failing_output_gives_the_same_error_and_leaves_no_temp_files(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch,
                                                                       output: str, both: bool) -> None:
    """`both`: changes.csv fails too (in this process); the output's error is still the one shown."""
    if both:
        _disk_full_on(monkeypatch, "old")
    outcomes = []
    for how in ("one", "forked"):
        with monkeypatch.context() as patch:
            started = _forking(patch) if how == "forked" else _one_process(patch) or []
            code, stderr, found = _run(tmp_path / how, output)
            assert len(started) == (1 if how == "forked" else 0)
        assert code == 2
        assert stderr.count("\n") == 1
        assert stderr.startswith("custclean: ")
        assert "Traceback" not in stderr
        assert not [n for n in found if Path(n).name.startswith(".")], found     # no temp file anywhere
        assert not {"rep/changes.csv", "rep/summary.json", "rep/report.html"} & set(found)
        outcomes.append((code, stderr.replace(str(tmp_path / how), "TMP"), sorted(found)))
    assert outcomes[0] == outcomes[1]


def _disk_full_on(monkeypatch: pytest.MonkeyPatch, column: str) -> None:
    """Writing the report CSV that has `column` fills the disk halfway."""
    real = csvtext.FrameText.write

    def disk_full(self: csvtext.FrameText, handle: TextIO) -> None:
        if column in self.frame.columns:
            handle.write(",".join(map(str, self.frame.columns)) + "\n")
            handle.flush()
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(self, handle)

    monkeypatch.setattr(csvtext.FrameText, "write", disk_full)


def test_a_full_disk_in_the_helper_is_the_same_oserror_and_nothing_is_committed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _disk_full_on(monkeypatch, "rule")      # changes.csv, written by the helper (PAGE_SHARE 10)
    outcomes = []
    for how in ("one", "forked"):
        with monkeypatch.context() as patch:
            started = _forking(patch, 10.0) if how == "forked" else _one_process(patch) or []
            with pytest.raises(OSError, match="No space left") as raised:
                _run(tmp_path / how, "clean.csv")
            assert len(started) == (1 if how == "forked" else 0)
        assert raised.value.errno == errno.ENOSPC
        found = sorted(p.relative_to(tmp_path / how / "run").as_posix() for p in (tmp_path / how).rglob("run/**/*"))
        assert not [n for n in found if Path(n).name.startswith(".")]
        assert "clean.csv" in found                                    # written first, as one process does
        assert not {"rep/changes.csv", "rep/summary.json", "rep/report.html"} & set(found)
        outcomes.append(found)
    assert outcomes[0] == outcomes[1]


def test_an_interrupt_in_the_helper_is_an_interrupt_here_and_leaves_no_process() -> None:
    def interrupted(conn: object) -> None:
        raise KeyboardInterrupt

    helper = files.Helper(interrupted)
    with pytest.raises(KeyboardInterrupt):
        helper.expect("output")
    helper.close()
    assert helper.ended
    assert os.waitstatus_to_exitcode(helper.status) == 130


def test_closing_stops_a_helper_still_writing_and_removes_its_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "clean.csv"

    def slow(conn: object) -> None:
        from custclean.io.safe_write import atomic_path
        with atomic_path(target) as tmp:
            tmp.write_text("half a fi")
            conn.send(("started",))             # type: ignore[attr-defined]
            time.sleep(60)

    helper = files.Helper(slow)
    helper.expect("started")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".clean.csv.")]
    helper.close()
    assert helper.ended
    assert os.waitstatus_to_exitcode(helper.status) == 130
    assert list(tmp_path.iterdir()) == []


def test_a_helper_killed_outright_is_a_one_line_output_error() -> None:
    def killed(conn: object) -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    helper = files.Helper(killed)
    with pytest.raises(OutputError, match=r"^the helper writing the output stopped \(signal 9\); nothing was"):
        helper.expect("output")
    helper.close()


def test_standard_output_is_written_by_this_process_when_the_reports_fork(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    started = _forking(monkeypatch, 10.0)
    source = _input(tmp_path)
    result = CliRunner().invoke(app, ["clean", str(source), "-o", "-", "--report", str(tmp_path / "rep"), "--quiet"])
    assert result.exit_code == 0, result.stderr
    assert len(started) == 1                                         # the report CSVs still went to a helper
    assert result.stdout.splitlines()[0].startswith("Prénom,Nom,Email")
    assert "Ștefan" in result.stdout
    assert (tmp_path / "rep" / "changes.csv").read_text(encoding="utf-8-sig").startswith("row,column,old,new")


def test_in_place_keeps_its_backup_when_the_helper_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runs = []
    for how in ("one", "forked"):
        with monkeypatch.context() as patch:
            started = _forking(patch) if how == "forked" else _one_process(patch) or []
            code, stderr, found = _run(tmp_path / how, None, "--in-place")
            assert len(started) == (1 if how == "forked" else 0)
        assert code == 0, stderr
        backups = [name for name in found if name.startswith("clients.csv.") and name.endswith(".bak")]
        assert len(backups) == 1
        assert found[backups[0]].decode().splitlines()[2].startswith("Ștefan,popescu,")    # the input as it was
        assert "Popescu" in found["clients.csv"].decode()                                   # replaced, normalized
        runs.append({("BACKUP" if name in backups else name): data for name, data in found.items()
                     if name not in {"rep/summary.json", "rep/report.html"}})
    assert runs[0] == runs[1]
