"""libphonenumber's reading and validity of plain phones, from per-region tables compiled once.

The phone normalizer and the phone check see tens of thousands of distinct numbers; libphonenumber's
parse, is_valid_number and number_type look up or recompile a dozen regexes and build objects for
each one. These functions give the library's exact answers without that: `read_plus` and
`read_national` follow `phonenumbers.parse` step by step (country code, international and national
prefixes, possible lengths), and `classify` follows `region_code_for_number` and `number_type`.

They only take what they are sure of: ASCII digits, and text made of those digits and the usual
separators (`plain_digits`). The callers ask the library for anything else. A reading is the pair
(country code, national significant number) the parser would store, `FAILS` when it would raise.
`quick_plus` and `quick_national` go further for the common case, a valid number read without doubt
(no prefix the parser might keep, a region that answers for its own numbers): reading and type in
one pass, about half the cost of the steps; None sends the caller to the steps.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, SUPPORTED_REGIONS, PhoneMetadata, PhoneNumberType
from phonenumbers.phonenumberutil import REGION_CODE_FOR_NON_GEO_ENTITY

Reading = tuple[int, str]
FAILS: Reading = (0, "")             # parse raises: no number at all
UNKNOWN = PhoneNumberType.UNKNOWN
_MIN_NSN, _MAX_NSN, _MAX_CC, _MAX_INPUT = 2, 17, 3, 250
# The number as written: an optional "+", ASCII digits and separators the parser only skips.
_PLAIN = re.compile(r"\+?[0-9 ().\-/\u2010-\u2015]*")
_NOT_ASCII_DIGIT = re.compile(r"[^0-9]")
_CODES_WRITTEN = {str(code): code for code in COUNTRY_CODE_TO_REGION_CODE}
# The types in the order number_type tries them; fixed line and mobile come last, with their own rules.
_SPECIAL = (
    "premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager", "uan", "voicemail",
)
_KIND = {
    "premium_rate": PhoneNumberType.PREMIUM_RATE, "toll_free": PhoneNumberType.TOLL_FREE,
    "shared_cost": PhoneNumberType.SHARED_COST, "voip": PhoneNumberType.VOIP,
    "personal_number": PhoneNumberType.PERSONAL_NUMBER, "pager": PhoneNumberType.PAGER,
    "uan": PhoneNumberType.UAN, "voicemail": PhoneNumberType.VOICEMAIL,
    "either": PhoneNumberType.FIXED_LINE_OR_MOBILE, "fixed_line": PhoneNumberType.FIXED_LINE,
    "mobile": PhoneNumberType.MOBILE,
}
# _test_number_length results the parser uses to decide whether to keep a stripped national prefix.
_TOO_SHORT, _LOCAL_ONLY, _INVALID_LENGTH, _TOO_LONG, _POSSIBLE = range(5)
_KEEPS_PREFIX = (_TOO_SHORT, _LOCAL_ONLY, _INVALID_LENGTH)

Desc = tuple[frozenset[int], str] | None        # (possible lengths, empty for any; national number pattern)
Typer = Callable[[str], re.Match[str] | None]


def _desc(desc: object) -> Desc:
    """A PhoneNumberDesc as (lengths, pattern); None when no number can match it."""
    pattern = getattr(desc, "national_number_pattern", None)
    if desc is None or not pattern:
        return None
    lengths = frozenset(desc.possible_length)
    return None if lengths == {-1} else (lengths, pattern)


def _fits(desc: Desc, size: int) -> bool:
    return desc is not None and (not desc[0] or size in desc[0])


class _Typers(dict[int, Typer | None]):
    """A plan's typer per number length, made when first asked for."""

    def __init__(self, make: Callable[[int], Typer | None]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, size: int) -> Typer | None:
        typer = self[size] = self.make(size)
        return typer


