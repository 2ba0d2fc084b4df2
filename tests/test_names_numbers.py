"""Names, numbers, dates and encodings: the small parsers every loader relies on."""

import codecs
import datetime as dt

import pandas as pd
import pytest

from loaders.dates import parse_date, parse_date_series
from loaders.names import MunicipalityMatcher, default_matcher, find_regions, slug
from loaders.numbers import has_own_unit, money_multiplier, parse_number, parse_number_series
from loaders.textio import decode_bytes


@pytest.mark.parametrize(
    ("text", "expected_id", "expected_name"),
    [
        ("Ангарский городской округ", "25703000", "Ангарский городской округ"),
        ("Ангарского городского округа", "25703000", "Ангарский городской округ"),
        ("Кемеровского городского округа", "32701000", "Кемеровский городской округ"),
        ("город Кемерово", "32701000", "Кемеровский городской округ"),
        ("Беловский городской округ", "32707000", "Беловский городской округ"),
        ("Мариинское городское поселение Мариинского муниципального района", "32616101", "Мариинское городское поселение"),
        ("Мариинского городского поселения Мариинского муниципального района", "32616101", "Мариинское городское поселение"),
        ("Муниципальное образование «город Десногорск» Смоленской области.", "66710000", "город Десногорск"),
        ("города Десногорска", "66710000", "город Десногорск"),
        ("г. Десногорск", "66710000", "город Десногорск"),
        ("Ленинск-Кузнецкого городского округа", "32719000", "Ленинск-Кузнецкий городской округ"),
        ("Энгельсского муниципального района", "63650000", "Энгельсский муниципальный район"),
        ("Иркутский район", "25612000", "Иркутский муниципальный район"),
        ("ЗАТО Светлый", "63775000", "ЗАТО Светлый"),
    ],
)
def test_municipality_names_meet_in_one_place(text, expected_id, expected_name):
    match = default_matcher().match(text)
    assert match.municipality_id == expected_id
    assert match.name == expected_name
    assert match.known


def test_district_and_city_okrug_of_the_same_name_stay_apart():
    m = default_matcher()
    assert m.match("Беловский муниципальный район").municipality_id == "32601000"
    assert m.match("Беловский городской округ").municipality_id == "32707000"
    bare = m.match("Беловский")
    assert bare.municipality_id == "32707000"
    assert "тип не указан" in bare.note  # the choice is said, not hidden


def test_municipal_okrug_after_reform_matches_the_district_with_a_note():
    match = default_matcher().match("Мариинский муниципальный округ")
    assert match.municipality_id == "32616000"
    assert "другой тип" in match.note


def test_unknown_municipality_gets_a_nominative_name_and_a_stable_id():
    match = default_matcher().match("Борисоглебского городского округа Воронежской области")
    assert not match.known
    assert match.name == "Борисоглебский городской округ"
    assert match.region_id == "RU-VOR"
    assert match.municipality_id == slug("Борисоглебский городской округ") == "borisoglebskiy-gorodskoy-okrug"


def test_names_that_begin_like_type_words_and_doubled_type_words():
    m = default_matcher()
    # «Городецкий» is a name, not «город» + «ецкий»: an unknown district, not nothing at all.
    assert m.match("Городецкий муниципальный район").name == "Городецкий муниципальный район"
    for text in ("МО «город Белово»", "Городской округ город Белово", "ГО город Белово"):
        assert m.match(text).municipality_id == "32707000", text
    assert m.match("ЗАТО г. Шиханы").municipality_id == "63746000"


def test_a_namesake_in_another_region_is_not_taken_for_the_stated_one():
    m = default_matcher()
    # The row names Kursk oblast: Saratov's «Советский район» is not it.
    kursk = m.match("Советский район", "RU-KRS", region_stated=True)
    assert not kursk.known and kursk.region_id == "RU-KRS"
    assert not m.match("Краснинский район Липецкой области").known  # Smolensk has one too
    # Only the title names the region: the namesake is taken, and the note says so.
    hinted = m.match("Советский район", "RU-KRS")
    assert hinted.municipality_id == "63644000" and "Курская область" in hinted.note
    assert m.match("Советский район", "RU-SAR").note is None


