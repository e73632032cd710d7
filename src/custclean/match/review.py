"""The review band and the decisions file (read, write, apply).

Pairs scored between review_threshold and threshold go to review.csv, side by side with the
evidence of each field and an empty `decision` column. A person fills in yes/no and passes the file
back as `[match] decisions`; "yes" forces the link, "no" forbids it (and cuts the cluster).

Decisions are remembered in a store next to the decisions file (`<name>.store.csv`), keyed by a pair
key that does not depend on row numbers: a hash of both records' id (the id column when there is
one) or else of their normalized identifying keys. Every later run applies the whole store and never
asks again about a decided pair; a record whose identifying values change is a new question.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from custclean.errors import ConfigError, InputError

try:    # CPython's own SHA-1: the same digests as hashlib's, in half the time on short texts
    from _sha1 import sha1 as _sha1
except ImportError:     # pragma: no cover - Python built without it
    from hashlib import sha1 as _sha1

IDENTITY_KEYS = ("first_name", "last_name", "birth_date", "email", "phone", "street:number", "street",
                 "postal_code", "city", "company")
YES = frozenset({"yes", "y", "oui", "o", "ja", "j", "si", "sí", "da", "có", "co", "1", "true", "x", "match"})
NO = frozenset({"no", "n", "non", "nein", "nu", "không", "khong", "0", "false", "different"})
STORE_COLUMNS = ("pair_key", "decision", "decided_at")


def record_fingerprints(keys: pd.DataFrame, ids: pd.Series | None = None, rows: np.ndarray | None = None
                        ) -> np.ndarray:
    """A stable identity per record: its id when the list has one, else its normalized identifying keys.

    With `rows` (positions), only those records are fingerprinted; the others get "". Records with the
    same identifying values share one text and one hash.
    """
    rows = np.arange(len(keys)) if rows is None else rows
    out = np.full(len(keys), "", dtype=object)
    if ids is not None and (ids != "").all():
        out[rows] = _short_hashes(["id\x1f" + t for t in ids.iloc[rows].astype(str).tolist()])
        return out
    present = [k for k in IDENTITY_KEYS if k in keys.columns]
    columns = [_column_codes(keys[key], rows) for key in present]
    combined, span = np.zeros(len(rows), dtype=np.int64), 1
    for codes, values in columns:       # the columns' codes in one number, renumbered before it overflows
        width = len(values) + 1
        if span * width >= 2**62:
            combined, seen = pd.factorize(combined)
            span = len(seen)
        combined, span = combined * width + (codes + 1), span * width
    combined = pd.factorize(combined)[0]
    first = np.empty(int(combined.max()) + 1 if len(combined) else 0, dtype=np.int64)
    first[combined[::-1]] = np.arange(len(combined) - 1, -1, -1)
    parts = [values[codes[first]].tolist() for codes, values in columns]
    texts = ["\x1f".join(t) for t in zip(*parts, strict=True)]
    out[rows] = np.asarray(_short_hashes(texts), dtype=object)[combined]
    return out


def _column_codes(column: pd.Series, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(code per row at `rows`, text per code) of a key column, as `astype(str)` writes its values.

    A categorical's values are taken as they are when they are all strings (code -1 reads "nan", as
    astype(str) writes a missing value).
    """
    if isinstance(column.dtype, pd.CategoricalDtype):
        values = column.cat.categories.to_numpy(dtype=object)
        if pd.api.types.infer_dtype(values, skipna=False) != "string":
            values = np.array([str(v) for v in values], dtype=object)
        return column.cat.codes.to_numpy()[rows].astype(np.int64), np.append(values, "nan").astype(object)
    codes, values = pd.factorize(column.iloc[rows].astype(str).to_numpy(dtype=object))
    return codes.astype(np.int64), np.asarray(values, dtype=object)


def _short_hashes(texts: list[str]) -> list[str]:
    """The first 16 hex digits of each text's SHA-1."""
    sha1 = _sha1
    return [sha1(t.encode()).hexdigest()[:16] for t in texts]


