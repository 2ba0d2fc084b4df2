"""Issue 6, side by side: facts from every source, the registry winning, conflicts listed, blanks kept."""

import datetime as dt

import pytest

from analytics import compare as C
from analytics import metrics
from analytics.dataset import Filters, build_dataset
from analytics.documents import DOC_TABLES, DocumentData
from scripts.build_demo_docs import kuzbass_protocol
from scripts.doc_writer import to_text
from store import queries
from store.db import get_engine, init_db
from store.ingest import ingest_bytes
from tests.conftest import STAFF, xlsx_bytes

KEMEROVO, BELOVO, MARIINSK = "32701000", "32707000", "32616101"
NB = "\u00a0"


def load(engine):
    ds = build_dataset(**queries.dataset_frames(engine))
    dd = DocumentData({n: queries.read_table(engine, n) for n in DOC_TABLES})
    return ds, dd


@pytest.fixture(scope="module")
def demo(demo_db):
    ds, dd = load(demo_db["engine"])
    contest = dd["contests"].loc[dd["contests"]["region_id"] == "RU-KEM", "contest_id"].iloc[0]
    return ds, dd, contest


def test_kuzbass_applicants_from_the_protocol_in_order(demo):
    ds, dd, contest = demo
    apps = C.applicants_of(ds, dd, contest)
    assert [(a.name, a.place, a.recommended, a.category) for a in apps] == [
        ("Кемеровский городской округ", 1, True, "I"),
        ("Беловский городской округ", 2, True, "I"),
        ("Мариинское городское поселение", 3, False, "I"),
    ]


def test_registry_figures_are_the_metrics_of_each_municipality(demo):
    ds, dd, contest = demo
    cmp = C.compare(ds, dd, C.applicants_of(ds, dd, contest), 2016, 2026, contest)
    for mid in (KEMEROVO, BELOVO, MARIINSK):
        f = Filters(municipality_ids=(mid,), year_from=2016, year_to=2026)
        k = metrics.kpis(ds, f)
        row = metrics.municipality_table(ds, f).iloc[0]
        assert cmp.value("tos_count", mid) == k.tos_now
        assert cmp.value("residents", mid) == k.residents
        assert cmp.value("projects_completed", mid) == k.projects_completed
        assert cmp.value("cost_total", mid) == pytest.approx(k.cost_total)
        assert cmp.value("cofinancing_share", mid) == pytest.approx(k.cofinancing_share)
        assert cmp.value("coverage", mid) == pytest.approx(row["coverage"])
        assert cmp.value("tos_per_10k", mid) == pytest.approx(row["tos_per_10k"])
        assert cmp.value("cost_per_resident", mid) == pytest.approx(row["cost_per_resident"])
    # The real facts of the 2020 protocol: 52 district committees, 9 TOS with 4 655 residents, 7 TOS.
    assert [cmp.value("tos_count", m) for m in (KEMEROVO, BELOVO, MARIINSK)] == [52, 9, 7]
    assert cmp.value("residents", BELOVO) == 4655
    assert cmp.value("population", BELOVO) == 71200


