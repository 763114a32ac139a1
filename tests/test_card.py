"""The model card: sections found from facts and README headings (English or Chinese), never invented."""

from __future__ import annotations

from generator.card import NOT_STATED, build_card, readme_headings
from generator.knowledge import BuildOptions, build_knowledge
from generator.model import Fact
from generator.pages import render_pages
from tests.gitrepo import Repo

README = """\
---
license: mit
datasets: [wikitext]
---
# Tiny

## 使用方法

```python
## not a heading: inside code
```

Load it with `transformers`: see [the docs](docs/x.md).

## Limitations

- It is tiny.
- It is **slow**.
"""


def test_sections_come_from_metadata_facts_and_headings() -> None:
    headings = readme_headings(README)
    assert [(h.text, h.where) for h in headings] == [("使用方法", "README.md:7"), ("Limitations", "README.md:15")]
    assert headings[0].excerpt == "" and headings[1].excerpt == "It is tiny. · It is slow."
    card = build_card({"license": "mit", "datasets": ["wikitext"]}, [Fact("Layers", "2", "config.json → n")],
                      headings)
    stated = {section.title: section.stated for section in card.sections}
    assert stated == {"Model details": True, "Intended use": True, "Training data": True, "Evaluation": False,
                      "Limitations and ethical considerations": True, "Licence": True, "How to cite": False,
                      "Deployment": False}
    assert card.missing == ["Evaluation", "How to cite", "Deployment"] and card.score == 75  # 100 - 15 - 5 - 5


def test_card_page_says_what_is_missing(repo: Repo) -> None:
    repo.commit("Card", {"README.md": README})
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    pages = render_pages(knowledge)
    card = pages["card.md"]
    assert '!!! info "Card completeness: 55%"' in card  # no config here: no model details either
    assert "Not stated in the repository: Model details, Evaluation, How to cite, Deployment." in card
    assert card.count("*Not stated in the repository.*") == 4 and NOT_STATED in card.lower()
    assert "[Model card](card.md):" in pages["index.md"]


def test_tags_for_search_and_the_tags_plugin() -> None:
    from types import SimpleNamespace

    from generator.card import card_tags

    def tags(metadata: dict, parameters: int | None = None) -> list[str]:
        return card_tags(SimpleNamespace(metadata=metadata, estimated_parameters=parameters))

    assert tags({"license": "apache-2.0", "pipeline_tag": "text-generation"}, 1_761_724_416) == [
        "licence: permissive", "size: 1–10B", "modality: text"]
    assert tags({"license": "cc-by-nc-4.0", "pipeline_tag": "image-text-to-text"}, 70_553_706_496) == [
        "licence: non-commercial", "size: 10–100B", "modality: multimodal"]
    assert tags({"license": "llama3.1"}) == ["licence: model-specific licence"]
    assert tags({}) == []


def test_each_model_folder_gets_its_own_card(repo: Repo) -> None:
    import json

    import numpy as np
    from safetensors.numpy import save

    config = {"architectures": ["LlamaForCausalLM"], "hidden_size": 16, "num_hidden_layers": 2,
              "num_attention_heads": 4, "intermediate_size": 40, "vocab_size": 50}
    repo.commit("Two models", {
        "README.md": README, "config.json": json.dumps(config),
        "draft/config.json": json.dumps({**config, "num_hidden_layers": 1}),
        "draft/README.md": "# Tiny draft\n\n## Intended use\n\nSpeculative decoding for Tiny.\n",
        "draft/model.safetensors": save({"w": np.zeros((3, 4), dtype=np.float16)}),
        "misc/old.safetensors": save({"w": np.zeros((2,), dtype=np.float16)}),
        "examples/config.json": '{"batch_size": 4}',  # not a model
    })
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    assert [model.folder for model in knowledge.models] == ["draft"]
    draft = knowledge.models[0]
    facts = {fact.label: fact for fact in draft.facts}
    assert facts["Layers"].source == "draft/config.json → num_hidden_layers" and facts["Layers"].value == "1"
    assert facts["Parameters (from weights)"].value == "12"
    assert "Parameters (from weights)" not in {fact.label for fact in knowledge.model_facts}  # not the root's
    assert any("misc/old.safetensors" in f.message for f in knowledge.findings)
    pages = render_pages(knowledge)
    assert "# Model card: Tiny draft" in pages["models/draft.md"]
    assert "**Intended use** <small>(draft/README.md&#58;3)</small>" in pages["models/draft.md"]
    assert "[Tiny draft](models/draft.md)" in pages["index.md"]


def test_card_diff_names_the_commit_behind_each_change(repo: Repo) -> None:
    import json

    config = {"architectures": ["LlamaForCausalLM"], "hidden_size": 16, "num_hidden_layers": 2,
              "num_attention_heads": 4, "intermediate_size": 40, "vocab_size": 50}
    repo.commit("First", {"README.md": README, "config.json": json.dumps(config)})
    repo.tag("v1.0.0")
    repo.commit("Unrelated", {"notes.txt": "x\n"})
    changed = repo.commit("Longer context", {"config.json": json.dumps({**config, "max_position_embeddings": 8192})})
    repo.tag("v1.1.0")
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    card = render_pages(knowledge)["card.md"]
    line = next(line for line in card.splitlines() if "max&#95;position&#95;embeddings" in line)
    assert f"(commit `{changed[:8]}`)" in line
