"""The real seed documents: every fact the issue names, exactly, in .txt and rebuilt as .docx and .pdf.

The seeds are read from ../shared/seeds (skipped with the reason when absent); the Word and PDF
versions are built here from the seed text, with real Word tables and drawn PDF tables.
"""

import json
import subprocess
import sys

import pandas as pd
import pytest

from loaders.api import parse_bytes
from loaders.doc_text import read_text_document
from scripts.doc_writer import find_font, to_docx, to_pdf
from tests.conftest import ROOT, SEEDS

pytestmark = pytest.mark.seeds

DESNOGORSK = "000_ccfc91f257dab717.txt"
ANGARSK = "001_18e33e3c7f29c81c.txt"
KUZBASS = "002_f5f9a0931f448aea.txt"
SMOLENSK = "003_d62557f1b5668af7.txt"
SARATOV = "004_d34b146cec7e578c.txt"
FORMATS = ["txt", "docx", pytest.param("pdf", marks=pytest.mark.skipif(find_font() is None, reason="нет шрифта DejaVu Sans для PDF"))]
_CACHE: dict = {}


def parsed(name: str, fmt: str):
    if not SEEDS.exists():
        pytest.skip(f"нет {SEEDS} (общие данные проекта доступны в CI; здесь тест пропущен)")
    key = (name, fmt)
    if key not in _CACHE:
        data = (SEEDS / name).read_bytes()
        if fmt != "txt":
            blocks = read_text_document(data, name).blocks
            data = to_docx(blocks) if fmt == "docx" else to_pdf(blocks)
        _CACHE[key] = parse_bytes(data, name.replace(".txt", f".{fmt}"))
    return _CACHE[key]


def clean(value):
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value.item() if hasattr(value, "item") else value


def rows(doc, table, columns):
    if table not in doc.tables:
        return []
    return [tuple(clean(r[c]) for c in columns) for r in doc.tables[table].to_dict(orient="records")]


def warnings(doc):
    return [(w.where, w.message) for w in doc.warnings]


# --------------------------------------------------------------------------- Desnogorsk


@pytest.mark.parametrize("fmt", FORMATS)
def test_desnogorsk_passport(fmt):
    doc = parsed(DESNOGORSK, fmt)
    assert doc.kind == "passport"
    practice = doc.tables["practices"].iloc[0]
    assert practice["title"] == "Создание условий для формирования территориальных общественных самоуправлений"
    # «город Десногорск» is the city's municipality, with its region, in the nominative.
    assert (practice["municipality_id"], practice["region_id"]) == ("66710000", "RU-SMO")
    assert doc.tables["municipalities"].iloc[0]["name"] == "город Десногорск"
    assert (practice["period_start"], practice["period_end"], practice["period_text"]) == (2018, 2019, "2018 – 2019")
    assert (practice["participants"], practice["beneficiaries"]) == (14, 51)
    assert clean(practice["beneficiaries_text"]) is None
    assert practice["url"] == "http://desnogorsk.admin-smolensk.ru/top/tos-914/"
    assert practice["leader"] == "Голякова Юлия Владимировна"  # personal data: stored as such, never public
    assert rows(doc, "practice_indicators", ["section", "indicator", "unit", "value", "qualifier", "period", "source_ref"]) == [
        (5, "ТОС", "ед.", 0, None, None, "раздел 5, абзац 1"),  # «не было зарегистрировано ни одного ТОС»
        (
            9,
            "Количество зарегистрированных на территории муниципального образования «город Десногорск» Смоленской области "
            "территориальных общественных самоуправлений",
            "ед.",
            1,
            None,
            None,
            "раздел 9, строка 1",
        ),
        (19, "ТОС", "ед.", 1, None, None, "раздел 19, абзац 1"),
    ]
    # Section 18 holds a junk row («й») and nothing else: no rows, no error, no warning about it.
    assert "practice_costs" not in doc.tables
    assert rows(doc, "practice_tos", ["name", "residents", "tos_id", "source_ref"]) == [
        ("5 квартал", None, "66710000:5-kvartal", "раздел 15 (упоминание в тексте)")
    ]
    acts = rows(doc, "legal_acts", ["act_type", "authority", "date", "number", "action", "source_ref"])
    assert acts == [
        ("решение", "Десногорский городской Совет", "2008-02-28", "591", "принят", "раздел 15, «Принятые НПА», строка 1"),
        ("решение", "Десногорский городской Совет", "2008-02-28", "592", "принят", "раздел 15, «Принятые НПА», строка 2"),
        ("решение", "Десногорский городской Совет", "2019-05-21", "519", "принят", "раздел 15, «Принятые НПА», строка 3"),
        (
            "постановление",
            "Администрация муниципального образования «город Десногорск» Смоленской области",
            "2019-05-30",
            "594",
            "принят",
            "раздел 15, «Принятые НПА», строка 4",
        ),
    ]
    titles = [t for (t,) in rows(doc, "legal_acts", ["title"])]
    assert titles[0].startswith("Об утверждении Положения о порядке организации и осуществления")
    assert titles[2] == "Об установлении границ территории территориального общественного самоуправления"
    assert titles[3] == "О регистрации Устава территориального общественного самоуправления «5 квартал»"
    assert rows(doc, "contacts", ["contact_name", "phone", "email"]) == [
        ("Голякова Юлия Владимировна", "(48153) 7-19-50", "desnadm@admin-smolensk.ru"),
        ("Гончарова Елена Олеговна", "(48153) 3-23-55", "desek@admin-smolensk.ru"),
    ]
    assert warnings(doc) == [("раздел 15", "списка ТОС в паспорте нет; ТОС «5 квартал» назван в тексте и сохранён без численности жителей")]
    assert doc.meta["is_demo"] is False


