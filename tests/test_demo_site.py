"""The demo site as `make demo` builds it: this repository's mkdocs.yml, strict, through the plugin."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator.cli.commands import main

ROOT = Path(__file__).resolve().parent.parent
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("demo") / "site"
    assert main(["build", "-f", str(ROOT / "mkdocs.yml"), "--site-dir", str(site), "--strict"]) == 0
    return site


def test_demo_has_every_page_kind(demo_site: Path) -> None:
    overview = (demo_site / "demo" / "index.html").read_text(encoding="utf-8")
    assert "Lumen-1.8B" in overview and "bigscience-openrail-m" in overview and "LumenForCausalLM" in overview
    assert "1,761,724,416 &#40;1.8 B&#41;" in overview and "Key/value cache per 1,000 tokens" in overview
    assert (demo_site / "demo" / "about" / "index.html").is_file()  # a hand-written page from content/
    tags = ["v0.1.0", "v0.2.0", "v0.3.0", "v1.0.0-rc1", "v1.0.0", "v1.0.1", "v1.1.0", "v1.2.0"]
    for tag in tags:
        assert (demo_site / "demo" / "releases" / tag / "index.html").is_file(), tag
    people = [p for p in (demo_site / "demo" / "contributors").iterdir() if p.is_dir()]
    assert len(people) >= 28  # 27 people and the bots, each with a page


def test_release_candidates_fold_into_their_final_release(demo_site: Path) -> None:
    page = (demo_site / "demo" / "releases" / "v1.0.0" / "index.html").read_text(encoding="utf-8")
    assert '<details class="note">' in page and "???" not in page


def test_patch_release_lists_only_its_backports(demo_site: Path) -> None:
    page = (demo_site / "demo" / "releases" / "v1.0.1" / "index.html").read_text(encoding="utf-8")
    assert "after <a href=\"../v1.0.0/\">v1.0.0</a>" in page
    assert page.count("<li>") <= 6  # three cherry-picks and the release commit, not main's history


def test_no_email_address_anywhere(demo_site: Path) -> None:
    for path in demo_site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml"):
            assert not EMAIL.search(path.read_text(encoding="utf-8", errors="replace")), path


def test_chinese_is_searchable(demo_site: Path) -> None:
    index = json.loads((demo_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["en", "zh"]
    assert r"\u200b" in index["config"]["separator"]  # a JavaScript regex escape, split on by lunr
    text = " ".join(doc["text"] + doc["title"] for doc in index["docs"])
    # jieba put zero-width spaces between Chinese words, so each word is its own search term.
    assert re.search(r"[\u4e00-\u9fff]\u200b[\u4e00-\u9fff]", text)


def test_release_shows_model_changes(demo_site: Path) -> None:
    page = (demo_site / "demo" / "releases" / "v1.1.0" / "index.html").read_text(encoding="utf-8")
    assert "Model, weights and licence changes" in page
    assert "max_position_embeddings 4096 → 8192" in page.replace("&#95;", "_")
    assert "GSM8K accuracy 38.4 → 36.1" in page  # the corrected benchmark value


def test_imported_model_docs_carry_their_authorship(demo_site: Path) -> None:
    """The demo repository's own docs/ (import_docs) become pages, dated and credited from the history."""
    page = (demo_site / "demo" / "model" / "docs" / "faq" / "index.html").read_text(encoding="utf-8")
    footer = page[page.index('<aside class="md-source-file">'):]
    assert re.search(r"\d{4}-\d\d-\d\d", footer) and 'class="md-author"' in footer
    assert "../../../contributors/" in footer
    chinese = demo_site / "demo" / "model" / "docs" / "zh" / "快速开始" / "index.html"
    assert chinese.is_file()
    assert (demo_site / "demo" / "model" / "LICENSE").is_file()  # the README links to it


def test_health_page_draws_without_javascript(demo_site: Path) -> None:
    page = (demo_site / "demo" / "contributors" / "health" / "index.html").read_text(encoding="utf-8")
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page and "Contributor absence factor" in page
    assert "<details><summary>Contributors and new contributors" in page


