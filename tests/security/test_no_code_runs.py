"""Building a stranger's repository runs none of its code.

Two ways in: mkdocstrings' Python handler (griffe imports a module it cannot read as source, so a
committed compiled extension's constructor would run), and the repository's own ``mkdocs.yml`` (hooks,
plugins and ``!!python/…`` tags are code). Every payload here writes a marker file when it runs; the
tests build real sites from real repositories and look for the marker.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
from pathlib import Path

import pytest

from generator.cli.commands import main
from tests.gitrepo import Repo

#: A C extension whose constructor runs when the library is loaded, before Python looks for PyInit_*.
CONSTRUCTOR = """#include <stdio.h>
__attribute__((constructor)) static void almanac_marker(void) {
    FILE *file = fopen(MARKER, "w");
    if (file) { fputs("native code ran\\n", file); fclose(file); }
}
"""


def compiled_extension(folder: Path, name: str, marker: Path) -> Path:
    """A real shared library named as the running interpreter would import it (``name.cpython-3XX-….so``)."""
    compiler = shutil.which("cc")
    if compiler is None:
        pytest.skip("no C compiler to build the extension")
    source = folder.parent / f"{name}.c"
    source.write_text(CONSTRUCTOR, encoding="utf-8")
    target = folder / f"{name}{sysconfig.get_config_var('EXT_SUFFIX')}"
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run([compiler, "-shared", "-fPIC", f"-DMARKER={json.dumps(str(marker))}", "-o", str(target),
                    str(source)], check=True, capture_output=True)
    return target


def writes(marker: Path) -> str:
    """Python that leaves ``marker`` behind when it runs."""
    return f"from pathlib import Path\nPath({str(marker)!r}).write_text('python ran')\n"


def mkdocstrings_site(folder: Path, repo: Path, handler_options: str = "") -> Path:
    """The user's own site, with mkdocstrings, describing ``repo`` (Almanac adds the API reference)."""
    (folder / "docs").mkdir(parents=True)
    (folder / "docs" / "index.md").write_text("# Site\n", encoding="utf-8")
    config = folder / "mkdocs.yml"
    config.write_text(f"site_name: Site\ndocs_dir: docs\nplugins:\n  - almanac:\n      repo: {repo}\n"
                      "  - mkdocstrings:\n      handlers:\n        python:\n"
                      f"          options: {{{handler_options}}}\n", encoding="utf-8")
    return config


