"""What an end-to-end audit of the merged fixes found still open: each test builds the hostile input for
real (git repositories, committed links, real weights headers) and runs the ``almanac`` command on it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator.cli.commands import main
from tests.gitrepo import Repo


def small_repo(path: Path) -> Repo:
    repo = Repo(path)
    repo.commit("Add model card", {"README.md": "# Tiny\n\nA tiny model.\n", "LICENSE": "MIT License\n"})
    return repo


@pytest.mark.parametrize("command", ["build", "write"])
def test_force_does_not_reach_through_a_link_the_repository_commits(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command: str) -> None:
    """A clone that commits ``site -> ../victim``: ``almanac build --force`` in it (the default site
    folder, as a CI script runs it) must not delete the folder the link points to, outside the clone."""
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "thesis.tex").write_text("years of work", encoding="utf-8")
    repo = small_repo(tmp_path / "clone")
    (repo.path / "site").symlink_to("../victim")
    repo.commit("A site folder", {})
    monkeypatch.chdir(repo.path)
    args = ["build", "--repo", "."] if command == "build" else ["write", "site", "--repo", "."]
    assert main([*args, "--force"]) == 2
    err = capsys.readouterr().err
    last = err.strip().splitlines()[-1]  # `write` reports its findings first
    assert "symbolic link" in last and "even with --force" in last and "Traceback" not in err
    assert (victim / "thesis.tex").read_text(encoding="utf-8") == "years of work"
    assert sorted(p.name for p in victim.iterdir()) == ["thesis.tex"]


def test_force_still_replaces_an_almanac_folder_behind_a_committed_link(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The link rule takes away only --force's reach: a folder Almanac made is replaced as before."""
    repo = small_repo(tmp_path / "clone")
    assert main(["write", str(tmp_path / "out"), "--repo", str(repo.path)]) == 0
    (repo.path / "site").symlink_to("../out")
    monkeypatch.chdir(repo.path)
    assert main(["write", "site", "--repo", ".", "--force"]) == 0
    assert (tmp_path / "out" / "index.md").is_file()


