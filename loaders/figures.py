"""Figures stated in prose: «действуют 9 ТОС, в составе которых около 120 активистов».

Only what the vocabulary below knows is taken: a number followed by a counted noun it recognises
(«обращений», «окружных комитетов ТОС», «публичных слушаний»), or a number whose clause says what
it counts («Численность населения, проживающего в границах ТОС – 4655 человек»). Everything else
in the text stays text: a phone, a date, a year, an act number, «в 3 раза», «на 288 человек»
(a change, not a level) are never figures.

Each figure keeps the clause it was read from (`quote`), its qualifier («более» → ">=",
«около» → "~") and the period the sentence names («за 2019 год» → "2019").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# «ТОС» in capitals and its case endings only: «Тосно», «Тосненский», «тосовских» are not TOS.
_TOS = r"(?:(?-i:ТОС)(?:ов|а|ы|ам|ами|ах|е|у|ом)?(?!\w)|территориальн\w*\s+общественн\w*\s+самоуправлен\w*)"
_QUAL = {
    "более": ">=", "свыше": ">=", "не менее": ">=", "больше": ">=",
    "около": "~", "порядка": "~", "примерно": "~", "почти": "~", "приблизительно": "~",
    "менее": "<=", "не более": "<=",
}  # fmt: skip
_NUM_RE = re.compile(
    r"(?<![\w.,/№-])(?:(?P<q>не менее|не более|более|свыше|больше|около|порядка|примерно|почти|приблизительно|менее)\s+)?"
    r"(?P<n>\d{1,3}(?: \d{3})+(?:,\d+)?|\d+(?:,\d+)?)(?![\d])"
    r"(?:\s*(?P<m>тыс\.|тысяч\w*|млн\.?|миллион\w*))?",
    re.IGNORECASE,
)
_WORD_NUMBERS = {
    "одного": 1, "один": 1, "одна": 1, "одну": 1, "два": 2, "две": 2, "двух": 2, "три": 3, "трех": 3, "трёх": 3,
    "четыре": 4, "четырех": 4, "четырёх": 4, "пять": 5, "пяти": 5, "шесть": 6, "шести": 6, "семь": 7, "семи": 7,
    "восемь": 8, "восьми": 8, "девять": 9, "девяти": 9, "десять": 10, "десяти": 10,
}  # fmt: skip
_WORD_NUM_RE = re.compile(
    r"(?<![\w-])(?:(?P<q>более|свыше|около|порядка|почти)\s+)?(?P<w>" + "|".join(_WORD_NUMBERS) + r")(?:\s+(?P<m>тысяч\w*))?(?![\w-])",
    re.IGNORECASE,
)
_MONTHS = r"январ|феврал|март|апрел|ма[яй]|июн|июл|август|сентябр|октябр|ноябр|декабр"
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+(?=[А-ЯЁA-Z«\"(\d-])|;\s+|\n+")


@dataclass(frozen=True)
class Figure:
    """One figure found in prose."""

    indicator: str
    unit: str | None
    value: float
    qualifier: str | None
    period: str | None
    quote: str
    start: int


@dataclass(frozen=True)
class _Rule:
    indicator: str
    unit: str | None
    noun: re.Pattern[str] | None = None  # right after the number
    clause: re.Pattern[str] | None = None  # in the words before the number (this clause)
    sentence: re.Pattern[str] | None = None  # anywhere in the sentence
    not_sentence: re.Pattern[str] | None = None


def _r(indicator: str, unit: str | None, noun: str | None = None, clause: str | None = None, sentence: str | None = None, not_sentence: str | None = None) -> _Rule:
    flags = re.IGNORECASE
    return _Rule(
        indicator,
        unit,
        re.compile(r"^\s*(?:[–—-]\s*)?(?:" + noun + ")", flags) if noun else None,
        re.compile(clause, flags) if clause else None,
        re.compile(sentence, flags) if sentence else None,
        re.compile(not_sentence, flags) if not_sentence else None,
    )


_PEOPLE = r"человек|чел\b\.?|жител\w*|граждан\w*|горожан\w*|участник\w*"
# First rule that matches wins: specific wordings before general ones.
RULES: list[_Rule] = [
    # TOS and their structure.
    _r("органов ТОС (домовые и уличные комитеты)", "ед.", rf"орган\w*\s+{_TOS}", clause=r"вход\w*|в состав", sentence=r"окружн\w*\s+комитет"),
    _r("окружных комитетов ТОС", "ед.", rf"окружн\w*\s+комитет\w*(?:\s+{_TOS})?"),
    _r("советов ТОС", "ед.", rf"совет\w*\s+{_TOS}"),
    _r("активистов ТОС, избранных депутатами", "чел.", rf"активист\w*\s+{_TOS}\s+избира"),
    _r("ТОС", "ед.", rf"(?:орган\w*\s+)?{_TOS}(?!\s*«)"),
    _r("жителей в границах ТОС", "чел.", _PEOPLE, clause=r"в\s+границах|объединя\w*|прожива\w*", sentence=_TOS),
    _r("активистов ТОС", "чел.", r"активист\w*|неравнодушн\w*\s+[а-яё]+", sentence=_TOS),
    _r("старших улиц", "чел.", r"старш\w*\s+улиц"),
    _r("старших по дому", "чел.", r"старш\w*\s+по\s+дому|старш\w*\s+домов"),
    _r("старших по подъезду", "чел.", r"старш\w*\s+по\s+подъезду|старш\w*\s+подъездов"),
    _r("уличных комитетов", "ед.", r"уличн\w*\s+комитет\w*"),
    # Feedback and participation.
    _r("обращений через официальный сайт", "ед.", r"обращени\w*", sentence=r"официальн\w*\s+сайт"),
    _r("обращений через цифровую платформу", "ед.", r"обращени\w*", sentence=r"отработано|платформ|приложени"),
    _r("обращений граждан", "ед.", r"обращени\w*"),
    _r("личных приёмов граждан главой", "ед.", r"личн\w*\s+при[её]м\w*", sentence=r"\bглава\b"),
    _r("личных приёмов граждан", "ед.", r"личн\w*\s+при[её]м\w*"),
    _r("встреч главы с жителями", "ед.", r"встреч\w*", sentence=r"\bглава\b"),
    _r("встреч с жителями", "ед.", r"встреч\w*"),
    _r("собраний граждан с участием главы", "ед.", r"собрани\w*", sentence=r"\bглава\b"),
    _r("собраний жителей", "ед.", r"собрани\w*"),
    _r("публичных слушаний", "ед.", r"публичн\w*\s+слушани\w*"),
    _r("общественных обсуждений", "ед.", r"общественн\w*\s+обсуждени\w*"),
    _r("мероприятий с участием главы", "ед.", r"(?:[а-яё-]+,?\s+(?:и\s+)?){0,5}мероприяти\w*", sentence=r"\bглава\b"),
    _r("мероприятий", "ед.", r"(?:[а-яё-]+,?\s+(?:и\s+)?){0,5}мероприяти\w*"),
    _r("участников собраний жителей", "чел.", _PEOPLE, clause=r"собрани"),
    _r("участников общественных обсуждений", "чел.", _PEOPLE, clause=r"обсуждени"),
    _r("участников мероприятий", "чел.", _PEOPLE, clause=r"мероприяти"),
    _r("участников встреч с жителями", "чел.", _PEOPLE, clause=r"встреч|присутствова"),
    _r("участников опросов", "чел.", _PEOPLE, clause=r"опрос"),
    _r("молодёжных объединений", "ед.", r"молод[её]жн\w*\s+объединени\w*"),
    _r("посещений официального сайта", "ед.", r"посещени\w*", sentence=r"сайт"),
    _r("звонков в справочную службу", "ед.", r"звонк\w*"),
    _r("сообщений из социальных сетей", "ед.", r"сообщени\w*", sentence=r"отработан|социальн\w*\s+сет"),
    # Results on the ground.
    _r("благоустроенных дворовых территорий", "ед.", r"дворов\w*\s+территори\w*"),
    _r("благоустроенных общественных территорий", "ед.", r"общественн\w*\s+территори\w*"),
    _r("элементов детских площадок", "ед.", r"элемент\w*\s+детск\w*\s+площад\w*"),
    _r("спортивных площадок", "ед.", r"спортивн\w*(?=(?:\s+и\s+\d+\s+[а-яё]+(?:\s*[–-]\s*[а-яё]+)?)?\s+площад)"),
    _r("детских игровых площадок", "ед.", r"детск\w*(?:\s*[–-]\s*игров\w*)?\s+(?:и\s+спортивн\w*\s+)?площад\w*"),
    _r("высажено деревьев и кустарников", "ед.", r"деревьев|саженц\w*"),
    _r("реализованных проектов", "ед.", r"проект\w*", clause=r"реализова"),
    _r("площадь территории", "кв. км", r"кв\.?\s*км"),
    _r("площадь благоустроенных территорий", "кв. м", r"кв\.?\s*м\b\.?", sentence=r"благоустро"),
    # Population and shares.
    _r("численность населения", "чел.", r"жител\w*|человек|чел\b\.?", sentence=r"численност\w*\s+(?:постоянн\w*\s+)?населени"),
    _r("доля жителей, регулярно занимающихся физкультурой и спортом", "%", r"%|процент\w*", sentence=r"физкультур"),
    _r("доля населения в границах ТОС", "%", r"%\s*населени", sentence=_TOS),
    _r("уровень удовлетворённости качеством муниципальных услуг", "%", r"%|процент\w*", sentence=r"удовлетворенност|удовлетворённост"),
]
# «Число X составляет N»: the clause itself names what is counted.
_CHISLO_RE = re.compile(
    r"(?:^|[\s(])(?:число|количество|численность)\s+(?P<what>[^.;:]{5,200}?)\s*(?:составляет|составило|составила|составил|равн\w+|[–—-])\s*(?:около|порядка|более|свыше|примерно)?\s*$",
    re.IGNORECASE,
)
_NONE_RE = re.compile(rf"\bни\s+одного\s+(?:[а-яё]+\s+){{0,2}}?{_TOS}|^\s*(?:\d+[.)]\s*)?отсутстви\w*\s+{_TOS}", re.IGNORECASE)
_REFERS_BACK_RE = re.compile(r"^\s*(?:из них|из которых|в том числе|в т\.\s*ч\.|всего|итого|из общего)", re.IGNORECASE)
_CHANGE_RE = re.compile(r"(?:\bна|\bпо|\bот)\s*$|[+±]\s*$", re.IGNORECASE)
_AFTER_SKIP_RE = re.compile(
    rf"^\s*(?:[.,/-]\d|[-–]\s*\d|\)|\s*(?:{_MONTHS})|\s*(?:год|г\.|гг|лет|раз|час|мин|сек|№)|-(?:х|е|й|го|му|м)\b)",
    re.IGNORECASE,
)
_PERIOD_RES = [
    (re.compile(r"на\s+1\s+января\s+(\d{4})", re.IGNORECASE), lambda m: f"на 01.01.{m.group(1)}"),
    (re.compile(r"на\s+(конец|начало)\s+((?:19|20)\d{2})\s+года", re.IGNORECASE), lambda m: f"на {m.group(1).lower()} {m.group(2)} года"),
    (re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[-–—]\s*((?:19|20)\d{2})\s*(?:гг\.?|годы|годах|года)", re.IGNORECASE), lambda m: f"{m.group(1)}–{m.group(2)}"),
    (re.compile(r"(?:за|в|по итогам|в течение)\s+((?:19|20)\d{2})\s*(?:год\w*|г\.)", re.IGNORECASE), lambda m: m.group(1)),
    (re.compile(r"за\s+весь\s+период", re.IGNORECASE), lambda m: "за весь период"),
]


def _value(m: re.Match[str]) -> float:
    n = float(m.group("n").replace(" ", "").replace(",", "."))
    mult = (m.group("m") or "").lower()
    if mult.startswith("тыс"):
        n *= 1000
    elif mult.startswith(("млн", "миллион")):
        n *= 1_000_000
    return n


def sentences(text: str) -> list[tuple[int, str, bool]]:
    """Sentences with offsets; the flag says the piece continues the one before (split at «;»)."""
    out = []
    last = 0
    joined = False
    for m in _SENTENCE_END_RE.finditer(text):
        if text[last : m.start()].strip():
            out.append((last, text[last : m.start()], joined))
        joined = m.group(0).startswith(";")
        last = m.end()
    if text[last:].strip():
        out.append((last, text[last:], joined))
    return out


def find_period(text: str) -> str | None:
    for rx, fmt in _PERIOD_RES:
        m = rx.search(text)
        if m:
            return fmt(m)
    return None


def _abbreviate(what: str) -> str:
    what = re.sub(r"территориальн\w*\s+общественн\w*\s+самоуправлени\w*", "ТОС", what, flags=re.IGNORECASE)
    return re.sub(r"\s+", " ", what).strip(" ,")


def _tos_kind(rest: str) -> str | None:
    m = re.match(r"^\s*[–—-]?\s*(смешанн\w+\s+тип\w*|частн\w+\s+сектор\w*|в\s+частном\s+секторе|многоквартирн\w+\s+дом\w*)", rest, re.IGNORECASE)
    if not m:
        return None
    phrase = m.group(1).lower()
    if phrase.startswith("смешанн"):
        return "смешанного типа"
    if "частн" in phrase:
        return "частный сектор"
    return "многоквартирные дома"


def find_figures(text: str) -> list[Figure]:
    """Figures of the vocabulary in `text` (a paragraph), in order."""
    found: list[Figure] = []
    previous_period = None
    for s_start, sentence, continues in sentences(text):
        period = find_period(sentence)
        if period is None and (continues or _REFERS_BACK_RE.match(sentence)):
            period = previous_period  # «Из них через сайт – 2806»: the period of the sentence before
        previous_period = period
        m0 = _NONE_RE.search(sentence)
        if m0:
            found.append(Figure("ТОС", "ед.", 0.0, None, period, sentence.strip()[:300], s_start + m0.start()))
        tokens = [(m, None) for m in _NUM_RE.finditer(sentence)] + [(None, w) for w in _WORD_NUM_RE.finditer(sentence)]
        tokens.sort(key=lambda t: (t[0] or t[1]).start())
        clause_start = 0
        for num, word in tokens:
            m = num or word
            before = sentence[clause_start : m.start()]
            after = sentence[m.end() :]
            if num is not None:
                if _AFTER_SKIP_RE.match(after) or re.search(r"(№|№\s*|ст\.\s*|статьи\s*|пункт\w*\s*|п\.\s*)$", sentence[: m.start()], re.IGNORECASE):
                    continue
                raw = m.group("n").replace(" ", "")
                if m.group("m") is None and re.fullmatch(r"(?:19|20)\d{2}", raw) and not re.match(r"^\s*[а-яё]", after):
                    continue  # a year
                value = _value(m)
            else:
                if re.search(r"\bни\s*$", sentence[: m.start()], re.IGNORECASE):
                    continue  # «ни одного ТОС» is zero, found above
                value = float(_WORD_NUMBERS[word.group("w").lower()]) * (1000 if word.group("m") else 1)
            qualifier = _QUAL.get((m.group("q") or "").lower())
            if _CHANGE_RE.search(sentence[max(0, m.start() - 6) : m.start()]) and not m.group("q"):
                clause_start = m.end()
                continue  # «на 288 человек», «от 10 до 20»: a change or a range, not a level
            figure = _match_rules(sentence, before, after, value, qualifier, period, s_start + m.start())
            if figure is not None:
                found.append(figure)
            clause_start = m.end()
    return found


def _match_rules(sentence: str, before: str, after: str, value: float, qualifier: str | None, period: str | None, start: int) -> Figure | None:
    quote = sentence.strip()
    if len(quote) > 300:
        quote = quote[:297] + "…"
    chislo = _CHISLO_RE.search(before)
    if chislo and re.match(rf"^\s*(?:{_PEOPLE}|ед\w*)?", after, re.IGNORECASE):
        what = _abbreviate(chislo.group("what"))
        if re.search(r"в\s+границах\s+ТОС|проживающ", what, re.IGNORECASE):
            return Figure("жителей в границах ТОС", "чел.", value, qualifier, period, quote, start)
        if not re.search(r"населени", what, re.IGNORECASE):
            unit = "чел." if re.match(rf"^\s*(?:{_PEOPLE})", after, re.IGNORECASE) else None
            return Figure(what, unit, value, qualifier, period, quote, start)
    for rule in RULES:
        if rule.noun is not None:
            nm = rule.noun.match(after)
            if not nm:
                continue
        else:
            nm = None
        if rule.clause is not None and not rule.clause.search(before):
            continue
        if rule.sentence is not None and not rule.sentence.search(sentence):
            continue
        if rule.not_sentence is not None and rule.not_sentence.search(sentence):
            continue
        indicator = rule.indicator
        if indicator == "ТОС" and nm is not None:
            kind = _tos_kind(after[nm.end() :])
            if kind:
                indicator = f"ТОС ({kind})"
        return Figure(indicator, rule.unit, value, qualifier, period, quote, start)
    return None
