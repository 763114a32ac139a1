"""Almanac added to a site that already has an API reference or an authorship plugin (issue 20, item 10).

The other plugins are stand-ins registered for the test under their real names, doing to the page context
what they do (mkdocs-git-committers-plugin-2 empties ``committers`` on every page even when disabled).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin

from generator.cli.commands import main
from tests.gitrepo import Repo

PACKAGE = '"""Tiny package."""\n\n\ndef add(a: int, b: int) -> int:\n    """Add two numbers."""\n    return a + b\n'


class GitCommitters(BasePlugin):  # type: ignore[type-arg]
    config_scheme = (("enabled", c.Type(bool, default=True)),)

    def on_page_context(self, context: Any, page: Any, config: Any, nav: Any) -> Any:
        context["committers"] = []  # as the real plugin does, before it looks at `enabled`
        if self.config["enabled"]:
            context["committers"] = [{"name": "From Committers", "login": "fromcommitters", "url": "#",
                                      "avatar": "x.png"}]
        return context


class GitAuthors(BasePlugin):  # type: ignore[type-arg]
    config_scheme = (("enabled", c.Type(bool, default=True)),)


class GenFiles(BasePlugin):  # type: ignore[type-arg]
    pass


class Installed:
    """What MkDocs finds in the ``mkdocs.plugins`` entry points: something with ``load()``."""

    def __init__(self, plugin: type) -> None:
        self.plugin = plugin

    def load(self) -> type:
        return self.plugin


@pytest.fixture(autouse=True)
def stand_ins(monkeypatch: pytest.MonkeyPatch) -> None:
    installed = dict(MkDocsConfig._schema)["plugins"].installed_plugins  # type: ignore[attr-defined]
    for name, plugin in (("git-committers", GitCommitters), ("git-authors", GitAuthors), ("gen-files", GenFiles)):
        monkeypatch.setitem(installed, name, Installed(plugin))


def site_repo(path: Path, plugins: str, pages: dict[str, str] | None = None) -> Repo:
    repo = Repo(path)
    repo.commit("Package and docs", {
        "README.md": "# Tiny\n", "tinypkg/__init__.py": PACKAGE,
        "mkdocs.yml": f"site_name: Tiny\ntheme:\n  name: material\nplugins:\n{plugins}",
        "docs/index.md": "# Home\n\nSee [add][tinypkg.add].\n", **(pages or {}),
    }, author="Alice Example <alice@example.com>")
    return repo


def build(repo: Repo, site: Path, *extra: str) -> int:
    return main(["build", "--repo", str(repo.path), "--site-dir", str(site), "--trust-repo-config", *extra])


@pytest.mark.parametrize(("plugins", "pages", "reason"), [
    ("  - search\n  - mkdocstrings\n", {"docs/api.md": "# API\n\n::: tinypkg\n"}, "::: in api.md"),
    ("  - search\n  - gen-files\n  - mkdocstrings\n", {"docs/api.md": "# API\n\n::: tinypkg\n"},
     "the gen-files plugin"),
])
def test_a_site_with_its_own_api_reference_keeps_it_alone_and_builds_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], plugins: str, pages: dict[str, str], reason: str
) -> None:
    repo = site_repo(tmp_path / "repo", plugins, pages)
    site = tmp_path / "site"
    assert build(repo, site, "--strict") == 0, capsys.readouterr().err
    err = capsys.readouterr().err
    assert "Multiple primary URLs" not in err
    assert f"the site has its own API reference ({reason}): Almanac adds none" in err
    assert not (site / "reference").exists()
    assert 'href="../api/#tinypkg.add"' in (site / "index.html").read_text(encoding="utf-8") or \
        'href="api/#tinypkg.add"' in (site / "index.html").read_text(encoding="utf-8")


def test_a_reference_of_other_code_is_no_reason_to_skip(tmp_path: Path) -> None:
    """Almanac's own site documents Almanac (``::: generator…``) beside the demo's package: both stay."""
    repo = site_repo(tmp_path / "repo", "  - search\n  - mkdocstrings\n", {
        "docs/api.md": "# API\n\n::: helper\n", "helper.py": '"""Helper."""\n',
        "docs/code.md": "# Code\n\n```\n  ::: tinypkg\n```\n"})  # indented: an example, not a directive
    assert build(repo, tmp_path / "site", "--strict") == 0
    assert (tmp_path / "site" / "reference" / "tinypkg" / "index.html").is_file()


@pytest.mark.parametrize(("option", "own", "added"), [
    ("", False, True),  # mkdocstrings and no reference of the site's own: Almanac's
    ("  - almanac:\n      api_reference: true\n", True, True),
    ("  - almanac:\n      api_reference: false\n", False, False),
])
def test_api_reference_option_decides_over_the_detection(tmp_path: Path, option: str, own: bool, added: bool) -> None:
    pages = {"docs/index.md": "# Home\n"}  # no cross-reference: two pages of one object then build strict
    if own:
        pages["docs/api.md"] = "# API\n\n::: tinypkg\n"
    repo = site_repo(tmp_path / "repo", f"  - search\n  - mkdocstrings\n{option}", pages)
    assert build(repo, tmp_path / "site", "--strict") == 0
    assert (tmp_path / "site" / "reference" / "tinypkg" / "index.html").is_file() is added


ALMANAC_AUTHOR = 'title="@Alice Example"'


@pytest.mark.parametrize(("plugins", "footer", "line"), [
    # Listed after Almanac and disabled (the case): it empties the authors, Almanac's must stay.
    ("  - search\n  - almanac\n  - git-committers:\n      enabled: false\n", ALMANAC_AUTHOR,
     "the git-committers plugin is disabled: page authors come from Almanac"),
    ("  - search\n  - git-committers\n  - almanac\n", 'title="@fromcommitters"',
     "page authors come from the git-committers plugin; Almanac adds only the dates"),
    ("  - search\n  - git-authors\n", None, "page authors come from the git-authors plugin"),
])
def test_other_authorship_plugins_are_deferred_to_or_overruled_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], plugins: str, footer: str | None, line: str
) -> None:
    repo = site_repo(tmp_path / "repo", plugins)
    site = tmp_path / "site"
    assert build(repo, site) == 0
    assert capsys.readouterr().err.count(line) == 1
    home = (site / "index.html").read_text(encoding="utf-8")
    if footer is not None:
        assert footer in home
    if footer != ALMANAC_AUTHOR:
        assert ALMANAC_AUTHOR not in home  # never two lists of authors in one footer