def test_regions_found_in_text():
    assert find_regions("расположен в юго-западной части Иркутской области") == ["RU-IRK"]
    assert find_regions("Губернатора Кемеровской области – Кузбасса") == ["RU-KEM"]
    assert find_regions("III Съезд ТОС Смоленской области") == ["RU-SMO"]
    # Registries shorten the kind of region.
    assert find_regions("Курская обл.") == ["RU-KRS"]
    assert find_regions("Воронежская обл, Аннинский р-н") == ["RU-VOR"]
    assert find_regions("Респ. Татарстан") == ["RU-TA"]
    assert find_regions("Краснодарский кр.") == ["RU-KDA"]


def test_shortened_type_words_are_read():
    m = default_matcher()
    # «р-н», «мун. р-н», «г.п.» name the same municipality as the words written out.
    for text in ("Советский р-н", "Советский мун. р-н", "Советский муниципальный р-н"):
        assert m.match(text).municipality_id == "63644000", text
    assert m.match("Мариинское г.п.").municipality_id == "32616101"
    # «г.о.» is a city okrug, not a city «о.»; «с/п» and «с.п.» a rural settlement.
    assert m.match("г.о. Тольятти").name == "городской округ Тольятти"
    assert m.match("Ивановское с/п").name == m.match("Ивановское с.п.").name == "Ивановское сельское поселение"


def test_a_name_that_is_a_noun_keeps_its_ending():
    m = default_matcher()
    # «Тольятти» is not an adjective: it lost its «и» and became «Тольятт».
    assert m.match("Тольятти").name == "Тольятти"
    assert m.match("Тольятти городской округ").name == "городской округ Тольятти"
    # Adjectives are still put into the nominative.
    assert m.match("Городецкого муниципального района").name == "Городецкий муниципальный район"


def test_a_numbered_adjective_name_stays_as_written():
    # «Первомайское-2»: an adjective with a number declines like «Первомайское». Read as a noun it
    # was stored as «сельское поселение Первомайское-2», so the next document writing the name the
    # usual way missed the matcher's exact lookup (a national registry took 1.6 s longer).
    m = MunicipalityMatcher(())
    assert m.match("Первомайское-2 сельское поселение").name == "Первомайское-2 сельское поселение"
    assert m.match("Первомайского-2 сельского поселения").name == "Первомайское-2 сельское поселение"
    assert m.match("Кедренский-3 городской округ").name == "Кедренский-3 городской округ"


@pytest.mark.parametrize(
    ("text", "value", "qualifier", "unit"),
    [
        ("9 770,5 тыс. руб.", 9_770_500, None, "руб."),
        ("450 тыс. руб.", 450_000, None, "руб."),
        ("1\u00a0050 чел.", 1050, None, "чел."),
        ("79\u202f781 чел.", 79_781, None, "чел."),
        ("более 2000", 2000, ">=", None),
        ("около 9 тыс. человек", 9000, "~", "чел."),
        ("свыше 300 000 человек", 300_000, ">=", "чел."),
        ("4%", 4, None, "%"),
        ("1,5 млн руб.", 1_500_000, None, "руб."),
        ("от 10 до 20", 10, "range", None),
        ("1 млн. 200 тыс. руб.", 1_200_000, None, "руб."),
        ("2 млн 500 000 руб.", 2_500_000, None, "руб."),
        ("1 млрд 250 млн руб.", 1_250_000_000, None, "руб."),
    ],
)
def test_russian_numbers(text, value, qualifier, unit):
    n = parse_number(text)
    assert n.value == pytest.approx(value)
    assert n.qualifier == qualifier
    assert n.unit == unit


def test_range_keeps_its_upper_bound():
    assert parse_number("10–20").max_value == 20


@pytest.mark.parametrize("text", ["89501259071", "(48153) 7-19-50", "28.02.2008", "№ 591", "321-39/01рд", "на всех жителей округа", ""])
def test_phones_dates_act_numbers_and_statements_are_not_figures(text):
    assert parse_number(text) is None


def test_number_series_fast_and_slow_paths():
    values, qualifiers, unparsed = parse_number_series(pd.Series(["1 200", "1200,5", "около 300", "нет данных", None], dtype=object))
    assert values.tolist()[:3] == [1200.0, 1200.5, 300.0]
    assert qualifiers.tolist()[2] == "~"
    assert unparsed.tolist() == [False, False, False, True, False]


