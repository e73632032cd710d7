"""Email syntax fast path, and --check-dns: one lookup per domain, never failing a run without DNS."""

from __future__ import annotations

from types import SimpleNamespace

import dns.exception
import dns.resolver
from email_validator import validate_email
from hypothesis import given, settings
from hypothesis import strategies as st

from custclean.config import Config
from custclean.validate.emails import DomainCheck, plain_email_domain
from tests.validate.conftest import found


class FakeResolver:
    """Answers like a DNS server would: `answers` maps a domain to mx | nomail | nxdomain | timeout."""

    def __init__(self, answers: dict[str, str], default: str = "nxdomain") -> None:
        self.answers, self.default, self.asked = answers, default, []

    def resolve(self, domain: str, rdtype: str):
        self.asked.append(domain)
        kind = self.answers.get(domain, self.default)
        if kind == "timeout":
            raise dns.exception.Timeout
        if kind == "nxdomain":
            raise dns.resolver.NXDOMAIN
        if kind == "mx" and rdtype == "MX":
            return [SimpleNamespace(preference=10, exchange=f"mx.{domain}.")]
        raise dns.resolver.NoAnswer


_ATOM = st.from_regex(r"[A-Za-z0-9_%+-]{1,8}", fullmatch=True)
_LABEL = st.from_regex(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,6}[A-Za-z0-9])?", fullmatch=True)
_TLD = st.from_regex(r"[A-Za-z]{2,6}", fullmatch=True) | st.sampled_from(["test", "local", "onion", "arpa", "invalid"])
PLAIN = st.builds(
    lambda local, labels, tld: f"{'.'.join(local)}@{'.'.join([*labels, tld])}",
    st.lists(_ATOM, min_size=1, max_size=3), st.lists(_LABEL, min_size=1, max_size=3), _TLD,
)


@settings(max_examples=100, deadline=None)
@given(PLAIN)
def test_the_fast_path_never_accepts_what_email_validator_refuses(address):
    domain = plain_email_domain(address)
    if domain is not None:
        assert validate_email(address, check_deliverability=False).ascii_domain == domain


def _dns_run(validate, emails, resolver):
    config = Config().override(validate={"check_dns": True})
    return validate([{"email": e, "first_name": "Ana"} for e in emails], config=config, resolver=resolver)


def test_dns_finds_domains_that_take_no_mail(validate):
    resolver = FakeResolver({"gmail.com": "mx", "orange.fr": "mx", "nomail.ro": "nomail", "slow.vn": "timeout"})
    emails = ["ana@orange.fr", "ion@nu-exista-deloc.ro", "ion@nomail.ro", "an@slow.vn", "bob@orange.fr", "bad@"]
    result = _dns_run(validate, emails, resolver)
    assert found(result) == [
        (2, "email.undeliverable"), (3, "email.undeliverable"), (4, "email.dns_unchecked"), (6, "email.invalid"),
    ]
    assert resolver.asked.count("orange.fr") == 1                     # one lookup per domain
    severities = dict(zip(result.findings["code"], result.findings["severity"], strict=True))
    assert severities["email.undeliverable"] == "warning"
    assert severities["email.dns_unchecked"] == "info"


def test_a_network_whose_dns_answers_nothing_judges_no_domain(validate):
    resolver = FakeResolver({}, default="nxdomain")                  # even gmail.com "does not exist"
    result = _dns_run(validate, ["ana@orange.fr", "ion@yahoo.ro", "bad@"], resolver)
    assert found(result) == [(3, "email.invalid")]                   # syntax is still checked
    assert resolver.asked == ["gmail.com"]                           # the probe only
    assert result.warnings == [
        "--check-dns: no usable DNS here (gmail.com did not resolve); email domains were not checked"
    ]


def test_no_dns_configuration_means_no_verdict():
    check = DomainCheck(resolver=None)
    assert check.code("orange.fr") is None
    assert len(check.notes()) == 1


def test_lookups_stop_after_repeated_timeouts():
    resolver = FakeResolver({"gmail.com": "mx"}, default="timeout")
    check = DomainCheck(resolver, give_up_after=3)
    codes = [check.code(f"d{i}.fr") for i in range(10)]
    assert codes == ["email.dns_unchecked"] * 10
    assert len(resolver.asked) == 1 + 3
    assert check.notes() == []
