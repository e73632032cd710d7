"""Regions to one spelling per country: US states and Canadian provinces as codes, others by name.

The subdivisions come from pycountry (ISO 3166-2); rules/regions.toml adds what people actually
write (AP abbreviations such as "Calif.", "Județul Cluj", "TP.HCM") and picks the output form per
country. A region is only read against its row's country (or `default_region`): "Georgia" or "CA"
mean different things in different countries, so a row without a country is left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, ClassVar, Self

from custclean.config import Config
from custclean.normalize.base import Fix, Outcome, Unclear
from custclean.roles import Role
from custclean.ruleset import RuleSet, build_alias_map
from custclean.text import fold

_BRACKET = re.compile(r"\s*\[([^\]]*)\]\s*$")      # "A Coruña [La Coruña]"
_INVERTED = re.compile(r"^(.+), (.+)$")            # "Madrid, Comunidad de"
_AMBIGUOUS = ""                                    # marks a folded name of two subdivisions


@lru_cache(maxsize=4096)
def country_code(hint: str) -> str:
    """The ISO alpha-2 code of a row's country hint ("FR", "fra", "France"), or "" when unknown.

    The country normalizer runs first and writes alpha-2 by default; names and alpha-3 are read too,
    so these normalizers still work with `country_format = "name"` or without the country step.
    """
    text = hint.strip()
    if len(text) == 2 and text.isalpha():
        return text.upper()
    if not text:
        return ""
    import pycountry

    try:
        return str(pycountry.countries.lookup(text).alpha_2)
    except LookupError:
        return ""


def _display(name: str) -> tuple[str, list[str]]:
    """pycountry's name as people write it, plus the other spellings it carries."""
    others: list[str] = []
    bracket = _BRACKET.search(name)
    if bracket:
        others.append(bracket.group(1))
        name = name[: bracket.start()]
    inverted = _INVERTED.match(name)
    if inverted:
        others.append(inverted.group(1))                       # "Madrid"
        name = f"{inverted.group(2)} {inverted.group(1)}"      # "Comunidad de Madrid"
    return name, others


@dataclass(frozen=True)
class CountryRegions:
    """One country's folded region names -> output spelling, and the words written before a name."""

    names: dict[str, str]
    prefixes: tuple[str, ...] = ()

    def lookup(self, value: str) -> str | None:
        """The output form, "" when ambiguous, None when unknown."""
        key = fold(value)
        if key in self.names:
            return self.names[key]
        for prefix in self.prefixes:
            if key.startswith(prefix + " "):
                return self.names.get(key[len(prefix) + 1 :])
        return None


def _add(names: dict[str, tuple[int, str]], alias: str, output: str, rank: int) -> None:
    """Keep the best-ranked meaning of a folded name; two meanings at one rank make it ambiguous."""
    key = fold(alias)
    if not key:
        return
    current = names.get(key)
    if current is None or rank < current[0]:
        names[key] = (rank, output)
    elif rank == current[0] and current[1] != output:
        names[key] = (rank, _AMBIGUOUS)


def _country_regions(country: str, subdivisions: list[Any], spec: dict[str, Any]) -> CountryRegions:
    as_code = spec.get("output", "name") == "code"
    renamed = spec.get("names", {})
    names: dict[str, tuple[int, str]] = {}
    outputs: dict[str, str] = {}
    for sub in subdivisions:
        display, others = _display(sub.name)
        display = renamed.get(sub.code, display)
        short = sub.code.split("-", 1)[1]
        output = short if as_code else display
        outputs[sub.code] = output
        _add(names, display, output, 0)
        _add(names, sub.name, output, 0)
        _add(names, sub.code, output, 0)
        if as_code or spec.get("codes"):
            _add(names, short, output, 1)
        for other in others:
            _add(names, other, output, 2)
    entries = [(a, outputs[code], f"regions.toml [{country}]") for code, al in spec.get("aliases", {}).items()
               for a in al if code in outputs]
    for key, output in build_alias_map(entries).items():
        names[key] = (-1, output)
    prefixes = tuple(sorted({fold(p) for p in spec.get("prefixes", ())} - {""}, key=len, reverse=True))
    return CountryRegions({k: v for k, (_, v) in names.items()}, prefixes)


class RegionIndex:
    """alpha-2 -> its regions, each country built on first use (pycountry has about 5,000 subdivisions)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data
        self._built: dict[str, CountryRegions | None] = {}

    def get(self, country: str) -> CountryRegions | None:
        """The country's regions, or None when pycountry knows none (or the code is unknown)."""
        if country not in self._built:
            import pycountry

            subdivisions = list(pycountry.subdivisions.get(country_code=country) or ()) if country else []
            spec = self._data.get(country, {})
            self._built[country] = _country_regions(country, subdivisions, spec) if subdivisions else None
        return self._built[country]


def region_index(rules: RuleSet) -> RegionIndex:
    """The regions of every country, from pycountry and rules/regions.toml; alias conflicts are refused now."""
    data = rules.data("regions")
    index = RegionIndex(data)
    for country in data:
        index.get(country)
    return index


@dataclass(frozen=True)
class RegionNormalizer:
    """States, provinces, counties and departments to one spelling, read against the row's country."""

    name: ClassVar[str] = "region"
    role: ClassVar[Role] = Role.REGION
    hint: ClassVar[Role | None] = Role.COUNTRY
    after: ClassVar[tuple[str, ...]] = ("country",)
    rules_declared: ClassVar[dict[str, str]] = {
        "region.alias": "written as another name, abbreviation or spelling of the region",
        "region.unknown": "not a region of the row's country; left as written",
        "region.ambiguous": "could be several regions of the row's country; left as written",
    }
    tables: RegionIndex = field(repr=False)
    default_country: str = ""

    @classmethod
    def from_rules(cls, rules: RuleSet, config: Config) -> Self:
        return cls(region_index(rules), country_code(config.normalize.default_region or ""))

    def normalize(self, value: str, hint: str = "") -> Outcome:
        table = self.tables.get(country_code(hint) or self.default_country)
        if table is None:
            return None
        found = table.lookup(value)
        if found is None:
            return Unclear("region.unknown")
        if not found:
            return Unclear("region.ambiguous")
        return None if found == value else Fix(found, "region.alias")
