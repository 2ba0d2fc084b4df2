"""Browser tests: the real app on a free port, driven by headless Chromium through Playwright.

Every test in this folder is marked `browser` (run only them: `pytest -m browser`; skip them:
`pytest -m "not browser"`). The harness, for any page:

* `app_server` (session) copies the demo database (tests/conftest.py `demo_build`), starts
  `streamlit run dashboard.py` on a free local port with TOS_DB_URL pointing at the copy, and polls
  `/_stcore/health` until it answers — no fixed sleeps. The server log is kept in tests/artifacts/.
* `chromium` (session) launches Debian's Chromium (`/usr/bin/chromium`, or TOS_CHROMIUM) through
  Playwright's Python package with `--headless --no-sandbox --disable-gpu --disable-background-networking`.
  Where Playwright or Chromium is missing, the tests are skipped with the reason (shown by `-ra`).
* `app_page` gives a fresh Russian-locale page (`AppPage`) that records every request, console error
  and page error, and saves screenshots to tests/artifacts/ (git-ignored).

Tips learnt on the map: `locator.evaluate("() => map.setView(...)")` returns the Leaflet map and Playwright
then serialises it (18 s) — wrap such calls in braces so they return nothing; move the map with
`setView(..., {animate: false})` rather than the mouse wheel, whose debounced, animated zoom can land after
the next step of the test.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.conftest import ROOT

HERE = Path(__file__).resolve().parent
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = os.environ.get("TOS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
START_TIMEOUT_S = 120
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", ""}
# Streamlit's own noise when a page is opened by its URL (EXAMPLES.md, «Traps seen on Streamlit»): 404s for
# page-relative health/host-config requests.
STREAMLIT_NOISE_404 = ("/_stcore/health", "/_stcore/host-config")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_healthy(url: str, process: subprocess.Popen, log: Path, timeout: float = START_TIMEOUT_S) -> None:
    """Poll the health endpoint until it answers «ok»; fail with the server log if the process dies or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200 and r.read().strip() == b"ok":
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)  # poll interval, not a wait for readiness
    raise RuntimeError(f"streamlit did not answer within {timeout} s:\n{log.read_text(errors='replace')[-3000:]}")


@pytest.fixture(scope="session")
def app_server(demo_db, tmp_path_factory):
    """The dashboard on a copy of the demo data, on a free port: {"url", "db_url", "process"}."""
    from tests.conftest import copy_sqlite

    folder = tmp_path_factory.mktemp("browser")
    db = folder / "demo.db"
    copy_sqlite(demo_db["url"], db)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = ARTIFACTS / "streamlit-server.log"
    port = free_port()
    env = {**os.environ, "TOS_DB_URL": f"sqlite:///{db}", "PYTHONUNBUFFERED": "1"}
    command = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"),
        "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
        "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    with open(log, "wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, process, log)
        yield {"url": url, "db_url": env["TOS_DB_URL"], "process": process}
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


@pytest.fixture(scope="session")
def chromium():
    """Headless Chromium through Playwright; skipped, with the reason, where it cannot run."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("браузерные тесты пропущены: нет пакета playwright (pip install -r requirements-dev.txt)")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"браузерные тесты пропущены: нет Chromium ({CHROMIUM}); установите пакет chromium (apt-get install chromium) или укажите TOS_CHROMIUM")
    pw = sync_playwright().start()
    try:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
    except PlaywrightError as exc:
        pw.stop()
        pytest.skip(f"браузерные тесты пропущены: Chromium ({CHROMIUM}) не запускается: {str(exc).splitlines()[0]}")
    yield browser
    browser.close()
    pw.stop()


class AppPage:
    """One browser page on the app, with everything it asked for and everything it complained about."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.requests: list[str] = []
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.not_found: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.page_errors.append(str(e)))
        page.on("response", lambda r: self.not_found.append(r.url) if r.status == 404 else None)

    def open(self, path: str = "", ready: str = "[data-testid='stMain'] h1", timeout_ms: int = 90_000) -> AppPage:
        """Open a page of the app and wait until it has rendered (`ready`: its title) and the script run is over."""
        self.page.goto(f"{self.base_url}/{path.lstrip('/')}", timeout=timeout_ms)
        self.page.wait_for_selector(ready, timeout=timeout_ms)
        self.wait_idle(timeout_ms)
        return self

    def wait_idle(self, timeout_ms: int = 90_000) -> None:
        """Until the script run is over (Streamlit shows its «running» widget meanwhile) and nothing is a skeleton."""
        self.page.wait_for_function(
            "() => document.querySelector('[data-testid=\"stAppViewContainer\"]') && "
            "!document.querySelector('[data-testid=\"stStatusWidget\"] [data-testid=\"stStatusWidgetRunningIcon\"]') && "
            # Elements still arriving are drawn as skeletons; a screenshot then shows grey boxes.
            "!document.querySelector('[data-testid=\"stSkeleton\"]')",
            timeout=timeout_ms,
        )

    def outside_requests(self) -> list[str]:
        """Requests that left this machine (anything but the app itself and data:/blob: URLs)."""
        out = []
        for url in self.requests:
            parsed = urlparse(url)
            if parsed.scheme in ("data", "blob", "about", "chrome", "chrome-extension"):
                continue
            if parsed.hostname not in LOCAL_HOSTS:
                out.append(url)
        return out

    def real_console_errors(self) -> list[str]:
        """Console errors, without Streamlit's own 404s for page-relative health/host-config requests."""
        noise = [u for u in self.not_found if u.endswith(STREAMLIT_NOISE_404)]
        errors = list(self.page_errors)
        budget = len(noise)
        for text in self.console_errors:
            if budget and "Failed to load resource" in text and "404" in text:
                budget -= 1
                continue
            errors.append(text)
        return errors

    def screenshot(self, name: str, full_page: bool = True) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path


def _new_context(chromium):
    return chromium.new_context(locale="ru-RU", timezone_id="Europe/Moscow", viewport={"width": 1400, "height": 1000})


@pytest.fixture
def app_page(chromium, app_server):
    context = _new_context(chromium)
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        yield AppPage(page, app_server["url"])
    finally:
        context.close()