@pytest.mark.parametrize("command", [["check"], ["card", "--format", "json"], ["build", "--site-dir", "SITE"]])
def test_a_shard_index_stating_a_huge_total_size_is_no_crash(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    """``metadata.total_size`` of 4 000 digits is a valid JSON integer but no float: shown as a bound."""
    repo = Repo(tmp_path / "repo")
    index = {"metadata": {"total_size": int("9" * 4000)}, "weight_map": {"w": "model-00001-of-00001.safetensors"}}
    repo.commit("Weights", {"README.md": "# M\n", "config.json": json.dumps({"model_type": "llama"}),
                            "model.safetensors.index.json": json.dumps(index)})
    repo.tag("v1.0.0", "First")
    index["metadata"]["total_size"] = int("8" * 400)  # a release's model changes show it too
    repo.commit("Weights again", {"model.safetensors.index.json": json.dumps(index)})
    repo.tag("v1.1.0", "Second")
    args = [str(tmp_path / "site") if arg == "SITE" else arg for arg in command]
    assert main([*args, "--repo", str(repo.path)]) in (0, 1)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "OverflowError" not in captured.err


def test_the_api_reference_reads_no_file_a_committed_link_points_to(tmp_path: Path) -> None:
    """griffe read the package from the work tree, following ``pkg/settings.py -> ../outside.py``: the
    docstrings and values of a file outside the repository were published. It reads git objects now."""
    from tests.security.test_no_code_runs import mkdocstrings_site

    outside = tmp_path / "outside.py"
    outside.write_text('"""Settings ghp_OUTSIDE_DOCSTRING."""\nTOKEN = "ghp_OUTSIDE_VALUE"\n"""The token."""\n\n'
                       'def helper() -> None:\n    """ghp_OUTSIDE_FUNCTION."""\n', encoding="utf-8")
    repo = Repo(tmp_path / "repo")
    repo.commit("Package", {"README.md": "# M\n", "pkg/__init__.py": '"""The package."""\n\n\ndef run() -> int:\n'
                            '    """Run it."""\n    return 1\n'})
    for name, target in (("settings.py", "../../outside.py"), ("absolute.py", str(outside)),
                         ("inside.py", "../README.md")):
        (repo.path / "pkg" / name).symlink_to(target)
    repo.commit("Links", {})
    repo.write("pkg/uncommitted.py", '"""ghp_UNCOMMITTED."""\n')  # never committed: not the repository's
    site = tmp_path / "site"
    assert main(["build", "-f", str(mkdocstrings_site(tmp_path / "src", repo.path)), "--site-dir", str(site)]) == 0
    page = (site / "reference" / "pkg" / "index.html").read_text(encoding="utf-8")
    assert "Run it." in page  # the package's own docstrings are there
    published = "".join(path.read_text(encoding="utf-8", errors="replace") for path in site.rglob("*")
                        if path.is_file() and path.suffix in (".html", ".json", ".inv", ".xml"))
    assert "ghp_OUTSIDE" not in published and "ghp_UNCOMMITTED" not in published


def test_an_imported_file_that_begins_like_html_is_not_published(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                                                  ) -> None:
    """A file without an extension (or ``.csv``, ``.cff``…) is served with a type guessed from its first
    bytes by servers that know no type for it (Go's ``http.ServeContent``: Caddy, Hugo's server; Apache
    sends none and the browser sniffs): ``<script>`` at its start makes it a page on the site's origin."""
    repo = Repo(tmp_path / "repo")
    html = "<!DOCTYPE html><script>window.__pwned = 1</script>\n"
    repo.commit("Docs", {"README.md": "# M\n", "LICENSE": "\ufeff \n<html><body onload=alert(1)>MIT</body></html>\n",
                         "docs/index.md": "# Docs\n", "docs/notes": html, "docs/table.csv": "\t <script>x</script>\n",
                         "docs/ok.txt": "Plain text with a <b> later.\n",
                         "docs/CITATION.cff": "<?xml version='1.0'?>\n"})
    (tmp_path / "src" / "docs").mkdir(parents=True)
    (tmp_path / "src" / "docs" / "home.md").write_text("# Home\n", encoding="utf-8")
    config = tmp_path / "src" / "mkdocs.yml"
    config.write_text(f"site_name: S\ndocs_dir: docs\nplugins:\n  - almanac:\n      repo: {repo.path}\n"
                      "      import_docs: docs\n", encoding="utf-8")
    site = tmp_path / "site"
    assert main(["build", "-f", str(config), "--site-dir", str(site)]) == 0
    published = {str(path.relative_to(site)) for path in site.rglob("*") if path.is_file()}
    assert "ok.txt" in published or any(name.endswith("/ok.txt") for name in published)
    for name in ("notes", "table.csv", "LICENSE", "CITATION.cff"):
        assert not any(path.split("/")[-1] == name for path in published), name
    err = capsys.readouterr().err
    assert "docs/notes" in err and "begins like HTML" in err


def test_force_never_replaces_the_folder_of_the_config_being_built(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """``almanac build -f site-src/mkdocs.yml --site-dir site-src --force`` deleted the config and its
    docs: ``mkdocs build`` refuses a site folder holding its docs, but Almanac builds into a sibling first."""
    repo = small_repo(tmp_path / "repo")
    source = tmp_path / "site-src"
    (source / "docs").mkdir(parents=True)
    (source / "docs" / "index.md").write_text("# My own page\n", encoding="utf-8")
    config = source / "mkdocs.yml"
    config.write_text(f"site_name: S\nplugins:\n  - almanac:\n      repo: {repo.path}\n", encoding="utf-8")
    for site in (source, tmp_path):
        assert main(["build", "-f", str(config), "--site-dir", str(site), "--force"]) == 2
        assert "even with --force" in capsys.readouterr().err
    assert config.is_file() and (source / "docs" / "index.md").is_file()


def test_mkdocs_macros_with_its_own_delimiters_renders_no_stranger_s_text(tmp_path: Path) -> None:
    """mkdocs-macros can be given other Jinja delimiters (``[[ ]]``, ``[% %]``): the joiner that breaks
    ``{{`` does not stop them, and a stranger's ``[[ config ]]`` (or a Jinja escape to ``os``) ran."""
    pytest.importorskip("mkdocs_macros")
    payload = "[[ config.site_name ~ '-RENDERED' ]] [% if true %]BLOCK-RENDERED[% endif %]"
    repo = Repo(tmp_path / "repo")
    repo.commit(f"{payload} (#1)", {"README.md": f"# M\n\n{payload}\n", "docs/guide.md": f"# Guide\n\n{payload}\n",
                                    "CITATION.cff": f"cff-version: 1.2.0\nmessage: m\ntitle: \"{payload}\"\n"
                                                    "authors:\n  - name: A\n"})
    repo.tag("v1.0.0", payload)
    (tmp_path / "src" / "docs").mkdir(parents=True)
    (tmp_path / "src" / "docs" / "own.md").write_text("# Own\n\n[[ config.site_name ~ '-OWN' ]]\n", encoding="utf-8")
    config = tmp_path / "src" / "mkdocs.yml"
    config.write_text("site_name: Site\ndocs_dir: docs\nplugins:\n  - macros:\n      j2_variable_start_string: '[['\n"
                      "      j2_variable_end_string: ']]'\n      j2_block_start_string: '[%'\n"
                      f"      j2_block_end_string: '%]'\n  - almanac:\n      repo: {repo.path}\n"
                      "      import_docs: docs\n", encoding="utf-8")
    site = tmp_path / "site"
    assert main(["build", "-f", str(config), "--site-dir", str(site)]) == 0
    assert "Site-OWN" in (site / "own" / "index.html").read_text(encoding="utf-8")  # the site's own page: rendered
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        # Unrendered, the block's text keeps the ``%]`` before it (``]`` or an entity ending in ``;``).
        assert "Site-RENDERED" not in text and not re.search(r"[^\];]BLOCK-RENDERED", text), page


def test_a_package_that_does_not_parse_has_no_reference_page_and_stops_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """griffe raised on a stranger's ``__init__.py`` that does not parse: a traceback and exit code 1."""
    from tests.security.test_no_code_runs import mkdocstrings_site

    repo = Repo(tmp_path / "repo")
    repo.commit("Packages", {"README.md": "# M\n", "good/__init__.py": '"""The good package."""\n',
                             "bad/__init__.py": "def broken(:\n", "latin/__init__.py": b'"""caf\xe9"""\n'})
    site = tmp_path / "site"
    assert main(["build", "-f", str(mkdocstrings_site(tmp_path / "src", repo.path)), "--site-dir", str(site)]) == 0
    assert "The good package." in (site / "reference" / "good" / "index.html").read_text(encoding="utf-8")
    assert not (site / "reference" / "bad").exists() and not (site / "reference" / "latin").exists()
    err = capsys.readouterr().err
    assert "bad/__init__.py" in err and "Traceback" not in err
