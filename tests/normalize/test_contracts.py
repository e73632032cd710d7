"""Contracts every registered normalizer keeps, including ones added later (the registry is parametrized).

Idempotent (normalizing a normalized value changes nothing), never raises on any text, "" stays "",
every emitted code is declared, a cases file of at least 30 rows exists and passes, and the step
built from it behaves the same on a whole table.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from custclean.config import Config
from custclean.normalize.base import Fix, NormalizerStep, Unclear
from custclean.normalize.registry import normalizer_classes
from custclean.pipeline import run_steps
from custclean.roles import Role

CASES = Path(__file__).resolve().parent.parent / "cases"
CLASSES = normalizer_classes()
NAMES = list(CLASSES)
# Normalizers written in this issue must ship their cases; others' may not exist yet and are skipped.
OWN_CASES = {"text", "country", "email", "phone", "gender", "yesno"}
MIN_CASES = 30
CODE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
HINTS = ("", "FR", "RO", "VN", "US", "DE", "ES", "GB", "France", "România", "Việt Nam", "Congo", "zz")
MESSY = (
    "  Jean\u00a0Dupont ", "RenÃ©", "Ștefan", "Nguyễn Văn An", "Müller", "06 12 34 56 78", "+33 (0)6 12 34 56 78",
    "jean@gmial.com", "Mailto:X@Y.FR", "France", "U.S.A.", "Hoa Kỳ", "12/03/2024", "75001", "SARL Dupont & Fils",
    "Str. Lipscani nr. 5", "oui", "Nữ", "\u200b", "N/A", "0", "-", "?", "\t", "e\u0301",
)


def _cases_file(name: str):
    return CASES / f"{name}.csv"


@pytest.fixture(scope="module")
def case_inputs(read_cases):
    """name -> the (input, hint) pairs of its cases file, [] when it has none yet."""
    present = [n for n in NAMES if _cases_file(n).is_file()]
    return {n: [(c.input, c.hint) for c in read_cases(_cases_file(n))] if n in present else [] for n in NAMES}


@pytest.fixture(scope="module")
def built(normalizer_for) -> dict[str, Any]:
    return {name: normalizer_for(name) for name in NAMES}


def _check_outcome(cls: type, normalizer: Any, value: str, hint: str) -> None:
    """One call: declared codes, a Fix that changes something, and a second pass that changes nothing."""
    outcome = normalizer.normalize(value, hint)
    assert outcome is None or isinstance(outcome, Fix | Unclear), (value, outcome)
    if isinstance(outcome, Unclear):
        assert outcome.code in cls.rules_declared, (value, outcome)
    if isinstance(outcome, Fix):
        assert outcome.rule in cls.rules_declared, (value, outcome)
        assert outcome.value != value, f"a Fix that changes nothing: {value!r} -> {outcome!r}"
        again = normalizer.normalize(outcome.value, hint)
        assert again is None, f"not idempotent: {value!r} -> {outcome.value!r} -> {again!r} (hint {hint!r})"


@pytest.mark.parametrize("name", NAMES)
def test_declares_the_protocol(name):
    cls = CLASSES[name]
    assert cls.name == name
    assert cls.role is None or isinstance(cls.role, Role)
    assert cls.hint is None or isinstance(cls.hint, Role)
    assert set(cls.after) <= set(CLASSES), f"{name} runs after unknown normalizers {set(cls.after) - set(CLASSES)}"
    assert cls.rules_declared, f"{name} declares no rules"
    bad = [code for code in cls.rules_declared if not CODE.match(code)]
    assert not bad, f"{name}: rule codes must be dotted lower case: {bad}"
    assert all(meaning.strip() for meaning in cls.rules_declared.values()), f"{name}: a rule without a meaning"


@pytest.mark.parametrize("name", NAMES)
def test_from_rules_works_with_the_shipped_rules_only(name, rules):
    normalizer = CLASSES[name].from_rules(rules, Config())
    assert normalizer.name == name
    assert callable(normalizer.normalize)


@pytest.mark.parametrize("name", NAMES)
def test_empty_stays_empty(name, built):
    assert not isinstance(built[name].normalize("", ""), Fix)


@pytest.mark.parametrize("name", NAMES)
def test_cases_file_exists_with_enough_rows(name, read_cases):
    path = _cases_file(name)
    if not path.is_file():
        if name in OWN_CASES:
            pytest.fail(f"tests/cases/{name}.csv is missing")
        pytest.skip(f"tests/cases/{name}.csv does not exist yet (written with the {name} normalizer)")
    rows = read_cases(path)
    assert len(rows) >= MIN_CASES, f"tests/cases/{name}.csv has {len(rows)} rows; at least {MIN_CASES} expected"
    kinds = {c.kind for c in rows}
    assert {"fix", "unchanged"} <= kinds, f"{name}: cases must show both fixed and already-normal values"


@pytest.mark.parametrize("name", NAMES)
def test_cases_pass(name, built, run_cases):
    if not _cases_file(name).is_file():
        pytest.skip(f"tests/cases/{name}.csv does not exist yet")
    run_cases(built[name], _cases_file(name))


@pytest.mark.parametrize("name", NAMES)
def test_every_case_input_and_messy_value_keeps_the_contract(name, built, case_inputs):
    cls, normalizer = CLASSES[name], built[name]
    for value, hint in [*case_inputs[name], *((m, h) for m in MESSY for h in (HINTS if cls.hint else ("",)))]:
        _check_outcome(cls, normalizer, value, hint)


def _texts(inputs: list[tuple[str, str]]) -> st.SearchStrategy[str]:
    seeds = [v for v, _ in inputs] + list(MESSY)
    seed = st.sampled_from(seeds)
    return st.one_of(
        st.text(max_size=30),
        seed,
        st.builds(lambda a, b, c: a + b + c, st.text(max_size=3), seed, st.text(max_size=3)),
        st.builds(str.upper, seed),
    )


@pytest.mark.parametrize("name", NAMES)
def test_never_raises_and_is_idempotent_on_any_text(name, built, case_inputs):
    cls, normalizer = CLASSES[name], built[name]
    hints = st.sampled_from(HINTS) if cls.hint else st.just("")

    @settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(value=_texts(case_inputs[name]), hint=hints)
    def check(value: str, hint: str) -> None:
        _check_outcome(cls, normalizer, value, hint)

    check()


@pytest.mark.parametrize("name", NAMES)
def test_step_on_a_table_records_declared_edits_and_a_second_run_changes_nothing(name, built, table_from, case_inputs):
    cls, normalizer = CLASSES[name], built[name]
    inputs = case_inputs[name] or [(m, "") for m in MESSY]
    column = (cls.role or Role.FULL_NAME).value
    rows = [{column: value, **({cls.hint.value: hint} if cls.hint else {})} for value, hint in inputs]
    table = table_from(rows)
    first = run_steps(table, [NormalizerStep(normalizer)])
    edits, findings = first.changes.frame(), first.findings.frame()
    assert set(edits["rule"]) <= set(cls.rules_declared)
    assert set(findings["code"]) <= set(cls.rules_declared)
    assert (edits["old"] != edits["new"]).all()
    second = run_steps(first.table, [NormalizerStep(normalizer)])
    assert second.changes.frame().empty, second.changes.frame().head().to_dict("records")
