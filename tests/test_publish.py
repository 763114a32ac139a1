"""Publishing: the shipped CI workflows are valid, and `almanac write`'s tree builds with mkdocs-material
and with Zensical (Material's successor), so a site can move between them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.cli import main
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
