"""Personal data in text shown to everyone: phone numbers, e-mail addresses and people's names.

Registries and passports name chairs and the clerks who filled them in; a warning or a quote that
copies a cell («Исп. Сидорова Е.В., тел. 8 (39545) 2-22-33») would carry them to public pages and
exports. Figures, places and the rest of the text stay.
"""

from __future__ import annotations

import re

# «Иванов Иван Иванович», and declined as prose writes it: «Иванова Ивана Ивановича», «Петровой Анны Ивановны».
FIO_RE = re.compile(
    r"\b([А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?\s+[А-ЯЁ][а-яё]+\s+[А-ЯЁ][а-яё]+"
    r"(?:(?:вич|ич)(?:а|у|ем|е)?|(?:вн|ичн)(?:а|ы|е|у|ой|ою)|оглы|кызы))\b"
)
# «Сидорова Е.В.», «Е. В. Сидорова»: a surname with initials. «им. А.С. Пушкина» names a library or a street.
INITIALS_RE = re.compile(
    r"\b[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?\s+[А-ЯЁ]\.\s?[А-ЯЁ]\."
    r"|(?<!им\.\s)(?<!им\.)(?<!имени\s)\b[А-ЯЁ]\.\s?[А-ЯЁ]\.\s?[А-ЯЁ][а-яё]{2,}"
)
# «Председатель Совета ТОС Кузнецов доложил»: a surname alone, known by the role before it. Only the
# common -ов/-ев/-ин surnames: «Председатель Думы Ангарского городского округа» is no person's name.
ROLE_SURNAME_RE = re.compile(
    r"((?i:председател|руководител|директор|секретар|докладчик|исполнител|заместител)\w*"
    r"(?:\s+(?i:тос|совета|правления|комиссии|мкд|дома)\b|\s+«[^«»]{1,40}»)*\s+)"
    r"[А-ЯЁ][а-яё]+(?:ов|ев|ёв|ин|ын)(?:а|у|ым|ой|ом|е|ы)?\b"
)
# A phone as people write it: with +7/8 in front («8 (39545) 2-22-33», «+7 903 123-45-67»,
# «89031234567», «+7 903 12 34 567»), a code in brackets («(8452) 26-16-00»), or groups joined by
# dashes («2-15-67»). Years and periods («2019-2020»), amounts («1 200 000») and dates are not phones.
PHONE_RE = re.compile(
    r"(?:\+7|(?<![\d.,])8)[\s(-]*\d{3,5}[\s)-]*(?:\d{1,3}[\s-]?\d{2}[\s-]?\d{2}|\d{2}[\s-]\d{2}[\s-]\d{3})(?!\d)"
    r"|\(\d{3,5}\)\s*\d{1,3}[\s-]?\d{2}[\s-]?\d{2}(?!\d)"
    r"|(?<![\d-])\d{1,3}-\d{2}-\d{2}(?![\d-])"
)
# A city number of five or six digits is a phone only after «тел.»: «тел. 261600», «т. 2 15 67».
MARKED_PHONE_RE = re.compile(
    r"(\b(?i:телефон\w*|тел\b\.?|т\.|моб\b\.?|мобильн\w*|сот\.|сотов\w*|факс\b\.?)\s*:?\s*)(\+?\d(?:[\s()-]{0,2}\d){4,14})(?!\d)"
)
EMAIL_RE = re.compile(r"[\w.+-]+(?:\s?@\s?|\s?\(at\)\s?)[\w-]+(?:\.[\w-]+)+")


def redact_personal(text: str) -> str:
    """Phones, e-mails and people's names blanked: «Иванов Иван Иванович, тел. 2-22-33» → «[ФИО], тел. [телефон]»."""
    text = PHONE_RE.sub("[телефон]", EMAIL_RE.sub("[e-mail]", text))
    text = MARKED_PHONE_RE.sub(r"\1[телефон]", text)
    text = INITIALS_RE.sub("[ФИО]", FIO_RE.sub("[ФИО]", text))
    return ROLE_SURNAME_RE.sub(r"\1[ФИО]", text)


# Quotes of figures are public as well: a chair named in one is as personal as a phone.
redact_contacts = redact_personal


def has_contacts(text: str) -> bool:
    """A phone number, an e-mail or a person's name: a clerk's signature, not data."""
    return any(rx.search(text) for rx in (EMAIL_RE, PHONE_RE, MARKED_PHONE_RE, FIO_RE, INITIALS_RE, ROLE_SURNAME_RE))


def person_parts(text: str) -> tuple[str | None, str | None, str | None]:
    """The name, phones and e-mails of one person written in a line: «председатель Волков А.С., тел. 2-22-33»."""
    emails = [m.group(0).replace(" ", "") for m in EMAIL_RE.finditer(text)]
    rest = EMAIL_RE.sub(" ", text)
    phones = [m.group(0).strip() for m in PHONE_RE.finditer(rest)]
    rest = PHONE_RE.sub(" ", rest)
    phones += [m.group(2) for m in MARKED_PHONE_RE.finditer(rest)]
    rest = MARKED_PHONE_RE.sub(" ", rest)
    m = FIO_RE.search(rest) or INITIALS_RE.search(rest)
    if m:
        name = m.group(0)
    else:
        # «председатель Волков»: what is left once the role and the contact words are gone.
        rest = re.sub(
            r"(?i)\b(?:председател\w*|руководител\w*|контактн\w*|лиц[оа]|старш\w*|совета|тос|тел\b|телефон\w*|моб\b|e-?mail|эл\b|почт\w*)\.?",
            " ",
            rest,
        )
        name = re.sub(r"\s+", " ", rest).strip(" ,;:–—-.") or None
        if name is not None and not re.search(r"[А-ЯЁ]", name):
            name = None
    return name, ", ".join(dict.fromkeys(phones)) or None, ", ".join(dict.fromkeys(emails)) or None


# Words that bring a person into a name cell: «Берёзка (председатель …)», «Заря, тел. …».
_PERSON_WORD_RE = re.compile(
    r"(?:председател|руководител|контактн\w*\s+лиц|старш\w*\s+по\s|тел\b|телефон|моб\b|e-?mail|эл\.?\s?почт)", re.IGNORECASE
)
_BRACKET_RE = re.compile(r"\(([^()]*)\)")
_SEPARATOR_RE = re.compile(r"[,;]|\s[–—-]\s")


def cut_person(text: str) -> tuple[str, str | None]:
    """A name cell without the person it also names, and that person (None when it names none).

    «Берёзка (председатель Волков А.С.)» → («Берёзка», «председатель Волков А.С.»). Other brackets and
    parts («Заря (пос. Северный)», «Луч, ул. Ленина») stay in the name.
    """
    cut: list[str] = []

    def bracket(m: re.Match[str]) -> str:
        inner = m.group(1).strip()
        if _PERSON_WORD_RE.match(inner) or has_contacts(inner):
            cut.append(inner)
            return " "
        return m.group(0)

    rest = _BRACKET_RE.sub(bracket, text)
    # «Заря, председатель Иванова А.П., тел. 2-22-33»: the first part that names a person, and all after it.
    for sep in _SEPARATOR_RE.finditer(rest):
        nxt = _SEPARATOR_RE.search(rest, sep.end())
        part = rest[sep.end() : nxt.start() if nxt else len(rest)].strip()
        if part and (_PERSON_WORD_RE.match(part) or has_contacts(part)):
            cut.append(rest[sep.end() :].strip())
            rest = rest[: sep.start()]
            break
    if not cut:
        return text, None
    return re.sub(r"\s+", " ", rest).strip(" ,;–—-"), "; ".join(cut)
