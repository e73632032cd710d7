"""Match keys from normalized values: folded, nickname-canonical, phonetic, E.164.

Keys are built from what the normalizers would write (run in memory on each distinct value, even
when the user did not ask to rewrite the file; see normalized.py), then folded: no accents, no case,
no punctuation, so "Ștefan" = "Stefan" and "Nguyễn" = "Nguyen". Street types are expanded with the
address rules' vocabulary and the house number kept apart. The phone key is the number's last nine
digits, which is what its E.164 form and every national spelling of it share ("+33 6 12 34 56 78",
"06.12.34.56.78"), so it needs no per-value phone parsing. Every key is computed once per distinct
value; "" means missing, and a missing key never blocks and is never evidence. Columns are kept as
(code per row, distinct values) until the frame is assembled, so every row of a key shares one string
object per distinct value, and folding runs over all distinct values of a column at once (`fold_many`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

import jellyfish
import numpy as np
import pandas as pd

from custclean.config import Config
from custclean.match.arrays import as_objects, distinct
from custclean.match.nicknames import Nicknames, load_nicknames, shipped_nicknames
from custclean.match.normalized import normalized_values
from custclean.parallel import parallel_map
from custclean.roles import Role
from custclean.ruleset import RuleSet
from custclean.table import Table
from custclean.text import EXTRA_FOLDS, INVISIBLE, fold

PHONE_DIGITS = 9            # the tail of a number that identifies it whatever its prefix (0, +33, 0033)
GMAIL_DOMAINS = frozenset({"gmail.com", "googlemail.com"})
BATCH_FOLD_FROM = 2000      # fewer distinct values are folded one by one (the batch has a fixed cost)
_NOT_NUMBER = re.compile(r"(?:ext|x|poste|#|doorkies)\.?\s*\d+\s*$|\D", re.I)   # an extension, or a non-digit
_PUNCT = re.compile(r"[^\w\s]")
_TAG = re.compile(r"\+.*$")
_ASCII_SPACES = "\t\x0b\x0c\r\x1c\x1d\x1e\x1f"       # what str.split() also splits on, besides " " and "\n"
_SPACE_RUNS = re.compile(" {2,}")
_LINE_EDGES = re.compile(" \n ?|\n ")

Key = tuple[np.ndarray, np.ndarray]        # (code per row, value per code)


@dataclass(frozen=True)
class NameParts:
    """Vocabulary for splitting and cleaning name cells."""

    titles: frozenset[str]
    family_first: frozenset[str]       # family names written first (Vietnamese)
    middles: frozenset[str]


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
    """Each line with its runs of spaces made one space and no space at either end."""
    if text.isascii():
        odd = [c for c in _ASCII_SPACES if c in text]
    else:
        odd = [c for c in set(text) if c.isspace() and c not in " \n"]
    if odd:
        text = _char_class(odd).sub(" ", text)
    return _LINE_EDGES.sub("\n", _SPACE_RUNS.sub(" ", text)).strip(" ").split("\n")


def fold_many(values: Iterable[str], batch_from: int | None = None) -> list[str]:
    """`fast_fold` of every value, computed on all of them joined by newlines in a few C-level passes.

    Each step of `fold` works character by character (NFKD never reorders across a newline) or on runs
    of spaces, which the newline ends, so the joined text folds into the values' own folds.
    """
    values = list(values)
    text = "\n".join(values)
    small = len(values) < max(BATCH_FOLD_FROM if batch_from is None else batch_from, 1)
    if small or text.count("\n") != len(values) - 1:       # a value holding a newline: one by one
        return [fast_fold(v) for v in values]
    if text.isascii():
        text = _PUNCT.sub(" ", text.lower())
    else:
        text = _strip_accents(unicodedata.normalize("NFKD", text)).casefold()
        text = INVISIBLE.sub("", _PUNCT.sub(" ", text))
    return _squeeze_lines(text)


def _mapped(uniques: np.ndarray, fn: Callable[[Any], Any], workers: bool = False) -> np.ndarray:
    return as_objects(parallel_map(fn, uniques) if workers else map(fn, uniques))


def _folded(values: pd.Series) -> Key:
    codes, uniques = distinct(values)
    return codes, as_objects(fold_many(uniques))


def _pairs_of(a: np.ndarray, b: np.ndarray, b_width: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A code per distinct (a, b) combination, with the a and b codes of each combination."""
    width = max(b_width, 1)
    codes, combos = pd.factorize(a.astype(np.int64) * width + b, sort=False)
    combos = np.asarray(combos, dtype=np.int64)
    return codes, combos // width, combos % width


