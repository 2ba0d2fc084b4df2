"""Demo passports, contest protocols and a congress resolution for the four demo regions.

    python -m scripts.build_demo_docs FOLDER     write the documents into FOLDER/docs

Registered in scripts.build_demo.DEMO_HOOKS, so `python -m scripts.build_demo` and the tests'
demo database ingest them with the registries. Every document says «(демонстрационные данные)»
in its title. Formats are mixed on purpose (.docx, .pdf, .txt in UTF-8 and Windows-1251).

Real facts, written in our own words:
  * the 2020 Kuzbass regional stage of «Лучшая муниципальная практика» (TOS nomination):
    Кемеровский городской округ 1st, Беловский 2nd, Мариинское городское поселение 3rd; Kemerovo and
    Belovo recommended to the federal stage; Belovo: 9 TOS, 4 655 residents, about 120 activists;
    Kemerovo: 52 district TOS committees with more than 24 000 activists; Mariinsk: 7 TOS since 2008;
  * Angarsk: eight TOS with their residents (9 827 in all), 9 770,5 тыс. руб. for the support centre;
  * Desnogorsk: TOS «5 квартал», its charter registered on 30.05.2019 (№ 594);
  * the III Congress of TOS of Smolensk oblast, 8 September 2020, more than 200 participants.
Everything else (the Belovo passport, a Saratov and a Smolensk district passport — the districts whose
TOS grew most —, the Saratov protocol) is built from the same synthetic TOS and projects as the demo
registries, so a fact meets its registry twin.
Expected figures go to FOLDER/expected_docs.json (outside docs/, so it is not ingested).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from loaders.doc_model import Cell, Paragraph, Table
from scripts.doc_writer import find_font, to_docx, to_pdf, to_text

DEMO = "(демонстрационные данные)"
P = Paragraph


def T(*rows: list[str]) -> Table:
    return Table([[Cell(text, col=j) for j, text in enumerate(row)] for row in rows])


def box(*lines: str) -> Table:
    """Section content in a one-cell frame, as the passport template has it."""
    return Table([[Cell("\n".join(lines), col=0)]])


def rub_thousands(value: float) -> str:
    return f"{value / 1000:,.1f}".replace(",", " ").replace(".", ",") + " тыс. руб."


def spaced(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def passport(spec: dict) -> list:
    """The 22-section template of «Лучшая муниципальная практика», filled from `spec`."""
    b: list = [P("Приложение № 2"), P(f"Паспорт практики {DEMO}")]

    def head(n: int, title: str) -> None:
        b.append(P(f"{n}. {title}"))

    head(1, "Наименование практики")
    b.append(box(spec["title"]))
    head(2, "Наименование территории, на которой данная практика была реализована")
    b.append(box(spec["territory"]))
    head(3, "Предпосылки реализации")
    b.append(box(spec["premise"]))
    head(4, "Сроки реализации практики")
    b.append(box(spec["period"]))
    head(5, "Показатели социально-экономического развития, характеризующие положение до внедрения практики")
    b.append(box(*spec["before"]))
    head(6, "Цель (цели) и задачи практики")
    b.append(box(spec["goal"]))
    head(7, "Возможности, которые позволили реализовать практику")
    b.append(T(["№", "Описание возможности"], *[[f"{i}.", t] for i, t in enumerate(spec["opportunities"], 1)]))
    head(8, "Принципиальные подходы, избранные при разработке и внедрении практики")
    b.append(T(["№", "Описание подхода"], *[[f"{i}.", t] for i, t in enumerate(spec["approaches"], 1)]))
    head(9, "Результаты практики (что было достигнуто)")
    b.append(T(["№", "Показатель, единица измерения", "Значение показателя"], *[[f"{i}.", n, v] for i, (n, v) in enumerate(spec["results"], 1)]))
    head(10, "Участники внедрения практики и их роль в процессе внедрения")
    b.append(T(["№", "Участник", "Описание его роли в реализации практики"], *[[f"{i}.", a, r] for i, (a, r) in enumerate(spec["actors"], 1)]))
    head(11, "Заинтересованные лица, на которых рассчитана практика")
    b.append(T(["Количество граждан, участвующих в реализации практики", "Количество граждан, на которых направлен эффект от реализации практики"], list(spec["stakeholders"])))
    head(12, "Краткое описание бизнес-модели реализации практики")
    b.append(box(spec["business"]))
    head(13, "Краткое описание практики")
    b.append(box(*spec["description"]))
    if spec.get("tos"):
        b.append(P("ТОС, участвующие в практике:"))
        rows = [[f"{i}.", f"«{n}»", spaced(r) if r is not None else ""] for i, (n, r) in enumerate(spec["tos"], 1)]
        b.append(T(["№", "Наименование ТОС", "Количество жителей, чел."], *rows, ["", "Всего", spaced(sum(r or 0 for _, r in spec["tos"]))]))
    head(14, "Действия по развертыванию практики")
    b.append(T(["№", "Описание мероприятия", "Исполнитель"], *[[f"{i}.", a, w] for i, (a, w) in enumerate(spec["actions"], 1)]))
    head(15, "Нормативно-правовые акты, принятые для обеспечения реализации практики")
    b.append(P("Принятые НПА"))
    b.append(T(["№", "Наименование НПА", "Результат принятия НПА"], *[[f"{i}.", a, r] for i, (a, r) in enumerate(spec["acts"], 1)]))
    head(16, "Ресурсы, необходимые для внедрения практики")
    b.append(T(["№", "Описание ресурса", "Для каких целей данный ресурс необходим"], *[[f"{i}.", a, r] for i, (a, r) in enumerate(spec["resources"], 1)]))
    head(17, "Выгодополучатели")
    b.append(T(["№", "Выгодополучатель/ группа выгодополучателей", "Описание выгод"], *[[f"{i}.", a, r] for i, (a, r) in enumerate(spec["gainers"], 1)]))
    head(18, "Затраты на реализацию практики")
    b.append(T(["№", "Статья затрат", "Объем затрат", "Источник финансирования"], *[[f"{i}.", a, v, s] for i, (a, v, s) in enumerate(spec["costs"], 1)]))
    head(19, "Показатели социально-экономического развития, характеризующие положение после внедрения практики")
    b.append(box(*spec["after"]))
    head(20, "Краткая информация о лидере практики/команде проекта")
    b.append(box(spec["leader"]))
    head(21, "Ссылки на интернет-ресурсы практики")
    b.append(T(["№", "Наименование ресурса", "Ссылка на ресурс"], ["1.", "Раздел о ТОС на сайте администрации", spec["url"]]))
    head(22, "Список контактов, ответственных за реализацию практики")
    b.append(T(["№", "Ответственный (ФИО, должность)", "Телефон, электронная почта"], *[[f"{i}.", a, c] for i, (a, c) in enumerate(spec["contacts"], 1)]))
    return b


def _synthetic():
    """The demo registries' TOS and projects (same seed, same order as DemoBuilder.build)."""
    from scripts.build_demo import DemoBuilder

    builder = DemoBuilder()
    builder.real_facts()
    builder.synthetic_tos()
    builder.synthetic_projects()
    return builder


