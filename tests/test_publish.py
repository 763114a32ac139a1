"""Publishing: the shipped CI workflows are valid, and `almanac write`'s tree builds with mkdocs-material
and with Zensical (Material's successor), so a site can move between them."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.cli.commands import main
from tests.test_site import model_repo

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("path", "schema"), [("examples/github-actions/almanac.yml", "vendor.github-workflows"),
                                              ("examples/gitlab-ci/almanac.gitlab-ci.yml", "vendor.gitlab-ci")])
def test_workflows_validate_against_their_ci_schemas(path: str, schema: str) -> None:
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(ROOT / path)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    text = (ROOT / path).read_text(encoding="utf-8")
    assert "almanac check" in text and "almanac build" in text and ("fetch-depth: 0" in text or "GIT_DEPTH: 0" in text)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("written")
    repo = model_repo(folder / "repo")
    assert main(["write", str(folder / "docs"), "--repo", str(repo.path)]) == 0
    nav = yaml.safe_load((folder / "docs" / "mkdocs.nav.yml").read_text(encoding="utf-8"))["nav"]
    config = {"site_name": "Written", "docs_dir": "docs", "theme": {"name": "material"}, "nav": nav,
              "markdown_extensions": ["admonition", "pymdownx.details", "attr_list", "tables"]}
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return folder


def test_written_tree_builds_with_mkdocs_material(written: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f",
                             str(written / "mkdocs.yml"), "-d", str(written / "site-mkdocs")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert (written / "site-mkdocs" / "releases" / "v0.2.0" / "index.html").is_file()


def test_written_tree_builds_with_zensical(written: Path) -> None:
    zensical = shutil.which("zensical", path=str(Path(sys.executable).parent))
    if zensical is None:
        pytest.skip("ZENSICAL BUILD NOT RUN: zensical is not installed (a test extra)")
    result = subprocess.run([zensical, "build", "-f", str(written / "mkdocs.yml")], capture_output=True, text=True,
                            check=False, cwd=written)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    site = written / "site"
    assert (site / "index.html").is_file() and (site / "releases" / "v0.2.0" / "index.html").is_file()
    assert "Tiny-LM" in (site / "index.html").read_text(encoding="utf-8")


def test_an_existing_site_takes_two_capabilities_under_its_own_nav(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import site_plugins.almanac.plugin

    walks: list[object] = []
    real_build = site_plugins.almanac.plugin.build_repository
    monkeypatch.setattr(site_plugins.almanac.plugin, "build_repository",
                        lambda *args, **kwargs: walks.append(args) or real_build(*args, **kwargs))
    repo = model_repo(tmp_path / "repo")
    repo.write("mkdocs.yml", "site_name: My Model Docs\ndocs_dir: docs\ntheme:\n  name: material\n"
                             "nav:\n  - Home: index.md\n  - Guide: guide.md\n"
                             "plugins:\n  - search\n  - almanac/releases:\n      nav_section: Project\n"
                             "  - almanac/contributors:\n      nav_section: Project\n")
    pages = {"docs/index.md": "# My model\n\nHand-written home.\n", "docs/guide.md": "# Guide\n\nHow to use it.\n"}
    repo.commit("Docs", dict(pages))
    site = tmp_path / "site"
    assert main(["build", "--repo", str(repo.path), "--site-dir", str(site), "--strict", "--trust-repo-config"]) == 0
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Hand-written home." in home and "How to use it." in (site / "guide" / "index.html").read_text("utf-8")
    assert (site / "releases" / "index.html").is_file() and (site / "contributors" / "health" / "index.html").is_file()
    for absent in ("licence", "learn", "card", "overview", "onboarding"):
        assert not (site / absent).exists(), absent
    nav = re.findall(r'class="md-nav__link[^"]*"[^>]*>\s*<span class="md-ellipsis">\s*([^<]+?)\s*</span>', home)
    assert nav[:2] == ["Home", "Guide"] and {"Releases", "Contributors", "Community health"} <= set(nav)
    assert "Project" in home
    assert len(walks) == 1  # two plugins, one history walk
    assert not site_plugins.almanac.plugin._SHARED  # a build lets its walk go before MkDocs renders the pages


def test_plugin_can_stay_off_for_serve() -> None:
    from site_plugins.almanac.plugin import AlmanacPlugin

    plugin = AlmanacPlugin()
    plugin.load_config({"enabled_on_serve": False})
    plugin.on_startup(command="serve", dirty=False)
    assert not plugin._active
    plugin.on_startup(command="build", dirty=False)
    assert plugin._active
