"""Rules users write without code: each kind, overriding shipped rules, and errors that say what to fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from custclean.config import Config
from custclean.errors import ConfigError
from custclean.ruleset import RuleSet
from custclean.validate import run_validation
from tests.conftest import make_table
from tests.validate.conftest import found

SHOP_RULES = """
[[rule]]
code = "shop.vat_missing"
check = "required_if"
column = "TVA intracom"
when = { role = "company", filled = true }
severity = "info"
message = "companies should have a VAT number"

[[rule]]
code = "shop.siret"
check = "regex"
column = "SIRET"
pattern = "\\\\d{14}"
severity = "warning"
message = "a SIRET has 14 digits"

[[rule]]
code = "shop.gender"
check = "allowed"
column = "sexe"                # matched to the "Sexe" header, folded
values = ["F", "M", "Femme", "Homme", "Nữ", "Nam", "Femeie", "Bărbat"]
fold = true
severity = "warning"
message = "unknown gender word"

[[rule]]
code = "shop.amount"
check = "range"
column = "Montant"
min = 0
max = 10000
severity = "warning"
message = "amount out of range"

[[rule]]
code = "shop.signup"
check = "range"
column = "Inscrit le"
min = 2000-01-01
max = "today"
severity = "warning"
message = "signup date out of range"

[[rule]]
code = "shop.email_unique"
check = "unique"
role = "email"
fold = true
severity = "error"
message = "two customers share an email"

[[rule]]
code = "shop.city"
check = "required"
role = "city"
severity = "warning"
message = "city missing"

[[rule]]
code = "shop.postable"
check = "required_any"
roles = ["street"]
columns = ["Boîte postale"]
severity = "info"
message = "no street and no PO box"

[[rule]]
code = "shop.b2b_company"
check = "required_if"
role = "company"
when = { column = "Type", in = ["b2b", "pro"] }
fold = true
severity = "error"
message = "a business customer needs a company name"

[[rule]]
code = "phone.invalid"         # a shipped rule: only its severity changes
severity = "warning"

[[rule]]
code = "postal_code.bad_format"
enabled = false
"""

HEADERS = ["Prénom", "Email", "Téléphone", "Société", "TVA intracom", "SIRET", "Sexe", "Montant", "Inscrit le",
           "Ville", "Adresse", "Boîte postale", "Type", "Pays", "Code postal"]
ROLES = {"Prénom": "first_name", "Email": "email", "Téléphone": "phone", "Société": "company", "Ville": "city",
         "Adresse": "street", "Pays": "country", "Code postal": "postal_code"}
ROWS = [  # one problem per row (row 1 has none)
    ["Jean", "jean@orange.fr", "", "Boulangerie Martin SARL", "FR12345678901", "12345678901234", "Homme", "1 234,50",
     "2019-03-01", "Lyon", "1 rue de la Paix", "", "B2B", "FR", "69001"],
    ["Ștefan", "stefan@yahoo.ro", "", "SC Ionescu SRL", "", "", "Bărbat", "", "", "Brașov", "Calea Victoriei 91", "",
     "", "RO", "500001"],                                                               # vat missing
    ["An", "an@gmail.com", "", "", "", "1234", "nam", "", "", "Hà Nội", "1 Tràng Tiền", "", "", "VN",
     "100000"],                                                                         # siret
    ["Klaus", "klaus@gmx.de", "", "", "", "", "Mann", "", "", "Berlin", "Unter den Linden 1", "", "", "DE", "10117"],
    ["Mike", "mike@aol.com", "", "", "", "", "M", "-5", "", "Boston", "1 Main St", "", "", "US", "02134"],  # amount
    ["Ana", "ana@telefonica.es", "", "", "", "", "F", "", "1999-12-31", "Madrid", "Gran Vía 1", "", "", "ES", "28013"],
    ["Amy", "AMY@BT.COM", "", "", "", "", "F", "", "", "London", "1 High St", "", "", "GB", "SW1A 1AA"],
    ["Amy", "amy@bt.com", "", "", "", "", "F", "", "", "", "2 High St", "", "", "GB", "SW1A 1AA"],   # dup + city
    ["Zoé", "zoe@free.fr", "06 12", "", "", "", "F", "", "", "Nice", "", "BP 12", "", "FR", "0600"],    # phone
    ["Luc", "luc@free.fr", "", "", "", "", "M", "", "", "Nice", "", "", "Pro", "FR", "06000"],      # postable + b2b
]


@pytest.fixture
def shop_rules(tmp_path: Path) -> Path:
    path = tmp_path / "our_shop.toml"
    path.write_text(SHOP_RULES, encoding="utf-8")
    return path


def _run(rules_files: list[Path], rules: RuleSet, rows=ROWS, headers=HEADERS, roles=ROLES, **validate):
    table = make_table([dict(zip(headers, r, strict=True)) for r in rows], roles)
    config = Config().override(validate={"rules": [str(p) for p in rules_files], **validate})
    return run_validation(table, config, rules)


def test_every_rule_kind(shop_rules, rules):
    result = _run([shop_rules], rules)
    shop = [(row, code) for row, code in found(result) if code.startswith("shop.") or code == "phone.invalid"]
    assert shop == [
        (2, "shop.vat_missing"), (3, "shop.siret"), (4, "shop.gender"), (5, "shop.amount"), (6, "shop.signup"),
        (7, "shop.email_unique"), (8, "shop.city"), (8, "shop.email_unique"), (9, "phone.invalid"),
        (10, "shop.b2b_company"), (10, "shop.postable"),
    ]


def test_a_user_rule_overrides_a_shipped_one_by_code(shop_rules, rules):
    result = _run([shop_rules], rules)
    severity = dict(zip(result.findings["code"], result.findings["severity"], strict=True))
    assert severity["phone.invalid"] == "warning"                        # was error
    assert "postal_code.bad_format" not in set(result.findings["code"])   # disabled; row 9 has "0600"
    message = result.findings.loc[result.findings["code"] == "phone.invalid", "message"].iloc[0]
    assert message == "not a valid phone number for the row's country"   # kept from the shipped rule


def test_a_rule_on_a_column_the_list_lacks_is_reported_once(shop_rules, rules):
    headers = [h for h in HEADERS if h != "SIRET"]
    rows = [[v for h, v in zip(HEADERS, r, strict=True) if h != "SIRET"] for r in ROWS]
    result = _run([shop_rules], rules, rows=rows, headers=headers)
    siret = result.findings[result.findings["code"] == "shop.siret"]
    assert len(siret) == 1
    assert siret["row"].isna().all()
    assert siret["message"].iloc[0] == "a SIRET has 14 digits (the list has no column 'SIRET')"


def test_required_from_the_config(rules):
    table = make_table([{"Numéro client": "", "company": "ACME", "email": "a@b.fr", "first_name": "Ana"},
                        {"Numéro client": "42", "company": "", "email": "c@d.fr", "first_name": "Bo"}],
                       {"company": "company", "email": "email", "first_name": "first_name"})
    config = Config().override(validate={"required": ["company", "Numéro client"]})
    result = run_validation(table, config, rules)
    assert found(result) == [(1, "required.Numéro client"), (2, "required.company")]


def test_rules_paths_in_custclean_toml_are_relative_to_it(tmp_path, monkeypatch, rules, shop_rules):
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "shop.toml").write_text(shop_rules.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "conf" / "custclean.toml").write_text('[validate]\nrules = ["shop.toml"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    config = Config.load(tmp_path / "conf" / "custclean.toml")
    table = make_table([dict(zip(HEADERS, r, strict=True)) for r in ROWS], ROLES)
    assert "shop.siret" in set(run_validation(table, config, rules).findings["code"])


def test_a_rules_folder_can_hold_validation_toml(tmp_path, rules):
    (tmp_path / "validation.toml").write_text('[[rule]]\ncode = "email.invalid"\nseverity = "info"\n', "utf-8")
    table = make_table([{"email": "nope", "first_name": "Ana"}])
    result = run_validation(table, Config(), RuleSet.load(tmp_path))
    assert result.findings.loc[result.findings["code"] == "email.invalid", "severity"].tolist() == ["info"]


BAD_RULES = """
[rules]
x = 1