def _active(t: dict, day: str) -> bool:
    return t["registered_on"] <= day and (not t["dissolved_on"] or t["dissolved_on"] > day)


def _pick(builder, region_id: str, start: int, end: int) -> str:
    """The municipality of a region whose TOS grew most over the period (then the most TOS, then projects)."""
    best = None
    for m in builder.municipalities:
        if m.region_id != region_id or m.parent_id or m.name.startswith(("город", "ЗАТО")):
            continue
        tos = [t for t in builder.tos if t["municipality_id"] == m.municipality_id]
        after = sum(_active(t, f"{end}-12-31") for t in tos)
        before = sum(_active(t, f"{start - 1}-12-31") for t in tos)
        projects = sum(1 for p in builder.projects if p["municipality_id"] == m.municipality_id and start <= p["year"] <= end)
        key = (after - before, after, projects, m.municipality_id)
        if best is None or key > best[0]:
            best = (key, m.municipality_id)
    return best[1]


def _genitive(name: str) -> str:
    """«Энгельсский муниципальный район» → «Энгельсского муниципального района» (the demo's names only)."""
    words = name.split()
    out = []
    for w in words:
        low = w.lower()
        if low in ("район", "округ"):
            out.append(w + "а")
        elif low == "поселение":
            out.append("поселения")
        elif low.endswith(("ий", "ый", "ой")):
            out.append(w[:-2] + "ого")
        elif low.endswith("ое"):
            out.append(w[:-2] + "ого")
        else:
            out.append(w)
    return " ".join(out)


