"""All Russian words of the interface, in one place, so the wording stays consistent.

Lower layers (analytics, reports) use these too, for chart titles and sheet headers.
"""

from __future__ import annotations

APP_TITLE = "ТОС: аналитическая панель"
APP_SUBTITLE = "Территориальное общественное самоуправление в регионах России"

# Pages
PAGE_OVERVIEW = "Обзор"
PAGE_TRENDS = "Динамика"
PAGE_MUNICIPALITIES = "Муниципалитеты"
PAGE_PROJECTS = "Проекты и финансирование"
PAGE_MAP = "Карта"
PAGE_DOCUMENTS = "Документы и практики"
PAGE_CONTESTS = "Конкурсы"
PAGE_PRESENTATION = "Презентация"
PAGE_DATA = "Данные"
PAGE_ADMIN = "Журнал и доступ"

# Sidebar filters
FILTERS = "Фильтры"
F_REGION = "Регион"
F_MUNICIPALITY = "Муниципалитет"
F_YEARS = "Годы"
F_AREA = "Территория"
F_AREA_ALL = "городские и сельские"
F_AREA_URBAN = "городской"
F_AREA_RURAL = "сельский"
F_LEGAL = "Юридическое лицо"
F_LEGAL_ALL = "все"
F_LEGAL_YES = "да"
F_LEGAL_NO = "нет"
F_RESET = "Сбросить фильтры"
ALL_REGIONS = "все регионы"
ALL_MUNICIPALITIES = "все муниципалитеты"

# Metrics (labels used on cards, tables, charts and in Excel)
M_TOS_NOW = "ТОС действует"
M_TOS_COUNT = "Число ТОС"
M_NEW = "Создано за год"
M_DISSOLVED = "Ликвидировано за год"
M_RESIDENTS = "Жителей в границах ТОС"
M_POPULATION = "Население"
M_COVERAGE = "Охват населения"
M_TOS_PER_10K = "ТОС на 10 тыс. жителей"
M_PROJECTS_DONE = "Реализовано проектов"
M_PROJECTS = "Проектов"
M_COST = "Стоимость реализованных проектов"
# The headline figure's label: the full one is cut to «Стоимость реализованных проек…» in a quarter of the page.
M_COST_KPI = "Стоимость проектов"
HELP_COST_KPI = "Стоимость реализованных проектов за выбранные годы; проекты без указанной стоимости не учтены."
M_COST_AVERAGE = "Средняя стоимость проекта"
M_COST_SHORT = "Стоимость, ₽"
M_RESIDENTS_QUALIFIER = "Пометка к численности"
# How exactly a date is known: «2019 г.» is stored as 01.01.2019 with precision «year».
DATE_PRECISION_NAMES = {"day": "день", "month": "месяц", "year": "только год"}
M_COST_PER_RESIDENT = "Стоимость на жителя ТОС, ₽"
M_COFINANCING = "Доля внебюджетных средств"
M_YOY = "Изменение к прошлому году"
M_MUNICIPALITY = "Муниципалитет"
M_REGION = "Регион"
M_TYPE = "Тип"
M_YEAR = "Год"
M_POPULATION_YEAR = "Год численности"

FUNDING_LABELS = {
    "funding_local": "Местный бюджет",
    "funding_regional": "Региональный бюджет",
    "funding_federal": "Федеральный бюджет",
    "funding_grants": "Гранты",
    "funding_sponsors": "Спонсоры",
    "funding_residents": "Средства жителей",
}