def name_parts(rules: RuleSet) -> NameParts:
    vi = rules.data("nicknames/vi")
    titles = rules.data("match").get("names", {}).get("titles", [])
    return NameParts(
        frozenset(fold(t) for t in titles),
        frozenset(fold(f) for f in vi.get("family_names", [])),
        frozenset(fold(m) for m in vi.get("middle_names", [])),
    )


def _drop_titles(folded: str, parts: NameParts) -> str:
    words = folded.split()
    while len(words) > 1 and words[0] in parts.titles:
        words = words[1:]
    return " ".join(words)


def _clean_name(value: str, parts: NameParts) -> str:
    return _drop_titles(fast_fold(value.replace("-", " ")), parts)


def _clean_names(values: np.ndarray, parts: NameParts) -> np.ndarray:
    return as_objects(_drop_titles(f, parts) for f in fold_many(v.replace("-", " ") for v in values))


def split_full_name(value: str, parts: NameParts) -> tuple[str, str]:
    """(first, last) from a full-name cell: "Dupont, Jean", "DUPONT Jean", "Nguyễn Văn An", "Jean Dupont"."""
    if "," in value:
        last, _, first = value.partition(",")
        return _clean_name(first, parts), _clean_name(last, parts)
    raw = value.split()
    words = _clean_name(value, parts).split()
    if len(words) < 2:
        return "", " ".join(words)
    if words[0] in parts.family_first:
        given = [w for w in words[1:] if w not in parts.middles] or words[1:]
        return given[-1], words[0]
    if len(raw) == len(words) and raw[0].isupper() and not raw[-1].isupper():
        return words[-1], " ".join(words[:-1])
    return words[0], " ".join(words[1:])


def _names(table: Table, parts: NameParts) -> tuple[Key, Key]:
    """First and last name per row; from the full-name cell where both are empty."""
    first_codes, first = distinct(table.values(Role.FIRST_NAME))
    last_codes, last = distinct(table.values(Role.LAST_NAME))
    first, last = _clean_names(first, parts), _clean_names(last, parts)
    full = table.values(Role.FULL_NAME).to_numpy(dtype=object)
    need = (first == "")[first_codes] & (last == "")[last_codes] & (full != "")
    if need.any():
        full_codes, fulls = distinct(full[need])
        split = parallel_map(lambda v: split_full_name(v, parts), fulls)
        first_codes, last_codes = first_codes.copy(), last_codes.copy()
        first_codes[need], last_codes[need] = full_codes + len(first), full_codes + len(last)
        first = np.concatenate([first, as_objects(f for f, _ in split)])
        last = np.concatenate([last, as_objects(s for _, s in split)])
    return (first_codes, first), (last_codes, last)


def _phonetic(values: np.ndarray) -> np.ndarray:
    return _mapped(values, lambda v: jellyfish.metaphone(v.replace(" ", "")) if v else "")


def _canonical(first: np.ndarray, nicknames: Nicknames) -> np.ndarray:
    return _mapped(first, lambda v: " ".join([nicknames.canonical_of(v.split(" ", 1)[0]), *v.split(" ")[1:]]).strip())


def name_keys(table: Table, nicknames: Nicknames, parts: NameParts) -> dict[str, Key]:
    (first_codes, first), (last_codes, last) = _names(table, parts)
    canonical = _canonical(first, nicknames)
    first_code, last_code = _phonetic(first), _phonetic(last)
    both, fi, li = _pairs_of(first_codes, last_codes, len(last))
    name, reverse, unordered = [], [], []
    for c, s, a, b in zip(canonical[fi], last[li], first_code[fi], last_code[li], strict=True):
        name.append((s + " " + c).strip())
        reverse.append((c + " " + s)[::-1].strip())
        unordered.append("" if not (a and b) else a + " " + b if a < b else b + " " + a)   # either order agrees
    return {
        "first_name": (first_codes, first),
        "first_name:canonical": (first_codes, canonical),
        "first_name:metaphone": (first_codes, _phonetic(canonical)),
        "first_name:initial": (first_codes, _mapped(first, lambda v: v[:1])),
        "last_name": (last_codes, last),
        "last_name:metaphone": (last_codes, last_code),
        "last_name:initial": (last_codes, _mapped(last, lambda v: v[:1])),
        "name": (both, as_objects(name)),
        "name:reversed": (both, as_objects(reverse)),
        "name:sorted": (both, as_objects(unordered)),
    }


