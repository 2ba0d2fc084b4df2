"""Blanking personal data in text everyone sees (quotes of figures, warnings): names and phones as
Russian documents write them go; places, sums, dates, years and titles of officials stay."""

import pytest

from loaders.privacy import redact_contacts, redact_personal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A chair named in prose, declined: genitive and dative patronymics.
        ("По словам председателя совета ТОС «Луч» Сомовой Нины Петровны, в субботниках участвовали 300 жителей.",
         "По словам председателя совета ТОС «Луч» [ФИО], в субботниках участвовали 300 жителей."),
        ("Грамота вручена Кравцову Олегу Юрьевичу за 12 проектов.", "Грамота вручена [ФИО] за 12 проектов."),
        ("Председатель Совета ТОС Кравцов Олег Юрьевич доложил о 5 собраниях.", "Председатель Совета ТОС [ФИО] доложил о 5 собраниях."),
        # A surname alone, known by the role before it.
        ("Председатель ТОС «Колос» Гордеев сообщил, что собрано 40 000 руб.", "Председатель ТОС «Колос» [ФИО] сообщил, что собрано 40 000 руб."),
        ("Сомова Н.П., тел. 2-15-67", "[ФИО], тел. [телефон]"),
        # City numbers of five or six digits after «тел.», «т.», «моб.».
        ("справки по тел. 261600, приём до 18 часов", "справки по тел. [телефон], приём до 18 часов"),
        ("т. 2 15 67", "т. [телефон]"),
        ("тел.: 40 21 75", "тел.: [телефон]"),
        # Mobiles grouped unusually; an e-mail with spaces around «@».
        ("8 (913) 40-21-755", "[телефон]"),
        ("+7 913 40 21 755", "[телефон]"),
        ("пишите sokolova @ mail.ru", "пишите [e-mail]"),
    ],
)  # fmt: skip
def test_names_and_phones_in_a_public_quote_are_blanked(text, expected):
    assert redact_contacts(text) == expected
    assert redact_personal(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Беловский городской округ",
        "Муниципальное образование «город Десногорск» Смоленской области",
        "ТОС «Луч», ул. Ленина, д. 5, кв. 2",
        "Привлечено 150 000 руб., из них 9 770,5 тыс. руб. из бюджета",
        "Решение Думы от 12.03.2018 № 321-39/01рд",
        "Федеральный закон от 06.10.2003 № 131-ФЗ",
        "Программа на 2017-2021 годы, с 01.10.2026 по 2030 год",
        "в т.ч. 5 ТОС, 237 713 жителей, 1 150 кв. км",
        "Председатель Думы Беловского городского округа вручил грамоты",
        "Глава Ангарского городского округа",
        "Председатель Совета ТОС доложил",
        "руководитель МКУ АГО «ЦПОИ»",
        "библиотека им. А.С. Пушкина",
        "телевизор за 25 000 руб. для семей мобилизованных 12 500 руб.",
        "8 150 000 000 руб.",
    ],
)
def test_places_sums_dates_and_titles_stay(text):
    assert redact_contacts(text) == text
    assert redact_personal(text) == text