# Common phrases
AS_OF = "Данные по состоянию на {date}"
FILTERS_IN_FORCE = "Фильтры: {text}"
NO_FILTERS = "все регионы и муниципалитеты"
DEMO_BADGE = "Демонстрационные данные"
DEMO_NOTE = (
    "Показаны демонстрационные данные: реальные регионы и муниципалитеты, реальные факты из "
    "паспортов практик и протоколов (ТОС Ангарска, Белово, Мариинска, Десногорска), остальное — "
    "правдоподобные условные ТОС и проекты. Загрузите свои файлы на странице «Данные»."
)
EMPTY_NO_DATA = "Данных пока нет. Загрузите реестр ТОС на странице «Данные» или запустите `python3 run.py demo`."
EMPTY_FILTERED = "Для выбранных фильтров данных нет — ослабьте фильтры в боковой панели."
SOURCES = "Источники"
SOURCE_ROWS = "Строки и документы, из которых получены цифры"
UNKNOWN = "—"
NO_REGION = "регион не указан"

# Column headers of tables shown to users
COL = {
    "name": "Наименование",
    "municipality_name": M_MUNICIPALITY,
    "region_name": M_REGION,
    "settlement": "Населённый пункт",
    "area_type": "Тип территории",
    "registered_on": "Дата регистрации",
    "dissolved_on": "Дата ликвидации",
    "status": "Статус",
    "legal_entity": "Юрлицо",
    "members": "Членов",
    "residents": M_RESIDENTS,
    "file_name": "Документ",
    "source_ref": "Место в документе",
    "title": "Название",
    "year": M_YEAR,
    "category": "Направление",
    "cost_total": M_COST_SHORT,
    "tos_name": "ТОС",
    "tos_count": M_TOS_COUNT,
    "population": M_POPULATION,
    "population_year": M_POPULATION_YEAR,
    "coverage": M_COVERAGE,
    "tos_per_10k": M_TOS_PER_10K,
    "projects_completed": M_PROJECTS_DONE,
    "cost_per_resident": M_COST_PER_RESIDENT,
    "cofinancing_share": M_COFINANCING,
    "type": M_TYPE,
    **FUNDING_LABELS,
}

# Documents and tables
TABLE_NAMES = {
    "tos": "ТОС",
    "projects": "проектов",
    "population": "строк численности",
    "practices": "практик",
    "practice_indicators": "показателей практики",
    "practice_costs": "статей затрат",
    "practice_tos": "ТОС из паспорта",
    "legal_acts": "НПА",
    "contests": "конкурсов",
    "applications": "заявок",
    "application_indicators": "показателей заявок",
    "contacts": "контактов",
    "boundaries": "границ",
    "municipalities": "муниципалитетов",
    "regions": "регионов",
}
KIND_NAMES = {
    "registry": "реестр ТОС",
    "population": "численность населения",
    "passport": "паспорт практики",
    "protocol": "протокол комиссии",
    "boundaries": "границы",
    "resolution": "резолюция",
    "other": "другой документ",
}
STATUS_NAMES = {"ok": "загружен", "warnings": "загружен, есть замечания", "rejected": "отклонён"}

# «Данные» page
DATA_UPLOAD = "Загрузка файлов"
# The file uploader's own words (ui.widgets.russian_file_uploader).
UPLOAD_BUTTON_MANY = "Выбрать файлы"
UPLOAD_BUTTON_ONE = "Выбрать файл"
UPLOAD_LIMIT = "или перетащите сюда · до {mb} МБ на файл"
DATA_UPLOAD_HELP = (
    "Реестры ТОС (.xlsx, .xls, .csv), паспорта практик и протоколы (.docx, .pdf, .txt), файлы границ "
    "(GeoJSON, KML, KMZ, ZIP с шейп-файлом, GeoPackage). Можно выбрать несколько файлов сразу."
)
DATA_PARSE = "Разобрать файлы"
DATA_SAVE = "Сохранить в базу"
DATA_CANCEL = "Отменить"
DATA_DOCUMENTS = "Загруженные документы"
DATA_TEMPLATE = "Шаблон реестра для муниципалитетов"
DATA_TEMPLATE_HELP = (
    "Excel-файл с листами «Реестр ТОС», «Проекты ТОС» и «Население»: выпадающие списки муниципалитетов, "
    "направлений и статусов, проверка дат, да/нет и чисел. Разошлите его муниципалитетам — данные придут в одном виде."
)

