"""The canonical tables (DESIGN.md §2): one definition for the loaders and the store.

Each fact table also gets `document_id` (added at ingest) and carries `source_ref` (where in the
document the row came from). Types: "str", "int", "float", "bool", "date" (ISO text), "json".
"""

from __future__ import annotations

KINDS = ("passport", "protocol", "registry", "boundaries", "population", "resolution", "other")

# Columns holding personal data: shown only to signed-in staff, never exported publicly.
PERSONAL_COLUMNS = frozenset({"chair", "phone", "email", "leader", "contact_name", "contact_position"})

FACT_TABLES: dict[str, dict[str, str]] = {
    "regions": {"region_id": "str", "name": "str"},
    "municipalities": {
        "municipality_id": "str",
        "name": "str",
        "type": "str",
        "region_id": "str",
        "parent_id": "str",
    },
    "population": {"municipality_id": "str", "year": "int", "population": "int"},
    "tos": {
        "tos_id": "str",
        "name": "str",
        "municipality_id": "str",
        "settlement": "str",
        "area_type": "str",
        "registered_on": "date",
        "registered_precision": "str",
        "dissolved_on": "date",
        "status": "str",
        "legal_entity": "bool",
        "ogrn": "str",
        "inn": "str",
        "members": "int",
        "residents": "int",
        "residents_qualifier": "str",
        "boundary_text": "str",
        "chair": "str",
        "phone": "str",
        "email": "str",
    },
    "projects": {
        "project_id": "str",
        "tos_id": "str",
        "tos_name": "str",
        "municipality_id": "str",
        "year": "int",
        "title": "str",
        "category": "str",
        "status": "str",
        "cost_total": "float",
        "funding_local": "float",
        "funding_regional": "float",
        "funding_federal": "float",
        "funding_grants": "float",
        "funding_sponsors": "float",
        "funding_residents": "float",
        "beneficiaries": "int",
    },
    "practices": {
        "practice_id": "str",
        "title": "str",
        "municipality_id": "str",
        "region_id": "str",
        "period_start": "int",
        "period_end": "int",
        "period_text": "str",
        "participants": "int",
        "participants_qualifier": "str",
        "beneficiaries": "int",
        "beneficiaries_qualifier": "str",
        "beneficiaries_text": "str",
        "leader": "str",
        "url": "str",
    },
    "practice_indicators": {
        "practice_id": "str",
        "section": "int",
        "indicator": "str",
        "unit": "str",
        "value": "float",
        "qualifier": "str",
        "period": "str",
        "quote": "str",  # the words the figure was read from: the table row or the sentence
    },
    "practice_costs": {"practice_id": "str", "item": "str", "amount_rub": "float", "funding_source": "str"},
    # municipality_id and tos_id (the registry's key) let a passport's TOS meet the registry's.
    "practice_tos": {"practice_id": "str", "municipality_id": "str", "tos_id": "str", "name": "str", "residents": "int"},
    "legal_acts": {
        "practice_id": "str",
        "municipality_id": "str",
        "act_type": "str",
        "authority": "str",
        "date": "date",
        "number": "str",
        "title": "str",
        "action": "str",  # «принят» or «изменён» (the passport lists both)
    },
    "contests": {
        "contest_id": "str",
        "name": "str",
        "year": "int",
        "level": "str",
        "region_id": "str",
        "nomination": "str",
        "decided_on": "date",
    },
    "applications": {
        "contest_id": "str",
        "municipality_id": "str",
        "category": "str",
        "place": "int",
        "recommended": "bool",
        "practice_title": "str",
    },
    "application_indicators": {
        "contest_id": "str",
        "municipality_id": "str",
        "indicator": "str",
        "unit": "str",
        "value": "float",
        "qualifier": "str",
        "period": "str",
        "quote": "str",
    },
    "contacts": {
        "practice_id": "str",
        "municipality_id": "str",
        "contact_name": "str",
        "contact_position": "str",
        "phone": "str",
        "email": "str",
    },
    "boundaries": {
        "feature_id": "str",
        "level": "str",  # region, municipality, tos
        "ref_id": "str",  # region_id / municipality_id / tos_id the feature is the boundary of (null: not linked)
        "name": "str",
        "geometry": "str",  # GeoJSON geometry text, EPSG:4326, as loaded (repaired, not simplified)
        "properties": "json",  # the feature's attributes as in the file, plus _layer
        # Added for maps (loaders/boundaries.py): maps read only these, never the full geometry.
        "region_id": "str",
        "municipality_id": "str",  # of a TOS: the municipality it lies in; of a municipality: itself
        "layer": "str",
        "geometry_display": "str",  # simplified once at load (shared borders kept), rounded, GeoJSON text
        "min_lon": "float",
        "min_lat": "float",
        "max_lon": "float",
        "max_lat": "float",
        "label_lon": "float",  # a point inside the polygon (a town centre for the bundled municipalities)
        "label_lat": "float",
        "area_km2": "float",
    },
}

# Reference tables are upserted (one row per id); every other table is facts with provenance.
REFERENCE_TABLES = ("regions", "municipalities")

# Project categories (DESIGN.md §5), in display order.
PROJECT_CATEGORIES = (
    "благоустройство территории",
    "детские и спортивные площадки",
    "ремонт дорог и тротуаров",
    "решение проблем ЖКХ",
    "обеспечение водоснабжением",
    "сохранение культурного наследия",
    "решение экологических задач",
    "социальная помощь нуждающимся",
    "иное",
)

FUNDING_COLUMNS = (
    "funding_local",
    "funding_regional",
    "funding_federal",
    "funding_grants",
    "funding_sponsors",
    "funding_residents",
)
BUDGET_FUNDING = ("funding_local", "funding_regional", "funding_federal")
NON_BUDGET_FUNDING = ("funding_grants", "funding_sponsors", "funding_residents")

PROJECT_DONE = "реализован"
