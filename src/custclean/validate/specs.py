"""Reads and checks validation rules: the shipped rules/validation.toml, then the user's rules files.

Users write [[rule]] tables in their own TOML files (`--rules-file FILE`, or `[validate] rules = [...]`
in custclean.toml, paths relative to that file). A rule whose code already exists changes only the
keys it gives (`severity = "warning"`, `enabled = false`). Every problem in every file is reported at
once, each with a did-you-mean, in one ConfigError.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from custclean.config import Config
from custclean.errors import ConfigError
from custclean.roles import Role
from custclean.ruleset import RuleSet
from custclean.validate.base import RuleSpec, did_you_mean, parse_severity
from custclean.validate.checks import BUILTIN_CHECKS
from custclean.validate.user_rules import RULE_KINDS

COMMON_KEYS = ("code", "check", "severity", "message", "enabled")
TARGET_KEYS = ("role", "roles", "column", "columns")
ROLES = tuple(r.value for r in Role)
Problems = list[str]


def _role(value: Any, problems: Problems, at: str) -> Any:
    if value not in ROLES:
        problems.append(f"{at}unknown role '{value}'{did_you_mean(str(value), ROLES)} (or use column = \"Header\")")
    return value


def _text(value: Any, problems: Problems, at: str) -> Any:
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{at}must be a non-empty text")
    return value


def _flag(value: Any, problems: Problems, at: str) -> Any:
    if not isinstance(value, bool):
        problems.append(f"{at}must be true or false")
    return value


def _integer(value: Any, problems: Problems, at: str) -> Any:
    if not isinstance(value, int) or isinstance(value, bool):
        problems.append(f"{at}must be a whole number")
    return value


def _texts(value: Any, problems: Problems, at: str) -> Any:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        problems.append(f"{at}must be a non-empty list of texts")
    return value


def _regex(value: Any, problems: Problems, at: str) -> Any:
    if isinstance(value, str):
        try:
            re.compile(value)
        except re.error as exc:
            problems.append(f"{at}is not a valid regular expression ({exc})")
    else:
        problems.append(f"{at}must be a text (a regular expression)")
    return value


def _bound(value: Any, problems: Problems, at: str) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float | date | str):
        problems.append(f"{at}must be a number, a date (1900-01-01) or \"today\"")
    elif isinstance(value, str) and value.strip().lower() != "today":
        try:
            date.fromisoformat(value.strip())
        except ValueError:
            problems.append(f"{at}must be a number, a date (1900-01-01) or \"today\"")
    return value


def _when(value: Any, problems: Problems, at: str) -> Any:
    if not isinstance(value, dict):
        problems.append(f"{at}must be a table like {{ role = \"company\", filled = true }}")
        return value
    allowed = ("role", "column", "filled", "equals", "in")
    for key in value:
        if key not in allowed:
            problems.append(f"{at}unknown key '{key}'{did_you_mean(key, allowed)}")
    if ("role" in value) == ("column" in value):
        problems.append(f"{at}needs one of role or column")
    if sum(k in value for k in ("filled", "equals", "in")) != 1:
        problems.append(f"{at}needs one of filled, equals or in")
    for key, check in (("role", _role), ("column", _text), ("filled", _flag), ("equals", _text), ("in", _texts)):
        if key in value:
            check(value[key], problems, f"{at}{key}: ")
    return value


VALIDATORS: dict[str, Callable[[Any, Problems, str], Any]] = {
    "str": _text, "bool": _flag, "int": _integer, "list": _texts, "regex": _regex, "bound": _bound, "when": _when,
}
TARGET_VALIDATORS = {"role": _role, "column": _text}


def _check_targets(raw: dict[str, Any], problems: Problems, at: str) -> None:
    if not any(k in raw for k in TARGET_KEYS):
        problems.append(f"{at}needs what to check: role, roles, column or columns")
    for key, check_one in TARGET_VALIDATORS.items():
        if key in raw:
            check_one(raw[key], problems, f"{at}{key}: ")
        plural = f"{key}s"
        if plural in raw:
            _texts(raw[plural], problems, f"{at}{plural}: ")
            for item in raw[plural] if isinstance(raw[plural], list) else []:
                check_one(item, problems, f"{at}{plural}: ")


def _check_kind(code: str, check: str, problems: Problems, at: str) -> Any:
    """The class for `check`, refusing a built-in check named for a code it does not report."""
    kinds = {**BUILTIN_CHECKS, **RULE_KINDS}
    if check not in kinds:
        hint = did_you_mean(str(check), kinds)
        problems.append(f"{at}unknown check '{check}'{hint} (kinds: {', '.join(RULE_KINDS)})")
        return None
    owners = [name for name, cls in BUILTIN_CHECKS.items() if code in cls.codes]
    if owners and check not in owners:
        problems.append(f"{at}code '{code}' belongs to the built-in check '{owners[0]}'; give this rule another code")
        return None
    if check in BUILTIN_CHECKS and not owners:
        codes = ", ".join(BUILTIN_CHECKS[check].codes)
        problems.append(f"{at}the built-in check '{check}' reports only {codes}; override one of those codes "
                        f"or use a rule kind ({', '.join(RULE_KINDS)})")
        return None
    return kinds[check]


def to_spec(raw: dict[str, Any], where: str, problems: Problems) -> RuleSpec | None:
    """A checked RuleSpec from one merged [[rule]] table; None (with problems) when it is wrong."""
    code = raw.get("code")
    at = f"{where} rule '{code}': "
    before = len(problems)
    kind = _check_kind(code, raw.get("check"), problems, at)
    severity = parse_severity(raw.get("severity"), problems, at)
    _text(raw.get("message"), problems, f"{at}message ")
    _flag(raw.get("enabled", True), problems, f"{at}enabled ")
    if kind is not None:
        targeted = kind in RULE_KINDS.values()
        allowed = [*COMMON_KEYS, *(TARGET_KEYS if targeted else ()), *kind.params]
        for key in raw:
            if key not in allowed:
                problems.append(f"{at}unknown key '{key}'{did_you_mean(key, allowed)}")
        if targeted:
            _check_targets(raw, problems, at)
        for key in getattr(kind, "required_params", ()):
            if key not in raw:
                problems.append(f"{at}the {raw['check']} check needs '{key}'")
        for key, kind_name in kind.params.items():
            if key in raw:
                VALIDATORS[kind_name](raw[key], problems, f"{at}{key} ")
        if raw["check"] == "range" and "min" not in raw and "max" not in raw:
            problems.append(f"{at}the range check needs min, max or both")
    if len(problems) > before or severity is None:
        return None
    params = {k: v for k, v in raw.items() if k not in COMMON_KEYS}
    return RuleSpec(code, raw["check"], severity, raw["message"], raw.get("enabled", True), params, where)


def rules_files(config: Config) -> list[Path]:
    """[validate] rules, relative to the config file's folder when they came from one."""
    base = Path(config.path).parent if config.path else Path.cwd()
    return [Path(p) if Path(p).is_absolute() else base / p for p in config.validate.rules]


