"""Countries to one ISO 3166 form, from any language's name, code, alias or obvious typo.

Names come from CLDR through babel: every territory name of every locale, folded. A name that folds
to two countries across languages ("Kongo") is ambiguous and never guessed. Reading all of babel's
locale files takes seconds, so the folded table is built once per babel version and kept as JSON in
the user's cache folder ($CUSTCLEAN_CACHE_DIR, else $XDG_CACHE_HOME/custclean, else ~/.cache/custclean);
when that folder cannot be written, each process builds it again.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar, Self

from custclean.config import Config
from custclean.errors import ConfigError
from custclean.normalize.base import Fix, Outcome, Unclear
from custclean.roles import Role
from custclean.ruleset import RuleSet, build_alias_map
from custclean.text import fold

CACHE_FORMAT = 1
_FOLD_PROBES = ("Điện Thoại", "Ștefan", "Œuvre", "São Tomé & Príncipe", "U.S.A.", "Straße", "Côte d’Ivoire")
_AMBIGUOUS = "?"     # stands for "several countries" in the typo index


def cache_dir() -> Path:
    """Where derived tables are cached between runs."""
    if os.environ.get("CUSTCLEAN_CACHE_DIR"):
        return Path(os.environ["CUSTCLEAN_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "custclean"


def _cache_path() -> Path:
    import babel

    probe = "|".join(fold(p) for p in _FOLD_PROBES)
    digest = hashlib.sha256(f"{CACHE_FORMAT}|{babel.__version__}|{probe}".encode()).hexdigest()[:16]
    return cache_dir() / f"cldr-countries-{digest}.json"


def _territories(locale: str) -> dict[str, str]:
    """One locale's own territory names, read straight from babel's file (babel.load would keep them all)."""
    from babel import localedata

    with open(localedata.resolve_locale_filename(locale), "rb") as handle:
        return pickle.load(handle).get("territories", {})


def _build_cldr_names() -> dict[str, list[str]]:
    from babel import localedata

    raw_fold = getattr(fold, "__wrapped__", fold)   # 60k one-off names would flush fold's cache
    names: dict[str, set[str]] = {}
    for locale in localedata.locale_identifiers():
        for code, name in _territories(locale).items():
            key = raw_fold(name) if len(code) == 2 and code.isalpha() else ""
            if key:
                names.setdefault(key, set()).add(code)
    return {key: sorted(codes) for key, codes in names.items()}


@lru_cache(maxsize=1)
def cldr_names() -> dict[str, list[str]]:
    """Folded territory name, from any CLDR locale -> the two-letter codes it names (sorted)."""
    path = _cache_path()
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    table = _build_cldr_names()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False) as tmp:
            json.dump(table, tmp, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp.name, path)
    except OSError:
        pass    # a read-only home: the table is simply rebuilt next time
    return table


@lru_cache(maxsize=1)
def iso_alpha3() -> dict[str, str]:
    """ISO 3166-1 alpha-2 -> alpha-3 (pycountry)."""
    import pycountry

    return {c.alpha_2: c.alpha_3 for c in pycountry.countries}


@lru_cache(maxsize=64)
def territory_names(lang: str) -> dict[str, str]:
    """alpha-2 -> the country's name in `lang` (CLDR, inherited data merged)."""
    from babel import Locale, UnknownLocaleError

    try:
        return dict(Locale.parse(lang).territories)
    except (UnknownLocaleError, ValueError, TypeError):
        raise ConfigError(f"unknown language '{lang}' for country names", "[normalize] country_format") from None


