"""Checks on uploaded bytes before any parser sees them.

Office files and zipped shapefiles are zip archives: their members are inflated here in chunks
with hard limits, because the sizes written in the headers can lie. XML members must not declare
a DOCTYPE or entities (entity expansion and external entities are refused outright).
"""

from __future__ import annotations

import io
import re
import stat
import zipfile
from pathlib import PurePosixPath

from loaders.base import ParseError

MAX_MEMBER_BYTES = 300 * 1024 * 1024
MAX_TOTAL_BYTES = 600 * 1024 * 1024
MAX_RATIO = 300  # inflated ÷ compressed, for members above MIN_RATIO_CHECK
MIN_RATIO_CHECK = 20 * 1024 * 1024
MAX_MEMBERS = 20_000
CHUNK = 1024 * 1024
_XML_DECL = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_XML_MEMBER = re.compile(r"\.(xml|rels|vml|kml)$", re.IGNORECASE)


def unsafe_member(info: zipfile.ZipInfo) -> str | None:
    """Why an archive member must not be read, or None."""
    name = info.filename.replace("\\", "/")
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return "абсолютный путь"
    if ".." in PurePosixPath(name).parts:
        return "путь за пределы архива («..»)"
    mode = info.external_attr >> 16
    if mode and stat.S_ISLNK(mode):
        return "символическая ссылка"
    if info.flag_bits & 0x1:
        return "элемент зашифрован паролем (снимите пароль и загрузите снова)"
    return None


def open_zip(data: bytes, file_name: str, max_members: int = MAX_MEMBERS) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    """An archive and its members, refused whole if it is broken, too many files, or any member is unsafe.

    One unsafe member (absolute path, «..», symlink, encrypted) rejects the archive: it was made by
    mistake or on purpose, and either way its other contents are not to be trusted.
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ParseError(f"Файл «{file_name}»: архив повреждён или обрезан ({exc}).") from exc
    infos = zf.infolist()
    problem = None
    if len(infos) > max_members:
        problem = f"в архиве {len(infos)} файлов — больше допустимых {max_members}."
    for info in infos if problem is None else ():
        why = unsafe_member(info)
        if why:
            problem = f"в архиве {why} — небезопасный элемент «{info.filename}»; архив отклонён."
            break
    if problem:
        zf.close()
        raise ParseError(f"Файл «{file_name}»: {problem}")
    return zf, infos


def check_zip(data: bytes, file_name: str) -> None:
    """Refuse zip bombs, lying headers, path traversal and XML entity declarations."""
    zf, infos = open_zip(data, file_name)
    with zf:
        total = 0
        for info in infos:
            name = info.filename
            size = 0
            head = b""
            try:
                with zf.open(info) as member:
                    while True:
                        chunk = member.read(CHUNK)
                        if not chunk:
                            break
                        if len(head) < 4096:
                            head += chunk[: 4096 - len(head)]
                        size += len(chunk)
                        total += len(chunk)
                        if size > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES:
                            raise ParseError(
                                f"Файл «{file_name}»: при распаковке «{name}» превышен предел "
                                f"{MAX_MEMBER_BYTES // 1024 // 1024} МБ — похоже на «zip-бомбу»; файл отклонён."
                            )
                        if size > MIN_RATIO_CHECK and size > MAX_RATIO * max(1, info.compress_size):
                            raise ParseError(
                                f"Файл «{file_name}»: «{name}» распаковывается в сотни раз больше своего размера — "
                                "похоже на «zip-бомбу»; файл отклонён."
                            )
            except ParseError:
                raise
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
                # Includes a CRC or size mismatch: the header lied about the member.
                raise ParseError(f"Файл «{file_name}»: «{name}» в архиве повреждён ({exc}).") from exc
            if _XML_MEMBER.search(name) and _XML_DECL.search(head):
                raise ParseError(
                    f"Файл «{file_name}»: «{name}» содержит объявления DOCTYPE/ENTITY — такие XML не принимаются "
                    "(защита от подстановки сущностей и внешних ссылок)."
                )


def check_xml_text(data: bytes, file_name: str) -> None:
    """The same rule for a bare XML upload (KML)."""
    if _XML_DECL.search(data[:65536]):
        raise ParseError(
            f"Файл «{file_name}»: XML содержит объявления DOCTYPE/ENTITY — такие файлы не принимаются "
            "(защита от подстановки сущностей и внешних ссылок)."
        )


def check_file_name(file_name: str) -> None:
    """A name with a path or control characters is refused rather than quietly rewritten."""
    if re.search(r"[\\/]|\.\.|[\x00-\x1f\x7f]", file_name or ""):
        shown = re.sub(r"[\x00-\x1f\x7f]", "?", file_name)
        raise ParseError(
            f"Имя файла «{shown}» содержит путь или служебные символы — "
            "переименуйте файл (только имя, без папок) и загрузите снова."
        )