def _read_rules_file(path: Path, problems: Problems) -> list[Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(f"{path}: rules file not found")
        return []
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        problems.append(f"{path}: not valid TOML ({exc})")
        return []
    for key in data:
        if key != "rule":
            hint = did_you_mean(key, ["rule"])
            problems.append(f"{path.name}: unknown table '{key}'{hint}; rules go in [[rule]] tables")
    rules = data.get("rule", [])
    if not isinstance(rules, list):
        problems.append(f"{path.name}: write each rule as [[rule]] (an array of tables), not [rule]")
        return []
    return rules


def _merge(rules: list[Any], where: str, merged: dict[str, dict[str, Any]], origin: dict[str, str],
           problems: Problems) -> None:
    """Add a file's rules: a known code is updated key by key, unless its check changes (then replaced)."""
    for number, raw in enumerate(rules, start=1):
        code = raw.get("code") if isinstance(raw, dict) else None
        if not isinstance(code, str) or not code.strip():
            problems.append(f"{where} rule {number}: needs a code (a dotted name such as shop.vat_missing)")
            continue
        if code in merged and raw.get("check", merged[code]["check"]) == merged[code].get("check"):
            merged[code] = {**merged[code], **raw}
        elif code in merged or "check" in raw:
            merged[code] = dict(raw)
        else:
            hint = did_you_mean(code, merged)
            problems.append(f"{where} rule '{code}': changes no existing rule{hint} and has no check")
            continue
        origin[code] = where


def required_rules(config: Config) -> list[dict[str, Any]]:
    """`[validate] required = ["company", "Numéro client"]` as required rules (a role or a column)."""
    return [
        {"code": f"required.{name}", "check": "required", ("role" if name in ROLES else "column"): name,
         "severity": "error", "message": f"{name} is required"}
        for name in config.validate.required
    ]


def load_specs(rules: RuleSet, config: Config) -> dict[str, RuleSpec]:
    """The shipped rules, then [validate] required, then each user rules file, checked; code -> spec."""
    problems: Problems = []
    merged: dict[str, dict[str, Any]] = {}
    origin: dict[str, str] = {}
    _merge(rules.data("validation").get("rule", []), "rules/validation.toml", merged, origin, problems)
    _merge(required_rules(config), "[validate] required", merged, origin, problems)
    for path in rules_files(config):
        _merge(_read_rules_file(path, problems), path.name, merged, origin, problems)
    specs = {code: to_spec(raw, origin[code], problems) for code, raw in merged.items()}
    if problems:
        raise ConfigError(problems, "validation rules")
    return {code: spec for code, spec in specs.items() if spec is not None}
