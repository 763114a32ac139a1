"""Golden outlines of the HTML pages the MkDocs plugin builds, for every template.

The Markdown goldens (test_golden_pages.py) cannot see what Python-Markdown makes of a line: ``- #3 feat``
is a list item holding a level-one heading there (no space is needed after ``#``), and every person's
pull-request list became a column of ``<h1>``s that ranked first in search. These tests read the
built HTML: one ``<h1>`` per page, no heading inside a list item or a table cell, and the outline
(headings, lists, tables, pictures) of each page of a small repository equal to its golden file.

Run with ``ALMANAC_UPDATE_GOLDEN=1`` to rewrite the golden outline after an intended change.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.cli.commands import main
from generator.render.pages import builtin_templates
from tests.htmloutline import outline
from tests.test_site import build, model_repo

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden" / "tiny-lm-html.txt"

#: A page of the demo site built from each template (partials, named ``_*.j2``, are parts of these).
DEMO_PAGE_OF_TEMPLATE = {
    "overview.md.j2": "index.html",
    "card.md.j2": "card/index.html",
    "licence.md.j2": "licence/index.html",
    "discussions.md.j2": "discussions/index.html",
    "onboarding.md.j2": "onboarding/index.html",
    "tools.md.j2": "tools/index.html",
    "reference.md.j2": "reference/lumen/index.html",
    "releases/index.md.j2": "releases/index.html",
    "releases/release.md.j2": "releases/v1.0.0/index.html",
    "contributors/index.md.j2": "contributors/index.html",
    "contributors/health.md.j2": "contributors/health/index.html",
    "contributors/person.md.j2": "contributors/alexchen-sf/index.html",
    "learn/index.md.j2": "learn/index.html",
    "learn/paper.md.j2": "learn/papers/{paper}/index.html",
}


@pytest.fixture(scope="module")
def tiny_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tiny")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1701000000")  # 2023-11-26, as in test_golden_pages
        repo = model_repo(folder / "repo")
        assert build(repo.path, folder / "site") == 0
    return folder / "site"


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("demo") / "site"
    assert main(["build", "-f", str(ROOT / "mkdocs.yml"), "--site-dir", str(site), "--strict"]) == 0
    return site / "demo"


def _generated_pages(site: Path) -> list[Path]:
    return sorted(path for path in site.rglob("index.html") if "assets" not in path.parts)


def test_tiny_repository_pages_match_their_golden_outline(tiny_site: Path) -> None:
    text = "".join(
        f"== {page.relative_to(tiny_site).parent.as_posix() or '.'}\n" + "".join(
            f"{line}\n" for line in outline(page.read_text(encoding="utf-8")).lines)
        for page in _generated_pages(tiny_site)
    )
    if os.environ.get("ALMANAC_UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_pull_request_list_is_a_list_not_headings(tiny_site: Path) -> None:
    page = outline((tiny_site / "contributors" / "josé-garcía" / "index.html").read_text(encoding="utf-8"))
    assert page.misplaced == [] and page.count("h1 ") == 1
    after = page.lines[page.lines.index("h2 Pull requests") + 1]
    assert after == "ul 1"


@pytest.mark.parametrize("site_name", ["tiny_site", "demo_site"])
def test_every_page_has_one_title_and_no_heading_made_from_a_line(
        site_name: str, request: pytest.FixtureRequest) -> None:
    site: Path = request.getfixturevalue(site_name)
    pages = _generated_pages(site)
    assert len(pages) >= 14
    wrong = {}
    for page in pages:
        found = outline(page.read_text(encoding="utf-8"))
        if found.count("h1 ") != 1 or found.misplaced:
            wrong[str(page.relative_to(site))] = (found.count("h1 "), found.misplaced)
    assert wrong == {}


def test_demo_has_a_page_of_every_template(demo_site: Path) -> None:
    templates = sorted(str(path.relative_to(builtin_templates())) for path in builtin_templates().rglob("*.j2")
                       if not path.name.startswith("_"))
    assert templates == sorted(DEMO_PAGE_OF_TEMPLATE)
    paper = next((demo_site / "learn" / "papers").iterdir()).name
    for template, page in DEMO_PAGE_OF_TEMPLATE.items():
        path = demo_site / page.format(paper=paper)
        assert path.is_file(), template
        assert outline(path.read_text(encoding="utf-8")).count("h1 ") == 1, template


def test_person_pages_list_their_pull_requests(demo_site: Path) -> None:
    """29 of the demo's 31 people had their pull requests as headings; each is a list item now."""
    with_pulls = 0
    for page in (demo_site / "contributors").glob("*/index.html"):
        lines = outline(page.read_text(encoding="utf-8")).lines
        if "h2 Pull requests" in lines:
            with_pulls += 1
            assert lines[lines.index("h2 Pull requests") + 1].startswith("ul "), page
    assert with_pulls >= 20
