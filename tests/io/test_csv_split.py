"""A big UTF-8 CSV is parsed in two halves on two cores: the frame, the errors and the fallbacks must be
exactly those of one parse of the whole file, wherever the cut falls (quoted line breaks, CRLF, ragged rows)."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custclean.config import InputOptions
from custclean.errors import InputError
from custclean.io import csv as csvio
from custclean.parallel import can_fork

pytestmark = pytest.mark.skipif(not can_fork(), reason="the split parse needs fork")

CELLS = st.one_of(
    st.sampled_from(["Nguyễn Thị Hương", "Ştefan Ţăranu", "Cœurdacier", "Müller-Lüdenscheid", "García Núñez",
                     "02134", "NA", "null", "", " ", "+33 6 12 34 56 78", "=1+2", "a,b", 'il dit "oui"',
                     "ligne 1\nligne 2", "rue\r\nbis", '"', '""']),
    st.text(alphabet=st.sampled_from(list('ab,;"\n\r éăữ0')), max_size=8),
)


def _csv(rows: list[list[str]], newline: str, delimiter: str = ",") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=newline).writerows(rows)
    return out.getvalue().encode("utf-8")


def _read(data: bytes, split: bool, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(csvio, "SPLIT_BYTES", 1 if split else 1 << 62)
    try:
        return csvio.read_csv_bytes(data, "t.csv", InputOptions())
    except InputError as exc:
        return str(exc)


def _same(data: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    whole, halves = _read(data, False, monkeypatch), _read(data, True, monkeypatch)
    if isinstance(whole, str):
        assert halves == whole
        return
    assert halves.frame.equals(whole.frame)
    assert list(halves.frame.columns) == list(whole.frame.columns)
    assert halves.frame.index.equals(whole.frame.index)
    assert halves.source == whole.source


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(st.lists(CELLS, min_size=3, max_size=3), min_size=1, max_size=12),
    newline=st.sampled_from(["\n", "\r\n"]),
    ragged=st.booleans(),
)
def test_two_halves_read_as_the_whole(rows, newline, ragged):
    with pytest.MonkeyPatch.context() as monkeypatch:
        data = _csv([["prénom", "nom", "ville"], *rows], newline)
        if ragged:      # a short row and a blank line in the middle of the file
            data = data + b"seul\n\nLo\xc3\xafc,Dupont,N\xc3\xaemes\n"
        _same(data, monkeypatch)


def test_the_split_is_used_when_the_cut_ends_a_record():
    rows = [["prénom", "nom"]] + [[f"Hélène {i}", f"Lefèvre {i}"] for i in range(200)]
    frame = csvio._parse_split(_csv(rows, "\n"), ",")
    assert frame is not None
    assert frame.iloc[-1].tolist() == ["Hélène 199", "Lefèvre 199"]
    assert len(frame) == 201


def test_a_cut_inside_a_quoted_line_break_falls_back(monkeypatch):
    note = "adresse:\n" + "\n".join(f"ligne {i}" for i in range(100))     # one value spanning the middle
    data = _csv([["nom", "note"], ["Dupont", note], ["Martin", "ok"]], "\n")
    assert csvio._parse_split(data, ",") is None
    _same(data, monkeypatch)
    assert _read(data, True, monkeypatch).frame["note"].iloc[0] == note


@pytest.mark.parametrize("tail", [b"1,2,3,4\n", b'"unclosed,x\n', b"\xff\xfeoops,x\n"],
                         ids=["too-many-fields", "unclosed-quote", "not-utf8"])
def test_a_problem_in_the_second_half_reads_as_before(monkeypatch, tail):
    data = _csv([["a", "b", "c"]] + [["Đà Nẵng", "x", "y"]] * 50, "\n") + tail
    _same(data, monkeypatch)


def test_a_bom_and_semicolons_survive_the_split(monkeypatch):
    data = b"\xef\xbb\xbf" + _csv([["Prénom", "Ville"]] + [["Loïc", "Saint-Étienne"]] * 40, "\r\n", ";")
    _same(data, monkeypatch)
    table = _read(data, True, monkeypatch)
    assert (table.source.bom, table.source.delimiter, len(table.frame)) == (True, ";", 40)