def _synthetic_passport(builder, municipality_id: str, title: str, start: int, end: int, seed_people: tuple[str, str]) -> tuple[dict, dict]:
    """A passport for a municipality from the demo registry: its TOS, their residents, their projects."""
    m = next(x for x in builder.municipalities if x.municipality_id == municipality_id)
    name_gen = _genitive(m.name)
    end_day = dt.date(end, 12, 31).isoformat()
    start_day = dt.date(start - 1, 12, 31).isoformat()

    tos = sorted((t for t in builder.tos if t["municipality_id"] == municipality_id and _active(t, end_day)), key=lambda t: t["name"])
    before = sum(1 for t in builder.tos if t["municipality_id"] == municipality_id and _active(t, start_day))
    projects = [p for p in builder.projects if p["municipality_id"] == municipality_id and start <= p["year"] <= end and p["status"] == "реализован"]
    local = round(sum(p["local"] or 0 for p in projects), -2)
    residents_money = round(sum(p["residents"] or 0 for p in projects), -2)
    people = sum(t["residents"] or 0 for t in tos)  # a TOS whose residents the registry does not know adds nothing
    region = {"RU-KEM": "Кемеровской области – Кузбасса", "RU-IRK": "Иркутской области", "RU-SMO": "Смоленской области", "RU-SAR": "Саратовской области"}[m.region_id]
    leader, deputy = seed_people
    spec = {
        "title": title,
        "territory": f"{m.name} {region}",
        "premise": f"Жители {name_gen} хотели сами решать вопросы своих улиц и дворов, но не знали, с чего начать.",
        "period": f"{start} – {end}",
        "before": [f"На начало {start} года в районе действовало {before} ТОС."],
        "goal": "Цель — чтобы в каждом населённом пункте было своё территориальное общественное самоуправление.",
        "opportunities": ["Областной конкурс проектов ТОС.", "Поддержка главы муниципального образования."],
        "approaches": ["Открытость и обучение активистов.", "Софинансирование проектов из местного бюджета."],
        "results": [
            ("Количество ТОС, ед.\nна начало периода\nна конец периода", f"{before}\n{len(tos)}"),
            ("Жителей в границах ТОС, чел.", spaced(people)),
            ("Реализовано проектов ТОС, ед.", str(len(projects))),
        ],
        "actors": [("Администрация", "Консультации и сопровождение проектов."), ("Советы ТОС", "Подготовка и реализация проектов.")],
        "stakeholders": (f"более {len(tos) * 10}", spaced(people)),
        "business": "Проекты ТОС финансируются из областного и местного бюджетов при вкладе жителей.",
        "description": ["Администрация обучает активистов, помогает зарегистрировать устав и подготовить заявку на конкурс.", "В практике участвуют ТОС:"],
        "tos": [(t["name"], t["residents"]) for t in tos],
        "actions": [("Семинары для инициативных групп", "Администрация"), ("Конкурс проектов ТОС", "Администрация")],
        "acts": [(f"Решение Совета {name_gen} от 12.03.{start} № {start - 2000}/7 «О порядке организации и осуществления территориального общественного самоуправления»", "Определён порядок создания ТОС.")],
        "resources": [("Кадровые", "Сопровождение ТОС.")],
        "gainers": [("Жители", "Благоустроенные дворы и улицы.")],
        "costs": [
            ("Софинансирование проектов ТОС из местного бюджета", rub_thousands(local), "Местный бюджет"),
            ("Вклад жителей в проекты ТОС", rub_thousands(residents_money), "Средства жителей"),
        ],
        "after": [f"На конец {end} года действует {len(tos)} ТОС, в их границах проживает {spaced(people)} человек."],
        "leader": f"Лидер практики – {leader}, начальник отдела по работе с территориями.",
        "url": f"https://{municipality_id}.example.ru/tos",
        "contacts": [(f"{leader}, начальник отдела по работе с территориями", "8 (800) 000-00-00, tos@example.ru"), (f"{deputy}, главный специалист", "8 (800) 000-00-01, tos@example.ru")],
    }
    expected = {
        "municipality_id": municipality_id,
        "tos": len(tos),
        "residents": people,
        "tos_before": before,
        "projects": len(projects),
        "costs": [round(local / 100) * 100, round(residents_money / 100) * 100],
    }
    return spec, expected


