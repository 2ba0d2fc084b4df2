"""Metrics of DESIGN.md §3 on a small data set whose answers are computed by hand."""

import datetime as dt

import pandas as pd
import pytest

from analytics import metrics, trends
from analytics.dataset import Filters, build_dataset
from analytics.formatting import fmt_int, fmt_num, fmt_pct, fmt_rub, fmt_signed

MUNICIPALITIES = pd.DataFrame(
    [
        # id, name, type, region, parent, population
        ("A", "Альфа городской округ", "городской округ", "R1", None, 10_000, 2024),
        ("B", "Бета муниципальный район", "муниципальный район", "R1", None, None, None),
        ("B1", "Бетинское сельское поселение", "сельское поселение", "R1", "B", 2_000, 2024),
        ("C", "Гамма городской округ", "городской округ", "R2", None, 5_000, 2024),
    ],
    columns=["municipality_id", "name", "type", "region_id", "parent_id", "population", "population_year"],
).assign(region_name=lambda d: d["region_id"])
REGIONS = pd.DataFrame({"region_id": ["R1", "R2"], "name": ["Регион 1", "Регион 2"]})


def tos_row(tos_id, municipality_id, registered_on, residents, dissolved_on=None, status=None, area="городской", legal=False):
    return {
        "tos_id": tos_id, "name": tos_id, "municipality_id": municipality_id, "registered_on": registered_on,
        "dissolved_on": dissolved_on, "status": status, "residents": residents, "area_type": area,
        "legal_entity": legal, "document_id": "d1", "source_ref": f"строка {tos_id}",
    }  # fmt: skip


TOS = pd.DataFrame(
    [
        tos_row("t1", "A", "2018-03-01", 1000),
        tos_row("t2", "A", "2020-06-15", 500, legal=True),
        tos_row("t3", "A", "2019-01-01", 200, dissolved_on="2021-05-01"),
        tos_row("t4", "B1", "2021-07-01", 300, area="сельский"),
        tos_row("t5", "B1", None, 100, area="сельский"),  # no registration date
        tos_row("t6", "C", "2017-01-01", None),  # residents unknown
        tos_row("t7", "C", "2016-01-01", 50, status="ликвидирован"),  # dissolved, date unknown
    ]
)


def project(pid, municipality_id, tos_id, year, status, cost, local=None, regional=None, residents=None):
    return {
        "project_id": pid, "municipality_id": municipality_id, "tos_id": tos_id, "year": year, "status": status,
        "cost_total": cost, "funding_local": local, "funding_regional": regional, "funding_federal": None,
        "funding_grants": None, "funding_sponsors": None, "funding_residents": residents, "category": "иное",
        "title": pid, "document_id": "d1", "source_ref": pid,
    }  # fmt: skip


PROJECTS = pd.DataFrame(
    [
        project("p1", "A", "t1", 2020, "реализован", 100_000, 20_000, 70_000, 10_000),
        project("p2", "A", "t2", 2021, "реализован", 50_000),
        project("p3", "A", "t2", 2021, "в работе", 80_000),
        project("p4", "B1", "t4", 2022, "реализован", 30_000, 0, 24_000, 6_000),
        project("p5", "C", "t6", 2019, "реализован", None),
    ]
)


@pytest.fixture
def ds():
    return build_dataset(TOS, PROJECTS, MUNICIPALITIES, REGIONS, pd.DataFrame({"document_id": ["d1"], "file_name": ["r.xlsx"], "is_demo": [False]}), "2024-01-01", today=dt.date(2024, 6, 1))


def test_kpis_by_hand(ds):
    k = metrics.kpis(ds, Filters())
    # Active on 2024-06-01: t1, t2, t4, t5 (undated counts now), t6; not t3 (dissolved 2021), not t7.
    assert k.tos_now == 5
    assert k.tos_undated == 1
    assert k.tos_dissolved_undated == 1
    assert k.residents == 1000 + 500 + 300 + 100  # t6 unknown is not zero
    assert k.residents_unknown == 1
    # Coverage units: top-level A (10 000), B (unknown), C (5 000) → known 15 000.
    assert k.population == 15_000 and k.population_units_known == 2 and k.population_units == 3
    # Covered inside known units: A's 1 500; C's t6 unknown → 1 500 / 15 000.
    assert k.coverage == pytest.approx(0.1)
    assert k.projects_completed == 4 and k.projects_total == 5
    assert k.cost_total == 180_000 and k.cost_unknown == 1
    # Co-financing: p1 and p4 state sources: non-budget 10 000 + 6 000 of 130 000.
    assert k.cofinancing_share == pytest.approx(16_000 / 130_000)


