"""Personal data in text shown to everyone: phone numbers, e-mail addresses and people's names.

Registries and passports name chairs and the clerks who filled them in; a warning or a quote that
copies a cell («Исп. Сидорова Е.В., тел. 8 (39545) 2-22-33») would carry them to public pages and
exports. Figures, places and the rest of the text stay.
"""

from __future__ import annotations

import re

FIO_RE = re.compile(
    r"\b([А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?\s+[А-ЯЁ][а-яё]+\s+[А-ЯЁ][а-яё]+(?:вич|вна|ична|инична|ич|оглы|кызы))\b"
)
# «Сидорова Е.В.», «Е. В. Сидорова»: a surname with initials.
INITIALS_RE = re.compile(r"\b[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?\s+[А-ЯЁ]\.\s?[А-ЯЁ]\.|\b[А-ЯЁ]\.\s?[А-ЯЁ]\.\s?[А-ЯЁ][а-яё]{2,}")
# A phone as people write it: with +7/8 in front («8 (39545) 2-22-33», «+7 903 123-45-67»,
# «89031234567»), a code in brackets («(8452) 26-16-00»), or groups joined by dashes («2-15-67»).
# Years and periods («2019-2020»), amounts («1 200 000») and dates are not phones.
PHONE_RE = re.compile(
    r"(?:\+7|(?<![\d.,])8)[\s(-]*\d{3,5}[\s)-]*\d{1,3}[\s-]?\d{2}[\s-]?\d{2}(?!\d)"
    r"|\(\d{3,5}\)\s*\d{1,3}[\s-]?\d{2}[\s-]?\d{2}(?!\d)"
    r"|(?<![\d-])\d{1,3}-\d{2}-\d{2}(?![\d-])"
)
EMAIL_RE = re.compile(r"[\w.+-]+(?:@|\s?\(at\)\s?)[\w-]+(?:\.[\w-]+)+")


def redact_contacts(text: str) -> str:
    """A quote shown to everyone keeps its figures but not phone numbers or e-mail addresses."""
    return PHONE_RE.sub("[телефон]", EMAIL_RE.sub("[e-mail]", text))


def redact_personal(text: str) -> str:
    """`redact_contacts`, and people's names: «Иванов Иван Иванович», «Сидорова Е.В.» → «[ФИО]»."""
    return INITIALS_RE.sub("[ФИО]", FIO_RE.sub("[ФИО]", redact_contacts(text)))


def has_contacts(text: str) -> bool:
    """A phone number, an e-mail or a name with initials: a clerk's signature, not data."""
    return redact_personal(text) != text
