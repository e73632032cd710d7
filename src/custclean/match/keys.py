"""Match keys from normalized values: folded, nickname-canonical, phonetic, E.164.

Keys are built from what the normalizers would write (run in memory on each distinct value, even
when the user did not ask to rewrite the file; see normalized.py), then folded: no accents, no case,
no punctuation, so "Ștefan" = "Stefan" and "Nguyễn" = "Nguyen". Street types are expanded with the
address rules' vocabulary and the house number kept apart. The phone key is the number's last nine
digits, which is what its E.164 form and every national spelling of it share ("+33 6 12 34 56 78",
"06.12.34.56.78"), so it needs no per-value phone parsing. Every key is computed once per distinct
value; "" means missing, and a missing key never blocks and is never evidence.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jellyfish
import numpy as np
import pandas as pd

from custclean.config import Config
from custclean.match.arrays import unique_inverse
from custclean.match.nicknames import Nicknames, load_nicknames, shipped_nicknames
from custclean.match.normalized import normalized_values
from custclean.parallel import parallel_map
from custclean.roles import Role
from custclean.ruleset import RuleSet
from custclean.table import Table
from custclean.text import fold

PHONE_DIGITS = 9            # the tail of a number that identifies it whatever its prefix (0, +33, 0033)
GMAIL_DOMAINS = frozenset({"gmail.com", "googlemail.com"})
_NOT_NUMBER = re.compile(r"(?:ext|x|poste|#|doorkies)\.?\s*\d+\s*$|\D", re.I)   # an extension, or a non-digit
_PUNCT = re.compile(r"[^\w\s]")


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


def per_distinct(values: pd.Series, fn: Callable[[Any], Any]) -> pd.Series:
    """Apply `fn` once per distinct value and map the results back to every row."""
    codes, uniques = pd.factorize(values, sort=False)
    mapped = np.empty(len(uniques), dtype=object)
    mapped[:] = parallel_map(fn, uniques)
    return pd.Series(mapped[codes], index=values.index, dtype=object)


def _folded(values: pd.Series) -> pd.Series:
    return per_distinct(values.fillna(""), fast_fold)


def name_parts(rules: RuleSet) -> NameParts:
    vi = rules.data("nicknames/vi")
    titles = rules.data("match").get("names", {}).get("titles", [])
    return NameParts(
        frozenset(fold(t) for t in titles),
        frozenset(fold(f) for f in vi.get("family_names", [])),
        frozenset(fold(m) for m in vi.get("middle_names", [])),
    )


def _clean_name(value: str, parts: NameParts) -> str:
    words = fast_fold(value.replace("-", " ")).split()
    while len(words) > 1 and words[0] in parts.titles:
        words = words[1:]
    return " ".join(words)


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


def _names(table: Table, parts: NameParts) -> tuple[pd.Series, pd.Series]:
    first = per_distinct(table.values(Role.FIRST_NAME), lambda v: _clean_name(v, parts))
    last = per_distinct(table.values(Role.LAST_NAME), lambda v: _clean_name(v, parts))
    full = table.values(Role.FULL_NAME)
    need = (first == "") & (last == "") & (full != "")
    if need.any():
        split = per_distinct(full[need], lambda v: split_full_name(v, parts))
        first.loc[need] = [f for f, _ in split]
        last.loc[need] = [s for _, s in split]
    return first, last


def _phonetic(values: pd.Series) -> pd.Series:
    return per_distinct(values, lambda v: jellyfish.metaphone(v.replace(" ", "")) if v else "")


def name_keys(table: Table, nicknames: Nicknames, parts: NameParts) -> dict[str, pd.Series]:
    first, last = _names(table, parts)
    canonical = per_distinct(first, lambda v: " ".join([nicknames.canonical_of(v.split(" ", 1)[0]),
                                                         *v.split(" ")[1:]]).strip())
    return {
        "first_name": first,
        "first_name:canonical": canonical,
        "first_name:metaphone": _phonetic(canonical),
        "first_name:initial": first.str[:1],
        "last_name": last,
        "last_name:metaphone": _phonetic(last),
        "last_name:initial": last.str[:1],
        "name": (last + " " + canonical).str.strip(),
        "name:reversed": per_distinct(canonical + " " + last, lambda v: v[::-1].strip()),
        "name:sorted": _unordered(_phonetic(first), _phonetic(last)),
    }


def _unordered(a: pd.Series, b: pd.Series) -> pd.Series:
    """Both codes in alphabetical order, so "Dupont Jean" and "Jean Dupont" agree; "" unless both are set."""
    first = a < b
    out = (a.where(first, b) + " " + b.where(first, a)).astype(object)
    return out.where((a != "") & (b != ""), "")


def email_key(values: pd.Series, gmail_equivalence: bool) -> pd.Series:
    """Lowercased address; with gmail_equivalence, +tags dropped and Gmail's dots ignored."""
    email = values.str.strip().str.lower()
    email = email.where(email.str.contains("@", regex=False), "")
    if not gmail_equivalence:
        return email
    user, _, domain = email.str.rpartition("@").T.to_numpy()
    user = pd.Series(user, index=values.index).str.replace(r"\+.*$", "", regex=True)
    dom = pd.Series(domain, index=values.index).replace("googlemail.com", "gmail.com")
    user = user.where(dom != "gmail.com", user.str.replace(".", "", regex=False))
    return (user + "@" + dom).where(email != "", "")


