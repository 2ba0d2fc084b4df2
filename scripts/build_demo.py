"""Build the demo data set (data/demo/) and the demo database, reproducibly.

    python -m scripts.build_demo            build if the database has no documents yet
    python -m scripts.build_demo --force    rebuild files and database from scratch
    python -m scripts.build_demo --files-only

Regions and municipalities are the real ones of the four seed regions. Real facts from the seed
documents are kept as they are:
  * Ангарский городской округ: 8 TOS with their residents (9 827 in all), 5 created in 2017 after
    the Положение of 29.08.2017 and 3 in 2018; population 237 713 on 1 January 2019;
  * Беловский городской округ: 9 TOS registered in 2019, 4 655 residents, about 120 activists;
    «2 Калтайка» (early 2019) and «Перспектива» (пгт Инской, May 2019), and their 2019 projects;
  * Мариинское городское поселение: 7 TOS since 2008 (5 mixed, 2 private sector);
  * город Десногорск: «5 квартал», charter registered on 30.05.2019 (Постановление № 594);
  * Кемеровский городской округ: 52 district TOS committees since 1997, not legal entities,
    more than 24 000 activists.
Everything else (other TOS, dates inside the known years, residents where unknown, projects and
their financing, most populations) is plausible synthetic data, and every file says it is demo data.
Unknown facts stay empty: «5 квартал» has no residents figure, the 2019 Belovo projects no cost.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import random
import re
import sys
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from loaders.names import load_municipalities

ROOT = Path(__file__).resolve().parent.parent
DEMO_DIR = ROOT / "data" / "demo"
AS_OF = dt.date(2026, 10, 1)
AS_OF_TEXT = AS_OF.strftime("%d.%m.%Y")
DEMO_MARK = "(демонстрационные данные)"
FIXED_TIME = (2026, 10, 1, 0, 0, 0)
SEED = 20261001

REGION_FILES = {
    "RU-KEM": "Кемеровская область — Кузбасс",
    "RU-IRK": "Иркутская область",
    "RU-SMO": "Смоленская область",
    "RU-SAR": "Саратовская область",
}
REGION_GENITIVE = {
    "RU-KEM": "Кемеровской области — Кузбасса",
    "RU-IRK": "Иркутской области",
    "RU-SMO": "Смоленской области",
    "RU-SAR": "Саратовской области",
}

TOS_NAMES = (
    "Рассвет|Солнечный|Берёзка|Надежда|Дружба|Радуга|Заречье|Ромашка|Родник|Лесной|Садовый|Мечта|"
    "Юбилейный|Светлый|Исток|Союз|Добрые соседи|Наш двор|Уютный дом|Восход|Звёздный|Луч|Земляне|"
    "Зелёный квартал|Сосновый бор|Черёмушки|Северный|Южный|Колос|Ивушка|Калинка|Рябинушка|Семейный|"
    "Содружество|Вдохновение|Гармония|Единство|Перспектива|Возрождение|Берег|Полянка|Очаг"
).split("|")
VILLAGES = (
    "Ивановка Петровка Никольское Михайловка Александровка Покровка Знаменка Сосновка Берёзовка "
    "Каменка Дубровка Васильевка Красный Яр Ольховка Луговое Раздолье Подгорное Заречное Новосёловка "
    "Кузнецово Воронино Степное Кленовка Малиновка Троицкое Успенка Вишнёвое Озёрки Липовка Рощино"
).split(" ")
SURNAMES = "Иванова Петрова Смирнова Кузнецова Попова Соколова Лебедева Козлова Новикова Морозова Волкова Зайцева".split()
INITIALS = "А. Е. Н. О. Т. Л. Г. В. С. М. И.".split()

# Real facts from the seeds.
ANGARSK_TOS = [
    ("Перекресток", 2478), ("Старица", 121), ("Старый город", 1027), ("12а микрорайон", 2248),
    ("Центральный", 1548), ("Уезд", 995), ("Старо-Байкальск", 357), ("Экспедиция", 1053),
]  # fmt: skip
BELOVO_TOS = [
    ("2 Калтайка", "мкрн 8 Марта", "2019-02-14", 640),
    ("Перспектива", "пгт Инской", "2019-05-23", 820),
    ("Грамотеинский", "пгт Грамотеино", "2019-06-20", 610),
    ("Бабанаковский", "мкрн Бабанаково", "2019-07-18", 350),
    ("Бачатский", "пгт Бачатский", "2019-08-15", 560),
    ("Новый Городок", "пгт Новый Городок", "2019-09-19", 495),
    ("Центральный", "г. Белово", "2019-10-17", 430),
    ("Инской-2", "пгт Инской", "2019-11-21", 380),
    ("Надежда", "г. Белово", "2019-12-19", 370),
]  # sums to 4 655
BELOVO_MEMBERS = [16, 15, 13, 12, 14, 14, 12, 12, 12]  # about 120 activists
MARIINSK_TOS = [
    ("Вокзальный", "смешанный"), ("Заречный", "смешанный"), ("Центральный", "смешанный"),
    ("Октябрьский", "смешанный"), ("Юго-Западный", "смешанный"), ("Макаровский", "частный сектор"),
    ("Ягодный", "частный сектор"),
]  # fmt: skip
CITY_POPULATION_2020 = {  # Rosstat, city population on 1.1.2020 (data/boundaries/municipality_centres.csv)
    "66710000": 27200, "66701000": 325500, "25701000": 623600, "32701000": 556400,
    "32707000": 71200, "32616101": 37900, "63701000": 838000,
}  # fmt: skip

CATEGORY_WEIGHTS = [
    ("благоустройство территории", 30), ("детские и спортивные площадки", 24), ("ремонт дорог и тротуаров", 10),
    ("решение проблем ЖКХ", 9), ("обеспечение водоснабжением", 6), ("сохранение культурного наследия", 7),
    ("решение экологических задач", 8), ("социальная помощь нуждающимся", 4), ("иное", 2),
]  # fmt: skip
PROJECT_TITLES = {
    "благоустройство территории": ["Благоустройство дворовой территории", "Обустройство зоны отдыха", "Ограждение территории ТОС", "Благоустройство сквера"],
    "детские и спортивные площадки": ["Установка детской игровой площадки", "Строительство спортивной площадки", "Воркаут-площадка для молодёжи", "Хоккейная коробка"],
    "ремонт дорог и тротуаров": ["Ремонт тротуара", "Отсыпка улиц щебнем", "Ремонт внутриквартального проезда"],
    "решение проблем ЖКХ": ["Уличное освещение", "Замена светильников на светодиодные", "Ремонт подъездов"],
    "обеспечение водоснабжением": ["Обустройство колодца", "Водоразборная колонка", "Ремонт водопровода"],
    "сохранение культурного наследия": ["Реставрация памятника воинам", "Благоустройство мемориала", "Музейный уголок истории села"],
    "решение экологических задач": ["Озеленение улицы", "Ликвидация несанкционированной свалки", "Расчистка родника"],
    "социальная помощь нуждающимся": ["Помощь пожилым жителям", "Социальное такси для ветеранов"],
    "иное": ["Праздник улицы", "Информационные стенды ТОС"],
}


def _fixed_zip(data: bytes) -> bytes:
    """Rewrite an .xlsx with fixed timestamps, so the same content gives the same bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            payload = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl stamps the save time here whatever the properties say.
                payload = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>2026-10-01T00:00:00Z\g<2>", payload
                )
            new = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            new.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(new, payload)
    return out.getvalue()


