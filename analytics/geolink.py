"""Boundaries linked to the data in the store: which polygon is which TOS, municipality or region.

Linking happens here, when the map is drawn, not only at load time: a registry may arrive after its
boundaries, and a boundary file may spell a TOS differently from the registry.

* Several documents may hold a boundary of the same thing. An uploaded file wins over a bundled one,
  a more detailed bundled file over a coarser one, a newer upload over an older one.
* A municipality polygon links by its code (OKTMO), else by its normalised name (loaders.names).
* A TOS polygon links by its key (`municipality_id:slug(name)`), else by its cleaned name, searched only
  where the boundary says it is: among the TOS of its municipality (or its district / settlements) when
  that municipality is in the store; else by a name unique in its region; only a boundary whose
  municipality and region are both unknown links by a name unique in the data. A same-named TOS of
  another municipality is never taken. What does not link is listed with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

import strings as S
from analytics.dataset import Dataset
from loaders.names import Municipality, MunicipalityMatcher, slug
from loaders.registry import clean_tos_name

UNLINKED_COLUMNS = ["level", "name", "file_name", "source_ref", "reason"]


def member(series: pd.Series, values) -> pd.Series:
    """`series.isin(values)` through a Python set.

    pandas 3's Arrow strings build a pyarrow scalar per value in isin (0.15 s for 45 000 TOS ids); a set
    look-up per element is about a hundred times faster.
    """
    lookup = set(values)
    return pd.Series([v in lookup for v in series.to_numpy(dtype=object)], index=series.index, dtype=bool)


@dataclass
class Geography:
    """Linked boundary rows (display geometry only), one per region / municipality / TOS, plus what did not link."""

    regions: pd.DataFrame  # region_id + boundary columns
    municipalities: pd.DataFrame  # municipality_id + boundary columns
    tos: pd.DataFrame  # tos_id + boundary columns
    unlinked: pd.DataFrame  # UNLINKED_COLUMNS
    attributions: dict[str, str]  # document_id → attribution text (and url after a tab)

    @property
    def empty(self) -> bool:
        return self.regions.empty and self.municipalities.empty and self.tos.empty


def _meta(value) -> dict:
    return value if isinstance(value, dict) else {}


def _prioritised(b: pd.DataFrame) -> pd.DataFrame:
    """Rows ordered best first: uploads before bundled files, detailed before coarse, newer before older."""
    b = b.copy()
    meta = b["meta"].map(_meta)
    b["_bundled"] = meta.map(lambda m: bool(m.get("bundled")))
    b["_detail"] = meta.map(lambda m: int(m.get("detail") or 0))
    b["_when"] = pd.to_datetime(b["ingested_at"], utc=True, errors="coerce")
    return b.sort_values(["_bundled", "_detail", "_when", "row_id"], ascending=[True, False, False, False], kind="stable")


def _unlinked(rows: pd.DataFrame, reason) -> pd.DataFrame:
    if rows.empty:
        return pd.DataFrame(columns=UNLINKED_COLUMNS)
    out = rows[["level", "name", "file_name", "source_ref"]].copy()
    out["reason"] = [reason(r) if callable(reason) else reason for _, r in rows.iterrows()]
    return out


def link_boundaries(ds: Dataset, boundaries: pd.DataFrame) -> Geography:
    """Link the store's boundary rows (store.boundaries.read_boundaries) to the dataset's regions, municipalities and TOS."""
    empty = pd.DataFrame(columns=list(boundaries.columns) if len(boundaries.columns) else [])
    if boundaries.empty:
        return Geography(empty, empty, empty, pd.DataFrame(columns=UNLINKED_COLUMNS), {})
    b = _prioritised(boundaries)
    lost = []

    # Regions.
    reg = b[b["level"] == "region"]
    known_regions = set(ds.regions["region_id"]) if len(ds.regions) else set()
    ok = member(reg["ref_id"], known_regions)
    lost.append(_unlinked(reg[~ok], S.MAP_WHY_REGION))
    regions = reg[ok].drop_duplicates("ref_id").assign(region_id=lambda d: d["ref_id"])

    # Municipalities: by id, else by name against the store's municipalities.
    mun = b[b["level"] == "municipality"].copy()
    m = ds.municipalities
    known = set(m["municipality_id"])
    mun["municipality_id"] = mun["ref_id"].where(member(mun["ref_id"], known))
    todo = mun["municipality_id"].isna()
    if todo.any() and len(m):
        matcher = MunicipalityMatcher(
            [Municipality(r.municipality_id, r.name, r.type or "", r.region_id, r.parent_id) for r in m.itertuples()]
        )
        for idx in mun.index[todo]:
            name = mun.at[idx, "name"]
            match = matcher.match(name, mun.at[idx, "region_id"]) if isinstance(name, str) and name else None
            if match is not None and match.known:
                mun.at[idx, "municipality_id"] = match.municipality_id
    ok = mun["municipality_id"].notna()
    lost.append(_unlinked(mun[~ok], S.MAP_WHY_MUNICIPALITY))
    municipalities = mun[ok].drop_duplicates("municipality_id")

    # TOS.
    tb = b[b["level"] == "tos"].copy()
    tos = ds.tos
    tb["tos_id"] = tb["ref_id"].where(member(tb["ref_id"], tos["tos_id"]))
    todo = tb["tos_id"].isna()
    if todo.any() and len(tos):
        tb.loc[todo, "tos_id"] = _link_tos_by_name(tb[todo], ds)
    ok = tb["tos_id"].notna()

    def why(row) -> str:
        if not isinstance(row["name"], str) or not row["name"]:
            return S.MAP_WHY_NO_NAME
        if not isinstance(row.get("municipality_id"), str):
            return S.MAP_WHY_NO_MUNICIPALITY
        mname = m.set_index("municipality_id")["name"].get(row["municipality_id"], row["municipality_id"])
        return S.MAP_WHY_NO_SUCH_TOS.format(municipality=mname)

    lost.append(_unlinked(tb[~ok], why))
    linked = tb[ok]
    dup = linked[linked.duplicated("tos_id", keep="first")]
    if len(dup):
        lost.append(_unlinked(dup, S.MAP_WHY_REPLACED))
    tos_geo = linked.drop_duplicates("tos_id", keep="first")

    attributions = {}
    for doc_id, meta in zip(b["document_id"], b["meta"], strict=True):
        meta = _meta(meta)
        if meta.get("attribution"):
            attributions[doc_id] = meta["attribution"] + ("\t" + meta["attribution_url"] if meta.get("attribution_url") else "")
    unlinked = pd.concat([x for x in lost if len(x)], ignore_index=True) if any(len(x) for x in lost) else pd.DataFrame(columns=UNLINKED_COLUMNS)
    drop = ["_bundled", "_detail", "_when", "meta"]
    return Geography(
        regions=regions.drop(columns=drop).reset_index(drop=True),
        municipalities=municipalities.drop(columns=drop).reset_index(drop=True),
        tos=tos_geo.drop(columns=drop).reset_index(drop=True),
        unlinked=unlinked,
        attributions=attributions,
    )


def _name_key(name) -> str | None:
    if not isinstance(name, str) or not name.strip():
        return None
    return slug(clean_tos_name(name)) or None


def _link_tos_by_name(rows: pd.DataFrame, ds: Dataset) -> list[str | None]:
    """tos_id for each boundary row by its cleaned name, looked for only where the boundary says it is.

    Its municipality family if the store has that municipality, else its region, else everywhere.
    """
    tos = ds.tos[["tos_id", "name", "municipality_id", "region_id"]].copy()
    top = ds.municipalities.set_index("municipality_id")["top_id"]
    tos["key"] = tos["name"].map(_name_key)
    tos["top"] = tos["municipality_id"].map(top).fillna(tos["municipality_id"])
    by_family = tos.groupby(["top", "key"])["tos_id"].apply(list).to_dict()
    by_region = tos.groupby(["region_id", "key"])["tos_id"].apply(list).to_dict()
    by_key = tos.groupby("key")["tos_id"].apply(list).to_dict()
    out = []
    for r in rows.itertuples():
        key = _name_key(r.name)
        found = None
        if key:
            mid = r.municipality_id if isinstance(r.municipality_id, str) else None
            rid = r.region_id if isinstance(r.region_id, str) else None
            # A boundary that says where it is never links to a same-named TOS elsewhere.
            if mid and mid in top.index:
                family = top.get(mid)
                cands = by_family.get((family if isinstance(family, str) else mid, key))
            elif rid:
                cands = by_region.get((rid, key))
            else:
                cands = by_key.get(key)
            found = cands[0] if cands and len(cands) == 1 else None
        out.append(found)
    return out


def tos_without_boundaries(ds: Dataset, tos: pd.DataFrame, geo: Geography) -> pd.DataFrame:
    """The TOS of `tos` that have no linked boundary, with where they are shown instead."""
    missing = tos[~member(tos["tos_id"], geo.tos["tos_id"])].copy()
    top = ds.municipalities.set_index("municipality_id")["top_id"]
    polys = set(geo.municipalities["municipality_id"])
    unit = missing["municipality_id"].map(top).fillna(missing["municipality_id"])
    own = missing["municipality_id"].where(member(missing["municipality_id"], polys))
    missing["shown_at"] = own.fillna(unit.where(member(unit, polys)))
    return missing
