"""Build data/reference/municipalities.csv from the bundled OSM boundary files.

Canonical names are nominative and full: an adjective city okrug gets «… городской округ»
(«Беловский» → «Беловский городской округ»), a city okrug named after its town keeps the OKTMO
form («город Иркутск»), districts keep the OKTMO name («Мариинский муниципальный район»).
Every other spelling seen in the sources goes into `aliases`.

    python -m scripts.build_reference
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from loaders.names import _adjective, _cap

ROOT = Path(__file__).resolve().parent.parent
BOUNDARIES = ROOT / "data" / "boundaries"
OUT = ROOT / "data" / "reference" / "municipalities.csv"

# Settlement-level municipalities named by the seed documents (no polygons of their own).
EXTRA = [
    {
        "municipality_id": "32616101",
        "name": "Мариинское городское поселение",
        "type": "городское поселение",
        "region_id": "RU-KEM",
        "parent_id": "32616000",
        "aliases": ["Мариинское городское поселение Мариинского муниципального района", "город Мариинск"],
        "boundary_name": "",
    },
]


def canonical(props: dict) -> tuple[str, list[str]]:
    osm, oktmo_name, mo_type = props["name"], props["oktmo_name"], props["mo_type"]
    aliases = {osm, oktmo_name}
    if mo_type == "городской округ":
        if oktmo_name.startswith("город ") or oktmo_name.startswith("ЗАТО "):
            name = oktmo_name
            town = oktmo_name.split(" ", 1)[1]
            aliases.add(f"г. {town}")
        else:
            adjective = _cap(_adjective(oktmo_name, "m"))
            name = f"{adjective} городской округ"
    else:
        name = oktmo_name
    aliases.discard(name)
    return name, sorted(aliases)


def main() -> None:
    centres = {}
    with open(BOUNDARIES / "municipality_centres.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            centres[row["oktmo_municipality"]] = row["city"]
    rows = []
    for path in sorted(BOUNDARIES.glob("municipalities_*.geojson")):
        for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
            p = feature["properties"]
            name, aliases = canonical(p)
            if p["oktmo"] in centres and p["mo_type"] == "городской округ":
                town = centres[p["oktmo"]]
                aliases += [f"город {town}", f"г. {town}"]
            rows.append(
                {
                    "municipality_id": p["oktmo"],
                    "name": name,
                    "type": p["mo_type"],
                    "region_id": p["region_iso"],
                    "parent_id": "",
                    "aliases": sorted(set(aliases) - {name}),
                    "boundary_name": p["name"],
                }
            )
    rows += EXTRA
    rows.sort(key=lambda r: (r["region_id"], r["municipality_id"]))
    with open(OUT, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(
            fh, ["municipality_id", "name", "type", "region_id", "parent_id", "aliases", "boundary_name"]
        )
        writer.writeheader()
        for r in rows:
            writer.writerow({**r, "aliases": "|".join(r["aliases"])})
    print(f"{OUT.relative_to(ROOT)}: {len(rows)} municipalities")


if __name__ == "__main__":
    main()
