"""Street lines: street types and unit designators in one form per country, shouting re-cased, commas spaced.

The vocabulary is in rules/address/<cc>.toml, read against the row's country. A word is rewritten
only where that country puts a street type: last in the US and UK ("Main St"; "St Mary St" keeps its
saint), first in France, Spain, Italy, Romania and Vietnam ("bd Haussmann"), first, last or glued in
Germany ("Hauptstr."). Units ("Apt", "bl.", "ap.") are rewritten only when their number follows.
`street_key` gives the matcher (house number, expanded folded words).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, ClassVar, Self

from custclean.config import Config
from custclean.normalize.base import Fix, Outcome
from custclean.normalize.name import cap_parts
from custclean.normalize.region import country_code
from custclean.roles import Role
from custclean.ruleset import RuleSet, build_alias_map
from custclean.text import fold

ABBREVIATE, EXPAND = "abbreviate", "expand"
_ORDINAL = re.compile(r"^(\d+)(st|nd|rd|th|er|re|e|eme|ème|è|º|ª)(\.?)$", re.IGNORECASE)
_HOUSE = re.compile(r"^\d+(?:[a-z]|bis|ter|[-/]\d+[a-z]?)?$", re.IGNORECASE)
_REWRITABLE = re.compile(r"^[^\W\d_][\w.\-/'’ºª]*$")   # a word, possibly with dots or a slash ("C/", "B-dul")
_GLUED = re.compile(r"^([^\W\d_]+[./])(\w.*)$")            # "C/Mayor", "Str.Mihai", "nr.5"
_DIGIT = re.compile(r"\d")
_ELISION = re.compile(r"^(\w)(['’])(\w.*)$")
_COMMA = re.compile(r"\s*,(?!\d)\s*|(?<!\d)\s*,\s*")
_RULE_ORDER = ("address.street_type", "address.unit", "address.letters", "address.case", "address.spacing")
# Streets are tidied once per template, every ASCII digit read as "0": "12 rue X" and "47 rue X" share one.
# Nothing in tidy_street depends on which digit a digit is, only on where digits are (a template keeps the
# length), as long as no vocabulary word has a digit (Vocabulary.templated).
_NONZERO_DIGIT = re.compile(r"[1-9]")
_DIGIT_RUN = re.compile(r"[0-9]+")
_ZERO_RUN = re.compile(r"0+")
_ZERO_RUN_SPLIT = re.compile(r"(0+)")
_HAS_DIGIT = re.compile(r"[0-9]")
MEMO_SIZE = 200_000     # templates remembered per normalizer; a list of 1M streets has about 10,000


def word_key(token: str) -> str:
    """How street words are compared: folded, without dots, slashes or spaces ("Bd." -> "bd")."""
    return fold(token).replace(" ", "")


@dataclass(frozen=True)
class Vocabulary:
    """One country's street words: types and units (key -> canonical), their short forms, case words."""

    types: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    short: dict[str, str] = field(default_factory=dict)
    position: str = "suffix"
    number: str = "first"
    directionals: frozenset[str] = frozenset()
    lower: frozenset[str] = frozenset()
    words: dict[str, str] = field(default_factory=dict)
    compound: tuple[tuple[str, str], ...] = ()      # (written ending, canonical), longest first
    number_units: frozenset[str] = frozenset()       # units whose number is the house number (RO "nr.")
    letters: dict[int, str] = field(default_factory=dict)   # letters the country writes otherwise (RO ş -> ș)
    templated: bool = field(init=False, default=True)       # may tidy digit templates (no digit in any word)
    type_and_unit_keys: frozenset[str] = field(init=False, default=frozenset())   # keys of types and units

    def __post_init__(self) -> None:
        vocabulary = [*self.types, *self.types.values(), *self.units, *self.units.values(), *self.short,
                      *self.short.values(), *self.directionals, *self.lower,
                      *self.words, *self.words.values(), *(e for pair in self.compound for e in pair),
                      *(chr(code) for code in self.letters), *(str(v) for v in self.letters.values())]
        object.__setattr__(self, "templated", not any(_HAS_DIGIT.search(word) for word in vocabulary))
        object.__setattr__(self, "type_and_unit_keys", frozenset({**self.types, **self.units}))

    @classmethod
    def from_data(cls, data: dict[str, Any], where: str) -> Vocabulary:
        short: dict[str, str] = {}
        maps: dict[str, list[tuple[str, str, str]]] = {"street_types": [], "units": []}
        for kind, entries in maps.items():
            for canonical, spec in data.get(kind, {}).items():
                short[canonical] = spec.get("short", canonical)
                spellings = [canonical, short[canonical], *spec.get("aliases", ())]
                entries.extend((word_key(s), canonical, f"{where} [{kind}] {canonical}") for s in spellings)
        build_alias_map([*maps["street_types"], *maps["units"]])     # refuses a word that is both
        types = data.get("street_types", {})
        endings = [
            (spelling.lower(), canonical)
            for canonical in data.get("compound", ())
            for spelling in (canonical, short.get(canonical, canonical), *types.get(canonical, {}).get("aliases", ()))
        ]
        return cls(
            build_alias_map(maps["street_types"]),
            build_alias_map(maps["units"]),
            short,
            data.get("position", "suffix"),
            data.get("number", "first"),
            frozenset(word_key(d) for d in data.get("directionals", ())),
            frozenset(w.lower() for w in data.get("lower", ())),
            {fold(w): w for w in data.get("words", ())},
            tuple(sorted(set(endings), key=lambda e: len(e[0]), reverse=True)),
            frozenset(data.get("house_number_units", ())),
            str.maketrans(data.get("letters", {})),
        )

    def render(self, canonical: str, original: str, style: str) -> str:
        """The canonical word in the chosen style, capitalised like the word it replaces."""
        text = canonical if style == EXPAND else self.short.get(canonical, canonical)
        return text[:1].upper() + text[1:] if original[:1].isupper() else text