def test_each_shown_figure_names_its_source_and_a_silent_source_is_a_blank(demo):
    ds, dd, contest = demo
    cmp = C.compare(ds, dd, C.applicants_of(ds, dd, contest), 2016, 2026, contest)
    table = C.side_by_side(cmp)
    assert not table.duplicated(["Раздел", "Показатель"]).any()
    results = table[table["Раздел"] == C.GROUP_RESULTS].set_index("Показатель")
    table = table[table["Раздел"] != C.GROUP_RESULTS].set_index("Показатель")
    belovo = "Беловский городской округ"
    assert table.loc["Число ТОС", belovo] == "9"
    source = table.loc["Число ТОС", f"{belovo}: источник"]
    assert source.startswith("реестр, на ") and "Реестр_ТОС_Кузбасс_демо.xlsx (демо) · лист «Реестр ТОС», строки" in source
    # The protocol (on its decision day) and the passport agree with the registry, and say so.
    assert source.endswith("сходится с реестром на свои даты: протокол (2020 г.), паспорт практики (31.12.2020; 01.01.2019)")
    assert table.loc["Жителей в границах ТОС", belovo] == f"4{NB}655"
    assert table.loc["Население", f"{belovo}: источник"].startswith("реестр, 2020 г. · Реестр_ТОС_Кузбасс_демо.xlsx (демо) · лист «Население», строка")
    assert table.loc["Охват населения", belovo] == f"6,5{NB}%"
    assert table.loc["Охват населения", f"{belovo}: источник"].startswith("расчёт, на ")
    # Only Belovo has a passport: the others' practice rows are blank, never 0.
    assert table.loc["Затраты на практику", belovo] == f"753{NB}300{NB}₽"
    assert table.loc["Затраты на практику", "Кемеровский городской округ"] == "—"
    assert table.loc["Затраты на практику", "Мариинское городское поселение"] == "—"
    assert table.loc["Участников практики", belovo] == "более 90"
    assert table.loc["Принято нормативных актов", belovo] == "1"
    assert table.loc["Итог конкурса", "Кемеровский городской округ"] == "1 место, I категория, рекомендована на следующий этап"
    assert table.loc["Итог конкурса", "Мариинское городское поселение"] == "3 место, I категория, не рекомендована на следующий этап"
    # Protocol figures as written: Kemerovo's 7 779 house committees are not TOS.
    assert table.loc["Органов ТОС (домовые и уличные комитеты)", "Кемеровский городской округ"] == f"7{NB}779"
    assert table.loc["Активистов ТОС", "Кемеровский городской округ"] == f"более 24{NB}000"
    assert table.loc["Активистов ТОС", belovo] == "около 120"
    assert cmp.conflicts.empty
    # The passport's own results (section 9), as the applicant states them.
    assert results.loc["Количество ТОС (на конец периода)", belovo] == "9"
    assert results.loc["Реализовано проектов ТОС", belovo] == "10"
    assert results.loc["Реализовано проектов ТОС", "Кемеровский городской округ"] == "—"
    # Growth over the period: Belovo's nine TOS all came in 2019.
    assert table.loc["Прирост числа ТОС за период", belovo] == "+9 (0 → 9)"


def test_normalised_figures_and_charts(demo):
    from analytics.contest_charts import normalised_bars, radar

    ds, dd, contest = demo
    cmp = C.compare(ds, dd, C.applicants_of(ds, dd, contest), 2016, 2026, contest)
    norm = C.normalised(cmp).set_index("municipality_id")
    assert norm.loc[BELOVO, "residents_per_tos"] == pytest.approx(4655 / 9)
    assert norm.loc[MARIINSK, "tos_per_10k"] == pytest.approx(7 / 37900 * 10_000)
    bars = normalised_bars(C.normalised(cmp), "Сравнение")
    assert len(bars.data) == 3 * len(C.NORMALISED)
    assert bars.layout.separators == ", "
    polar = radar(C.normalised(cmp), "Радар")
    assert [t.name for t in polar.data] == [a.name for a in cmp.applicants]
    assert max(v for t in polar.data for v in t.r if v is not None) == pytest.approx(100)