@dataclass(frozen=True)
class Plan:
    """One region's metadata, compiled: what parse, number_type and region_code_for_number consult."""

    region: str
    country_code: int
    own_code: str                   # the country code as the digits that start an international number
    descs: dict[str, Desc]
    same_mobile_and_fixed_line: bool
    general_pattern: Callable[[str], object] | None
    lengths: tuple[int, ...]
    local_lengths: frozenset[int]
    leading_digits: Callable[[str], object] | None
    idd: Callable[[str], re.Match[str] | None] | None
    national_prefix: str | None
    prefix_for_parsing: re.Pattern[str] | None
    transform_rule: str | None
    typers: _Typers = field(init=False, repr=False, compare=False)      # by number length, made when first needed

    def __post_init__(self) -> None:
        object.__setattr__(self, "typers", _Typers(self._typer))

    @classmethod
    def build(cls, region: str, meta: PhoneMetadata) -> Plan:
        general = meta.general_desc
        pattern = general.national_number_pattern if general is not None else None
        idd, npfp = meta.international_prefix, meta.national_prefix_for_parsing
        names = ("general_desc", *_SPECIAL, "fixed_line", "mobile")
        return cls(
            region=region,
            country_code=meta.country_code,
            own_code=str(meta.country_code),
            descs={name: _desc(getattr(meta, name)) for name in names},
            same_mobile_and_fixed_line=bool(meta.same_mobile_and_fixed_line_pattern),
            general_pattern=re.compile(pattern).fullmatch if pattern else None,
            lengths=tuple(general.possible_length) if general is not None else (),
            local_lengths=frozenset(general.possible_length_local_only) if general is not None else frozenset(),
            leading_digits=re.compile(meta.leading_digits).match if meta.leading_digits is not None else None,
            idd=re.compile(idd).match if idd is not None else None,
            national_prefix=meta.national_prefix,
            prefix_for_parsing=re.compile(npfp) if npfp else None,
            transform_rule=meta.national_prefix_transform_rule,
        )

    def _typer(self, size: int) -> Typer | None:
        """One regex for the numbers of this length: the general pattern as a lookahead, then each type that
        allows the length as a named alternative, in number_type's order (fullmatch takes the first that fits)."""
        descs = self.descs
        if not _fits(descs["general_desc"], size):
            return None
        options = [(name, descs[name][1]) for name in _SPECIAL if _fits(descs[name], size)]
        fixed = descs["fixed_line"][1] if _fits(descs["fixed_line"], size) else None
        mobile = descs["mobile"][1] if _fits(descs["mobile"], size) else None
        if self.same_mobile_and_fixed_line:
            options += [("either", fixed)] if fixed else []
        else:
            options += [("either", rf"(?=(?:{fixed})\Z)(?:{mobile})")] if fixed and mobile else []
            options += [("fixed_line", fixed)] if fixed else []
            options += [("mobile", mobile)] if mobile else []
        if not options:
            return None
        either = "|".join(f"(?P<{name}>{pattern})" for name, pattern in options)
        return re.compile(rf"(?=(?:{descs['general_desc'][1]})\Z)(?:{either})").fullmatch

    def number_type(self, nsn: str) -> int:
        """_number_type_helper: the first type whose description the number matches, else UNKNOWN."""
        typer = self.typers[len(nsn)]
        found = typer(nsn) if typer is not None else None
        return UNKNOWN if found is None else _KIND[found.lastgroup]

    def viable(self, number: str) -> bool:
        """_match_national_number against the general description (pattern only, no lengths)."""
        return self.general_pattern is not None and self.general_pattern(number) is not None

    def length_result(self, size: int) -> int:
        """_test_number_length for an unknown type, against the general description's lengths."""
        if size in self.local_lengths:
            return _LOCAL_ONLY
        if self.lengths[0] == size:
            return _POSSIBLE
        if self.lengths[0] > size:
            return _TOO_SHORT
        if self.lengths[-1] < size:
            return _TOO_LONG
        return _POSSIBLE if size in self.lengths[1:] else _INVALID_LENGTH

    def strip_national_prefix(self, number: str) -> str:
        """_maybe_strip_national_prefix_carrier_code, without the carrier code."""
        prefix = self.prefix_for_parsing
        found = prefix.match(number) if prefix is not None and number else None
        return number if found is None else self._strip(number, found)

    def _strip(self, number: str, found: re.Match[str]) -> str:
        """strip_national_prefix once the prefix for parsing matched (`found`)."""
        prefix = self.prefix_for_parsing
        assert prefix is not None
        viable = self.viable(number)
        groups = found.groups()
        if not self.transform_rule or groups[len(groups) - 1] is None:
            stripped = number[found.end():]
        else:
            stripped = prefix.sub(self.transform_rule, number, count=1)
        return number if viable and not self.viable(stripped) else stripped

    def national_number(self, number: str) -> str:
        """The end of parse: the national prefix goes only when what is left has a possible length."""
        prefix = self.prefix_for_parsing
        found = prefix.match(number) if prefix is not None and number else None
        if found is None:       # most numbers after a country code: nothing to strip
            return number
        stripped = self._strip(number, found)
        if stripped is number:
            return number
        keep = self.length_result(len(stripped)) in _KEEPS_PREFIX
        return number if keep else stripped