def test_a_committed_compiled_extension_is_never_loaded(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    repo = Repo(tmp_path / "repo")
    compiled_extension(repo.path / "compiled", "fast", marker)
    repo.commit("A package with a compiled extension", {"compiled/__init__.py": '"""The package."""\n'})
    site = tmp_path / "site"
    assert main(["build", "-f", str(mkdocstrings_site(tmp_path / "src", repo.path)), "--site-dir", str(site)]) == 0
    assert "The package." in (site / "reference" / "compiled" / "index.html").read_text(encoding="utf-8")
    assert not marker.exists(), "the extension's constructor ran during the build"


def test_the_reference_pages_read_statically_even_when_the_site_forces_inspection(tmp_path: Path) -> None:
    """A site may force inspection for its own modules; the stranger's modules are still only read."""
    marker = tmp_path / "marker"
    repo = Repo(tmp_path / "repo")
    repo.commit("A module with side effects", {"effects/__init__.py": '"""The package."""\n',
                                                "effects/effects.py": '"""Runs at import."""\n' + writes(marker)})
    config = mkdocstrings_site(tmp_path / "src", repo.path, "force_inspection: true")
    assert main(["build", "-f", str(config), "--site-dir", str(tmp_path / "site")]) == 0
    assert not marker.exists(), "a module of the repository was imported during the build"


#: ``__init__.py`` files griffe cannot read as a package: a pkgutil namespace (a package without its own
#: ``__init__``, to griffe) and one that does not parse.
ODD_INITS = {"namespace": "__path__ = __import__('pkgutil').extend_path(__path__, __name__)\n",
             "unparseable": "def broken(:\n"}


@pytest.mark.parametrize("package", sorted(ODD_INITS))
def test_a_package_griffe_cannot_read_is_not_imported_instead(tmp_path: Path, package: str) -> None:
    marker = tmp_path / "marker"
    repo = Repo(tmp_path / "repo")
    compiled_extension(repo.path / package, "fast", marker)
    repo.commit("An odd package", {f"{package}/__init__.py": ODD_INITS[package],
                                   f"{package}/effects.py": writes(marker)})
    assert main(["build", "-f", str(mkdocstrings_site(tmp_path / "src", repo.path)), "--site-dir",
                 str(tmp_path / "s")]) == 0
    assert not marker.exists(), "the package was imported when griffe could not read it"


def test_a_package_that_does_not_parse_gets_a_finding_not_a_failed_build(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Python 2 code or a stray merge marker in a package's ``__init__.py`` stops griffe, and with it the
    whole site: the package gets no reference page and the build says why, naming the line."""
    repo = Repo(tmp_path / "repo")
    repo.commit("Old code", {"legacy/__init__.py": '"""Legacy."""\n\nprint "hello"\n',
                             "fine/__init__.py": '"""Fine."""\n'})
    site = tmp_path / "s"
    assert main(["build", "-f", str(mkdocstrings_site(tmp_path / "src", repo.path)), "--site-dir", str(site)]) == 0
    assert "legacy/__init__.py:3: does not parse as Python" in capsys.readouterr().err
    assert (site / "reference" / "fine" / "index.html").is_file()
    assert not (site / "reference" / "legacy").exists()


def test_a_module_griffe_cannot_read_on_a_page_of_the_site_is_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = Repo(tmp_path / "repo")
    repo.commit("A package", {"fine/__init__.py": '"""Fine."""\n'})
    config = mkdocstrings_site(tmp_path / "src", repo.path)
    (tmp_path / "src" / "broken").mkdir()  # the site's own module, on mkdocstrings' default path "."
    (tmp_path / "src" / "broken" / "__init__.py").write_text("def broken(:\n", encoding="utf-8")
    (tmp_path / "src" / "docs" / "api.md").write_text("# API\n\n::: broken\n", encoding="utf-8")
    assert main(["build", "-f", str(config), "--site-dir", str(tmp_path / "s")]) == 2
    err = capsys.readouterr().err
    assert "mkdocstrings could not read a Python module (Syntax error: invalid syntax (__init__.py, line 1))" in err
    assert "Traceback" not in err


def test_an_imported_page_cannot_ask_mkdocstrings_to_import_the_repository(tmp_path: Path) -> None:
    """A page of the repository's docs (import_docs) with its own directive and options is text, not a directive."""
    marker = tmp_path / "marker"
    repo = Repo(tmp_path / "repo")
    repo.commit("Docs that document a module", {
        "imported/__init__.py": '"""The package."""\n', "sideeffect.py": writes(marker),
        "docs/guide.md": "# Guide\n\n::: sideeffect\n    options:\n      force_inspection: true\n"})
    config = mkdocstrings_site(tmp_path / "src", repo.path)
    config.write_text(config.read_text(encoding="utf-8").replace(f"repo: {repo.path}\n",
                                                                 f"repo: {repo.path}\n      import_docs: docs\n"))
    site = tmp_path / "site"
    assert main(["build", "-f", str(config), "--site-dir", str(site)]) == 0
    assert not marker.exists(), "an imported page had a module of the repository imported"
    page = (site / "model" / "docs" / "guide" / "index.html").read_text(encoding="utf-8")
    assert ":\u2060:: sideeffect" in page and "doc-object" not in page  # shown as written, not expanded


def repo_with_its_own_config(path: Path, marker: Path, kind: str) -> Repo:
    """A repository whose mkdocs.yml runs code: a hook file it commits, or a YAML tag that calls Python."""
    repo = Repo(path)
    if kind == "hooks":
        files = {"mkdocs.yml": "site_name: Theirs\nhooks:\n  - hooks/evil.py\n", "hooks/evil.py": writes(marker)}
    else:
        call = f"!!python/object/apply:os.makedirs {{args: [{str(marker)!r}], kwds: {{exist_ok: true}}}}"
        files = {"mkdocs.yml": f"site_name: Theirs\nextra:\n  x: {call}\n"}
    repo.commit("Docs", {**files, "docs/index.md": "# Theirs\n", "README.md": "# Model\n"})
    return repo


@pytest.mark.parametrize("kind", ["hooks", "python-tag"])
def test_a_repository_s_own_mkdocs_yml_is_ignored_unless_trusted(
    tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    marker = tmp_path / "marker"
    repo = repo_with_its_own_config(tmp_path / "repo", marker, kind)
    site = tmp_path / "site"
    assert main(["build", "--repo", str(repo.path), "--site-dir", str(site)]) == 0
    assert not marker.exists(), "the repository's mkdocs.yml ran code"
    notice = [line for line in capsys.readouterr().err.splitlines() if "mkdocs.yml" in line]
    assert notice == [f"almanac: ignored {repo.path / 'mkdocs.yml'}: a repository's mkdocs.yml can run code "
                      "(hooks, plugins, !!python tags); pass --trust-repo-config to use it"]
    assert (site / "index.html").is_file()  # built from Almanac's default config instead
    assert main(["build", "--repo", str(repo.path), "--site-dir", str(site), "--trust-repo-config"]) == 0
    assert marker.exists()  # the user's choice is honoured
    assert "Theirs" in (site / "index.html").read_text(encoding="utf-8")


def test_the_current_project_s_mkdocs_yml_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    marker = tmp_path / "marker"
    repo = repo_with_its_own_config(tmp_path / "repo", marker, "hooks")
    monkeypatch.chdir(repo.path / "docs")  # anywhere in the project
    assert main(["build", "--repo", "..", "--site-dir", str(tmp_path / "site")]) == 0
    assert marker.exists()
    marker.unlink()
    assert main(["build", "--repo", "..", "--site-dir", str(tmp_path / "site"), "--no-trust-repo-config"]) == 0
    assert not marker.exists()
    clone = repo_with_its_own_config(repo.path / "vendor" / "theirs", marker, "hooks")  # a clone inside it
    assert main(["build", "--repo", "../vendor/theirs", "--site-dir", str(tmp_path / "site")]) == 0
    assert not marker.exists(), f"{clone.path} is another repository, not the current project"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve_until_up(repo: Path, *flags: str) -> None:
    """``almanac serve`` in its own process until it answers (the site is built by then), then stopped."""
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "generator.cli", "serve", "--repo", str(repo),
                               "--dev-addr", f"127.0.0.1:{port}", *flags],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1):
                    return
            except OSError:
                if server.poll() is not None:
                    raise AssertionError(server.stderr.read().decode()) from None  # type: ignore[union-attr]
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=30)
        server.stderr.close()  # type: ignore[union-attr]


def test_serve_follows_the_same_rule(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    repo = repo_with_its_own_config(tmp_path / "repo", marker, "hooks")
    serve_until_up(repo.path)
    assert not marker.exists()
    serve_until_up(repo.path, "--trust-repo-config")
    assert marker.exists()
