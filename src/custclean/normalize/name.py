"""Personal names: shouting re-cased, Romanian ș ț, titles and suffixes split off, "Smith, John" turned round.

"Don't touch good names" (python-nameparser): only an ALL-CAPS or all-lowercase name is re-cased, and
then with care: McDonald, O'Brien, Jean-Luc, Jan van der Berg, María del Carmen, Nguyễn Văn An.
Particles (van, de, del …) are lower case wherever they are followed by another word, also at the
start of a last name ("van der Berg"), because the name is mostly shown after a first name.
Romanian s/t with a cedilla become comma-below letters always, except for Turkish and Azerbaijani
rows. Vocabulary is in rules/names.toml. One class per column role: first, last and full name.

With `[normalize] split_names`, a full name also fills empty first/last name cells. Family name first
when the row's country is VN; when the row has no country, when the first word is a Vietnamese family
name, the last is not, and the name has three words or Vietnamese letters. Three-word names from
two-surname countries (ES, PT, Latin America) are not split: either reading is a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, ClassVar, Self

from custclean.config import Config
from custclean.normalize.base import Fix, Outcome, Unclear
from custclean.normalize.region import country_code
from custclean.roles import Role
from custclean.ruleset import RuleSet, build_alias_map
from custclean.text import fold

_SEPARATORS = re.compile(r"([\-'’])")
_APOSTROPHES = ("'", "’")
_INITIALS = re.compile(r"^(?:[^\W\d_]\.)+[^\W\d_]?\.?$")
_NOT_A_NAME = re.compile(r"[\d@]")
_COUPLE = frozenset({"and", "&", "et", "und", "y", "și", "si", "và", "e"})
# Letters only Vietnamese uses among the languages custclean meets (ư ơ ă đ and the dot/hook tones).
_VIETNAMESE = re.compile("[ươăđƯƠĂĐạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)
VIETNAM = "VN"

COMMON_RULES = {
    "name.case": "ALL CAPS or all lowercase name put in title case (McDonald, O'Brien, van der Berg, Jean-Luc)",
    "name.romanian_comma": "Romanian ş ţ written with the comma below (ș ț), as Romanian spells them",
    "name.title": "a title (Mr, Mme, Dr, Dna, Ông) moved to the title column",
    "name.suffix": "a suffix (Jr, Sr, III) moved to the suffix column",
    "name.not_a_name": "digits or an @ in a name; left as written",
}
FULL_RULES = {
    **COMMON_RULES,
    "name.comma_order": "'Smith, John' written as 'John Smith'",
    "name.split": "first and last name cells filled from the full name",
}
_RULE_ORDER = ("name.title", "name.suffix", "name.comma_order", "name.romanian_comma", "name.case", "name.split")


def _upper_first(char: str) -> str:
    """Upper case of one letter, kept as is when it has no one-letter upper case ("ß")."""
    upper = char.upper()
    return upper if len(upper) == 1 else char


def _lower(text: str) -> str:
    return text.replace("İ", "i").lower()      # Turkish dotted İ would lower to i + a combining dot


def cap_parts(word: str) -> str:
    """Capitalize each part of "jean-luc", "o'brien"; a one-letter part after an apostrophe stays low ("'s")."""
    parts = _SEPARATORS.split(word)
    out = []
    for i, part in enumerate(parts):
        lowered = _lower(part)
        if not part or part in ("-", *_APOSTROPHES) or (i and parts[i - 1] in _APOSTROPHES and len(part) == 1):
            out.append(lowered if part not in ("-", *_APOSTROPHES) else part)
            continue
        out.append(_upper_first(part[0]) + lowered[1:])
    return "".join(out)


def affix_key(token: str) -> str:
    """Titles and suffixes are compared in lower case without dots or commas, accents kept ("Bà" ≠ "Ba")."""
    return token.casefold().replace(".", "").strip(",")


@dataclass(frozen=True)
class NameVocabulary:
    """rules/names.toml, keyed for lookups."""

    titles: dict[str, str] = field(default_factory=dict)
    suffixes: dict[str, str] = field(default_factory=dict)
    particles: frozenset[str] = frozenset()
    after_particle: frozenset[str] = frozenset()
    words: dict[str, str] = field(default_factory=dict)
    cedilla: dict[int, str] = field(default_factory=dict)
    keep_cedilla: frozenset[str] = frozenset()
    vietnamese_families: frozenset[str] = frozenset()
    two_surnames: frozenset[str] = frozenset()
    cedilla_letters: frozenset[str] = field(init=False, default=frozenset())   # the keys of `cedilla`, as letters

    def __post_init__(self) -> None:
        object.__setattr__(self, "cedilla_letters", frozenset(chr(code) for code in self.cedilla))

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> NameVocabulary:
        affixes = {}
        for table in ("titles", "suffixes"):
            entries = [(a, c, f"names.toml [{table}] {c}") for c, al in data.get(table, {}).items() for a in [c, *al]]
            build_alias_map(entries)                       # refuses a spelling given to two titles
            affixes[table] = {affix_key(a): c for a, c, _ in entries}
        particles, order = data.get("particles", {}), data.get("order", {})
        romanian = data.get("romanian", {})
        return cls(
            affixes["titles"],
            affixes["suffixes"],
            frozenset(_lower(p) for p in particles.get("lower", ())),
            frozenset(_lower(p) for p in particles.get("after_particle", ())),
            {_lower(w): w for w in data.get("case", {}).get("words", ())},
            str.maketrans(romanian.get("cedilla", {})),
            frozenset(romanian.get("keep_cedilla", ())),
            frozenset(fold(n) for n in order.get("vietnamese_family_names", ())),
            frozenset(order.get("two_surnames", ())),
        )

    def recase(self, tokens: list[str], vietnamese: bool = False) -> list[str]:
        """Title case for a shouted name; particles low before another word (not in Vietnamese names: "Le Van An")."""
        out: list[str] = []
        prev_particle = False
        for i, token in enumerate(tokens):
            low = _lower(token)
            followed = any(t for t in tokens[i + 1 :])
            is_particle = not vietnamese and followed and (
                low in self.particles or (prev_particle and low in self.after_particle)
            )
            out.append(low if is_particle else self._word(token, low, first=not any(out)))
            prev_particle = is_particle
        return out

    def _word(self, token: str, low: str, first: bool) -> str:
        if low in self.words:
            return self.words[low]
        if _INITIALS.match(token):
            return token.upper() if len(token.upper()) == len(token) else token
        if low.startswith("mc") and len(low) > 3 and low[2].isalpha():
            return "Mc" + cap_parts(token[2:])
        elision = low[:2] if len(low) > 2 and low[1] in _APOSTROPHES else ""
        if elision and not first and low[0] + "'" in self.particles:
            return elision + cap_parts(token[2:])          # "Valéry Giscard d'Estaing"
        return cap_parts(token)


@dataclass
class _Draft:
    """A name being tidied: its words, what was split off, and the rules applied."""

    tokens: list[str]
    titles: list[str] = field(default_factory=list)
    suffixes: list[str] = field(default_factory=list)
    rules: set[str] = field(default_factory=set)
    inverted: tuple[str, str] | None = None       # (first, last) when "Last, First" was turned round

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


@dataclass(frozen=True)
class _PersonName:
    """The shared work of the three name normalizers; `part` says which column role it is."""

    part: ClassVar[str] = "full"
    vocab: NameVocabulary = field(repr=False, default_factory=NameVocabulary)
    split_names: bool = False

    @classmethod
    def from_rules(cls, rules: RuleSet, config: Config) -> Self:
        return cls(NameVocabulary.from_data(rules.data("names")), config.normalize.split_names)

    def normalize(self, value: str, hint: str = "") -> Outcome:
        if not value.strip():
            return None
        if _NOT_A_NAME.search(value):
            return Unclear("name.not_a_name")
        if self._looks_done(value):
            return None
        country = _country_code(hint)
        draft = _Draft(value.split(" "))
        if country not in self.vocab.keep_cedilla:
            self._cedilla(draft)
        self._affixes(draft)
        if self.part == "full" and country != VIETNAM and self._invert(draft):
            self._affixes(draft)
        body = draft.text
        if body.isupper() or body.islower():
            recased = self.vocab.recase(draft.tokens, self._vietnamese_family_first(draft.tokens, country))
            if recased != draft.tokens:
                draft.tokens = recased
                draft.rules.add("name.case")
        extra = self._extra(draft, country)
        text = draft.text
        if text == value and not extra:
            return None
        rule = next(r for r in _RULE_ORDER if r in draft.rules or r == "name.split")
        return Fix(text, rule, extra)

    def _looks_done(self, value: str) -> bool:
        """The common case, answered without building a draft: mixed case, no comma, cedilla, title or suffix."""
        if value.isupper() or value.islower() or "," in value or self.split_names:
            return False
        if not self.vocab.cedilla_letters.isdisjoint(value):
            return False
        first, _, rest = value.partition(" ")
        return not rest or (affix_key(first) not in self.vocab.titles
                            and affix_key(rest.rpartition(" ")[2]) not in self.vocab.suffixes)

    def _cedilla(self, draft: _Draft) -> None:
        if not any(chr(code) in draft.text for code in self.vocab.cedilla):
            return
        fixed = [t.translate(self.vocab.cedilla) for t in draft.tokens]
        if fixed != draft.tokens:
            draft.tokens = fixed
            draft.rules.add("name.romanian_comma")

    def _affixes(self, draft: _Draft) -> None:
        """Move leading titles and trailing suffixes out, always leaving a name behind."""
        tokens, vocab = draft.tokens, self.vocab
        start = 0
        while start < len(tokens) - 1 and affix_key(tokens[start]) in vocab.titles:
            needed = 2 if len(affix_key(tokens[start])) == 1 else 1      # "M. Dupont" may be an initial
            if len(tokens) - start - 1 < needed:
                break
            start += 1
        if start and _lower(tokens[start]) in _COUPLE:
            start = 0                                                   # "Mr and Mrs Smith": one couple
        end = len(tokens)
        while end - 1 > start and affix_key(tokens[end - 1]) in vocab.suffixes and tokens[end - 2].strip(","):
            end -= 1
        if start == 0 and end == len(tokens):
            return
        draft.titles += [vocab.titles[affix_key(t)] for t in tokens[:start]]
        draft.suffixes += [vocab.suffixes[affix_key(t)] for t in tokens[end:]]
        draft.rules.update(r for r, hit in (("name.title", start), ("name.suffix", end < len(tokens))) if hit)
        body = tokens[start:end]
        body[-1] = body[-1].rstrip(",") or body[-1]
        draft.tokens = body

    def _invert(self, draft: _Draft) -> bool:
        """'Smith, John' -> 'John Smith' (one comma, a name on both sides)."""
        text = draft.text
        if text.count(",") != 1:
            return False
        last, first = (p.strip() for p in text.split(","))
        if not last or not first or affix_key(last) in self.vocab.suffixes:
            return False
        draft.tokens = f"{first} {last}".split(" ")
        draft.inverted = (first, last)
        draft.rules.add("name.comma_order")
        return True

    def _extra(self, draft: _Draft, country: str) -> tuple[tuple[Role, str], ...]:
        extra: list[tuple[Role, str]] = []
        if draft.titles:
            extra.append((Role.TITLE, " ".join(draft.titles)))
        if draft.suffixes:
            extra.append((Role.SUFFIX, " ".join(draft.suffixes)))
        if self.part == "full" and self.split_names:
            split = self._split(draft, country)
            if split:
                extra += [(Role.FIRST_NAME, split[0]), (Role.LAST_NAME, split[1])]
        return tuple(extra)

    def _split(self, draft: _Draft, country: str) -> tuple[str, str] | None:
        """(first, last) from the tidied full name, or None when the reading would be a guess."""
        if draft.inverted:
            text, last = draft.text, cap_case(draft.inverted[1], draft.text)
            first = text[: len(text) - len(last)].strip() if text.endswith(last) else ""
            return (first, last) if first else None
        words = [t for t in draft.tokens if t]
        if len(words) < 2 or any(_lower(w) in _COUPLE for w in words):
            return None
        if self._vietnamese_order(words, country):
            return " ".join(words[1:]), words[0]
        if len(words) > 2 and country in self.vocab.two_surnames:
            return None
        starts = self.vocab.particles | self.vocab.after_particle           # "Marine Le Pen", "Jan van Dijk"
        particle = next((i for i, w in enumerate(words[1:-1], 1) if _lower(w) in starts), None)
        if self._vietnamese_family_first(words, country):
            particle = None                                                 # "Nguyen Van An": Văn, not van
        if particle is not None:
            return " ".join(words[:particle]), " ".join(words[particle:])
        return " ".join(words[:-1]), words[-1]

    def _vietnamese_family_first(self, tokens: list[str], country: str) -> bool:
        """A Vietnamese name by country or by its first word, where "Van" is a middle name, not a particle."""
        first = next((t for t in tokens if t), "")
        return country == VIETNAM or fold(first) in self.vocab.vietnamese_families

    def _vietnamese_order(self, words: list[str], country: str) -> bool:
        if country == VIETNAM:
            return True
        if country:
            return False
        families = self.vocab.vietnamese_families
        looks_vietnamese = len(words) >= 3 or bool(_VIETNAMESE.search(" ".join(words)))
        return fold(words[0]) in families and fold(words[-1]) not in families and looks_vietnamese


@lru_cache(maxsize=4096)
def _country_code(hint: str) -> str:
    """country_code, remembered: hints repeat on every row and a name is looked up in pycountry."""
    return country_code(hint)


def cap_case(part: str, whole: str) -> str:
    """A part of the tidied name as it appears in it (the inverted parts were taken before re-casing)."""
    index = _lower(whole).find(_lower(part))
    return whole[index : index + len(part)] if index >= 0 else part


@dataclass(frozen=True)
class FirstNameNormalizer(_PersonName):
    """First-name columns."""

    name: ClassVar[str] = "first_name"
    role: ClassVar[Role] = Role.FIRST_NAME
    hint: ClassVar[Role | None] = Role.COUNTRY
    after: ClassVar[tuple[str, ...]] = ("country",)
    rules_declared: ClassVar[dict[str, str]] = COMMON_RULES
    part: ClassVar[str] = "first"


@dataclass(frozen=True)
class LastNameNormalizer(_PersonName):
    """Last-name columns."""

    name: ClassVar[str] = "last_name"
    role: ClassVar[Role] = Role.LAST_NAME
    hint: ClassVar[Role | None] = Role.COUNTRY
    after: ClassVar[tuple[str, ...]] = ("country",)
    rules_declared: ClassVar[dict[str, str]] = COMMON_RULES
    part: ClassVar[str] = "last"


@dataclass(frozen=True)
class FullNameNormalizer(_PersonName):
    """Full-name columns: also "Smith, John", and first/last cells with `split_names`."""

    name: ClassVar[str] = "full_name"
    role: ClassVar[Role] = Role.FULL_NAME
    hint: ClassVar[Role | None] = Role.COUNTRY
    after: ClassVar[tuple[str, ...]] = ("country",)
    rules_declared: ClassVar[dict[str, str]] = FULL_RULES
    part: ClassVar[str] = "full"
