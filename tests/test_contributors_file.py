"""contributors.yml and .all-contributorsrc: the project's own word on who is who."""

from __future__ import annotations

import json
from pathlib import Path

from generator.build import BuildOptions, build_knowledge
from generator.model.knowledge import Knowledge
from generator.render.pages import render_pages
from tests.gitrepo import Repo

CONTRIBUTORS = """\
people:
  - name: 王芳
    aliases: [fang@old.example, github:wangfang]
    contributions: [doc, translation]
  - aliases: [bob@example.com]
    listed: false
  - name: Designer Dee
    aliases: ["@dee"]
    contributions: [design, madeUp]
"""


def history(path: Path, contributors: str | None = CONTRIBUTORS) -> Repo:
    repo = Repo(path)
    files = {"contributors.yml": contributors} if contributors is not None else {}
    repo.commit("Add the contributors file", files, author="Mai Tainer <mai@example.com>", allow_empty=True)
    repo.commit("Translate the guide (#4)", {"docs/zh.md": "你好\n"}, author="Fang Wang <fang@old.example>")
    repo.commit("Fix typos", {"docs/zh.md": "你好!\n"}, author="王芳 <77+wangfang@users.noreply.github.com>")
    repo.commit("Tune the sampler (#5)", {"s.py": "1\n"}, author="Bob <bob@example.com>")
    repo.tag("v1.0.0")
    return repo


def people_by_name(knowledge: Knowledge) -> dict[str, object]:
    return {person.name: person for person in knowledge.people.values()}


def test_aliases_names_opt_out_and_non_code_credit(tmp_path: Path) -> None:
    knowledge = build_knowledge(BuildOptions(repo=history(tmp_path / "repo").path, use_cache=False))
    people = {person.name: person for person in knowledge.people.values()}
    fang = people["王芳"]
    assert len(fang.commits) == 2 and fang.credits == ["doc", "translation"] and fang.github_id == 77
    assert "Fang Wang" in fang.aliases
    dee = people["Designer Dee"]
    assert dee.commits == [] and dee.credits == ["design", "madeUp"] and dee.login == "dee"
    assert people["Bob"].listed is False
    assert any("unknown contribution types madeUp" in str(f) for f in knowledge.findings)
    pages = render_pages(knowledge)
    index = pages["contributors/index.md"]
    assert "(1 asked not to be listed)" in index and "Bob" not in index
    assert f"contributors/{people['Bob'].slug}.md" not in pages
    assert "Credited for:** design, madeUp" in pages[f"contributors/{dee.slug}.md"]
    release = pages["releases/v1.0.0.md"]
    assert "· Bob" in release and "[Bob]" not in release  # named, not linked
    assert "[王芳](../contributors/" in release


def test_all_contributors_file_is_read_when_there_is_no_contributors_yml(tmp_path: Path) -> None:
    repo = history(tmp_path / "repo", contributors=None)
    spec = {"projectName": "x", "contributors": [
        {"login": "wangfang", "name": "Fang W.", "avatar_url": "https://x", "contributions": ["translation"]}]}
    repo.commit("Add all-contributors", {".all-contributorsrc": json.dumps(spec)},
                author="Mai Tainer <mai@example.com>")
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    fang = next(p for p in knowledge.people.values() if p.login == "wangfang")
    assert fang.name == "Fang W." and fang.credits == ["translation"] and len(fang.commits) == 1


def test_a_broken_contributors_file_is_reported_and_ignored(tmp_path: Path) -> None:
    repo = history(tmp_path / "repo", contributors="people:\n  - name: [unclosed\n")
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    assert any(str(f).startswith("contributors.yml:3: not valid YAML; ignored") for f in knowledge.findings)
    assert "Fang Wang" in {p.name for p in knowledge.people.values()}  # git's own view, unchanged


def test_editing_the_file_recomputes_people_from_the_cache(tmp_path: Path) -> None:
    repo = history(tmp_path / "repo", contributors="people: []\n")
    options = BuildOptions(repo=repo.path, cache_dir=tmp_path / "cache")
    before = {p.name: len(p.commits) for p in build_knowledge(options).people.values()}
    assert (before["王芳"], before["Fang Wang"]) == (1, 1)  # git alone cannot tie the two together
    repo.commit("Describe our people", {"contributors.yml": CONTRIBUTORS}, author="Mai Tainer <mai@example.com>")
    warm = build_knowledge(options)
    cold = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    after = {p.name: len(p.commits) for p in warm.people.values()}
    assert after == {p.name: len(p.commits) for p in cold.people.values()}
    assert after["王芳"] == 2 and "Fang Wang" not in after
