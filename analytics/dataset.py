"""The frames the analytics work on, and the filters users set."""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from pandas.api.extensions import take

from loaders.canonical import FACT_TABLES, FUNDING_COLUMNS, PERSONAL_COLUMNS

MEMO_ENTRIES = 256
DISSOLVED = "ликвидирован"


@dataclass(frozen=True)
class Filters:
    """Shared sidebar filters. Empty tuples and None mean «all»."""

    region_ids: tuple[str, ...] = ()
    municipality_ids: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    area_type: str | None = None  # «городской» / «сельский»
    legal_entity: bool | None = None

    def with_(self, **changes) -> Filters:
        return replace(self, **changes)

    @property
    def is_default(self) -> bool:
        return self == Filters(year_from=self.year_from, year_to=self.year_to)


@dataclass
class Dataset:
    """Everything a page needs, read once per store revision.

    `municipalities` carries region_name, population, population_year and `top_id` (the
    municipality itself or, for a settlement, its district): tables and maps roll up to `top_id`.
    """

    tos: pd.DataFrame
    projects: pd.DataFrame
    municipalities: pd.DataFrame
    regions: pd.DataFrame
    documents: pd.DataFrame
    as_of: str | None = None
    today: dt.date = field(default_factory=dt.date.today)
    # Results of analytics per filter combination (the Dataset lives as long as its store revision).
    memo: OrderedDict = field(default_factory=OrderedDict, repr=False, compare=False)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @property
    def first_unfinished_year(self) -> int:
        """From this year on the figures are still growing: trends and charts mark such years.

        The one definition of an unfinished year for the whole dashboard.
        """
        return self.today.year

    @property
    def demo_ids(self) -> set[str]:
        docs = self.documents
        if docs.empty or "is_demo" not in docs:
            return set()
        return set(docs.loc[docs["is_demo"].fillna(False).astype(bool), "document_id"])

    def document_name(self, document_id: str | None) -> str | None:
        if document_id is None or self.documents.empty:
            return None
        hit = self.documents.loc[self.documents["document_id"] == document_id, "file_name"]
        return hit.iloc[0] if len(hit) else None


def memoized(fn):
    """Remember fn(ds, filters, …) on the Dataset: the same filters again cost a dict lookup.

    The Dataset is rebuilt when the store changes, so the memo can never serve stale figures.
    Results are shared: callers must not modify returned frames.
    """

    @functools.wraps(fn)
    def wrapper(ds: Dataset, filters: Filters, *args, **kwargs):
        key = (fn.__module__, fn.__qualname__, filters, args, tuple(sorted(kwargs.items())))
        with ds.lock:
            if key in ds.memo:
                ds.memo.move_to_end(key)
                return ds.memo[key]
        value = fn(ds, filters, *args, **kwargs)
        with ds.lock:
            ds.memo[key] = value
            while len(ds.memo) > MEMO_ENTRIES:
                ds.memo.popitem(last=False)
        return value

    return wrapper


def prepare_municipalities(m: pd.DataFrame) -> pd.DataFrame:
    """Add `top_id`: settlements roll up to their district, everything else to itself."""
    m = m.copy()
    ids = set(m["municipality_id"])
    parent = m["parent_id"].where(m["parent_id"].isin(ids))
    m["top_id"] = parent.fillna(m["municipality_id"])
    return m


def selected_municipality_ids(ds: Dataset, filters: Filters) -> set[str] | None:
    """Municipalities in force (with the settlements of a selected district); None means all."""
    m = ds.municipalities
    if not filters.region_ids and not filters.municipality_ids:
        return None
    mask = pd.Series(True, index=m.index)
    if filters.region_ids:
        mask &= m["region_id"].isin(filters.region_ids)
    if filters.municipality_ids:
        chosen = set(filters.municipality_ids)
        mask &= m["municipality_id"].isin(chosen) | m["top_id"].isin(chosen)
    return set(m.loc[mask, "municipality_id"])


