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
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import jellyfish
import numpy as np
import pandas as pd

from custclean.config import Config
from custclean.match.arrays import as_objects, column_codes, distinct
from custclean.match.folding import BATCH_FOLD_FROM, fast_fold, fold_many
from custclean.match.nicknames import Nicknames, load_nicknames, shipped_nicknames
from custclean.match.normalized import normalized_values
from custclean.parallel import beside, parallel_map, resolve_workers
from custclean.roles import Role
from custclean.ruleset import RuleSet
from custclean.table import Table
from custclean.text import fold

PHONE_DIGITS = 9            # the tail of a number that identifies it whatever its prefix (0, +33, 0033)
_E164_FROM = max(PHONE_DIGITS, 7)    # "+" and more digits than this: the key is the last PHONE_DIGITS as they are
GMAIL_DOMAINS = frozenset({"gmail.com", "googlemail.com"})
FORK_FROM = 100_000         # rows from which half the keys are built on a second core (worth its fork)
_NOT_NUMBER = re.compile(r"(?:ext|x|poste|#|doorkies)\.?\s*\d+\s*$|\D", re.I)   # an extension, or a non-digit
_TAG = re.compile(r"\+.*$")

Key = tuple[np.ndarray, np.ndarray]        # (code per row, value per code)


@dataclass(frozen=True)
class NameParts:
    """Vocabulary for splitting and cleaning name cells."""

    titles: frozenset[str]
    family_first: frozenset[str]       # family names written first (Vietnamese)
    middles: frozenset[str]


def _mapped(uniques: np.ndarray, fn: Callable[[Any], Any], workers: bool = False) -> np.ndarray:
    return as_objects(parallel_map(fn, uniques) if workers else map(fn, uniques))


