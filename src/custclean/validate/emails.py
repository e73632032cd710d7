"""Email checks: syntax with email-validator (no network), and with --check-dns whether a domain takes mail.

DNS is optional and fragile (offline laptops, sandboxes whose resolver answers "no such domain" for
everything), so a lookup failure never becomes an error: a probe domain tells whether DNS works here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, ClassVar, Self

import numpy as np

from custclean.roles import Role
from custclean.validate.base import UNSURE, RuleSpec
from custclean.validate.context import CheckContext

# Addresses of this plain shape (local@domain, each part from these patterns) are valid for
# email-validator too (a test checks that with hypothesis); only the others pay for its full parse.
_PLAIN_LOCAL = re.compile(r"[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*")
_PLAIN_DOMAIN = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}")
_SPECIAL_TLDS = frozenset({"arpa", "invalid", "local", "localhost", "onion", "test"})
_EMAIL_SEPARATORS = re.compile(r"[;,\s/|]+")


def _plain_domain(domain: str) -> bool:
    return (_PLAIN_DOMAIN.fullmatch(domain) is not None and "--" not in domain
            and domain.rsplit(".", 1)[1].lower() not in _SPECIAL_TLDS)


def _plain_local(text: str, local: str, at: str) -> bool:
    return bool(at) and len(local) <= 64 and len(text) <= 254 and _PLAIN_LOCAL.fullmatch(local) is not None


def plain_email_domain(text: str) -> str | None:
    """The lower-cased domain of an address of the common plain shape, else None (no opinion)."""
    local, at, domain = text.partition("@")
    return domain.lower() if _plain_local(text, local, at) and _plain_domain(domain) else None


def plain_emails(values: np.ndarray) -> np.ndarray:
    """Whether each text is an address of the plain shape, as plain_email_domain says, each domain judged once.

    A column of a million addresses has a few thousand domains (gmail.com, orange.fr...), so the
    domain pattern runs per domain and only the short local part per address.
    """
    domains: dict[str, bool] = {}
    plain: list[bool] = []
    local_fits = _PLAIN_LOCAL.fullmatch
    for text in values:
        local, at, domain = text.partition("@")
        if at and len(local) <= 64 and len(text) <= 254 and local_fits(local) is not None:   # _plain_local, inlined
            known = domains.get(domain)
            plain.append(domains.setdefault(domain, _plain_domain(domain)) if known is None else known)
        else:
            plain.append(False)
    return np.array(plain, dtype=bool)


def email_domain(text: str) -> str | None:
    """The ASCII domain of a syntactically valid address (no DNS), or None when it is not one."""
    domain = plain_email_domain(text)
    if domain is not None:
        return domain
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(text, check_deliverability=False).ascii_domain
    except EmailNotValidError:
        return None


@dataclass
class DomainCheck:
    """Does a domain accept mail? One DNS lookup per domain, and none once DNS proves unusable.

    A probe domain that always has mail servers is looked up first: when it fails, this network's
    DNS is absent or lying, so no domain is judged (one note says so, rather than a finding per row).
    After `give_up_after` unanswered lookups in a row, the remaining domains are reported unchecked.
    """

    resolver: Any
    probe: str = "gmail.com"
    give_up_after: int = 3        # consecutive unanswered lookups before DNS counts as gone
    _verdicts: dict[str, str | None] = field(default_factory=dict, repr=False)
    _usable: bool | None = None
    _unanswered: int = 0

    def code(self, domain: str) -> str | None:
        if not self.usable():
            return None
        if domain not in self._verdicts:
            answered = self._unanswered < self.give_up_after
            self._verdicts[domain] = self._resolve(domain) if answered else "email.dns_unchecked"
        return self._verdicts[domain]

    def usable(self) -> bool:
        """Whether DNS answers here at all (the probe is looked up on first use)."""
        if self._usable is None:
            self._usable = self.resolver is not None and self._resolve(self.probe) is None
        return self._usable

    def notes(self) -> list[str]:
        if self._usable is False:
            return [f"--check-dns: no usable DNS here ({self.probe} did not resolve); email domains were not checked"]
        return []

    def _resolve(self, domain: str) -> str | None:
        import dns.resolver
        from email_validator import EmailUndeliverableError
        from email_validator.deliverability import validate_email_deliverability

        try:
            info = validate_email_deliverability(domain, domain, dns_resolver=self.resolver)
        except EmailUndeliverableError as exc:
            cause = exc.__cause__
            if cause is None or isinstance(cause, dns.resolver.NXDOMAIN | dns.resolver.NoAnswer):
                self._unanswered = 0
                return "email.undeliverable"
            self._unanswered += 1
            return "email.dns_unchecked"
        if "unknown-deliverability" in info:
            self._unanswered += 1
            return "email.dns_unchecked"
        self._unanswered = 0
        return None


def dns_resolver(timeout: float) -> Any:
    """A caching resolver with a short timeout, or None when this machine has no DNS configuration."""
    import dns.resolver
    from email_validator import caching_resolver

    try:
        return caching_resolver(timeout=timeout)   # type: ignore[arg-type]
    except (dns.resolver.NoResolverConfiguration, OSError):
        return None


@dataclass(frozen=True)
class EmailCheck:
    """Email syntax (email-validator, no network); with --check-dns, whether the domain takes mail."""

    name: ClassVar[str] = "email"
    role: ClassVar[Role | None] = Role.EMAIL
    hint: ClassVar[Role | None] = None
    codes: ClassVar[dict[str, str]] = {
        "email.invalid": "not a syntactically valid address",
        "email.multiple": "several valid addresses in one cell",
        "email.undeliverable": "the domain does not exist or takes no mail (--check-dns)",
        "email.dns_unchecked": "the domain could not be looked up (--check-dns without usable DNS)",
    }
    params: ClassVar[dict[str, str]] = {"dns_probe": "str"}

    dns: DomainCheck | None = None

    @classmethod
    def from_specs(cls, specs: dict[str, RuleSpec], ctx: CheckContext) -> Self:
        if not ctx.config.validate.check_dns:
            return cls()
        resolver = ctx.dns_resolver or dns_resolver(ctx.config.validate.dns_timeout)
        probe = next((s.param("dns_probe") for s in specs.values() if s.param("dns_probe")), "gmail.com")
        return cls(DomainCheck(resolver, probe))

    def check_many(self, values: np.ndarray, hints: np.ndarray) -> np.ndarray:
        """None for the addresses of the plain shape, UNSURE for the others (and for all with --check-dns:
        their domains are looked up by check(), in order)."""
        answers = np.full(len(values), UNSURE, dtype=object)
        if self.dns is None:
            answers[plain_emails(values)] = None
        return answers

    def check(self, value: str, hint: str = "") -> str | None:
        text = value.strip()
        if not text:
            return None
        domain = email_domain(text)
        if domain is None:
            parts = [p for p in _EMAIL_SEPARATORS.split(text) if p]
            several = len(parts) > 1 and all(email_domain(p) for p in parts)
            return "email.multiple" if several else "email.invalid"
        return self.dns.code(domain) if self.dns else None

    def notes(self) -> list[str]:
        """What the run should tell the user once (DNS was unusable)."""
        return self.dns.notes() if self.dns else []