def test_model_card_page(demo_site: Path) -> None:
    page = (demo_site / "demo" / "card" / "index.html").read_text(encoding="utf-8")
    assert "Card completeness: 100%" in page and "局限性" in page  # the Chinese README's sections count too
    assert "How the card changed between releases" in page and "GSM8K accuracy 38.4 → 36.1" in page


def test_licence_page_with_timeline(demo_site: Path) -> None:
    page = (demo_site / "demo" / "licence" / "index.html").read_text(encoding="utf-8")
    assert "Add a separate license for the model weights" in page and "MODEL&#95;LICENSE" in page


def test_discussion_digest_and_reviews_from_the_shipped_forge_cache(demo_site: Path) -> None:
    page = (demo_site / "demo" / "discussions" / "index.html").read_text(encoding="utf-8")
    assert "Proposal&#58; extend the context window to 8K tokens" in page
    linked_pull = r'<a href="https://github\.com/[\w-]+/[\w.-]+/pull/\d+">#\d+</a>'
    assert re.search(rf"Pull requests: {linked_pull} Extend the context window to 8K \(merged\)", page)
    assert "提供 GGUF 量化版本" in page and "How do I load Lumen with transformers?" in page
    # The hostile post: its markup is shown as text, nothing of it runs or loads.
    assert "<script>alert" not in page and "<iframe" not in page and "tracker.example" not in page
    assert 'href="javascript' not in page and "&lt;script&gt;alert" in page
    health = (demo_site / "demo" / "contributors" / "health" / "index.html").read_text(encoding="utf-8")
    assert "Time to the first review" in health and "Who reviews where" in health
    wei = (demo_site / "demo" / "contributors" / "zhangwei-ai" / "index.html").read_text(encoding="utf-8")
    assert "reviews given on other people" in wei


def test_learning_onboarding_tools_and_api_reference(demo_site: Path) -> None:
    learn = (demo_site / "demo" / "learn" / "index.html").read_text(encoding="utf-8")
    assert "动手学深度学习" in learn and "Hugging Face NLP Course" in learn  # curated, from content/resources.yml
    assert 'href="../model/docs/architecture/">Architecture' in learn  # imported docs: links stay on the site
    assert "Open Bilingual Language Models" in learn and "@article" in learn  # how to cite, from CITATION.cff
    papers = list((demo_site / "demo" / "learn" / "papers").iterdir())
    assert papers and "@article" in (papers[0] / "index.html").read_text(encoding="utf-8")
    guide = (demo_site / "demo" / "onboarding" / "index.html").read_text(encoding="utf-8")
    assert "squash-merged" in guide and "pytest" in guide and "reference/lumen/" in guide
    tools = (demo_site / "demo" / "tools" / "index.html").read_text(encoding="utf-8")
    assert "GitHub Actions" in tools and "pre-commit" in tools
    reference = (demo_site / "demo" / "reference" / "lumen" / "index.html").read_text(encoding="utf-8")
    assert "LumenConfig" in reference and ":::" not in reference  # expanded by mkdocstrings
    assert not (demo_site / "demo" / "resources.yml").exists()  # data for the Learn page, not published


def test_almanacs_own_documentation(demo_site: Path) -> None:
    """This repository's mkdocs.yml is Almanac's documentation, built --strict, with the demo under demo/."""
    home = (demo_site / "index.html").read_text(encoding="utf-8")
    assert "demo/" in home and "Almanac turns an open model repository" in home
    options = (demo_site / "reference" / "options" / "index.html").read_text(encoding="utf-8")
    for option in ("sections", "nav_section", "enabled_on_serve", "import_docs", "image_hosts", "language"):
        assert option in options, option  # read from the typed config class by mkdocstrings
    assert "build_knowledge" in (demo_site / "reference" / "api" / "index.html").read_text(encoding="utf-8")
    ci = (demo_site / "guide" / "ci" / "index.html").read_text(encoding="utf-8")
    assert "actions/deploy-pages" in ci and "GIT_DEPTH" in ci  # the shipped workflows, included verbatim
