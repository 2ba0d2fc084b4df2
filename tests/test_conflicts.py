"""Conflicts between sources (DESIGN.md §3) and the municipality card's documents."""

import datetime as dt

import pandas as pd

from analytics.conflicts import conflicts, document_facts
from analytics.dataset import Filters, build_dataset
from analytics.documents import DocumentData
from tests.conftest import metric_values


def dataset(passport_date="2020-01-01"):
    municipalities = pd.DataFrame(
        [("A", "Альфа городской округ", "городской округ", "R1", None, 10_000, 2024), ("B", "Бета городской округ", "городской округ", "R1", None, None, None)],
        columns=["municipality_id", "name", "type", "region_id", "parent_id", "population", "population_year"],
    ).assign(region_name="R1")
    tos = pd.DataFrame(
        [
            {"tos_id": f"t{i}", "name": f"t{i}", "municipality_id": "A", "registered_on": reg, "dissolved_on": None, "status": None,
             "residents": 100, "area_type": None, "legal_entity": False, "document_id": "reg", "source_ref": f"строка {i}"}
            for i, reg in enumerate(["2018-01-01", "2019-06-01", "2021-03-01"])
        ]
    )  # fmt: skip
    docs = pd.DataFrame(
        [
            {"document_id": "reg", "file_name": "reestr.xlsx", "is_demo": False, "status": "ok", "doc_date": None, "as_of": "2024-01-01"},
            {"document_id": "prot", "file_name": "protokol.docx", "is_demo": False, "status": "ok", "doc_date": None, "as_of": None},
            {"document_id": "pasp", "file_name": "pasport.pdf", "is_demo": False, "status": "ok", "doc_date": passport_date, "as_of": None},
        ]
    )
    projects = pd.DataFrame(columns=["project_id", "municipality_id", "tos_id", "year", "status", "cost_total", "funding_local", "funding_regional",
                                     "funding_federal", "funding_grants", "funding_sponsors", "funding_residents", "category", "title", "document_id", "source_ref"])  # fmt: skip
    ds = build_dataset(tos, projects, municipalities, pd.DataFrame({"region_id": ["R1"], "name": ["R1"]}), docs, "2024-01-01", today=dt.date(2024, 6, 1))
    dd = DocumentData(
        {
            "contests": pd.DataFrame([{"contest_id": "c", "name": "Конкурс", "year": 2020, "decided_on": "2020-07-17", "document_id": "prot", "source_ref": "шапка"}]),
            "application_indicators": pd.DataFrame(
                [
                    {"contest_id": "c", "municipality_id": "A", "indicator": "ТОС", "value": 2.0, "document_id": "prot", "source_ref": "раздел 2, абзац 1"},
                    {"contest_id": "c", "municipality_id": "A", "indicator": "жителей в границах ТОС", "value": 500.0, "document_id": "prot", "source_ref": "раздел 2, абзац 2"},
                    {"contest_id": "c", "municipality_id": "B", "indicator": "ТОС", "value": 4.0, "document_id": "prot", "source_ref": "раздел 2, абзац 5"},
                ]
            ),
            "practices": pd.DataFrame([{"practice_id": "p", "municipality_id": "B", "document_id": "pasp"}]),
            "practice_tos": pd.DataFrame(
                [{"practice_id": "p", "name": n, "residents": 10, "document_id": "pasp", "source_ref": f"раздел 13, строка {i}"} for i, n in enumerate("xyz", start=1)]
            ),
        }
    )
    return ds, dd


def test_protocol_is_compared_with_the_registry_at_its_date():
    ds, dd = dataset()
    found = conflicts(ds, Filters(), dd)
    a = found[found["municipality_id"] == "A"].set_index("fact")
    # On 17.07.2020 the registry had 2 TOS (the third came in 2021): the count agrees …
    assert "tos" not in a.index
    # … but residents do not: 200 in the registry, 500 in the protocol. The registry is used.
    row = a.loc["residents"]
    assert (row["chosen_source"], row["chosen_value"], row["other_source"], row["other_value"]) == ("реестр", 200.0, "протокол комиссии", 500.0)
    assert row["document"] == "protokol.docx" and row["source_ref"] == "раздел 2, абзац 2"
    assert row["date"] == dt.date(2020, 7, 17)


