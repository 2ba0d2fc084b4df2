"""What every loader returns: canonical frames, warnings with their places, document facts."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from loaders.canonical import FACT_TABLES
from loaders.privacy import redact_personal


class ParseError(Exception):
    """A file that cannot be used. The message is Russian and names the file and the place."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ParseWarning:
    """Something the user should see: where in the document, and what."""

    where: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"where": self.where, "message": self.message}


@dataclass
class ParsedDocument:
    """One parsed file, nothing stored yet.

    `tables` hold canonical frames (column names of loaders.canonical); `meta` holds facts about
    the document itself: title, doc_date, as_of, region_id, municipality_id, place, participants,
    is_demo.
    """

    file_name: str
    kind: str
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    warnings: list[ParseWarning] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    def warn(self, where: str, message: str) -> None:
        # Warnings are shown on public pages and in public exports, and often quote a cell: a phone,
        # an e-mail or a clerk's name in it is blanked here, once for every parser.
        self.warnings.append(ParseWarning(where, redact_personal(message)))

    def row_count(self) -> int:
        return sum(len(df) for df in self.tables.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file_name,
            "kind": self.kind,
            "tables": {name: frame_records(df) for name, df in self.tables.items()},
            "warnings": [w.as_dict() for w in self.warnings],
            "meta": {k: json_value(v) for k, v in self.meta.items()},
            "error": None,
        }


def json_value(value: Any) -> Any:
    """A value as JSON wants it: NaN/NaT → null, dates ISO, numpy scalars → Python."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NaT:
        return None
    if isinstance(value, (dt.date, dt.datetime, pd.Timestamp)):
        return value.isoformat()[:10] if not isinstance(value, dt.datetime) or value.time() == dt.time() else value.isoformat()
    if hasattr(value, "item"):  # numpy scalar
        return json_value(value.item())
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: json_value(v) for k, v in value.items()}
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def frame_records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: json_value(v) for k, v in row.items()} for row in df.to_dict(orient="records")]


def canonical_frame(table: str, rows: list[dict[str, Any]] | pd.DataFrame) -> pd.DataFrame:
    """A frame with exactly the canonical columns of `table` (plus source_ref), in order."""
    columns = list(FACT_TABLES[table]) + ["source_ref"]
    df = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(rows)
    for col in columns:
        if col not in df.columns:
            df[col] = None
    return df[columns].reset_index(drop=True)
