"""Repository text is inert on every path into a page: code blocks, imported pages and their front
matter, API reference docstrings, and the files an imported folder holds (issue 16, items 2, 3, 4, 13).

Each syntax pymdownx.snippets, mkdocs-macros (Jinja) and attribute lists read is tried in each way
Almanac puts repository text into Markdown, rendered by the real extensions with ``.git/config`` in
reach; then the hostile site (tags, blog, search, mkdocstrings, snippets, attr_list, md_in_html) is
checked page kind by page kind.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import jinja2
import markdown
import pytest
from mkdocs.utils.meta import get_data

from generator.model.errors import Finding
from generator.render.pages import code_block
from generator.sources.files.repofiles import MAX_NAME_BYTES, imported_page_text, publishable
from generator.text.safehtml import sanitise_page
from tests.security.corpus import (
    ACTIVE_FILES,
    FRONT_MATTER,
    LONG_NAME,
    MULTIMARKDOWN_META,
    SENTINELS,
    SNIPPETS,
    TEMPLATES,
)

#: A stranger's attribute on any element of the rendered HTML (the theme's own pages have none).
INJECTED_ATTRIBUTE = re.compile(r"<[^>]*\s(on\w+\s*=|autofocus\b)", re.IGNORECASE)


def _imported(text: str) -> str:
    page = imported_page_text("docs/x.md", text.encode("utf-8"), [])
    assert page is not None
    return get_data(page)[0]  # MkDocs reads the front matter off the page before Markdown sees it


def _same(html: str) -> str:
    return html


#: Every way Almanac puts repository text into Markdown (code blocks at the margin and in a list
#: item, as on the learn, paper and onboarding pages, and whole imported pages), with what the plugin
#: does to the rendered HTML (imported pages are sanitised).
WRAPPERS: dict[str, tuple[Callable[[str], str], Callable[[str], str]]] = {
    "code block": (lambda text: code_block(text, "bibtex"), _same),
    "code block in a list": (lambda text: "1. Run:\n\n" + code_block(text, "bash", 4) + "\n2. Done\n", _same),
    "imported page": (_imported, sanitise_page),
}
FENCES = ("fenced_code", "pymdownx.superfences")


@pytest.fixture(scope="module")
def snippet_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder laid out like a checkout, its ``.git/config`` holding the CI tokens."""
    base = tmp_path_factory.mktemp("checkout")
    (base / ".git").mkdir()
    (base / ".git" / "config").write_text(
        "[http]\n\textraheader = AUTHORIZATION: basic " + SENTINELS[0] + "\n[remote \"origin\"]\n\turl = https://"
        f"x-access-token:{SENTINELS[1]}@github.com/o/r.git\n" + "\n" * 20, encoding="utf-8")
    return base


def _render(source: str, base: Path, fence: str) -> str:
    """Markdown as a Material site renders it, snippets reading from the checkout and its ``.git``."""
    return markdown.markdown(source, extensions=["toc", "tables", fence, "attr_list", "md_in_html",
                                                 "pymdownx.snippets", "pymdownx.highlight"],
                             extension_configs={"pymdownx.snippets": {"base_path": [str(base), str(base / ".git")]}})


@pytest.mark.parametrize("snippet", SNIPPETS)
def test_each_snippet_form_reads_the_file_when_left_alone(snippet: str, snippet_base: Path) -> None:
    """The control: each form of the corpus is live syntax, so the next test can fail."""
    assert SENTINELS[0] in _render(f"Text\n\n{snippet}\n", snippet_base, "fenced_code")


@pytest.mark.parametrize("fence", FENCES)
@pytest.mark.parametrize("wrapper", WRAPPERS)
@pytest.mark.parametrize("payload", [*SNIPPETS, ";" + SNIPPETS[0], *TEMPLATES, "\n".join((*SNIPPETS, *TEMPLATES))])
def test_repository_text_is_inert_on_every_path(payload: str, wrapper: str, fence: str, snippet_base: Path) -> None:
    to_markdown, after = WRAPPERS[wrapper]
    source = to_markdown(f"Title\n\n{payload}\n\nend\n")
    html = after(_render(source, snippet_base, fence))
    assert not any(sentinel in html for sentinel in SENTINELS), html
    assert not INJECTED_ATTRIBUTE.search(html), html
    # mkdocs-macros renders a page as a Jinja template before Markdown: nothing of it may be a tag.
    assert "ghp_" not in jinja2.Environment(loader=jinja2.DictLoader({"config": "ghp_x"})).from_string(
        source).render(config="ghp_config")
    assert "8<" in html.replace("\u2060", "").replace("&lt;", "<") or "8<" not in payload  # shown, not eaten


