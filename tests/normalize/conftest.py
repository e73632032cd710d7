"""The shared table-driven case runner for every normalizer: tests/cases/<name>.csv -> one test per row.

A cases file has the header `input,hint,expected,rule,finding` (an optional `extra` column may follow):

- `rule` set    -> the normalizer must return Fix(expected, rule), and normalizing `expected` again
                   with the same hint must change nothing (idempotence);
- `finding` set -> it must return Unclear(finding): the cell stays exactly as written (`expected`, when
                   given, must then equal `input`, so the file itself cannot lie);
- neither       -> it must return None: the value is already normal.

`extra` (optional) lists the cells a Fix fills in other roles' columns, as `role=value;role=value`.
Invisible characters are hard to read in a CSV, so `\\uXXXX` in any field stands for that character
("Jean\\u00a0Dupont" is a no-break space), and `\\t`, `\\r`, `\\n` for tab, carriage return, line feed.

Usage in a test module (no import needed: the `cases` mark parametrizes the `case` argument)::

    @pytest.mark.cases("country")
    def test_country_cases(case, check_case, normalizer_for):
        check_case(normalizer_for("country"), case)

or, in one go: `run_cases(normalizer, "country")` (fixture), which reports every failing row at once.
`normalizer_for(name, **normalize_options)` builds a registered normalizer with those [normalize] keys.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from custclean.config import Config
from custclean.normalize.base import Fix, Unclear
from custclean.normalize.registry import normalizer_classes
from custclean.roles import Role
from custclean.ruleset import RuleSet

CASES = Path(__file__).resolve().parent.parent / "cases"
CASE_COLUMNS = ("input", "hint", "expected", "rule", "finding")
_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|([trn]))")
_CONTROL = {"t": "\t", "r": "\r", "n": "\n"}


@dataclass(frozen=True)
class Case:
    """One row of a cases file, with its line number so a failure points at the file."""

    input: str
    hint: str
    expected: str
    rule: str
    finding: str
    extra: tuple[tuple[str, str], ...]
    where: str

    @property
    def kind(self) -> str:
        return "fix" if self.rule else "unclear" if self.finding else "unchanged"


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else _CONTROL[m.group(2)], text)


def _extra(text: str) -> tuple[tuple[str, str], ...]:
    pairs = [p.split("=", 1) for p in text.split(";") if p.strip()]
    return tuple((role.strip(), _unescape(value)) for role, value in pairs)


def read_cases(path: Path) -> list[Case]:
    """Every row of a cases file; refuses a file whose header is not the agreed one."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = tuple(reader.fieldnames or ())
        if header[:5] != CASE_COLUMNS:
            raise ValueError(f"{path.name}: header must start with {','.join(CASE_COLUMNS)}, not {header}")
        cases = []
        for line, row in enumerate(reader, start=2):
            fields = {c: _unescape(row.get(c) or "") for c in CASE_COLUMNS}
            cases.append(Case(**fields, extra=_extra(row.get("extra") or ""), where=f"{path.name}:{line}"))
    return cases


def load_cases(name: str) -> list[Any]:
    """pytest params for tests/cases/<name>.csv, one per row, id = file line and the input as written."""
    return [pytest.param(c, id=f"{c.where}:{c.input!r}") for c in read_cases(cases_path(name))]


def case_problem(normalizer: Any, case: Case) -> str | None:
    """Why the normalizer disagrees with the case, or None when it agrees."""
    outcome = normalizer.normalize(case.input, case.hint)
    shown = f"{case.where}: input={case.input!r} hint={case.hint!r} -> {outcome!r}"
    if case.kind == "fix":
        if not (isinstance(outcome, Fix) and outcome.value == case.expected and outcome.rule == case.rule):
            return f"{shown}; expected Fix({case.expected!r}, {case.rule!r})"
        extra = tuple((str(role), value) for role, value in outcome.extra)
        if case.extra and extra != tuple((str(Role(r)), v) for r, v in case.extra):
            return f"{shown}; expected extra cells {case.extra!r}"
        again = normalizer.normalize(outcome.value, case.hint)
        if again is not None:
            return f"{shown}; not idempotent: normalizing {outcome.value!r} again gives {again!r}"
        return None
    if case.kind == "unclear":
        if case.expected and case.expected != case.input:
            return f"{case.where}: a finding leaves the cell as written, so expected must be empty or the input"
        if not (isinstance(outcome, Unclear) and outcome.code == case.finding):
            return f"{shown}; expected Unclear({case.finding!r}) and the cell left as written"
        return None
    if case.expected and case.expected != case.input:
        return f"{case.where}: no rule and no finding means unchanged, so expected must be empty or the input"
    return None if outcome is None else f"{shown}; expected None (already normal)"


def check_case(normalizer: Any, case: Case) -> None:
    """Assert one case; the message shows the file line, input, hint and outcome."""
    problem = case_problem(normalizer, case)
    assert problem is None, problem


def cases_path(name_or_path: Path | str) -> Path:
    """tests/cases/<name>.csv for a bare name, else the path as given."""
    path = Path(name_or_path)
    return path if path.suffix == ".csv" else CASES / f"{name_or_path}.csv"


def run_cases(normalizer: Any, cases: Path | str) -> None:
    """Assert every case of a file (a name such as "country", or a path) at once, listing all failing rows."""
    problems = [p for c in read_cases(cases_path(cases)) if (p := case_problem(normalizer, c))]
    assert not problems, f"{len(problems)} failing case(s):\n" + "\n".join(problems)


def build_normalizer(name: str, rules: RuleSet | None = None, **normalize_options: Any) -> Any:
    """The registered normalizer `name`, built from the shipped rules and a Config with these [normalize] keys."""
    config = Config().override(normalize=normalize_options) if normalize_options else Config()
    return normalizer_classes()[name].from_rules(rules or RuleSet.load(), config)


@pytest.fixture(scope="session")
def normalizer_for(rules: RuleSet) -> Callable[..., Any]:
    """`normalizer_for("country", country_format="alpha3")`: built once per session and options."""
    built: dict[tuple[str, tuple[tuple[str, Any], ...]], Any] = {}

    def get(name: str, **options: Any) -> Any:
        key = (name, tuple(sorted(options.items())))
        if key not in built:
            built[key] = build_normalizer(name, rules, **options)
        return built[key]

    return get


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "cases(name): parametrize the `case` argument from tests/cases/<name>.csv")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test marked `@pytest.mark.cases("country")` with a `case` argument runs once per row of the file."""
    mark = metafunc.definition.get_closest_marker("cases")
    if mark is not None and "case" in metafunc.fixturenames:
        metafunc.parametrize("case", load_cases(mark.args[0]))


@pytest.fixture(name="check_case", scope="session")
def _check_case_fixture() -> Callable[[Any, Case], None]:
    return check_case


@pytest.fixture(name="read_cases", scope="session")
def _read_cases_fixture() -> Callable[[Path | str], list[Case]]:
    """`read_cases("country")` or `read_cases(path)`: the rows of a cases file."""
    return lambda cases: read_cases(cases_path(cases))


@pytest.fixture(name="run_cases", scope="session")
def _run_cases_fixture() -> Callable[[Any, Path | str], None]:
    return run_cases