# «Документы и практики» page
DOCS_TAB_PRACTICES = "Практики"
DOCS_TAB_CONTESTS = "Конкурсы"
DOCS_TAB_OTHER = "Другие документы"
DOCS_EMPTY = (
    "Паспортов практик и протоколов пока нет. Загрузите их (.docx, .pdf или .txt) на странице «Данные» "
    "или из командной строки: `python -m loaders ingest паспорт.docx`."
)
DOCS_FILTERED_EMPTY = "Для выбранных фильтров документов нет — ослабьте фильтры в боковой панели."
DOCS_FILTERS_NOTE = (
    "К документам применяются фильтры региона, муниципалитета и лет (практика — если её сроки пересекаются "
    "с выбранными годами, конкурс — по году). Фильтры «Территория» и «Юридическое лицо» относятся к ТОС реестра."
)
DOCS_PROVENANCE_NOTE = "У каждой цифры — документ и место в нём: раздел паспорта и строка таблицы, абзац текста или пункт протокола."
DOCS_M_PRACTICES = "Практик"
DOCS_M_CONTESTS = "Конкурсов"
DOCS_M_APPLICATIONS = "Заявок"
DOCS_M_OTHER = "Других документов"
DOCS_CHOOSE_PRACTICE = "Практика"
DOCS_CHOOSE_CONTEST = "Конкурс"
DOCS_INDICATORS = "Показатели"
DOCS_COSTS = "Затраты"
DOCS_TOS = "ТОС из паспорта"
DOCS_ACTS = "Нормативные правовые акты"
DOCS_APPLICATIONS = "Заявки и места"
DOCS_APP_INDICATORS = "Цифры из характеристик заявок"
DOCS_WARNINGS = "Замечания к документу"
DOCS_NO_ROWS = "В документе этого нет."
DOCS_COL = {
    "title": "Практика",
    "municipality": M_MUNICIPALITY,
    "region": M_REGION,
    "period": "Сроки",
    "participants": "Участников",
    "beneficiaries": "Благополучателей",
    "tos_count": "ТОС в паспорте",
    "cost": "Затраты, ₽",
    "section_name": "Раздел паспорта",
    "indicator": "Показатель",
    "value_text": "Значение",
    "unit": "Ед. изм.",
    "period_label": "Период",
    "quote": "Как написано",
    "item": "Статья затрат",
    "amount_rub": "Сумма, ₽",
    "funding_source": "Источник финансирования",
    "name": "Наименование ТОС",
    "residents": M_RESIDENTS,
    "in_registry": "Есть в реестре",
    "act_type": "Вид акта",
    "authority": "Кем принят",
    "date_text": "Дата",
    "number": "Номер",
    "act_title": "Название",
    "action": "Принят / изменён",
    "contest": "Конкурс",
    "year": M_YEAR,
    "level": "Этап",
    "nomination": "Номинация",
    "decided_on": "Протокол утверждён",
    "applications": "Заявок",
    "category_text": "Категория",
    "place_text": "Место",
    "recommended_text": "Рекомендована на следующий этап",
    "practice_title": "Практика заявителя",
    "kind": "Вид",
    "doc_title": "Название",
    "date": "Дата",
    "place": "Место проведения",
    "doc_participants": "Участников",
    "file_name": "Документ",
    "source_ref": "Место в документе",
}