PLAIN = Vocabulary()


def _is_identifier(token: str) -> bool:
    """What follows a unit word: "4B", "12", "A", "#3"."""
    bare = token.strip(",.")
    return bool(bare) and (bool(_DIGIT.search(bare)) or (len(bare) <= 2 and bare.isalnum()))


def recase_word(word: str, first: bool, vocab: Vocabulary) -> str:
    """One word of a shouted street line in title case: ordinals, small words, elisions, acronyms."""
    key = fold(word)
    if key in vocab.words:
        return vocab.words[key]
    ordinal = _ORDINAL.match(word)
    if ordinal:
        return ordinal[1] + ordinal[2].lower() + ordinal[3]
    if _DIGIT.search(word):
        return word
    low = word.lower()
    if not first and low in vocab.lower:
        return low
    elision = _ELISION.match(low)
    if elision and not first and elision[1] + "'" in vocab.lower:
        return elision[1] + elision[2] + cap_parts(elision[3])     # "rue de l'Église"
    return cap_parts(word)


class _Line:
    """One line being tidied, collecting the rules it applied."""

    def __init__(self, vocab: Vocabulary, style: str) -> None:
        self.vocab, self.style, self.rules = vocab, style, set()

    def tidy(self, line: str, shouting: bool) -> str:
        spaced = _COMMA.sub(", ", line).strip()
        if spaced != line:
            self.rules.add("address.spacing")
        return ", ".join(self._segment(seg, shouting) for seg in spaced.split(", "))

    def _segment(self, segment: str, shouting: bool) -> str:
        tokens = [part for token in segment.split(" ") for part in self._unglue(token)]
        if shouting:
            cased = [recase_word(t, i == 0, self.vocab) for i, t in enumerate(tokens)]
            if cased != tokens:
                self.rules.add("address.case")
            tokens = cased
        self._units(tokens)
        self._types(tokens)
        return " ".join(tokens)

    def _unglue(self, token: str) -> list[str]:
        glued = _GLUED.match(token)
        if glued and word_key(glued[1]) in self.vocab.type_and_unit_keys:
            self.rules.add("address.spacing")
            return [glued[1], glued[2]]
        return [token]

    def _replace(self, tokens: list[str], i: int, table: dict[str, str], rule: str) -> bool:
        token = tokens[i]
        canonical = table.get(word_key(token))
        if canonical is None or not _REWRITABLE.match(token):
            return False
        new = self.vocab.render(canonical, token, self.style)
        if new != token:
            tokens[i] = new
            self.rules.add(rule)
        return True

    def _units(self, tokens: list[str]) -> None:
        units = self.vocab.units
        for i in range(len(tokens) - 1):
            if word_key(tokens[i]) in units and _is_identifier(tokens[i + 1]):
                self._replace(tokens, i, units, "address.unit")

    def _types(self, tokens: list[str]) -> None:
        start = _after_number(tokens)
        position = self.vocab.position
        if position in ("prefix", "any") and start < len(tokens) - 1:
            self._replace(tokens, start, self.vocab.types, "address.street_type")
        if position == "suffix":
            last = self._name_end(tokens) - 1
            if last > start:
                self._replace(tokens, last, self.vocab.types, "address.street_type")
        if position == "any":
            end = len(tokens)
            while end > 1 and _HOUSE.match(tokens[end - 1]):
                end -= 1
            if end - 1 > start:
                self._replace(tokens, end - 1, self.vocab.types, "address.street_type")
            for i in range(end):
                self._compound(tokens, i)

    def _name_end(self, tokens: list[str]) -> int:
        """Index after the street name: before the first unit and any trailing directionals."""
        end = len(tokens)
        for i, token in enumerate(tokens):
            is_unit = word_key(token) in self.vocab.units and i + 1 < len(tokens) and _is_identifier(tokens[i + 1])
            if is_unit or token.startswith("#"):
                end = i
                break
        while end > 1 and word_key(tokens[end - 1]) in self.vocab.directionals:
            end -= 1
        return end

    def _compound(self, tokens: list[str], i: int) -> None:
        token = tokens[i]
        lowered = token.lower()
        for ending, canonical in self.vocab.compound:
            stem = token[: len(token) - len(ending)]
            if lowered.endswith(ending) and len(stem) >= 3 and stem[-1].isalpha():
                new = stem + self.vocab.render(canonical, "", self.style)
                if new != token:
                    tokens[i] = new
                    self.rules.add("address.street_type")
                return


