"""Opt-out and suppression lists; --for-mailing reachability.

Before a mailing, a row is removed when one of its emails or phones is on a suppression list
(emails compared lower-cased, phones in E.164), when its opt-out cell says yes, or when it cannot be
reached the way the mailing goes (`email`: no valid email; `postal`: no complete street + postal
code + city + country). Nothing is dropped silently: each removed row goes to suppressed.csv with
the first reason that applies, in that order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from custclean.errors import ConfigError
from custclean.merge.lineage import with_meta
from custclean.merge.policies import email_key, per_unique
from custclean.roles import Role
from custclean.table import Table
from custclean.text import fold

EMAIL_SHAPE = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>.]{2,}$")
POSTAL_ROLES = (Role.STREET, Role.POSTAL_CODE, Role.CITY, Role.COUNTRY)
_COUNTRY_CODE = re.compile(r"[A-Z]{2}")
_E164 = re.compile(r"\+[1-9]\d{6,14}")


def email_keys(values: pd.Series) -> pd.Series:
    """The form emails are compared in: trimmed, lower-cased, without "mailto:" (worked out per distinct value)."""
    keys = per_unique(values.to_numpy(dtype=object), lambda u: u.map(email_key))
    return pd.Series(keys, index=values.index, dtype=object)


def phone_keys(values: pd.Series, regions: pd.Series) -> pd.Series:
    """E.164 of each phone ("" when it cannot be read), parsed once per distinct (phone, region)."""
    import phonenumbers

    def e164(value: str, region: str) -> str:
        if not region and value.startswith("00"):
            value = "+" + value[2:]            # the international prefix of most of Europe, Asia, Africa
        try:
            number = phonenumbers.parse(value, region or None)
        except phonenumbers.NumberParseException:
            return ""
        possible = phonenumbers.is_possible_number(number)
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) if possible else ""

    text = values.map(str.strip)
    shaped = per_unique(text.to_numpy(dtype=object), lambda u: u.str.fullmatch(_E164))
    keys = text.where(shaped.astype(bool), "")          # already E.164 (normalized): nothing to parse
    todo = (text != "") & (keys == "")
    if todo.any():
        cells = pd.DataFrame({"v": text[todo], "r": regions[todo]})
        distinct = cells.drop_duplicates()
        found = {(v, r): e164(v, r) for v, r in zip(distinct["v"], distinct["r"], strict=True)}
        keys[todo] = [found[(v, r)] for v, r in zip(cells["v"], cells["r"], strict=True)]
    return keys.astype(object)


def _country_codes(table: Table) -> pd.Series:
    """Each row's country when it is an ISO alpha-2 code (as normalized), else ""; worked out per distinct value."""
    def codes(values: pd.Series) -> pd.Series:
        upper = values.str.strip().str.upper()
        return upper.where(upper.str.fullmatch(_COUNTRY_CODE), "")

    values = table.values(Role.COUNTRY)
    return pd.Series(per_unique(values.to_numpy(dtype=object), codes), index=values.index, dtype=object)


def phone_regions(table: Table, fallback: str | None) -> pd.Series:
    """Each row's country as an ISO code for reading its phones: its own, else `fallback`."""
    country = _country_codes(table)
    return country.where(country != "", fallback or "")


def usual_region(table: Table, default_region: str | None) -> str | None:
    """default_region, else the table's most common country code: the region of phones written without one."""
    if default_region:
        return default_region.upper()
    counts = _country_codes(table).value_counts().drop("", errors="ignore")
    return str(counts.index[0]) if not counts.empty else None


@dataclass(frozen=True)
class SuppressionList:
    """The emails and phones of one opt-out list, in comparison form."""

    name: str
    emails: frozenset[str]
    phones: frozenset[str]


def _list_columns(table: Table, role: Role, shape: Callable[[str], bool]) -> list[pd.Series]:
    """The role's columns, or any column whose values mostly look right; a header that looks right is a value."""
    def fits(column: str) -> bool:
        values = table.frame[column][table.frame[column].str.strip() != ""]
        return not values.empty and values.map(shape).mean() >= 0.6

    columns = list(table.roles.columns(role)) or [c for c in table.columns if fits(c)]
    found = [table.frame[c] for c in columns]
    found += [pd.Series([h]) for h in table.columns if shape(h)]
    return found


def suppression_list(table: Table, default_region: str | None = None) -> SuppressionList:
    """Read an opt-out list (any layout custclean reads; a bare column of emails without header works)."""
    emails = _list_columns(table, Role.EMAIL, lambda v: bool(EMAIL_SHAPE.match(v.strip())))
    phones = _list_columns(table, Role.PHONE, lambda v: sum(ch.isdigit() for ch in v) >= 7 and "@" not in v)
    if not emails and not phones:
        raise ConfigError(f"{table.source.name}: no email or phone column found in this suppression list; "
                          "use --map email=Header")
    region = usual_region(table, default_region)
    email_set = {k for s in emails for k in email_keys(s.astype(str)) if k}
    phone_set = set()
    for values in phones:
        regions = pd.Series(region or "", index=values.index)
        if len(values) == len(table) and table.roles.column(Role.COUNTRY):
            regions = phone_regions(table, region).reindex(values.index).fillna(region or "")
        phone_set |= {k for k in phone_keys(values.astype(str), regions) if k}
    return SuppressionList(table.source.name, frozenset(email_set), frozenset(phone_set))