def test_code_blocks_show_the_text_exactly_bar_invisible_joiners() -> None:
    text = 'title = {x}\n--8<-- "config"\n{{ y }}\n`````'
    block = code_block(text, "bibtex")
    assert block.startswith("``````bibtex\n") and block.endswith("\n``````\n")  # longer than any run inside
    assert block.replace("\u2060", "") == f"``````bibtex\n{text}\n``````\n"
    assert code_block("make test\n\npytest", "bash", 4) == "        make test\n\n        pytest\n"


def test_imported_front_matter_keeps_what_a_page_needs_escaped_and_drops_the_rest() -> None:
    findings: list[Finding] = []
    page = imported_page_text("docs/front.md", FRONT_MATTER.encode("utf-8"), findings)
    assert page is not None
    body, meta = get_data(page)
    assert meta == {
        "title": "Front &lt;b&gt;matter&lt;/b&gt; &amp; &#34;quotes&#34; &amp;lt;kept&amp;gt;",
        "description": "&#34;&gt;&lt;img src=x onerror=&#34;window.__pwned=42&#34;&gt;",
        "tags": ["&lt;img src=x onerror=&#34;window.__pwned=43&#34;&gt;", "plain"],
    }
    assert body.startswith("# Front matter page")
    dropped = {re.search(r"key '(\w+)'", finding.message).group(1) for finding in findings}  # type: ignore[union-attr]
    assert dropped == {"status", "subtitle", "icon", "template", "hide", "search"}
    assert all(finding.where == "docs/front.md:2" for finding in findings)


def test_metadata_lines_without_front_matter_are_not_metadata() -> None:
    """MkDocs reads ``key: value`` lines at the top of a page as metadata (MultiMarkdown style)."""
    page = imported_page_text("docs/meta.md", MULTIMARKDOWN_META.encode("utf-8"), [])
    assert page is not None
    body, meta = get_data(page)
    assert meta == {} and "autofocus" in body  # shown as the page's text, which is sanitised when rendered


@pytest.mark.parametrize("text", ["---\n: [\n---\n# x\n", "---\n- a list\n---\n# x\n",
                                  "---\n!!python/object:os.system x\n---\n", "---\nhide: [{a: 1}]\n---\n",
                                  "---\ntitle: 2024\n---\n", "---\ntags: [[a]]\n---\n",
                                  "---\ntags: " + "[" * 5000 + "]" * 5000 + "\n---\n",  # RecursionError in PyYAML
                                  "---\ntitle: " + "9" * 5000 + "\n---\n"])  # past Python's int-string limit
def test_broken_front_matter_is_a_finding_not_a_stop(text: str) -> None:
    findings: list[Finding] = []
    page = imported_page_text("docs/x.md", text.encode("utf-8"), findings)
    assert page is not None and get_data(page)[1] == {} and len(findings) == 1