def _save(wb: Workbook, path: Path) -> None:
    stamp = dt.datetime(*FIXED_TIME)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.creator = "build_demo"
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(_fixed_zip(buf.getvalue()))


class DemoBuilder:
    """Generates the demo TOS, projects and populations, then writes them in several layouts."""

    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.municipalities = [m for m in load_municipalities() if m.region_id in REGION_FILES]
        self.tos: list[dict] = []
        self.projects: list[dict] = []
        self.population: list[dict] = []

    # -- generation -------------------------------------------------------------------
    def person(self) -> tuple[str, str, str]:
        name = f"{self.rng.choice(SURNAMES)} {self.rng.choice(INITIALS)} {self.rng.choice(INITIALS)}"
        phone = f"8 9{self.rng.randint(10, 99)} {self.rng.randint(100, 999)}-{self.rng.randint(10, 99)}-{self.rng.randint(10, 99)}"
        email = f"tos{self.rng.randint(100, 999)}@example.ru"
        return name, phone, email

    def add_tos(self, m, name, settlement, area, registered, residents, members=None, legal=None, dissolved=None, real=False):
        chair, phone, email = self.person()
        if legal is None:
            legal = self.rng.random() < 0.15
        self.tos.append(
            {
                "municipality_id": m.municipality_id,
                "municipality": m.name,
                "region_id": m.region_id,
                "name": name,
                "settlement": settlement,
                "area_type": area,
                "registered_on": registered,
                "dissolved_on": dissolved,
                "residents": residents,
                "members": members if members is not None else (max(5, residents // 40) if residents else None),
                "legal_entity": legal,
                "ogrn": f"1{self.rng.randint(10**11, 10**12 - 1)}" if legal else None,
                "chair": chair,
                "phone": phone,
                "email": email,
                "real": real,
            }
        )

    def real_facts(self) -> None:
        by_id = {m.municipality_id: m for m in self.municipalities}
        angarsk = by_id["25703000"]
        for i, (name, residents) in enumerate(ANGARSK_TOS):
            year = 2017 if i < 5 else 2018
            month = self.rng.randint(9, 12) if year == 2017 else self.rng.randint(2, 11)
            registered = dt.date(year, month, self.rng.randint(1, 28)).isoformat()
            self.add_tos(angarsk, name, "г. Ангарск", "городской", registered, residents, legal=False, real=True)
        belovo = by_id["32707000"]
        for (name, settlement, registered, residents), members in zip(BELOVO_TOS, BELOVO_MEMBERS, strict=True):
            area = "городской"
            self.add_tos(belovo, name, settlement, area, registered, residents, members=members, legal=False, real=True)
        mariinsk = by_id["32616101"]
        for name, _kind in MARIINSK_TOS:
            registered = dt.date(2008, self.rng.randint(3, 11), self.rng.randint(1, 28)).isoformat()
            self.add_tos(mariinsk, name, "г. Мариинск", "городской", registered, self.rng.randint(600, 2400), legal=False, real=True)
        desnogorsk = by_id["66710000"]
        self.add_tos(desnogorsk, "5 квартал", "г. Десногорск", "городской", "2019-05-30", None, members=None, legal=False, real=True)
        kemerovo = by_id["32701000"]
        # 52 district committees; more than 24 000 activists in house and street committees inside them.
        members = [460 + (i * 37) % 90 for i in range(52)]
        for i in range(52):
            registered = dt.date(1997 + (i % 9), self.rng.randint(1, 12), self.rng.randint(1, 28)).isoformat()
            self.add_tos(
                kemerovo, f"Окружной комитет ТОС № {i + 1}", "г. Кемерово", "городской", registered,
                self.rng.randint(2500, 8000), members=members[i], legal=False, real=True,
            )

    def synthetic_tos(self) -> None:
        taken = {"25703000", "32707000", "32616101", "66710000", "32701000"}
        for m in self.municipalities:
            if m.municipality_id in taken or m.parent_id:
                continue
            urban = m.type == "городской округ"
            rate = {"RU-KEM": 5, "RU-IRK": 3, "RU-SMO": 4, "RU-SAR": 7}[m.region_id]
            n = max(0, int(self.rng.gauss(rate * (1.4 if not urban else 0.8), rate * 0.7)))
            if self.rng.random() < 0.12:
                n = 0
            names = self.rng.sample(TOS_NAMES, min(n, len(TOS_NAMES)))
            for name in names:
                rural = not urban or self.rng.random() < 0.2
                settlement = f"с. {self.rng.choice(VILLAGES)}" if rural else f"г. {m.name.split()[-1] if m.name.startswith('город') else m.name.split()[0][:-2]}"
                # New TOS each year grow steadily, as in most regions since the 2010s.
                year = self.rng.choices(range(2008, 2027), weights=[1 + (y - 2008) ** 1.3 for y in range(2008, 2027)])[0]
                registered = dt.date(year, self.rng.randint(1, 12), self.rng.randint(1, 28))
                if registered > AS_OF:
                    registered = AS_OF - dt.timedelta(days=self.rng.randint(10, 200))
                dissolved = None
                if self.rng.random() < 0.06 and registered.year < 2023:
                    dissolved = dt.date(self.rng.randint(registered.year + 1, 2025), self.rng.randint(1, 12), 15).isoformat()
                residents = self.rng.randint(40, 900) if rural else self.rng.randint(250, 3500)
                if self.rng.random() < 0.04:
                    residents = None  # the municipality did not report it
                self.add_tos(m, name, settlement, "сельский" if rural else "городской", registered.isoformat(), residents, dissolved=dissolved)

    def synthetic_projects(self) -> None:
        cats = [c for c, _ in CATEGORY_WEIGHTS]
        weights = [w for _, w in CATEGORY_WEIGHTS]
        for t in self.tos:
            if t["name"].startswith("Окружной комитет") and self.rng.random() < 0.6:
                continue
            start = max(2015, int(t["registered_on"][:4]))
            end = 2026 if not t["dissolved_on"] else int(t["dissolved_on"][:4])
            for year in range(start, end + 1):
                if self.rng.random() > 0.38:
                    continue
                category = self.rng.choices(cats, weights)[0]
                title = self.rng.choice(PROJECT_TITLES[category])
                cost = round(self.rng.lognormvariate(12.6, 0.7), -2)
                local = round(cost * self.rng.uniform(0.05, 0.2), 2)
                residents = round(cost * self.rng.uniform(0.03, 0.12), 2)
                sponsors = round(cost * self.rng.uniform(0, 0.08), 2)
                grants = round(cost * self.rng.uniform(0.1, 0.3), 2) if self.rng.random() < 0.15 else 0.0
                federal = 0.0
                regional = round(cost - local - residents - sponsors - grants, 2)  # the sources add up to the cost
                if year == 2026:
                    status = self.rng.choice(["в работе", "в работе", "реализован"])
                else:
                    status = "реализован" if self.rng.random() < 0.93 else "не реализован"
                self.projects.append(
                    {
                        "municipality_id": t["municipality_id"], "municipality": t["municipality"], "region_id": t["region_id"],
                        "tos": t["name"], "year": year, "title": f"{title} ТОС «{t['name']}»", "category": category,
                        "status": status, "cost": cost, "local": local, "regional": regional, "federal": federal,
                        "grants": grants, "sponsors": sponsors, "residents": residents,
                        "beneficiaries": self.rng.randint(30, 2000),
                    }
                )  # fmt: skip
        # Real 2019 projects of Belovo's «2 Калтайка» and Mariinsk's playgrounds: costs unknown.
        belovo = {"municipality_id": "32707000", "municipality": "Беловский городской округ", "region_id": "RU-KEM"}
        for title, category in (
            ("Строительство водовода силами жителей", "обеспечение водоснабжением"),
            ("Отсыпка улиц горельником, 768 м³ (программа «50 на 50»)", "ремонт дорог и тротуаров"),
            ("Освещение центральной улицы: 9 светильников (программа «50 на 50»)", "решение проблем ЖКХ"),
        ):
            self.projects.append({**belovo, "tos": "2 Калтайка", "year": 2019, "title": title, "category": category,
                                  "status": "реализован", "cost": None, "local": None, "regional": None, "federal": None,
                                  "grants": None, "sponsors": None, "residents": None, "beneficiaries": None})  # fmt: skip

    def populations(self) -> None:
        for m in self.municipalities:
            if m.municipality_id == "25703000":
                self.population.append({"municipality_id": m.municipality_id, "municipality": m.name, "region_id": m.region_id, "year": 2019, "population": 237713})
                continue
            if m.municipality_id in CITY_POPULATION_2020:
                self.population.append({"municipality_id": m.municipality_id, "municipality": m.name, "region_id": m.region_id, "year": 2020, "population": CITY_POPULATION_2020[m.municipality_id]})
                continue
            if m.parent_id:
                continue
            base = self.rng.randint(30000, 160000) if m.type == "городской округ" else self.rng.randint(9000, 65000)
            if m.name.startswith("ЗАТО"):
                base = self.rng.randint(6000, 20000)
            self.population.append({"municipality_id": m.municipality_id, "municipality": m.name, "region_id": m.region_id, "year": 2025, "population": base})
        # The district of Mariinsk holds the town and the villages around it.
        for p in self.population:
            if p["municipality_id"] == "32616000":
                p["population"] = 52300

    # -- writing ----------------------------------------------------------------------
    def region_rows(self, region_id: str, rows: list[dict]) -> list[dict]:
        return [r for r in rows if r["region_id"] == region_id]

    def write_kemerovo(self, out: Path) -> list[str]:
        """One workbook: cover sheet, registry with a two-level header, projects in thousands, population."""
        rid = "RU-KEM"
        wb = Workbook()
        cover = wb.active
        cover.title = "Титул"
        cover["B3"] = "Департамент внутренней политики"
        cover["B5"] = f"Сводный реестр ТОС {REGION_GENITIVE[rid]} {DEMO_MARK}"
        cover["B7"] = f"по состоянию на {AS_OF_TEXT}"
        ws = wb.create_sheet("Реестр ТОС")
        ws["A1"] = f"Реестр территориальных общественных самоуправлений {REGION_GENITIVE[rid]} {DEMO_MARK}"
        ws["A2"] = f"по состоянию на {AS_OF_TEXT}"
        top = ["№ п/п", "Муниципальное образование", "Название ТОС (согласно уставу)", "Населённый пункт", "Тип (городской/сельский)",
               "Дата регистрации устава", None, "Численность граждан, проживающих в границах ТОС", "Количество членов ТОС",
               "Юридическое лицо (да/нет)", "ОГРН", "Председатель", None]  # fmt: skip
        sub = [None, None, None, None, None, "регистрации", "прекращения деятельности", None, None, None, None, "ФИО", "телефон"]
        top[5] = "Даты"
        ws.append([])
        ws.append(top)
        ws.append(sub)
        for a, b in ((1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (8, 8), (9, 9), (10, 10), (11, 11)):
            ws.merge_cells(start_row=4, start_column=a, end_row=5, end_column=b)
        ws.merge_cells(start_row=4, start_column=6, end_row=4, end_column=7)
        ws.merge_cells(start_row=4, start_column=12, end_row=4, end_column=13)
        ws.append(list(range(1, 14)))
        for cell in ws[4] + ws[5]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        rows = sorted(self.region_rows(rid, self.tos), key=lambda r: (r["municipality"], r["registered_on"]))
        for i, t in enumerate(rows, start=1):
            ws.append([
                i, t["municipality"], f"ТОС «{t['name']}»", t["settlement"], t["area_type"].capitalize(),
                dt.date.fromisoformat(t["registered_on"]), dt.date.fromisoformat(t["dissolved_on"]) if t["dissolved_on"] else None,
                t["residents"], t["members"], "да" if t["legal_entity"] else "нет", t["ogrn"], t["chair"], t["phone"],
            ])  # fmt: skip
            for col in (6, 7):
                ws.cell(ws.max_row, col).number_format = "DD.MM.YYYY"
        ws.append([None, "Итого", None, None, None, None, None, sum(t["residents"] or 0 for t in rows), None, None, None, None, None])
        ws.append([])
        ws.append(["Примечание: данные демонстрационные; численность — по сведениям муниципальных образований."])
        pj = wb.create_sheet("Проекты ТОС")
        pj["A1"] = f"Проекты ТОС {REGION_GENITIVE[rid]}, реализованные при поддержке областного конкурса {DEMO_MARK}"
        pj.append([])
        pj.append(["№", "Муниципальное образование", "Наименование ТОС", "Наименование проекта", "Направление", "Год",
                   "Статус", "Общая стоимость, тыс. руб.", "Источники финансирования, тыс. руб.", None, None, None, None, None])  # fmt: skip
        pj.append([None] * 8 + ["местный бюджет", "областной бюджет", "федеральный бюджет", "гранты", "спонсоры", "средства жителей"])
        for c in range(1, 9):
            pj.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
        pj.merge_cells(start_row=3, start_column=9, end_row=3, end_column=14)
        for i, p in enumerate(sorted(self.region_rows(rid, self.projects), key=lambda r: (r["municipality"], r["year"], r["title"])), start=1):
            k = lambda v: round(v / 1000, 5) if v is not None else None  # noqa: E731 - thousands of roubles
            pj.append([i, p["municipality"], p["tos"], p["title"], p["category"], p["year"], p["status"],
                       k(p["cost"]), k(p["local"]), k(p["regional"]), k(p["federal"]), k(p["grants"]), k(p["sponsors"]), k(p["residents"])])  # fmt: skip
        pop = wb.create_sheet("Население")
        pop.append(["Муниципальное образование", "Численность постоянного населения, чел.", "Год"])
        for p in self.region_rows(rid, self.population):
            pop.append([p["municipality"], p["population"], p["year"]])
        name = "Реестр_ТОС_Кузбасс_демо.xlsx"
        _save(wb, out / name)
        return [name]

    def write_irkutsk(self, out: Path) -> list[str]:
        """A sheet per municipality (the sheet name says which), projects in a second file."""
        rid = "RU-IRK"
        wb = Workbook()
        wb.remove(wb.active)
        tos = self.region_rows(rid, self.tos)
        by_m: dict[str, list[dict]] = {}
        for t in tos:
            by_m.setdefault(t["municipality"], []).append(t)
        for mname in sorted(by_m):
            ws = wb.create_sheet(mname[:31])
            ws["A1"] = f"Реестр ТОС: {mname} {DEMO_MARK}"
            ws["A2"] = f"по состоянию на {AS_OF_TEXT}"
            ws.append(["№", "Наименование ТОС", "Адрес (населённый пункт)", "Год создания", "Кол-во жителей", "Юр. лицо", "Статус"])
            for i, t in enumerate(sorted(by_m[mname], key=lambda r: r["registered_on"]), start=1):
                ws.append([i, t["name"], t["settlement"], f"{t['registered_on'][:4]} г.", t["residents"],
                           "да" if t["legal_entity"] else "нет", "ликвидирован" if t["dissolved_on"] else "действует"])  # fmt: skip
            ws.append(["Всего", None, None, None, sum(t["residents"] or 0 for t in by_m[mname])])
        name1 = "Реестр_ТОС_Иркутская_область_демо.xlsx"
        _save(wb, out / name1)
        wb2 = Workbook()
        ws = wb2.active
        ws.title = "Проекты"
        ws["A1"] = f"Реализация проектов ТОС {REGION_GENITIVE[rid]} {DEMO_MARK}"
        ws.append(["Муниципалитет", "ТОС", "Проект", "Направление проекта", "Год реализации", "Отметка о реализации",
                   "Стоимость проекта, руб.", "Местный бюджет, руб.", "Областной бюджет, руб.", "Федеральный бюджет, руб.",
                   "Гранты, руб.", "Спонсоры, руб.", "Вклад жителей, руб.", "Количество благополучателей"])  # fmt: skip
        for p in sorted(self.region_rows(rid, self.projects), key=lambda r: (r["municipality"], r["year"], r["title"])):
            ws.append([p["municipality"], p["tos"], p["title"], p["category"], p["year"], p["status"], p["cost"], p["local"],
                       p["regional"], p["federal"], p["grants"], p["sponsors"], p["residents"], p["beneficiaries"]])  # fmt: skip
        ws2 = wb2.create_sheet("Население")
        ws2["A1"] = "Численность населения муниципальных образований (демонстрационные данные, Ангарск — паспорт практики)"
        ws2.append(["Муниципальное образование", "Население", "Год оценки"])
        for p in self.region_rows(rid, self.population):
            ws2.append([p["municipality"], p["population"], p["year"]])
        name2 = "Проекты_ТОС_Иркутская_область_демо.xlsx"
        _save(wb2, out / name2)
        return [name1, name2]

    def write_smolensk(self, out: Path) -> list[str]:
        """CSV in Windows-1251 with semicolons and decimal commas, as exported from 1C or Excel."""
        rid = "RU-SMO"
        tos_path = out / "reestr_tos_smolensk_demo.csv"
        buf = io.StringIO()
        w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
        w.writerow([f"Реестр ТОС {REGION_GENITIVE[rid]} {DEMO_MARK}, по состоянию на {AS_OF_TEXT}"])
        w.writerow(["Муниципальное образование", "Наименование ТОС", "Населенный пункт", "Тип", "Дата регистрации",
                    "Дата ликвидации", "Количество жителей", "Количество членов", "Юридическое лицо (да/нет)"])  # fmt: skip
        for t in sorted(self.region_rows(rid, self.tos), key=lambda r: (r["municipality"], r["name"])):
            fmt = lambda d: dt.date.fromisoformat(d).strftime("%d.%m.%Y") if d else ""  # noqa: E731
            residents = f"{t['residents']:,}".replace(",", "\u00a0") if t["residents"] is not None else ""
            w.writerow([t["municipality"], t["name"], t["settlement"], t["area_type"], fmt(t["registered_on"]),
                        fmt(t["dissolved_on"]), residents, t["members"] or "", "да" if t["legal_entity"] else "нет"])  # fmt: skip
        tos_path.write_bytes(buf.getvalue().encode("cp1251"))
        proj_path = out / "proekty_tos_smolensk_demo.csv"
        buf = io.StringIO()
        w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
        w.writerow([f"Проекты ТОС {REGION_GENITIVE[rid]} {DEMO_MARK}"])
        w.writerow(["Муниципальное образование", "Наименование ТОС", "Наименование проекта", "Направление", "Год", "Статус",
                    "Стоимость всего, руб.", "Местный бюджет", "Областной бюджет", "Федеральный бюджет", "Гранты",
                    "Средства спонсоров", "Средства жителей"])  # fmt: skip
        money = lambda v: "" if v is None else f"{v:,.2f}".replace(",", " ").replace(".", ",")  # noqa: E731
        for p in sorted(self.region_rows(rid, self.projects), key=lambda r: (r["municipality"], r["year"], r["title"])):
            w.writerow([p["municipality"], p["tos"], p["title"], p["category"], p["year"], p["status"], money(p["cost"]),
                        money(p["local"]), money(p["regional"]), money(p["federal"]), money(p["grants"]),
                        money(p["sponsors"]), money(p["residents"])])  # fmt: skip
        proj_path.write_bytes(buf.getvalue().encode("cp1251"))
        pop_path = out / "naselenie_smolensk_demo.csv"
        buf = io.StringIO()
        w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
        w.writerow(["Муниципальное образование", "Численность населения", "Год"])
        for p in self.region_rows(rid, self.population):
            w.writerow([p["municipality"], p["population"], p["year"]])
        pop_path.write_bytes(("Численность населения (демонстрационные данные)\r\n" + buf.getvalue()).encode("cp1251"))
        return [tos_path.name, proj_path.name, pop_path.name]

    def write_saratov(self, out: Path) -> list[str]:
        """Section rows name the municipality; «Итого по …» rows close each section."""
        rid = "RU-SAR"
        wb = Workbook()
        ws = wb.active
        ws.title = "ТОС"
        ws["A1"] = f"Сведения о территориальных общественных самоуправлениях {REGION_GENITIVE[rid]} {DEMO_MARK}"
        ws["A2"] = f"по состоянию на {AS_OF_TEXT}"
        ws.append(["№", "Наименование ТОС", "Населенный пункт", "Дата регистрации", "Дата ликвидации",
                   "Численность жителей в границах ТОС", "Число членов ТОС", "ОГРН", "Председатель ТОС", "Телефон", "E-mail"])  # fmt: skip
        by_m: dict[str, list[dict]] = {}
        for t in self.region_rows(rid, self.tos):
            by_m.setdefault(t["municipality"], []).append(t)
        n = 0
        for mname in sorted(by_m):
            ws.append([mname])
            for t in sorted(by_m[mname], key=lambda r: r["name"]):
                n += 1
                d = dt.date.fromisoformat(t["registered_on"]).strftime("%d.%m.%Y")
                gone = dt.date.fromisoformat(t["dissolved_on"]).strftime("%d.%m.%Y") if t["dissolved_on"] else None
                ws.append([n, f"ТОС «{t['name']}»", t["settlement"], d, gone, t["residents"], t["members"], t["ogrn"], t["chair"], t["phone"], t["email"]])
            ws.append([None, "Итого по муниципальному образованию", None, None, None, sum(t["residents"] or 0 for t in by_m[mname])])
        pj = wb.create_sheet("Проекты")
        pj.append(["Муниципальное образование", "ТОС", "Наименование проекта", "Направление", "Год", "Статус", "Стоимость, руб.",
                   "Местный бюджет", "Областной бюджет", "Федеральный бюджет", "Гранты", "Спонсоры", "Средства жителей"])  # fmt: skip
        for p in sorted(self.region_rows(rid, self.projects), key=lambda r: (r["municipality"], r["year"], r["title"])):
            pj.append([p["municipality"], p["tos"], p["title"], p["category"], p["year"], p["status"], p["cost"], p["local"],
                       p["regional"], p["federal"], p["grants"], p["sponsors"], p["residents"]])  # fmt: skip
        pop = wb.create_sheet("Население")
        pop.append(["Муниципальное образование", "Численность населения на 01.01.2025"])
        for p in self.region_rows(rid, self.population):
            pop.append([p["municipality"], p["population"]])
        name = "Реестр_ТОС_Саратовская_область_демо.xlsx"
        _save(wb, out / name)
        return [name]

    def expected(self) -> dict:
        """Hand counts of what the files hold, for the tests to compare the dashboard with."""
        today = AS_OF
        def active(t, day):
            return t["registered_on"] <= day.isoformat() and (not t["dissolved_on"] or t["dissolved_on"] > day.isoformat())
        by_region = {}
        for rid in REGION_FILES:
            tos = [t for t in self.tos if t["region_id"] == rid]
            projects = [p for p in self.projects if p["region_id"] == rid]
            done = [p for p in projects if p["status"] == "реализован"]
            by_region[rid] = {
                "tos_total": len(tos),
                "tos_active_at_as_of": sum(active(t, today) for t in tos),
                "residents_active": sum(t["residents"] or 0 for t in tos if active(t, today)),
                "projects": len(projects),
                "projects_completed": len(done),
                "cost_completed": round(sum(p["cost"] or 0 for p in done), 2),
                "completed_by_year": {str(y): sum(1 for p in done if p["year"] == y) for y in range(2015, 2027)},
                "cost_by_year": {str(y): round(sum(p["cost"] or 0 for p in done if p["year"] == y), 2) for y in range(2015, 2027)},
                "costed_by_year": {str(y): sum(1 for p in done if p["year"] == y and p["cost"] is not None) for y in range(2015, 2027)},
            }
        def trend_counts(rid):
            # The Irkutsk file states dissolution only as a status, without a date: such TOS count
            # in no year of the trend (the dashboard says so).
            counted = [t for t in self.tos if t["region_id"] == rid and not (rid == "RU-IRK" and t["dissolved_on"])]
            return {
                str(y): sum(
                    1
                    for t in counted
                    if int(t["registered_on"][:4]) <= y and (not t["dissolved_on"] or t["dissolved_on"] > f"{y}-12-31")
                )
                for y in range(2008, 2027)
            }

        for rid in REGION_FILES:
            by_region[rid]["tos_at_year_end"] = trend_counts(rid)
        return {
            "as_of": AS_OF.isoformat(),
            "tos_total": len(self.tos),
            "tos_dissolved": sum(1 for t in self.tos if t["dissolved_on"]),
            "projects": len(self.projects),
            "by_region": by_region,
            "angarsk_residents": sum(r for _, r in ANGARSK_TOS),
            "belovo_residents": sum(t[3] for t in BELOVO_TOS),
        }

    def build(self, out: Path) -> list[str]:
        self.real_facts()
        self.synthetic_tos()
        self.synthetic_projects()
        self.populations()
        out.mkdir(parents=True, exist_ok=True)
        files = []
        files += self.write_kemerovo(out)
        files += self.write_irkutsk(out)
        files += self.write_smolensk(out)
        files += self.write_saratov(out)
        (out / "expected.json").write_text(json.dumps(self.expected(), ensure_ascii=False, indent=1), encoding="utf-8")
        (out / "README.md").write_text(
            "Демонстрационные данные: сгенерированы `python -m scripts.build_demo`. Реальные факты — из паспортов "
            "практик и протокола конкурса (см. scripts/build_demo.py); остальное условное.\n",
            encoding="utf-8",
        )
        return files


def extra_demo_documents() -> list[Path]:
    """Demo passports, protocols and boundaries written by other builders (when present)."""
    return sorted(p for p in DEMO_DIR.glob("docs/*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true")
    parser.add_argument("--files-only", action="store_true")
    parser.add_argument("--db", help="database URL (default: TOS_DB_URL or data/tos.db)")
    args = parser.parse_args(argv)

    from store.accounts import Actor
    from store.db import get_engine, init_db
    from store.ingest import ingest_path
    from store.queries import documents_frame

    engine = get_engine(args.db)
    if not args.force and not args.files_only:
        init_db(engine)
        if len(documents_frame(engine)):
            print("[demo] база уже содержит документы — пропускаю (--force пересоздаст демо-данные)")
            return 0
    files = DemoBuilder().build(DEMO_DIR)
    for hook in DEMO_HOOKS:
        hook(DEMO_DIR)
    print(f"[demo] файлы демо-данных: {DEMO_DIR.relative_to(ROOT)} ({len(files)} реестров)")
    if args.files_only:
        return 0
    if args.force:
        from store.schema import metadata

        metadata.drop_all(engine)
    init_db(engine)
    failed = 0
    for name in files + [str(p.relative_to(DEMO_DIR)) for p in extra_demo_documents()]:
        result = ingest_path(engine, DEMO_DIR / name, actor=Actor("демо-данные", "admin"))
        print(f"[demo] {result.message}")
        failed += result.status == "rejected"
    return 1 if failed else 0


# Builders of other demo documents (passports, protocols, boundaries) register here.
DEMO_HOOKS: list = []


def _build_demo_docs(folder: Path) -> list[str]:
    """Demo passports, protocols and a resolution (scripts/build_demo_docs.py) into folder/docs."""
    from scripts.build_demo_docs import build_docs

    return build_docs(folder)


DEMO_HOOKS.append(_build_demo_docs)


def _write_demo_boundaries(folder: Path) -> list[str]:
    """The bundled boundaries and conditional TOS boundaries (scripts/demo_boundaries.py) into folder/docs."""
    from scripts.demo_boundaries import write_demo_boundaries

    return write_demo_boundaries(folder)


DEMO_HOOKS.append(_write_demo_boundaries)

if __name__ == "__main__":
    sys.exit(main())
