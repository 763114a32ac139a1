"""End to end: ``almanac build`` and ``almanac write`` on repositories the tests build with git."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from generator.cli.commands import main
from tests.gitrepo import Repo

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
HOSTILE_NAME = '<img src=x onerror="alert(1)">'


def model_repo(path: Path) -> Repo:
    repo = Repo(path)
    repo.commit(
        "Add model card",
        {
            "README.md": "---\nlicense: apache-2.0\nlanguage: [en, zh]\n---\n# Tiny-LM\n\nA tiny model for tests.\n",
            "config.json": '{"model_type": "llama", "num_hidden_layers": 2, "hidden_size": 64, "vocab_size": 100}',
            "LICENSE": "Apache License\nVersion 2.0, January 2004\n",
        },
        author="Wei Zhang <wei@example.com>",
        offset="+0800",
    )
    repo.commit("feat: add tokenizer (#3)", {"tok.py": "x = 1\n"}, author="José García <jose@example.com>")
    repo.tag("v0.1.0", "First release")
    repo.commit(
        "修复分词器的特殊符号处理\n\nCo-authored-by: 李娜 <lina@example.com>",
        {"tok.py": "x = 2\n"},
        author="Wei Zhang <1234+weizhang@users.noreply.github.com>",
        offset="+0800",
    )
    repo.commit("<script>alert('subject')</script> fix", {"evil.md": "x"}, author=f"{HOSTILE_NAME} <evil@example.com>")
    repo.tag("v0.2.0")
    return repo


def build(repo: Path, site: Path, *extra: str) -> int:
    return main(["build", "--repo", str(repo), "--site-dir", str(site), *extra])


def site_text(site: Path) -> dict[str, str]:
    return {
        str(path.relative_to(site)): path.read_text(encoding="utf-8", errors="replace")
        for path in sorted(site.rglob("*"))
        if path.is_file() and path.suffix in (".html", ".json", ".xml")
    }


def test_build_any_repository_without_configuration(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = model_repo(tmp_path / "repo")
    site = tmp_path / "site"
    assert build(repo.path, site, "--strict") == 0
    for page in ("index.html", "releases/index.html", "releases/v0.1.0/index.html", "releases/v0.2.0/index.html",
                 "contributors/index.html", "contributors/weizhang/index.html", "search/search_index.json"):
        assert (site / page).is_file(), page
    overview = (site / "index.html").read_text(encoding="utf-8")
    assert "Tiny-LM" in overview and "apache-2.0" in overview and "llama" in overview
    release = (site / "releases/v0.1.0/index.html").read_text(encoding="utf-8")
    assert "add tokenizer" in release and "José García" in release
    wei = (site / "contributors/weizhang/index.html").read_text(encoding="utf-8")
    assert "Wei Zhang" in wei and "avatars.githubusercontent.com/u/1234" in wei

    texts = site_text(site)
    for name, text in texts.items():
        assert not EMAIL.search(text), name
        assert "<img src=x" not in text and "<script>alert" not in text, name
        if name.endswith(".html"):
            assert not re.search(r"<[^>]*\sonerror\s*=", text), name  # text about onerror, never an attribute

    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["en", "zh"]
    segmented = " ".join(doc["text"] for doc in index["docs"])
    assert "\u200b分词器\u200b" in segmented  # jieba split the Chinese subject into searchable words
    assert not (repo.path / ".almanac" / "history.sqlite").exists() or repo.git("status", "--porcelain") == ""


def test_same_inputs_same_bytes_in_any_time_zone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = model_repo(tmp_path / "repo")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    sites = []
    for zone, locale in (("UTC", "C.UTF-8"), ("Asia/Shanghai", "de_DE.UTF-8")):
        monkeypatch.setenv("TZ", zone)
        monkeypatch.setenv("LC_ALL", locale)
        site = tmp_path / f"site-{zone.replace('/', '-')}"
        assert build(repo.path, site) == 0
        sites.append({str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*") if p.is_file()})
    assert sites[0] == sites[1]


def test_failed_build_leaves_previous_site_untouched(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = model_repo(tmp_path / "repo")
    site = tmp_path / "site"
    assert build(repo.path, site) == 0
    before = {str(p): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    broken = tmp_path / "templates"
    (broken / "releases").mkdir(parents=True)
    (broken / "releases" / "release.md.j2").write_text("# {{ release.tag }}\n\n{{ no_such_value }}\n")
    config = tmp_path / "mkdocs.yml"
    (tmp_path / "docs").mkdir()
    config.write_text(f"site_name: T\nplugins:\n  - almanac:\n      templates_dir: {broken}\n", encoding="utf-8")
    capsys.readouterr()
    assert build(repo.path, site, "-f", str(config)) == 2
    err = capsys.readouterr().err
    assert "release.md.j2:3" in err and "no_such_value" in err and "Traceback" not in err
    assert {str(p): p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert not list(tmp_path.glob(".site.almanac-*"))


def test_refuses_to_replace_a_folder_it_did_not_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = model_repo(tmp_path / "repo")
    mine = tmp_path / "notes"
    mine.mkdir()
    (mine / "important.txt").write_text("keep me")
    assert build(repo.path, mine) == 2
    assert "refusing to replace" in capsys.readouterr().err
    assert (mine / "important.txt").read_text() == "keep me"


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: p.mkdir(), "not a git repository"),
        (lambda p: Repo(p), "no commits yet"),
        (lambda p: subprocess.run(["git", "init", "-q", "--bare", str(p)], check=True), "bare repository"),
        (lambda p: Repo(p).git("checkout", "-q", "--orphan", "next"), "no commits yet"),
    ],
)
def test_unusable_folders_give_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], setup, message) -> None:
    target = tmp_path / "target"
    setup(target)
    assert build(target, tmp_path / "site") == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "Traceback" not in err
    assert len([line for line in err.splitlines() if line.startswith("almanac")]) == 1


def test_shallow_clone_is_flagged_with_the_fix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    origin = model_repo(tmp_path / "origin")
    clone = tmp_path / "clone"
    origin.git("clone", "-q", "--depth", "1", f"file://{origin.path}", str(clone))
    site = tmp_path / "site"
    assert build(clone, site) == 0
    err = capsys.readouterr().err
    assert "shallow clone" in err and "git fetch --unshallow --tags" in err
    assert "History truncated" in (site / "index.html").read_text(encoding="utf-8")


def test_detached_head_builds_the_same_pages(tmp_path: Path) -> None:
    from generator.build import BuildOptions, build_knowledge
    from generator.render.pages import render_pages

    repo = model_repo(tmp_path / "repo")
    on_branch = render_pages(build_knowledge(BuildOptions(repo=repo.path, use_cache=False)))
    repo.git("checkout", "-q", "--detach", "HEAD")
    detached = render_pages(build_knowledge(BuildOptions(repo=repo.path, use_cache=False)))
    assert on_branch == detached


def test_existing_mkdocs_site_keeps_its_pages_and_options(tmp_path: Path) -> None:
    repo = model_repo(tmp_path / "repo")
    repo.write("mkdocs.yml", "site_name: My Model Docs\ndocs_dir: docs\nplugins:\n  - search\n")
    repo.write("docs/index.md", "# Welcome\n\nHand-written home page.\n")
    repo.write("docs/releases/highlights/v0.2.0.md", "**Our favourite release.**\n")
    site = tmp_path / "site"
    assert build(repo.path, site, "--trust-repo-config") == 0
    release = (site / "releases" / "v0.2.0" / "index.html").read_text(encoding="utf-8")
    assert release.index("<strong>Our favourite release.</strong>") < release.index("<h2 id=\"documentation\"")
    assert not (site / "releases" / "highlights").exists()  # merged, not a page of its own
    assert "Hand-written home page." in (site / "index.html").read_text(encoding="utf-8")
    assert "Tiny-LM" in (site / "overview" / "index.html").read_text(encoding="utf-8")
    assert "My Model Docs" in (site / "releases" / "index.html").read_text(encoding="utf-8")
    assert sorted(str(p.relative_to(repo.path)) for p in (repo.path / "docs").rglob("*.md")) == [
        "docs/index.md", "docs/releases/highlights/v0.2.0.md"]  # nothing written into the user's docs


def test_invalid_plugin_option_names_the_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = model_repo(tmp_path / "repo")
    repo.write("mkdocs.yml", "site_name: X\nplugins:\n  - almanac:\n      cache: 'yes please'\n")
    repo.write("docs/index.md", "# Home\n")
    assert build(repo.path, tmp_path / "site", "--trust-repo-config") == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "mkdocs.yml: Config value 'plugins': Plugin 'almanac' option 'cache': Expected type" in err


def test_write_plain_markdown_tree(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = model_repo(tmp_path / "repo")
    out = tmp_path / "pages"
    assert main(["write", str(out), "--repo", str(repo.path)]) == 0
    assert (out / "index.md").is_file() and (out / "releases" / "v0.2.0.md").is_file()
    nav = yaml.safe_load((out / "mkdocs.nav.yml").read_text(encoding="utf-8"))["nav"]
    assert [next(iter(entry)) for entry in nav] == ["Overview", "Model card", "Releases", "Contributors",
                                                    "Community health", "Learn", "Contributing", "Tools",
                                                    "Licences"]
    assert all((out / next(iter(entry.values()))).is_file() for entry in nav)  # every entry is a written page
    assert main(["write", str(out), "--repo", str(repo.path)]) == 0  # its own output may be replaced
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "mine.md").write_text("x")
    assert main(["write", str(foreign), "--repo", str(repo.path)]) == 2
    assert (foreign / "mine.md").read_text() == "x"
    assert main(["write", str(foreign), "--repo", str(repo.path), "--force"]) == 0  # only when told
    assert not (foreign / "mine.md").exists() and (foreign / "index.md").is_file()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to chown the repository")
def test_dubious_ownership_shows_gits_own_hint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = model_repo(tmp_path / "repo")
    subprocess.run(["chown", "-R", "65534:65534", str(repo.path)], check=True)
    assert build(repo.path, tmp_path / "site") == 2
    err = capsys.readouterr().err
    assert "dubious ownership" in err and "safe.directory" in err and "Traceback" not in err


def test_pages_in_chinese_with_stable_chinese_anchors(tmp_path: Path) -> None:
    repo = model_repo(tmp_path / "repo")
    repo.write("mkdocs.yml", "site_name: 模型\ntheme:\n  name: material\n  language: zh\nplugins:\n  - search\n"
                             "  - almanac\nmarkdown_extensions:\n  - toc:\n      permalink: true\n"
                             "      slugify: !!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}\n")
    repo.commit("Site", {"docs/index.md": "# 文档\n\n## 快速开始\n"})
    site = tmp_path / "site"
    assert build(repo.path, site, "--trust-repo-config") == 0
    assert 'id="快速开始"' in (site / "index.html").read_text(encoding="utf-8")  # a hand-written Chinese heading
    health = (site / "contributors" / "health" / "index.html").read_text(encoding="utf-8")
    assert "<h1 id=\"社区健康度\">社区健康度" in health and 'id="每月贡献者"' in health
    releases = (site / "releases" / "index.html").read_text(encoding="utf-8")
    assert "<th>版本</th>" in releases and "<th>日期</th>" in releases
    person = next(p for p in (site / "contributors").iterdir() if p.name.startswith("img"))
    page = (person / "index.html").read_text(encoding="utf-8")
    assert "<img src" not in page  # names stay escaped whatever the language


def test_every_label_has_a_chinese_translation() -> None:
    from babel.messages.extract import extract_from_dir

    from generator.render.i18n import translations

    root = Path(__file__).resolve().parent.parent
    method_map = [("templates/**.j2", "jinja2")]
    options = {"templates/**.j2": {"extensions": "jinja2.ext.i18n", "trim_blocks": "True", "lstrip_blocks": "True"}}
    labels = {message[2] for message in extract_from_dir(str(root), method_map, options)}
    assert len(labels) > 100
    catalogue = translations("zh")

    def translated(label: str | tuple[str, str]) -> bool:
        if isinstance(label, tuple):  # a count: ngettext("%(num)d bot", "%(num)d bots", n)
            return catalogue.ngettext(label[0], label[1], 1) not in label
        return catalogue.gettext(label) != label or label == "GitHub"
    untranslated = sorted(str(label) for label in labels if not translated(label))
    assert untranslated == [], f"run `make translations` and translate: {untranslated}"
