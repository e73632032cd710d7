"""`custclean clean` on each tests/golden/<case>/ folder; every expected file must match byte for byte.

A case folder holds input.csv, a custclean.toml (the run needs no flags) and any files it names;
expected/ holds output.csv and the report files. summary.json is compared without its timings.
Regenerate after an intended change with `pytest tests/golden --update-golden` and review the diff.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from custclean.cli import app

HERE = Path(__file__).resolve().parent
CASES = sorted(p for p in HERE.iterdir() if (p / "custclean.toml").is_file())
COMPARED = ("output.csv", "changes.csv", "issues.csv", "merges.csv", "suppressed.csv", "quarantine.csv",
            "clusters.csv", "summary.json")
CLOCK_KEYS = {"timings", "seconds"}


def without_clock(data: Any) -> Any:
    """summary.json minus every timing, which changes from run to run."""
    if isinstance(data, dict):
        return {k: without_clock(v) for k, v in data.items() if k not in CLOCK_KEYS}
    if isinstance(data, list):
        return [without_clock(v) for v in data]
    return data


def produced(folder: Path, name: str) -> bytes:
    path = folder / "out" / name
    if name == "summary.json":
        summary = without_clock(json.loads(path.read_text(encoding="utf-8")))
        return (json.dumps(summary, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    return path.read_bytes()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_pipeline(case, tmp_path, monkeypatch, update_golden):
    work = tmp_path / case.name
    shutil.copytree(case, work, ignore=shutil.ignore_patterns("expected"))
    monkeypatch.chdir(work)
    result = CliRunner().invoke(app, ["clean", "input.csv", "-o", "out/output.csv", "--report", "out"])
    assert result.exit_code in {0, 1}, result.output
    expected = case / "expected"
    if update_golden:
        expected.mkdir(exist_ok=True)
        for name in COMPARED:
            (expected / name).write_bytes(produced(work, name))
        return
    for name in COMPARED:
        assert produced(work, name) == (expected / name).read_bytes(), f"{case.name}/expected/{name} differs"
