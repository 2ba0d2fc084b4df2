"""Reading untrusted geo files safely: GDAL limited to an allow-list of drivers, archives unpacked with limits.

GDAL can open far more than the formats we accept, and some of its drivers follow references inside a
file: a VRT (OGR_VRT) layer reads any local file or URL it names, GDALG runs processing pipelines,
WFS/OAPIF/HTTP go to the network, GPSBabel starts a program. A file's type is already checked from its
bytes (loaders.sniff), and on top of that the process's GDAL is restricted here, once, to the three
drivers we read through it: GeoJSON, ESRI Shapefile and GPKG. Every other driver is deregistered
(GDAL_SKIP, then a driver re-registration that applies it), so even a file that slipped past the sniffer
cannot be opened as anything else. KML is parsed with defusedxml, not by GDAL.

This is process-wide on purpose: a Streamlit server that accepts uploads should not be able to open a
VRT at all. Code that needs another GDAL driver (none does today) must run in another process.
"""

from __future__ import annotations

import io
import threading
import zipfile
from dataclasses import dataclass

from loaders.base import ParseError
from loaders.safety import open_zip

ALLOWED_DRIVERS = ("GeoJSON", "ESRI Shapefile", "GPKG")

# GDAL settings for untrusted input: no directory listing, no network, no Python in VRTs.
SAFE_CONFIG = {
    "GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR",
    "GDAL_HTTP_TIMEOUT": "1",
    "GDAL_HTTP_MAX_RETRY": "0",
    "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".none",
    "GDAL_VRT_ENABLE_PYTHON": "NO",
    "OGR_SQLITE_LOAD_EXTENSIONS": "",
}

_lock = threading.Lock()
_hardened = False


def harden_gdal() -> None:
    """Limit this process's GDAL to ALLOWED_DRIVERS (idempotent). RuntimeError when GDAL cannot be limited."""
    global _hardened
    if _hardened:
        return
    with _lock:
        if _hardened:
            return
        import pyogrio
        from pyogrio import _ogr

        others = [name for name in pyogrio.list_drivers() if name not in ALLOWED_DRIVERS]
        pyogrio.set_gdal_config_options({**SAFE_CONFIG, "GDAL_SKIP": ",".join(others)})
        if others:
            # GDALAllRegister ends by deregistering what GDAL_SKIP names.
            _ogr._register_drivers()
        left = set(pyogrio.list_drivers())
        if not left <= set(ALLOWED_DRIVERS):
            raise RuntimeError(f"GDAL drivers could not be restricted: still registered {sorted(left - set(ALLOWED_DRIVERS))}")
        _hardened = True


def gdal_is_hardened() -> bool:
    return _hardened


# --------------------------------------------------------------------------- archives

MAX_MEMBERS = 500
MAX_UNPACKED_BYTES = 400 * 1024 * 1024  # all members read, counted while inflating
_CHUNK = 1024 * 1024


@dataclass
class Member:
    """One file taken out of an archive: its path inside the archive and its bytes."""

    path: str
    data: bytes


def unpack_zip(data: bytes, file_name: str, wanted: tuple[str, ...], max_bytes: int | None = None) -> list[Member]:
    """The members of a zip whose names end with one of `wanted`, read with limits.

    The archive is opened and its members vetted by loaders.safety.open_zip. Sizes are counted while
    inflating, so a header that understates a member's size does not help.
    """
    limit = MAX_UNPACKED_BYTES if max_bytes is None else max_bytes
    zf, infos = open_zip(data, file_name, MAX_MEMBERS)
    with zf:
        chosen = [i for i in infos if not i.is_dir() and i.filename.lower().endswith(wanted)]
        declared = sum(i.file_size for i in chosen)
        if declared > limit:
            raise ParseError(
                f"Файл «{file_name}»: после распаковки архив занял бы {declared // 1024 // 1024} МБ — "
                f"больше допустимых {limit // 1024 // 1024} МБ."
            )
        out: list[Member] = []
        total = 0
        for info in chosen:
            buf = io.BytesIO()
            try:
                with zf.open(info) as fh:
                    while True:
                        chunk = fh.read(_CHUNK)
                        if not chunk:
                            break
                        total += len(chunk)
                        if total > limit or buf.tell() + len(chunk) > info.file_size:
                            raise ParseError(
                                f"Файл «{file_name}»: элемент «{info.filename}» при распаковке больше заявленного "
                                f"в архиве размера (или больше {limit // 1024 // 1024} МБ в сумме) — архив отклонён."
                            )
                        buf.write(chunk)
            except ParseError:
                raise
            except zipfile.BadZipFile as exc:
                # zipfile stops at the declared size; a lying header then fails the checksum.
                raise ParseError(
                    f"Файл «{file_name}»: содержимое элемента «{info.filename}» не совпадает с заголовком архива "
                    f"(размер или контрольная сумма: {exc}) — архив повреждён или подделан и отклонён."
                ) from exc
            except (EOFError, OSError, ValueError, NotImplementedError, RuntimeError) as exc:
                raise ParseError(f"Файл «{file_name}»: элемент «{info.filename}» не распаковывается ({exc}).") from exc
            out.append(Member(info.filename.replace("\\", "/"), buf.getvalue()))
        return out
