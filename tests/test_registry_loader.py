"""Registry spreadsheets in the layouts municipalities really send, built here in code."""

import datetime as dt
import json
import subprocess
import sys

import pytest

from loaders.api import parse_bytes
from loaders.base import ParseError
from tests.conftest import ROOT, csv_bytes, xlsx_bytes

HEADER = ["№", "Наименование ТОС", "Муниципальное образование", "Численность жителей в границах ТОС", "Дата регистрации устава"]


def tos_rows(doc):
    return doc.tables["tos"].to_dict(orient="records")


def test_title_rows_two_level_merged_header_totals_and_notes():
    rows = [
        ["Реестр ТОС Кемеровской области — Кузбасса"],
        ["по состоянию на 01.01.2025"],
        [],
        ["№ п/п", "Название ТОС (согласно уставу)", "Муниципальное образование", "Жители", None, "Юридическое лицо (да/нет)"],
        [None, None, None, "Кол-во жителей", "Количество членов ТОС", None],
        [1, 2, 3, 4, 5, 6],
        [1, "ТОС «Рассвет»", "Беловский городской округ", "1 200", 15, "да"],
        [2, "Заря", "Беловский городской округ", 800, 12, "нет"],
        [3, "«Берёзка»", "Кемеровский городской округ", "около 300", 7, None],
        [None, "Итого", None, 2300, 34, None],
        ["Примечание: численность по данным администраций."],
    ]
    data = xlsx_bytes({"Реестр": rows}, {"Реестр": ["A4:A5", "B4:B5", "C4:C5", "D4:E4", "F4:F5"]})
    doc = parse_bytes(data, "reestr.xlsx")
    tos = tos_rows(doc)
    assert [t["name"] for t in tos] == ["Рассвет", "Заря", "Берёзка"]
    assert [t["residents"] for t in tos] == [1200, 800, 300]
    assert [t["members"] for t in tos] == [15, 12, 7]  # members kept apart from residents
    assert tos[2]["residents_qualifier"] == "~"
    assert [t["legal_entity"] for t in tos] == [True, False, None]
    assert [t["municipality_id"] for t in tos] == ["32707000", "32707000", "32701000"]
    assert tos[0]["source_ref"] == "лист «Реестр», строка 7"
    assert doc.meta["as_of"] == "2025-01-01"
    assert doc.meta["region_id"] == "RU-KEM"
    assert any("около 300" in w.message for w in doc.warnings)


def test_tos_prefix_is_stripped_only_as_a_whole_word():
    """«Тосненский» and «Тоскана» are names; only a standalone «ТОС»/«т.о.с.» or the long form is the prefix."""
    rows = [
        ["Наименование ТОС", "Муниципальное образование", "Численность жителей"],
        ["Тосненский", "Беловский городской округ", 100],
        ["ТОС «Тоскана»", "Беловский городской округ", 110],
        ["Территориальное общественное самоуправление «Заря»", "Беловский городской округ", 120],
        ["т.о.с. Луч", "Беловский городской округ", 130],
        ["ТОС-Рассвет", "Беловский городской округ", 140],
    ]
    tos = tos_rows(parse_bytes(xlsx_bytes({"Реестр": rows}), "reestr.xlsx"))
    assert [t["name"] for t in tos] == ["Тосненский", "Тоскана", "Заря", "Луч", "Рассвет"]
    assert tos[0]["tos_id"] == "32707000:tosnenskiy"
    from loaders.registry import clean_tos_name

    assert clean_tos_name("ТОСно") == "ТОСно" and clean_tos_name("12. ТОС: Луч") == "Луч"


def test_tos_named_like_a_note_word_is_kept_and_a_doubtful_row_is_named():
    """«Источник», «Глава», «Исполнитель» are TOS names too: a row filled like data is data. A note
    («Примечание: …», «Исполнитель: …») is skipped; a row in between is skipped with a warning."""
    rows = [
        ["Наименование ТОС", "Муниципальное образование", "Численность жителей"],
        ["Источник", "Беловский городской округ", 310],
        ["Глава", "Беловский городской округ", 120],
        ["Исполнитель", "Беловский городской округ", 90],
        ["Рассвет", "Беловский городской округ", 100],
        ["Примечание: данные администраций"],
        ["Исполнитель: Петрова А.А.", None, "8-903-111-22-33"],
        ["Глава Беловского городского округа", None, "И.И. Иванов"],
    ]
    doc = parse_bytes(xlsx_bytes({"Реестр": rows}), "reestr.xlsx")
    tos = tos_rows(doc)
    assert [(t["name"], t["residents"]) for t in tos] == [("Источник", 310), ("Глава", 120), ("Исполнитель", 90), ("Рассвет", 100)]
    doubtful = [w for w in doc.warnings if "похожа на подпись или примечание" in w.message]
    assert [w.where for w in doubtful] == ["лист «Реестр», строка 8"]
    assert "«Глава Беловского городского округа»" in doubtful[0].message