@cache
def region_plan(region: str) -> Plan | None:
    """The compiled metadata of a region, None when libphonenumber has none."""
    meta = PhoneMetadata.metadata_for_region(region, None)
    return Plan.build(region, meta) if meta is not None else None


@cache
def _national_plan(region: str) -> Plan | None:
    """The plan parse(text, region) reads national text with: none for a region it refuses."""
    return region_plan(region) if region in SUPPORTED_REGIONS else None


@cache
def _nongeo_plan(country_code: int) -> Plan | None:
    meta = PhoneMetadata.metadata_for_nongeo_region(country_code, None)
    return Plan.build(REGION_CODE_FOR_NON_GEO_ENTITY, meta) if meta is not None else None


def _plan_for(country_code: int, region: str | None) -> Plan | None:
    """metadata_for_region_or_calling_code, compiled."""
    if region == REGION_CODE_FOR_NON_GEO_ENTITY:
        return _nongeo_plan(country_code)
    return region_plan(region) if region is not None else None


@cache
def main_plan(country_code: int) -> Plan | None:
    """The metadata parse uses for a country code it extracted (the code's main region)."""
    return _plan_for(country_code, COUNTRY_CODE_TO_REGION_CODE[country_code][0])


# country code -> (one region: its name and plan) or (shared: the plans of the regions that have metadata)
_CODES: dict[int, tuple[str | None, tuple[Plan | None, ...]]] = {}


def _regions_of(country_code: int) -> tuple[str | None, tuple[Plan | None, ...]]:
    regions = COUNTRY_CODE_TO_REGION_CODE[country_code]
    if len(regions) == 1:
        entry = regions[0], (_plan_for(country_code, regions[0]),)
    else:
        entry = None, tuple(p for p in (region_plan(r.upper()) for r in regions) if p is not None)
    _CODES[country_code] = entry
    return entry


def classify(country_code: int, nsn: str) -> tuple[str | None, int]:
    """(region_code_for_number, number_type) of a number; the number is valid exactly when the type is not UNKNOWN."""
    entry = _CODES.get(country_code)
    if entry is None:
        if country_code not in COUNTRY_CODE_TO_REGION_CODE:
            return None, UNKNOWN
        entry = _regions_of(country_code)
    single, plans = entry
    if single is not None:
        return single, plans[0].number_type(nsn) if plans[0] is not None else UNKNOWN
    for plan in plans:
        if plan.leading_digits is not None:
            if plan.leading_digits(nsn):
                return plan.region, plan.number_type(nsn)
        else:
            kind = plan.number_type(nsn)
            if kind != UNKNOWN:
                return plan.region, kind
    return None, UNKNOWN


def plain_digits(text: str) -> str | None:
    """The digits of a number written only with ASCII digits and separators the parser skips, else None.

    At least three digits and at most 250 characters: such text is always a viable number to the parser,
    and it holds no extension. Spaces, dots, dashes, slashes and brackets go by str.replace, three times
    faster than a regex; other dashes by the regex.
    """
    if len(text) > _MAX_INPUT:
        return None
    body = text[1:] if text[:1] == "+" else text
    if body.isdigit() and body.isascii():       # E.164 and bare digits: nothing to take out
        return body if len(body) >= 3 else None
    digits = body.replace(" ", "").replace("-", "").replace(".", "").replace("(", "").replace(")", "").replace("/", "")
    if not (digits.isdigit() and digits.isascii()):
        if _PLAIN.fullmatch(text) is None:
            return None
        digits = _NOT_ASCII_DIGIT.sub("", text)
    return digits if len(digits) >= 3 else None


