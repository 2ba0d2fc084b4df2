"""Parse an upload in a separate process with memory and time limits.

No file — a decompression bomb, a PDF that loops, a parser bug — can take the server down: the
worker is killed at the limit and the user gets a Russian message naming the file. The server
process only receives the parsed tables (or the message).
"""

from __future__ import annotations

import multiprocessing as mp
import sys
from typing import Any

from loaders.base import ParsedDocument, ParseError

TIMEOUT_SECONDS = 120
# Headroom of address space above what the worker maps when it starts. RLIMIT_AS counts virtual
# memory: a national GeoPackage (18 000 municipalities, 50 MB) maps ~1.45 GB while GDAL reads it
# (720 MB resident), so 1.5 GB refused it; bombs still stop at this limit.
MEMORY_MB = 2560


def _mapped_bytes() -> int:
    """Address space the process already maps (the fork server pre-loads the parsers)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _limit_resources(memory_mb: int, cpu_seconds: int) -> None:
    try:
        import resource
    except ImportError:  # not on this OS: the time limit still applies
        return
    limit = _mapped_bytes() + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))


def _worker(conn, fn, args: tuple, memory_mb: int, cpu_seconds: int) -> None:
    try:
        _limit_resources(memory_mb, cpu_seconds)
        conn.send(("ok", fn(*args)))
    except ParseError as exc:
        conn.send(("error", exc.message))
    except MemoryError:
        conn.send(("memory", None))
    except Exception as exc:  # a parser bug: reported, never raised into the server
        text = str(exc)
        # Loading a library under the memory limit fails with ENOMEM, not MemoryError.
        if "Cannot allocate memory" in text or "failed to map segment" in text:
            conn.send(("memory", None))
        else:
            conn.send(("bug", f"{type(exc).__name__}: {text}"[:300]))
    finally:
        conn.close()


def _parse_bytes(data: bytes, file_name: str, kind: str | None, matcher) -> ParsedDocument:
    from loaders.api import parse_bytes

    return parse_bytes(data, file_name, kind, matcher)


def _context() -> Any:
    if sys.platform.startswith("linux"):
        ctx = mp.get_context("forkserver")
        # The fork server starts once with the parsers imported; each upload forks from it quickly.
        ctx.set_forkserver_preload(["loaders.api", "loaders.registry", "loaders.tabular", "pandas", "python_calamine"])
        return ctx
    return mp.get_context("spawn")


def run_isolated(fn, args: tuple, file_name: str, timeout: float = TIMEOUT_SECONDS, memory_mb: int = MEMORY_MB):
    """`fn(*args)` in a worker process that is killed at the limits; a ParseError naming the file if it fails.

    `fn` is a module-level function (the fork server pickles it by name) that parses one upload.
    """
    ctx = _context()
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_worker, args=(sender, fn, args, memory_mb, int(timeout)), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise ParseError(
                f"Файл «{file_name}»: разбор остановлен — он длился дольше {int(timeout)} с. Файл слишком велик или "
                "повреждён (например, «бомба» внутри архива или PDF); проверьте его и загрузите снова."
            )
        try:
            status, payload = receiver.recv()
        except EOFError:
            status, payload = "died", None
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
        receiver.close()
    if status == "ok":
        return payload
    if status == "error":
        raise ParseError(payload)
    if status in ("memory", "died"):
        raise ParseError(
            f"Файл «{file_name}»: разбор остановлен — превышен предел памяти (+{memory_mb} МБ). Вероятно, файл содержит "
            "«бомбу» (огромное содержимое в маленьком архиве) или повреждён."
        )
    raise ParseError(f"Файл «{file_name}»: внутренняя ошибка разбора ({payload}). Сообщите разработчикам.")


def parse_isolated(
    data: bytes,
    file_name: str,
    kind: str | None = None,
    matcher=None,
    timeout: float = TIMEOUT_SECONDS,
    memory_mb: int = MEMORY_MB,
) -> ParsedDocument:
    """Like loaders.api.parse_bytes, but in a worker process that is killed at the limits."""
    return run_isolated(_parse_bytes, (data, file_name, kind, matcher), file_name, timeout, memory_mb)
