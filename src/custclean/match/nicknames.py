"""Nickname vocabulary: one canonical given name per short form, and which names are related.

The canonical form (what blocking keys use) comes from rules/nicknames/*.toml only: English, French,
German, Spanish, Romanian and Vietnamese short forms, curated so that no short form has two meanings.
The `nicknames` package adds the looser "related" pairs behind the nickname comparison level: it is
many-to-many and maps full names of other languages to English ones (Marie -> Marietta, Jan -> Janet,
Lan -> Yulan), so it may say "these two are related" but never rewrites a name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from custclean.ruleset import RuleSet, build_alias_map
from custclean.text import fold

LANGUAGES = ("en", "fr", "de", "es", "ro", "vi")


@dataclass(frozen=True)
class Nicknames:
    """folded short form -> folded canonical, plus the (a, b) pairs of names known to be related."""

    canonical: dict[str, str] = field(default_factory=dict)
    related: frozenset[str] = frozenset()     # "a|b" with a < b

    def canonical_of(self, name: str) -> str:
        return self.canonical.get(name, name)

    def are_related(self, a: str, b: str) -> bool:
        return a == b or (f"{a}|{b}" if a < b else f"{b}|{a}") in self.related


def _package_tables() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    from nicknames import NickNamer

    namer = NickNamer()
    return namer.nickname_lookup, namer.canonical_lookup


def _rules_entries(rules: RuleSet) -> list[tuple[str, str, str]]:
    entries: list[tuple[str, str, str]] = []
    for lang in LANGUAGES:
        for canonical, shorts in rules.data(f"nicknames/{lang}").get("names", {}).items():
            entries.append((canonical, fold(canonical), f"nicknames/{lang}.toml"))
            entries.extend((short, fold(canonical), f"nicknames/{lang}.toml [{canonical}]") for short in shorts)
    return entries


def _related_pairs(groups: list[set[str]]) -> frozenset[str]:
    pairs: set[str] = set()
    for group in groups:
        members = sorted(group)
        for i, a in enumerate(members):
            pairs.update(f"{a}|{b}" for b in members[i + 1:])
    return frozenset(pairs)


def load_nicknames(rules: RuleSet) -> Nicknames:
    """Build the canonical map and the related pairs from the package and the rules files."""
    nicks, _ = _package_tables()
    canonical = build_alias_map(_rules_entries(rules))
    groups = [{fold(c), *(fold(n) for n in ns)} for c, ns in nicks.items()]
    by_canonical: dict[str, set[str]] = {}
    for short, canon in canonical.items():
        by_canonical.setdefault(canon, {canon}).add(short)
    groups.extend(by_canonical.values())
    return Nicknames(canonical, _related_pairs(groups))


@lru_cache(maxsize=4)
def shipped_nicknames() -> Nicknames:
    """The shipped vocabulary, built once per process (user rules folders go through load_nicknames)."""
    return load_nicknames(RuleSet())