def test_money_multiplier_from_header():
    assert money_multiplier("Общая стоимость, тыс. руб.") == 1000
    assert money_multiplier("Стоимость, млн руб.") == 1_000_000
    assert money_multiplier("Стоимость, руб.") == 1
    assert money_multiplier("Стоимость проекта, тысяч рублей") == 1000
    assert money_multiplier("Стоимость, т.р.") == 1000 and money_multiplier("Стоимость (тыс.)") == 1000
    assert money_multiplier("Сумма, млрд руб.") == 1e9
    assert money_multiplier("Стоимость") is None  # no unit written: the column may inherit one
    # A title: «тыс.» counts only as money.
    assert money_multiplier("Проекты ТОС городов свыше 100 тыс. жителей", currency_required=True) is None
    assert money_multiplier("Проекты ТОС, тыс. руб.", currency_required=True) == 1000


@pytest.mark.parametrize(
    ("text", "value"),
    [("1.250.000", 1_250_000), ("1,250,000.00", 1_250_000), ("450.000,50", 450_000.5), ("1.200,50", 1200.5), ("1,2", 1.2)],
)
def test_foreign_thousands_separators_are_not_decimal_points(text, value):
    assert parse_number(text).value == pytest.approx(value)


def test_a_table_cell_holds_its_figure_alone():
    """A cell is a figure only when it starts with one and holds no other: comments are not figures."""
    cells = ["нет данных на 01.01.2021", "уточняется с 2019 г.", "12/15", "5%", "300+", "около 300", "1 200 чел."]
    values, qualifiers, unparsed = parse_number_series(pd.Series(cells, dtype=object))
    assert unparsed.tolist() == [True, True, True, True, False, False, False]
    assert values.tolist()[4:] == [300.0, 300.0, 1200.0]
    assert qualifiers.tolist()[4:6] == [">=", "~"]
    assert [has_own_unit(v) for v in ["450 тыс.", "1,2 млн", "350 000 руб.", "350 000", 450, "тыс. руб."]] == [True, True, True, False, False, False]
    # Prose (passports) still finds its figure.
    assert parse_number("в 2019 году более 300").value == 2019


@pytest.mark.parametrize(
    ("value", "date", "precision"),
    [
        ("30.05.2019", dt.date(2019, 5, 30), "day"),
        ("2019 г.", dt.date(2019, 1, 1), "year"),
        ("2019", dt.date(2019, 1, 1), "year"),
        (2014, dt.date(2014, 1, 1), "year"),
        ("май 2019", dt.date(2019, 5, 1), "month"),
        ("«17» июля 2020 года", dt.date(2020, 7, 17), "day"),
        (dt.datetime(2020, 7, 17, 0, 0), dt.date(2020, 7, 17), "day"),
        ("2021-03-04", dt.date(2021, 3, 4), "day"),
        ("31.02.2020", None, None),
        ("не помню", None, None),
    ],
)
def test_dates_keep_their_precision(value, date, precision):
    assert parse_date(value) == (date, precision)


def test_date_series_reports_what_it_could_not_read():
    iso, precision, unparsed = parse_date_series(pd.Series(["01.02.2020", "2019 г.", "вчера", None], dtype=object))
    assert iso.tolist() == ["2020-02-01", "2019-01-01", None, None]
    assert precision.tolist() == ["day", "year", None, None]
    assert unparsed.tolist() == [False, False, True, False]


TEXT = "Реестр территориальных общественных самоуправлений; Наименование ТОС; Численность жителей\nПерекрёсток;2478\n"


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp1251", "cp1251"), ("koi8_r", "koi8_r"), ("utf-16", "utf-16"), ("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be")],
)
def test_encodings_detected(encoding, expected):
    data = TEXT.encode(encoding)
    decoded = decode_bytes(data)
    assert decoded.text.strip() == TEXT.strip()
    assert decoded.encoding == expected
    assert not decoded.warnings


def test_mixed_encodings_are_read_line_by_line_and_reported():
    data = "Наименование ТОС;Жители\n".encode("cp1251") + "Рассвет;120\n".encode() + "Заря;90\n".encode("cp1251")
    decoded = decode_bytes(data)
    assert "Рассвет;120" in decoded.text and "Заря;90" in decoded.text
    assert any("смешаны кодировки" in w for w in decoded.warnings)


def test_bom_is_not_part_of_the_text():
    assert not decode_bytes(codecs.BOM_UTF8 + "Тест".encode()).text.startswith("\ufeff")