def test_total_row_that_disagrees_is_reported():
    rows = [HEADER, [1, "Рассвет", "Беловский городской округ", 100, "2019"], [2, "Заря", "Беловский городской округ", 50, "2019"], [None, "Всего", None, 200]]
    doc = parse_bytes(xlsx_bytes({"Лист1": rows}), "r.xlsx")
    assert len(doc.tables["tos"]) == 2
    assert any("сумма по строкам = 150;" in w.message for w in doc.warnings)


def test_sheet_per_municipality_and_cover_sheet_skipped():
    data = xlsx_bytes(
        {
            "Титул": [["Сводный реестр ТОС"], ["Иркутская область"]],
            "Ангарский городской округ": [["Реестр ТОС Ангарского городского округа"], ["Наименование ТОС", "Кол-во жителей", "Год создания"], ["Перекресток", 2478, "2017 г."], ["Старица", 121, 2018]],
            "Тулунский район": [["Наименование ТОС", "Кол-во жителей", "Год создания"], ["Колос", 300, 2020]],
        }
    )
    doc = parse_bytes(data, "irk.xlsx")
    tos = tos_rows(doc)
    assert [(t["name"], t["municipality_id"]) for t in tos] == [("Перекресток", "25703000"), ("Старица", "25703000"), ("Колос", "25638000")]
    assert [t["registered_on"] for t in tos] == ["2017-01-01", "2018-01-01", "2020-01-01"]
    assert {t["registered_precision"] for t in tos} == {"year"}
    assert any("Титул" in n for n in doc.meta["notes"])


def test_section_rows_name_the_municipality_of_the_rows_below():
    rows = [
        ["Наименование ТОС", "Населенный пункт", "Численность жителей", "Дата регистрации"],
        ["Энгельсский муниципальный район"],
        ["Луч", "с. Ивановка", 120, "12.03.2019"],
        ["Итого по району", None, 120],
        ["Саратовский муниципальный район"],
        ["Исток", "п. Дубки", 90, "01.06.2021"],
    ]
    doc = parse_bytes(xlsx_bytes({"ТОС": rows}), "sar.xlsx")
    tos = tos_rows(doc)
    assert [(t["name"], t["municipality_id"]) for t in tos] == [("Луч", "63650000"), ("Исток", "63643000")]
    assert [t["area_type"] for t in tos] == ["сельский", "сельский"]  # from «с.»/«п.», with a warning
    assert any("определён по типу населённого пункта" in w.message for w in doc.warnings)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251", "utf-16"])
@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_csv_in_every_encoding_and_delimiter(encoding, delimiter):
    rows = [
        ["Реестр ТОС Смоленской области"],
        ["Муниципальное образование", "Наименование ТОС", "Количество жителей", "Дата регистрации", "Сумма, руб."],
        ["город Десногорск", "5 квартал", "", "30.05.2019", "1\u00a0250,50"],
        ["Вяземский район", "Заречье", "1\u202f150", "2019", "2 000,00"],
    ]
    doc = parse_bytes(csv_bytes(rows, delimiter, encoding), "smolensk.csv")
    tos = tos_rows(doc)
    assert [t["name"] for t in tos] == ["5 квартал", "Заречье"]
    assert tos[0]["residents"] is None  # unknown stays unknown, never 0
    assert tos[1]["residents"] == 1150
    assert tos[0]["registered_on"] == "2019-05-30"
    assert [t["municipality_id"] for t in tos] == ["66710000", "66605000"]


