"""Mailing preparation: opt-out lists by email or phone, the opt-out column, reachability, reasons."""

from __future__ import annotations

import pytest
from tests.conftest import make_table
from tests.merge.conftest import RULES, people

import custclean as cc
from custclean.merge.plan import opt_out_words
from custclean.merge.suppress import suppress_rows, suppression_list

TRUTHY = opt_out_words(RULES)

CONTACTS = [
    {"Email": "Martin.Celine90@Free.fr", "Téléphone": "", "Adresse": "3 rue Nationale", "Code postal": "59000",
     "Ville": "Lille", "Pays": "FR", "Désinscrit": ""},
    {"Email": "", "Téléphone": "0751 000 079", "Adresse": "Str. Lipscani 5", "Code postal": "030031",
     "Ville": "București", "Pays": "RO", "Désinscrit": "nu"},
    {"Email": "lan_vu61@gmail.com", "Téléphone": "", "Adresse": "Số 61 phố Huế", "Code postal": "",
     "Ville": "Hà Nội", "Pays": "VN", "Désinscrit": "có"},
    {"Email": "jdupont@orange", "Téléphone": "+33 6 12 34 56 78", "Adresse": "12 rue de la Paix",
     "Code postal": "75002", "Ville": "Paris", "Pays": "", "Désinscrit": "non"},
    {"Email": "ana.ionescu@yahoo.ro", "Téléphone": "", "Adresse": "Bd. Unirii 10", "Code postal": "400000",
     "Ville": "Cluj-Napoca", "Pays": "RO", "Désinscrit": "Oui"},
    {"Email": "hans.mueller@web.de", "Téléphone": "0171 7403558", "Adresse": "Hauptstraße 1", "Code postal": "10115",
     "Ville": "Berlin", "Pays": "DE", "Désinscrit": "nein"},
]


def optouts(rows: list[dict[str, str]], name: str = "optouts.csv", region: str | None = None):
    table = make_table(rows, roles={c: c for c in ("email", "phone", "country") if any(c in r for r in rows)},
                       name=name)
    return suppression_list(table, region)


def test_list_matches_emails_case_insensitively_and_phones_in_any_format():
    listed = optouts([{"email": "mailto:martin.celine90@free.fr", "phone": ""},
                      {"email": "", "phone": "0040 751 000 079"},
                      {"email": "", "phone": "+49 171 7403558"}])
    done = suppress_rows(people(CONTACTS), [listed], None, TRUTHY)
    listed_reason = "suppression_list:optouts.csv"
    assert dict(zip(done.suppressed["row"], done.suppressed["reason"], strict=True)) == {
        1: listed_reason, 2: listed_reason, 3: "opt_out", 5: "opt_out", 6: listed_reason}
    assert done.table.frame.index.tolist() == [4]


def test_the_opt_out_column_is_honoured_in_every_language():
    done = suppress_rows(people(CONTACTS), [], None, TRUTHY)
    assert dict(zip(done.suppressed["row"], done.suppressed["reason"], strict=True)) == {3: "opt_out", 5: "opt_out"}
    assert done.stats == {"opt_out": 2}


def test_for_mailing_email_keeps_rows_with_a_valid_email():
    done = suppress_rows(people(CONTACTS), [], "email", TRUTHY)
    reasons = dict(zip(done.suppressed["row"], done.suppressed["reason"], strict=True))
    assert reasons == {2: "no_valid_email", 3: "opt_out", 4: "no_valid_email", 5: "opt_out"}


def test_for_mailing_postal_needs_street_postal_code_city_and_country():
    done = suppress_rows(people(CONTACTS), [], "postal", TRUTHY)
    reasons = dict(zip(done.suppressed["row"], done.suppressed["reason"], strict=True))
    assert reasons == {3: "opt_out", 4: "incomplete_postal_address", 5: "opt_out"}
    domestic = suppress_rows(people(CONTACTS), [], "postal", TRUTHY, default_region="FR")
    assert 4 not in set(domestic.suppressed["row"])        # no country: the default region counts


def test_the_first_reason_wins_and_lists_keep_their_order():
    first = optouts([{"email": "ana.ionescu@yahoo.ro"}], "a.csv")
    second = optouts([{"email": "ana.ionescu@yahoo.ro"}, {"email": "hans.mueller@web.de"}], "b.xlsx")
    done = suppress_rows(people(CONTACTS), [first, second], "email", TRUTHY)
    reasons = dict(zip(done.suppressed["row"], done.suppressed["reason"], strict=True))
    assert reasons[5] == "suppression_list:a.csv"
    assert reasons[6] == "suppression_list:b.xlsx"


def test_suppressed_rows_are_kept_in_full_with_their_reason_first():
    done = suppress_rows(people(CONTACTS), [], None, TRUTHY)
    assert done.suppressed.columns.tolist() == ["row", "reason", *people(CONTACTS).columns]
    assert done.suppressed.iloc[0]["Ville"] == "Hà Nội"


def test_a_list_without_header_or_roles_is_read_by_its_content():
    bare = make_table([{"jdupont@orange.fr": "hans.mueller@web.de"}, {"jdupont@orange.fr": "x@y.ro"}], roles={})
    listed = suppression_list(bare)
    assert listed.emails == {"jdupont@orange.fr", "hans.mueller@web.de", "x@y.ro"}


def test_a_list_with_neither_email_nor_phone_is_refused():
    table = make_table([{"nom": "Dupont"}], roles={}, name="noms.csv")
    with pytest.raises(cc.ConfigError, match=r"noms\.csv: no email or phone column"):
        suppression_list(table)


def test_unknown_mailing_channel_is_a_config_error():
    with pytest.raises(cc.ConfigError, match="--for-mailing takes email or postal, not 'sms'"):
        suppress_rows(people(CONTACTS), [], "sms", TRUTHY)


def test_api_suppress_reads_the_lists_named_in_the_config(tmp_path):
    source = tmp_path / "optouts.csv"
    source.write_text("Courriel;Motif\nHANS.MUELLER@web.de;RGPD\n", encoding="utf-8")
    config = cc.Config().override(merge={"suppress": [str(source)]})
    result = cc.suppress(people(CONTACTS), config=config)
    assert result.suppressed["reason"].tolist() == ["opt_out", "opt_out", "suppression_list:optouts.csv"]
    assert len(result.table) + len(result.suppressed) == result.input_rows
    assert result.stats["suppress"]["reasons"] == {"opt_out": 2, "suppression_list:optouts.csv": 1}
