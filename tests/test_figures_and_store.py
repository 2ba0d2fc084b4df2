"""Figures in prose, legal acts, and documents in the store (personal data kept apart)."""

import pytest

from loaders.acts import authority_nominative, parse_act
from loaders.figures import find_figures
from scripts.doc_writer import to_docx, to_text
from store import queries
from store.ingest import ingest_bytes
from tests.conftest import STAFF
from tests.test_other_documents import novokuznetsk, saratov_protocol


def figures(text):
    return [(f.indicator, f.value, f.qualifier, f.period) for f in find_figures(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Телефон 8 (3843) 32-10-15, факс 89501259071.",
        "Решение от 29.08.2017 № 321-39/01рд принято 1 января 2019 года.",
        "Постановление № 2423-па; статьи 31.1 и 31.3 закона.",
        "Численность уменьшилась на 288 человек, а активность выросла в 3 раза.",
        "С 1997 года в течение 20 лет.",
    ],
)
def test_phones_dates_act_numbers_and_changes_are_never_figures(text):
    assert figures(text) == []


def test_figures_keep_qualifiers_periods_and_what_they_count():
    assert figures("За 2019 год поступило 11787 обращений. Из них через официальный сайт – 2806 обращений.") == [
        ("обращений граждан", 11787, None, "2019"),
        ("обращений через официальный сайт", 2806, None, "2019"),
    ]
    assert figures("Действуют 9 ТОС, в составе которых около 120 активистов.") == [("ТОС", 9, None, None), ("активистов ТОС", 120, "~", None)]
    assert figures("Зарегистрировано 52 окружных комитета ТОС, в которые входят 7779 органов ТОС.") == [
        ("окружных комитетов ТОС", 52, None, None),
        ("органов ТОС (домовые и уличные комитеты)", 7779, None, None),
    ]
    assert figures("До внедрения практики не было зарегистрировано ни одного ТОС.") == [("ТОС", 0, None, None)]
    assert figures("Высажено более двух тысяч деревьев.") == [("высажено деревьев и кустарников", 2000, ">=", None)]


def test_authorities_in_the_nominative():
    assert authority_nominative("Десногорского городского Совета") == "Десногорский городской Совет"
    assert authority_nominative("Думы Ангарского городского округа") == "Дума Ангарского городского округа"
    assert authority_nominative("Законодательного Собрания Саратовской области") == "Законодательное Собрание Саратовской области"
    assert parse_act("-") is None
    act = parse_act("Распоряжение Главы Вольского района от 01.02.2020 № 5-р «О совете ТОС»")
    assert (act.act_type, act.authority, act.date, act.number, act.title) == ("распоряжение", "Глава Вольского района", "2020-02-01", "5-р", "О совете ТОС")


def test_documents_are_stored_with_their_facts_and_personal_data_stays_private(engine):
    passport = to_docx(novokuznetsk())
    result = ingest_bytes(engine, passport, "Паспорт.docx", actor=STAFF)
    assert result.status == "stored" and result.kind == "passport"
    assert result.counts["practice_tos"] == 3 and result.counts["practice_costs"] == 2
    assert ingest_bytes(engine, passport, "Паспорт-копия.docx", actor=STAFF).status == "duplicate"
    protocol = ingest_bytes(engine, to_text(saratov_protocol()), "protocol.txt", actor=STAFF)
    assert protocol.status == "stored" and protocol.kind == "protocol"
    practices = queries.read_table(engine, "practices")
    assert "leader" not in practices.columns  # personal data leaves the store only on request
    assert queries.read_table(engine, "practices", personal=True)["leader"].tolist() == ["Иванова Мария Петровна"]
    contacts = queries.read_table(engine, "contacts")
    assert not {"contact_name", "phone", "email", "contact_position"} & set(contacts.columns)
    costs = queries.read_table(engine, "practice_costs")
    assert costs["amount_rub"].sum() == 1550500 and set(costs["document_id"]) == {result.document_id}
    apps = queries.read_table(engine, "applications")
    assert sorted(apps["place"].tolist()) == [1, 1, 2, 2]
    m = queries.municipalities(engine).set_index("municipality_id")
    assert m.loc["63650000-krasnoyarskoe-selskoe-poselenie", "name"] == "Красноярское сельское поселение"
    docs = queries.documents_frame(engine).set_index("file_name")
    assert docs.loc["protocol.txt", "kind"] == "protocol" and docs.loc["protocol.txt", "doc_date"] == "2021-08-05"