[[rule]]
code = "shop.vat"
check = "requird_if"
column = "TVA"
severity = "error"
message = "m"

[[rule]]
code = "shop.siret"
check = "regex"
colum = "SIRET"
pattern = "(\\\\d"
severity = "eror"
message = "m"

[[rule]]
code = "shop.mail"
check = "required"
role = "emial"
severity = "info"
message = "m"

[[rule]]
code = "phone.invalidd"
severity = "warning"

[[rule]]
code = "email.invalid"
check = "regex"
role = "email"
pattern = ".+@.+"
severity = "error"
message = "m"

[[rule]]
check = "required"
role = "email"

[[rule]]
code = "shop.if"
check = "required_if"
role = "company"
when = { column = "Type", filed = true }
severity = "info"
message = "m"

[[rule]]
code = "shop.range"
check = "range"
column = "Montant"
severity = "info"
message = "m"
"""


def test_a_bad_rules_file_lists_every_problem_with_a_suggestion(tmp_path, rules):
    path = tmp_path / "bad.toml"
    path.write_text(BAD_RULES, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        _run([path], rules)
    problems = error.value.problems
    expected = [
        "bad.toml: unknown table 'rules' (did you mean 'rule'?)",
        "bad.toml rule 'shop.vat': unknown check 'requird_if' (did you mean 'required_if'?)",
        "bad.toml rule 'shop.siret': unknown key 'colum' (did you mean 'column'?)",
        "bad.toml rule 'shop.siret': severity must be one of error, warning, info, not 'eror' (did you mean 'error'?)",
        "bad.toml rule 'shop.siret': pattern is not a valid regular expression",
        "bad.toml rule 'shop.mail': role: unknown role 'emial' (did you mean 'email'?)",
        "bad.toml rule 'phone.invalidd': changes no existing rule (did you mean 'phone.invalid'?) and has no check",
        "bad.toml rule 'email.invalid': code 'email.invalid' belongs to the built-in check 'email'",
        "bad.toml rule 6: needs a code",
        "bad.toml rule 'shop.if': when unknown key 'filed' (did you mean 'filled'?)",
        "bad.toml rule 'shop.range': the range check needs min, max or both",
    ]
    missing = [e for e in expected if not any(p.startswith(e) for p in problems)]
    assert missing == [], "\n".join(problems)
    assert str(error.value).count("\n") == 0                       # one line for the CLI


def test_a_missing_rules_file_is_a_config_error(tmp_path, rules):
    with pytest.raises(ConfigError, match="rules file not found"):
        _run([tmp_path / "nope.toml"], rules)