def test_csv_decimal_commas_in_projects_with_thousands_header():
    rows = [
        ["Проекты ТОС 2023 года"],
        ["Муниципальное образование", "Наименование ТОС", "Наименование проекта", "Направление", "Статус", "Общая стоимость, тыс. руб.", "Местный бюджет, тыс. руб.", "Областной бюджет, тыс. руб.", "Средства жителей, тыс. руб."],
        ["Беловский городской округ", "Рассвет", "Детская площадка", "детские и спортивные площадки", "реализован", "1 250,5", "125,05", "1 000,45", "125,0"],
    ]
    doc = parse_bytes(csv_bytes(rows, ";", "cp1251"), "p.csv")
    p = doc.tables["projects"].iloc[0]
    assert p["cost_total"] == pytest.approx(1_250_500)
    assert p["funding_local"] == pytest.approx(125_050)
    assert p["funding_regional"] == pytest.approx(1_000_450)
    assert p["funding_residents"] == pytest.approx(125_000)
    assert p["year"] == 2023  # from the title, with a warning
    assert p["status"] == "реализован"
    assert p["tos_id"] == "32707000:rassvet"
    assert any("год 2023 взят" in w.message for w in doc.warnings)


def test_projects_with_two_level_financing_header():
    rows = [
        ["Муниципальное образование", "Наименование проекта", "Год", "Стоимость проекта, руб.", "Источники финансирования, руб.", None, None],
        [None, None, None, None, "местный бюджет", "областной бюджет", "средства жителей"],
        ["Кемеровский городской округ", "Ремонт тротуара", 2022, 300000, 30000, 240000, 30000],
        ["Кемеровский городской округ", "Сквер у школы", 2023, None, 10000, 80000, 10000],
        ["Кемеровский городской округ", "Колодец", 2024, 100000, 10000, 10000, 10000],
    ]
    data = xlsx_bytes({"Проекты": rows}, {"Проекты": ["A1:A2", "B1:B2", "C1:C2", "D1:D2", "E1:G1"]})
    doc = parse_bytes(data, "p.xlsx")
    p = doc.tables["projects"]
    assert p["funding_residents"].tolist() == [30000, 10000, 10000]
    assert p["cost_total"].tolist() == [300000, 100000, 100000]  # missing total = sum of sources, said so
    assert p["category"].tolist() == ["ремонт дорог и тротуаров", "решение экологических задач", "обеспечение водоснабжением"]
    messages = " ".join(w.message for w in doc.warnings)
    assert "взята сумма источников" in messages
    assert "не равна общей стоимости" in messages  # 30 000 ≠ 100 000 for the well


def test_project_status_words_are_read_as_words_and_the_unknown_is_said():
    """«Выполнение работ» is under way, not done; «данные уточняются» is not «да». Only a status that
    says the project is done counts it as completed; one not recognised is kept with a warning."""
    statuses = ["Реализован", "выполнение работ", "завершение в 2025 году", "Готовится документация", "данные уточняются", "Да", "ведутся работы"]
    rows = [["Муниципальное образование", "Наименование проекта", "Год", "Стоимость, руб.", "Статус"]]
    rows += [["Кемеровский городской округ", f"Проект {i}", 2024, 1000, st] for i, st in enumerate(statuses)]
    doc = parse_bytes(xlsx_bytes({"Проекты": rows}), "p.xlsx")
    assert doc.tables["projects"]["status"].tolist() == [
        "реализован", "в работе", "в работе", "запланирован", "данные уточняются", "реализован", "в работе",
    ]
    unknown = [w for w in doc.warnings if "не распознан" in w.message]
    assert [w.where for w in unknown] == ["лист «Проекты», строка 6, столбец «Статус»"]
    assert "«данные уточняются»" in unknown[0].message and "не считается реализованным" in unknown[0].message


def test_project_direction_from_the_title_reads_what_the_project_is_about():
    rows = [["Муниципальное образование", "Наименование проекта", "Год", "Стоимость, руб."]]
    titles = ["Обустройство контейнерной площадки", "Озеленение и устройство газонов", "Газификация улицы", "Благоустройство детской площадки", "Ремонт Дворца культуры"]
    rows += [["Кемеровский городской округ", t, 2024, 1000] for t in titles]
    doc = parse_bytes(xlsx_bytes({"Проекты": rows}), "p.xlsx")
    assert doc.tables["projects"]["category"].tolist() == [
        "решение экологических задач", "решение экологических задач", "решение проблем ЖКХ", "детские и спортивные площадки", "иное",
    ]


