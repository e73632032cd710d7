"""The text normalizer: mojibake, invisible and repeated spaces, NFC, on FR/RO/VN/DE/ES/EN text."""

from __future__ import annotations

import pytest

from custclean.normalize.text import TextNormalizer, repair_mojibake, squeeze_lines


@pytest.mark.cases("text")
def test_text_cases(case, check_case, normalizer_for):
    check_case(normalizer_for("text"), case)


@pytest.mark.parametrize(
    ("broken", "repaired"),
    [("Ä‘á»©c", "đức"), ("Å’uvre", "Œuvre"), ("GarÃ§on", "Garçon"), ("Ã\u0091oÃ±o", "Ñoño")],
)
def test_repair_mojibake_undoes_cp1252_and_latin1_readings(broken, repaired):
    assert repair_mojibake(broken) == repaired


@pytest.mark.parametrize("real", ["café’s", "Ô™", "naïve", "Ærø", "Straße"])
def test_repair_mojibake_leaves_real_text(real):
    assert repair_mojibake(real) == real


def test_line_breaks_are_kept_and_normalized():
    assert squeeze_lines(" a \r\n\r\n b\u00a0 c ") == "a\n\nb c"


def test_every_column_is_covered(table_from):
    table = table_from([{"Nom": "RenÃ©", "Notes": " x "}], roles={})
    assert TextNormalizer.columns_of(table) == ["Nom", "Notes"]
