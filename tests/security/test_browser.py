"""The hostile site in a real browser: headless Chromium loads its pages and runs its search, and no
payload from the input gets to run (each would set ``window.__pwned`` or the page title).

Needs Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them when missing) and
selenium (a test extra). Where they cannot be had, the test is skipped and says why.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip("BROWSER TEST NOT RUN: Debian's chromium and chromium-driver are not installed "
                    "(`apt-get install chromium chromium-driver`; .ci/run does it when it can)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="BROWSER TEST NOT RUN: selenium is missing")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-quic", f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        options.add_argument(flag)
    service = webdriver.ChromeService(executable_path=CHROMEDRIVER)
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def served(hostile_site: Path) -> Iterator[str]:
    """The site over http on this machine (search runs in a web worker, which file:// forbids)."""
    handler = functools.partial(_QuietHandler, directory=str(hostile_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def _pwned(driver: Any) -> tuple[Any, str]:
    return driver.execute_script("return window.__pwned"), driver.title


def test_no_payload_runs_on_any_page_or_in_search(browser: Any, served: str, hostile_site: Path) -> None:
    pages = sorted(str(path.parent.relative_to(hostile_site)) + "/" for path in hostile_site.rglob("index.html"))
    assert len(pages) > 20
    for page in [page.removeprefix("./") for page in pages]:
        browser.get(served + page)
        assert browser.execute_script("return document.readyState") == "complete"
        time.sleep(0.05)  # onload/onerror handlers of broken images fire right after load
        ran, title = _pwned(browser)
        assert ran is None and title != "PWNED", (page, ran, title)  # the text "PWNED" may show, escaped
    browser.get(served)
    browser.execute_script("""
        const input = document.querySelector('.md-search__input');
        input.focus(); input.value = 'pwned script onerror'; input.dispatchEvent(new Event('input', {bubbles: true}));
        input.dispatchEvent(new KeyboardEvent('keyup', {key: 'd', bubbles: true}));""")
    deadline = time.monotonic() + 15
    results = 0
    while time.monotonic() < deadline and not results:
        time.sleep(0.3)
        results = browser.execute_script("return document.querySelectorAll('.md-search-result__item').length")
    assert results > 0  # the search ran and drew results from the hostile pages
    time.sleep(0.5)
    ran, title = _pwned(browser)
    assert ran is None and title != "PWNED", ("search", ran, title)
