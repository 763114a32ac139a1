"""The hostile site in a real browser: headless Chromium opens every page and every file a browser would
run (HTML, SVG, XHTML), focuses every element and fires the events inline handlers listen to, runs
the search, and no script other than the theme's own runs, and no page navigates away.

"Runs" is measured, not guessed from a marker word: every response carries a report-only Content
Security Policy that allows only the theme's script files and the theme's own inline scripts (found by
comparing each inline script with the ``<script>`` bodies of mkdocs-material's templates), and a hook
installed before any page script (Chrome DevTools' ``Page.addScriptToEvaluateOnNewDocument``) records
each violation: an inline event handler, a ``javascript:`` URL, an inline or foreign script, eval, a
plugin object or a frame. Report-only lets the payload run, so a navigation it causes is caught too.

Needs Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them when missing) and
selenium (a test extra). Where they cannot be had, the test is skipped and says why.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import http.server
import re
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
#: Files a browser renders as documents that can run scripts.
DOCUMENTS = (".html", ".htm", ".svg", ".xhtml", ".xht")

#: Installed before any script of each new document: collects the policy's reports.
HOOK = """
Object.defineProperty(window, "__audit", {value: [], configurable: false, writable: false});
document.addEventListener("securitypolicyviolation", (e) => window.__audit.push(
    [e.effectiveDirective, e.blockedURI, (e.sample || "").slice(0, 80), e.sourceFile, e.lineNumber].join(" | ")),
    true);
"""
#: Fires what inline handlers wait for: focus on every element (``autofocus onfocus`` fires without it,
#: a ``tabindex`` one only when tabbed to), pointer, animation and media events, and a click on every
#: ``javascript:`` link (other links would leave the page).
EXERCISE = """
const types = ["focus", "focusin", "blur", "mouseover", "mouseenter", "mousemove", "pointerover",
               "pointerenter", "animationstart", "animationend", "transitionend", "load", "error", "toggle",
               "input", "change", "wheel", "scroll", "copy", "beforetoggle"];