def test_only_files_that_cannot_script_are_published() -> None:
    findings: list[Finding] = []
    files = {**{path: b"x" for path in ACTIVE_FILES}, "docs/a.js": b"", "docs/b.css": b"", "docs/c.XML": b"",
             "docs/.htaccess": b"", "docs/pixel.png": b"", "docs/paper.pdf": b"", "LICENSE": b"", "docs/x.md": b"",
             LONG_NAME: b"",
             "docs/" + "é" * (MAX_NAME_BYTES // 2 - 2) + ".png": b""}  # 200 bytes in UTF-8: kept
    kept = publishable(files, findings)
    assert sorted(kept) == ["LICENSE", "docs/paper.pdf", "docs/pixel.png", "docs/x.md",
                            "docs/" + "é" * (MAX_NAME_BYTES // 2 - 2) + ".png"]
    assert {finding.where for finding in findings} >= set(ACTIVE_FILES)
    assert len(findings) == len(files) - len(kept)


# The hostile site, page kind by page kind.

#: Page → text that reaches it from the repository in a code block or an imported page.
CARRIERS = {
    "onboarding/index.html": 'pytest &lt;img src=x',  # a workflow's run: line, a test command
    "learn/index.html": "config:1:20",  # CITATION.cff's multi-line title
    "learn/papers/arxiv-2307.09288/index.html": "Evil paper",  # the README's BibTeX entry
    "model/index.html": "include",  # the README, imported
    "model/docs/guide/index.html": "include",  # a page of the imported folder
    "reference/evilpkg/index.html": "Package.",  # a docstring, rendered by mkdocstrings
}


@pytest.mark.parametrize("page", CARRIERS)
def test_every_page_kind_shows_the_payloads_as_text(hostile_site: Path, page: str) -> None:
    html = (hostile_site / page).read_text(encoding="utf-8")
    assert CARRIERS[page] in html  # the payload did reach this page…
    text = html.replace("\u2060", "")
    assert '8&lt;- "config"' in text or "8&lt;-" in text  # …its snippet lines shown as text…
    assert not any(sentinel in html for sentinel in SENTINELS)  # …and read nothing
    assert not INJECTED_ATTRIBUTE.search(html)


def test_no_sentinel_in_the_search_index_or_the_tags(hostile_site: Path) -> None:
    for name in ("search/search_index.json", "tags.json"):
        text = (hostile_site / name).read_text(encoding="utf-8")
        assert not any(sentinel in text for sentinel in SENTINELS), name
        assert "<img" not in text, name  # a stranger's tag is text (&lt;img), not markup Material would draw


def test_front_matter_and_titles_reach_the_theme_escaped_once(hostile_site: Path) -> None:
    front = (hostile_site / "model/docs/front/index.html").read_text(encoding="utf-8")
    shown = "Front &lt;b&gt;matter&lt;/b&gt; &amp; &#34;quotes&#34; &amp;lt;kept&amp;gt;"
    assert f"<title>{shown} - Hostile</title>" in front  # the title as written: &lt;kept&gt; was typed so
    assert "md-status" not in front and "autofocus" not in front and "onfocus" not in front
    person = next((hostile_site / "contributors").glob("script-document*/index.html")).read_text(encoding="utf-8")
    assert "<title>&lt;script&gt;document.title=&#34;PWNED&#34;&lt;/script&gt; - Hostile</title>" in person
    for page in hostile_site.rglob("*.html"):
        assert "&amp;lt;script" not in page.read_text(encoding="utf-8"), page  # no title escaped twice


def test_files_that_could_script_are_not_published_and_long_names_do_not_stop_the_build(hostile_site: Path) -> None:
    model = hostile_site / "model"
    for path in ACTIVE_FILES:
        assert not (model / path).exists(), path
    assert (model / "docs" / "pixel.png").is_file()
    assert not [path for path in hostile_site.rglob("*") if len(path.name) > MAX_NAME_BYTES]
    assert not [path for path in hostile_site.rglob("*") if path.suffix in (".xhtml", ".htm")]


def test_no_generated_page_holds_live_snippet_or_template_syntax(hostile_site: Path, tmp_path: Path) -> None:
    """Every page kind, every template: the Markdown ``almanac write`` hands any generator, from the
    hostile repository, has no line pymdownx.snippets would read and nothing mkdocs-macros would run."""
    from pymdownx.snippets import SnippetPreprocessor

    from generator.cli.commands import main

    assert main(["write", "--repo", str(hostile_site.parent / "repo"), "--api-reference", str(tmp_path / "out")]) == 0
    pages = sorted((tmp_path / "out").rglob("*.md"))
    assert {"onboarding.md", "discussions.md", "index.md", "card.md"} <= {page.name for page in pages}
    for page in pages:
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), start=1):
            place = f"{page.relative_to(tmp_path)}:{number}: {line[:80]}"
            assert not SnippetPreprocessor.RE_ALL_SNIPPETS.match(line), place
            assert not SnippetPreprocessor.RE_SNIPPET_SECTION.match(line), place
            assert not re.search(r"\{[{%#]", line), place