def test_tos_whose_activity_has_stopped_is_dissolved():
    rows = [
        ["Наименование ТОС", "Муниципальное образование", "Статус"],
        ["Рассвет", "Беловский городской округ", "Деятельность прекращена"],
        ["Заря", "Беловский городской округ", "действует"],
        ["Луч", "Беловский городской округ", "Реорганизован"],
    ]
    doc = parse_bytes(xlsx_bytes({"Реестр": rows}), "r.xlsx")
    assert tos_rows(doc)[0]["status"] == "ликвидирован" and tos_rows(doc)[1]["status"] == "действует"
    assert any("«Реорганизован» не распознан" in w.message and "считается действующим" in w.message for w in doc.warnings)


def test_legal_entity_yes_is_a_word_not_a_prefix():
    rows = [["Наименование ТОС", "Муниципальное образование", "Юридическое лицо"]]
    values = {"Альфа": "Да, с 2019 года", "Бета": "данные отсутствуют", "Гамма": "нет", "Дельта": "не является"}
    rows += [[name, "Беловский городской округ", value] for name, value in values.items()]
    doc = parse_bytes(xlsx_bytes({"Реестр": rows}), "r.xlsx")
    assert [t["legal_entity"] for t in tos_rows(doc)] == [True, None, False, False]
    assert any("«данные отсутствуют» — ожидалось «да» или «нет»" in w.message for w in doc.warnings)


def test_money_units_of_headers_and_cells_are_applied_once():
    """A cell writing its own «тыс.»/«млн» is not scaled again by the header; a funding column that says
    «руб.» does not inherit the total's «тыс. руб.»; «тысяч рублей» is thousands too."""
    rows = [
        ["Муниципальное образование", "Наименование проекта", "Год", "Общая стоимость, тыс. руб.", "Средства жителей, руб.", "Местный бюджет, тысяч рублей"],
        ["Кемеровский городской округ", "Сквер", 2024, 450, 22500, 427.5],
        ["Кемеровский городской округ", "Площадка", 2024, "1,2 млн", 60000, "1 140 тыс."],
        ["Кемеровский городской округ", "Колодец", 2024, "1.250.000 руб", None, None],
    ]
    doc = parse_bytes(xlsx_bytes({"Проекты": rows}), "p.xlsx")
    p = doc.tables["projects"]
    assert p["cost_total"].tolist() == [450_000, 1_200_000, 1_250_000]
    assert p["funding_residents"].tolist()[:2] == [22_500, 60_000]
    assert p["funding_local"].tolist()[:2] == [427_500, 1_140_000]
    assert p["year"].tolist() == [2024, 2024, 2024]
    own = [w.where for w in doc.warnings if "единица указана в ячейке" in w.message]
    assert own == [
        "лист «Проекты», строка 3, столбец «Общая стоимость, тыс. руб.»",
        "лист «Проекты», строка 4, столбец «Общая стоимость, тыс. руб.»",
        "лист «Проекты», строка 3, столбец «Местный бюджет, тысяч рублей»",
    ]


def test_a_period_in_the_year_column_takes_its_first_year_and_says_so():
    rows = [["Муниципальное образование", "Наименование проекта", "Период реализации", "Стоимость, руб."],
            ["Кемеровский городской округ", "Сквер", "2019-2020", 1000], ["Кемеровский городской округ", "Двор", 2021, 1000]]
    doc = parse_bytes(xlsx_bytes({"Проекты": rows}), "p.xlsx")
    assert doc.tables["projects"]["year"].tolist() == [2019, 2021]
    assert [(w.where, w.message) for w in doc.warnings if "период" in w.message] == [
        ("лист «Проекты», строка 2, столбец «Период реализации»", "«2019-2020» — период; взят год начала 2019")
    ]


def test_population_sheet():
    rows = [["Муниципальное образование", "Численность постоянного населения на 01.01.2019"], ["Ангарский городской округ", "237 713"]]
    doc = parse_bytes(xlsx_bytes({"Население": rows}), "pop.xlsx")
    assert doc.kind == "population"
    assert doc.tables["population"].to_dict(orient="records")[0] == {
        "municipality_id": "25703000", "year": 2019, "population": 237713, "source_ref": "лист «Население», строка 2",
    }  # fmt: skip


