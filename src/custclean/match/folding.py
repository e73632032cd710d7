"""Folding many values at once: `fold` of every distinct value of a column in a few C-level passes.

`fold` (custclean.text) takes accents, case and punctuation away one value at a time; match keys fold a
million distinct names and streets, so here the values are joined by newlines and folded as one text,
plain ASCII values apart from the others (they need no accent stripping, which costs the most).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import numpy as np

from custclean.match.arrays import as_objects
from custclean.text import EXTRA_FOLDS, INVISIBLE, fold

BATCH_FOLD_FROM = 2000      # fewer distinct values are folded one by one (the batch has a fixed cost)
_PUNCT = re.compile(r"[^\w\s]")
_ASCII_PUNCT = {c: " " for c in range(128) if _PUNCT.match(chr(c))}     # _PUNCT.sub(" ", ...) for ASCII text


def fast_fold(value: str) -> str:
    """`fold`, with a shortcut for plain ASCII text (most values), which needs no accent stripping."""
    if value.isascii():
        return " ".join(_PUNCT.sub(" ", value.lower()).split())
    return fold(value)


def _char_class(chars: Iterable[str]) -> re.Pattern[str]:
    return re.compile("[" + "".join(re.escape(c) for c in sorted(chars)) + "]")


def _strip_accents(decomposed: str) -> str:
    """text.strip_accents after NFKD, with one regex over the few marks and letters the text holds."""
    chars = set(decomposed)
    marks = [c for c in chars if unicodedata.combining(c)]
    if marks:
        decomposed = _char_class(marks).sub("", decomposed)
    letters = [c for c in chars if ord(c) in EXTRA_FOLDS]
    if letters:
        decomposed = _char_class(letters).sub(lambda m: EXTRA_FOLDS[ord(m.group())], decomposed)
    return decomposed


def _squeeze_lines(text: str) -> list[str]:
    """Each line with its runs of spaces (any kind) made one space and no space at either end.

    str.split() splits on exactly the characters str.isspace() calls spaces; lines are marked with a NUL,
    which folded text never holds (it is punctuation), so one split and join squeeze every line at once.
    """
    joined = " ".join(text.replace("\n", "\0").split())
    return joined.replace(" \0", "\0").replace("\0 ", "\0").split("\0")


def _fold_batch(values: list[str]) -> list[str] | None:
    """fold of values joined by newlines (None when a value holds one); ASCII text needs no NFKD."""
    text = "\n".join(values)
    if text.count("\n") != len(values) - 1:
        return None
    if text.isascii():
        return _squeeze_lines(text.lower().translate(_ASCII_PUNCT))
    text = _strip_accents(unicodedata.normalize("NFKD", text)).casefold()
    return _squeeze_lines(INVISIBLE.sub("", _PUNCT.sub(" ", text)))


def fold_many(values: Iterable[str], batch_from: int | None = None) -> list[str]:
    """`fast_fold` of every value, computed on all of them joined by newlines in a few C-level passes.

    Each step of `fold` works character by character (NFKD never reorders across a newline) or on runs
    of spaces, which the newline ends, so the joined text folds into the values' own folds. Plain ASCII
    values (most of them) are folded apart from the others, as the accent-stripping passes cost far more.
    """
    values = list(values)
    if len(values) < max(BATCH_FOLD_FROM if batch_from is None else batch_from, 1):
        return [fast_fold(v) for v in values]
    plain = np.fromiter(map(str.isascii, values), dtype=bool, count=len(values))
    if plain.all() or not plain.any():
        folded = _fold_batch(values)
        return [fast_fold(v) for v in values] if folded is None else folded
    out = np.empty(len(values), dtype=object)
    items = as_objects(values)
    for part in (plain, ~plain):
        chunk = items[part].tolist()
        folded = _fold_batch(chunk)
        out[part] = [fast_fold(v) for v in chunk] if folded is None else folded
    return out.tolist()


__all__ = ["BATCH_FOLD_FROM", "fast_fold", "fold_many"]