def angarsk() -> dict:
    tos = [("Перекресток", 2478), ("Старица", 121), ("Старый город", 1027), ("12а микрорайон", 2248), ("Центральный", 1548), ("Уезд", 995), ("Старо-Байкальск", 357), ("Экспедиция", 1053)]
    return {
        "title": "Соседи рядом — город рядом",
        "territory": "Ангарский городской округ",
        "premise": "Соседи в многоквартирных домах мало знали друг друга; первые ТОС в округе появились только в 2017 году.",
        "period": "С 2015 года по настоящее время",
        "before": ["До 2017 года в Ангарском городском округе Иркутской области не было ни одного ТОС.", "Численность населения округа на 1 января 2019 года — 237 713 жителей."],
        "goal": "Объединить жителей дворов и микрорайонов для благоустройства и добрососедства.",
        "opportunities": ["Работа центра поддержки общественных инициатив.", "Поддержка мэрии и Думы округа."],
        "approaches": ["Конкурсы дворов и ТОС.", "Обучение председателей ТОС."],
        "results": [("Создано ТОС (ед.)\nза весь период\nза 2018 год", "8\n3"), ("Высажено деревьев и кустарников, ед.", "более 2000")],
        "actors": [("Центр поддержки общественных инициатив", "Сопровождение ТОС и советов домов.")],
        "stakeholders": ("627 человек", "на всех жителей округа"),
        "business": "Муниципальная программа «Социальное партнерство» и помощь предпринимателей.",
        "description": ["Конкурсы, акции и дворовые праздники объединяют жителей; советы домов становятся ТОС.", "Создано 8 ТОС, которые объединяют 9827 чел.:"],
        "tos": tos,
        "actions": [("Разработка муниципальной программы «Социальное партнерство»", "Отдел по связям с общественностью")],
        "acts": [("Положение о территориальном общественном самоуправлении в Ангарском городском округе, утвержденное решением Думы Ангарского городского округа от 29.08.2017 года № 321-39/01рд", "Порядок создания ТОС.")],
        "resources": [("Финансовый", "Бюджет округа.")],
        "gainers": [("Жители округа", "Благоустроенные дворы.")],
        "costs": [("Обеспечение деятельности центра поддержки общественных инициатив", "9 770,5 тыс. руб.", "Бюджет муниципалитета"), ("Призы и расходные материалы", "450 тыс. руб.", "Спонсорская помощь")],
        "after": ["Сегодня в округе 8 ТОСов, объединяющих около 9 тыс. человек."],
        "leader": "Лидер практики – Смирнова Ольга Ивановна, директор центра поддержки общественных инициатив.",
        "url": "https://angarsk.example.ru/tos",
        "contacts": [("Смирнова Ольга Ивановна, директор центра", "8 (800) 000-00-02, center@example.ru")],
    }


def desnogorsk() -> dict:
    return {
        "title": "Первый ТОС города",
        "territory": "Муниципальное образование «город Десногорск» Смоленской области",
        "premise": "В городе не было ни одного территориального общественного самоуправления.",
        "period": "2018 – 2019",
        "before": ["До внедрения практики в городе не было зарегистрировано ни одного ТОС."],
        "goal": "Создать первый ТОС в городе.",
        "opportunities": ["Опыт других муниципальных образований."],
        "approaches": ["Встречи с жителями микрорайона."],
        "results": [("Количество зарегистрированных ТОС, единиц", "1")],
        "actors": [("Администрация города", "Методическая помощь инициативной группе.")],
        "stakeholders": ("14", "51"),
        "business": "Без отдельного финансирования.",
        "description": ["Инициативная группа 5 микрорайона при помощи администрации учредила ТОС «5 квартал»."],
        "tos": [],
        "actions": [("Встречи с жителями 5 микрорайона", "Администрация")],
        "acts": [("Постановление Администрации муниципального образования «город Десногорск» Смоленской области от 30.05.2019 № 594 «О регистрации Устава территориального общественного самоуправления «5 квартал»", "Зарегистрирован устав ТОС «5 квартал».")],
        "resources": [("Информационные", "Рассказать жителям о ТОС.")],
        "gainers": [("Жители 5 микрорайона", "Возможность реализовывать свои проекты.")],
        "costs": [("-", "-", "-")],
        "after": ["В городе создан 1 ТОС."],
        "leader": "Лидер практики – Кузнецова Елена Андреевна, заместитель главы муниципального образования.",
        "url": "https://desnogorsk.example.ru/tos",
        "contacts": [("Кузнецова Елена Андреевна, заместитель главы", "8 (800) 000-00-03, desna@example.ru")],
    }


