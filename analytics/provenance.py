"""The rows behind a figure, with the documents and places they came from."""

from __future__ import annotations

import pandas as pd

import strings as S
from analytics.dataset import Dataset
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
    names = ds.documents.set_index("document_id")["file_name"] if len(ds.documents) else pd.Series(dtype=object)
    out["file_name"] = rows["document_id"].map(names)
    demo = ds.demo_ids
    if demo:
        out["file_name"] = [
            f"{n} (демо)" if d in demo else n for n, d in zip(out["file_name"], rows["document_id"], strict=True)
        ]
    out["source_ref"] = rows["source_ref"]
    return out.rename(columns=S.COL)