def test_trend_excludes_undated_and_counts_at_year_end(ds):
    by_year = trends.trend_table(ds, Filters(), years=(2017, 2018, 2019, 2020, 2021, 2022, 2024))
    counts = dict(zip(by_year["year"], by_year["tos_count"], strict=True))
    # t7 (dissolved, no date) counts nowhere; t5 (no date) not in the trend.
    assert counts == {2017: 1, 2018: 2, 2019: 3, 2020: 4, 2021: 4, 2022: 4, 2024: 4}
    assert by_year.set_index("year").loc[2021, "dissolved"] == 1
    assert by_year.set_index("year").loc[2021, "new"] == 1
    assert bool(by_year.set_index("year").loc[2024, "incomplete"])


def test_trend_cost_of_a_year_without_projects_is_zero_and_the_current_year_is_drawn_apart(ds):
    from analytics import charts

    by_year = trends.trend_table(ds, Filters(), years=(2018, 2019, 2020, 2024)).set_index("year")
    assert by_year.loc[2018, "projects_completed"] == 0 and by_year.loc[2018, "cost"] == 0.0
    assert by_year.loc[2019, "projects_completed"] == 1 and pd.isna(by_year.loc[2019, "cost"])  # p5: cost unknown
    assert by_year.loc[2020, "cost"] == 100_000
    fig = charts.line(by_year.reset_index(), "projects_completed", "Проекты")
    done, current, joint = fig.data
    assert list(done.x) == [2018, 2019, 2020] and done.mode == "lines+markers"
    assert list(current.x) == [2024] and current.marker.color == charts.MUTED and "не завершён" in current.hovertemplate
    assert list(joint.x) == [2020, 2024] and joint.line.dash == "dot"


def _alpha_without_region():
    """The fixture with «Альфа» learned from a file that named no region."""
    no_region = MUNICIPALITIES.assign(region_id=lambda d: d["region_id"].where(d["municipality_id"] != "A"))
    no_region = no_region.assign(region_name=no_region["region_id"])
    docs = pd.DataFrame({"document_id": ["d1"], "file_name": ["r.xlsx"], "is_demo": [False]})
    return build_dataset(TOS, PROJECTS, no_region, REGIONS, docs, "2024-01-01", today=dt.date(2024, 6, 1))


def test_a_municipality_without_a_region_is_a_named_row_of_the_region_table():
    regions = metrics.region_table(_alpha_without_region(), Filters()).set_index("region_name")
    assert regions.loc["регион не указан", "municipalities"] == 1
    assert regions.loc["регион не указан", "tos_count"] == metrics.kpis(_alpha_without_region(), Filters(municipality_ids=("A",))).tos_now


def test_funding_of_a_municipality_without_a_region_is_not_dropped():
    from analytics import projects

    ds = _alpha_without_region()
    long = projects.funding_by_municipality(ds, Filters())
    alpha = long[long["municipality"] == "Альфа городской округ"]
    # p1 (20 000 local, 70 000 regional, 10 000 residents) under «регион не указан», not gone.
    assert set(alpha["region"]) == {"регион не указан"}
    assert dict(zip(alpha["source"], alpha["amount"], strict=True)) == {"funding_local": 20_000, "funding_regional": 70_000, "funding_residents": 10_000}


def test_filters_region_area_legal_and_years(ds):
    assert metrics.kpis(ds, Filters(region_ids=("R2",))).tos_now == 1
    assert metrics.kpis(ds, Filters(area_type="сельский")).tos_now == 2
    assert metrics.kpis(ds, Filters(legal_entity=True)).tos_now == 1
    k = metrics.kpis(ds, Filters(year_from=2021, year_to=2022))
    assert k.projects_completed == 2 and k.cost_total == 80_000
    # «Now» is the end of the last selected year: t3 was dissolved in 2021.
    assert k.reference_date == dt.date(2022, 12, 31)


def test_selecting_a_district_takes_its_settlements(ds):
    k = metrics.kpis(ds, Filters(municipality_ids=("B",)))
    assert k.tos_now == 2
    assert k.coverage is None  # the district's population is unknown
    k1 = metrics.kpis(ds, Filters(municipality_ids=("B1",)))
    assert k1.coverage == pytest.approx(400 / 2_000)


