"""Postal codes in their country's written form, with the leading zeros Excel dropped put back.

rules/postal_codes.toml holds, per country, the canonical `pattern` (validation reads it too), a
`format` ("@#@ #@#"), and whether leading zeros may be restored (`pad`, `width`). A code is rewritten
only when the result matches the pattern, so a wrong code is never turned into a plausible one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any, ClassVar, Self

from custclean.config import Config
from custclean.errors import ConfigError
from custclean.normalize.base import Fix, Outcome, Unclear
from custclean.normalize.region import country_code
from custclean.roles import Role
from custclean.ruleset import RuleSet

_NOT_ALNUM = re.compile(r"[^0-9A-Z]")
_EXCEL_FLOAT = re.compile(r"^(\d+)\.0+$")      # 2134.0: a number column read back as float
_GROUPS = re.compile(r"[\s\-./]+")
_SLOT = {"#": str.isdigit, "@": str.isalpha, "?": str.isalnum}
MAX_ZEROS = 2                                   # more missing zeros than this is not an Excel artefact


@dataclass(frozen=True)
class Layout:
    """One written layout of a country's codes: "@#@ #@#" -> slots "@#@#@#" and its separators."""

    format: str
    template: str          # the alphanumeric characters of the layout: slots and literal letters/digits

    @classmethod
    def parse(cls, fmt: str) -> Layout:
        return cls(fmt, "".join(ch for ch in fmt if ch in _SLOT or ch.isalnum()))

    def fits(self, compact: str) -> bool:
        return len(compact) == len(self.template) and all(
            _SLOT[t](c) if t in _SLOT else t == c for t, c in zip(self.template, compact, strict=True)
        )

    def render(self, compact: str) -> str:
        chars = iter(compact)
        return "".join(next(chars) if (ch in _SLOT or ch.isalnum()) else ch for ch in self.format)

    @cached_property
    def literal_head(self) -> str:
        """Letters the layout itself starts with ("MD" in "MD-####"), which people often leave out."""
        return re.match(r"[A-Z]*", self.template).group(0)   # type: ignore[union-attr]


@dataclass(frozen=True)
class PostalRule:
    """A country's postal code rule from postal_codes.toml."""

    pattern: re.Pattern[str]
    layouts: tuple[Layout, ...]
    pad: bool = False
    width: int = 0
    prefixes: tuple[str, ...] = ()
    # One compiled "prefix, then the code" pattern per prefix, longest prefix first.
    prefix_patterns: tuple[re.Pattern[str], ...] = field(init=False, default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        patterns = tuple(re.compile(rf"{re.escape(prefix)}(?:[\s\-]+|(?=\d))(.+)$") for prefix in self.prefixes)
        object.__setattr__(self, "prefix_patterns", patterns)

    @classmethod
    def from_spec(cls, country: str, spec: dict[str, Any]) -> PostalRule:
        try:
            pattern = re.compile(spec["pattern"])
        except (KeyError, re.error) as exc:
            raise ConfigError(f"[{country}] needs a valid `pattern` ({exc})", "postal_codes.toml") from None
        layouts = tuple(Layout.parse(f) for f in str(spec.get("format", "")).split("|") if f)
        prefixes = {p.upper() for p in spec.get("prefixes", ())}
        if not any(lay.literal_head for lay in layouts):
            prefixes.add(country)
        return cls(pattern, layouts, bool(spec.get("pad")), int(spec.get("width", 0)),
                   tuple(sorted(prefixes, key=len, reverse=True)))

    def canonical(self, value: str) -> tuple[str, bool] | None:
        """(the canonical code, whether zeros were restored), or None when it cannot be one."""
        text = value.strip().upper()
        excel = _EXCEL_FLOAT.match(text)
        if excel:
            text = excel.group(1)
        for core in self._cores(text):
            found = self._shaped(core)
            if found is not None:
                return found
        return None

    def _cores(self, text: str) -> list[str]:
        """The text, then the text without a country prefix ("D-10115", "FR 75001")."""
        cores = [text]
        for pattern in self.prefix_patterns:
            rest = pattern.match(text)
            if rest:
                cores.append(rest.group(1))
        return cores

    def _shaped(self, core: str) -> tuple[str, bool] | None:
        compact = _NOT_ALNUM.sub("", core)
        tries = [(compact, False), *self._padded(core, compact)]
        for candidate, padded in tries:
            for layout in self.layouts:
                for text in (candidate, layout.literal_head + candidate):
                    if layout.fits(text):
                        rendered = layout.render(text)
                        if self.pattern.fullmatch(rendered):
                            return rendered, padded
        if not self.layouts and self.pattern.fullmatch(core):
            return core, False
        return None

    def _padded(self, core: str, compact: str) -> list[tuple[str, bool]]:
        """Readings with leading zeros restored: the whole code, or its first group ("2134-1234")."""
        if not self.pad or not compact.isdigit():
            return []
        found = [
            (compact.zfill(len(lay.template)), True)
            for lay in self.layouts
            if 0 < len(lay.template) - len(compact) <= MAX_ZEROS and lay.template.isascii()
        ]
        groups = _GROUPS.split(core)
        if len(groups) > 1 and self.width and 0 < self.width - len(groups[0]) <= MAX_ZEROS:
            found.append((groups[0].zfill(self.width) + "".join(groups[1:]), True))
        return found


def postal_rules(rules: RuleSet) -> dict[str, PostalRule]:
    """alpha-2 -> its rule, from postal_codes.toml (shipped plus the user's)."""
    return {cc.upper(): PostalRule.from_spec(cc.upper(), spec) for cc, spec in rules.data("postal_codes").items()}


@dataclass(frozen=True)
class PostalCodeNormalizer:
    """Spacing, case, separators and lost leading zeros of postal codes, per the row's country."""

    name: ClassVar[str] = "postal_code"
    role: ClassVar[Role] = Role.POSTAL_CODE
    hint: ClassVar[Role | None] = Role.COUNTRY
    after: ClassVar[tuple[str, ...]] = ("country",)
    rules_declared: ClassVar[dict[str, str]] = {
        "postal_code.format": "spacing, case or separators put in the country's written form",
        "postal_code.zeros": "leading zeros restored (dropped by a spreadsheet that read the code as a number)",
        "postal_code.bad_format": "not a postal code of the row's country; left as written",
    }
    rules: dict[str, PostalRule] = field(repr=False)
    default_country: str = ""

    @classmethod
    def from_rules(cls, rules: RuleSet, config: Config) -> Self:
        return cls(postal_rules(rules), country_code(config.normalize.default_region or ""))

    def normalize(self, value: str, hint: str = "") -> Outcome:
        rule = self.rules.get(_country_code(hint) or self.default_country)
        if rule is None:
            return None
        if rule.pattern.fullmatch(value):
            return None
        found = rule.canonical(value)
        if found is None:
            return Unclear("postal_code.bad_format")
        code, padded = found
        if code == value:
            return None
        return Fix(code, "postal_code.zeros" if padded else "postal_code.format")


@lru_cache(maxsize=4096)
def _country_code(hint: str) -> str:
    """country_code, remembered: hints repeat on every row and a name is looked up in pycountry."""
    return country_code(hint)
