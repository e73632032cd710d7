"""Config dataclasses; custclean.toml + flags -> Config; reports all problems at once.

Precedence: built-in defaults < custclean.toml (working directory, or --config) < flags. Each key
matches its CLI flag (`--fail-on` <-> `[validate] fail_on`), so a nightly job needs no flags.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from types import UnionType
from typing import Any, Union, get_args, get_origin, get_type_hints

from custclean.errors import ConfigError

CONFIG_NAME = "custclean.toml"


@dataclass(frozen=True)
class InputOptions:
    """How to read input files."""

    encoding: str | None = None          # None: detect
    delimiter: str | None = None         # None: sniff
    sheet: str | None = None             # xlsx sheet name or 0-based index; None: first
    mapping: dict[str, str] = field(default_factory=dict)   # role -> header text
    chunk_rows: int = 100_000            # CSV files with more rows are read in chunks of this many; 0: never


@dataclass(frozen=True)
class NormalizeOptions:
    """Which normalizers run and how they render values."""

    only: tuple[str, ...] = ()
    skip: tuple[str, ...] = ()
    country_format: str = "alpha2"       # alpha2 | alpha3 | name | name:LANG
    phone_format: str = "e164"           # e164 | international | national
    default_region: str | None = None    # ISO alpha-2 used for phones when the row has no country
    address_style: str = "abbreviate"    # abbreviate | expand
    split_names: bool = False
    fix_email_typos: bool = True
    date_order: str | None = None        # None: decide per column; "dmy" or "mdy" to force
    workers: int = -1                    # processes for normalizing and validating big columns; -1: all cores


@dataclass(frozen=True)
class ValidateOptions:
    """Checks, severities and what to do with failing rows."""

    rules: tuple[str, ...] = ()          # user validation rules files
    fail_on: str | None = None           # error | warning | info
    check_dns: bool = False
    dns_timeout: float = 2.0
    quarantine: str | None = None
    incomplete: str | None = None
    required: tuple[str, ...] = ()       # extra required roles or columns
    # The follow-up list (--incomplete): a row lacking any of these; "a+b" = all of a and b filled.
    want: tuple[str, ...] = ("email", "street+city+postal_code+country")


@dataclass(frozen=True)
class MatchOptions:
    """Duplicate matching: thresholds, blocking and the review band."""

    threshold: float | None = None       # None: the calibrated default
    review_threshold: float | None = None
    decisions: str | None = None
    id_column: str | None = None
    max_block: int | None = None
    gmail_equivalence: bool = True
    workers: int = -1                    # rapidfuzz/process workers; -1: all cores
    blocks: tuple[dict[str, Any], ...] = ()   # extra blocking rules from config
    fields: tuple[str, ...] = ()         # restrict compared fields; () = all available
    one_to_one: bool = True              # link: each master record is the match of at most one new record


@dataclass(frozen=True)
class MergeOptions:
    """Survivorship and mailing preparation."""

    roles: dict[str, str] = field(default_factory=dict)     # role -> policy
    columns: dict[str, str] = field(default_factory=dict)   # column -> policy
    suppress: tuple[str, ...] = ()
    for_mailing: str | None = None       # email | postal
    clusters: str | None = None          # a clusters file (row or id, cluster_id) used instead of matching
    normalize: bool = False              # dedupe/merge: write normalized values, not only merged ones


@dataclass(frozen=True)
class OutputOptions:
    """How output files are written."""

    in_place: bool = False
    keep_backups: int = 5
    allow_formulas: bool = False
    umask: int = 0o077
    highlight_changes: bool = False
    encoding: str | None = None          # None: keep the input's when possible


@dataclass(frozen=True)
class Config:
    """Every option of every step; frozen, passed explicitly, never global."""

    input: InputOptions = field(default_factory=InputOptions)
    normalize: NormalizeOptions = field(default_factory=NormalizeOptions)
    validate: ValidateOptions = field(default_factory=ValidateOptions)
    match: MatchOptions = field(default_factory=MatchOptions)
    merge: MergeOptions = field(default_factory=MergeOptions)
    output: OutputOptions = field(default_factory=OutputOptions)
    rules_dirs: tuple[str, ...] = ()
    path: str | None = None              # the config file it came from, for reports

    @classmethod
    def load(cls, path: str | Path | None = None, **overrides: dict[str, Any]) -> Config:
        """Defaults < the TOML file (given, or ./custclean.toml if present) < `overrides`.

        `overrides` maps a section name to {key: value}; None values are ignored, so the CLI can
        pass every flag and only the ones the user set take effect.
        """
        data: dict[str, Any] = {}
        where = ""
        if path is None and Path(CONFIG_NAME).is_file():
            path = CONFIG_NAME
        if path is not None:
            where = str(path)
            data = _read_config_file(Path(path))
        config = _build(data, where)
        config = config.override(**overrides)
        return replace(config, path=where or None)

    def override(self, **sections: dict[str, Any]) -> Config:
        """A copy with flag values applied; None means "flag not given"."""
        changes: dict[str, Any] = {}
        problems: list[str] = []
        for name, values in sections.items():
            current = getattr(self, name, None)
            if current is None or not hasattr(current, "__dataclass_fields__"):
                problems.append(f"unknown section [{name}]")
                continue
            given = {k: v for k, v in values.items() if v is not None}
            changes[name] = _section(type(current), given, name, problems, base=current)
        if problems:
            raise ConfigError(problems, "flags")
        return replace(self, **changes)


def _read_config_file(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError("config file not found", str(path)) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"not valid TOML ({exc})", str(path)) from None


_SECTIONS = ("input", "normalize", "validate", "match", "merge", "output")


def _build(data: dict[str, Any], where: str) -> Config:
    problems: list[str] = []
    sections: dict[str, Any] = {}
    for key, value in data.items():
        if key in _SECTIONS:
            section_type = type(getattr(Config(), key))
            sections[key] = _section(section_type, value, key, problems)
        elif key == "rules_dirs":
            sections[key] = tuple(value)
        else:
            problems.append(_unknown(key, [*_SECTIONS, "rules_dirs"], "section"))
    if problems:
        raise ConfigError(problems, where)
    return Config(**sections)


def _unknown(key: str, known: list[str], what: str) -> str:
    close = difflib.get_close_matches(key, known, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown {what} '{key}'{hint}"


def _section(cls: type, values: dict[str, Any], name: str, problems: list[str], base: Any = None) -> Any:
    if not isinstance(values, dict):
        problems.append(f"[{name}] must be a table")
        return base or cls()
    hints = get_type_hints(cls)
    names = [f.name for f in fields(cls)]
    kwargs: dict[str, Any] = {}
    for key, value in values.items():
        if key not in names:
            problems.append(_unknown(key, names, f"key in [{name}]"))
            continue
        kwargs[key] = _coerce(value, hints[key], f"[{name}] {key}", problems)
    return replace(base, **kwargs) if base is not None else cls(**kwargs)


def _coerce(value: Any, hint: Any, where: str, problems: list[str]) -> Any:
    """Check a TOML or flag value against its field's type; tuples accept lists and comma text."""
    allowed = set(get_args(hint)) if get_origin(hint) in {Union, UnionType} else {hint}
    allowed.discard(type(None))
    if value is None:
        return None
    kind = next(iter(allowed)) if len(allowed) == 1 else None
    origin = get_origin(kind) or kind
    if origin is tuple:
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, list | tuple):
            problems.append(f"{where} must be a list")
            return ()
        return tuple(value)
    if origin is dict:
        if not isinstance(value, dict):
            problems.append(f"{where} must be a table")
            return {}
        return dict(value)
    if origin in {bool, int, float, str}:
        ok = isinstance(value, origin) or (origin is float and isinstance(value, int))
        if not ok or (origin is not bool and isinstance(value, bool)):
            problems.append(f"{where} must be {origin.__name__}, not {type(value).__name__}")
            return value
        return float(value) if origin is float else value
    return value
