"""Model card metadata checked the way the Hub reads it, each problem at its file and line."""

from __future__ import annotations

from generator.analysis.models.cardmeta import check_card_metadata, key_lines
from generator.analysis.models.facts import front_matter, front_matter_block
from generator.build import BuildOptions, build_knowledge
from generator.model.errors import Finding
from generator.render.pages import render_pages
from tests.gitrepo import Repo

README = """\
---
license: apache2
language:
  - en
  - english
  - zh-Hans
  - xx
datasets: wikipedia
base_model: meta-llama/Llama-2-7b-hf
base_model_relation: fine-tune
model-index:
  - name: Lumen
    results:
      - task: {type: text-generation}
        dataset: {type: gsm8k}
        metrics:
          - {type: accuracy}
---
# Lumen
"""


def checks(readme: str) -> list[str]:
    findings: list[Finding] = []
    data = front_matter(readme, "README.md", findings)
    found = check_card_metadata(data, key_lines(front_matter_block(readme)), "README.md")
    return [str(finding) for finding in findings + found]


def test_every_problem_named_at_its_line_with_the_fix() -> None:
    assert checks(README) == [
        "README.md:2: license 'apache2' is not a licence id the Hub knows; did you mean 'apache-2.0'?",
        "README.md:3: language 'english' is not an ISO 639 code; did you mean 'en'?",
        "README.md:3: language 'xx' is not an ISO 639 code",
        "README.md:8: `datasets` must be a list of strings",
        "README.md:10: base_model_relation 'fine-tune' is not one of adapter, finetune, merge, quantized",
        "README.md:11: model-index[0].results[0].dataset: missing `name`",
        "README.md:11: model-index[0].results[0].metrics[0]: needs `type` and `value`",
    ]


def test_licence_forms() -> None:
    assert checks("---\nlicense: Apache-2.0\n---\n") == [
        "README.md:2: the Hub writes licence ids in lower case: 'apache-2.0', not 'Apache-2.0'"]
    assert checks("---\nlicense: other\nlicense_name: lumen-license\n---\n") == [
        "README.md:2: `license: other` needs license_link"]
    assert checks("---\nlicense: llama3.1\nlanguage: [zh, en, code]\n---\n") == []
    assert checks("---\nlicense: [mit, apache-2.0]\n---\n") == [
        "README.md:2: `license` must be one licence id, such as apache-2.0"]


def test_a_well_formed_card_passes() -> None:
    card = ("---\nlicense: mit\nlanguage: en\ndatasets: [gsm8k]\nmodel-index:\n- name: m\n  results:\n"
            "  - task: {type: text-generation}\n    dataset: {type: gsm8k, name: GSM8K}\n"
            "    metrics: [{type: accuracy, value: 38.4}]\n---\n")
    assert checks(card) == []


def test_overview_lists_the_checks(repo: Repo) -> None:
    repo.commit("Card", {"README.md": README})
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    overview = render_pages(knowledge)["index.md"]
    assert "## Model card checks" in overview and "did you mean &#39;apache-2.0&#39;" in overview
    assert all(check.level == "info" for check in knowledge.card_checks)  # reported, never a failed build