@dataclass(frozen=True, repr=False)
class CountryNames:
    """Everything a country can be written as, folded, mapped to its alpha-2 code."""

    alpha3: dict[str, str]            # alpha-2 -> alpha-3, ISO plus rules' extra codes
    alpha2_of: dict[str, str]         # alpha-3 -> alpha-2
    exact: dict[str, str]             # folded name (any language) or alias -> alpha-2
    ambiguous: frozenset[str]         # folded names of several countries
    placeholders: frozenset[str]      # folded words meaning "no country"
    # length -> (folded names within 2 letters of that length, their codes): a misspelling is compared
    # only with names it could be one or two edits from. _AMBIGUOUS marks an ambiguous name.
    typos: dict[int, tuple[tuple[str, ...], tuple[str, ...]]]
    min_typo: int = 4

    def lookup(self, value: str) -> tuple[str | None, str]:
        """(alpha-2, rule) for a recognised country, else (None, finding code)."""
        key = fold(value)
        if not key or key in self.placeholders:
            return None, "country.unknown"
        if key in self.ambiguous:
            return None, "country.ambiguous"
        code, named = self.code(value), self.exact.get(key)
        if code is not None:
            # "My" is Malaysia's code and the Vietnamese for the USA: only capitals mean the code.
            if named not in (None, code) and not value.strip().isupper():
                return None, "country.ambiguous"
            return code, "country.code"
        if named is not None:
            return named, "country.alias"
        typo = self._typo(key)
        return (typo, "country.typo") if typo else (None, "country.unknown")

    def code(self, value: str) -> str | None:
        """The alpha-2 code for an ISO alpha-2 or alpha-3 code in any case, else None."""
        text = value.strip()
        if len(text) not in (2, 3) or not (text.isascii() and text.isalpha()):
            return None
        upper = text.upper()
        return (upper if upper in self.alpha3 else None) if len(text) == 2 else self.alpha2_of.get(upper)

    def alpha2(self, value: str) -> str | None:
        """The alpha-2 code of anything recognised (code, name, alias, typo), else None."""
        return self.lookup(value)[0]

    def _typo(self, key: str) -> str | None:
        """The one country whose name is a close misspelling of `key`, else None."""
        if len(key) < self.min_typo or any(ch.isdigit() for ch in key):
            return None
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        limit = 1 if len(key) < 8 else 2
        keys, key_codes = self.typos.get(len(key), ((), ()))
        hits = process.extract(key, keys, scorer=OSA.distance, score_cutoff=limit, limit=None)
        codes = {key_codes[index] for _, _, index in hits}
        if len(codes) != 1 or _AMBIGUOUS in codes:
            return None
        if len(key) < 8 and not any(keys[index][0] == key[0] for _, _, index in hits):
            return None     # "Bali" is not a misspelt "Mali"
        return codes.pop()


def _alias_entries(aliases: dict[str, list[str]], valid: set[str]) -> list[tuple[str, str, str]]:
    bad = sorted(code for code in aliases if code not in valid)
    if bad:
        raise ConfigError([f"countries.toml [aliases]: '{c}' is not an ISO 3166 alpha-2 code" for c in bad], "rules")
    return [(alias, code, f"countries.toml [aliases] {code}") for code, names in aliases.items() for alias in names]


def _cldr_exact(valid: set[str]) -> tuple[dict[str, str], set[str]]:
    """CLDR names of real countries -> code, and the names that mean several countries."""
    exact: dict[str, str] = {}
    ambiguous: set[str] = set()
    for key, codes in cldr_names().items():
        real = [c for c in codes if c in valid]
        if len(real) == 1:
            exact[key] = real[0]
        elif real:
            ambiguous.add(key)
    return exact, ambiguous


def _typo_index(
    data: dict[str, Any], aliases: dict[str, str], ambiguous: set[str], valid: set[str]
) -> dict[int, tuple[tuple[str, ...], tuple[str, ...]]]:
    index: dict[str, str] = {}
    for lang in data.get("typos", {}).get("languages", ["en"]):
        for code, name in territory_names(lang).items():
            if code not in valid:
                continue        # regions and groupings ("Europe", "Diego Garcia") are not countries here
            key = fold(name)
            index[key] = code if index.get(key, code) == code else _AMBIGUOUS
    index.update(aliases)
    index.update(dict.fromkeys(ambiguous, _AMBIGUOUS))
    min_length = int(data.get("typos", {}).get("min_length", 4))
    kept = {k: v for k, v in index.items() if len(k) >= min_length}
    by_length: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for length in range(min_length, max(map(len, kept), default=0) + 3):
        near = [k for k in kept if abs(len(k) - length) <= 2]
        by_length[length] = (tuple(near), tuple(kept[k] for k in near))
    return by_length


