"""Forge links on the generated pages: with a GitHub, GitLab or Hub ``origin``, pull requests, commits,
release compares and people link to the forge; without one, or with an unknown host, nothing does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.build import BuildOptions, build_knowledge
from generator.render.pages import render_pages
from generator.sources.forges.links import ForgeLinks, profile_url, source_links, source_profile
from tests.test_site import model_repo

FORGE_LINK = re.compile(r"\]\((https://(?:github\.com|gitlab\.com|huggingface\.co)/[^)]*)\)")


def _pages(tmp_path: Path, origin: str | None) -> dict[str, str]:
    repo = model_repo(tmp_path / "repo")
    repo.commit("Fix tokenizer padding (#7)", {"tok.py": "x = 3\n"}, author="Alice <alice@example.com>")
    if origin is not None:
        repo.git("remote", "add", "origin", origin)
    return render_pages(build_knowledge(BuildOptions(repo=repo.path, use_cache=False)))


def test_a_github_origin_links_pull_requests_commits_compares_and_people(tmp_path: Path) -> None:
    pages = _pages(tmp_path, "git@github.com:tiny-org/tiny-lm.git")
    base = "https://github.com/tiny-org/tiny-lm"
    release = pages["releases/v0.1.0.md"]
    assert f"[#3]({base}/pull/3)" in release
    sha = re.search(rf"\[`([0-9a-f]{{8}})`\]\({base}/commit/([0-9a-f]{{40}})\)", release)
    assert sha is not None and sha.group(2).startswith(sha.group(1))
    assert f"[Full changelog]({base}/commits/v0.1.0)" in release
    assert f"[Full changelog]({base}/compare/v0.1.0...v0.2.0)" in pages["releases/v0.2.0.md"]
    index = pages["releases/index.md"]
    assert f"[Compare on the forge]({base}/compare/v0.2.0...HEAD)" in index
    assert "- [#7](https://github.com/tiny-org/tiny-lm/pull/7) Fix tokenizer padding" in pages["contributors/alice.md"]
    assert re.search(rf"\(\[`[0-9a-f]{{8}}`\]\({base}/commit/[0-9a-f]{{40}}\)\)", pages["contributors/alice.md"])
    assert "<small>[@weizhang](https://github.com/weizhang)</small>" in pages["contributors/index.md"]
    # every forge address on every page is the checked base plus a fixed path: nothing else slips in
    for text in pages.values():
        for url in FORGE_LINK.findall(text):
            assert url.startswith((f"{base}/", "https://github.com/weizhang")), url


@pytest.mark.parametrize(("origin", "pull", "commit"), [
    ("https://gitlab.com/tiny/models/tiny-lm.git", "https://gitlab.com/tiny/models/tiny-lm/-/merge_requests/3",
     "https://gitlab.com/tiny/models/tiny-lm/-/commit/"),
    ("https://huggingface.co/tiny-org/tiny-lm", "https://huggingface.co/tiny-org/tiny-lm/discussions/3",
     "https://huggingface.co/tiny-org/tiny-lm/commit/"),
])
def test_gitlab_and_hub_origins_use_their_own_layout(tmp_path: Path, origin: str, pull: str, commit: str) -> None:
    release = _pages(tmp_path, origin)["releases/v0.1.0.md"]
    assert f"[#3]({pull})" in release and f"]({commit}" in release


@pytest.mark.parametrize("origin", [None, "https://git.example.org/tiny/tiny-lm.git", "/srv/git/tiny-lm.git",
                                    "https://github.com/tiny/tiny-lm/extra/segment"])
def test_no_origin_or_an_unknown_host_gives_no_link_and_no_error(tmp_path: Path, origin: str | None) -> None:
    pages = _pages(tmp_path, origin)
    assert "(#3)" in pages["releases/v0.1.0.md"] and "Full changelog" not in pages["releases/v0.1.0.md"]
    # a login from a GitHub noreply address is GitHub's whatever the origin is: the only forge link left
    assert not [url for text in pages.values() for url in FORGE_LINK.findall(text)
                if not url.startswith("https://github.com/weizhang")]


def test_forge_links_are_built_only_from_checked_parts() -> None:
    assert ForgeLinks.of(None) is None and ForgeLinks.of("") is None
    assert ForgeLinks.of("javascript:alert(1)") is None
    assert ForgeLinks.of("http://github.com/a/b.git") == ForgeLinks("https://github.com/a/b")  # always https out
    assert ForgeLinks.of("http://git.example.org/a/b") is None  # a self-hosted forge only over https
    assert ForgeLinks.of("https://github.com/a/b)](x") is None
    assert ForgeLinks.of("https://token@github.com/a/b.git") == ForgeLinks("https://github.com/a/b")
    links = ForgeLinks("https://github.com/a/b")
    assert links.commit("abc123") == "https://github.com/a/b/commit/abc123"
    assert links.commit("](javascript:x)") == ""
    assert links.compare("v1 [x](y)", "v2") == "https://github.com/a/b/compare/v1%20%5Bx%5D%28y%29...v2"
    assert profile_url("ok-login") == "https://github.com/ok-login"
    assert profile_url("no](t") is None and profile_url("dependabot[bot]") is None
    assert source_links("github:a/b") == ForgeLinks("https://github.com/a/b")
    assert source_links("hub:org/name") == ForgeLinks("https://huggingface.co/org/name")
    assert source_links("files") is None and source_links("github:a/b)(x") is None
    assert source_profile("julien-c", "hub:org/name") == "https://huggingface.co/julien-c"
    assert ForgeLinks("https://gitlab.com/g/p").edit_uri("main", "docs/") == "-/edit/main/docs/"
    assert ForgeLinks("https://github.com/a/b").edit_uri("release/1.x", "") == "edit/release/1.x/"
    assert ForgeLinks("https://github.com/a/b").edit_uri(None, "docs/") is None


def _site(tmp_path: Path, extra_config: str = "") -> tuple[Path, dict[str, str]]:
    from tests.test_site import build

    repo = model_repo(tmp_path / "repo")
    repo.commit("Add docs", {"mkdocs.yml": f"site_name: Tiny\n{extra_config}plugins:\n  - almanac\n",
                             "docs/index.md": "# Tiny\n\nHand-written.\n"})
    repo.git("remote", "add", "origin", "https://github.com/tiny-org/tiny-lm.git")
    site = tmp_path / "site"
    assert build(repo.path, site, "-f", str(repo.path / "mkdocs.yml")) == 0
    return site, {str(p.relative_to(site)): p.read_text("utf-8") for p in site.rglob("*.html")}


def test_the_site_header_links_the_repository_and_hand_written_pages_link_their_source(tmp_path: Path) -> None:
    site, html = _site(tmp_path)
    # (MkDocs' own theme shows the edit link instead of the repository link when a page has one; Material both)
    assert 'href="https://github.com/tiny-org/tiny-lm/edit/main/docs/index.md"' in html["index.html"]
    release = html["releases/v0.1.0/index.html"]
    assert 'href="https://github.com/tiny-org/tiny-lm"' in release
    assert "/edit/" not in release  # a generated page has no source file to edit
    # every page names both feeds in its head, relative to itself without a site_url
    assert '<link rel="alternate" type="application/atom+xml" title="Releases (Atom)" href="../../feed.xml">' in release
    assert 'type="application/feed+json" title="Releases (JSON Feed)" href="feed.json">' in html["index.html"]
    assert (site / "feed.xml").is_file() and (site / "feed.json").is_file()
    assert 'href="../feed.xml"' in html["releases/index.html"]  # and the releases index shows them


def test_a_site_s_own_repo_url_is_kept_and_feeds_are_absolute_with_a_site_url(tmp_path: Path) -> None:
    _, html = _site(tmp_path, "site_url: https://tiny.example/docs/\nrepo_url: https://git.example.org/tiny\n")
    assert 'href="https://git.example.org/tiny"' in html["releases/index.html"]
    assert "github.com/tiny-org/tiny-lm/edit" not in html["index.html"]
    assert 'title="Releases (Atom)" href="https://tiny.example/docs/feed.xml">' in html["releases/v0.1.0/index.html"]