def test_messy_rows_give_row_level_warnings_not_a_traceback():
    rows = [
        ["Наименование ТОС", "Муниципальное образование", "Численность жителей", "Дата регистрации", "Юридическое лицо", "ОГРН"],
        ["Рассвет", "Беловский городской округ", "много", "вчера", "возможно", "12345"],
        [None, "Беловский городской округ", 100, "2019", "да", None],
        ["Заря", "Беловский городской округ", -5, "2019", "нет", 1024200000000.0],
    ]
    doc = parse_bytes(xlsx_bytes({"Реестр": rows}), "messy.xlsx")
    tos = tos_rows(doc)
    assert [t["name"] for t in tos] == ["Рассвет", "Заря"]
    assert tos[0]["residents"] is None and tos[0]["registered_on"] is None and tos[0]["legal_entity"] is None
    assert tos[1]["ogrn"] == "1024200000000"  # a code read as text, not a float
    wheres = {w.where for w in doc.warnings}
    assert "лист «Реестр», строка 2, столбец «Численность жителей»" in wheres
    assert "лист «Реестр», строка 2, столбец «Дата регистрации»" in wheres
    assert "лист «Реестр», строка 3" in wheres  # the row without a name
    assert any("отрицательное" in w.message for w in doc.warnings)
    assert any("ОГРН «12345»" in w.message for w in doc.warnings)


def test_area_type_column_with_gaps_falls_back_to_the_settlement_type():
    rows = [
        ["Наименование ТОС", "Муниципальное образование", "Населённый пункт", "Тип территории", "Председатель"],
        ["Рассвет", "Беловский городской округ", "г. Белово", "Городская", "  Иванова Анна  "],
        ["Заря", "Беловский городской округ", "с. Заречное", None, None],
        ["Луч", "Беловский городской округ", "Кемеровская обл., пгт Грамотеино", "", 12345],
        ["Исток", "Беловский городской округ", "с. Бачаты", "сельская территория", ""],
        ["Восход", "Беловский городской округ", "ул. Ленина", "городской", None],
        ["Полюс", "Беловский городской округ", "Северный", None, None],
        # Village names that begin like a type word are not a type: unknown, not «городской».
        ["Ключ", "Беловский городской округ", "Городище", None, None],
        ["Родник", "Беловский городской округ", "Хуторок", None, None],
    ]
    doc = parse_bytes(xlsx_bytes({"Реестр": rows}), "area.xlsx")
    tos = tos_rows(doc)
    assert [t["area_type"] for t in tos] == ["городской", "сельский", "городской", "сельский", "городской", None, None, None]
    assert [t["chair"] for t in tos] == ["Иванова Анна", None, "12345", None, None, None, None, None]
    derived = [w.message for w in doc.warnings if "определён по типу населённого пункта" in w.message]
    assert len(derived) == 1 and "в 2 строк" in derived[0]  # «Заря» and «Луч»; «Полюс» stays unknown


def test_missing_municipality_is_named_in_the_error():
    rows = [["Наименование ТОС", "Численность жителей"], ["Рассвет", 100]]
    with pytest.raises(ParseError) as exc:
        parse_bytes(xlsx_bytes({"Лист1": rows}), "bez_mo.xlsx")
    assert "bez_mo.xlsx" in exc.value.message
    assert "лист «Лист1»" in exc.value.message
    assert "«Муниципальное образование»" in exc.value.message


def test_file_without_a_table_is_rejected_with_its_sheets_named():
    with pytest.raises(ParseError) as exc:
        parse_bytes(xlsx_bytes({"Письмо": [["Направляем сведения"], ["С уважением"]]}), "pismo.xlsx")
    assert "«pismo.xlsx»" in exc.value.message and "«Письмо»" in exc.value.message


def test_extension_that_lies_is_rejected():
    with pytest.raises(ParseError) as exc:
        parse_bytes(b"%PDF-1.4 fake", "reestr.xlsx")
    assert "не соответствует содержимому" in exc.value.message


def test_a_row_whose_municipality_names_nothing_is_skipped_with_a_warning():
    rows = [
        ["Наименование ТОС", "Муниципальное образование", "Численность жителей"],
        ["Рассвет", "Беловский городской округ", 100],
        ["Луч", "МО «город Белово»", 300],
        ["Юг", "администрация", 10],
    ]
    doc = parse_bytes(xlsx_bytes({"Реестр": rows}), "r.xlsx")
    assert tos_rows(doc)[1]["municipality_id"] == "32707000"
    assert [t["name"] for t in tos_rows(doc)] == ["Рассвет", "Луч"]
    skipped = [w for w in doc.warnings if "строка пропущена" in w.message]
    assert [(w.where, w.message) for w in skipped] == [
        ("лист «Реестр», строка 4, столбец «Муниципальное образование»", "«администрация» — в названии нет муниципального образования; строка пропущена")
    ]


