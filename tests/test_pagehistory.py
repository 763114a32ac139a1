"""Per-page authorship: dates and contributors of documentation pages, from the one history walk."""

from __future__ import annotations

from pathlib import Path

from generator.analysis.history.pagehistory import page_history
from generator.build import BuildOptions, build_knowledge
from generator.model.knowledge import Knowledge
from tests.gitrepo import BASE_TIME, Repo
from tests.test_site import HOSTILE_NAME, build

GUIDE = "# Guide\n\n" + "".join(f"Step {n}: do the thing number {n}.\n" for n in range(20))


def history_of(knowledge: Knowledge, path: str):  # type: ignore[no-untyped-def]
    return page_history(path, knowledge.page_commits, knowledge.page_renames, knowledge.rows)


def names(knowledge: Knowledge, keys: list[str]) -> list[str]:
    return [knowledge.people[key].name for key in keys]


def docs_repo(path: Path) -> Repo:
    repo = Repo(path)
    repo.commit("Add .mailmap", {".mailmap": "Alice <alice@example.com> <alice@old.example>\n"})
    repo.commit("Start a guide", {"docs/old-name.md": GUIDE}, author="Alice <alice@old.example>")  # day 2
    repo.git("mv", "docs/old-name.md", "docs/guide.md")
    repo.commit("Rename the guide and add a step\n\nCo-authored-by: 李娜 <lina@example.com>",
                {"docs/guide.md": GUIDE + "Step 20: rest.\n"}, author="Bob <bob@example.com>")  # day 3
    repo.commit("Unrelated", {"src.py": "x = 1\n"}, author="Bob <bob@example.com>")
    repo.commit("Polish the guide", {"docs/guide.md": GUIDE + "Step 20: rest well.\n"},
                author="Alice <alice@example.com>")  # day 5
    return repo


def test_history_follows_renames_mailmap_and_co_authors(tmp_path: Path) -> None:
    knowledge = build_knowledge(BuildOptions(repo=docs_repo(tmp_path / "repo").path, use_cache=False))
    guide = history_of(knowledge, "docs/guide.md")
    assert guide is not None
    assert (guide.created, guide.updated, guide.commits) == (BASE_TIME + 2 * 86_400, BASE_TIME + 5 * 86_400, 3)
    assert names(knowledge, guide.contributors)[0] == "Alice"  # twice, under two addresses
    assert sorted(names(knowledge, guide.contributors)) == ["Alice", "Bob", "李娜"]
    old = history_of(knowledge, "docs/old-name.md")
    assert old is not None and old.commits == 1 and names(knowledge, old.contributors) == ["Alice"]
    assert history_of(knowledge, "docs/never.md") is None


def test_incremental_build_keeps_page_history_exact(tmp_path: Path) -> None:
    repo = docs_repo(tmp_path / "repo")
    cached = BuildOptions(repo=repo.path, cache_dir=tmp_path / "cache")
    build_knowledge(cached)
    repo.commit("Carol's fix", {"docs/guide.md": GUIDE + "Step 20: rest very well.\n"},
                author="Carol <c@example.com>")
    warm, cold = build_knowledge(cached), build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    assert history_of(warm, "docs/guide.md") == history_of(cold, "docs/guide.md")
    contributors = names(warm, history_of(warm, "docs/guide.md").contributors)
    assert contributors[:2] == ["Alice", "Carol"] and sorted(contributors[2:]) == ["Bob", "李娜"]  # then recency


def test_site_pages_get_dates_and_contributors_in_the_theme_footer(tmp_path: Path) -> None:
    repo = docs_repo(tmp_path / "repo")
    repo.write("mkdocs.yml", "site_name: Guide\ndocs_dir: docs\ntheme:\n  name: material\nplugins:\n  - search\n")
    repo.commit("Hostile edit", {"docs/guide.md": GUIDE + "Step 20: rest.\n"},
                author=f"{HOSTILE_NAME} <evil@example.com>")
    site = tmp_path / "site"
    assert build(repo.path, site, "--trust-repo-config") == 0
    page = (site / "guide" / "index.html").read_text(encoding="utf-8")
    footer = page[page.index('<aside class="md-source-file">'):]
    footer = footer[: footer.index("</aside>")]
    assert "2023-11-20" in footer and "2023-11-16" in footer  # updated (day 6), created (day 2)
    assert 'href="../contributors/alice/"' in footer and 'alt="李娜"' in footer
    assert "<img src=x" not in footer and 'alt="img src=x onerror=&#34;alert(1)"' in footer  # quotes escaped
    assert "@example.com" not in page
    release_index = (site / "releases" / "index.html").read_text(encoding="utf-8")
    assert '<aside class="md-source-file">' in release_index  # generated pages: the date of their data


def test_authorship_alone_adds_no_pages(tmp_path: Path) -> None:
    """`pages: false`: an existing site keeps exactly its own pages, each with its footer."""
    repo = docs_repo(tmp_path / "repo")
    repo.write("mkdocs.yml", "site_name: Guide\ndocs_dir: docs\ntheme:\n  name: material\n"
                             "plugins:\n  - almanac:\n      pages: false\n")
    site = tmp_path / "site"
    assert build(repo.path, site, "--trust-repo-config") == 0
    assert not (site / "contributors").exists() and not (site / "releases").exists()
    footer = (site / "guide" / "index.html").read_text(encoding="utf-8").split('<aside class="md-source-file">')[1]
    assert 'title="@Alice"' in footer and 'href=""' in footer  # no person page to link to, no GitHub account


def test_prefix_places_generated_pages_and_footer_links_under_it(tmp_path: Path) -> None:
    repo = docs_repo(tmp_path / "repo")
    repo.write("mkdocs.yml", "site_name: Guide\ndocs_dir: docs\ntheme:\n  name: material\n"
                             "plugins:\n  - almanac:\n      prefix: project/\n")
    repo.write("docs/project/releases/highlights/unreleased.md", "Not a release.\n")
    site = tmp_path / "site"
    assert build(repo.path, site, "--trust-repo-config") == 0
    assert (site / "project" / "contributors" / "alice" / "index.html").is_file()
    assert not (site / "contributors").exists()
    assert not (site / "project" / "releases" / "highlights").exists()  # highlights merge, under the prefix too
    footer = (site / "guide" / "index.html").read_text(encoding="utf-8").split('<aside class="md-source-file">')[1]
    assert 'href="../project/contributors/alice/"' in footer
