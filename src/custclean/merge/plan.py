"""Which policy merges which columns: rules/merge.toml defaults, then custclean.toml overrides.

A column's policy comes from, first match wins: `[merge] columns` in custclean.toml, `[merge] roles`,
a policy the caller imposes (the `source` column of combined lists), `[columns]` in merge.toml (by
folded header), a column group of merge.toml (the address: one record gives all its parts), `[roles]`
in merge.toml, and `default`.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from custclean.config import Config
from custclean.errors import ConfigError
from custclean.merge.policies import POLICIES
from custclean.roles import Role
from custclean.ruleset import RuleSet
from custclean.table import Table
from custclean.text import fold

MERGED_FROM = "merged_from"


@dataclass(frozen=True)
class Job:
    """One policy over one column, or over several merged as a unit (a keep_all role, a group)."""

    policy: str
    columns: tuple[str, ...]
    role: Role | None = None


@dataclass(frozen=True)
class MergePlan:
    """Everything golden_records needs besides the table: jobs, the recency column, opt-out words."""

    jobs: tuple[Job, ...]
    recency_column: str | None = None
    truthy: frozenset[str] = frozenset()
    dayfirst: bool = True
    warnings: tuple[str, ...] = field(default=(), compare=False)

    def policy_of(self, column: str) -> str:
        return next((job.policy for job in self.jobs if column in job.columns), "")


def _known_policy(name: str, where: str, problems: list[str]) -> bool:
    if name in POLICIES:
        return True
    close = difflib.get_close_matches(name, list(POLICIES), n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else f" (policies: {', '.join(POLICIES)})"
    problems.append(f"{where}: unknown merge policy '{name}'{hint}")
    return False


def _check(rules: dict[str, Any], config: Config) -> list[str]:
    """Every wrong policy or role name in merge.toml and custclean.toml, reported at once."""
    problems: list[str] = []
    roles = {r.value for r in Role}
    for where, mapping in (("rules/merge.toml [roles]", rules.get("roles", {})),
                           ("[merge] roles", config.merge.roles)):
        for role, policy in mapping.items():
            if role not in roles:
                problems.append(f"{where}: unknown role '{role}' (roles: {', '.join(sorted(roles))})")
            _known_policy(policy, f"{where} {role}", problems)
    for where, mapping in (("rules/merge.toml [columns]", rules.get("columns", {})),
                           ("[merge] columns", config.merge.columns)):
        for column, policy in mapping.items():
            _known_policy(policy, f"{where} '{column}'", problems)
    _known_policy(rules.get("default", "most_complete"), "rules/merge.toml default", problems)
    for name, group in rules.get("groups", {}).items():
        policy = group.get("policy", "")
        if _known_policy(policy, f"rules/merge.toml [groups.{name}]", problems) and not POLICIES[policy].whole_record:
            whole = ", ".join(n for n, p in POLICIES.items() if p.whole_record)
            problems.append(f"rules/merge.toml [groups.{name}]: '{policy}' cannot merge a group (use {whole})")
    return problems


def _column_policy(column: str, role: Role | None, rules: dict[str, Any], config: Config,
                   imposed: dict[str, str]) -> tuple[str, bool]:
    """(policy, explicit): explicit policies take the column out of its group."""
    if column in config.merge.columns:
        return config.merge.columns[column], True
    if role is not None and role.value in config.merge.roles:
        return config.merge.roles[role.value], True
    if column in imposed:
        return imposed[column], True
    by_header = {fold(k): v for k, v in rules.get("columns", {}).items()}
    if fold(column) in by_header:
        return by_header[fold(column)], True
    if role is not None and role.value in rules.get("roles", {}):
        return rules["roles"][role.value], False
    return rules.get("default", "most_complete"), False


def _group_of(role: Role | None, rules: dict[str, Any]) -> tuple[str, str] | None:
    for name, group in rules.get("groups", {}).items():
        if role is not None and role.value in group.get("roles", ()):
            return name, group["policy"]
    return None


def _jobs(table: Table, rules: dict[str, Any], config: Config, imposed: dict[str, str]) -> list[Job]:
    jobs: dict[tuple[str, str], Job] = {}
    for column in table.columns:
        if column == MERGED_FROM:
            continue
        role = table.roles.role_of(column)
        policy, explicit = _column_policy(column, role, rules, config, imposed)
        group = None if explicit else _group_of(role, rules)
        if group is not None:
            unit, policy = f"group:{group[0]}", group[1]
        elif POLICIES[policy].many_columns and role is not None:
            unit = f"role:{role.value}"
        else:
            unit = f"column:{column}"
        previous = jobs.get((unit, policy))
        columns = (*previous.columns, column) if previous else (column,)
        jobs[(unit, policy)] = Job(policy, columns, role if unit.startswith("role:") else None)
    return [_group_order(job, table, rules) for job in jobs.values()]


def _group_order(job: Job, table: Table, rules: dict[str, Any]) -> Job:
    """A group's columns in the order of its roles, so the most important part (street) comes first."""
    group = _group_of(table.roles.role_of(job.columns[0]), rules)
    if group is None or len(job.columns) < 2:
        return job
    order = list(rules["groups"][group[0]]["roles"])
    ranked = sorted(job.columns, key=lambda c: order.index(table.roles.role_of(c).value))  # type: ignore[union-attr]
    return Job(job.policy, tuple(ranked), job.role)


def _recency_column(table: Table, rules: dict[str, Any]) -> str | None:
    """The date column most_recent reads: one whose header says "updated", else the first date column."""
    dates = table.roles.columns(Role.DATE)
    wanted = {fold(h) for h in rules.get("recency", {}).get("headers", ())}
    return next((c for c in dates if fold(c) in wanted), dates[0] if dates else None)


def check_merge_config(rules: RuleSet, config: Config) -> None:
    """Refuse wrong policy, role or group names before a long run starts, listing them all."""
    problems = _check(rules.data("merge"), config)
    if problems:
        raise ConfigError(problems)


def build_plan(table: Table, rules: RuleSet, config: Config, imposed: dict[str, str] | None = None) -> MergePlan:
    """The merge plan for this table's columns; raises ConfigError listing every bad name."""
    data = rules.data("merge")
    check_merge_config(rules, config)
    jobs = _jobs(table, data, config, dict(imposed or {}))
    warnings = [f"[merge] columns: '{c}' is not a column of {table.source.name}"
                for c in config.merge.columns if c not in table.columns]
    recency = _recency_column(table, data)
    if recency is None and any(j.policy == "most_recent" for j in jobs):
        warnings.append("no date column: most_recent keeps the values of the first record (source order)")
    return MergePlan(tuple(jobs), recency, opt_out_words(rules), config.normalize.date_order != "mdy", tuple(warnings))


def opt_out_words(rules: RuleSet) -> frozenset[str]:
    """Folded cell values that mean "opted out": words.toml's yes words plus merge.toml [opt_out] true."""
    words = [w for lang in rules.data("words").get("yes_no", {}).get("yes", {}).values() for w in lang]
    words += rules.data("merge").get("opt_out", {}).get("true", [])
    return frozenset(key for key in (fold(w) or w.strip() for w in words) if key)