# «Конкурсы» page (commission workspace)
CT_TAB_RESULTS = "Конкурсы и итоги"
CT_TAB_COMPARE = "Сравнение заявителей"
CT_TAB_SCORING = "Оценка и ведомость"
CT_STAFF_ONLY = "Оценка заявок, итоговая ведомость и её выгрузка доступны сотрудникам после входа («Вход для сотрудников» в боковой панели)."
CT_SCORING_REFUSED = "Оценка заявок доступна только сотрудникам, вошедшим в систему. Войдите в боковой панели («Вход для сотрудников»)."
CT_EMPTY = (
    "Протоколов конкурсных комиссий пока нет. Загрузите их (.docx, .pdf или .txt) на странице «Данные» — "
    "здесь появятся конкурсы, заявители и места. Сравнивать муниципалитеты можно и без протоколов."
)
CT_FILTERS_NOTE = "К конкурсам применяются фильтры региона, муниципалитета (конкурсы, где он был заявителем) и лет (год конкурса)."
CT_M_CONTESTS = "Конкурсов"
CT_M_APPLICATIONS = "Заявок"
CT_M_WINNERS = "Рекомендовано на следующий этап"
CT_CHOOSE_CONTEST = "Конкурс"
CT_RESULTS = "Заявители и места"
CT_HISTORY = "История региона по годам"
CT_HISTORY_REGION = "Регион"
CT_HISTORY_NOTE = "«→ след. этап» — заявка рекомендована на следующий (федеральный) этап. Пустая клетка — муниципалитет в этом году не участвовал (по загруженным протоколам)."
CT_SOURCE_CONTEST = "из конкурса"
CT_SOURCE_ANY = "любые муниципалитеты"
CT_PICK_SOURCE = "Кого сравнивать"
CT_PICK_APPLICANTS = "Заявители"
CT_PICK_MUNICIPALITIES = "Муниципалитеты"
CT_PICK_HINT = "Выберите хотя бы двух заявителей или муниципалитеты — они встанут рядом, по столбцу на каждого."
CT_PERIOD = "Период"
CT_PERIOD_FILTERS = "как в фильтрах"
CT_PERIOD_CONTEST = "годы конкурса"
CT_SHOW_SOURCES = "Показывать источник рядом с каждой цифрой"
CT_BLANK_NOTE = "«—» — источник об этом молчит (это не ноль). При расхождении источников показан реестр, затем протокол, затем паспорт практики; ⚠ — источники расходятся."
CT_NO_CONFLICTS = "Расхождений между реестром, протоколами и паспортами не найдено."
CT_CONFLICTS = "Источники расходятся"
CT_ALL_SOURCES = "Все значения из всех источников и их сверка"
CT_CHART = "Диаграмма"
CT_CHART_BARS = "столбцы по показателям"
CT_CHART_RADAR = "радар (доля от лучшего)"
CT_DOWNLOAD_COMPARE = "Скачать таблицу сравнения (.xlsx)"
CT_COLUMNS = {
    "label": "Показатель",
    "applicant": M_MUNICIPALITY,
    "display": "Значение",
    "source_name": "Источник",
    "when": "Дата или период",
    "document": "Документ",
    "place": "Место в документе",
    "status": "Сверка",
    "quote": "Как написано",
}

