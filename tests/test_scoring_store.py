"""Issue 6, storage: scores kept with who entered them and when, re-entry, role checks, uploads."""

import io

import pandas as pd
import pytest
import sqlalchemy as sa

from analytics.scoring import preset_thresholds, preset_volgograd
from loaders.base import ParseError
from loaders.scores import ScoreSpec, parse_scores, parse_scores_isolated
from store import queries
from store import scoring as SS
from store.accounts import ANONYMOUS, Actor, PermissionDenied
from store.schema import scores as scores_table
from tests.conftest import STAFF, xlsx_bytes

KEMEROVO, BELOVO, MARIINSK = "32701000", "32707000", "32616101"
MEMBERS = [("Венгер К. Г.", "председатель"), ("Турбаба О. В.", "заместитель председателя"), ("Левкович О. А.", "секретарь")]
OTHER = Actor("петрова", "staff")


def open_contest(engine, actor=STAFF) -> str:
    cid = SS.create_contest(
        engine, actor, name="Конкурс проектов ТОС", year=2025, applicants=[(KEMEROVO, "I"), (BELOVO, "I"), (MARIINSK, "I")], commission="Комиссия"
    )
    cs = preset_volgograd()
    criteria = [c.as_record() for c in cs.criteria] + [preset_thresholds().by_key("residents").as_record()]
    SS.save_criteria(engine, cid, criteria, actor, name=cs.name, tie_rule=cs.tie_rule.as_record())
    SS.save_members(engine, cid, MEMBERS, actor)
    return cid


def entry(member, mid, key, points, where=None):
    return {"member": member, "municipality_id": mid, "criterion": key, "points": points, **({"where": where} if where else {})}


def test_a_score_is_kept_with_who_entered_it_and_when(any_engine):
    cid = open_contest(any_engine)
    counts = SS.save_scores(any_engine, cid, [entry("Венгер К. Г.", BELOVO, "relevance", 8), entry("Венгер К. Г.", BELOVO, "budget", 7.5)], STAFF)
    assert counts == {"entered": 2, "changed": 0, "cleared": 0, "unchanged": 0}
    ws = SS.load_workspace(any_engine, cid)
    current = ws["scores"].set_index("criterion")
    assert current.loc["relevance", "points"] == 8 and current.loc["budget", "points"] == 7.5
    assert set(current["entered_by"]) == {STAFF.name} and set(current["source"]) == {"form"}
    assert current["entered_at"].notna().all()
    assert [m for m, _ in ws["members"]] == [m for m, _ in MEMBERS]
    assert ws["contest"]["created_by"] == STAFF.name and ws["contest"]["updated_by"] == STAFF.name


def test_re_entry_keeps_the_history_and_an_unchanged_score_is_not_written_again(any_engine):
    cid = open_contest(any_engine)
    SS.save_scores(any_engine, cid, [entry("Турбаба О. В.", KEMEROVO, "relevance", 8)], STAFF)
    again = SS.save_scores(any_engine, cid, [entry("Турбаба О. В.", KEMEROVO, "relevance", 8)], OTHER)
    assert again == {"entered": 0, "changed": 0, "cleared": 0, "unchanged": 1}
    changed = SS.save_scores(any_engine, cid, [entry("Турбаба О. В.", KEMEROVO, "relevance", 9)], OTHER)
    assert changed["changed"] == 1
    cleared = SS.save_scores(any_engine, cid, [entry("Турбаба О. В.", KEMEROVO, "relevance", None)], STAFF)
    assert cleared["cleared"] == 1
    assert SS.load_workspace(any_engine, cid)["scores"].empty  # cleared: missing now, not zero
    history = SS.score_history(any_engine, cid)
    assert history["points"].tolist()[:3] == [None, 9, 8] or pd.isna(history["points"].iloc[0])
    assert history["points"].iloc[1:].tolist() == [9, 8]
    assert history["entered_by"].tolist() == [STAFF.name, OTHER.name, STAFF.name]
    assert history["replaced_by"].tolist() == [STAFF.name, STAFF.name, OTHER.name]
    assert history["replaced_at"].notna().all()
    actions = queries.audit_frame(any_engine)
    saved = actions[actions["action"] == "scores_saved"]
    assert len(saved) == 3 and saved["user"].tolist() == [STAFF.name, OTHER.name, STAFF.name]


