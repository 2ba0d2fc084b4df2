#!/usr/bin/env python3
"""One entry point for users and CI; needs only Python 3.11+ and pip.

    python3 run.py            install everything into .venv, build the demo data, start the dashboard
    python3 run.py test       install everything the tests need and run the whole suite
    python3 run.py demo       rebuild the demo data and the demo database from scratch

Anything after the command is passed on (to streamlit or pytest).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")


def say(message: str) -> None:
    print(f"[run.py] {message}", flush=True)


def ensure_venv(requirements: str) -> None:
    """Create .venv and install `requirements` unless the same file is already installed."""
    if not PY.exists():
        say("создаю виртуальное окружение .venv")
        venv.EnvBuilder(with_pip=True).create(VENV)
    req = ROOT / requirements
    # The marker covers the file and what it includes, so editing either reinstalls.
    digest = hashlib.sha256()
    for name in (requirements, "requirements.txt"):
        digest.update((ROOT / name).read_bytes())
    marker = VENV / f".installed-{req.stem}"
    if marker.exists() and marker.read_text() == digest.hexdigest():
        return
    say(f"устанавливаю зависимости из {requirements}")
    subprocess.run([str(PY), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run([str(PY), "-m", "pip", "install", "--quiet", "-r", str(req)], check=True)
    marker.write_text(digest.hexdigest())


def apt_install(packages: list[str], why: str) -> None:
    """Install Debian packages when we are root on a Debian-like system; otherwise say why not."""
    if not shutil.which("apt-get"):
        say(f"apt-get нет: {why} — пропускаю ({' '.join(packages)})")
        return
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        say(f"не root: {why} — установите вручную: sudo apt-get install {' '.join(packages)}")
        return
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    result = subprocess.run(
        ["apt-get", "install", "-y", "--no-install-recommends", *packages],
        env=env, capture_output=True, text=True,
    )
    if result.returncode != 0:
        # The package lists may be missing on a fresh machine.
        subprocess.run(["apt-get", "update"], env=env, capture_output=True)
        result = subprocess.run(
            ["apt-get", "install", "-y", "--no-install-recommends", *packages],
            env=env, capture_output=True, text=True,
        )
    if result.returncode != 0:
        say(f"не удалось установить {' '.join(packages)}: {result.stderr.strip()[-300:]}")


def ensure_system_tools() -> None:
    """Chromium for browser tests and chart export, PostgreSQL for the store tests, a Cyrillic font."""
    missing = []
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        missing.append("chromium")
    if not Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").exists():
        missing.append("fonts-dejavu-core")
    if not any(Path("/usr/lib/postgresql").glob("*/bin/initdb")) and not shutil.which("initdb"):
        missing.append("postgresql")
    if missing:
        apt_install(missing, "браузерные тесты, экспорт графиков и тесты PostgreSQL")


def build_demo(force: bool = False) -> None:
    args = [str(PY), "-m", "scripts.build_demo"]
    if force:
        args.append("--force")
    subprocess.run(args, check=True, cwd=ROOT)


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "app"
    rest = argv[1:]
    if command in ("app", "run"):
        ensure_venv("requirements.txt")
        build_demo()
        say("запускаю панель: http://localhost:8501")
        return subprocess.call([str(PY), "-m", "streamlit", "run", "dashboard.py", *rest], cwd=ROOT)
    if command == "test":
        ensure_venv("requirements-dev.txt")
        ensure_system_tools()
        return subprocess.call([str(PY), "-m", "pytest", *rest], cwd=ROOT)
    if command == "demo":
        ensure_venv("requirements.txt")
        build_demo(force=True)
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