def test_municipality_table_by_hand(ds):
    table = metrics.municipality_table(ds, Filters()).set_index("municipality_id")
    assert table.loc["A", "tos_count"] == 2
    assert table.loc["A", "coverage"] == pytest.approx(0.15)
    assert table.loc["A", "tos_per_10k"] == pytest.approx(2.0)
    assert table.loc["A", "projects_completed"] == 2
    assert table.loc["A", "cost_per_resident"] == pytest.approx(150_000 / 1_500)
    assert table.loc["B", "tos_count"] == 2  # the settlement's TOS roll up to the district
    assert pd.isna(table.loc["B", "coverage"])
    assert table.loc["B", "cofinancing_share"] == pytest.approx(0.2)
    assert pd.isna(table.loc["C", "residents"])  # unknown, not zero


def test_russian_formatting():
    assert fmt_int(9827) == "9\u00a0827"
    assert fmt_num(4.24, 1) == "4,2"
    assert fmt_num(1234.5, 1) == "1\u00a0234,5"
    assert fmt_pct(0.042) == "4,2\u00a0%"
    assert fmt_rub(9_770_500) == "9,8\u00a0млн\u00a0₽"
    assert fmt_rub(9_770_500, compact=False) == "9\u00a0770\u00a0500\u00a0₽"
    assert fmt_int(None) == "—"
    assert [fmt_signed(v) for v in (2204, -15, 0, None)] == ["+2\u00a0204", "-15", "0", "—"]


def _small(tos_rows, project_rows=()):
    return build_dataset(
        pd.DataFrame(tos_rows), pd.DataFrame(list(project_rows), columns=PROJECTS.columns), MUNICIPALITIES, REGIONS,
        pd.DataFrame({"document_id": ["d1"], "file_name": ["r.xlsx"], "is_demo": [False]}), "2024-01-01", today=dt.date(2024, 6, 1),
    )  # fmt: skip


def test_cofinancing_share_is_non_budget_over_the_total_cost():
    """100 000 ₽ with only the residents' 10 000 stated is 10 % non-budget, not 100 %."""
    ds = _small([tos_row("t1", "A", "2018-03-01", 100)], [project("p1", "A", "t1", 2020, "реализован", 100_000, residents=10_000)])
    assert metrics.kpis(ds, Filters()).cofinancing_share == pytest.approx(0.1)
    assert metrics.municipality_table(ds, Filters()).set_index("municipality_id").loc["A", "cofinancing_share"] == pytest.approx(0.1)
    assert metrics.region_table(ds, Filters()).set_index("region_id").loc["R1", "cofinancing_share"] == pytest.approx(0.1)


def test_a_project_without_a_year_is_in_no_chosen_period_and_unknown_legal_status_in_no_legal_filter():
    tos = [tos_row("t1", "A", "2018-03-01", 100, legal=True), tos_row("t2", "A", "2018-03-01", 900, legal=None)]
    projects = [project("p1", "A", "t1", None, "реализован", 300_000), project("p2", "A", "t1", 2022, "реализован", 100_000)]
    ds = _small(tos, projects)
    # Every dated project is in 2022: the undated one used to pass with them (NA in the mask).
    k = metrics.kpis(ds, Filters(year_from=2022, year_to=2022))
    assert (k.projects_completed, k.cost_total) == (1, 100_000)
    assert metrics.kpis(ds, Filters()).projects_completed == 2  # no period chosen: all of them
    legal = metrics.kpis(ds, Filters(legal_entity=True))
    assert (legal.tos_now, legal.residents) == (1, 100)
    assert metrics.kpis(ds, Filters(legal_entity=False)).tos_now == 0


def test_coverage_is_unknown_when_the_tos_there_have_unknown_residents():
    ds = _small([tos_row("t1", "A", "2018-03-01", None), tos_row("t2", "C", "2018-03-01", None)])
    assert metrics.kpis(ds, Filters()).coverage is None  # not 0 %
    table = metrics.municipality_table(ds, Filters()).set_index("municipality_id")
    assert pd.isna(table.loc["A", "coverage"]) and table.loc["B", "tos_count"] == 0
    assert pd.isna(metrics.region_table(ds, Filters()).set_index("region_id").loc["R1", "coverage"])
    assert pd.isna(trends.trend_table(ds, Filters(), years=(2020,)).iloc[0]["coverage"])
    # A municipality with no TOS at all is a true 0.
    none = _small([tos_row("t1", "C", "2018-03-01", 50)])
    assert metrics.municipality_table(none, Filters(), only_with_tos=False).set_index("municipality_id").loc["A", "coverage"] == 0