def test_a_bad_batch_stores_nothing_and_says_every_problem(any_engine):
    cid = open_contest(any_engine)
    batch = [
        entry("Венгер К. Г.", KEMEROVO, "relevance", 8),
        entry("Венгер К. Г.", KEMEROVO, "realism", 6, where="Венгер, Кемерово, «Реалистичность»"),
        entry("Посторонний", KEMEROVO, "relevance", 5),
        entry("Венгер К. Г.", "00000000", "relevance", 5),
        entry("Венгер К. Г.", KEMEROVO, "residents", 3),
        entry("Венгер К. Г.", KEMEROVO, "нет такого", 3),
        entry("Левкович О. А.", BELOVO, "budget", "восемь"),
    ]
    with pytest.raises(SS.ScoreInputError) as err:
        SS.save_scores(any_engine, cid, batch, STAFF)
    messages = err.value.messages
    assert messages == [
        "Венгер, Кемерово, «Реалистичность»: 6 вне допустимых баллов по критерию «Реалистичность» (1–5).",
        "оценка 3: «Посторонний» нет в составе комиссии.",
        "оценка 4: заявитель «00000000» не участвует в конкурсе.",
        "оценка 5: критерий «Жителей в границах ТОС» считается по цифрам — оценку вводить не нужно.",
        "оценка 6: критерия «нет такого» нет в наборе.",
        "оценка 7: «восемь» — не число.",
    ]
    assert SS.load_workspace(any_engine, cid)["scores"].empty


@pytest.mark.parametrize("actor", [None, ANONYMOUS, Actor("гость", "viewer")])
def test_every_scoring_write_checks_the_role_itself(engine, actor):
    cid = open_contest(engine)
    calls = [
        lambda: SS.create_contest(engine, actor, name="Х", year=2025, applicants=[(BELOVO, "I")]),
        lambda: SS.update_contest(engine, cid, actor, commission="Другая"),
        lambda: SS.save_applicants(engine, cid, [(BELOVO, "I")], actor),
        lambda: SS.save_criteria(engine, cid, [c.as_record() for c in preset_volgograd().criteria], actor),
        lambda: SS.save_members(engine, cid, [("Кто-то", None)], actor),
        lambda: SS.save_scores(engine, cid, [entry("Венгер К. Г.", BELOVO, "relevance", 8)], actor),
        lambda: SS.delete_contest(engine, cid, actor),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied, match="только сотрудникам"):
            call()
    ws = SS.load_workspace(engine, cid)
    assert ws["scores"].empty and len(ws["applicants"]) == 3 and ws["contest"]["commission"] == "Комиссия"
    assert len(SS.list_contests(engine)) == 1


def test_criteria_cannot_change_under_scores_already_given(engine):
    cid = open_contest(engine)
    SS.save_scores(engine, cid, [entry("Венгер К. Г.", BELOVO, "relevance", 9)], STAFF)
    narrower = [({**c.as_record(), "max_points": 5.0} if c.key == "relevance" else c.as_record()) for c in preset_volgograd().criteria]
    with pytest.raises(SS.ScoreInputError, match="1 уже выставленных оценок вне нового диапазона 1–5"):
        SS.save_criteria(engine, cid, narrower, STAFF)
    as_figure = [({**c.as_record(), "kind": "figure", "figure": "residents"} if c.key == "relevance" else c.as_record()) for c in preset_volgograd().criteria]
    with pytest.raises(SS.ScoreInputError, match="считается по цифрам, но по нему уже выставлено оценок: 1"):
        SS.save_criteria(engine, cid, as_figure, STAFF)
    assert [c["key"] for c in SS.load_workspace(engine, cid)["criteria"]][:1] == ["relevance"]


def test_members_and_contest_checks(engine):
    cid = open_contest(engine)
    with pytest.raises(SS.ScoreInputError, match="Имена повторяются: Венгер К. Г."):
        SS.save_members(engine, cid, [("Венгер К. Г.", None), ("венгер к. г.", None)], STAFF)
    with pytest.raises(SS.ScoreInputError, match="хотя бы одного"):
        SS.create_contest(engine, STAFF, name="Пустой", year=2025, applicants=[])
    second = SS.create_contest(engine, STAFF, name="Конкурс проектов ТОС", year=2025, applicants=[(BELOVO, None)])
    assert second == f"{cid}-2"
    assert SS.delete_contest(engine, second, STAFF)
    assert list(SS.list_contests(engine)["contest_id"]) == [cid]
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(scores_table).where(scores_table.c.contest_id == second)).scalar() == 0