def _email(value: str, gmail_equivalence: bool) -> str:
    email = value.strip().lower()
    at = email.rfind("@")
    if at < 0 or not gmail_equivalence:
        return email if at >= 0 else ""
    user, domain = email[:at], email[at + 1:]
    if "+" in user:
        user = _TAG.sub("", user)
    elif domain not in GMAIL_DOMAINS:
        return email
    if domain == "googlemail.com":
        domain = "gmail.com"
    return (user.replace(".", "") if domain == "gmail.com" else user) + "@" + domain


def _email_key(values: pd.Series, gmail_equivalence: bool) -> Key:
    codes, uniques = distinct(values)
    return codes, _mapped(uniques, partial(_email, gmail_equivalence=gmail_equivalence))


def email_key(values: pd.Series, gmail_equivalence: bool) -> pd.Series:
    """Lowercased address; with gmail_equivalence, +tags dropped and Gmail's dots ignored."""
    return _series(_email_key(values, gmail_equivalence), values.index)


def _phone(value: str) -> str:
    bare = value[1:] if value[:1] == "+" else value
    digits = bare if bare.isdecimal() and bare.isascii() else _NOT_NUMBER.sub("", value)
    return digits[-PHONE_DIGITS:] if len(digits) >= 7 else ""


def _phone_key(values: pd.Series) -> Key:
    codes, uniques = distinct(values)
    return codes, _mapped(uniques, _phone)


def phone_key(values: pd.Series) -> pd.Series:
    """The last digits of the number: +33 6 12 34 56 78, 0033612345678 and 06.12.34.56.78 agree."""
    return _series(_phone_key(values), values.index)


def _series(key: Key, index: pd.Index) -> pd.Series:
    codes, uniques = key
    return pd.Series(uniques[codes], index=index, dtype=object)


def _column_order(day_first: pd.Series, second: pd.Series, order: str | None) -> bool:
    """True when d/m/y: forced by config, else when a first part > 12 shows up and no second part > 12."""
    if order in {"dmy", "mdy"}:
        return order == "dmy"
    return not ((second.astype(int) > 12).any() and not (day_first.astype(int) > 12).any())


def _date_key_codes(values: pd.Series, order: str | None) -> Key:
    codes, uniques = distinct(values)
    stripped = pd.Series([v.strip() for v in uniques], dtype=object)
    return codes, _date_key(stripped, order).to_numpy(dtype=object)


def date_key(values: pd.Series, order: str | None = None) -> pd.Series:
    """YYYYMMDD from ISO dates (what the date normalizer writes), compact dates or d/m/y text; else missing."""
    return _series(_date_key_codes(values, order), values.index)