def _country_code(digits: str) -> Reading:
    """_extract_country_code: the first 1-3 digits that are a known code (never with a leading 0), and the rest."""
    for size in (1, 2, _MAX_CC):
        code = _CODES_WRITTEN.get(digits[:size])
        if code is not None:
            return code, digits[size:]
    return FAILS


def _finish(country_code: int, national: str, plan: Plan | None) -> Reading:
    """The end of parse once the country code is known: length limits and the national prefix."""
    if len(national) < _MIN_NSN:
        return FAILS
    if plan is not None and plan.prefix_for_parsing is not None:
        national = plan.national_number(national)
    return (country_code, national) if _MIN_NSN <= len(national) <= _MAX_NSN else FAILS


def _code_entry(written: str) -> tuple[int, str, Plan | None] | tuple[()]:
    """(country code, its main region, main_plan) for a code as written, () when no such code; kept."""
    code = _CODES_WRITTEN.get(written)
    main = COUNTRY_CODE_TO_REGION_CODE[code][0] if code is not None else ""     # region_code_for_country_code
    entry = _WRITTEN[written] = (code, main, main_plan(code)) if code is not None else ()
    return entry


# The first 1-3 digits after a "+" -> `_code_entry`: one dict look-up per try rather than three.
_WRITTEN: dict[str, tuple[int, str, Plan | None] | tuple[()]] = {}


def _international(digits: str, region: str | None) -> Reading:
    """parse after a "+" or an international prefix: a country code must follow (as `_country_code` reads it)."""
    if len(digits) <= _MIN_NSN:
        return FAILS
    for size in (1, 2, _MAX_CC):
        written = digits[:size]
        entry = _WRITTEN.get(written)
        if entry is None:
            entry = _code_entry(written)
        if entry:
            break
    else:
        return FAILS
    code, main, plan = entry
    return _finish(code, digits[size:], region_plan(region) if main == region else plan)


def read_plus(digits: str, region: str | None = None) -> Reading:
    """What parse("+" + digits, region) reads, for ASCII digits.

    When no country code follows the "+", the parser tries again as if the "+" were not there, which
    only gives a number when the region's international prefix follows ("+00 33 ..." in France).
    """
    reading = _international(digits, None)
    if reading != FAILS or region is None or len(digits) <= _MIN_NSN or _country_code(digits) != FAILS:
        return reading
    plan = region_plan(region.upper())
    found = plan.idd(digits) if plan is not None and plan.idd is not None else None
    if found is None or digits[found.end():found.end() + 1] == "0":
        return FAILS
    return _international(digits[found.end():], region)


def read_national(digits: str, region: str) -> Reading:
    """What parse(text, region) reads for a text without "+" whose `plain_digits` these are."""
    plan = _national_plan(region)
    if plan is None:
        return FAILS
    found = plan.idd(digits) if plan.idd is not None else None
    if found is not None and digits[found.end():found.end() + 1] != "0":
        return _international(digits[found.end():], region)
    own = plan.own_code
    if digits.startswith(own):
        national = plan.strip_national_prefix(digits[len(own):])
        if (not plan.viable(digits) and plan.viable(national)) or plan.length_result(len(digits)) == _TOO_LONG:
            main = COUNTRY_CODE_TO_REGION_CODE[plan.country_code][0]
            return _finish(plan.country_code, national, plan if main == region else main_plan(plan.country_code))
    return _finish(plan.country_code, digits, plan)


# Quick readers: the reading and the type of a valid number at once, where read_* and classify are certain to agree.
# (One regex per region doing all the steps was tried: Python's re is slower on its length lookaheads.)

Quick = tuple[Reading, int]         # ((country code, national significant number), number type) of a valid number


def _answering_plan(country_code: int) -> Plan | None:
    """The plan whose number type `classify` gives whenever that type is not UNKNOWN; None when that depends on more."""
    single, plans = _CODES.get(country_code) or _regions_of(country_code)
    if not plans or (single is None and plans[0].leading_digits is not None):
        return None
    return plans[0]


# The first three digits after a "+" -> (country code, its length, the prefix parse may strip after it,
# the answering plan's typers); () when there is no quick reading
Lead = tuple[int, int, re.Pattern[str] | None, _Typers] | tuple[()]
_LEADS: dict[str, Lead] = {}