def kuzbass_protocol() -> list:
    nomination = "Обеспечение эффективной «обратной связи» с жителями муниципальных образований, развитие территориального общественного самоуправления и привлечение граждан к осуществлению (участию в осуществлении) местного самоуправления в иных формах"
    return [
        P("УТВЕРЖДАЮ"),
        P("Председатель региональной комиссии по проведению регионального этапа Всероссийского конкурса «Лучшая муниципальная практика»"),
        P("«17» 07 2020 года"),
        P(f"Протокол № 1 {DEMO}", bold=True),
        P("заседания региональной комиссии регионального этапа Всероссийского конкурса «Лучшая муниципальная практика» в Кемеровской области – Кузбассе"),
        P(f"в номинации «{nomination}»"),
        P("Повестка: рассмотрение заявок муниципальных образований, поданных в 2020 году, и определение победителей."),
        P("Доложили:", bold=True),
        P("1. В комиссию поступило 3 заявки:"),
        P("а) I категория – городские, муниципальные округа и городские поселения:"),
        P("- Кемеровский городской округ,"),
        P("- Беловский городской округ,"),
        P("- Мариинское городское поселение Мариинского муниципального района."),
        P("б) II категория – сельские поселения:"),
        P("Заявок не поступило."),
        P("2. Характеристика заявок:"),
        P("Кемеровский городской округ", bold=True),
        P("Практика: развитие гражданской активности и «обратная связь» администрации с жителями."),
        P("ТОС работают в городе с 1997 года: сегодня это 52 окружных комитета ТОС, в которые входят 7779 органов ТОС — домовые и уличные комитеты, более 24000 активистов."),
        P("В 2019 году в администрацию поступило 11787 обращений граждан."),
        P("Беловский городской округ", bold=True),
        P("Практика: развитие гражданской активности и новых форм местного самоуправления."),
        P("ТОС в городе начали создаваться в 2019 году. На территории города действуют 9 ТОС, в составе которых около 120 активистов."),
        P("Численность населения, проживающего в границах ТОС – 4655 человек."),
        P("Мариинское городское поселение Мариинского муниципального района", bold=True),
        P("Практика: работа с населением через ТОС."),
        P("ТОС в Мариинске действуют с 2008 года: создано 7 органов ТОС."),
        P("Решили:", bold=True),
        P("1. Распределить места:"),
        P("а) I категория:"),
        P("– Кемеровский городской округ – 1 место"),
        P("– Беловский городской округ – 2 место"),
        P("– Мариинское городское поселение Мариинского муниципального района – 3 место"),
        P("б) II категория: места не распределялись ввиду отсутствия заявок."),
        P("2. Рекомендовать для участия в федеральном этапе Всероссийского конкурса «Лучшая муниципальная практика» заявки Кемеровского городского округа и Беловского городского округа."),
    ]


def saratov_protocol(builder) -> tuple[list, dict]:
    """A synthetic 2024 regional stage in Saratov oblast: the three municipalities with the most
    TOS at the end of 2023 in the demo registry apply, and the protocol states their figures."""
    day = "2023-12-31"
    facts: dict[str, tuple[int, int]] = {}
    names: dict[str, str] = {}
    for m in builder.municipalities:
        if m.region_id != "RU-SAR" or m.parent_id:
            continue
        tos = [t for t in builder.tos if t["municipality_id"] == m.municipality_id and t["registered_on"] <= day and (not t["dissolved_on"] or t["dissolved_on"] > day)]
        facts[m.municipality_id] = (len(tos), sum(t["residents"] or 0 for t in tos))
        names[m.municipality_id] = m.name
    top = sorted(facts, key=lambda mid: (-facts[mid][0], names[mid]))[:3]
    blocks = [
        P("УТВЕРЖДАЮ"),
        P("Председатель региональной конкурсной комиссии"),
        P("«14» июля 2024 г."),
        P(f"ПРОТОКОЛ № 3 {DEMO}", bold=True),
        P("заседания конкурсной комиссии регионального этапа Всероссийского конкурса «Лучшая муниципальная практика» в Саратовской области в 2024 году"),
        P("в номинации «Развитие территориального общественного самоуправления»"),
        P("СЛУШАЛИ:", bold=True),
        P("1. Поступило 3 заявки:"),
        P("I категория:"),
        *[P(f"- {names[mid]};") for mid in top],
        P("II категория: заявок не поступило."),
        P("2. Характеристика заявок:"),
    ]
    for mid in top:
        count, people = facts[mid]
        n = names[mid]
        blocks += [P(n[:1].upper() + n[1:], bold=True), P("Практика: поддержка проектов ТОС."), P(f"На конец 2023 года действуют {count} ТОС, в границах которых проживают {spaced(people)} человек.")]
    blocks += [
        P("РЕШИЛИ:", bold=True),
        P("1. Утвердить итоги:"),
        T(["Категория", "Муниципальное образование", "Место"], *[["I", names[mid], str(place)] for place, mid in enumerate(top, start=1)]),
        P(f"2. Рекомендовать к участию в федеральном этапе конкурса заявку победителя — {names[top[0]]}."),
    ]
    return blocks, {mid: {"tos": facts[mid][0], "residents": facts[mid][1], "place": place} for place, mid in enumerate(top, start=1)}


