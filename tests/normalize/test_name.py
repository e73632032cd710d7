"""Names: shouting re-cased with care, Romanian ș ț, titles and suffixes split off, full names split."""

from __future__ import annotations

import pytest

from custclean.normalize.base import NormalizerStep
from custclean.pipeline import run_steps
from custclean.roles import Role


@pytest.mark.cases("full_name")
def test_full_name_cases(case, check_case, normalizer_for):
    check_case(normalizer_for("full_name"), case)


@pytest.mark.cases("first_name")
def test_first_name_cases(case, check_case, normalizer_for):
    check_case(normalizer_for("first_name"), case)


@pytest.mark.cases("last_name")
def test_last_name_cases(case, check_case, normalizer_for):
    check_case(normalizer_for("last_name"), case)


@pytest.mark.parametrize(
    ("value", "hint", "first", "last"),
    [
        ("Jean Dupont", "FR", "Jean", "Dupont"),
        ("JEAN PIERRE DUPONT", "FR", "Jean Pierre", "Dupont"),
        ("Jan van der Berg", "NL", "Jan", "van der Berg"),
        ("Marine Le Pen", "FR", "Marine", "Le Pen"),
        ("SMITH, JOHN", "US", "John", "Smith"),
        ("Nguyễn Văn An", "VN", "Văn An", "Nguyễn"),
        ("Nguyễn Văn An", "", "Văn An", "Nguyễn"),       # no country: a Vietnamese family name first
        ("Le Van An", "", "Van An", "Le"),
        ("Minh Nguyen", "", "Minh", "Nguyen"),            # family name last: Western order
        ("Nguyen Van An", "FR", "Nguyen Van", "An"),      # the row's country decides
        ("Dr. Ana López", "ES", "Ana", "López"),
    ],
)
def test_split_names(value, hint, first, last, normalizer_for):
    outcome = normalizer_for("full_name", split_names=True).normalize(value, hint)
    cells = dict(outcome.extra)
    assert (cells[Role.FIRST_NAME], cells[Role.LAST_NAME]) == (first, last)


@pytest.mark.parametrize(("value", "hint"), [("Juan García López", "ES"), ("Mr and Mrs Smith", "GB"), ("Madonna", "")])
def test_split_names_does_not_guess(value, hint, normalizer_for):
    outcome = normalizer_for("full_name", split_names=True).normalize(value, hint)
    assert outcome is None or Role.FIRST_NAME not in dict(outcome.extra)


def test_step_moves_titles_to_a_new_column_and_fills_only_empty_cells(table_from, normalizer_for):
    table = table_from([
        {"full_name": "Dr. Jean Dupont", "first_name": "", "last_name": ""},
        {"full_name": "Mme Marie Curie", "first_name": "Maria", "last_name": ""},
    ])
    run = run_steps(table, [NormalizerStep(normalizer_for("full_name", split_names=True))])
    frame = run.table.frame
    assert list(frame["full_name"]) == ["Jean Dupont", "Marie Curie"]
    assert list(frame["title"]) == ["Dr", "Mme"]
    assert list(frame["first_name"]) == ["Jean", "Maria"]      # the user's "Maria" is kept
    assert list(frame["last_name"]) == ["Dupont", "Curie"]
    assert run.table.roles.column(Role.TITLE) == "title"
