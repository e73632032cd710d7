"""Company names: legal forms in one spelling (Inc, SARL, SRL, GmbH, Công ty TNHH) and shouting re-cased.

Legal forms come from rules/legal_forms.toml and are recognised only at the end of the name (or at
the start where the table allows it: "SARL Dupont", "Công ty TNHH ABC"). Case is changed only when the
whole name is ALL CAPS or all lowercase; a mixed-case name is the company's own spelling.
`company_key` gives the matcher a folded name without its legal form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, ClassVar, Self

from custclean.config import Config
from custclean.normalize.base import Fix, Outcome
from custclean.normalize.name import cap_parts
from custclean.roles import Role
from custclean.ruleset import RuleSet, build_alias_map
from custclean.text import fold, strip_accents

_VOWELS = frozenset("aeiouy")
_DOTTED = re.compile(r"^(?:\w\.){2,}$")


def form_key(text: str) -> str:
    """How legal forms are compared: folded, without dots or spaces ("S.A.R.L." -> "sarl")."""
    return fold(text).replace(" ", "")


@dataclass(frozen=True)
class LegalForms:
    """Folded legal forms where they may stand, and the small words and spellings used when re-casing."""

    end: dict[str, str]
    start: dict[str, str]
    longest: int
    lower: frozenset[str] = frozenset()
    words: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> LegalForms:
        entries: dict[str, list[tuple[str, str, str]]] = {"end": [], "start": []}
        longest = 1
        for canonical, spec in data.get("forms", {}).items():
            position = spec.get("position", "end")
            spellings = [canonical, *spec.get("aliases", ())]
            longest = max(longest, *(len(s.split()) for s in spellings))
            for where in ("end", "start"):
                if position in (where, "both"):
                    entries[where].extend((form_key(s), canonical, f"legal_forms.toml {canonical}") for s in spellings)
        case = data.get("case", {})
        return cls(
            build_alias_map(entries["end"]),
            build_alias_map(entries["start"]),
            longest,
            frozenset(w.casefold() for w in case.get("lower", ())),
            {fold(w): w for w in case.get("words", ()) if " " not in w},
        )

    def split(self, tokens: list[str]) -> tuple[str, int, str, int]:
        """(form at the start, its token count, form at the end, its token count); "" and 0 when none.

        At least one token is always left for the name itself: "SARL" alone is not read as a form.
        """
        keys = [form_key(t) for t in tokens]
        end_form, end_n = _match(self.end, keys, self.longest, from_end=True)
        start_form, start_n = _match(self.start, keys[: len(keys) - end_n], self.longest, from_end=False)
        return start_form, start_n, end_form, end_n


def _match(table: dict[str, str], keys: list[str], longest: int, *, from_end: bool) -> tuple[str, int]:
    for n in range(min(longest, len(keys) - 1), 0, -1):
        part = keys[-n:] if from_end else keys[:n]
        found = table.get("".join(part))
        if found is not None and part[0 if from_end else -1]:
            return found, n
    return "", 0


def _is_shouting(value: str) -> bool:
    return value.isupper() or value.islower()


def recase_word(word: str, first: bool, forms: LegalForms) -> str:
    """One word of a shouted name in title case, keeping acronyms, known spellings and small words."""
    bare = word.strip(",.;:()\"")
    key = fold(bare)
    if key in forms.words:
        return word.replace(bare, forms.words[key])
    form = forms.end.get(key.replace(" ", "")) or forms.start.get(key.replace(" ", ""))
    if form and " " not in form:
        return word.replace(bare, form)           # a legal form standing alone keeps its spelling
    if any(ch.isdigit() for ch in word):
        return word
    if not first and bare.casefold() in forms.lower:
        return word.lower()
    letters = strip_accents(bare).casefold()
    if _DOTTED.match(bare) or (len(letters) > 1 and letters.isalpha() and not _VOWELS.intersection(letters)):
        return word.upper()
    return cap_parts(word)


def _tidy(value: str, forms: LegalForms) -> tuple[str, bool, bool]:
    """(the tidied name, whether a legal form was respelled, whether the case was changed)."""
    tokens = value.split()
    start_form, start_n, end_form, end_n = forms.split(tokens)
    middle = tokens[start_n : len(tokens) - end_n]
    shouting = _is_shouting(value)
    if shouting:
        middle = [recase_word(w, i == 0 and not start_form, forms) for i, w in enumerate(middle)]
    tidied = " ".join(p for p in (start_form, *middle, end_form) if p)
    form_changed = (start_form and start_form != " ".join(tokens[:start_n])) or (
        end_form and end_form != " ".join(tokens[len(tokens) - end_n :])
    )
    return tidied, bool(form_changed), shouting


@dataclass(frozen=True)
class CompanyNormalizer:
    """Legal forms in one spelling and ALL-CAPS or all-lowercase company names in title case."""

    name: ClassVar[str] = "company"
    role: ClassVar[Role] = Role.COMPANY
    hint: ClassVar[Role | None] = None
    after: ClassVar[tuple[str, ...]] = ("text",)
    rules_declared: ClassVar[dict[str, str]] = {
        "company.legal_form": "legal form written in its one spelling (Inc, SARL, SRL, GmbH, Công ty TNHH)",
        "company.case": "ALL CAPS or all lowercase name put in title case, legal form and acronyms kept",
    }
    forms: LegalForms = field(repr=False)

    @classmethod
    def from_rules(cls, rules: RuleSet, config: Config) -> Self:
        return cls(LegalForms.from_data(rules.data("legal_forms")))

    def normalize(self, value: str, hint: str = "") -> Outcome:
        tidied, form_changed, _ = _tidy(value, self.forms)
        if tidied == value:
            return None
        return Fix(tidied, "company.legal_form" if form_changed else "company.case")


@lru_cache(maxsize=1)
def _shipped_forms() -> LegalForms:
    return LegalForms.from_data(RuleSet.load().data("legal_forms"))


def company_key(value: str, forms: LegalForms | None = None) -> str:
    """The matcher's key: folded, without legal forms ("ACME Inc." and "Acme, Incorporated" -> "acme").

    >>> company_key("Công ty TNHH Ánh Dương")
    'anh duong'
    """
    forms = forms or _shipped_forms()
    tokens = value.split()
    _, start_n, _, end_n = forms.split(tokens)
    return fold(" ".join(tokens[start_n : len(tokens) - end_n]))