# --------------------------------------------------------------------------- uploads
SPEC = ScoreSpec(
    applicants={KEMEROVO: "Кемеровский городской округ", BELOVO: "Беловский городской округ", MARIINSK: "Мариинское городское поселение"},
    criteria=[(c.key, c.name, c.min_points, c.max_points) for c in preset_volgograd().criteria],
    members=[m for m, _ in MEMBERS],
    figure_criteria=["Жителей в границах ТОС"],
)
HEAD = ["№", "Заявитель", "Актуальность и социальная значимость (1–10)", "Проработанность проекта (1–10)", "Обоснованность бюджета (1–10)",
        "Реалистичность (1–5)", "Участие жителей (1–5)", "Партнёры проекта (1–5)", "Жителей в границах ТОС"]  # fmt: skip


def test_one_sheet_per_member_with_bad_rows_named():
    venger = [["Оценочный лист"], ["Член комиссии: Венгер К. Г."], HEAD,
              [1, "Кемеровский городской округ", 9, 8, 8, 5, 5, 4, None],
              [2, "Беловский ГО", 8, "7,5", None, 4, 4, 4, None],
              [3, "Мариинское городское поселение", 12, 6, "хорошо", 3, 3, 3, None],
              [4, "Новокузнецкий городской округ", 5, 5, 5, 3, 3, 3, None],
              ["Итого", None, None, None, None, None, None, None, None]]  # fmt: skip
    turbaba = [HEAD, [1, "Кемеровский городской округ", 8, 8, 8, 5, 5, 5]]
    data = xlsx_bytes({"Венгер": venger, "Турбаба О. В.": turbaba, "Справка": [["Пояснения к оценке"]]})
    up = parse_scores(data, "оценки.xlsx", SPEC)
    got = {(e["member"], e["municipality_id"], e["criterion"]): e["points"] for e in up.entries}
    assert got[("Венгер К. Г.", KEMEROVO, "relevance")] == 9
    assert got[("Венгер К. Г.", BELOVO, "elaboration")] == 7.5  # «7,5» written as text
    assert ("Венгер К. Г.", BELOVO, "budget") not in got  # an empty cell: not scored, not zero
    assert got[("Турбаба О. В.", KEMEROVO, "partners")] == 5  # the member from the sheet name
    assert len(up.entries) == 6 + 5 + 4 + 6
    assert up.errors == [
        {"where": "лист «Венгер», строка 6, столбец «Актуальность и социальная значимость (1–10)»",
         "message": "12 вне допустимых баллов по критерию «Актуальность и социальная значимость» (1–10)"},
        {"where": "лист «Венгер», строка 6, столбец «Обоснованность бюджета (1–10)»", "message": "«хорошо» — не число"},
        {"where": "лист «Венгер», строка 7, столбец «Заявитель»", "message": "заявитель «Новокузнецкий городской округ» не найден среди заявителей конкурса"},
    ]  # fmt: skip
    assert "Лист «Справка» пропущен: нет строки заголовков со столбцом «Заявитель»." in up.notes
    assert any("«Жителей в границах ТОС»: критерий считается по цифрам" in n for n in up.notes)


def test_a_title_row_about_territorial_self_government_is_not_the_header():
    """«…территориального общественного самоуправления» in the title names no applicant column."""
    sheet = [["Оценка заявок конкурса проектов территориального общественного самоуправления", "2025 г."],
             ["Член комиссии: Венгер К. Г."], HEAD, [1, "Кемеровский городской округ", 9, 8, 8, 5, 5, 4, None]]  # fmt: skip
    up = parse_scores(xlsx_bytes({"Оценки": sheet}), "оценки.xlsx", SPEC)
    got = {(e["member"], e["municipality_id"], e["criterion"]): e["points"] for e in up.entries}
    assert got[("Венгер К. Г.", KEMEROVO, "relevance")] == 9 and len(got) == 6, up.notes
    assert not any("пропущен" in n for n in up.notes if "Жителей" not in n), up.notes