def test_namesakes_on_two_sheets_of_one_municipality_stay_two_tos():
    header = ["Наименование ТОС", "Населенный пункт", "Численность жителей"]
    book = {
        "Беловский муниципальный район": [header, ["Берёзка", "с. Старобачаты", 120], ["Берёзка", "с. Лапшиново", 40]],
        "Беловский муниципальный район 2": [header, ["Березка", "с. Менчереп", 80]],
    }
    doc = parse_bytes(xlsx_bytes(book), "r.xlsx")
    assert [t["tos_id"] for t in tos_rows(doc)] == ["32601000:berezka", "32601000:berezka-3", "32601000:berezka-2"]
    said = [(w.where, w.message.split("муниципалитете ")[1].split(";")[0]) for w in doc.warnings if "уже есть" in w.message]
    assert said == [("лист «Беловский муниципальный район», строка 3", "выше"), ("лист «Беловский муниципальный район 2», строка 2", "на другом листе")]


def test_a_region_column_tells_apart_municipalities_of_the_same_name():
    from loaders.names import Municipality, MunicipalityMatcher

    matcher = MunicipalityMatcher(
        [
            Municipality("vor-okt", "Октябрьский муниципальный район", "муниципальный район", "RU-VOR"),
            Municipality("irk-okt", "Октябрьский муниципальный район", "муниципальный район", "RU-IRK"),
        ]
    )
    rows = [
        ["Субъект РФ", "Муниципальное образование", "Наименование ТОС", "Численность жителей"],
        ["Воронежская область", "Октябрьский муниципальный район", "Рассвет", "120"],
        ["Иркутская область", "Октябрьский муниципальный район", "Заря", "80"],
        ["Тридевятое царство", "Октябрьский муниципальный район", "Берёзка", "30"],
    ]
    doc = parse_bytes(csv_bytes(rows, ";", "utf-8"), "reestr_rf.csv", matcher=matcher)
    tos = doc.tables["tos"]
    assert dict(zip(tos["name"], tos["municipality_id"], strict=True))["Рассвет"] == "vor-okt"
    assert dict(zip(tos["name"], tos["municipality_id"], strict=True))["Заря"] == "irk-okt"
    assert "region" not in tos.columns  # a hint for matching, not a TOS attribute
    unknown = [w for w in doc.warnings if "Тридевятое царство" in w.message]
    assert [(w.where, w.message) for w in unknown] == [
        ("строка 4, столбец «Субъект РФ»", "регион «Тридевятое царство» не распознан; муниципалитет сопоставлен без учёта региона")
    ]


def test_real_borisoglebsk_registry(shared_data):
    """A real registry the parser was not written for: 24 TOS, the residents total of the source."""
    path = shared_data / "registries" / "tos-registry-borisoglebsk-voronezh.tsv.txt"
    source = json.loads((shared_data / "registries" / "tos-registry-borisoglebsk-voronezh.json").read_text(encoding="utf-8"))
    doc = parse_bytes(path.read_bytes(), path.name)
    tos = doc.tables["tos"]
    assert len(tos) == len(source) == 24
    assert tos["residents"].sum() == sum(t["residents"] for t in source)
    assert set(tos["municipality_id"]) == {"borisoglebskiy-gorodskoy-okrug"}
    assert doc.tables["municipalities"].iloc[0]["region_id"] == "RU-VOR"
    assert sorted(tos["registered_on"].str[:4].astype(int)) == sorted(t["founded"] for t in source)
    by_name = tos.set_index("name")
    for t in source:  # the «Тип» column, the chair and the boundary text, each as the source has it
        row = by_name.loc[t["name"]]
        assert row["area_type"] == t["type"].lower(), t["name"]
        assert row["chair"] == t["chair"] and row["boundary_text"] == t["boundaries"].strip(), t["name"]


