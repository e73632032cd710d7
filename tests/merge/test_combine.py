"""Several lists whose headers differ in name and language, aligned by role and merged across files."""

from __future__ import annotations

import openpyxl
import pytest

import custclean as cc
from custclean.merge.combine import combine

FR = (
    "Prénom;Nom;Courriel;Téléphone;Ville;Pays;Remarques\n"
    "Jérôme;Faure;jfaure@hotmail.fr;07 78 90 76 61;Marseille;France;client fidèle\n"
    "Ștefan;Popescu;stefan.popescu@gmail.com;+40 721 000 111;București;Roumanie;\n"
    "Céline;Martin;celine.martin@free.fr;06 11 22 33 44;Lille;France;\n"
)
EN = [
    ["First name", "Last name", "E-mail", "Mobile", "City", "Country", "Loyalty tier"],
    ["William", "Wilson", "wilson.william76@hotmail.com", "617-207-3884", "Boston", "USA", "gold"],
    ["Jerome", "FAURE", "JFaure@hotmail.fr", "+33 7 78 90 76 61", "Marseille", "FR", "silver"],
]
RO = (
    "Prenume,Nume,Adresă de email,Telefon,Oraș,Județ,Țară\n"
    "Stefan,Popescu,stefan.popescu@gmail.com,0721 000 111,Bucuresti,Sector 1,România\n"
    "Ana,Ionescu,ana.ionescu@yahoo.ro,0744 555 666,Cluj-Napoca,Cluj,România\n"
)


@pytest.fixture
def three_files(tmp_path):
    fr = tmp_path / "clients_fr.csv"
    fr.write_text(FR, encoding="utf-8")
    en = tmp_path / "customers_en.xlsx"
    book = openpyxl.Workbook()
    for row in EN:
        book.active.append(row)
    book.save(en)
    ro = tmp_path / "clienti_ro.csv"
    ro.write_text(RO, encoding="utf-8")
    return [cc.read(p) for p in (fr, en, ro)]


def test_columns_are_aligned_by_role_with_the_first_files_headers(three_files):
    combined = combine(three_files)
    table = combined.table
    assert table.columns == ["Prénom", "Nom", "Courriel", "Téléphone", "Ville", "Pays", "Remarques",
                             "Loyalty tier", "Județ", "source"]
    assert table.roles.column(cc.Role.EMAIL) == "Courriel"
    assert table.roles.column(cc.Role.REGION) == "Județ"
    assert table.frame["Courriel"].tolist() == [
        "jfaure@hotmail.fr", "stefan.popescu@gmail.com", "celine.martin@free.fr", "wilson.william76@hotmail.com",
        "JFaure@hotmail.fr", "stefan.popescu@gmail.com", "ana.ionescu@yahoo.ro"]
    assert table.frame.loc[4, ["Prénom", "Téléphone", "Loyalty tier", "Remarques"]].tolist() == [
        "William", "617-207-3884", "gold", ""]
    assert table.frame["source"].tolist() == ["clients_fr.csv"] * 3 + ["customers_en.xlsx"] * 2 + ["clienti_ro.csv"] * 2
    assert table.origins().loc[7].tolist() == ["clienti_ro.csv", 2]
    assert combined.columns["clienti_ro.csv"]["Adresă de email"] == "Courriel"


def test_merge_finds_duplicates_across_files_and_the_first_file_wins(three_files):
    result = cc.merge(three_files)
    frame = result.table.frame
    assert len(frame) == 5
    faure = frame.loc[1]
    assert faure["merged_from"] == "clients_fr.csv:1;customers_en.xlsx:2"
    assert faure["source"] == "clients_fr.csv | customers_en.xlsx"
    assert (faure["Prénom"], faure["Loyalty tier"], faure["Remarques"]) == ("Jérôme", "silver", "client fidèle")
    assert frame.loc[2, "merged_from"] == "clients_fr.csv:2;clienti_ro.csv:1"
    assert frame.loc[2, ["Prénom", "Ville", "Județ"]].tolist() == ["Ștefan", "București", ""]
    assert result.merges["source_file"].tolist() == [
        "clients_fr.csv", "customers_en.xlsx", "clients_fr.csv", "clienti_ro.csv"]
    assert result.merges["source_row"].tolist() == [1, 2, 2, 1]