def test_without_a_registry_the_protocol_wins_over_the_passport():
    # Documents of different dates are not compared: nothing is invented.
    ds, dd = dataset(passport_date="2020-01-01")
    facts = document_facts(ds, dd)
    assert sorted(facts[facts["municipality_id"] == "B"]["source"]) == ["passport", "passport", "protocol"]
    assert conflicts(ds, Filters(), dd).query("municipality_id == 'B'").empty
    # Same date: the protocol's 4 TOS are used, the passport's 3 are listed against it.
    ds, dd = dataset(passport_date="2020-07-17")
    b = conflicts(ds, Filters(), dd).query("municipality_id == 'B'").set_index("fact")
    row = b.loc["tos"]
    assert (row["chosen_source"], row["chosen_value"], row["other_source"], row["other_value"]) == ("протокол комиссии", 4.0, "паспорт практики", 3.0)
    assert row["document"] == "pasport.pdf" and row["source_ref"] == "раздел 13, строка 1"


def test_card_shows_passports_contests_and_agreement_for_belovo(app):
    app.run()
    app.switch_page("pages/municipalities.py").run()
    app.selectbox(key="mun_card").set_value("32707000").run()
    assert not app.exception
    values = metric_values(app)
    assert values["ТОС действует"] == "9"
    frames = [df.value for df in app.dataframe]
    contests = next(f for f in frames if "contest" in f.columns)
    row = contests.iloc[0]
    assert (int(row["year"]), int(row["place"]), bool(row["recommended"])) == (2020, 2, True)
    practices = next(f for f in frames if "title" in f.columns and "tos_count" in f.columns)
    assert practices.iloc[0]["tos_count"] == 9
    assert not any("Расхождения между источниками" in m.value for m in app.markdown)  # the real figures agree


def test_a_figure_speaks_as_of_its_stated_period_not_the_decision_day():
    # A protocol decided in August 2021 states «на конец 2020 года»: 2 TOS then (the third came in
    # March 2021). Compared on the decision day it would look like a conflict (3 against 2); it is not.
    ds, dd = dataset()
    dd = DocumentData(
        {
            **{name: dd[name] for name in ("practices", "practice_tos")},
            "contests": pd.DataFrame([{"contest_id": "c", "name": "Конкурс", "year": 2021, "decided_on": "2021-08-01", "document_id": "prot", "source_ref": "шапка"}]),
            "application_indicators": pd.DataFrame(
                [
                    {"contest_id": "c", "municipality_id": "A", "indicator": "ТОС", "value": 2.0, "period": "на конец 2020 года", "qualifier": None, "document_id": "prot", "source_ref": "раздел 2"},
                    {"contest_id": "c", "municipality_id": "A", "indicator": "жителей в границах ТОС", "value": 150.0, "period": "на конец 2020 года", "qualifier": ">=", "document_id": "prot", "source_ref": "раздел 2"},
                ]
            ),
        }
    )  # fmt: skip
    facts = document_facts(ds, dd)
    assert set(facts.loc[facts["source"] == "protocol", "date"]) == {dt.date(2020, 12, 31)}
    # 2 TOS and «более 150» residents (200 in the registry) both agree at 31.12.2020.
    assert conflicts(ds, Filters(), dd).query("municipality_id == 'A'").empty


def test_an_undated_passport_with_an_open_period_is_not_compared():
    ds, dd = dataset(passport_date=None)
    facts = document_facts(ds, dd)
    assert facts.loc[facts["source"] == "passport", "date"].isna().all()
    assert conflicts(ds, Filters(), dd).query("municipality_id == 'B' and other_source == 'паспорт практики'").empty