def pair_keys(fingerprints: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """One key per pair, the same whichever record comes first."""
    a, b = fingerprints[left], fingerprints[right]
    first = a < b
    lo, hi = np.where(first, a, b).tolist(), np.where(first, b, a).tolist()
    sha1 = _sha1
    return np.array([sha1(f"{x}|{y}".encode()).hexdigest()[:16] for x, y in zip(lo, hi, strict=True)], dtype=object)


def store_path(decisions: str | Path) -> Path:
    path = Path(decisions)
    return path.with_name(path.stem + ".store.csv")


def _read_decisions(path: Path) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError("decisions file not found", str(path)) from None
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError):
        raise InputError(f"{path}: not a readable decisions CSV (expected review.csv with a decision column)") from None
    missing = [c for c in ("pair_key", "decision") if c not in frame.columns]
    if missing:
        raise InputError(f"{path}: decisions file needs the columns {', '.join(missing)} (as in review.csv)")
    return frame


def _verdicts(frame: pd.DataFrame) -> pd.DataFrame:
    answer = frame["decision"].str.strip().str.casefold()
    verdict = np.where(answer.isin(YES), "yes", np.where(answer.isin(NO), "no", ""))
    out = pd.DataFrame({"pair_key": frame["pair_key"].str.strip(), "decision": verdict})
    if "decided_at" in frame.columns:
        out["decided_at"] = frame["decided_at"]
    return out[(out["decision"] != "") & (out["pair_key"] != "")]


def load_decisions(decisions: str | Path | None) -> tuple[dict[str, str], Path | None]:
    """pair key -> "yes"/"no" from the store and the decisions file (the file's newer answers win).

    The merged answers are written back to the store, so they are remembered even after the
    decisions file is replaced by the next review.csv.
    """
    if not decisions:
        return {}, None
    path, store = Path(decisions), store_path(decisions)
    frames = []
    if store.is_file():
        frames.append(_verdicts(_read_decisions(store)))
    if path.is_file():
        fresh = _verdicts(_read_decisions(path))
        fresh["decided_at"] = pd.Timestamp.now(tz="UTC").strftime("%Y-%m-%dT%H:%M:%SZ")
        frames.append(fresh)
    elif not store.is_file():
        raise ConfigError("decisions file not found", str(path))
    merged = pd.concat(frames, ignore_index=True).drop_duplicates("pair_key", keep="last")
    _write_store(merged, store)
    return dict(zip(merged["pair_key"], merged["decision"], strict=True)), store


def _write_store(frame: pd.DataFrame, store: Path) -> None:
    tmp = store.with_name(store.name + ".tmp")
    try:
        frame.reindex(columns=list(STORE_COLUMNS)).fillna("").to_csv(tmp, index=False, encoding="utf-8")
        tmp.chmod(0o600)
        tmp.replace(store)
    except OSError as exc:
        raise ConfigError(f"cannot write the decisions store ({exc.strerror})", str(store)) from None


def review_frame(
    table_frame: pd.DataFrame, columns: dict[str, str], pairs: pd.DataFrame, band: np.ndarray
) -> pd.DataFrame:
    """The pairs in the review band, both records side by side, with field evidence and `decision`."""
    chosen = pairs[band].sort_values(["probability", "row_l"], ascending=[False, True])
    out = pd.DataFrame({
        "pair_key": chosen["pair_key"].to_numpy(),
        "row_l": chosen["row_l"].to_numpy(),
        "row_r": chosen["row_r"].to_numpy(),
        "probability": chosen["probability"].round(4).to_numpy(),
    })
    for role, column in columns.items():
        out[f"{role}_l"] = table_frame.loc[chosen["row_l"], column].to_numpy()
        out[f"{role}_r"] = table_frame.loc[chosen["row_r"], column].to_numpy()
    for name in [c for c in pairs.columns if c.startswith("level_")]:
        out[name] = chosen[name].astype(str).to_numpy()
    out["decision"] = ""
    return out