def smolensk_resolution() -> list:
    return [
        P("III Съезд территориального общественного самоуправления Смоленской области"),
        P(f"РЕЗОЛЮЦИЯ {DEMO}"),
        P("8 сентября 2020 года в городе Смоленске прошёл III Съезд территориального общественного самоуправления Смоленской области. Общее количество участников — более 200 человек."),
        P("Участники съезда рекомендовали органам местного самоуправления поддерживать проекты ТОС и обучать их активистов."),
    ]


def build_docs(folder: Path) -> list[str]:
    """Write the demo documents into folder/docs; return their names."""
    out = Path(folder) / "docs"
    out.mkdir(parents=True, exist_ok=True)
    builder = _synthetic()
    font = find_font()

    def pdf_or_text(blocks: list, name: str) -> str:
        if font is not None:
            (out / f"{name}.pdf").write_bytes(to_pdf(blocks, font))
            return f"{name}.pdf"
        print(f"[demo] нет шрифта DejaVu Sans — «{name}» записан текстом, а не PDF", file=sys.stderr)
        (out / f"{name}.txt").write_bytes(to_text(blocks))
        return f"{name}.txt"

    files = []
    (out / "Протокол_Кузбасс_2020_демо.docx").write_bytes(to_docx(kuzbass_protocol()))
    files.append("Протокол_Кузбасс_2020_демо.docx")
    saratov_blocks, saratov_expected = saratov_protocol(builder)
    (out / "protokol_saratov_2024_demo.txt").write_bytes(to_text(saratov_blocks))
    files.append("protokol_saratov_2024_demo.txt")
    (out / "Паспорт_Ангарск_демо.txt").write_bytes(to_text(passport(angarsk())))
    files.append("Паспорт_Ангарск_демо.txt")
    files.append(pdf_or_text(passport(desnogorsk()), "Паспорт_Десногорск_демо"))
    saratov_mid = _pick(builder, "RU-SAR", 2021, 2023)
    saratov_passport, saratov_passport_expected = _synthetic_passport(builder, saratov_mid, "Школа активного жителя", 2021, 2023, ("Орлова Наталья Сергеевна", "Белова Ирина Петровна"))
    files.append(pdf_or_text(passport(saratov_passport), "Паспорт_Саратовская_область_демо"))
    smolensk_mid = _pick(builder, "RU-SMO", 2019, 2022)
    smolensk, smolensk_expected = _synthetic_passport(builder, smolensk_mid, "ТОС в каждом селе", 2019, 2022, ("Волкова Марина Юрьевна", "Зайцева Ольга Олеговна"))
    (out / "pasport_smolenskaya_oblast_demo.txt").write_bytes(to_text(passport(smolensk), encoding="cp1251"))
    files.append("pasport_smolenskaya_oblast_demo.txt")
    belovo, belovo_expected = _synthetic_passport(builder, "32707000", "Первые ТОС Белово", 2019, 2020, ("Лебедева Анна Викторовна", "Козлова Татьяна Ивановна"))
    (out / "Паспорт_Белово_демо.docx").write_bytes(to_docx(passport(belovo)))
    files.append("Паспорт_Белово_демо.docx")
    (out / "Резолюция_съезда_ТОС_Смоленск_демо.docx").write_bytes(to_docx(smolensk_resolution()))
    files.append("Резолюция_съезда_ТОС_Смоленск_демо.docx")
    expected = {
        "files": files,
        "passports": {saratov_mid: saratov_passport_expected, smolensk_mid: smolensk_expected, "32707000": belovo_expected},
        "saratov_protocol": saratov_expected,
    }
    (Path(folder) / "expected_docs.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1), encoding="utf-8")
    return files


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "data" / "demo"
    for name in build_docs(target):
        print(name)
