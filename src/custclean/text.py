"""fold(), nfc(), squeeze_spaces(), fix_mojibake(): small pure helpers shared by all steps.

Every comparison key in custclean (header synonyms, aliases, match keys) goes through `fold`, so
"Prénom", "PRENOM" and "prénom :" are the same key everywhere.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters that NFKD does not decompose into base + combining mark, so folding needs them spelled out.
EXTRA_FOLDS = str.maketrans(
    {
        "đ": "d", "Đ": "d", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "œ": "oe", "Œ": "oe",
        "æ": "ae", "Æ": "ae", "ß": "ss", "ı": "i", "þ": "th", "ð": "d", "ħ": "h",
    }
)
_SPACES = re.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)


def nfc(value: str) -> str:
    """Compose characters, so "e" + combining acute and "é" compare equal."""
    return unicodedata.normalize("NFC", value)


def strip_accents(value: str) -> str:
    """Drop diacritics but keep the letters: "Ștefan Nguyễn Đức" -> "Stefan Nguyen Duc"."""
    decomposed = unicodedata.normalize("NFKD", value)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.translate(EXTRA_FOLDS)


def squeeze_spaces(value: str) -> str:
    """Trim, remove zero-width characters and collapse every kind of space run into one space."""
    return _SPACES.sub(" ", INVISIBLE.sub("", value)).strip()


@lru_cache(maxsize=65536)
def fold(value: str) -> str:
    """The comparison form of a word: no accents, no case, no punctuation, single spaces.

    >>> fold("  Prénom : ")
    'prenom'
    >>> fold("Điện thoại")
    'dien thoai'
    """
    bare = strip_accents(value).casefold()
    return squeeze_spaces(_PUNCT.sub(" ", bare))


# A lead byte of UTF-8 read as cp1252/latin-1 ("Ã", "Â", "Å" ...) followed by a continuation byte's glyph.
_MOJIBAKE_HINT = re.compile(
    "[ÃÂÅÄÆÐÑâ][\u0080-\u00bf\u2018-\u203a\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u20ac\u2122]"
)


def looks_like_mojibake(value: str) -> bool:
    """Cheap pre-check so ftfy runs only on the few values that may need it."""
    return bool(_MOJIBAKE_HINT.search(value))


def fix_mojibake(value: str) -> str:
    """Repair text decoded with the wrong encoding ("RenÃ©" -> "René"); other text is returned as is."""
    if not looks_like_mojibake(value):
        return value
    import ftfy  # imported lazily: only a few values ever need it

    return ftfy.fix_encoding(value)