@dataclass(frozen=True)
class Reachability:
    """What the rows look like, worked out on first use and read by every reason.

    Keys are computed only when a reason reads them: without lists or --for-mailing email, a
    million-row clean never pays for comparison forms of every email and phone.
    """

    table: Table
    default_region: str | None          # the configured one: a row without country is in it
    truthy: frozenset[str]

    @cached_property
    def email_keys(self) -> list[pd.Series]:
        return [email_keys(self.table.frame[c]) for c in self.table.roles.columns(Role.EMAIL)]

    @cached_property
    def phone_keys(self) -> list[pd.Series]:
        columns = self.table.roles.columns(Role.PHONE)
        if not columns:
            return []
        regions = phone_regions(self.table, usual_region(self.table, self.default_region))
        return [phone_keys(self.table.frame[c], regions) for c in columns]


def _reachability(table: Table, default_region: str | None, truthy: frozenset[str]) -> Reachability:
    return Reachability(table, default_region, truthy)


def _on_list(facts: Reachability, listed: SuppressionList) -> np.ndarray:
    hit = np.zeros(len(facts.table), dtype=bool)
    for keys in facts.email_keys:
        hit |= keys.isin(listed.emails).to_numpy() & (keys != "").to_numpy()
    for keys in facts.phone_keys:
        hit |= keys.isin(listed.phones).to_numpy() & (keys != "").to_numpy()
    return hit


def _opted_out(facts: Reachability) -> np.ndarray:
    hit = np.zeros(len(facts.table), dtype=bool)
    for column in facts.table.roles.columns(Role.OPT_OUT):
        codes, uniques = pd.factorize(facts.table.frame[column].to_numpy(dtype=object))
        truthy = np.fromiter((fold(u) in facts.truthy for u in uniques), dtype=bool, count=len(uniques))
        hit |= truthy[codes] if len(uniques) else False
    return hit


def _no_valid_email(facts: Reachability) -> np.ndarray:
    valid = np.zeros(len(facts.table), dtype=bool)
    for keys in facts.email_keys:
        valid |= per_unique(keys.to_numpy(dtype=object), lambda u: u.str.match(EMAIL_SHAPE)).astype(bool)
    return ~valid


def _incomplete_postal(facts: Reachability) -> np.ndarray:
    complete = np.ones(len(facts.table), dtype=bool)
    for role in POSTAL_ROLES:
        filled = facts.table.values(role).str.strip() != ""
        if role is Role.COUNTRY and facts.default_region:
            filled |= True        # a domestic list: rows without a country are in the default region
        complete &= filled.to_numpy(dtype=bool)
    return ~complete


# --for-mailing channel -> (reason code, rows that cannot be reached that way)
MAILING: dict[str, tuple[str, Callable[[Reachability], np.ndarray]]] = {
    "email": ("no_valid_email", _no_valid_email),
    "postal": ("incomplete_postal_address", _incomplete_postal),
}


def check_mailing(for_mailing: str | None) -> None:
    if for_mailing is not None and for_mailing not in MAILING:
        raise ConfigError(f"--for-mailing takes {' or '.join(MAILING)}, not '{for_mailing}'")


@dataclass(frozen=True)
class Suppression:
    """The rows kept, the rows removed (with a `reason` column), and counts per reason."""

    table: Table
    suppressed: pd.DataFrame
    stats: dict[str, int]


def suppress_rows(
    table: Table,
    lists: Sequence[SuppressionList],
    for_mailing: str | None,
    truthy: frozenset[str],
    default_region: str | None = None,
) -> Suppression:
    """Remove listed, opted-out and (with for_mailing) unreachable rows; the first reason that applies wins."""
    check_mailing(for_mailing)
    facts = _reachability(table, default_region, truthy)
    checks: list[tuple[str, Callable[[], np.ndarray]]] = [
        (f"suppression_list:{listed.name}", lambda listed=listed: _on_list(facts, listed)) for listed in lists
    ]
    checks.append(("opt_out", lambda: _opted_out(facts)))
    if for_mailing is not None:
        reason, check = MAILING[for_mailing]
        checks.append((reason, lambda: check(facts)))
    reasons = np.full(len(table), "", dtype=object)
    for reason, hits in checks:
        reasons[(reasons == "") & hits()] = reason
    removed = reasons != ""
    frame = table.frame[removed]
    suppressed = with_meta(table, frame, {"reason": reasons[removed]})
    stats = {str(k): int(v) for k, v in pd.Series(reasons[removed]).value_counts(sort=False).items()}
    return Suppression(table.with_frame(table.frame[~removed]), suppressed, stats)