def test_region_tos_per_10k_counts_only_tos_where_the_population_is_known():
    # R1: A (10 000) has 2 TOS; B has an unknown population and 8 TOS (in B1, which counts in B).
    tos = [tos_row(f"a{i}", "A", "2018-03-01", 100) for i in range(2)] + [tos_row(f"b{i}", "B", "2018-03-01", 100) for i in range(8)]
    region = metrics.region_table(_small(tos), Filters()).set_index("region_id").loc["R1"]
    assert region["tos_count"] == 10
    assert region["tos_per_10k"] == pytest.approx(2.0)  # 2 ÷ 10 000 × 10 000, not 10
    assert region["coverage"] == pytest.approx(200 / 10_000)


def test_at_a_past_year_end_undated_tos_are_left_out_and_the_figure_says_so(ds):
    """DESIGN §3: an undated TOS counts in the current figure, not at a past date (the trend's points)."""
    past = Filters(year_to=2021)
    k = metrics.kpis(ds, past)
    # On 31.12.2021: t1, t2, t4, t6; t3 dissolved in May, t7 dissolved without a date, t5 undated.
    assert (k.reference_date, k.tos_now, k.residents) == (dt.date(2021, 12, 31), 4, 1800)
    assert (k.tos_undated, k.tos_undated_left_out) == (0, 1)
    by_year = trends.trend_table(ds, past, years=(2021,))
    assert by_year.iloc[0]["tos_count"] == k.tos_now  # the headline and the year table agree
    assert "1 ТОС без даты регистрации не учтены" in metrics.kpi_notes(k)["tos"]
    assert metrics.municipality_table(ds, past).set_index("municipality_id").loc["B", "tos_count"] == 1  # t4, not t5
    now = metrics.kpis(ds, Filters())
    assert (now.tos_now, now.tos_undated, now.tos_undated_left_out) == (5, 1, 0)


def test_every_partial_headline_figure_carries_its_caveat(ds):
    notes = metrics.kpi_notes(metrics.kpis(ds, Filters()))
    assert notes["tos"] == "в т. ч. 1 без даты регистрации; 1 ТОС отмечены ликвидированными без даты и не учтены"
    assert notes["residents"] == "численность жителей неизвестна у 1 ТОС — сумма неполная"
    assert notes["coverage"] == "по 2 из 3 муниципалитетов с известной численностью населения"
    assert notes["cost"] == "у 1 реализованного проекта стоимость неизвестна — сумма неполная"
    complete = _small([tos_row("t1", "A", "2018-03-01", 100), tos_row("t2", "C", "2018-03-01", 50)])
    assert "tos" not in metrics.kpi_notes(metrics.kpis(complete, Filters(region_ids=("R2",))))


def test_approximate_residents_and_coverage_above_the_population_are_flagged():
    approx = tos_row("t1", "A", "2018-03-01", 300) | {"residents_qualifier": "~"}
    ds = _small([approx, tos_row("t2", "A", "2018-03-01", 11_000)])
    k = metrics.kpis(ds, Filters(region_ids=("R1",), municipality_ids=("A",)))
    assert k.residents_approximate == 1 and k.coverage == pytest.approx(1.13)
    notes = metrics.kpi_notes(k)
    assert "у 1 ТОС численность приблизительная" in notes["residents"]
    assert "жителей в границах ТОС больше населения" in notes["coverage"]


def test_per_group_trend_lines_keep_unknown_as_unknown():
    ds = _small(
        [tos_row("t1", "C", "2018-03-01", None), tos_row("t2", "A", "2018-03-01", 100)],
        [project("p1", "C", "t1", 2022, "реализован", None), project("p2", "A", "t2", 2022, "реализован", 5_000)],
    )
    residents = trends.trend_by_group(ds, Filters(), "municipality", "residents").set_index(["year", "group"])["value"]
    assert pd.isna(residents[(2022, "Гамма городской округ")]) and residents[(2022, "Альфа городской округ")] == 100
    cost = trends.trend_by_group(ds, Filters(), "municipality", "cost").set_index(["year", "group"])["value"]
    assert pd.isna(cost[(2022, "Гамма городской округ")]) and cost[(2022, "Альфа городской округ")] == 5_000


def test_one_open_year_bound_filters_and_reads_as_such(ds):
    from analytics.dataset import describe_years
    from analytics.municipality import card

    assert describe_years(Filters(year_to=2022)) == "…–2022 гг."
    assert describe_years(Filters(year_from=2022)) == "2022–… гг."
    assert describe_years(Filters()) == "все годы"
    assert describe_years(Filters(year_from=2021, year_to=2021)) == "2021 г."
    # The card filtered from 2021 on only: it used to fail comparing a year with None.
    assert sorted(card(ds, "A", Filters(year_from=2021)).projects["project_id"]) == ["p2", "p3"]