def _date_key(values: pd.Series, order: str | None) -> pd.Series:
    out = pd.Series("", index=values.index, dtype=object)
    compact = values.str.fullmatch(r"(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])")
    out[compact] = values[compact]
    ymd = values.str.extract(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$").dropna()
    out[ymd.index] = ymd[0] + ymd[1].str.zfill(2) + ymd[2].str.zfill(2)
    dmy = values.str.extract(r"^(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4})$").dropna()
    if len(dmy):
        day_first = _column_order(dmy[0], dmy[1], order)
        day, month = (dmy[0], dmy[1]) if day_first else (dmy[1], dmy[0])
        out[dmy.index] = dmy[2] + month.str.zfill(2) + day.str.zfill(2)
    valid = out.str.fullmatch(r"\d{4}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])")
    return out.where(valid, "")


def street_vocabulary(rules: RuleSet) -> dict[str, dict[str, str]]:
    """Country -> {folded street-type word: folded long form}, from the address normalizer's rules files.

    The matcher applies it word by word (a few microseconds a street) rather than calling
    normalize.address.street_key on every distinct street, which is exact but too slow at 1M rows.
    """
    try:
        from custclean.normalize.address import address_vocabularies
    except ImportError:
        return {}
    out: dict[str, dict[str, str]] = {}
    for country, vocab in address_vocabularies(rules).items():
        out[country] = {k.replace(" ", ""): fold(v) for k, v in vocab.types.items()}
        out[country].update({k.replace(" ", ""): "" for k, v in vocab.units.items() if v in vocab.number_units})
    merged: dict[str, str] = {}
    for table in out.values():
        for k, v in table.items():
            merged.setdefault(k, v)
    out[""] = merged
    return out


def _is_house_number(word: str) -> bool:
    return len(word) <= 6 and (word.isdigit() or (len(word) > 1 and word[:-1].isdigit() and word[-1].isalpha()))


def _split_number(folded: str) -> tuple[str, str]:
    """(house number, the other words) of a folded street: "12 bis rue x" -> ("12", "rue x"); "main st 5"."""
    first, _, rest = folded.partition(" ")
    if _is_house_number(first):
        word, _, after = rest.partition(" ")
        return first, after if word in {"bis", "ter"} else rest
    head, _, last = folded.rpartition(" ")
    if _is_house_number(last):
        return last, head
    return "", folded


def _street_keys(values: pd.Series, countries: pd.Series, rules: RuleSet) -> tuple[Key, Key]:
    """(house number, street words with street types expanded) per distinct (street, country).

    Streets are folded all at once; the street words without their number repeat a lot (a few
    thousand in a million rows), so their type expansion is cached.
    """
    vocabulary = street_vocabulary(rules)
    value_codes, value_uniques = distinct(values)
    country_codes, country_uniques = distinct(countries)
    combo, vi, ci = _pairs_of(value_codes, country_codes, len(country_uniques))
    folded = as_objects(fold_many(value_uniques))
    expanded: dict[tuple[str, str], str] = {}
    numbers, streets = [], []
    for text, country in zip(folded[vi], country_uniques[ci], strict=True):
        number, words = _split_number(text) if text else ("", "")
        street = expanded.get((words, country))
        if street is None:
            types = vocabulary.get(country) or vocabulary.get("", {})
            street = expanded[(words, country)] = " ".join(w for w in (types.get(x, x) for x in words.split()) if w)
        numbers.append(number)
        streets.append(street)
    return (combo, as_objects(numbers)), (combo, as_objects(streets))


def company_keys(values: pd.Series) -> Key:
    try:
        from custclean.normalize.company import company_key
    except ImportError:
        return _folded(values)
    codes, uniques = distinct(values)
    return codes, _mapped(uniques, lambda v: fold(company_key(v) or "") if v else "", workers=True)


def _postal_codes(values: pd.Series) -> Key:
    codes, uniques = distinct(values)
    return codes, as_objects(v.replace(" ", "") for v in fold_many(uniques))


def _frame(columns: dict[str, tuple[np.ndarray, np.ndarray]], index: pd.Index) -> pd.DataFrame:
    """A categorical column per key over its exact codes: no million-row column of string pointers is built
    (that cost two seconds at 1M rows, and most keys are only ever read as codes)."""
    return pd.DataFrame({name: pd.Categorical.from_codes(codes, categories=values, validate=False)
                         for name, (codes, values) in columns.items()}, index=index, copy=False)


def exact_codes(key: Key) -> tuple[np.ndarray, np.ndarray]:
    """(int32 code per row, distinct values): equal values have equal codes, like pd.factorize of the rows.

    The values may include one that no row has any more (a first name replaced by the full-name split).
    """
    codes, uniques = key
    merged, values = distinct(uniques)
    return merged.astype(np.int32)[codes], values


def build_keys(table: Table, config: Config, rules: RuleSet, normalized: bool = False,
               codes: dict[str, tuple[np.ndarray, np.ndarray]] | None = None) -> pd.DataFrame:
    """One row per record, one column per match key ("" = missing), indexed like the table.

    Pass a dict as `codes` to get each key's `exact_codes` too (what blocking and comparisons would
    otherwise compute again by factorizing the million-row columns).
    """
    nicknames = shipped_nicknames() if not rules.user_dirs else load_nicknames(rules)
    values = normalized_values(table, config, rules, already=normalized)
    keys = name_keys(table, nicknames, name_parts(rules))
    keys["email"] = _email_key(values[Role.EMAIL], config.match.gmail_equivalence)
    keys["phone"] = _phone_key(values[Role.PHONE])
    date_codes, dates = _date_key_codes(values[Role.BIRTH_DATE], config.normalize.date_order)
    keys["birth_date"] = (date_codes, dates)
    keys["birth_date:year"] = (date_codes, _mapped(dates, lambda v: v[:4]))
    keys["street:number"], keys["street"] = _street_keys(values[Role.STREET], values[Role.COUNTRY], rules)
    keys["street2"] = _folded(table.values(Role.STREET2))
    keys["postal_code"] = _postal_codes(values[Role.POSTAL_CODE])
    keys["city"] = _folded(table.values(Role.CITY))
    keys["region"] = _folded(table.values(Role.REGION))
    country_codes, countries = distinct(values[Role.COUNTRY])
    keys["country"] = (country_codes, _mapped(countries, str.upper))
    keys["company"] = company_keys(table.values(Role.COMPANY))
    exact = {name: exact_codes(key) for name, key in keys.items()}
    if codes is not None:
        codes.update(exact)
    return _frame(exact, table.frame.index)
