"""The text normalizer: mojibake, invisible and repeated spaces, NFC, on FR/RO/VN/DE/ES/EN text."""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


def _without_fast_paths(value: str):
    return TextNormalizer().to_fixed_point(value)


_LETTERS = "aZé e\u0301ȘșşțĐđưỡßÃ©â€™Ä‘Â\u00a0\u2009\u200b\u00ad\ufeff\t\r\n\u2028\x85\x81 ,'-"


@settings(max_examples=400, deadline=None)
@given(value=st.text(alphabet=_LETTERS, max_size=12) | st.text(max_size=8))
def test_fast_paths_give_the_full_answer(value):
    assert TextNormalizer().normalize(value) == _without_fast_paths(value)


def test_regex_spaces_are_exactly_python_spaces():
    """The fast path relies on \\s meaning str.isspace, for every code point."""
    spaces = re.compile(r"\s")
    assert all(bool(spaces.match(chr(code))) == chr(code).isspace() for code in range(sys.maxunicode + 1))


@pytest.mark.parametrize("value", ["Nguyễn Văn An", "Ștefan Popescu", "Straße 5", "Ærø", "José García"])
def test_clean_accented_text_is_left_alone(value):
    assert TextNormalizer().normalize(value) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Nguyễn\u00a0Văn An", "Nguyễn Văn An"), ("Ștefan  Popescu", "Ștefan Popescu"), ("Jos\u00e9\u200b", "José"),
     ("Jose\u0301", "José"), ("RenÃ©e Dubois", "Renée Dubois")],
)
def test_accented_text_with_work_left_is_still_fixed(value, expected):
    assert TextNormalizer().normalize(value).value == expected
