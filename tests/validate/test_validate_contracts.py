"""Contracts over every check: declared codes are shipped with a severity, checks never raise on any text."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from custclean.config import Config
from custclean.validate.checks import BUILTIN_CHECKS
from custclean.validate.context import CheckContext
from custclean.validate.specs import load_specs
from custclean.validate.user_rules import RULE_KINDS, build_checks


def test_every_builtin_code_has_a_shipped_rule(rules):
    specs = load_specs(rules, Config())
    for name, cls in BUILTIN_CHECKS.items():
        for code in cls.codes:
            assert code in specs, f"{name} reports {code} but rules/validation.toml has no rule for it"
            assert code in BUILTIN_CHECKS[specs[code].check].codes


def test_every_shipped_rule_is_a_known_check_with_a_message(rules):
    for code, spec in load_specs(rules, Config()).items():
        assert spec.check in BUILTIN_CHECKS or spec.check in RULE_KINDS, code
        assert spec.message.strip(), code


@pytest.fixture(scope="module")
def value_checks(rules):
    checks = build_checks(load_specs(rules, Config()), CheckContext(rules, Config()))
    return [c for c in checks if hasattr(c, "check")]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.text(max_size=40), hint=st.sampled_from(["", "FR", "Roumanie", "Việt Nam", "US", "xx", "Congo"]))
def test_value_checks_never_raise_and_answer_a_declared_code(value_checks, value, hint):
    for check in value_checks:
        code = check.check(value, hint)
        assert code is None or code in check.codes, (check.name, value, hint, code)