# --------------------------------------------------------------------------- Angarsk

ANGARSK_INDICATORS = [
    (5, "Миграционный прирост (убыль) населения", "на 1000 населения", -6.5, None, "2013", "раздел 5, строка 1"),
    (5, "Миграционный прирост (убыль) населения", "на 1000 населения", -8.2, None, "2014", "раздел 5, строка 1"),
    (5, "Миграционный прирост (убыль) населения", "на 1000 населения", -3.3, None, "2015", "раздел 5, строка 1"),
    (5, "Миграционный прирост (убыль) населения", "на 1000 населения", -2, None, "2016", "раздел 5, строка 1"),
    (5, "Естественный прирост (убыль) населения", "на 1000 населения", -0.6, None, "2013", "раздел 5, строка 2"),
    (5, "Естественный прирост (убыль) населения", "на 1000 населения", -0.9, None, "2014", "раздел 5, строка 2"),
    (5, "Естественный прирост (убыль) населения", "на 1000 населения", 0.4, None, "2015", "раздел 5, строка 2"),
    (5, "Естественный прирост (убыль) населения", "на 1000 населения", 0.5, None, "2016", "раздел 5, строка 2"),
    (5, "площадь территории", "кв. км", 1150, None, None, "раздел 5, абзац 1"),
    (5, "численность населения", "чел.", 237713, None, "на 01.01.2019", "раздел 5, абзац 1"),
    (5, "ТОС", "ед.", 0, None, None, "раздел 5, абзац 17"),
    (5, "доля жителей, регулярно занимающихся физкультурой и спортом", "%", 18, None, None, "раздел 5, абзац 18"),
    (9, "Повышение грамотности активистов", "чел.", 1050, None, "за весь период", "раздел 9, строка 1"),
    (9, "Повышение грамотности активистов", "чел.", 360, None, "2018", "раздел 9, строка 1"),
    (9, "Увеличение количества жителей, принимающих участие в конкурсах, мероприятиях, акциях", "чел.", 79781, None, "за весь период", "раздел 9, строка 2"),
    (9, "Увеличение количества жителей, принимающих участие в конкурсах, мероприятиях, акциях", "чел.", 23958, None, "2018", "раздел 9, строка 2"),
    (9, "Ремонт многоквартирных домов", "дворов", 48, None, "за весь период", "раздел 9, строка 3"),
    (9, "Ремонт многоквартирных домов", "дворов", 16, None, "2018", "раздел 9, строка 3"),
    (9, "Установка спортивных и детских площадок", "дворов", 48, None, "за весь период", "раздел 9, строка 4"),
    (9, "Установка спортивных и детских площадок", "дворов", 16, None, "2018", "раздел 9, строка 4"),
    (9, "Высажено деревьев и кустарников", "ед.", 2000, ">=", None, "раздел 9, строка 5"),
    (9, "Создание ТОС", "ед.", 8, None, "за весь период", "раздел 9, строка 6"),
    (9, "Создание ТОС", "ед.", 3, None, "2018", "раздел 9, строка 6"),
    (19, "благоустроенных дворовых территорий", "ед.", 48, None, None, "раздел 19, абзац 2"),
    (19, "площадь благоустроенных территорий", "кв. м", 411871, None, None, "раздел 19, абзац 2"),
    (19, "спортивных площадок", "ед.", 20, None, None, "раздел 19, абзац 2"),
    (19, "детских игровых площадок", "ед.", 28, None, None, "раздел 19, абзац 2"),
    (19, "доля жителей, регулярно занимающихся физкультурой и спортом", "%", 29, None, None, "раздел 19, абзац 3"),
    (19, "высажено деревьев и кустарников", "ед.", 2000, ">=", None, "раздел 19, абзац 4"),
    (19, "ТОС", "ед.", 8, None, None, "раздел 19, абзац 5"),
    # «около 9 тыс. человек» in the text, 9 827 by the TOS list: the precise figure is kept.
    (19, "жителей в границах ТОС", "чел.", 9827, None, None, "раздел 19, абзац 5 (уточнено по списку ТОС, раздел 13, список ТОС)"),
    (19, "доля населения в границах ТОС", "%", 4, None, None, "раздел 19, абзац 5"),
    (19, "реализованных проектов", "ед.", 320, None, None, "раздел 19, абзац 6"),
    (19, "численность населения", "чел.", 237713, None, "на 01.01.2019", "раздел 19, абзац 7"),
]
ANGARSK_TOS = [
    ("Перекресток", 2478), ("Старица", 121), ("Старый город", 1027), ("12а микрорайон", 2248),
    ("Центральный", 1548), ("Уезд", 995), ("Старо-Байкальск", 357), ("Экспедиция", 1053),
]  # fmt: skip


