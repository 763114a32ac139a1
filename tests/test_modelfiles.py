"""Generation defaults, chat template, special tokens and citations, each with its source file."""

from __future__ import annotations

import json

from generator.analysis.models.files import citation_facts, generation_facts, tokenizer_facts
from generator.model.errors import Finding

CFF = """\
cff-version: 1.2.0
title: "Lumen software"
authors:
  - family-names: Zhang
    given-names: Wei
preferred-citation:
  type: article
  title: "Lumen: Open Bilingual Language Models"
  authors: [{family-names: Zhang, given-names: Wei}, {family-names: Li, given-names: Na},
            {family-names: Chen, given-names: Jing}, {name: "Lumen Team"}]
  journal: "arXiv preprint arXiv:2407.99871"
  year: 2024
"""


def table(facts: list) -> dict[str, tuple[str, str]]:  # type: ignore[type-arg]
    return {fact.label: (fact.value, fact.source) for fact in facts}


def test_generation_defaults() -> None:
    text = json.dumps({"temperature": 0.6, "top_p": 0.95, "eos_token_id": [2, 4], "do_sample": True})
    assert table(generation_facts(text, [])) == {
        "Generation defaults": ("temperature 0.6, top_p 0.95, do_sample True", "generation_config.json")}


def test_tokenizer_templates_and_tokens_in_every_spelling() -> None:
    config = {"chat_template": [{"name": "default", "template": "x"}, {"name": "tool_use", "template": "y"}],
              "bos_token": {"content": "<s>", "lstrip": False}, "eos_token": "</s>", "unk_token": None,
              "additional_special_tokens": ["<a>", "<b>", "<c>", "<d>", "<e>"], "model_max_length": 10**30}
    found = table(tokenizer_facts(json.dumps(config), []))
    assert found["Chat template"][0] == "yes: default, tool_use"
    assert found["Special tokens"][0] == "bos <s>; eos </s>; 5 more (<a>, <b>, <c>, <d>, …)"
    assert "Tokenizer max length" not in found  # transformers' "no limit" sentinel is not a fact
    assert table(tokenizer_facts("{}", []))["Chat template"][0] == "not stated in the repository"


def test_broken_files_are_findings_with_their_line() -> None:
    findings: list[Finding] = []
    assert generation_facts('{"temperature": 0.7,\n}', findings) == []
    assert tokenizer_facts("[1, 2]", findings) == []
    assert citation_facts("title: [unclosed\n", "", findings) == []
    first, second, third = (str(f) for f in findings)
    assert first.startswith("generation_config.json:2: not valid JSON (")  # the message varies by Python
    assert second == "tokenizer_config.json: not a JSON object; ignored"
    assert third == "CITATION.cff:2: not valid YAML; ignored"


def test_citations_from_cff_and_readme() -> None:
    readme = ("# Lumen\n\n```bibtex\n@article{lumen2024,\n  title={Lumen}\n}\n```\n\n"
              "```BibTeX\n@misc{lumen-data, x}\n```\n")
    found = table(citation_facts(CFF, readme, []))
    assert found["Citation"] == ("Lumen: Open Bilingual Language Models · Wei Zhang, Na Li, Jing Chen et al. · 2024 "
                                 "· arXiv preprint arXiv:2407.99871", "CITATION.cff → preferred-citation")
    # One fact per entry that parses, with its title and line; the unparsable block is the learning
    # pages' finding, not a key to cite.
    assert found["Citation (BibTeX)"] == ("lumen2024: Lumen", "README.md:4")
    bare = table(citation_facts(None, "## Citation\n\n```\n@misc{glm2024,\n  title={{GLM}: A Family},\n}\n```\n", []))
    assert bare["Citation (BibTeX)"] == ("glm2024: GLM: A Family", "README.md:4")
    plain = table(citation_facts("cff-version: 1.2.0\ntitle: Tool\nauthors: [{name: ACME}]\n", "", []))
    assert plain["Citation"] == ("Tool · ACME", "CITATION.cff")