def _after_number(tokens: list[str]) -> int:
    """Index of the first word after a leading house number ("12", "12bis", "12 bis", "123/4")."""
    i = 0
    while i < len(tokens) and (_HOUSE.match(tokens[i].rstrip(",")) or (i and tokens[i].lower() in ("bis", "ter"))):
        i += 1
    return i


def _is_shouting(value: str) -> bool:
    if not (value.isupper() or value.islower()):
        return False
    letters = 0
    for ch in value:
        if ch.isalpha():
            letters += 1
            if letters > 1:
                return True
    return False


def tidy_street(value: str, vocab: Vocabulary, style: str = ABBREVIATE) -> tuple[str, list[str]]:
    """The tidied street text and the rules applied, most specific first."""
    line = _Line(vocab, style)
    if vocab.letters and any(chr(code) in value for code in vocab.letters):
        lettered = value.translate(vocab.letters)
        line.rules.add("address.letters")
        value = lettered
    shouting = _is_shouting(value)
    text = "\n".join(line.tidy(part, shouting) for part in value.split("\n"))
    return text, [r for r in _RULE_ORDER if r in line.rules]


def address_vocabularies(rules: RuleSet) -> dict[str, Vocabulary]:
    """alpha-2 -> its street vocabulary, from rules/address/*.toml."""
    return {
        name.rsplit("/", 1)[1].upper(): Vocabulary.from_data(rules.data(name), f"{name}.toml")
        for name in rules.names_under("address")
    }