def _folded(coded: Key) -> Key:
    codes, uniques = coded
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
    first_codes, first = column_codes(table, Role.FIRST_NAME)
    last_codes, last = column_codes(table, Role.LAST_NAME)
    first, last = _clean_names(first, parts), _clean_names(last, parts)
    if table.roles.column(Role.FULL_NAME) is None:      # no full-name column: nothing to split
        return (first_codes, first), (last_codes, last)
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
    first_code, last_code = _phonetic(canonical), _phonetic(last)     # Bob and Robert share their code
    both, fi, li = _pairs_of(first_codes, last_codes, len(last))
    name, reverse, unordered = [], [], []
    for c, s, a, b in zip(canonical[fi], last[li], first_code[fi], last_code[li], strict=True):
        name.append((s + " " + c).strip())
        reverse.append((c + " " + s)[::-1].strip())
        unordered.append("" if not (a and b) else a + " " + b if a < b else b + " " + a)   # either order agrees
    return {
        "first_name": (first_codes, first),
        "first_name:canonical": (first_codes, canonical),
        "first_name:metaphone": (first_codes, first_code),
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
    return _gmail_form(email)


def _gmail_form(email: str) -> str:
    """A stripped, lowercased address holding an @, without its +tag, and Gmail's without dots."""
    at = email.rfind("@")
    user, domain = email[:at], email[at + 1:]
    if "+" in user:
        user = _TAG.sub("", user)
    elif domain not in GMAIL_DOMAINS:
        return email
    if domain == "googlemail.com":
        domain = "gmail.com"
    return (user.replace(".", "") if domain == "gmail.com" else user) + "@" + domain


def _emails(values: np.ndarray, gmail_equivalence: bool) -> np.ndarray:
    """`_email` of each value: stripped and lowercased all at once (no value spans lines, and lowercasing
    looks no further than a line break); only addresses with a +tag or a Gmail domain change further."""
    text = "\n".join(values)
    if len(values) < BATCH_FOLD_FROM or text.count("\n") != len(values) - 1:
        return _mapped(values, partial(_email, gmail_equivalence=gmail_equivalence))
    lines = list(map(str.strip, text.lower().split("\n")))
    out = as_objects(e if "@" in e else "" for e in lines)
    todo = [i for i, e in enumerate(lines) if ("+" in e or "gmail.com" in e) and "@" in e] if gmail_equivalence else []
    if todo:
        out[todo] = _gmail_forms([lines[i] for i in todo])
    return out


def _gmail_forms(emails: list[str]) -> list[str]:
    """`_gmail_form` of each address (none spanning lines), with the dots of all users dropped in one pass."""
    parts = [e.rpartition("@") for e in emails]
    users = [user.partition("+")[0] for user, _, _ in parts]      # _TAG.sub on a single line
    dotless = "\n".join(users).replace(".", "").split("\n")
    return [d + "@gmail.com" if domain in GMAIL_DOMAINS else u + "@" + domain
            for (_, _, domain), u, d in zip(parts, users, dotless, strict=True)]


def _email_key(coded: Key, gmail_equivalence: bool) -> Key:
    codes, uniques = coded
    return codes, _emails(uniques, gmail_equivalence)


def email_key(values: pd.Series, gmail_equivalence: bool) -> pd.Series:
    """Lowercased address; with gmail_equivalence, +tags dropped and Gmail's dots ignored."""
    return _series(_email_key(distinct(values), gmail_equivalence), values.index)


def _phone(value: str) -> str:
    bare = value[1:] if value[:1] == "+" else value
    digits = bare if bare.isdecimal() and bare.isascii() else _NOT_NUMBER.sub("", value)
    return digits[-PHONE_DIGITS:] if len(digits) >= 7 else ""


def _phone_key(coded: Key) -> Key:
    """`_phone` of each distinct value, with the E.164 numbers the normalizer writes read inline."""
    codes, uniques = coded
    return codes, as_objects([v[-PHONE_DIGITS:] if v[:1] == "+" and len(v) > _E164_FROM and v[1:].isdecimal()
                              and v.isascii() else _phone(v) for v in uniques.tolist()])


def phone_key(values: pd.Series) -> pd.Series:
    """The last digits of the number: +33 6 12 34 56 78, 0033612345678 and 06.12.34.56.78 agree."""
    return _series(_phone_key(distinct(values)), values.index)


def _series(key: Key, index: pd.Index) -> pd.Series:
    codes, uniques = key
    return pd.Series(uniques[codes], index=index, dtype=object)


def _column_order(day_first: pd.Series, second: pd.Series, order: str | None) -> bool:
    """True when d/m/y: forced by config, else when a first part > 12 shows up and no second part > 12."""
    if order in {"dmy", "mdy"}:
        return order == "dmy"
    return not ((second.astype(int) > 12).any() and not (day_first.astype(int) > 12).any())


def _date_key_codes(coded: Key, order: str | None) -> Key:
    codes, uniques = coded
    stripped = pd.Series([v.strip() for v in uniques], dtype=object)
    return codes, _date_key(stripped, order).to_numpy(dtype=object)


def date_key(values: pd.Series, order: str | None = None) -> pd.Series:
    """YYYYMMDD from ISO dates (what the date normalizer writes), compact dates or d/m/y text; else missing."""
    return _series(_date_key_codes(distinct(values), order), values.index)


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


def _street_keys(streets: Key, countries: Key, rules: RuleSet) -> tuple[Key, Key]:
    """(house number, street words with street types expanded) per distinct (street, country).

    Streets are folded all at once; the street words without their number repeat a lot (a few
    thousand in a million rows), so their type expansion is cached.
    """
    vocabulary = street_vocabulary(rules)
    (value_codes, value_uniques), (country_codes, country_uniques) = streets, countries
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


def company_keys(coded: Key) -> Key:
    try:
        from custclean.normalize.company import company_key
    except ImportError:
        return _folded(coded)
    codes, uniques = coded
    return codes, _mapped(uniques, lambda v: fold(company_key(v) or "") if v else "", workers=True)


def _postal_codes(coded: Key) -> Key:
    codes, uniques = coded
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


def _person_keys(table: Table, config: Config, rules: RuleSet, coded: Callable[[Role], Key]) -> dict[str, Key]:
    nicknames = shipped_nicknames() if not rules.user_dirs else load_nicknames(rules)
    keys = name_keys(table, nicknames, name_parts(rules))
    keys["email"] = _email_key(coded(Role.EMAIL), config.match.gmail_equivalence)
    return keys


def _place_keys(table: Table, config: Config, rules: RuleSet, coded: Callable[[Role], Key]) -> dict[str, Key]:
    """Phone, birth date, address and company keys: the half of the keys build_keys may hand a second core."""
    keys = {"phone": _phone_key(coded(Role.PHONE))}
    date_codes, dates = _date_key_codes(coded(Role.BIRTH_DATE), config.normalize.date_order)
    keys["birth_date"] = (date_codes, dates)
    keys["birth_date:year"] = (date_codes, _mapped(dates, lambda v: v[:4]))
    keys["street:number"], keys["street"] = _street_keys(coded(Role.STREET), coded(Role.COUNTRY), rules)
    keys["street2"] = _folded(column_codes(table, Role.STREET2))
    keys["postal_code"] = _postal_codes(coded(Role.POSTAL_CODE))
    keys["city"] = _folded(column_codes(table, Role.CITY))
    keys["region"] = _folded(column_codes(table, Role.REGION))
    country_codes, countries = coded(Role.COUNTRY)
    keys["country"] = (country_codes, _mapped(countries, str.upper))
    keys["company"] = company_keys(column_codes(table, Role.COMPANY))
    return keys


def _exact(build: Callable[..., dict[str, Key]], *args: Any) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    return {name: exact_codes(key) for name, key in build(*args).items()}


def build_keys(table: Table, config: Config, rules: RuleSet, normalized: bool = False,
               codes: dict[str, tuple[np.ndarray, np.ndarray]] | None = None) -> pd.DataFrame:
    """One row per record, one column per match key ("" = missing), indexed like the table.

    Pass a dict as `codes` to get each key's `exact_codes` too (what blocking and comparisons would
    otherwise compute again by factorizing the million-row columns). Columns are coded from the table's
    memo where normalize and validate left their codes. From FORK_FROM rows on, the phone, date, address
    and company keys are built in a forked process while this one builds the name and e-mail keys: only
    their int codes and distinct values come back (few, but for phones).
    """
    values = normalized_values(table, config, rules, already=normalized)

    def coded(role: Role) -> Key:
        return column_codes(table, role) if normalized else distinct(values[role])

    person = partial(_exact, _person_keys, table, config, rules, coded)
    place = partial(_exact, _place_keys, table, config, rules, coded)
    if len(table) >= FORK_FROM and resolve_workers(config.match.workers) >= 2:
        places, people = beside(place, person)
    else:
        people, places = person(), place()
    exact = {**people, **places}
    if codes is not None:
        codes.update(exact)
    return _frame(exact, table.frame.index)
