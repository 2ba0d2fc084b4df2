"""Issue 6, scoring: averages, weights, ties, missing scores — every figure computed by hand here."""

import pandas as pd
import pytest

from analytics import scoring as S
from analytics.scoring import CriteriaSet, Criterion, Entrant, TieRule, score_results

A, B, C = Entrant("a", "Заявитель А", "I"), Entrant("b", "Заявитель Б", "I"), Entrant("c", "Заявитель В", "I")
M1, M2, M3 = "Иванова И. И.", "Петров П. П.", "Сидорова С. С."


def scores(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["member", "municipality_id", "criterion", "points"])


def full(member: str, mid: str, values: dict[str, float]) -> list[tuple]:
    return [(member, mid, k, v) for k, v in values.items()]


def test_average_per_criterion_to_two_decimals_and_the_45_point_total():
    cs = S.preset_volgograd()
    assert cs.max_total == 45 and cs.min_total == 6
    a = {"relevance": 8, "elaboration": 7, "budget": 6, "realism": 4, "participation": 5, "partners": 3}
    rows = full(M1, "a", a) + full(M2, "a", {**a, "relevance": 9}) + full(M3, "a", a)
    r = score_results(cs, [A], [M1, M2, M3], scores(rows))
    row = r.table.iloc[0]
    # (8 + 9 + 8) / 3 = 8,333… → 8,33; total 8,33 + 7 + 6 + 4 + 5 + 3 = 33,33.
    assert row["relevance"] == 8.33
    assert row["total"] == 33.33
    assert row["place"] == 1 and row["complete"]
    cell = r.cells[(r.cells["municipality_id"] == "a") & (r.cells["criterion"] == "relevance")].iloc[0]
    assert (cell["n"], cell["min"], cell["max"], cell["spread"]) == (3, 8, 9, 1)


def test_rounding_is_half_up_like_a_person_rounds():
    # 7 + 7 + 7,5 + 7 = 28,5; ÷ 4 = 7,125 → 7,13 (Python's round() would give 7,12).
    cs = CriteriaSet("один", (Criterion("k", "Критерий", 0, 10),))
    members = ["м1", "м2", "м3", "м4"]
    r = score_results(cs, [A], members, scores([(m, "a", "k", v) for m, v in zip(members, [7, 7, 7.5, 7], strict=True)]))
    assert r.table.iloc[0]["k"] == 7.13
    assert S.round2(2.675) == S.round2("2.675") and str(S.round2(2.675)) == "2.68"


def test_weighted_total_is_sum_of_average_times_weight():
    cs = S.preset_weighted()
    assert cs.max_total == 10 and cs.weighted
    a1 = {"significance": 8, "participation": 6, "cofinancing": 5, "realism": 7, "sustainability": 9}
    a2 = {**a1, "significance": 7}
    r = score_results(cs, [A], [M1, M2], scores(full(M1, "a", a1) + full(M2, "a", a2)))
    row = r.table.iloc[0]
    # significance (8 + 7) / 2 = 7,5 × 0,3 = 2,25; 6 × 0,2 = 1,2; 5 × 0,2 = 1; 7 × 0,15 = 1,05; 9 × 0,15 = 1,35 → 6,85.
    assert row["significance"] == 7.5
    assert row["total"] == 6.85


def test_weighted_total_rounds_once_at_the_end():
    cs = CriteriaSet("вес", (Criterion("x", "X", 0, 10, 0.3), Criterion("y", "Y", 0, 10, 0.7)))
    # x: (7 + 8 + 8) / 3 = 7,67 (rounded); × 0,3 = 2,301; y: 5 × 0,7 = 3,5 → 5,801 → 5,80.
    rows = [(M1, "a", "x", 7), (M2, "a", "x", 8), (M3, "a", "x", 8), (M1, "a", "y", 5), (M2, "a", "y", 5), (M3, "a", "y", 5)]
    r = score_results(cs, [A], [M1, M2, M3], scores(rows))
    assert r.table.iloc[0]["x"] == 7.67
    assert r.table.iloc[0]["total"] == 5.8


def test_tie_settled_by_the_chosen_criterion():
    cs = CriteriaSet("два", (Criterion("rel", "Актуальность", 1, 10), Criterion("bud", "Бюджет", 1, 10)), TieRule(S.TIE_CRITERIA, ("rel",)))
    rows = full(M1, "a", {"rel": 6, "bud": 9}) + full(M1, "b", {"rel": 8, "bud": 7}) + full(M1, "c", {"rel": 5, "bud": 5})
    r = score_results(cs, [A, B, C], [M1], scores(rows))
    t = r.table.set_index("municipality_id")
    assert t.loc["a", "total"] == t.loc["b", "total"] == 15
    assert (t.loc["b", "place"], t.loc["a", "place"], t.loc["c", "place"]) == (1, 2, 3)
    assert "решил критерий «Актуальность» (8 против 6)" in t.loc["b", "tie_note"]
    assert list(r.table["municipality_id"]) == ["b", "a", "c"]