def test_a_long_table_and_its_problems():
    rows = [["Член комиссии", "Заявитель", "Критерий", "Балл"],
            ["Левкович О. А.", "Мариинское городское поселение", "Участие жителей", 4],
            ["Левкович О. А.", "Мариинское городское поселение", "Участие жителей", 5],
            ["Иванов", "Мариинское городское поселение", "Реалистичность", 3],
            ["Левкович О. А.", "Беловский городской округ", "Жителей в границах ТОС", 3],
            ["Левкович О. А.", "Беловский городской округ", "Партнёры проекта", None]]  # fmt: skip
    up = parse_scores(xlsx_bytes({"Оценки": rows}), "long.xlsx", SPEC)
    assert [(e["member"], e["municipality_id"], e["criterion"], e["points"]) for e in up.entries] == [("Левкович О. А.", MARIINSK, "participation", 4)]
    assert [e["message"] for e in up.errors] == [
        "оценка Левкович О. А. заявителю «Мариинское городское поселение» по критерию «Участие жителей» уже есть (лист «Оценки», строка 2, столбец «Балл»)",
        "член комиссии «Иванов» не найден в составе комиссии",
        "критерий «Жителей в границах ТОС» считается по цифрам — оценку вводить не нужно",
    ]
    assert [e["where"] for e in up.errors][1:] == ["лист «Оценки», строка 4", "лист «Оценки», строка 5"]


def test_files_that_are_not_score_sheets_are_refused():
    with pytest.raises(ParseError, match="оценки принимаются в книге Excel"):
        parse_scores(b"%PDF-1.4 ...", "оценки.pdf", SPEC)
    up = parse_scores(xlsx_bytes({"Лист1": [["Просто текст"]]}), "пусто.xlsx", SPEC)
    assert up.errors[0]["message"].startswith("оценок не найдено")
    nobody = parse_scores(xlsx_bytes({"Лист1": [HEAD, [1, "Кемеровский городской округ", 9]]}), "чей.xlsx", SPEC)
    assert nobody.errors == [{"where": "лист «Лист1»", "message": "не понятно, чьи это оценки — впишите над таблицей строку «Член комиссии: Фамилия И. О.» или назовите лист именем члена комиссии"}]


def test_the_form_the_page_hands_out_reads_back(engine, demo_db):
    from analytics.contests import workspace_from_store
    from analytics.dataset import build_dataset
    from reports.commission import score_form_workbook

    cid = open_contest(engine)
    SS.save_scores(engine, cid, [entry("Венгер К. Г.", BELOVO, "relevance", 8), entry("Левкович О. А.", MARIINSK, "partners", 2)], STAFF)
    ds = build_dataset(**queries.dataset_frames(demo_db["engine"]))
    ws = workspace_from_store(ds, SS.load_workspace(engine, cid))
    form = score_form_workbook(ws, ws.scores)
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(form))
    assert book.sheetnames == ["Венгер К. Г.", "Турбаба О. В.", "Левкович О. А."]
    sheet = book["Венгер К. Г."]
    assert sheet["A3"].value == "Член комиссии: Венгер К. Г."
    validation = sheet.data_validations.dataValidation[0]
    assert (float(validation.formula1), float(validation.formula2)) == (1, 10)
    up = parse_scores_isolated(form, "форма.xlsx", SPEC)
    assert not up.errors
    assert sorted((e["member"], e["municipality_id"], e["criterion"], e["points"]) for e in up.entries) == [
        ("Венгер К. Г.", BELOVO, "relevance", 8.0),
        ("Левкович О. А.", MARIINSK, "partners", 2.0),
    ]
    counts = SS.save_scores(engine, cid, [{**e, "points": e["points"] + 1} for e in up.entries], STAFF, source="upload")
    assert counts["changed"] == 2
    assert set(SS.load_workspace(engine, cid)["scores"]["source"]) == {"upload"}
    # The same worker limits as any upload: a sheet that takes too long is stopped with the file named.
    with pytest.raises(ParseError, match="«форма.xlsx»: разбор остановлен — он длился дольше"):
        parse_scores_isolated(form, "форма.xlsx", SPEC, timeout=0.001)