for (const el of document.querySelectorAll("*")) {
  if (typeof el.focus === "function") { try { el.focus({preventScroll: true}); } catch (e) {} }
  for (const type of types) { el.dispatchEvent(new Event(type)); }
  const href = (el.getAttribute("href") || el.getAttribute("xlink:href") || "").replace(/[\\s\\x00-\\x1f]/g, "");
  if (/^javascript:/i.test(href) && typeof el.click === "function") { el.click(); }
}
"""


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
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": HOOK})
    try:
        yield driver
    finally:
        driver.quit()


def theme_scripts() -> list[re.Pattern[str]]:
    """The inline scripts mkdocs-material's templates write, each a pattern in which a template
    expression (``{{ base_url }}``) matches any text without quotes or markup."""
    from material import templates

    patterns = []
    for template in sorted(Path(templates.__file__).parent.rglob("*.html")):
        if template.name == "redirect.html":  # the redirects plugin's page; no site here has one
            continue
        for body in re.findall(r"<script>(.*?)</script>", template.read_text(encoding="utf-8"), re.DOTALL):
            parts = re.split(r"\{\{.*?\}\}", body)
            patterns.append(re.compile('[^"<>]*'.join(re.escape(part) for part in parts), re.DOTALL))
    return patterns


def policy(html: str, origin: str, theme: list[re.Pattern[str]]) -> str:
    """Scripts from the theme's folders, and each inline script of ``html`` that is one of the theme's."""
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii") + "'"
        for attributes, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.DOTALL | re.IGNORECASE)
        if "src=" not in attributes and any(pattern.fullmatch(body) for pattern in theme)
    ]
    return (f"script-src {origin}/assets/javascripts/ {origin}/assets/almanac/tablesort.js {' '.join(hashes)} "
            "'report-sample'; object-src 'none'; frame-src 'none'; base-uri 'none'; form-action 'none'")


@pytest.fixture(scope="module")
def theme() -> list[re.Pattern[str]]:
    patterns = theme_scripts()
    assert len(patterns) >= 3  # base, palette and content scripts at least: the comparison has a reference
    return patterns


@contextlib.contextmanager
def serve(folder: Path, theme: list[re.Pattern[str]]) -> Iterator[str]:
    """``folder`` over http on this machine (search runs in a web worker, which file:// forbids), every
    response with its report-only policy."""
    handler = type("Handler", (_AuditedHandler,), {})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    handler.policy = staticmethod(lambda path: policy(
        path.read_text(encoding="utf-8", errors="replace") if path.suffix in DOCUMENTS else "", origin, theme))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield origin + "/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def served(hostile_site: Path, theme: list[re.Pattern[str]]) -> Iterator[str]:
    with serve(hostile_site, theme) as url:
        yield url


class _AuditedHandler(http.server.SimpleHTTPRequestHandler):
    policy: Any = None

    def end_headers(self) -> None:
        path = Path(self.translate_path(unquote(urlsplit(self.path).path)))
        if path.is_dir():
            path = path / "index.html"
        if path.is_file():
            self.send_header("Content-Security-Policy-Report-Only", type(self).policy(path))
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _ran(driver: Any, url: str) -> list[str]:
    """What ran against the policy on the page at ``url`` (and whether the page left it)."""
    audit = driver.execute_script("return window.__audit === undefined ? null : Array.from(window.__audit)")
    assert audit is not None, ("the audit hook did not run", url)  # else the test could not fail
    here = driver.current_url.split("#", 1)[0]
    return [*audit, *([f"navigated to {here}"] if here != url.split("#", 1)[0] else [])]


def _documents(site: Path) -> list[str]:
    """Every page and every file a browser would run, except the theme's own assets."""
    found = []
    for path in sorted(site.rglob("*")):
        relative = path.relative_to(site).as_posix()
        if path.suffix.lower() not in DOCUMENTS or relative.startswith("assets/javascripts/"):
            continue
        found.append(relative.removesuffix("index.html"))
    return found


def _audit(browser: Any, served: str, documents: list[str]) -> dict[str, list[str]]:
    """Each document that ran a script other than the theme's, with what ran."""
    problems = {}
    for document in documents:
        url = served + document
        browser.get(url)
        assert browser.execute_script("return document.readyState") == "complete"
        time.sleep(0.05)  # onload/onerror handlers of broken images fire right after load
        if not browser.current_url.startswith(served + document.split("#")[0]):
            problems[document] = [f"navigated to {browser.current_url}"]
            continue
        browser.execute_script(EXERCISE)
        time.sleep(0.05)
        ran = _ran(browser, url)
        if ran:
            problems[document] = ran
    return problems


def test_no_script_but_the_themes_runs_on_any_page_or_file(browser: Any, served: str, hostile_site: Path) -> None:
    documents = _documents(hostile_site)
    assert len(documents) > 20 and "model/docs/front/" in documents and "tags/" in documents
    problems = _audit(browser, served, documents)
    assert not problems, "\n".join(f"{document}: {ran[:2]}" for document, ran in problems.items())


#: Documents each of which runs something the audit must see (the control: the audit can fail).
CONTROLS = {
    "focus.html": '<p>x</p><span tabindex=1 onfocus="void 0">no autofocus</span>',
    "autofocus.html": '<input autofocus onfocus="void 0">',
    "hover.html": '<b onmouseover="void 0">hover</b>',
    "broken.html": '<img src="missing.png" onerror="void 0">',
    "link.html": '<a href="javascript:void 0">x</a>',
    "inline.html": "<script>void 0</script>",
    "foreign.html": '<script src="elsewhere.js"></script>',
    "leaves.html": "<script>location.href = 'theme.html'</script>",
    "image.svg": '<svg xmlns="http://www.w3.org/2000/svg" onload="void 0"/>',
}


def test_the_audit_sees_every_way_a_script_can_run(browser: Any, theme: list[re.Pattern[str]],
                                                    hostile_site: Path, tmp_path: Path) -> None:
    for name, body in CONTROLS.items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    (tmp_path / "elsewhere.js").write_text("void 0", encoding="utf-8")
    theme_page = (hostile_site / "index.html").read_text(encoding="utf-8")  # the theme's scripts only
    (tmp_path / "theme.html").write_text(theme_page.replace('src="assets/', 'src="/assets/'), encoding="utf-8")
    shutil.copytree(hostile_site / "assets", tmp_path / "assets")
    with serve(tmp_path, theme) as url:
        problems = _audit(browser, url, [*CONTROLS, "theme.html"])
    assert sorted(problems) == sorted(CONTROLS), problems


def test_no_script_runs_from_search_results(browser: Any, served: str) -> None:
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
    browser.execute_script(EXERCISE)
    time.sleep(0.2)
    assert _ran(browser, served) == []