def _lead(first: str) -> Lead:
    """`_international`'s country code for digits that start with `first`, kept."""
    code, national = _country_code(first)
    plan = _answering_plan(code) if code else None
    main = main_plan(code) if plan is not None else None
    entry = _LEADS[first] = (code, 3 - len(national), main and main.prefix_for_parsing, plan.typers) if plan else ()
    return entry


def quick_plus(digits: str) -> Quick | None:
    """read_plus(digits) and its number type for a valid number the parser keeps whole after its country code.

    None means "ask read_plus and classify": an unknown code, a code whose regions share out its numbers by
    leading digits, a national prefix after the code that the parser might strip, or an invalid number.
    """
    if len(digits) <= _MIN_NSN:
        return None
    entry = _LEADS.get(digits[:3])
    if entry is None:
        entry = _lead(digits[:3])
    if not entry:
        return None
    code, size, prefix, typers = entry
    national = digits[size:]
    if not _MIN_NSN <= len(national) <= _MAX_NSN or (prefix is not None and prefix.match(national)):
        return None
    typer = typers[len(national)]       # Plan.number_type, inline
    found = typer(national) if typer is not None else None
    return None if found is None else ((code, national), _KIND[found.lastgroup])


def _national_reader(region: str) -> Callable[[str], Quick | None] | None:
    """`quick_national` for one region, its tables bound once. None for a region read_national must handle itself:
    one it does not support, a prefix transform rule, or a country code it shares with a region classify tries first."""
    plan = _national_plan(region)
    if plan is None or plan.transform_rule or not plan.lengths or _answering_plan(plan.country_code) is not plan:
        return None
    code, typers, trunk = plan.country_code, plan.typers, plan.prefix_for_parsing
    # read_national's first steps in one match, in its order: an international prefix not followed by 0,
    # the country code written first, the trunk prefix (as re.match finds it), none.
    idd = f"(?P<idd>(?>{plan.idd.__self__.pattern}))(?!0)|" if plan.idd is not None else ""
    lead = re.compile(
        f"{idd}(?P<own>{plan.own_code})" + (f"|(?P<trunk>(?>{trunk.pattern}))" if trunk is not None else "") + "|"
    ).match
    # Lengths of a national number that keep a stripped trunk prefix off (length_result) and pass `_finish`.
    stripped_sizes = frozenset(
        size for size in range(_MIN_NSN, _MAX_NSN + 1) if plan.length_result(size) not in _KEEPS_PREFIX
    )
    too_long = frozenset(size for size in range(_MAX_INPUT + 1) if plan.length_result(size) == _TOO_LONG)

    def read(digits: str) -> Quick | None:
        found = lead(digits)
        route = found.lastgroup if found is not None else "own"
        if route is None:
            national = digits
            if not _MIN_NSN <= len(national) <= _MAX_NSN:
                return None
        elif route == "trunk" and found.end() and len(digits) - found.end() in stripped_sizes:
            national = digits[found.end():]     # the trunk prefix goes: the rest is valid below, so viable
        elif route == "idd":
            return quick_plus(digits[found.end():])
        elif route == "own":    # "1 212 ..." in the US: the code goes when the rest is viable and the whole is not
            national = digits[found.end():]
            if (trunk is not None and trunk.match(national)) or not _MIN_NSN <= len(national) <= _MAX_NSN:
                return None
            if plan.viable(digits) and len(digits) not in too_long:
                return None
        else:
            return None
        typer = typers[len(national)]
        found = typer(national) if typer is not None else None
        return None if found is None else ((code, national), _KIND[found.lastgroup])

    return read


_NATIONAL: dict[str, Callable[[str], Quick | None] | None] = {}


def quick_national(digits: str, region: str) -> Quick | None:
    """read_national(digits, region) and its number type when the number is valid and the reading certain, else None.

    Certain: no international prefix (or one followed by what `quick_plus` reads), no country code written
    first, and either no trunk prefix or one the parser strips because the rest is valid and of a possible length.
    """
    try:
        reader = _NATIONAL[region]
    except KeyError:
        reader = _NATIONAL[region] = _national_reader(region)
    return reader(digits) if reader is not None else None
