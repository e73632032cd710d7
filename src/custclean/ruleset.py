"""Loads rules/ plus the user's rule files; folds keys; refuses conflicting aliases.

Vocabulary is data: aliases, abbreviations, header synonyms and policies live in TOML files under
`rules/` (shipped as the `custclean.rules` package). A user's rules folder can hold files of the same
names; their entries extend the shipped ones (lists are appended, tables merged, scalars replaced).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from custclean.errors import ConfigError
from custclean.roles import HeaderSynonyms, Role
from custclean.text import fold


def _deep_merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        elif isinstance(value, list) and isinstance(merged.get(key), list):
            merged[key] = [*merged[key], *value]
        else:
            merged[key] = value
    return merged


def _read_toml(text: str, where: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML ({exc})", where) from None


def build_alias_map(
    entries: Iterable[tuple[str, str, str]], ambiguous: Iterable[str] = ()
) -> dict[str, str]:
    """Fold (alias, canonical, where) triples into alias -> canonical, refusing an alias with two meanings.

    An alias listed in `ambiguous` is skipped rather than refused: callers treat it as "never guess".
    """
    skip = {fold(a) for a in ambiguous}
    result: dict[str, str] = {}
    seen_at: dict[str, str] = {}
    problems: list[str] = []
    for alias, canonical, where in entries:
        key = fold(alias)
        if not key or key in skip:
            continue
        if key in result and result[key] != canonical:
            problems.append(
                f"'{alias}' means both '{result[key]}' ({seen_at[key]}) and '{canonical}' ({where})"
            )
            continue
        result[key] = canonical
        seen_at[key] = where
    if problems:
        raise ConfigError(problems, "rules")
    return result


@dataclass
class RuleSet:
    """The shipped rules files merged with the user's; each file parsed once, on first use."""

    user_dirs: tuple[Path, ...] = ()
    _cache: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, *user_dirs: str | Path) -> RuleSet:
        """Shipped rules, extended by the TOML files found in each user folder."""
        dirs = tuple(Path(d) for d in user_dirs)
        missing = [str(d) for d in dirs if not d.is_dir()]
        if missing:
            raise ConfigError([f"rules folder not found: {m}" for m in missing])
        return cls(dirs)

    def data(self, name: str) -> dict[str, Any]:
        """The parsed rules file `name` ("countries", "address/fr", ...); {} when none exists."""
        if name not in self._cache:
            self._cache[name] = self._load(name)
        return self._cache[name]

    def has(self, name: str) -> bool:
        return bool(self.data(name))

    def _load(self, name: str) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        shipped = resources.files("custclean.rules").joinpath(*f"{name}.toml".split("/"))
        if shipped.is_file():
            merged = _read_toml(shipped.read_text(encoding="utf-8"), f"rules/{name}.toml")
        for folder in self.user_dirs:
            path = folder / f"{name}.toml"
            if path.is_file():
                merged = _deep_merge(merged, _read_toml(path.read_text(encoding="utf-8"), str(path)))
        return merged

    def names_under(self, folder: str) -> list[str]:
        """The rules files in a sub-folder ("address" -> ["address/de", "address/fr", ...])."""
        found: set[str] = set()
        shipped = resources.files("custclean.rules").joinpath(folder)
        if shipped.is_dir():
            found.update(p.name[:-5] for p in shipped.iterdir() if p.name.endswith(".toml"))
        for user in self.user_dirs:
            if (user / folder).is_dir():
                found.update(p.stem for p in (user / folder).glob("*.toml"))
        return sorted(f"{folder}/{stem}" for stem in found)

    def header_synonyms(self) -> HeaderSynonyms:
        """headers.toml as folded header -> role, refusing a header listed under two roles."""
        data = self.data("headers")
        entries: list[tuple[str, str, str]] = []
        for role_name, languages in data.items():
            if role_name == "alone":
                continue
            for lang, words in languages.items():
                entries.extend((w, role_name, f"headers.toml [{role_name}] {lang}") for w in words)
        exact = {k: Role(v) for k, v in build_alias_map(entries).items()}
        alone = {
            fold(header): (tuple(fold(p) for p in spec["partner"]), Role(spec["role"]))
            for header, spec in data.get("alone", {}).items()
        }
        return HeaderSynonyms(exact, alone)