def filter_tos(ds: Dataset, filters: Filters) -> pd.DataFrame:
    tos = ds.tos
    ids = selected_municipality_ids(ds, filters)
    mask = pd.Series(True, index=tos.index)
    if ids is not None:
        mask &= tos["municipality_id"].isin(ids)
    if filters.area_type:
        mask &= tos["area_type"] == filters.area_type
    if filters.legal_entity is not None:
        # Unknown status is neither «юрлицо» nor «не юрлицо»: NA in the mask must not pass.
        mask &= (tos["legal_entity"].astype("boolean") == filters.legal_entity).fillna(False).astype(bool)
    return tos if mask.all() else tos[mask]


def in_years(projects: pd.DataFrame, filters: Filters) -> pd.Series:
    """Projects whose year is within the selected years; each bound may be open.

    A project without a year is in no chosen period (NA in the mask would let it through whenever
    every dated project is in range).
    """
    mask = pd.Series(True, index=projects.index)
    if filters.year_from is not None:
        mask &= (projects["year"] >= filters.year_from).fillna(False).astype(bool)
    if filters.year_to is not None:
        mask &= (projects["year"] <= filters.year_to).fillna(False).astype(bool)
    return mask


def filter_projects(ds: Dataset, filters: Filters, years: bool = True) -> pd.DataFrame:
    """Projects in the selected territory and years; the TOS filters apply through the project's TOS."""
    p = ds.projects
    ids = selected_municipality_ids(ds, filters)
    mask = pd.Series(True, index=p.index)
    if ids is not None:
        mask &= p["municipality_id"].isin(ids)
    if years:
        mask &= in_years(p, filters)
    if filters.area_type or filters.legal_entity is not None:
        tos_ids = set(filter_tos(ds, filters)["tos_id"])
        mask &= p["tos_id"].isin(tos_ids)
    return p if mask.all() else p[mask]


def filter_municipalities(ds: Dataset, filters: Filters) -> pd.DataFrame:
    ids = selected_municipality_ids(ds, filters)
    m = ds.municipalities
    return m if ids is None else m[m["municipality_id"].isin(ids)]


@memoized
def demo_in_scope(ds: Dataset, filters: Filters) -> bool:
    """Whether a figure under these filters comes from a demo document (TOS, projects, population).

    Real data exported or shown next to demo data elsewhere in the store is not labelled demo.
    """
    demo = ds.demo_ids
    if not demo:
        return False
    population = filter_municipalities(ds, filters).get("population_document_id")
    sources = (
        filter_tos(ds, filters)["document_id"],
        filter_projects(ds, filters)["document_id"],
        population if population is not None else pd.Series(dtype=object),
    )
    return any(bool(set(pd.unique(s.dropna())) & demo) for s in sources)


def year_span(filters: Filters) -> str | None:
    """The selected years: «2019–2024», «…–2022» (an open bound), «2021»; None when no year is chosen."""
    if filters.year_from is None and filters.year_to is None:
        return None
    lo = filters.year_from if filters.year_from is not None else "…"
    hi = filters.year_to if filters.year_to is not None else "…"
    return f"{lo}–{hi}" if lo != hi else f"{lo}"


def describe_years(filters: Filters) -> str:
    """The selected years in words: «2019–2024 гг.», «…–2022 гг.», «2021 г.», «все годы»."""
    span = year_span(filters)
    if span is None:
        return "все годы"
    return f"{span} гг." if "–" in span else f"{span} г."


def describe_filters(ds: Dataset, filters: Filters) -> str:
    """The filters in force, in words: «Кемеровская область — Кузбасс; 2019–2024; сельские ТОС»."""
    parts = []
    if filters.region_ids:
        names = ds.regions.set_index("region_id")["name"].to_dict() if len(ds.regions) else {}
        parts.append(", ".join(names.get(r, r) for r in filters.region_ids))
    if filters.municipality_ids:
        names = ds.municipalities.set_index("municipality_id")["name"].to_dict()
        chosen = [names.get(m, m) for m in filters.municipality_ids]
        parts.append(", ".join(chosen[:4]) + (f" и ещё {len(chosen) - 4}" if len(chosen) > 4 else ""))
    if filters.year_from is not None or filters.year_to is not None:
        parts.append(describe_years(filters))
    if filters.area_type:
        parts.append("городские ТОС" if filters.area_type == "городской" else "сельские ТОС")
    if filters.legal_entity is not None:
        parts.append("ТОС — юридические лица" if filters.legal_entity else "ТОС без статуса юрлица")
    return "; ".join(parts) if parts else "все регионы и муниципалитеты"