def test_cli_parse_prints_json_and_exit_status(tmp_path):
    good = tmp_path / "reestr.xlsx"
    good.write_bytes(xlsx_bytes({"Реестр": [HEADER, [1, "Рассвет", "Беловский городской округ", 120, "2019"]]}))
    bad = tmp_path / "pusto.csv"
    bad.write_bytes(b"")
    run = subprocess.run([sys.executable, "-m", "loaders", "parse", str(good), str(bad)], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 1
    out = json.loads(run.stdout)
    assert [o["file"] for o in out] == ["reestr.xlsx", "pusto.csv"]
    assert out[0]["kind"] == "registry" and out[0]["error"] is None
    assert out[0]["tables"]["tos"][0]["residents"] == 120
    assert set(out[0]) >= {"file", "kind", "tables", "warnings", "error"}
    assert "пустой" in out[1]["error"]
    ok = subprocess.run([sys.executable, "-m", "loaders", "parse", str(good)], capture_output=True, text=True, cwd=ROOT)
    assert ok.returncode == 0


def test_excel_dates_are_dates():
    rows = [["Наименование ТОС", "Муниципальное образование", "Дата регистрации"], ["Рассвет", "Беловский городской округ", dt.datetime(2019, 5, 23)]]
    doc = parse_bytes(xlsx_bytes({"Р": rows}), "d.xlsx")
    assert doc.tables["tos"].iloc[0]["registered_on"] == "2019-05-23"


def test_a_date_shown_as_its_excel_number_is_read_with_a_warning():
    """A date cell that lost its format holds 43586; it is 01.05.2019, said so, not «не дата»."""
    rows = [
        HEADER,
        [1, "ТОС «Рассвет»", "Беловский р-н", 100, 43586],
        [2, "ТОС «Заря»", "Беловский г.о.", 120, "43600"],
        [3, "ТОС «Луч»", "Беловский городской округ", 130, "вчера"],
    ]
    doc = parse_bytes(xlsx_bytes({"Реестр": rows}), "reestr.xlsx")
    tos = tos_rows(doc)
    assert [t["registered_on"] for t in tos] == ["2019-05-01", "2019-05-15", None]
    assert [t["registered_precision"] for t in tos] == ["day", "day", None]
    messages = [w.message for w in doc.warnings]
    assert any("43586" in m and "01.05.2019" in m for m in messages), messages
    assert any("«вчера» — не дата" in m for m in messages), messages
    # «р-н» and «г.о.» are the district and the city okrug of Belovo, not unknown names.
    assert [t["municipality_id"] for t in tos] == ["32601000", "32707000", "32707000"]


@pytest.mark.parametrize(
    "footer",
    ["Исп. Сидорова Е.В., тел. 8 (39545) 2-22-33", "Контактное лицо: Сидорова Е.В., тел. 2-22-33", "Сидорова Елена Викторовна, 2-22-33",
     "Специалист отдела Сидорова Е.В.", "e-mail: sidorova@angarsk.ru", "Отв. исполнитель Сидорова Е.В."],
)  # fmt: skip
def test_a_clerks_signature_under_the_table_is_not_a_tos_and_no_warning_repeats_it(footer):
    """Such a line in the TOS-name column became a TOS — its name and phone on every public page."""
    rows = [["Реестр ТОС Беловского городского округа"], HEADER, [1, "ТОС «Рассвет»", "Беловский городской округ", 350, None], [], [None, footer]]
    doc = parse_bytes(xlsx_bytes({"Реестр": rows}), "reestr.xlsx")
    assert [t["name"] for t in tos_rows(doc)] == ["Рассвет"]
    text = " ".join(f"{w.where} {w.message}" for w in doc.warnings)
    assert "Сидоров" not in text and "2-22-33" not in text and "angarsk" not in text, text


def test_warnings_that_quote_a_cell_blank_its_phone_and_name():
    rows = [HEADER, [1, "ТОС «Рассвет»", "Беловский городской округ", "Иванов И.И., тел. 8 903 123-45-67", None]]
    doc = parse_bytes(xlsx_bytes({"Реестр": rows}), "reestr.xlsx")
    [warning] = [w.message for w in doc.warnings if "не число" in w.message]
    assert warning == "«[ФИО], тел. [телефон]» — не число; значение не сохранено"


def test_a_chair_written_into_the_tos_name_leaves_the_public_name_for_the_chair_columns():
    """TOS names are public: «Луч (председатель …, тел. …)» is stored as «Луч», the person kept as the chair."""
    rows = [
        HEADER + ["Председатель ТОС", "Телефон"],
        [1, "ТОС «Луч» (председатель Сомова Нина Петровна, тел. 8-913-402-17-55)", "Беловский городской округ", 420, None, None, None],
        [2, "Колос (руководитель Гордеев О.Ю.)", "Беловский городской округ", 180, None, "Гордеев Олег Юрьевич", "2-15-67"],
        [3, "Исток, председатель Белова И.О.", "Беловский городской округ", 90, None, None, None],
        [4, "Заря (пос. Грамотеино)", "Беловский городской округ", 75, None, None, None],
    ]
    doc = parse_bytes(xlsx_bytes({"Реестр": rows}), "reestr.xlsx")
    tos = tos_rows(doc)
    assert [t["name"] for t in tos] == ["Луч", "Колос", "Исток", "Заря (пос. Грамотеино)"]
    assert [t["tos_id"] for t in tos][:3] == ["32707000:luch", "32707000:kolos", "32707000:istok"]
    # Where the row has no chair, the one from the name is kept; a filled chair column wins.
    assert [t["chair"] for t in tos] == ["Сомова Нина Петровна", "Гордеев Олег Юрьевич", "Белова И.О.", None]
    assert [t["phone"] for t in tos] == ["8-913-402-17-55", "2-15-67", None, None]
    warnings = [(w.where, w.message) for w in doc.warnings]
    assert ("лист «Реестр», строка 2, столбец «Наименование ТОС»",
            "в наименовании ТОС указаны председатель или его контакты — из наименования убраны; "
            "сохранены как председатель и его контакты (видны только сотрудникам)") in warnings  # fmt: skip
    assert ("лист «Реестр», строка 3, столбец «Наименование ТОС»",
            "в наименовании ТОС указаны председатель или его контакты — из наименования убраны; "
            "в строке они уже указаны в своих столбцах") in warnings  # fmt: skip
    text = " ".join(f"{w} {m}" for w, m in warnings)
    for personal in ("Сомова", "Гордеев", "Белова", "402-17-55"):
        assert personal not in text


def test_columns_about_the_chair_or_the_council_never_become_public_columns():
    """«Место нахождения (адрес председателя)» is the chair's home, not the TOS's settlement; «Члены совета
    ТОС» lists people, it is no count of members; «Телефон председателя» is the phone, not the chair."""
    from loaders.registry import classify_header

    header = ["Наименование ТОС", "Муниципальное образование", "Численность жителей", "Место нахождения (адрес председателя)",
              "Члены совета ТОС", "Телефон председателя", "Председатель ТОС"]  # fmt: skip
    row = ["Луч", "Беловский городской округ", 420, "г. Белово, ул. Юбилейная, д. 3, кв. 12", "Сомова Н.П., Гордеев О.Ю.",
           "8-913-402-17-55", "Сомова Нина Петровна"]  # fmt: skip
    doc = parse_bytes(xlsx_bytes({"Реестр": [header, row]}), "reestr.xlsx")
    [tos] = tos_rows(doc)
    assert (tos["name"], tos["settlement"], tos["members"], tos["residents"]) == ("Луч", None, None, 420)
    assert (tos["chair"], tos["phone"]) == ("Сомова Нина Петровна", "8-913-402-17-55")
    messages = [w.message for w in doc.warnings]
    assert "столбец «Место нахождения (адрес председателя)» — личные данные, в реестре не хранятся; столбец не прочитан" in messages
    assert "столбец «Члены совета ТОС» — личные данные, в реестре не хранятся; столбец не прочитан" in messages
    text = " ".join(f"{w.where} {w.message}" for w in doc.warnings)
    assert "Юбилейная" not in text and "Сомова" not in text and "Гордеев" not in text
    # The public columns keep their own wordings.
    assert classify_header("Место нахождения") == "settlement"
    assert classify_header("Количество членов совета ТОС") == "members"
    assert classify_header("Члены ТОС") == "members"
    assert classify_header("E-mail председателя") == "email"
    assert classify_header("Паспортные данные председателя") == "_personal"


def test_a_person_in_the_municipality_column_makes_no_public_municipality():
    rows = [HEADER, [1, "Луч", "Беловский городской округ", 420, None], [2, "Колос", "Гордеева Светлана Павловна", 180, None]]
    doc = parse_bytes(xlsx_bytes({"Реестр": rows}), "reestr.xlsx")
    assert [(t["name"], t["municipality_id"]) for t in tos_rows(doc)] == [("Луч", "32707000")]
    assert doc.tables["municipalities"]["name"].tolist() == ["Беловский городской округ"]
    assert [(w.where, w.message) for w in doc.warnings] == [
        ("лист «Реестр», строка 3, столбец «Муниципальное образование»", "«[ФИО]» — в названии нет муниципального образования; строка пропущена")
    ]
