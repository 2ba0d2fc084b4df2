"""A deterministic national-size data set in the real input formats (never used by the tests).

    python -m bench.generate [--out bench/out/national]

~18 000 municipalities in 85 regions, 45 000 TOS (registry .xlsx in a narrow and a full layout,
and a cp1251 .csv), 200 000
projects (.xlsx), municipal population (.xlsx), municipal and TOS boundaries (GeoPackage and
GeoJSON, from bench/geo_synthetic.py: its own synthetic districts tiling the real regions) and a
hundred practice passports (.docx, .pdf, .txt) about real municipalities of the reference.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
from pathlib import Path

from loaders.names import load_regions

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "national"
SEED = 45_000
N_MUNICIPALITIES = 18_000
N_TOS = 45_000
N_PROJECTS = 200_000
STEMS = (
    "Берёз Сосн Дуб Лип Клён Ольх Рябин Калин Малин Вишн Яблон Груш Черёмух Ив Тополь Кедр Пихт Ел "
    "Озёр Речн Полев Лугов Степн Лесн Горн Долин Ключ Родник Ручь Заречн Подгорн Приозёрн Светл Красн "
    "Нов Стар Верхн Нижн Средн Больш Мал Дальн Ближн Тих Ясн Зелён Солнечн Ветл Камен Песчан Глин"
).split()
SUFFIXES = ("овское", "инское", "енское", "ское", "ёвское", "ицкое", "ецкое")
KINDS = ("сельское поселение", "сельское поселение", "сельское поселение", "городское поселение", "муниципальный округ", "городской округ")
CATEGORIES = (
    "благоустройство территории", "детские и спортивные площадки", "ремонт дорог и тротуаров", "решение проблем ЖКХ",
    "обеспечение водоснабжением", "сохранение культурного наследия", "решение экологических задач", "социальная помощь нуждающимся",
)  # fmt: skip


def municipalities(rng: random.Random) -> list[tuple[str, str]]:
    """(name, region name) pairs: unique names in the nominative, like real settlement lists."""
    regions = [r.name for r in load_regions()]
    names: list[tuple[str, str]] = []
    seen: set[str] = set()
    i = 0
    while len(names) < N_MUNICIPALITIES:
        stem = rng.choice(STEMS) + rng.choice(SUFFIXES)
        kind = rng.choice(KINDS)
        if kind in ("муниципальный округ", "городской округ"):
            stem = stem[:-2] + "ий"  # masculine: «Берёзовский муниципальный округ»
        name = f"{stem.capitalize()}-{i % 97 + 1} {kind}" if (stem, kind) in seen else f"{stem.capitalize()} {kind}"
        seen.add((stem, kind))
        i += 1
        if name in {n for n, _ in names[-50:]}:
            continue
        names.append((name, regions[len(names) % len(regions)]))
    return names


def _xlsx(path: Path, title: str, header: list[str], rows: list[list]) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    ws = book.add_worksheet("Реестр")
    ws.write_string(0, 0, title)
    ws.write_row(2, 0, header)
    for r, row in enumerate(rows, start=3):
        ws.write_row(r, 0, row)
    book.close()


def generate(out: Path = OUT) -> dict[str, Path]:
    rng = random.Random(SEED)
    out.mkdir(parents=True, exist_ok=True)
    mun = municipalities(rng)
    tos_rows = []
    for i in range(N_TOS):
        name, region = mun[rng.randrange(len(mun))] if i >= len(mun) else mun[i % len(mun)]
        year = rng.choice(range(2005, 2026))
        tos_rows.append(
            [name, f"ТОС «{rng.choice(STEMS)}{rng.choice(('ый', 'ая', 'ое'))}-{i}»", "с. " + rng.choice(STEMS) + "ка",
             f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{year}", rng.randint(30, 3000), rng.randint(5, 60),
             "да" if rng.random() < 0.15 else "нет"]
        )  # fmt: skip
    header = ["Муниципальное образование", "Наименование ТОС", "Населённый пункт", "Дата регистрации", "Численность жителей", "Количество членов", "Юридическое лицо"]
    files = {}
    files["registry_xlsx"] = out / "reestr_national.xlsx"
    _xlsx(files["registry_xlsx"], "Реестр ТОС Российской Федерации (синтетические данные для замеров)", header, tos_rows)
    files["registry_csv"] = out / "reestr_national_cp1251.csv"
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(["Реестр ТОС (синтетические данные для замеров)"])
    w.writerow(header)
    w.writerows(tos_rows)
    files["registry_csv"].write_bytes(buf.getvalue().encode("cp1251"))
    proj_rows = []
    for i in range(N_PROJECTS):
        t = tos_rows[rng.randrange(N_TOS)]
        cost = round(rng.lognormvariate(12.6, 0.7), -2)
        local = round(cost * 0.1, 2)
        residents = round(cost * 0.08, 2)
        proj_rows.append(
            [t[0], t[1], f"Проект {i}: {rng.choice(CATEGORIES)}", rng.choice(CATEGORIES), rng.randint(2015, 2025),
             "реализован" if rng.random() < 0.9 else "в работе", cost, local, round(cost - local - residents, 2), residents]
        )  # fmt: skip
    files["projects_xlsx"] = out / "proekty_national.xlsx"
    _xlsx(
        files["projects_xlsx"],
        "Проекты ТОС (синтетические данные для замеров)",
        ["Муниципальное образование", "Наименование ТОС", "Наименование проекта", "Направление", "Год", "Статус", "Стоимость, руб.", "Местный бюджет", "Областной бюджет", "Средства жителей"],
        proj_rows,
    )
    files["population_xlsx"] = out / "naselenie_national.xlsx"
    _xlsx(files["population_xlsx"], "Численность населения (синтетические данные)", ["Муниципальное образование", "Численность населения", "Год"],
          [[name, rng.randint(800, 400_000), 2025] for name, _ in mun])  # fmt: skip
    files["registry_full_xlsx"] = registry_full(out, tos_rows)
    files.update(boundaries(out))
    files.update(passports(out, rng))
    return files


FIRST_NAMES = "Анна Мария Ольга Елена Наталья Татьяна Ирина Светлана Галина Людмила".split()
PATRONYMICS = "Ивановна Петровна Сергеевна Николаевна Александровна Викторовна Михайловна".split()
SURNAMES = "Иванова Петрова Сидорова Кузнецова Смирнова Попова Васильева Морозова Волкова Лебедева".split()


def registry_full(out: Path, tos_rows: list[list]) -> Path:
    """The same 45 000 TOS in the full layout of real registries (a row number, area type, chair,
    phone and a boundary description, as in the Borisoglebsk registry plus contacts): about twice the
    cells and text of the narrow file, so reading it costs as much as the reference sheet in
    PERFORMANCE.md. Its own random stream: the other files stay byte for byte the same."""
    rng = random.Random(SEED + 1)
    rows = []
    for i, (mun, name, settlement, registered, residents, members, legal) in enumerate(tos_rows):
        streets = ", ".join(rng.choice(STEMS) + "ая" for _ in range(rng.randint(2, 8)))
        rows.append(
            [i + 1, mun, name, settlement, "сельский" if rng.random() < 0.7 else "городской", registered, residents, members, legal,
             f"{rng.choice(SURNAMES)} {rng.choice(FIRST_NAMES)} {rng.choice(PATRONYMICS)}",
             f"+7 9{rng.randint(10, 99)} {rng.randint(100, 999)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}",
             f"улицы: {streets}; дома № 1–{rng.randint(5, 60)}"]
        )  # fmt: skip
    header = ["№ п/п", "Муниципальное образование", "Наименование ТОС", "Населённый пункт", "Тип территории", "Дата регистрации",
              "Численность жителей", "Количество членов", "Юридическое лицо", "Председатель", "Телефон", "Границы ТОС"]  # fmt: skip
    path = out / "reestr_national_full.xlsx"
    _xlsx(path, "Реестр ТОС Российской Федерации, полная форма (синтетические данные для замеров)", header, rows)
    return path


def boundaries(out: Path) -> dict[str, Path]:
    """Municipal and TOS boundaries in the formats users bring (GeoPackage with two layers, GeoJSON)."""
    from bench import geo_synthetic

    written = geo_synthetic.write(geo_synthetic.generate(), out, gpkg=True)
    return {f"boundaries_{key}": path for key, path in written.items()}


N_PASSPORTS = 100


def passports(out: Path, rng: random.Random) -> dict[str, Path]:
    """A hundred passports in the 22-section template: 80 .docx, 10 .pdf (when a font is present), 10 .txt."""
    from loaders.names import load_municipalities
    from scripts.build_demo_docs import angarsk, passport
    from scripts.doc_writer import find_font, to_docx, to_pdf, to_text

    folder = out / "passports"
    folder.mkdir(exist_ok=True)
    municipalities = [m for m in load_municipalities() if m.name]
    font = find_font()
    for i in range(N_PASSPORTS):
        spec = angarsk()
        place = municipalities[rng.randrange(len(municipalities))]
        spec["title"] = f"Практика {i + 1}: {rng.choice(CATEGORIES)}"
        spec["territory"] = place.name
        spec["tos"] = [(f"{rng.choice(STEMS)}ка-{i}-{k}", rng.randint(40, 3000)) for k in range(rng.randint(3, 12))]
        blocks = passport(spec)
        if i % 10 == 0 and font is not None:
            path, data = folder / f"passport_{i + 1:03d}.pdf", to_pdf(blocks, font)
        elif i % 10 == 5:
            path, data = folder / f"passport_{i + 1:03d}.txt", to_text(blocks)
        else:
            path, data = folder / f"passport_{i + 1:03d}.docx", to_docx(blocks)
        path.write_bytes(data)
    return {"passports": folder}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    for key, path in generate(args.out).items():
        size = sum(p.stat().st_size for p in path.iterdir()) if path.is_dir() else path.stat().st_size
        print(f"{key}: {path} ({size // 1024} КБ)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