# Map («Карта»): layers, legend, tooltips, notes
MAP_METRIC = "Показатель на карте"
MAP_NO_DATA = "нет данных"
MAP_LAYERS_TITLE = "Слои"
MAP_BASE_PLAIN = "Без подложки (работает без интернета)"
MAP_BASE_OSM = "Карта OpenStreetMap (нужен интернет)"
MAP_LAYER_MUNICIPALITIES = "Муниципалитеты: {metric}"
MAP_LAYER_REGIONS_CHOROPLETH = "Регионы: {metric}"
MAP_LAYER_REGIONS = "Границы регионов"
MAP_LAYER_TOS = "ТОС"
MAP_LAYER_NO_BOUNDARY = "ТОС без границ"
MAP_LEGEND_TOS = "ТОС (точкой — при мелком масштабе)"
MAP_LEGEND_NO_BOUNDARY = "ТОС без границ (число — сколько их в муниципалитете)"
MAP_RESET_VIEW = "Показать всё"
MAP_TT_RESIDENTS = "Жителей"
MAP_TT_REGISTERED = "Зарегистрирован"
MAP_TT_PROJECTS = "Реализовано проектов"
MAP_TT_COST = "Стоимость проектов"
MAP_TT_MUNICIPALITIES = "Муниципалитетов"
MAP_CLICK_HINT = "щёлкните — карточка под картой"
MAP_CLICK_REGION_HINT = "щёлкните — карта региона"
MAP_DEMO_GEOMETRY = "условные границы (демо)"
MAP_DEMO_ATTRIBUTION = "Границы ТОС — условные (демо)"
MAP_NO_BOUNDARY_TITLE = "ТОС без границ"
MAP_NOTE_NO_POLYGONS = "У {n} муниципалитетов нет границ в базе — на карте их нет, в таблицах они есть."
MAP_NOTE_REGION_VIEW = "Муниципалитетов с границами в выборке: {n} — слишком много для одной карты, поэтому показаны регионы. Выберите регион (щелчком по карте или в фильтрах), чтобы увидеть муниципалитеты и ТОС."
MAP_NOTE_TOS_POINTS = "ТОС с границами: {n} — больше {max}, поэтому они показаны точками; выберите муниципалитет, чтобы увидеть границы."
MAP_SELECTED = "Выбран на карте"
MAP_SELECTION_RESET = "Снять выбор"
MAP_SELECTION_TO_FILTER = "Выбрать этот муниципалитет во всех разделах"
MAP_SELECT_PROMPT = "Щёлкните по муниципалитету на карте, чтобы увидеть его карточку и список ТОС."
MAP_WITHOUT_BOUNDARIES = "ТОС без границ"
MAP_UNLINKED = "Границы, не связанные с данными"
MAP_DOWNLOAD = "Скачать карту (HTML, работает без интернета)"
MAP_EMPTY = "Границ в базе нет. Загрузите файл границ (GeoJSON, KML или KMZ, архив шейп-файла или GeoPackage) на странице «Данные»."
MAP_BOUNDARY_STATUS = "Граница"
MAP_HAS_BOUNDARY = "есть"
MAP_NO_BOUNDARY = "нет"
MAP_SHOWN_AT = "Показан на карте"
MAP_ZERO_TOS = "нет ТОС"
MAP_ZERO_PROJECTS = "нет реализованных проектов"
MAP_LAYER_CONTEXT = "Соседние регионы"
MAP_SHOWN_AT_CENTRE = "значок в центре муниципалитета"
MAP_NOT_SHOWN = "не показан: у муниципалитета нет границы"
MAP_LOADING_BOUNDARIES = "Загружаю границы муниципалитетов и регионов…"
MAP_LINKING = "Связываю границы с данными…"
MAP_DRAWING = "Рисую карту…"
MAP_ALL_HAVE_BOUNDARIES = "У всех ТОС в выборке есть границы."
MAP_COVERAGE_UNKNOWN = "охват: население неизвестно"
MAP_ALL_YEARS = "все годы"
MAP_ON_DATE = "на {date}"
MAP_UNLINKED_LEVEL = "Уровень"
MAP_UNLINKED_REASON = "Почему не связана"
MAP_LEVELS = {"region": "регион", "municipality": "муниципалитет", "tos": "ТОС"}
MAP_WHY_REGION = "регион не найден в справочнике"
MAP_WHY_MUNICIPALITY = "муниципалитет не найден ни по коду ОКТМО, ни по названию"
MAP_WHY_NO_NAME = "у границы нет названия"
MAP_WHY_NO_MUNICIPALITY = "муниципалитет границы не определён, а название не уникально или его нет в реестре"
MAP_WHY_NO_SUCH_TOS = "в реестре нет ТОС с таким названием в муниципалитете «{municipality}»"
MAP_WHY_REPLACED = "у этого ТОС есть другая граница (показана более новая или загруженная пользователем)"
MAP_CLASS_FROM = "{value} и более"
MAP_CLASS_UP_TO = "до {value}"
MAP_AND_MORE = " и ещё {n}"