def test_equal_place_when_the_rule_says_so_or_the_criterion_is_equal_too():
    shared = CriteriaSet("два", (Criterion("rel", "Актуальность", 1, 10), Criterion("bud", "Бюджет", 1, 10)), TieRule(S.TIE_SHARED))
    rows = full(M1, "a", {"rel": 6, "bud": 9}) + full(M1, "b", {"rel": 8, "bud": 7}) + full(M1, "c", {"rel": 5, "bud": 5})
    t = score_results(shared, [A, B, C], [M1], scores(rows)).table.set_index("municipality_id")
    assert (t.loc["a", "place"], t.loc["b", "place"], t.loc["c", "place"]) == (1, 1, 3)  # the next place is skipped
    assert "делит 1 место с: Заявитель Б" in t.loc["a", "tie_note"]
    by_rel = CriteriaSet("два", shared.criteria, TieRule(S.TIE_CRITERIA, ("rel",)))
    equal = full(M1, "a", {"rel": 7, "bud": 8}) + full(M1, "b", {"rel": 7, "bud": 8})
    t = score_results(by_rel, [A, B], [M1], scores(equal)).table.set_index("municipality_id")
    assert t.loc["a", "place"] == t.loc["b", "place"] == 1


def test_a_missing_score_is_not_a_zero():
    cs = S.preset_volgograd()
    a = {"relevance": 8, "elaboration": 7, "budget": 6, "realism": 4, "participation": 5, "partners": 3}
    rows = full(M1, "a", a) + full(M2, "a", {**a, "budget": 9}) + full(M3, "a", {k: v for k, v in a.items() if k != "budget"})
    r = score_results(cs, [A], [M1, M2, M3], scores(rows))
    # Budget: (6 + 9) / 2 = 7,5 — over the two members who scored; with a zero it would be 5.
    assert r.table.iloc[0]["budget"] == 7.5
    assert r.table.iloc[0]["total"] == 8 + 7 + 7.5 + 4 + 5 + 3
    assert r.missing[["member", "criterion"]].values.tolist() == [[M3, "budget"]]
    assert S.missing_summary(r) == [f"{M3}: выставлено 5 из 6; нет оценок: Заявитель А — «Обоснованность бюджета»."]
    assert pd.isna(r.member_scores.set_index("member").loc[M3, "total"])  # a member's sum only when complete


def test_a_member_who_scored_only_part_of_the_applicants():
    cs = S.preset_volgograd()
    a = {"relevance": 8, "elaboration": 7, "budget": 6, "realism": 4, "participation": 5, "partners": 3}
    b = {"relevance": 6, "elaboration": 6, "budget": 6, "realism": 3, "participation": 3, "partners": 3}
    rows = full(M1, "a", a) + full(M1, "b", b) + full(M2, "a", a) + full(M2, "b", b) + full(M3, "b", {**b, "relevance": 9})
    r = score_results(cs, [A, B], [M1, M2, M3], scores(rows))
    t = r.table.set_index("municipality_id")
    assert t.loc["a", "relevance"] == 8  # M1 and M2 only
    assert t.loc["b", "relevance"] == 7  # (6 + 6 + 9) / 3
    assert t.loc["a", "total"] == 33 and t.loc["b", "total"] == 28
    assert S.missing_summary(r)[0].startswith(f"{M3}: выставлено 6 из 12; нет оценок: Заявитель А — «Актуальность и социальная значимость»")
    top = r.disagreements.iloc[0]
    assert (top["name"], top["criterion"], top["spread"]) == ("Заявитель Б", "relevance", 3)
    assert top["relative"] == pytest.approx(3 / 9)


def test_no_score_at_all_for_a_criterion_leaves_the_applicant_unranked():
    cs = CriteriaSet("два", (Criterion("rel", "Актуальность", 1, 10), Criterion("bud", "Бюджет", 1, 10)))
    rows = full(M1, "a", {"rel": 6, "bud": 9}) + [(M1, "b", "rel", 10)]
    r = score_results(cs, [A, B], [M1], scores(rows))
    t = r.table.set_index("municipality_id")
    assert t.loc["a", "place"] == 1
    assert pd.isna(t.loc["b", "place"]) and pd.isna(t.loc["b", "total"]) and t.loc["b", "partial_total"] == 10
    assert any("Заявитель Б: нет ни одной оценки по критериям «Бюджет»" in n for n in r.notes)