@lru_cache(maxsize=8)
def _names_from(frozen: str) -> CountryNames:
    data: dict[str, Any] = json.loads(frozen)
    alpha3 = {**iso_alpha3(), **data.get("extra_codes", {})}
    valid = set(alpha3)
    declared_ambiguous = {fold(n) for n in data.get("ambiguous", {}).get("names", [])}
    aliases = build_alias_map(_alias_entries(data.get("aliases", {}), valid), declared_ambiguous)
    exact, ambiguous = _cldr_exact(valid)
    exact.update(aliases)                       # curated aliases win over CLDR conflicts
    ambiguous = (ambiguous - set(aliases)) | declared_ambiguous
    exact = {k: v for k, v in exact.items() if k not in ambiguous}
    return CountryNames(
        alpha3=alpha3,
        alpha2_of={a3: a2 for a2, a3 in alpha3.items()},
        exact=exact,
        ambiguous=frozenset(ambiguous),
        placeholders=frozenset(fold(p) or p for p in data.get("placeholders", {}).get("values", [])),
        typos=_typo_index(data, aliases, ambiguous, valid),
        min_typo=int(data.get("typos", {}).get("min_length", 4)),
    )


def country_names(rules: RuleSet) -> CountryNames:
    """The country table for these rules, built once per distinct countries.toml content."""
    return _names_from(json.dumps(rules.data("countries"), sort_keys=True, ensure_ascii=False))


def _render_english(code: str) -> str:
    return territory_names("en").get(code, code)


RENDERERS = {
    "alpha2": lambda names, code: code,
    "alpha3": lambda names, code: names.alpha3[code],
    "name": lambda names, code: _render_english(code),
}


def renderings(names: CountryNames, country_format: str) -> dict[str, str]:
    """alpha-2 -> the configured output form, for every known country."""
    if country_format.startswith("name:"):
        local = territory_names(country_format.split(":", 1)[1])
        return {code: local.get(code) or _render_english(code) for code in names.alpha3}
    render = RENDERERS.get(country_format)
    if render is None:
        raise ConfigError(
            f"unknown country_format '{country_format}' (use alpha2, alpha3, name or name:LANG)",
            "[normalize] country_format",
        )
    return {code: render(names, code) for code in names.alpha3}


@dataclass(frozen=True)
class CountryNormalizer:
    """One country form (alpha-2 by default) from codes, CLDR names, aliases and obvious typos."""

    name: ClassVar[str] = "country"
    role: ClassVar[Role | None] = Role.COUNTRY
    hint: ClassVar[Role | None] = None
    after: ClassVar[tuple[str, ...]] = ("text",)
    rules_declared: ClassVar[dict[str, str]] = {
        "country.alias": "written as a name (any language), an informal name or an abbreviation",
        "country.code": "written as another ISO code (alpha-3, alpha-2) or in another case",
        "country.typo": "one close misspelling of a single country's name",
        "country.unknown": "not recognised as a country; left as written",
        "country.ambiguous": "could be several countries (Congo, Guinea, Georgia); left as written",
    }

    names: CountryNames = field(repr=False)
    rendered: dict[str, str] = field(repr=False)          # alpha-2 -> output form
    canonical: frozenset[str] = field(repr=False)         # every output form: such a value is already normal

    @classmethod
    def from_rules(cls, rules: RuleSet, config: Config) -> Self:
        names = country_names(rules)
        rendered = renderings(names, config.normalize.country_format)
        return cls(names, rendered, frozenset(rendered.values()))

    def normalize(self, value: str, hint: str = "") -> Outcome:
        if value in self.canonical:
            return None
        code, rule = self.names.lookup(value)
        if code is None:
            return Unclear(rule)
        return Fix(self.rendered[code], rule)
