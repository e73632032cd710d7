"""Role detection: header synonyms in eight languages (with or without accents and case), then content."""

from __future__ import annotations

from pathlib import Path

import pytest

import custclean as cc
from custclean.roles import Role, detect_roles

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

# header as people write it -> role; every language custclean ships, accents dropped, odd case and spacing.
HEADERS = [
    ("Email", "email"), ("E-Mail", "email"), ("EMAIL", "email"), ("e_mail", "email"), ("Courriel", "email"),
    ("Adresse e-mail", "email"), ("Correo electrónico", "email"), ("Correo electronico", "email"),
    ("Indirizzo e-mail", "email"), ("Endereço de email", "email"), ("Adresă de email", "email"),
    ("Địa chỉ email", "email"), ("Dia chi email", "email"), ("Email 2", "email"),
    ("Téléphone", "phone"), ("TELEPHONE", "phone"), ("Tél. portable", "phone"), ("Tel.", "phone"),
    ("Handynummer", "phone"), ("Telefonnummer", "phone"), ("Teléfono", "phone"), ("Cellulare", "phone"),
    ("Telemóvel", "phone"), ("Nr. telefon", "phone"), ("Số điện thoại", "phone"), ("So dien thoai", "phone"),
    ("SĐT", "phone"), ("Phone 2", "phone"), ("Mobile phone", "phone"),
    ("Prénom", "first_name"), ("PRENOM", "first_name"), ("first_name", "first_name"), ("Vorname", "first_name"),
    ("Prenume", "first_name"), ("Given name", "first_name"), ("Primeiro nome", "first_name"),
    ("Last Name", "last_name"), ("Nachname", "last_name"), ("Apellidos", "last_name"), ("Cognome", "last_name"),
    ("Sobrenome", "last_name"), ("Surname", "last_name"), ("Nom de famille", "last_name"),
    ("Société", "company"), ("SOCIETE", "company"), ("Firma", "company"), ("Empresa", "company"),
    ("Azienda", "company"), ("Companie", "company"), ("Công ty", "company"), ("Cong ty", "company"),
    ("Raison sociale", "company"),
    ("Adresse", "street"), ("Straße", "street"), ("Strasse", "street"), ("Dirección", "street"),
    ("Indirizzo", "street"), ("Morada", "street"), ("Adresă", "street"), ("Địa chỉ", "street"),
    ("Address Line 1", "street"), ("Address 2", "street2"), ("Complément d'adresse", "street2"),
    ("Code postal", "postal_code"), ("CP", "postal_code"), ("ZIP Code", "postal_code"), ("PLZ", "postal_code"),
    ("Código postal", "postal_code"), ("CAP", "postal_code"), ("Cod poștal", "postal_code"),
    ("Cod postal", "postal_code"), ("Mã bưu điện", "postal_code"), ("Zip/Postal Code", "postal_code"),
    ("Ville", "city"), ("Stadt", "city"), ("Ort", "city"), ("Ciudad", "city"), ("Città", "city"),
    ("Cidade", "city"), ("Oraș", "city"), ("Localitate", "city"), ("Thành phố", "city"), ("Town/City", "city"),
    ("Pays", "country"), ("Land", "country"), ("País", "country"), ("Paese", "country"), ("Țara", "country"),
    ("Tara", "country"), ("Quốc gia", "country"), ("Quoc gia", "country"),
    ("Date de naissance", "birth_date"), ("DOB", "birth_date"), ("Geburtsdatum", "birth_date"),
    ("Fecha de nacimiento", "birth_date"), ("Data di nascita", "birth_date"), ("Data de nascimento", "birth_date"),
    ("Data nașterii", "birth_date"), ("Data nasterii", "birth_date"), ("Ngày sinh", "birth_date"),
    ("Inscrit le", "date"), ("Date d'inscription", "date"), ("Created At", "date"), ("Fecha de alta", "date"),
    ("Erstellt am", "date"), ("Ngày đăng ký", "date"),
    ("Sexe", "gender"), ("Geschlecht", "gender"), ("Sexo", "gender"), ("Sesso", "gender"), ("Giới tính", "gender"),
    ("Désinscrit", "opt_out"), ("Désabonné", "opt_out"), ("Unsubscribed", "opt_out"), ("Opt-out", "opt_out"),
    ("Abgemeldet", "opt_out"), ("Dezabonat", "opt_out"), ("Hủy đăng ký", "opt_out"),
    ("ID", "id"), ("Customer ID", "id"), ("N° client", "id"), ("Kundennummer", "id"), ("Cod client", "id"),
    ("Mã khách hàng", "id"),
    ("Civilité", "title"), ("Anrede", "title"), ("Județ", "region"), ("Bundesland", "region"),
    ("Provincia", "region"), ("Nom complet", "full_name"), ("Họ và tên", "full_name"), ("Ho va ten", "full_name"),
    ("Nume și prenume", "full_name"), ("Nombre completo", "full_name"), ("Fonction", "job_title"),
    ("Chức vụ", "job_title"),
]