def test_places_are_given_within_each_category():
    cs = CriteriaSet("один", (Criterion("k", "К", 0, 10),))
    rural = Entrant("d", "Сельское поселение", "II")
    r = score_results(cs, [A, B, rural], [M1], scores([(M1, "a", "k", 5), (M1, "b", "k", 7), (M1, "d", "k", 3)]))
    t = r.table.set_index("municipality_id")
    assert (t.loc["b", "place"], t.loc["a", "place"], t.loc["d", "place"]) == (1, 2, 1)


def test_scores_outside_the_commission_are_left_out_with_a_note():
    cs = CriteriaSet("один", (Criterion("k", "К", 0, 10),))
    r = score_results(cs, [A], [M1], scores([(M1, "a", "k", 5), ("Посторонний", "a", "k", 0), (M1, "a", "нет", 3)]))
    assert r.table.iloc[0]["k"] == 5
    assert "Не учтено оценок: 2" in r.notes[0]


def test_threshold_points_at_the_boundaries():
    c = S.preset_thresholds().by_key("residents")
    assert [c.points_for(v)[0] for v in (0, 999, 1000, 2500, 4000, 4001, 250_000)] == [1, 1, 2, 2, 2, 3, 3]
    assert c.points_for(None) == (None, "значение неизвестно — баллы не начислены")
    share = S.preset_thresholds().by_key("cofinancing")
    assert [share.points_for(v)[0] for v in (0.05, 0.10, 0.153, 0.20, 0.21)] == [1, 2, 2, 2, 3]
    gaps = Criterion("g", "С пропуском", 0, 3, kind=S.FIGURE, figure="tos_growth", bands=S.parse_bands("1–2: 1; 3–5: 2"))
    assert gaps.points_for(2.5) == (None, "значение не попадает ни в один диапазон")


def test_figure_criteria_enter_the_total_for_every_member_alike():
    cs = CriteriaSet("смешанный", (Criterion("k", "К", 0, 10), S.preset_thresholds().by_key("residents")))
    figures = {("a", "residents"): S.FigureScore(3, "4 655", "реестр"), ("b", "residents"): S.FigureScore(None, "—", "источники молчат", "значение неизвестно")}
    r = score_results(cs, [A, B], [M1], scores([(M1, "a", "k", 5), (M1, "b", "k", 9)]), figures)
    t = r.table.set_index("municipality_id")
    assert t.loc["a", "total"] == 8 and t.loc["a", "place"] == 1
    assert pd.isna(t.loc["b", "total"]) and pd.isna(t.loc["b", "place"])  # unknown figure: no points, not zero


def test_bands_are_read_as_a_person_writes_them():
    bands = S.parse_bands("< 1 000: 1; 1 000–4 000: 2; > 4 000: 3")
    assert S.bands_text(bands) == "< 1\u00a0000 → 1; 1\u00a0000–4\u00a0000 → 2; > 4\u00a0000 → 3"
    assert S.parse_bands("≥ 10 % → 2\nдо 10 %: 1")[0] == S.Band(2, lo=0.10)
    with pytest.raises(S.ScoringError, match="не понят"):
        S.parse_bands("много: 3")


def test_validation_names_every_problem():
    bad = CriteriaSet(
        "плохой",
        (
            Criterion("a", "Актуальность", 5, 5),
            Criterion("b", "Жители", 1, 3, kind=S.FIGURE, figure="residents", bands=S.parse_bands("< 1000: 1; 500–4000: 2; > 4000: 5")),
            Criterion("c", "", 1, 10, weight=0),
        ),
        TieRule(S.TIE_CRITERIA, ("нет",)),
    )
    errors = S.validate(bad, figure_facts=("residents",))
    text = "\n".join(errors)
    assert "максимальный балл (5) должен быть больше минимального (5)" in text
    assert "пересекаются" in text and "даёт баллы вне пределов 1–3" in text
    assert "нет названия" in text and "вес должен быть больше нуля" in text
    assert "ссылается на критерий, которого нет" in text
    assert S.validate(S.preset_volgograd()) == [] and S.validate(S.preset_weighted()) == [] and S.validate(S.preset_thresholds()) == []


def test_criteria_table_round_trip_keeps_keys_and_bands():
    cs = S.preset_thresholds()
    frame = S.criteria_frame(cs, percent_facts=("cofinancing_share",))
    assert frame.loc[frame["key"] == "cofinancing", "bands"].iloc[0] == "< 10\u00a0% → 1; 10\u00a0%–20\u00a0% → 2; > 20\u00a0% → 3"
    frame.loc[len(frame)] = [None, "Новый критерий", 0, 5, 1, S.MANUAL, None, ""]
    back = S.criteria_from_frame(frame, cs.name, cs.tie_rule)
    assert [c.key for c in back.criteria] == ["residents", "density", "cofinancing", "growth", "k1"]
    assert back.by_key("cofinancing").bands == cs.by_key("cofinancing").bands
    assert back.by_key("residents").bands == cs.by_key("residents").bands
