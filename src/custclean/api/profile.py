"""profile(): one line per column — role, confidence, fill rate, distinct values, samples, formats."""

from __future__ import annotations

import re
from typing import Any

from custclean.table import Table

_FORMATS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("email", re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")),
    ("iso date", re.compile(r"^\d{4}-\d{2}-\d{2}$")),
    ("d/m/y or m/d/y date", re.compile(r"^\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}$")),
    ("international phone", re.compile(r"^(\+|00)\d[\d\s().\-]{6,}$")),
    ("phone-like digits", re.compile(r"^[\d\s().\-/]{7,}$")),
    ("integer", re.compile(r"^\d+$")),
    ("decimal", re.compile(r"^-?\d+[.,]\d+$")),
    ("yes/no", re.compile(r"^(?i:yes|no|y|n|true|false|oui|non|ja|nein|da|nu|si|sí|có|không|0|1)$")),
)


def _format_guesses(values: list[str]) -> list[str]:
    if not values:
        return []
    guesses = []
    for label, pattern in _FORMATS:
        share = sum(1 for v in values if pattern.match(v)) / len(values)
        if share >= 0.3:
            guesses.append(f"{label} {share:.0%}")
    return guesses[:3]


def profile(table: Table, samples: int = 3) -> list[dict[str, Any]]:
    """Describe each column, so a user sees at once what custclean understood of their file."""
    rows = []
    total = max(len(table), 1)
    for column in table.columns:
        values = table.frame[column]
        filled = values[values.str.strip() != ""]
        distinct = filled.unique()
        detection = next((d for d in table.roles.detections if d.column == column), None)
        rows.append(
            {
                "column": column,
                "role": detection.role.value if detection else "",
                "confidence": detection.confidence if detection else 0.0,
                "detected_by": detection.how if detection else "",
                "fill_rate": round(len(filled) / total, 3),
                "distinct": len(distinct),
                "samples": [str(v) for v in distinct[:samples]],
                "formats": _format_guesses(filled.head(1000).tolist()),
            }
        )
    return rows
