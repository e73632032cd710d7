"""Emails: trimmed, unwrapped (mailto:, "Name <addr>"), lower case, Unicode domains, provider typos fixed.

Internationalized domains are written in Unicode ("jean@café.fr", not "jean@xn--caf-dma.fr"): it is
what people type and read, and the match keys compare one form. Most addresses are plain ASCII, so a
strict regex decides those; email-validator (about 40-80 µs a call) sees only the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar, Self

from custclean.config import Config
from custclean.errors import ConfigError
from custclean.normalize.base import Fix, Outcome, Unclear
from custclean.roles import Role
from custclean.ruleset import RuleSet

_ATOM = r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
# Certain-valid ASCII addresses: dot-atom local part, letters-only TLD (email-validator agrees on all of these).
_PLAIN = re.compile(rf"({_ATOM}(?:\.{_ATOM})*)@((?:{_LABEL}\.)+([a-z]{{2,63}}))")
_SPECIAL_TLDS = frozenset({"arpa", "invalid", "local", "localhost", "onion", "test"})
_DISPLAY_NAME = re.compile(r'(?:[^<>]*?)<\s*([^<>]*?)\s*>')
_SPACED = re.compile(r"\s*([@.])\s*")
_EDGE_PUNCT = "\"'.,;:()[]"
_SEPARATOR = re.compile(r"[\s,;]")
# The rule recorded when several apply: the most telling first.
_RULE_ORDER = ("email.typo_domain", "email.wrapper", "email.idn", "email.spaces", "email.lowercase")


def _keep_mark(found: re.Match[str]) -> str:
    return found.group(1)


def _unwrap(text: str) -> str:
    """Drop a display name, angle brackets, "mailto:" and punctuation stuck to the ends."""
    found = _DISPLAY_NAME.fullmatch(text)
    if found:
        text = found.group(1)
    if text[:7].lower() == "mailto:":
        text = text[7:].split("?", 1)[0]
    return text.strip().strip(_EDGE_PUNCT).strip()


@lru_cache(maxsize=1)
def _validator() -> Any:
    import email_validator

    return email_validator


def _slow_normalize(address: str) -> str | None:
    """email-validator's verdict for what the fast path cannot decide: the normalized address, or None."""
    ev = _validator()
    try:
        result = ev.validate_email(address, check_deliverability=False)
    except ev.EmailNotValidError:
        return None
    return f"{result.local_part.lower()}@{result.domain.lower()}"


def plain_ascii_address(address: str) -> bool:
    """True when `address` (lower case) is certainly valid without asking email-validator."""
    if len(address) > 254 or not address.isascii():
        return False
    found = _PLAIN.fullmatch(address)
    return bool(
        found
        and len(found.group(1)) <= 64
        and found.group(3) not in _SPECIAL_TLDS
        and "--" not in found.group(2)       # xn-- labels and reserved hyphens: email-validator decides
    )


@dataclass(frozen=True)
class DomainTypos:
    """Misspelt provider domain -> the provider's domain, minus any misspelling that is a real domain."""

    fixes: dict[str, str]

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> DomainTypos:
        providers: dict[str, list[str]] = {k.lower(): [t.lower() for t in v] for k, v in data.get("typos", {}).items()}
        real = set(providers) | {d.lower() for d in data.get("real", {}).get("domains", [])}
        for provider in list(providers):
            stem, _, tld = provider.rpartition(".")
            providers[provider] += [f"{stem}.{typo}" for typo in data.get("tld_typos", {}).get(tld, [])]
        fixes: dict[str, str] = {}
        problems = []
        for provider, typos in providers.items():
            for typo in typos:
                if typo in real:
                    continue        # "gmx.com" is not a misspelt "gmx.de"
                if fixes.get(typo, provider) != provider:
                    problems.append(f"email_domains.toml: '{typo}' is listed under '{fixes[typo]}' and '{provider}'")
                fixes[typo] = provider
        if problems:
            raise ConfigError(problems, "rules")
        return cls(fixes)


@dataclass(frozen=True)
class EmailNormalizer:
    """One spelling per address; anything that is not an address is left as written."""

    name: ClassVar[str] = "email"
    role: ClassVar[Role | None] = Role.EMAIL
    hint: ClassVar[Role | None] = None
    after: ClassVar[tuple[str, ...]] = ("text",)
    rules_declared: ClassVar[dict[str, str]] = {
        "email.lowercase": "trimmed and written in lower case",
        "email.wrapper": "mailto:, a display name, angle brackets or stray punctuation removed",
        "email.spaces": "spaces around '@' or '.' removed",
        "email.idn": "internationalized domain written in Unicode (punycode decoded)",
        "email.typo_domain": "a known misspelling of a major provider's domain fixed (gmial.com -> gmail.com)",
        "email.invalid": "not a valid email address; left as written",
        "email.multiple": "several addresses in one cell; left as written",
    }

    typos: DomainTypos
    fix_typos: bool = True

    @classmethod
    def from_rules(cls, rules: RuleSet, config: Config) -> Self:
        return cls(DomainTypos.from_data(rules.data("email_domains")), config.normalize.fix_email_typos)

    def normalize(self, value: str, hint: str = "") -> Outcome:
        if plain_ascii_address(value) and not (self.fix_typos and value.rpartition("@")[2] in self.typos.fixes):
            return None
        rules: set[str] = set()
        text = value.strip()
        unwrapped = _unwrap(text)
        if unwrapped != text:
            rules.add("email.wrapper")
        spaced = _SEPARATOR.search(unwrapped) is not None
        if spaced and unwrapped.count("@") > 1:
            return Unclear("email.multiple")
        address = _SPACED.sub(_keep_mark, unwrapped) if spaced else unwrapped
        if address != unwrapped:
            rules.add("email.spaces")
        address = self._canonical(address.lower(), rules)
        if address is None:
            return Unclear("email.invalid")
        if address == value:
            return None
        rules.add("email.lowercase")
        return Fix(address, next(r for r in _RULE_ORDER if r in rules))

    def _canonical(self, address: str, rules: set[str]) -> str | None:
        """The validated address with its domain in Unicode and provider typos fixed; None if invalid."""
        if not plain_ascii_address(address):
            normalized = _slow_normalize(address)
            if normalized is None:
                return None
            if normalized.rpartition("@")[2] != address.rpartition("@")[2]:
                rules.add("email.idn")
            address = normalized
        local, _, domain = address.rpartition("@")
        fixed = self.typos.fixes.get(domain) if self.fix_typos else None
        if fixed is not None:
            rules.add("email.typo_domain")
            return f"{local}@{fixed}"
        return address
