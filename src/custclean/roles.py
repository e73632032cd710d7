"""The Role enum, RoleMap, and role detection from headers.toml plus content sniffing.

Every later step works on roles, not header text, so "Courriel", "E-Mail" and "email" are one thing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from custclean.text import fold


class Role(StrEnum):
    """What a column holds, whatever its header says."""

    FIRST_NAME = "first_name"
    LAST_NAME = "last_name"
    FULL_NAME = "full_name"
    TITLE = "title"
    SUFFIX = "suffix"
    EMAIL = "email"
    PHONE = "phone"
    COMPANY = "company"
    JOB_TITLE = "job_title"
    STREET = "street"
    STREET2 = "street2"
    CITY = "city"
    REGION = "region"
    POSTAL_CODE = "postal_code"
    COUNTRY = "country"
    BIRTH_DATE = "birth_date"
    DATE = "date"
    GENDER = "gender"
    OPT_OUT = "opt_out"
    ID = "id"


@dataclass(frozen=True)
class Detection:
    """Why a column got its role: `how` is "config", "header", "alone", "header words" or "content"."""

    role: Role
    column: str
    confidence: float
    how: str


@dataclass(frozen=True)
class RoleMap:
    """Role -> the columns that hold it, first one primary (a list may have "Phone" and "Mobile")."""

    detections: tuple[Detection, ...] = ()
    _by_role: dict[Role, tuple[str, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_role: dict[Role, list[str]] = {}
        for det in self.detections:
            by_role.setdefault(det.role, []).append(det.column)
        object.__setattr__(self, "_by_role", {r: tuple(c) for r, c in by_role.items()})

    def columns(self, role: Role) -> tuple[str, ...]:
        """Every column with this role, in file order; empty when the list has none."""
        return self._by_role.get(role, ())

    def column(self, role: Role) -> str | None:
        """The primary column for a role, or None."""
        cols = self._by_role.get(role, ())
        return cols[0] if cols else None

    def role_of(self, column: str) -> Role | None:
        """The role of a column, or None when it has none."""
        for det in self.detections:
            if det.column == column:
                return det.role
        return None

    def __contains__(self, role: object) -> bool:
        return role in self._by_role

    def with_role(self, role: Role, column: str, how: str = "added") -> RoleMap:
        """A copy where `column` also holds `role` (used when a step adds a column)."""
        if column in self.columns(role):
            return self
        return RoleMap((*self.detections, Detection(role, column, 1.0, how)))

    def as_dict(self) -> dict[str, list[str]]:
        """Role name -> columns, for summaries and JSON."""
        return {role.value: list(cols) for role, cols in self._by_role.items()}


@dataclass(frozen=True)
class HeaderSynonyms:
    """Folded header text -> role, plus the headers whose meaning depends on a partner column."""

    exact: Mapping[str, Role]
    alone: Mapping[str, tuple[tuple[str, ...], Role]]   # "nom" -> (("prenom",), FULL_NAME)


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^[+(]?[\d\s().\-/]{7,20}(?:\s*(?:ext|x|poste)\.?\s*\d+)?$", re.I)
_DATE = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_POSTAL = re.compile(r"^(?=.*\d)[A-Za-z0-9][A-Za-z0-9 \-]{1,9}$")
_YES_NO = re.compile(
    r"^(?i:yes|no|y|n|true|false|oui|non|ja|nein|da|nu|si|sí|có|không|vrai|faux|x|0|1)$"
)
_CONTENT_SNIFFERS: tuple[tuple[Role, re.Pattern[str]], ...] = (   # dates first: "12/03/1985" also fits _PHONE
    (Role.EMAIL, _EMAIL),
    (Role.DATE, _DATE),
    (Role.PHONE, _PHONE),
)
# Roles a header may get from one of its words ("Numéro de portable" -> phone) when its content agrees.
_WORD_CHECKS: dict[Role, re.Pattern[str]] = {
    Role.EMAIL: _EMAIL, Role.PHONE: _PHONE, Role.DATE: _DATE, Role.BIRTH_DATE: _DATE,
    Role.POSTAL_CODE: _POSTAL, Role.OPT_OUT: _YES_NO,
}
CONTENT_SHARE = 0.6   # a column is sniffed as a role when this share of its filled values fit
WORD_SHARE = 0.5      # share of values that must fit a role found from a word of the header


def _header_keys(header: str) -> tuple[str, str]:
    """The folded header, and the same without a trailing number ("Phone 2", "Email_1")."""
    full = fold(header.replace("_", " "))
    return full, re.sub(r"(?:\s|^)\d+$", "", full).strip()


def _lookup(header: str, exact: Mapping[str, Role]) -> Role | None:
    """The role of a header: its folded text, then without its number, then each part of "Town/City"."""
    for key in _header_keys(header):
        if key in exact:
            return exact[key]
    parts = [p for p in re.split(r"[/|]", header) if p.strip()]
    if len(parts) > 1:
        found = {_lookup(p, exact) for p in parts} - {None}
        if len(found) == 1:
            return found.pop()
    return None


def _by_words(header: str, exact: Mapping[str, Role], values: Sequence[str]) -> Detection | None:
    """A role from words inside a longer header, kept only when every such word agrees and the content fits."""
    words = _header_keys(header)[1].split()
    roles = {
        exact[" ".join(words[i:j])]
        for i in range(len(words)) for j in range(i + 1, len(words) + 1)
        if " ".join(words[i:j]) in exact
    }
    if len(roles) != 1:
        return None
    role = roles.pop()
    check = _WORD_CHECKS.get(role)
    if check is None:
        return None
    filled = [v.strip() for v in values if v and v.strip()]
    share = sum(1 for v in filled if check.match(v)) / len(filled) if filled else 1.0
    return Detection(role, header, 0.7, "header words") if share >= WORD_SHARE else None


def _by_header(headers: Sequence[str], synonyms: HeaderSynonyms) -> dict[str, Detection]:
    keys = {h: _header_keys(h)[1] for h in headers}
    present = set(keys.values())
    found: dict[str, Detection] = {}
    for header, key in keys.items():
        if key in synonyms.alone:
            partners, alone_role = synonyms.alone[key]
            if not present.intersection(partners):
                found[header] = Detection(alone_role, header, 0.9, "alone")
                continue
        role = _lookup(header, synonyms.exact)
        if role is not None:
            found[header] = Detection(role, header, 1.0, "header")
    return found


def _by_content(column: str, values: Iterable[str]) -> Detection | None:
    filled = [v.strip() for v in values if v and v.strip()]
    if not filled:
        return None
    for role, pattern in _CONTENT_SNIFFERS:
        share = sum(1 for v in filled if pattern.match(v)) / len(filled)
        if share >= CONTENT_SHARE:
            return Detection(role, column, round(share, 2), "content")
    return None


def detect_roles(
    headers: Sequence[str],
    samples: Mapping[str, Sequence[str]],
    synonyms: HeaderSynonyms,
    mapping: Mapping[str, str] | None = None,
) -> RoleMap:
    """Give each column a role from the config mapping, then its header, then its content.

    `mapping` is role -> header text (from `--map role=Header` or `[input] mapping`); it wins over
    detection, and a header it names is never given a second role.
    """
    mapping = dict(mapping or {})
    forced = {header: Role(role) for role, header in mapping.items()}
    by_header = _by_header([h for h in headers if h not in forced], synonyms)
    detections: list[Detection] = []
    for header in headers:
        if header in forced:
            detections.append(Detection(forced[header], header, 1.0, "config"))
        elif header in by_header:
            detections.append(by_header[header])
        else:
            values = samples.get(header, ())
            sniffed = _by_words(header, synonyms.exact, values) or _by_content(header, values)
            if sniffed is not None:
                detections.append(sniffed)
    return RoleMap(tuple(detections))
