"""The rows behind a figure, with the documents and places they came from."""

from __future__ import annotations

import pandas as pd

import strings as S
from analytics.dataset import Dataset
from analytics.formatting import fmt_date
from loaders.canonical import PERSONAL_COLUMNS


def provenance_table(ds: Dataset, rows: pd.DataFrame, columns: list[str] | None = None, limit: int | None = None) -> pd.DataFrame:
    """`rows` with readable headers, plus «Документ» and «Место в документе» (and a demo mark).

    With `limit`, only the first rows are prepared (a page shows a bounded view of 45 000 TOS).
    """
    if rows is None or rows.empty:
        return pd.DataFrame()
    if limit is not None:
        rows = rows.head(limit)
    columns = [c for c in (columns or [c for c in rows.columns if c in S.COL]) if c in rows.columns and c not in PERSONAL_COLUMNS]
    out = rows[columns].copy()
    # Dates as people read them: «30.05.2019», «2019 г.» when only the year is known, «—» unknown.
    for col in ("registered_on", "dissolved_on"):
        if col in out:
            precision = rows["registered_precision"] if col == "registered_on" and "registered_precision" in rows else None
            out[col] = [
                "—" if not isinstance(v, str) or not v else (f"{v[:4]} г." if p == "year" else fmt_date(v))
                for v, p in zip(out[col], precision if precision is not None else [None] * len(out), strict=True)
            ]
    names = ds.documents.set_index("document_id")["file_name"] if len(ds.documents) else pd.Series(dtype=object)
    out["file_name"] = rows["document_id"].map(names)
    demo = ds.demo_ids
    if demo:
        out["file_name"] = [
            f"{n} (демо)" if d in demo else n for n, d in zip(out["file_name"], rows["document_id"], strict=True)
        ]
    out["source_ref"] = rows["source_ref"]
    return out.rename(columns=S.COL)