def phone_key(values: pd.Series) -> pd.Series:
    """The last digits of the number: +33 6 12 34 56 78, 0033612345678 and 06.12.34.56.78 agree."""
    digits = values.str.replace(_NOT_NUMBER, "", regex=True)
    return digits.str[-PHONE_DIGITS:].where(digits.str.len() >= 7, "")


def _column_order(day_first: pd.Series, second: pd.Series, order: str | None) -> bool:
    """True when d/m/y: forced by config, else when a first part > 12 shows up and no second part > 12."""
    if order in {"dmy", "mdy"}:
        return order == "dmy"
    return not ((second.astype(int) > 12).any() and not (day_first.astype(int) > 12).any())


def date_key(values: pd.Series, order: str | None = None) -> pd.Series:
    """YYYYMMDD from ISO dates (what the date normalizer writes), compact dates or d/m/y text; else missing."""
    codes, uniques = pd.factorize(values.str.strip())
    keys = _date_key(pd.Series(uniques, dtype=object), order).to_numpy(dtype=object)
    return pd.Series(keys[codes] if len(keys) else "", index=values.index, dtype=object)


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


def _street_key(value: str, types: dict[str, str]) -> tuple[str, str]:
    words = fast_fold(value).split()
    number = ""
    if words and _is_house_number(words[0]):
        number = words.pop(0)
        if words and words[0] in {"bis", "ter"}:
            words.pop(0)
    elif words and _is_house_number(words[-1]):
        number = words.pop()
    return number, " ".join(w for w in (types.get(word, word) for word in words) if w)


def street_keys(values: pd.Series, countries: pd.Series, rules: RuleSet) -> tuple[pd.Series, pd.Series]:
    """(house number, street words with street types expanded) per row, per distinct (street, country)."""
    vocabulary = street_vocabulary(rules)
    value_codes, value_uniques = pd.factorize(values.to_numpy(dtype=object))
    country_codes, country_uniques = pd.factorize(countries.to_numpy(dtype=object))
    width = np.int64(max(len(country_uniques), 1))
    combos, inverse = unique_inverse(value_codes.astype(np.int64) * width + country_codes)
    numbers = np.empty(max(len(combos), 1), dtype=object)
    streets = np.empty(max(len(combos), 1), dtype=object)
    numbers[0], streets[0] = "", ""

    def key_of(value: str, country: str) -> tuple[str, str]:
        return _street_key(value, vocabulary.get(country) or vocabulary.get("", {})) if value else ("", "")

    found = parallel_map(key_of, value_uniques[combos // width], country_uniques[combos % width])
    for i, (number, street) in enumerate(found):
        numbers[i], streets[i] = number, street
    return pd.Series(numbers[inverse], index=values.index), pd.Series(streets[inverse], index=values.index)


def company_keys(values: pd.Series) -> pd.Series:
    try:
        from custclean.normalize.company import company_key
    except ImportError:
        return _folded(values)
    return per_distinct(values, lambda v: fold(company_key(v) or "") if v else "")


def build_keys(table: Table, config: Config, rules: RuleSet, normalized: bool = False) -> pd.DataFrame:
    """One row per record, one column per match key ("" = missing), indexed like the table."""
    nicknames = shipped_nicknames() if not rules.user_dirs else load_nicknames(rules)
    values = normalized_values(table, config, rules, already=normalized)
    keys = name_keys(table, nicknames, name_parts(rules))
    keys["email"] = email_key(values[Role.EMAIL], config.match.gmail_equivalence)
    keys["phone"] = phone_key(values[Role.PHONE])
    keys["birth_date"] = date_key(values[Role.BIRTH_DATE], config.normalize.date_order)
    keys["birth_date:year"] = per_distinct(keys["birth_date"], lambda v: v[:4])    # one string per year, not per row
    keys["street:number"], keys["street"] = street_keys(values[Role.STREET], values[Role.COUNTRY], rules)
    keys["street2"] = _folded(table.values(Role.STREET2))
    keys["postal_code"] = per_distinct(values[Role.POSTAL_CODE].fillna(""), lambda v: fast_fold(v).replace(" ", ""))
    keys["city"] = _folded(table.values(Role.CITY))
    keys["region"] = _folded(table.values(Role.REGION))
    keys["country"] = per_distinct(values[Role.COUNTRY].fillna(""), str.upper)
    keys["company"] = company_keys(table.values(Role.COMPANY))
    frame = pd.DataFrame(keys, index=table.frame.index)
    return frame.fillna("").astype(object)