@pytest.mark.parametrize("fmt", FORMATS)
def test_angarsk_passport(fmt):
    doc = parsed(ANGARSK, fmt)
    assert doc.kind == "passport"
    p = doc.tables["practices"].iloc[0]
    assert p["title"] == "Дружные соседи – дружный город!"
    # The territory line names no region: Иркутская область comes from section 5.
    assert (p["municipality_id"], p["region_id"]) == ("25703000", "RU-IRK")
    assert (p["period_start"], clean(p["period_end"]), p["period_text"]) == (2015, None, "С 2015 года по настоящее время")
    assert p["participants"] == 627
    assert clean(p["beneficiaries"]) is None and p["beneficiaries_text"] == "на всех жителей округа"
    assert p["url"] == "http://www.angarsk-crms.ru/"
    assert rows(doc, "practice_indicators", ["section", "indicator", "unit", "value", "qualifier", "period", "source_ref"]) == ANGARSK_INDICATORS
    assert rows(doc, "practice_costs", ["item", "amount_rub", "funding_source", "source_ref"]) == [
        (
            "Обеспечение деятельности МКУ АГО «Центр поддержки общественных инициатив (з/п, содержание имущества, налоги, расходные материалы)",
            9770500,
            "Бюджет муниципалитета; Муниципальная программа Ангарского городского округа «Социальное партнерство» на 2017-2021 годы",
            "раздел 18, строка 1",
        ),
        ("Призы, расходные материалы", 450000, "Спонсорская помощь", "раздел 18, строка 2"),
    ]
    tos = rows(doc, "practice_tos", ["name", "residents"])
    assert tos == ANGARSK_TOS and sum(r for _, r in tos) == 9827  # the «Всего» line is a check, not a TOS
    assert rows(doc, "practice_tos", ["source_ref"])[7] == ("раздел 13, список ТОС, строка 8",)
    assert rows(doc, "legal_acts", ["act_type", "authority", "date", "number", "title"]) == [
        (
            "постановление",
            "Администрация Ангарского городского округа",
            "2016-11-03",
            "2423-па",
            "Муниципальная программа Ангарского городского округа «Социальное партнерство» на 2017-2021 годы",
        ),
        (
            "решение",
            "Дума Ангарского городского округа",
            "2017-08-29",
            "321-39/01рд",
            "Положение о территориальном общественном самоуправлении в Ангарском городском округе",
        ),
        ("устав", None, None, None, "Устав Ангарского городского округа"),
    ]
    assert rows(doc, "contacts", ["contact_name", "phone", "email"]) == [
        ("Черепанова Надежда Викторовна", "89501259071", "nadlen.14@mail.ru"),
        ("Шерстнева Татьяна Александровна", "89501332662", "SherstnevaTA@mail.angarsk-adm.ru"),
    ]
    nb = "\u00a0"
    assert warnings(doc) == [
        (
            "раздел 19, абзац 5",
            f"в тексте — «около 9{nb}000» жителей в ТОС, а по списку ТОС (раздел 13, список ТОС) — 9{nb}827; сохранено точное значение 9{nb}827",
        ),
        ("раздел 15, «Принятые НПА», строка 3", "у акта «Устав Ангарского городского округа» не указаны дата и номер"),
    ]


