"""benchmarks/blocking_rules.py on 1,000 generated rows, so the per-rule table cannot rot."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_every_shipped_rule_gets_a_row_and_the_pipeline_is_scored(tmp_path, capsys: pytest.CaptureFixture[str]):
    data = tmp_path / "gen.csv"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "1000", str(data), "--seed", "5"],
                   check=True, capture_output=True)
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        module = _load("blocking_rules")
        assert module.main([str(data), "--pipeline"]) == 0
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    out = capsys.readouterr().out
    for rule in ("email", "phone", "postal_code+last_name:metaphone", "birth_date+first_name:metaphone"):
        assert rule in out
    f1 = [float(f) for f in re.findall(r"(?:pair|cluster) P/R/F1 [0-9.]+/[0-9.]+/([0-9.]+)", out)]
    assert len(f1) == 2, out
    assert min(f1) > 0.9, out       # a broken engine scores near 0