@dataclass(frozen=True)
class AddressNormalizer:
    """Street types, unit designators, case and comma spacing of the street line, per the row's country."""

    name: ClassVar[str] = "address"
    role: ClassVar[Role] = Role.STREET
    hint: ClassVar[Role | None] = Role.COUNTRY
    after: ClassVar[tuple[str, ...]] = ("country",)
    rules_declared: ClassVar[dict[str, str]] = {
        "address.street_type": "street type in the country's one form (Street -> St, boulevard -> bd, Strada -> Str.)",
        "address.unit": "unit designator in the country's one form (Apartment -> Apt, bloc -> bl., appt)",
        "address.letters": "letters written as the country writes them (Romanian ş ţ -> ș ț)",
        "address.case": "ALL CAPS or all lowercase street put in title case",
        "address.spacing": "space after commas and between a glued abbreviation and the next word",
    }
    vocabularies: dict[str, Vocabulary] = field(repr=False)
    style: str = ABBREVIATE
    default_country: str = ""
    # (template, country) -> (tidied template cut at digit runs, first rule or ""): see _memo_tidy.
    _memo: dict[tuple[str, str], tuple[tuple[str | None, ...], str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @classmethod
    def from_rules(cls, rules: RuleSet, config: Config) -> Self:
        style = EXPAND if config.normalize.address_style == EXPAND else ABBREVIATE
        return cls(address_vocabularies(rules), style, country_code(config.normalize.default_region or ""))

    def normalize(self, value: str, hint: str = "") -> Outcome:
        if not value.strip():
            return None
        country = _country_code(hint) or self.default_country
        vocab = self.vocabularies.get(country, PLAIN)
        if not vocab.templated:
            return self._tidied(value, vocab)
        key = (_NONZERO_DIGIT.sub("0", value), country)
        found = self._memo.get(key)
        if found is None:
            found = self._memo_tidy(key, vocab)
        pieces, rule = found
        if not rule:
            return None
        if len(pieces) == 1:
            return Fix(pieces[0], rule)
        if pieces[0] is None:
            return self._tidied(value, vocab)
        out = list(pieces)
        out[1::2] = _DIGIT_RUN.findall(value)
        return Fix("".join(out), rule)

    def _memo_tidy(self, key: tuple[str, str], vocab: Vocabulary) -> tuple[tuple[str | None, ...], str]:
        """The tidied template cut at its digit runs (each to be given back its digits) and the rule.

        Digit runs are only ever moved as they are, so the tidied template holds the template's runs in
        the same order; if it ever did not, (None,) sends such values down the plain path.
        """
        template = key[0]
        outcome = self._tidied(template, vocab)
        if not isinstance(outcome, Fix):
            found: tuple[tuple[str | None, ...], str] = ((template,), "")
        else:
            same_runs = _ZERO_RUN.findall(outcome.value) == _ZERO_RUN.findall(template)
            found = (tuple(_ZERO_RUN_SPLIT.split(outcome.value)) if same_runs else (None, None), outcome.rule)
        if len(self._memo) >= MEMO_SIZE:
            self._memo.clear()
        self._memo[key] = found
        return found

    def _tidied(self, value: str, vocab: Vocabulary) -> Outcome:
        text, rules = tidy_street(value, vocab, self.style)
        return None if text == value or not rules else Fix(text, rules[0])


@lru_cache(maxsize=4096)
def _country_code(hint: str) -> str:
    """country_code, remembered: hints repeat on every row and a name is looked up in pycountry."""
    return country_code(hint)


@lru_cache(maxsize=1)
def _shipped_vocabularies() -> dict[str, Vocabulary]:
    return address_vocabularies(RuleSet.load())


def street_key(value: str, country: str, vocabularies: dict[str, Vocabulary] | None = None) -> tuple[str, str]:
    """(house number, street words expanded and folded) for matching two spellings of one street.

    >>> street_key("12 BD HAUSSMANN", "FR")
    ('12', 'boulevard haussmann')
    """
    vocab = (vocabularies or _shipped_vocabularies()).get(country_code(country), PLAIN)
    text, _ = tidy_street(value, vocab, EXPAND)
    tokens = [t.strip(",") for t in text.replace("\n", " ").split(" ") if t.strip(",")]
    index = _house_number_index(tokens, vocab)
    number = fold(tokens[index]).replace(" ", "") if index is not None else ""
    words = [t for i, t in enumerate(tokens) if i != index and vocab.units.get(word_key(t)) not in vocab.number_units]
    return number, fold(" ".join(words))


def _house_number_index(tokens: list[str], vocab: Vocabulary) -> int | None:
    """The first house number ("first" countries) or the last one of the first part that has one ("last")."""
    def unit_before(i: int) -> bool:
        unit = vocab.units.get(word_key(tokens[i - 1])) if i else None
        return unit is not None and unit not in vocab.number_units

    candidates = [i for i, t in enumerate(tokens) if _HOUSE.match(t) and not unit_before(i)]
    if not candidates:
        return None
    return candidates[0] if vocab.number == "first" else candidates[-1]
