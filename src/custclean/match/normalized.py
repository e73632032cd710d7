"""The values the normalizers would write, computed in memory for the roles match keys are built from.

Matching must see "06 12 34 56 78" and "+33612345678", or "France" and "FR", as the same value even
when the user does not rewrite the file. Values already in normal form are recognised with one
vectorised pattern and skipped, so a table that went through `normalize` costs almost nothing here.
A role whose normalizer is not installed keeps its values as written.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from custclean.config import Config
from custclean.normalize.base import Fix, distinct_pairs
from custclean.normalize.registry import normalizer_classes
from custclean.roles import Role
from custclean.ruleset import RuleSet
from custclean.table import Table

# Role -> (normalizer name, pattern of values already normal). Phones need none: the phone key is the
# number's last digits, the same with or without E.164 formatting.
NORMALIZED_ROLES: dict[Role, tuple[str, re.Pattern[str] | None]] = {
    Role.COUNTRY: ("country", re.compile(r"[A-Z]{2}")),
    Role.BIRTH_DATE: ("date", re.compile(r"\d{4}-\d{2}-\d{2}|(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])\d{2}")),
    Role.POSTAL_CODE: ("postal_code", None),
    Role.EMAIL: ("email", None),
}
PASSTHROUGH = (Role.PHONE, Role.STREET)


def _normalizer(name: str, rules: RuleSet, config: Config, column: pd.Series) -> Any:
    try:
        cls = normalizer_classes().get(name)
    except ImportError:     # a normalizer module that cannot load: match on the values as written
        return None
    if cls is None:
        return None
    normalizer = cls.from_rules(rules, config)
    if hasattr(normalizer, "for_column"):
        normalizer = normalizer.for_column(column)
    return normalizer


def _apply(normalizer: Any, values: pd.Series, hints: pd.Series) -> pd.Series:
    """Normalize each distinct (value, hint) once; Fix gives the new value, anything else keeps it."""
    codes, pairs = distinct_pairs(values.to_numpy(dtype=object), hints.to_numpy(dtype=object))
    out = np.empty(len(pairs), dtype=object)
    for i, (value, hint) in enumerate(zip(pairs["value"], pairs["hint"], strict=True)):
        outcome = normalizer.normalize(value, hint) if value else None
        out[i] = outcome.value if isinstance(outcome, Fix) else value
    return pd.Series(out[codes] if len(out) else [], index=values.index, dtype=object)


def _email(normalizer: Any, values: pd.Series) -> pd.Series:
    """Emails: the normalizer sees each distinct domain once (typo fixes live in the domain)."""
    lower = values.str.strip().str.lower()
    simple = lower.str.fullmatch(r"[^@\s]+@[a-z0-9.-]+\.[a-z]{2,}")
    user, _, domain = lower.str.rpartition("@").T.to_numpy()
    domains = pd.Series(domain, index=values.index)[simple]
    fixed = {}
    for dom in domains.unique():
        outcome = normalizer.normalize(f"a@{dom}", "")
        fixed[dom] = outcome.value.lower().rpartition("@")[2] if isinstance(outcome, Fix) else dom
    result = (pd.Series(user, index=values.index) + "@" + pd.Series(domain, index=values.index).map(fixed))
    rest = ~simple & (lower != "")
    result = result.where(simple, lower)
    if rest.any():
        result[rest] = _apply(normalizer, values[rest], pd.Series("", index=values[rest].index)).str.lower()
    return result


def normalized_values(table: Table, config: Config, rules: RuleSet, already: bool = False) -> dict[Role, pd.Series]:
    """Role -> per-row normalized text for the roles match keys use ("" where the table has none).

    With `already`, the table's own columns come back as they are (no copy): a cell the reader left
    missing stays missing, and keys.py codes it as "".
    """
    def column(role: Role) -> pd.Series:
        return table.values(role) if already else table.values(role).fillna("")

    out: dict[Role, pd.Series] = {role: column(role) for role in PASSTHROUGH}
    hint_values = {} if already else {Role.COUNTRY: column(Role.COUNTRY)}
    for role, (name, ready) in NORMALIZED_ROLES.items():
        values = column(role)
        normalizer = None if already or table.roles.column(role) is None else _normalizer(
            name, rules, config, values)
        if normalizer is None:
            out[role] = values
        elif role is Role.EMAIL:
            out[role] = _email(normalizer, values)
        else:
            todo = values != ""
            if ready is not None:
                todo &= ~values.str.fullmatch(ready.pattern)
            hint_role = getattr(normalizer, "hint", None)
            hints = hint_values.get(hint_role, pd.Series("", index=values.index))
            result = values.copy()
            if todo.any():
                result[todo] = _apply(normalizer, values[todo], hints[todo])
            out[role] = result
        if role is Role.COUNTRY:
            hint_values[Role.COUNTRY] = out[role]
    return out
