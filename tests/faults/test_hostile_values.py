"""Values that are valid to git, JSON or YAML but absurd to a program: a commit dated 9999, an offset of
+9959, an array nested 100 000 deep, an integer of 5 000 digits, a cache of the wrong shape, a network
that is down. Each gives one line naming the file or commit and the place, and the rest of the build
goes on; none is a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main
from generator.knowledge import BuildOptions, build_knowledge
from tests.gitrepo import Repo


def raw_commit(repo: Repo, date: str, message: str = "Hostile date") -> str:
    """A commit object written by hand on top of HEAD: git's own tools refuse such dates, git stores them."""
    body = (f"tree {repo.git('rev-parse', 'HEAD^{tree}')}\nparent {repo.head()}\n"
            f"author Mallory <m@example.com> {date}\ncommitter Mallory <m@example.com> {date}\n\n{message}\n")
    sha = repo.git("hash-object", "-t", "commit", "-w", "--literally", "--stdin", input=body.encode())
    repo.git("update-ref", "refs/heads/main", sha)
    return sha


# --- dates --------------------------------------------------------------------------------------------


def test_a_commit_dated_9999_is_one_finding_and_keeps_the_health_page_small(repo: Repo, tmp_path: Path,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit("Initial commit", {"README.md": "# M\n"})  # 2023
    far = raw_commit(repo, "253402214400 +0000")  # 9999-12-31
    assert main(["write", str(tmp_path / "out"), "--repo", str(repo.path), "--no-cache"]) == 0
    err = capsys.readouterr().err
    assert (f"almanac: warning: commit {far[:12]}: dated 9999-12-31, outside 1970-01-01 to " in err)
    assert err.count("outside 1970-01-01") == 1
    health = tmp_path / "out" / "contributors" / "health.md"
    assert health.stat().st_size < 20_000  # was 53 MB: one row per month from 2023 to 9999
    assert "9999-" not in health.read_text(encoding="utf-8")


def test_year_10000_and_an_offset_of_99_hours_build(repo: Repo, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit("Initial commit", {"README.md": "# M\n"})
    sha = raw_commit(repo, "253402300800 +9959")
    assert main(["write", str(tmp_path / "out"), "--repo", str(repo.path), "--no-cache"]) == 0
    assert f"commit {sha[:12]}: dated " in capsys.readouterr().err
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    assert knowledge.commits[sha].author.utc_offset == 0  # no clock is 99 hours ahead: read as UTC
    assert knowledge.as_of == repo.clock  # "now" is the latest believable date, not year 10000


# --- JSON and YAML ------------------------------------------------------------------------------------

DEEP_JSON = "[" * 100_000 + "]" * 100_000
DEEP_YAML = "- " * 5_000 + "x\n"  # block sequences nest two characters a level
HUGE = "9" * 5_000  # past Python's 4 300-digit limit on int("...")


def findings_of(repo: Repo) -> dict[str, str]:
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    return {finding.where: finding.message for finding in knowledge.findings}


@pytest.mark.parametrize(("files", "where", "message"), [
    ({"config.json": '{"model_type": "llama", "x": ' + DEEP_JSON + "}"}, "config.json:1",
     "not valid JSON (nested deeper than 64 levels); architecture facts skipped"),
    ({"config.json": '{"model_type": "llama",\n "hidden_size": ' + HUGE + "}"}, "config.json:2",
     "not valid JSON (a number of 5000 digits); architecture facts skipped"),
    ({"README.md": "---\nlicense: mit\nx: " + "{a: " * 30_000 + "1" + "}" * 30_000 + "\n---\n# M\n"}, "README.md:3",
     "front matter is not valid YAML (nested deeper than 64 levels); ignored"),
    ({"README.md": "---\nlicense: mit\nx: " + HUGE + "\n---\n# M\n"}, "README.md:3",
     "front matter is not valid YAML (a number of 5000 digits); ignored"),
    ({"contributors.yml": "people:\n" + DEEP_YAML}, "contributors.yml:2", "not valid YAML; ignored"),
    ({".all-contributorsrc": DEEP_JSON}, ".all-contributorsrc:1",
     "not valid JSON (nested deeper than 64 levels); ignored"),
    ({"CITATION.cff": "cff-version: 1.2.0\ntitle: " + DEEP_YAML}, "CITATION.cff:2", "not valid YAML; ignored"),
    ({"CITATION.cff": "cff-version: 1.2.0\ntitle: 0x" + "f" * 4_000 + "\n"}, "CITATION.cff:2",
     "not valid YAML; ignored"),
])
def test_absurd_json_and_yaml_are_one_finding_each(repo: Repo, files: dict[str, str], where: str,
                                                   message: str) -> None:
    repo.commit("Hostile data", {"README.md": "# M\n\nA model.\n", **files})
    assert findings_of(repo)[where] == message


def test_a_dimension_of_400_digits_is_not_read(repo: Repo) -> None:
    config = ('{"num_hidden_layers": 2, "hidden_size": ' + "9" * 400 + ', "num_attention_heads": 2, '
              '"vocab_size": 4, "intermediate_size": 8}')
    repo.commit("Absurd config", {"README.md": "# M\n", "config.json": config})
    assert findings_of(repo)["config.json"] == "no parameter estimate: config.json does not state hidden"


def test_yaml_aliases_that_expand_to_ten_million_values_are_refused() -> None:
    import yaml

    from generator.untrusted import load_yaml

    lines = ["a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    for name, previous in zip("bcdefg", "abcdef", strict=True):
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 10)}]")
    with pytest.raises(yaml.YAMLError, match="more than 1,000,000 values once its aliases are expanded"):
        load_yaml("\n".join(lines))


def test_imported_pages_with_tags_that_are_not_words_build(repo: Repo, tmp_path: Path,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    repo.commit("Docs", {"README.md": "---\ntags: 5\n---\n# M\n",
                         "docs/page.md": "---\ntags: [1, {a: b}, null]\n---\n# Page\n"})
    config = tmp_path / "config" / "mkdocs.yml"
    (config.parent / "docs").mkdir(parents=True)
    config.write_text(f"site_name: t\ntheme: {{name: material}}\nplugins:\n  - tags\n"
                      f"  - almanac:\n      repo: {repo.path}\n      import_docs: docs\n", encoding="utf-8")
    assert main(["build", "--repo", str(repo.path), "-f", str(config), "--site-dir", str(tmp_path / "site")]) == 0
    warnings = [record.getMessage() for record in caplog.records if record.levelname == "WARNING"]
    assert "model/README.md: `tags` must be a list of words, not int; left out" in warnings
    assert "model/docs/page.md: 2 of the `tags` are not words; left out" in warnings
