"""Gender and yes/no columns: every language's words to one canonical spelling (M/F/X, yes/no).

Vocabulary lives in rules/words.toml. Gender is written "M", "F" or "X" (non-binary, diverse,
other): the ISO/IEC 5218-like letters most CRMs import. Yes/no columns (opt-out, consent) become
"yes" and "no". A word that is not in the table ("?", "2", "peut-être") is left as written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar, Self

from custclean.config import Config
from custclean.errors import ConfigError
from custclean.normalize.base import Fix, Outcome, Unclear
from custclean.roles import Role
from custclean.ruleset import RuleSet, build_alias_map
from custclean.text import fold


def word_key(value: str) -> str:
    """The folded word; a bare symbol ("✓") folds to nothing and is kept as written."""
    return fold(value) or value.strip()


@dataclass(frozen=True)
class WordTable:
    """Folded word -> canonical value, for one table of words.toml ("gender", "yes_no")."""

    words: dict[str, str]
    canonical: frozenset[str]
    longest: int = 64       # a longer cell is no word of the table: skip folding it

    @classmethod
    def from_rules(cls, rules: RuleSet, table: str) -> WordTable:
        return _table(table, json.dumps(rules.data("words").get(table, {}), sort_keys=True))

    def lookup(self, value: str) -> str | None:
        if len(value) > self.longest:
            return None
        return self.words.get(word_key(value))


@lru_cache(maxsize=16)
def _table(table: str, frozen: str) -> WordTable:
    spec: dict[str, dict[str, list[str]]] = json.loads(frozen)
    entries = [
        (word, canonical, f"words.toml [{table}.{canonical}] {lang}")
        for canonical, languages in spec.items()
        for lang, words in languages.items()
        for word in [*words, canonical]
    ]
    words = build_alias_map(e for e in entries if fold(e[0]))
    symbols: dict[str, str] = {}
    for word, canonical, where in (e for e in entries if not fold(e[0])):
        if symbols.setdefault(word.strip(), canonical) != canonical:
            raise ConfigError(f"'{word}' means both '{symbols[word.strip()]}' and '{canonical}' ({where})", "rules")
    longest = max((len(e[0]) for e in entries), default=0)
    return WordTable({**words, **symbols}, frozenset(spec), 2 * longest + 8)


def _normalize(table: WordTable, value: str, prefix: str) -> Outcome:
    if value in table.canonical:
        return None
    canonical = table.lookup(value)
    return Unclear(f"{prefix}.unknown") if canonical is None else Fix(canonical, f"{prefix}.word")


@dataclass(frozen=True)
class GenderNormalizer:
    """Gender words of any language ("Homme", "Nữ", "weiblich", "Mme") to M, F or X."""

    name: ClassVar[str] = "gender"
    role: ClassVar[Role | None] = Role.GENDER
    hint: ClassVar[Role | None] = None
    after: ClassVar[tuple[str, ...]] = ("text",)
    rules_declared: ClassVar[dict[str, str]] = {
        "gender.word": "a gender word or title in any language, written as M, F or X",
        "gender.unknown": "not a gender word in rules/words.toml; left as written",
    }

    table: WordTable

    @classmethod
    def from_rules(cls, rules: RuleSet, config: Config) -> Self:
        return cls(WordTable.from_rules(rules, "gender"))

    def normalize(self, value: str, hint: str = "") -> Outcome:
        return _normalize(self.table, value, "gender")


@dataclass(frozen=True)
class YesNoNormalizer:
    """Yes/no words of any language ("oui", "Da", "có", "FALSCH", "1", "✓") to yes or no."""

    name: ClassVar[str] = "yesno"
    role: ClassVar[Role | None] = Role.OPT_OUT
    hint: ClassVar[Role | None] = None
    after: ClassVar[tuple[str, ...]] = ("text",)
    rules_declared: ClassVar[dict[str, str]] = {
        "yesno.word": "a yes/no word in any language, a spreadsheet boolean or a tick, written as yes or no",
        "yesno.unknown": "not a yes/no word in rules/words.toml; left as written",
    }

    table: WordTable

    @classmethod
    def from_rules(cls, rules: RuleSet, config: Config) -> Self:
        return cls(WordTable.from_rules(rules, "yes_no"))

    def normalize(self, value: str, hint: str = "") -> Outcome:
        return _normalize(self.table, value, "yesno")