def _positions(keys: pd.Series, ids: pd.Series) -> np.ndarray:
    """Where each key stands in `ids` (unique), -1 where it is not there.

    Both sides hashed as plain objects: `Series.map` would first turn every key into an Arrow
    string (0.2 s for the TOS and projects of a national store).
    """
    index = pd.Index(ids.to_numpy(dtype=object), dtype=object)
    return index.get_indexer(pd.Index(keys.to_numpy(dtype=object), dtype=object))


def _take(values: pd.Series, positions: np.ndarray, index: pd.Index) -> pd.Series:
    """`keys.map(values)` from positions: the same values and dtype, text as plain objects."""
    taken = take(values.to_numpy(), positions, allow_fill=True)
    if taken.dtype == object and pd.api.types.infer_dtype(taken, skipna=True) == "string":
        # What map then the object conversion below would give: every missing value as NaN.
        taken[pd.isna(taken)] = np.nan
        return pd.Series(taken, index=index, dtype=object)
    return pd.Series(taken, index=index)


def build_dataset(
    tos: pd.DataFrame,
    projects: pd.DataFrame,
    municipalities: pd.DataFrame,
    regions: pd.DataFrame,
    documents: pd.DataFrame,
    as_of: str | None,
    today: dt.date | None = None,
) -> Dataset:
    """Assemble a Dataset from store frames, attaching each fact's municipality name and region."""
    m = prepare_municipalities(municipalities)
    # Shallow copies: pandas copies on write, so the added columns never reach the caller's frames.
    tos = tos.copy(deep=False)
    projects = projects.copy(deep=False)
    # Every public canonical column is there, unknown where the frames lack it (hand-built frames).
    for frame, table in ((tos, "tos"), (projects, "projects")):
        for col in FACT_TABLES[table]:
            if col not in frame.columns and col not in PERSONAL_COLUMNS:
                frame[col] = None
    for frame in (tos, projects):
        positions = _positions(frame["municipality_id"], m["municipality_id"])
        frame["municipality_name"] = _take(m["name"], positions, frame.index)
        frame["region_id"] = _take(m["region_id"], positions, frame.index)
    # Text as plain object columns: pandas 3 keeps text in Arrow arrays, and every boolean row
    # filter would copy each string column (0.6 s on 200 000 projects); objects copy pointers.
    for frame in (tos, projects):
        for col in frame.columns:
            if pd.api.types.is_string_dtype(frame[col].dtype) and frame[col].dtype != object:
                frame[col] = frame[col].astype(object)
    # Parsed once per store revision, not on every rerun of every page.
    tos["registered_ts"] = pd.to_datetime(tos["registered_on"], errors="coerce", format="%Y-%m-%d")
    tos["dissolved_ts"] = pd.to_datetime(tos["dissolved_on"], errors="coerce", format="%Y-%m-%d")
    tos["dissolved_undated"] = (tos["status"] == DISSOLVED) & tos["dissolved_ts"].isna()
    for col in ("residents", "members"):
        if col in tos:
            tos[col] = pd.to_numeric(tos[col], errors="coerce").astype("Int64")
    projects["year"] = pd.to_numeric(projects["year"], errors="coerce").astype("Int64")
    for col in ("cost_total", *FUNDING_COLUMNS):
        projects[col] = pd.to_numeric(projects[col], errors="coerce").astype("float64")
    return Dataset(
        tos=tos,
        projects=projects,
        municipalities=m,
        regions=regions,
        documents=documents,
        as_of=as_of,
        today=today or dt.date.today(),
    )
