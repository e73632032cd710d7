"""CheckContext and Regions: what checks are built from, and a row's country read as a region.

Raw files write countries as names in any language; checks of phones and postal codes need an ISO
code. The country normalizer's tables do the reading, once per distinct country cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any

from custclean.errors import ConfigError
from custclean.normalize.country import CountryNames, country_names

if TYPE_CHECKING:
    from custclean.config import Config
    from custclean.ruleset import RuleSet


@dataclass
class CheckContext:
    """What checks are built from: the rules, the config and, for tests, a fixed today and DNS resolver."""

    rules: RuleSet
    config: Config
    today: date | None = None
    dns_resolver: Any = None

    @cached_property
    def regions(self) -> Regions:
        return Regions.build(self.rules, self.config.normalize.default_region)


@dataclass
class Regions:
    """A row's country, as written, to an ISO alpha-2 region; the default region when it has none."""

    names: CountryNames
    default: str | None = None
    _seen: dict[str, tuple[str | None, str]] = field(default_factory=dict, repr=False)
    _regions: dict[str, str | None] = field(default_factory=dict, repr=False)      # `region`, per country cell

    @classmethod
    def build(cls, rules: RuleSet, default: str | None) -> Regions:
        names = country_names(rules)
        region = names.alpha2(default) if default else None
        if default and region is None:
            raise ConfigError(f"default_region '{default}' is not a country", "[normalize] default_region")
        return cls(names, region)

    def lookup(self, value: str) -> tuple[str | None, str]:
        """(alpha-2, how) for a country as written, or (None, finding code); each distinct value once."""
        if value not in self._seen:
            self._seen[value] = self.names.lookup(value)
        return self._seen[value]

    def region(self, country: str) -> str | None:
        """The region to read a phone or postal code of a row with this country cell in."""
        try:
            return self._regions[country]
        except KeyError:
            code = self.lookup(country)[0] if country.strip() else None
            region = self._regions[country] = code or self.default
            return region