def test_phones_dates_and_act_numbers_never_become_figures():
    doc = parsed(ANGARSK, "txt")
    values = set(doc.tables["practice_indicators"]["value"])
    for not_a_figure in (89501259071, 2423, 321, 2016, 2017, 19, 380, 7):
        assert not_a_figure not in values


# --------------------------------------------------------------------------- Kuzbass protocol

KUZBASS_INDICATORS = [
    ("32701000", "молодёжных объединений", "ед.", 100, ">=", None, 16),
    ("32701000", "обращений граждан", "ед.", 11787, None, "2019", 17),
    ("32701000", "обращений через официальный сайт", "ед.", 2806, None, "2019", 17),
    ("32701000", "встреч с жителями", "ед.", 10, None, "2019", 24),
    ("32701000", "участников встреч с жителями", "чел.", 388, None, "2019", 24),
    ("32701000", "встреч главы с жителями", "ед.", 6, None, "2019", 25),
    ("32701000", "мероприятий", "ед.", 6000, ">=", "2019", 27),
    ("32701000", "участников мероприятий", "чел.", 300000, ">=", "2019", 27),
    ("32701000", "окружных комитетов ТОС", "ед.", 52, None, None, 29),
    ("32701000", "органов ТОС (домовые и уличные комитеты)", "ед.", 7779, None, None, 29),
    ("32701000", "активистов ТОС", "чел.", 24000, ">=", None, 29),
    ("32701000", "общественных обсуждений", "ед.", 6, None, "2019", 51),
    ("32701000", "участников общественных обсуждений", "чел.", 2500, ">=", "2019", 51),
    ("32701000", "публичных слушаний", "ед.", 266, None, "2019", 51),
    ("32701000", "собраний жителей", "ед.", 820, None, "2019", 51),
    ("32701000", "участников собраний жителей", "чел.", 53742, None, "2019", 51),
    ("32701000", "посещений официального сайта", "ед.", 419615, None, None, 53),
    ("32701000", "участников опросов", "чел.", 9088, None, "2019", 53),
    ("32701000", "уровень удовлетворённости качеством муниципальных услуг", "%", 97, None, None, 53),
    ("32701000", "сообщений из социальных сетей", "ед.", 7432, None, "2019", 55),
    ("32701000", "обращений через цифровую платформу", "ед.", 962, None, "2019", 56),
    ("32701000", "звонков в справочную службу", "ед.", 132800, None, "2019", 58),
    ("32707000", "старост, председателей уличных комитетов, членов ТОС, членов общественных организаций и иных лиц", "чел.", 1700, "~", None, 9),
    ("32707000", "благоустроенных дворовых территорий", "ед.", 33, None, "2019", 11),
    ("32707000", "благоустроенных общественных территорий", "ед.", 4, None, "2019", 11),
    ("32707000", "личных приёмов граждан главой", "ед.", 61, None, None, 14),
    ("32707000", "собраний граждан с участием главы", "ед.", 9, None, None, 14),
    ("32707000", "мероприятий с участием главы", "ед.", 55, "~", None, 14),
    ("32707000", "ТОС", "ед.", 9, None, None, 16),
    ("32707000", "активистов ТОС", "чел.", 120, "~", None, 16),
    ("32707000", "жителей в границах ТОС", "чел.", 4655, None, None, 17),
    ("32616101", "ТОС", "ед.", 7, None, None, 4),
    ("32616101", "ТОС (смешанного типа)", "ед.", 5, None, None, 4),
    ("32616101", "ТОС (частный сектор)", "ед.", 2, None, None, 4),
    ("32616101", "советов ТОС", "ед.", 5, None, None, 5),
    ("32616101", "старших улиц", "чел.", 134, None, None, 5),
    ("32616101", "уличных комитетов", "ед.", 97, None, None, 5),
    ("32616101", "старших по дому", "чел.", 85, None, None, 5),
    ("32616101", "старших по подъезду", "чел.", 45, None, None, 5),
    ("32616101", "активистов ТОС, избранных депутатами", "чел.", 7, None, None, 5),
    ("32616101", "элементов детских площадок", "ед.", 55, None, "2018–2019", 20),
]
NAMES = {"32701000": "Кемеровский городской округ", "32707000": "Беловский городской округ", "32616101": "Мариинское городское поселение"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_kuzbass_protocol(fmt):
    doc = parsed(KUZBASS, fmt)
    assert doc.kind == "protocol"
    c = doc.tables["contests"].iloc[0]
    assert c["name"] == "Всероссийский конкурс «Лучшая муниципальная практика»"
    assert (c["year"], c["level"], c["region_id"], c["decided_on"]) == (2020, "региональный", "RU-KEM", "2020-07-17")
    assert c["nomination"].startswith("Обеспечение эффективной «обратной связи» с жителями муниципальных образований, развитие территориального")
    assert c["nomination"].endswith("местного самоуправления в иных формах")
    # Category II: «заявок не поступило» — no rows.
    assert rows(doc, "applications", ["municipality_id", "category", "place", "recommended", "source_ref"]) == [
        ("32701000", "I", 1, True, "раздел «Решили», п. 1, I категория, строка 1; раздел «Решили», п. 2"),
        ("32707000", "I", 2, True, "раздел «Решили», п. 1, I категория, строка 2; раздел «Решили», п. 2"),
        ("32616101", "I", 3, False, "раздел «Решили», п. 1, I категория, строка 3; раздел «Решили», п. 2"),
    ]
    names = {r["municipality_id"]: r["name"] for r in doc.tables["municipalities"].to_dict(orient="records")}
    assert names == NAMES
    titles = [t for (t,) in rows(doc, "applications", ["practice_title"])]
    assert titles[1:] == ["Развитие гражданской активности, совершенствование форм и методов организации местного самоуправления", "Работа с населением"]
    got = [
        (m, i, u, v, q, p, int(ref.rsplit(" ", 1)[1]))
        for m, i, u, v, q, p, ref in rows(doc, "application_indicators", ["municipality_id", "indicator", "unit", "value", "qualifier", "period", "source_ref"])
    ]
    assert got == KUZBASS_INDICATORS
    refs = rows(doc, "application_indicators", ["source_ref"])
    assert ("раздел 4 протокола, Беловский городской округ, абзац 17",) in refs
    # Kemerovo's 7 779 are house and street committees, not TOS: no «ТОС» count for Kemerovo at all.
    assert not [r for r in got if r[0] == "32701000" and r[1] == "ТОС"]
    assert warnings(doc) == []
    assert doc.meta["number"] == "1" and doc.meta["applications_received"] == 3


# --------------------------------------------------------------------------- resolution and other


@pytest.mark.parametrize("fmt", FORMATS)
def test_smolensk_congress_resolution_is_a_document_with_its_facts(fmt):
    doc = parsed(SMOLENSK, fmt)
    assert doc.kind == "resolution" and doc.tables == {}
    m = doc.meta
    assert m["title"] == "Резолюция: III Съезд территориального общественного самоуправления Смоленской области"
    assert (m["doc_date"], m["place"], m["region_id"]) == ("2020-09-08", "город Смоленск", "RU-SMO")
    assert (m["participants"], m["participants_qualifier"]) == (200, ">=")


@pytest.mark.parametrize("fmt", FORMATS)
def test_saratov_presentation_is_kept_as_another_tos_document(fmt):
    doc = parsed(SARATOV, fmt)
    assert doc.kind == "other" and doc.tables == {}
    m = doc.meta
    assert m["title"].startswith("Общественно значимый (социальный) проект Ассоциации «Совет муниципальных образований Саратовской области»")
    assert (m["doc_date"], m["doc_date_precision"], m["region_id"]) == ("2021-01-01", "year", "RU-SAR")
    assert "participants" not in m
    assert len(m["topics"]) == 8  # the eight directions of TOS projects the presentation lists


def test_command_line_parses_every_seed():
    if not SEEDS.exists():
        pytest.skip(f"нет {SEEDS}")
    files = [str(SEEDS / n) for n in (DESNOGORSK, ANGARSK, KUZBASS, SMOLENSK, SARATOV)]
    run = subprocess.run([sys.executable, "-m", "loaders", "parse", *files], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert [r["kind"] for r in out] == ["passport", "passport", "protocol", "resolution", "other"]
    assert all(r["error"] is None for r in out)
    angarsk = out[1]["tables"]
    assert sum(r["residents"] for r in angarsk["practice_tos"]) == 9827
    assert [r["amount_rub"] for r in angarsk["practice_costs"]] == [9770500.0, 450000.0]
    assert out[2]["tables"]["applications"][0]["place"] == 1  # integers stay integers in the JSON