@pytest.fixture(scope="session")
def synonyms(rules):
    return rules.header_synonyms()


@pytest.mark.parametrize(("header", "role"), HEADERS, ids=[h for h, _ in HEADERS])
def test_header_synonym(header, role, synonyms):
    detected = detect_roles([header], {}, synonyms).role_of(header)
    assert detected == Role(role), f"{header!r}: detected {detected}, expected {role}"


@pytest.mark.parametrize(
    ("headers", "column", "role"),
    [
        (["Nom"], "Nom", "full_name"),                       # "Nom" alone is the whole name ...
        (["Prénom", "Nom"], "Nom", "last_name"),             # ... next to "Prénom" it is the family name
        (["Nume", "Prenume"], "Nume", "last_name"),
        (["Nume"], "Nume", "full_name"),
        (["Name", "Company"], "Name", "full_name"),
        (["First name", "Name"], "Name", "last_name"),
        (["Họ", "Tên"], "Tên", "first_name"),
    ],
)
def test_header_that_depends_on_its_partner(headers, column, role, synonyms):
    assert detect_roles(headers, {}, synonyms).role_of(column) == Role(role)


def test_a_word_inside_a_longer_header_counts_only_when_the_content_agrees(synonyms):
    samples = {
        "Numéro de portable": ["06 12 34 56 78", "+33 7 81 22 33 44"],
        "Email verified": ["yes", "no", "yes"],           # "email" inside, but the values are not emails
        "Newsletter opt-out": ["oui", "non", ""],
        "Ville de naissance": ["Lyon", "Nice"],           # two roles inside ("ville", "naissance"): none
    }
    roles = detect_roles(list(samples), samples, synonyms)
    assert roles.role_of("Numéro de portable") == Role.PHONE
    assert roles.role_of("Email verified") is None
    assert roles.role_of("Newsletter opt-out") == Role.OPT_OUT
    assert roles.role_of("Ville de naissance") is None
    assert next(d for d in roles.detections if d.column == "Numéro de portable").how == "header words"


def test_content_fallback_for_unknown_headers(synonyms):
    samples = {
        "col1": ["ana@yahoo.ro", "IOANA.POP@GMAIL.COM", "", "b@c.de"],
        "col2": ["0721 123 456", "+40 745 000 111", "(617) 482-3310", ""],
        "col3": ["12/03/1985", "1990-01-31", "3.4.2001"],
        "col4": ["Dupont", "Martin", "Nguyễn"],
        "col5": ["", "", ""],
    }
    roles = detect_roles(list(samples), samples, synonyms)
    assert [roles.role_of(c) for c in samples] == [Role.EMAIL, Role.PHONE, Role.DATE, None, None]
    assert all(d.how == "content" for d in roles.detections)


def test_mapping_wins_and_its_column_gets_no_second_role(synonyms):
    roles = detect_roles(["Email", "Contact"], {}, synonyms, mapping={"email": "Contact"})
    assert roles.role_of("Contact") == Role.EMAIL
    assert roles.columns(Role.EMAIL) == ("Email", "Contact")
    assert next(d for d in roles.detections if d.column == "Contact").how == "config"


def test_shipped_header_synonyms_have_no_conflicts(synonyms):
    assert len(synonyms.exact) > 300
    assert all(isinstance(role, Role) for role in synonyms.exact.values())


EXPECTED_ROLES = {
    "customers_multilang.csv": {
        "ID": "id", "Prénom": "first_name", "Nom": "last_name", "Email": "email", "Téléphone": "phone",
        "Société": "company", "Adresse": "street", "Code postal": "postal_code", "Ville": "city", "Pays": "country",
        "Date de naissance": "birth_date", "Inscrit le": "date", "Sexe": "gender", "Désinscrit": "opt_out",
        "Notes": None,
    },
    "clients_fr_cp1252.csv": {
        "Civilité": "title", "Prénom": "first_name", "Nom": "last_name", "Adresse": "street", "CP": "postal_code",
        "Ville": "city", "Pays": "country", "Tél. portable": "phone", "Courriel": "email",
        "Date de naissance": "birth_date", "Désabonné": "opt_out",
    },
    "clienti_ro.xlsx": {
        "Nume": "last_name", "Prenume": "first_name", "Telefon": "phone", "E-mail": "email", "Adresa": "street",
        "Localitate": "city", "Județ": "region", "Cod poștal": "postal_code", "Țara": "country",
        "Data nașterii": "birth_date",
    },
}


@pytest.mark.parametrize("name", sorted(EXPECTED_ROLES))
def test_every_role_of_the_examples(name):
    table = cc.read(EXAMPLES / name)
    found = {c: (table.roles.role_of(c).value if table.roles.role_of(c) else None) for c in table.columns}
    assert found == EXPECTED_ROLES[name]