def test_a_protocol_that_disagrees_with_the_registry_is_listed_and_the_registry_wins(tmp_path):
    engine = get_engine(f"sqlite:///{tmp_path / 'conflict.db'}")
    init_db(engine)
    header = ["Наименование ТОС", "Муниципальное образование", "Численность жителей", "Дата регистрации"]
    registry = [header] + [[f"ТОС {i}", "Беловский городской округ", 500, f"1{i}.03.2019"] for i in range(1, 9)]
    registry += [["Поздний", "Беловский городской округ", 300, "01.09.2020"]]  # after the decision day
    registry += [["Мариинский", "Мариинское городское поселение", 1000, "01.03.2008"]]
    assert ingest_bytes(engine, xlsx_bytes({"Реестр": registry}), "реестр.xlsx", actor=STAFF).status == "stored"
    blocks = kuzbass_protocol()
    for p in blocks:
        if "действуют 9 ТОС" in p.text:
            p.text = p.text.replace("действуют 9 ТОС", "действуют 10 ТОС")
    assert ingest_bytes(engine, to_text(blocks), "протокол.txt", actor=STAFF).status == "stored"
    ds, dd = load(engine)
    contest = dd["contests"]["contest_id"].iloc[0]
    cmp = C.compare(ds, dd, [BELOVO, MARIINSK], None, None, contest)
    # Today the registry has 9 TOS; on 17.07.2020 it had 8 and the protocol says 10: a conflict.
    assert cmp.value("tos_count", BELOVO) == 9
    conflict = cmp.conflicts.iloc[0]
    assert (conflict["applicant"], conflict["label"], conflict["other_value"], conflict["reference_value"]) == ("Беловский городской округ", "Число ТОС", "10", "8")
    assert conflict["reference_source"] == "реестр на 17.07.2020"
    text = C.conflicts_text(cmp)[0]
    assert text.startswith("Беловский городской округ — число ТОС: протокол (2020 г.) — 10, а реестр на 17.07.2020 — 8.")
    table = C.side_by_side(cmp).set_index("Показатель")
    assert table.loc["Число ТОС", "Беловский городской округ"] == "9 ⚠"
    statuses = C.sources_table(cmp)
    row = statuses[(statuses["label"] == "Число ТОС") & (statuses["source_name"] == "протокол") & (statuses["applicant"] == "Беловский городской округ")]
    assert row["status"].iloc[0] == "расходится: реестр на 17.07.2020 — 8"
    # Residents: 4 655 in the protocol, 8 × 500 = 4 000 in the registry on that day.
    assert "Жителей в границах ТОС" in set(cmp.conflicts["label"])
    # Mariinsk: the protocol's 7 TOS against one TOS in this registry.
    assert "Мариинское городское поселение — число ТОС" in " ".join(C.conflicts_text(cmp))


def test_without_a_registry_the_protocol_wins_over_the_passport(demo_db, tmp_path):
    """A region whose registry was never loaded: the protocol's figure is shown, the passport's checked against it."""
    engine = get_engine(f"sqlite:///{tmp_path / 'docs_only.db'}")
    init_db(engine)
    from scripts.build_demo_docs import build_docs

    folder = tmp_path / "docs"
    build_docs(folder)
    for name in ("Протокол_Кузбасс_2020_демо.docx", "Паспорт_Белово_демо.docx"):
        assert ingest_bytes(engine, (folder / "docs" / name).read_bytes(), name, actor=STAFF).status == "stored"
    ds, dd = load(engine)
    cmp = C.compare(ds, dd, [BELOVO, KEMEROVO], None, None)
    assert cmp.value("tos_count", BELOVO) == 9
    shown = cmp.source("tos_count", BELOVO)
    assert shown["source_kind"] == "protocol"
    assert cmp.value("tos_count", KEMEROVO) is None  # nobody states it: blank, not zero
    assert C.side_by_side(cmp).set_index("Показатель").loc["Число ТОС", "Кемеровский городской округ"] == "—"
    assert cmp.value("projects_completed", BELOVO) == 10  # only the passport says it
    assert cmp.reference_date == ds.today


def test_condensed_places_and_period_dates():
    refs = [f"лист «Реестр ТОС», строка {n}" for n in (8, 9, 10, 12, 30)]
    assert C.condense_refs(refs) == "лист «Реестр ТОС», строки 8–10, 12, 30"
    assert C.condense_refs(["раздел 18, строка 1"]) == "раздел 18, строка 1"
    assert C.period_date("на конец 2020 года") == dt.date(2020, 12, 31)
    assert C.period_date("на 01.01.2019") == dt.date(2019, 1, 1)
    assert C.period_date("на начало 2021 года") == dt.date(2021, 1, 1)
    assert C.period_date("на конец периода", 2019, 2020) == dt.date(2020, 12, 31)
    assert C.period_date(None, fallback=dt.date(2020, 7, 17)) == dt.date(2020, 7, 17)
