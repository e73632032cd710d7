"""The email normalizer: wrappers, case, spaces, IDN, provider typos and invalid addresses."""

from __future__ import annotations

import pytest

from custclean.errors import ConfigError
from custclean.normalize import email as email_module
from custclean.normalize.base import Fix, Unclear
from custclean.normalize.email import DomainTypos, _slow_normalize, plain_ascii_address


@pytest.mark.cases("email")
def test_email_cases(case, check_case, normalizer_for):
    check_case(normalizer_for("email"), case)


def test_typo_fixing_can_be_turned_off(normalizer_for):
    normalizer = normalizer_for("email", fix_email_typos=False)
    assert normalizer.normalize("jean@gmial.com") is None
    assert normalizer.normalize("Jean@Gmial.com") == Fix("jean@gmial.com", "email.lowercase")


def test_a_typo_that_is_a_real_domain_is_never_rewritten():
    typos = DomainTypos.from_data(
        {"typos": {"gmx.de": ["gmx.com", "gmxx.de"]}, "real": {"domains": ["gmx.com"]}, "tld_typos": {"de": ["dr"]}}
    )
    assert typos.fixes == {"gmxx.de": "gmx.de", "gmx.dr": "gmx.de"}


def test_a_typo_listed_under_two_providers_is_refused():
    with pytest.raises(ConfigError, match=r"gmal\.com"):
        DomainTypos.from_data({"typos": {"gmail.com": ["gmal.com"], "gmx.com": ["gmal.com"]}})


def test_shipped_typos_are_not_real_domains(rules):
    data = rules.data("email_domains")
    real = set(data["typos"]) | set(data["real"]["domains"])
    assert not set(DomainTypos.from_data(data).fixes) & real


@pytest.mark.parametrize(
    "address",
    [
        "jean.dupont@gmail.com", "a+b@x.co.uk", "o'brien@example.ie", "x_y-z@sub-domain.example.org",
        "{weird}|~@example.com", "a@b.cd",
    ],
)
def test_fast_path_only_accepts_what_email_validator_accepts(address):
    assert plain_ascii_address(address)
    assert _slow_normalize(address) == address


@pytest.mark.parametrize(
    "address",
    ["a@b", "a@localhost", "a@x.test", "a@xn--caf-dma.fr", "a..b@x.fr", ".a@x.fr", "a@x..fr", "a@x.f1", "é@x.fr",
     "a@-x.fr", "a@x-.fr", "A@X.FR", "a@ab--cd.fr", f"{'a' * 65}@x.fr"],
)
def test_fast_path_leaves_doubtful_addresses_to_email_validator(address):
    assert not plain_ascii_address(address)


def test_unclear_leaves_cell_as_written(normalizer_for):
    assert normalizer_for("email").normalize(" Jean Dupont ") == Unclear("email.invalid")


TRICKY_EMAILS = (
    "Jean.Dupont@Gmail.com", "JEAN@EXAMPLE.FR", "jean@café.fr", "jean@xn--caf-dma.fr", "JEAN@CAFÉ.FR",
    '"jean dupont"@example.com', '"a..b"@example.com', "a..b@example.com", "a.@example.com", ".a@example.com",
    "a@example.com.", "a@example..com", "a@localhost", "a@x.test", "ngọc.trần@ví-dụ.vn", "ana@exemplu.ro ",
    "mailto:Ana@Exemplu.ro", "Ana <ana@exemplu.ro>", "ana @ exemplu . ro", "jean@gmial.com", "Jean@Gmial.Com",
    "a@b@c.fr", "x@x.f1", "o'brien@example.ie", "{weird}|~@example.com", "ü@example.de", "a" * 65 + "@x.fr",
)


def test_tricky_addresses_read_as_email_validator_alone(normalizer_for, monkeypatch):
    """The plain-ASCII shortcut only ever agrees with email-validator: turning it off changes no answer."""
    normalizer = normalizer_for("email")
    fast = [normalizer.normalize(address) for address in TRICKY_EMAILS]
    monkeypatch.setattr(email_module, "plain_ascii_address", lambda address: False)
    assert [normalizer.normalize(address) for address in TRICKY_EMAILS] == fast
    assert Fix("jean@café.fr", "email.idn") in fast
    assert Fix("ana@exemplu.ro", "email.wrapper") in fast
    assert fast.count(Unclear("email.invalid")) >= 6
